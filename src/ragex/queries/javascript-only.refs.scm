; JavaScript references its grammar alone has (stacked after javascript.refs.scm).

; Inheritance: `class A extends B`, `class A extends ns.B`
(class_heritage (identifier) @reference.inherit)
(class_heritage (member_expression property: (property_identifier) @reference.inherit)
  @qualified)
