; Julia definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A docstring is a string right before a definition (`"doc" f(x) = ...`), a sibling of
; it: a pattern that starts at that sibling is lost where extraction cuts a big file into
; windows between the two (docs/languages-data.md, "Known gaps"), so docstrings are not
; read yet; `#` comments above a definition are its doc.

; ------------------------------------------------------------------------ modules

((module_definition name: (identifier) @name
  (#set! native_kind "module")) @definition.module)
((module_definition name: (identifier) @name
  (#set! native_kind "baremodule")) @definition.module)

(using_statement [(identifier) (scoped_identifier)] @name (#set! native_kind "using")
  (#set! name_path "true")) @definition.import
(import_statement [(identifier) (scoped_identifier)] @name (#set! native_kind "import")
  (#set! name_path "true")) @definition.import
(import_statement (import_alias (_) (identifier) @name) (#set! native_kind "import"))
  @definition.import
(using_statement (selected_import . (_) [(identifier) (operator)] @name)
  (#set! native_kind "using")) @definition.import
(import_statement (selected_import . (_) [(identifier) (operator)] @name)
  (#set! native_kind "import")) @definition.import

; -------------------------------------------------------------------------- types

((abstract_definition (type_head
  [(identifier) @name
   (binary_expression . (identifier) @name)
   (parametrized_type_expression . (identifier) @name)
   (binary_expression . (parametrized_type_expression . (identifier) @name))])
  (#set! native_kind "abstract type")) @definition.interface)
(((struct_definition (type_head
  [(identifier) @name
   (binary_expression . (identifier) @name)
   (parametrized_type_expression . (identifier) @name)
   (binary_expression . (parametrized_type_expression . (identifier) @name))]) . (_)? @body)
  @definition.struct (#match? @definition.struct "^mutable") (#set! native_kind "mutable struct")))
((struct_definition (type_head
  [(identifier) @name
   (binary_expression . (identifier) @name)
   (parametrized_type_expression . (identifier) @name)
   (binary_expression . (parametrized_type_expression . (identifier) @name))]) . (_)? @body
  (#set! native_kind "struct")) @definition.struct)
((primitive_definition (type_head
  [(identifier) @name (binary_expression . (identifier) @name)])
  (#set! native_kind "primitive type")) @definition.struct)

(struct_definition [(typed_expression . (identifier) @name) (identifier) @name] @definition.field
  (#set! native_kind "field"))

; `@enum Color red green`: the enum and its values.
(macrocall_expression (macro_identifier (identifier) @_m)
  (macro_argument_list . [(identifier) @name (typed_expression . (identifier) @name)])
  (#eq? @_m "enum") (#set! native_kind "@enum")) @definition.enum
(macrocall_expression (macro_identifier (identifier) @_m)
  (macro_argument_list (identifier) @name @definition.enum_member)
  (#eq? @_m "enum") (#set! native_kind "value"))

; ---------------------------------------------------------------------- functions

; `function f(x) ... end`, `function Base.show(io, x)`, `function f(x)::T where T`.
((function_definition (signature
  [(call_expression . [(identifier) @name (field_expression (identifier) @name .)])
   (typed_expression . (call_expression . [(identifier) @name (field_expression (identifier) @name .)]))
   (where_expression . [(call_expression . [(identifier) @name (field_expression (identifier) @name .)])
                        (typed_expression . (call_expression . [(identifier) @name (field_expression (identifier) @name .)]))])
   (identifier) @name]) . (_)? @body
  (#set! native_kind "function")) @definition.function)
; `f(x) = ...` (a short-form definition)
((assignment
  . [(call_expression . [(identifier) @name (field_expression (identifier) @name .)])
     (typed_expression . (call_expression . [(identifier) @name (field_expression (identifier) @name .)]))
     (where_expression . [(call_expression . [(identifier) @name (field_expression (identifier) @name .)])
                          (typed_expression . (call_expression . [(identifier) @name (field_expression (identifier) @name .)]))])]
  (operator) . (_) @body (#set! native_kind "function")) @definition.function)
((macro_definition (signature
  (call_expression . (identifier) @name)) (#set! native_kind "macro")) @definition.macro)

; ---------------------------------------------------------------------- variables

((const_statement (assignment . (identifier) @name)
  (#set! native_kind "const")) @definition.constant)
(source_file (assignment . (identifier) @name) @definition.variable
  (#set! native_kind "global"))
(module_definition (assignment . (identifier) @name) @definition.variable
  (#set! native_kind "global"))
