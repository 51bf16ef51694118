; Lua definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A module is a table: `function M.f()` and `M.f = function` are functions of `M`
; (@scope), `function M:f()` a method with `self`.

(function_declaration name: (identifier) @name body: (_)? @body
  (#set! native_kind "function")) @definition.function
(function_declaration name: (dot_index_expression table: (_) @scope field: (identifier) @name)
  body: (_)? @body (#set! native_kind "function")) @definition.function
(function_declaration name: (method_index_expression table: (_) @scope method: (identifier) @name)
  body: (_)? @body (#set! native_kind "method")) @definition.method

; `f = function() ... end`, `local f = function`, `M.f = function`, `{ f = function }`.
(assignment_statement
  (variable_list . name: (identifier) @name)
  (expression_list . value: (function_definition body: (_)? @body))
  (#set! native_kind "function")) @definition.function
(assignment_statement
  (variable_list . name: (dot_index_expression table: (_) @scope field: (identifier) @name))
  (expression_list . value: (function_definition body: (_)? @body))
  (#set! native_kind "function")) @definition.function
(field name: (identifier) @name value: (function_definition body: (_)? @body)
  (#set! native_kind "function")) @definition.function

; `local x = require("x")`: an import named by the local name.
(chunk (variable_declaration (assignment_statement
  (variable_list . name: (identifier) @name)
  (expression_list . value: (function_call name: (identifier) @_r)))) @definition.import
  (#eq? @_r "require") (#set! native_kind "require"))

; Variables of the file's top level: `local x = 1`, globals `X = 1`, table fields
; `M.X = 1` (in a function they are locals).
(chunk (variable_declaration (assignment_statement
  (variable_list name: (identifier) @name))) @definition.variable
  (#set! native_kind "local"))
(chunk (variable_declaration (variable_list name: (identifier) @name)) @definition.variable
  (#set! native_kind "local"))
(chunk (assignment_statement (variable_list name: (identifier) @name)) @definition.variable
  (#set! native_kind "global"))
(chunk (assignment_statement (variable_list
  name: (dot_index_expression table: (_) @scope field: (identifier) @name))) @definition.variable
  (#set! native_kind "field"))
