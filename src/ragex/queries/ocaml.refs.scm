; OCaml references (implementations and interfaces). Capture contract: docs/queries.md,
; "References". The grammar wheel's tags.scm reference patterns, with qualifiers
; (`List.`, `obj#`) and kinds: `open M` imports M's names, `include M` and `inherit c`
; inherit, `module X : S` implements S.

; `open M`, `let open M in`, `M.(...)`: M's names become visible
; (its first name is no other reference: the import starts where it does)
(open_module module: (module_path) @import.all) @import
(open_module module: (module_path . (module_name) @skip))
(open_module module: (module_path . (module_path . (module_name) @skip)))
(open_module module: (module_path . (module_path . (module_path . (module_name) @skip))))

; `include M` (a module's or a signature's items), `inherit c` (a class)
(include_module module: (module_path (module_name) @reference.inherit .))
(include_module_type (module_type_path (module_type_name) @reference.inherit))
(inheritance_definition (class_path (class_name) @reference.inherit))

; Calls: `f x`, `M.f x`, `f @@ x`, `x |> f`, `obj#m`, `new c`; operators (`+.`, `>>=`,
; `!x`, `a.(i)`, `let*`, `match*`) are functions called
(application_expression function: (value_path (value_name) @reference.call) @qualified)
(application_expression function: (value_path (parenthesized_operator (_) @reference.call)))
(infix_expression left: (value_path (value_name) @reference.call) @qualified
  operator: (concat_operator) @_op (#eq? @_op "@@"))
(infix_expression operator: (rel_operator) @_op
  right: (value_path (value_name) @reference.call) @qualified (#eq? @_op "|>"))
(method_invocation (_) @qualifier (method_name) @reference.call)
(new_expression (class_path (class_name) @reference.call) @qualified)
(infix_expression operator: (_) @reference.call)
(prefix_expression operator: (prefix_operator) @reference.call)
(hash_expression operator: (hash_operator) @reference.call)
(indexing_operator_path (indexing_operator) @reference.call)
(value_definition [(let_operator) (let_and_operator)] @reference.call)
(match_expression (match_operator) @reference.call)

; `module X : S`, `(module M : S)`: a module implementing a signature
(module_binding module_type: (module_type_path (module_type_name) @reference.implement)
  @qualified)
(module_type_path (module_type_name) @reference.type) @qualified

; Types, classes, modules, variant constructors and polymorphic variants where named
(type_constructor_path (type_constructor) @reference.type) @qualified
(class_path (class_name) @reference.type) @qualified
(class_type_path (class_type_name) @reference.type) @qualified
(module_path (module_name) @reference.type) @qualified
(extended_module_path (module_name) @reference.type) @qualified
(constructor_path (constructor_name) @reference.type) @qualified
(tag) @reference.type

; Record fields (`r.width`, `{ r with x = 1 }`, `M.(r.x)`): a field's name is no local
; (`@member`: kept whatever the file defines); defined names used as values (kept when the
; file defines the name or the head of its qualifier)
(field_path (field_name) @reference.value @member) @qualified
(value_path (value_name) @reference.value) @qualified
