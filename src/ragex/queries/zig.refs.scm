; Zig references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm.

; `const m = @import("m.zig")` binds the file's struct (its top-level names) to m
(variable_declaration (identifier) @import.namespace
  (builtin_function (builtin_identifier) @_import
    (arguments . (string (string_content) @import.from)))
  (#eq? @_import "@import")) @import

; Calls: `f(x)`, `obj.m(x)`, `std.debug.print(...)`, `T{ .x = 1 }` (a construction)
(call_expression function: (identifier) @reference.call)
(call_expression function: (field_expression member: (identifier) @reference.call)
  @qualified)
(struct_initializer . [
  (identifier) @reference.call
  (field_expression member: (identifier) @reference.call) @qualified])

; Types: parameters', results' and variables' types (`s: Shape`, `!f64`, `*std.mem.T`,
; `?T`, `[]T`)
(parameter type: [
  (identifier) @reference.type
  (field_expression member: (identifier) @reference.type) @qualified])
(_ type: (identifier) @reference.type)
(_ type: (field_expression member: (identifier) @reference.type) @qualified)
(pointer_type [(identifier) @reference.type
  (field_expression member: (identifier) @reference.type) @qualified])
(nullable_type [(identifier) @reference.type
  (field_expression member: (identifier) @reference.type) @qualified])
(slice_type [(identifier) @reference.type
  (field_expression member: (identifier) @reference.type) @qualified])
(array_type [(identifier) @reference.type
  (field_expression member: (identifier) @reference.type) @qualified])
(error_union_type [(identifier) @reference.type
  (field_expression member: (identifier) @reference.type) @qualified])

; A defined name used as a value (kept when the file defines or imports it)
(arguments [
  (identifier) @reference.value
  (field_expression member: (identifier) @reference.value) @qualified])
(initializer_list (identifier) @reference.value)
(variable_declaration (identifier) (field_expression member: (identifier) @reference.value)
  @qualified .)
(return_expression (identifier) @reference.value)
