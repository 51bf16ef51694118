; Java references. Capture contract: docs/queries.md, "References".

; Imports: `import a.b.C;`, `import static a.b.C.m;`, `import a.b.*;`
(import_declaration (scoped_identifier) @reference.import .) @import
(import_declaration (scoped_identifier) @import.from . (asterisk) @reference.import) @import

; Calls: `m()`, `obj.m()`, `Type.m()`; constructions `new T()`, `new a.T<>()`
(method_invocation name: (identifier) @reference.call)
(method_invocation object: (_) @qualifier)
(object_creation_expression type: [
  (type_identifier) @reference.call
  (generic_type . (type_identifier) @reference.call)
  (scoped_type_identifier (type_identifier) @reference.call .) @qualified
  (generic_type . (scoped_type_identifier (type_identifier) @reference.call .) @qualified)])

; Inheritance: `extends B`, `implements I, J`, interfaces' `extends`
(superclass [
  (type_identifier) @reference.inherit
  (generic_type . (type_identifier) @reference.inherit)
  (scoped_type_identifier (type_identifier) @reference.inherit .) @qualified
  (generic_type . (scoped_type_identifier (type_identifier) @reference.inherit .)
    @qualified)])
(super_interfaces (type_list [
  (type_identifier) @reference.implement
  (generic_type . (type_identifier) @reference.implement)
  (scoped_type_identifier (type_identifier) @reference.implement .) @qualified
  (generic_type . (scoped_type_identifier (type_identifier) @reference.implement .)
    @qualified)]))
(extends_interfaces (type_list [
  (type_identifier) @reference.inherit
  (generic_type . (type_identifier) @reference.inherit)
  (scoped_type_identifier (type_identifier) @reference.inherit .) @qualified
  (generic_type . (scoped_type_identifier (type_identifier) @reference.inherit .)
    @qualified)]))

; Annotations
(marker_annotation name: (identifier) @reference.decorator)
(annotation name: (identifier) @reference.decorator)
(marker_annotation name: (scoped_identifier name: (identifier) @reference.decorator)
  @qualified)
(annotation name: (scoped_identifier name: (identifier) @reference.decorator) @qualified)

; Types wherever they are written; a type parameter's own name is none
(type_identifier) @reference.type
(scoped_type_identifier (type_identifier) @reference.type .) @qualified
(type_parameter . (type_identifier) @skip)

; A defined name used as a value (kept when the file defines or imports it): arguments,
; method references `Type::m`
(argument_list (identifier) @reference.value)
(method_reference . (_) @qualifier (identifier) @reference.value .)
(variable_declarator value: (identifier) @reference.value)
(return_statement (identifier) @reference.value)
