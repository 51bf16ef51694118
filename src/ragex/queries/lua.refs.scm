; Lua references. Capture contract: docs/queries.md, "References". Extends the grammar
; wheel's tags.scm (calls by name, field and method) with qualifiers, `require` and values.

; `local m = require("a.b")` binds the module to m; a bare `require "a.b"` loads it
(assignment_statement
  (variable_list . name: (identifier) @import.namespace .)
  (expression_list . value: (function_call
    name: (identifier) @_require
    arguments: (arguments . (string content: (string_content) @import.from)))
  .)
  (#eq? @_require "require")) @import
(chunk (function_call
  name: (identifier) @_require
  arguments: (arguments . (string content: (string_content) @reference.import))) @import
  (#eq? @_require "require"))
(block (function_call
  name: (identifier) @_require
  arguments: (arguments . (string content: (string_content) @reference.import))) @import
  (#eq? @_require "require"))

; Calls: `f()`, `t.f()`, `obj:m()`, `a.b.c()` (`require` too: a function called)
(function_call name: (identifier) @reference.call)
(function_call name: [
  (dot_index_expression field: (identifier) @reference.call)
  (method_index_expression method: (identifier) @reference.call)] @qualified)

; A defined name used as a value (kept when the file defines or imports it): arguments
; (`setmetatable(o, Shape)`, callbacks), assigned and returned values
(arguments [
  (identifier) @reference.value
  (dot_index_expression field: (identifier) @reference.value) @qualified])
(expression_list [
  (identifier) @reference.value
  (dot_index_expression field: (identifier) @reference.value) @qualified])
(return_statement (expression_list (identifier) @reference.value))
