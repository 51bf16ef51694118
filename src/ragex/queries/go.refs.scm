; Go references. Capture contract: docs/queries.md, "References".

; Imports: `import "net/http"` binds `http`; `import h "net/http"`; `import . "m"` binds
; the package's names; `import _ "m"` binds nothing
(import_spec name: [(package_identifier) (dot) (blank_identifier)]? @import.alias
  path: (interpreted_string_literal (interpreted_string_literal_content) @reference.import))
  @import.clause @import

; Calls: `f()`, `pkg.F()`, `v.M()`, `(f)()`
(call_expression function: [
  (identifier) @reference.call
  (parenthesized_expression (identifier) @reference.call)
  (selector_expression field: (field_identifier) @reference.call) @qualified
  (parenthesized_expression (selector_expression field: (field_identifier) @reference.call)
    @qualified)])

; Embedding: a struct field or an interface element without a name
(field_declaration_list (field_declaration !name type: [
  (type_identifier) @reference.inherit
  (qualified_type name: (type_identifier) @reference.inherit) @qualified
  (pointer_type [(type_identifier) @reference.inherit
                 (qualified_type name: (type_identifier) @reference.inherit) @qualified])]))
(interface_type (type_elem [
  (type_identifier) @reference.inherit
  (qualified_type name: (type_identifier) @reference.inherit) @qualified]))

; Types wherever they are written (composite literals `T{}` included)
(type_identifier) @reference.type
(qualified_type name: (type_identifier) @reference.type) @qualified

; A defined name used as a value (kept when the file defines or imports it)
(argument_list [
  (identifier) @reference.value
  (selector_expression field: (field_identifier) @reference.value) @qualified])
(expression_list [
  (identifier) @reference.value
  (selector_expression field: (field_identifier) @reference.value) @qualified])
(keyed_element value: (literal_element (identifier) @reference.value))
