; JSX references (stacked under JavaScript and TSX): a component rendered is called.
; Lower-case names are HTML elements, not definitions.
([(jsx_opening_element name: (identifier) @reference.call)
  (jsx_self_closing_element name: (identifier) @reference.call)]
  (#match? @reference.call "^[A-Z]"))
([(jsx_opening_element name: (member_expression property: (property_identifier) @reference.call)
   @qualified)
  (jsx_self_closing_element
   name: (member_expression property: (property_identifier) @reference.call) @qualified)])
