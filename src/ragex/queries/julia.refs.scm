; Julia references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm.

; `using M` (all its exported names), `using A.B: f, g` and `import A: f` (f and g),
; `import A.B` (B), `include("x.jl")` (a file, as C's #include)
(using_statement [(identifier) (scoped_identifier)] @import.all) @import
(import_statement [(identifier) (scoped_identifier)] @import.all) @import
(using_statement (selected_import . (_) @import.from (identifier) @reference.import)) @import
(import_statement (selected_import . (_) @import.from (identifier) @reference.import)) @import
(import_statement (import_path) @reference.import) @import
(call_expression . (identifier) @_include
  (argument_list . (string_literal (content) @import.all) .)
  (#eq? @_include "include")) @import

; Calls: `f(x)`, `M.f(x)`, `f!(x)`, `@macro x`, `x |> f`, `f.(xs)` (broadcast)
(call_expression . (identifier) @reference.call (#not-eq? @reference.call "include"))
(call_expression . (field_expression (identifier) @reference.call .) @qualified)
(broadcast_call_expression . (identifier) @reference.call)
(broadcast_call_expression . (field_expression (identifier) @reference.call .) @qualified)
(macrocall_expression (macro_identifier (identifier) @reference.call))
(binary_expression (operator) @_pipe . (identifier) @reference.call (#eq? @_pipe "|>"))

; Subtyping: `struct A <: B`, `abstract type A <: B end`
(type_head (binary_expression (operator) @_sub . [
  (identifier) @reference.inherit
  (parametrized_type_expression . (identifier) @reference.inherit)
  (field_expression (identifier) @reference.inherit .) @qualified]
  (#eq? @_sub "<:")))

; Types: `x::T`, `f()::T`, `Vector{T}`, `where T <: S`
(typed_expression (_) [
  (identifier) @reference.type
  (field_expression (identifier) @reference.type .) @qualified
  (parametrized_type_expression . (identifier) @reference.type)] .)
(parametrized_type_expression . (identifier) @reference.type)
(curly_expression (identifier) @reference.type)

; A defined name used as a value (kept when the file defines or imports it)
(argument_list (identifier) @reference.value)
(named_argument (identifier) (operator) (identifier) @reference.value .)
(assignment (_) (operator) (identifier) @reference.value .)
(return_statement (identifier) @reference.value)
