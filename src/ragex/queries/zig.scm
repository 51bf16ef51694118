; Zig definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A Zig type is a value: `const Point = struct { ... }` names a struct; a file is itself
; a struct, so its top-level declarations are its members.

; `const std = @import("std")`
((variable_declaration (identifier) @name (builtin_function (builtin_identifier) @_i))
  @definition.import (#eq? @_i "@import") (#set! native_kind "@import"))

(variable_declaration (identifier) @name (struct_declaration "{" @body)
  (#set! native_kind "struct")) @definition.struct
(variable_declaration (identifier) @name (union_declaration "{" @body)
  (#set! native_kind "union")) @definition.struct
(variable_declaration (identifier) @name (opaque_declaration "{" @body)
  (#set! native_kind "opaque")) @definition.struct
(variable_declaration (identifier) @name (enum_declaration "{" @body)
  (#set! native_kind "enum")) @definition.enum
(variable_declaration (identifier) @name (error_set_declaration "{" @body)
  (#set! native_kind "error set")) @definition.enum

(enum_declaration (container_field name: (identifier) @name) @definition.enum_member
  (#set! native_kind "field"))
(error_set_declaration (identifier) @name @definition.enum_member (#set! native_kind "error"))
(container_field name: (identifier) @name (#set! native_kind "field")) @definition.field

(function_declaration name: (identifier) @name body: (block)? @body
  (#set! native_kind "fn")) @definition.function
; `test "name" { ... }`
(test_declaration (string (string_content) @name) (block) @body
  (#set! native_kind "test")) @definition.function

; Other declarations: `const` values are constants, `var` variables (in a function they
; are locals).
(variable_declaration "const" . (identifier) @name (#set! native_kind "const"))
  @definition.constant
(variable_declaration "var" . (identifier) @name (#set! native_kind "var")) @definition.variable
