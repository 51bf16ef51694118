; Scala references. Capture contract: docs/queries.md, "References". Extends the grammar
; wheel's tags.scm (calls, `new T`, `extends`) with qualifiers, imports, types, `with`.

; Imports: `import a.b.c`, `import a.b.{c, d => e}`, `import a.b._` (a node per part of
; the path: the parts before the name are where it comes from)
; (only the first part is a `path:` field to the query engine)
(import_declaration (identifier) @import.from . (identifier)) @import
(import_declaration (identifier) @reference.import .) @import
(import_declaration (namespace_selectors [
  (identifier) @reference.import
  (arrow_renamed_identifier name: (identifier) @reference.import
    alias: (identifier) @import.alias) @import.clause])) @import
(import_declaration (identifier) @import.from (namespace_selectors))
(import_declaration (identifier) @import.from (namespace_wildcard) @import.all) @import

; Calls: `f(x)`, `obj.m(x)`, `Type(x)` (an `apply`), `new T(x)`, `a.B.c(x)`
(call_expression function: (identifier) @reference.call)
(call_expression function: (field_expression field: (identifier) @reference.call) @qualified)
(call_expression function: (generic_function function: (identifier) @reference.call))
(call_expression function: (generic_function
  function: (field_expression field: (identifier) @reference.call) @qualified))
(instance_expression [
  (type_identifier) @reference.call
  (generic_type type: (type_identifier) @reference.call)
  (stable_type_identifier (type_identifier) @reference.call .) @qualified
  (generic_type type: (stable_type_identifier (type_identifier) @reference.call .)
    @qualified)])

; Inheritance: `extends B(x) with C with D` (only B is a `type:` field to the query engine)
(extends_clause [
  (type_identifier) @reference.inherit
  (generic_type type: (type_identifier) @reference.inherit)
  (stable_type_identifier (type_identifier) @reference.inherit .) @qualified
  (generic_type type: (stable_type_identifier (type_identifier) @reference.inherit .)
    @qualified)])

; Annotations: `@tailrec`, `@deprecated("x")`
(annotation name: [
  (type_identifier) @reference.decorator
  (stable_type_identifier (type_identifier) @reference.decorator .) @qualified])

; Types wherever they are written
(type_identifier) @reference.type
(stable_type_identifier (type_identifier) @reference.type .) @qualified

; A defined name used as a value (kept when the file defines or imports it)
(arguments (identifier) @reference.value)
(val_definition value: (identifier) @reference.value)
(infix_expression right: (identifier) @reference.value)
