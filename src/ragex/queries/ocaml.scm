; OCaml definitions (.ml and .mli). Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

(open_module module: (_) @name (#set! native_kind "open") (#set! name_path "true"))
  @definition.import

; A declaration of one binding is the definition (its signature starts at the keyword);
; in `let ... and ...` / `type ... and ...` each binding is its own definition. (A
; trailing `.` anchor does not tell one binding from two next to the other patterns: a
; line starting with `and` does, a cheap and safe test: a declaration it misjudges is
; reported by its binding, without the keyword in its signature.)
((module_definition . (module_binding (module_name) @name body: (_)? @body) .
  (#set! native_kind "module")) @definition.module
  (#not-match? @definition.module "(^|\\n)\\s*and\\s"))
(module_binding (module_name) @name body: (_)? @body (#set! native_kind "module"))
  @definition.module
(module_type_definition (module_type_name) @name body: (_)? @body
  (#set! native_kind "module type")) @definition.interface

; Types: a variant type is an enum of its constructors, a record a struct of its fields,
; anything else an alias.
((type_definition . (type_binding name: (type_constructor) @name body: (variant_declaration) @body) .
  (#set! native_kind "type")) @definition.enum
  (#not-match? @definition.enum "(^|\\n)\\s*and\\s"))
((type_definition . (type_binding name: (type_constructor) @name body: (record_declaration) @body) .
  (#set! native_kind "type")) @definition.struct
  (#not-match? @definition.struct "(^|\\n)\\s*and\\s"))
((type_definition . (type_binding name: (type_constructor) @name) .
  (#set! native_kind "type")) @definition.type_alias
  (#not-match? @definition.type_alias "(^|\\n)\\s*and\\s"))
(type_binding name: (type_constructor) @name body: (variant_declaration) @body
  (#set! native_kind "type")) @definition.enum
(type_binding name: (type_constructor) @name body: (record_declaration) @body
  (#set! native_kind "type")) @definition.struct
(type_binding name: (type_constructor) @name (#set! native_kind "type")) @definition.type_alias
(variant_declaration (constructor_declaration (constructor_name) @name) @definition.enum_member
  (#set! native_kind "constructor"))
(field_declaration (field_name) @name (#set! native_kind "field")) @definition.field
; the tags of a polymorphic variant type (`[ `Legacy | `Simplified ]`)
(tag_specification (tag) @name (#set! native_kind "polymorphic variant")) @definition.enum_member
(exception_definition (constructor_declaration (constructor_name) @name)
  (#set! native_kind "exception")) @definition.class

; `let f x = ...`, `let f = fun ...`, `let f = function ...`: functions; other `let`s are
; values (in a function they are locals).
((value_definition . (let_binding pattern: (value_name) @name (parameter) body: (_) @body) .
  (#set! native_kind "let")) @definition.function
  (#not-match? @definition.function "(^|\\n)\\s*and\\s"))
((value_definition . (let_binding pattern: (value_name) @name
                                 body: [(fun_expression) (function_expression)] @body) .
  (#set! native_kind "let")) @definition.function
  (#not-match? @definition.function "(^|\\n)\\s*and\\s"))
((value_definition . (let_binding pattern: (value_name) @name) .
  (#set! native_kind "let")) @definition.variable
  (#not-match? @definition.variable "(^|\\n)\\s*and\\s"))
(let_binding pattern: (value_name) @name (parameter) body: (_) @body
  (#set! native_kind "let")) @definition.function
(let_binding pattern: (value_name) @name body: [(fun_expression) (function_expression)] @body
  (#set! native_kind "let")) @definition.function
(let_binding pattern: (value_name) @name (#set! native_kind "let")) @definition.variable
(let_binding pattern: (tuple_pattern (value_name) @name) (#set! native_kind "let"))
  @definition.variable
; `let ( ++ ) a b = ...`: an operator, named as written between its parentheses
(let_binding pattern: (parenthesized_operator) @name (parameter) body: (_) @body
  (#set! name_strip "() ") (#set! native_kind "let")) @definition.function
(let_binding pattern: (parenthesized_operator) @name body: (_) @body
  (#set! name_strip "() ") (#set! native_kind "let")) @definition.function

; Signatures: `val f : t` in a .mli or a module type, `external f : t = "c_name"`.
(value_specification (value_name) @name (#set! native_kind "val")) @definition.function
(value_specification (parenthesized_operator) @name (#set! name_strip "() ")
  (#set! native_kind "val")) @definition.function
(external (value_name) @name (#set! native_kind "external")) @definition.function

; Classes and objects.
((class_definition . (class_binding (class_name) @name body: (_)? @body) .
  (#set! native_kind "class")) @definition.class
  (#not-match? @definition.class "(^|\\n)\\s*and\\s"))
(class_binding (class_name) @name body: (_)? @body (#set! native_kind "class")) @definition.class
(class_type_binding (class_type_name) @name (#set! native_kind "class type")) @definition.interface
(method_definition (method_name) @name body: (_)? @body (#set! native_kind "method"))
  @definition.method
(method_specification (method_name) @name (#set! native_kind "method")) @definition.method
(instance_variable_definition (instance_variable_name) @name (#set! native_kind "val"))
  @definition.field
