; TypeScript references, stacked on javascript.refs.scm. Capture contract:
; docs/queries.md, "References".

; `import x = require('m')`, `import type {T} from 'm'` (the latter as ES imports)
(import_statement (import_require_clause (identifier) @import.namespace
  source: (string (string_fragment) @import.from))) @import

; Inheritance: `extends B<T>`, `implements I, J<K>`, interfaces' `extends`
(extends_clause value: (identifier) @reference.inherit)
(extends_clause value: (member_expression property: (property_identifier) @reference.inherit)
  @qualified)
(implements_clause [(type_identifier) @reference.implement
                    (generic_type name: (type_identifier) @reference.implement)
                    (generic_type name: (nested_type_identifier
                                          name: (type_identifier) @reference.implement)
                                    @qualified)
                    (nested_type_identifier name: (type_identifier) @reference.implement)
                      @qualified])
(extends_type_clause [(type_identifier) @reference.inherit
                      (generic_type name: (type_identifier) @reference.inherit)
                      (nested_type_identifier name: (type_identifier) @reference.inherit)
                        @qualified])

; Types wherever they are written; a type parameter's own name is none
(type_identifier) @reference.type
(nested_type_identifier name: (type_identifier) @reference.type) @qualified
(type_parameter name: (type_identifier) @skip)
