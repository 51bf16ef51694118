; PowerShell definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

((function_statement (function_name) @name (script_block) @body) @definition.function
  (#match? @definition.function "(?i)^filter") (#set! native_kind "filter"))
((function_statement (function_name) @name (script_block) @body) @definition.function
  (#match? @definition.function "(?i)^workflow") (#set! native_kind "workflow"))
(function_statement (function_name) @name (script_block) @body
  (#set! native_kind "function")) @definition.function

(class_statement . (simple_name) @name "{" @body (#set! native_kind "class")) @definition.class
; a method named like its class is a constructor (the registry row's
; self_named_constructor)
(class_method_definition (simple_name) @name (script_block) @body
  (#set! native_kind "method")) @definition.method
(class_property_definition (variable) @name (#set! name_strip "$")
  (#set! native_kind "property")) @definition.field
(enum_statement . (simple_name) @name "{" @body (#set! native_kind "enum")) @definition.enum
(enum_member (simple_name) @name (#set! native_kind "member")) @definition.enum_member

; Modules and scripts loaded: `Import-Module X`, `using module X`, `using namespace X`,
; dot-sourcing `. ./file.ps1`.
((command command_name: (command_name) @_c
   command_elements: (command_elements . (command_argument_sep)? . (generic_token) @name))
  @definition.import
  (#match? @_c "(?i)^(import-module|ipmo)$") (#set! native_kind "Import-Module"))
((command command_name: (command_name) @_c
   command_elements: (command_elements (generic_token) @_k (command_argument_sep) (generic_token) @name))
  @definition.import
  (#match? @_c "(?i)^using$") (#match? @_k "(?i)^(module|namespace|assembly)$")
  (#set! native_kind "using"))
(command (command_invokation_operator) @_dot command_name: (command_name_expr) @name
  (#eq? @_dot ".") (#set! name_strip "\"'") (#set! native_kind "dot-source")) @definition.import

; Variables assigned at the top of the script (in a function they are locals).
(program (statement_list (pipeline (assignment_expression
  (left_assignment_expression (logical_expression (bitwise_expression (comparison_expression
    (additive_expression (multiplicative_expression (format_expression (range_expression
      (array_literal_expression (unary_expression (variable) @name)))))))))))
  @definition.variable))
  (#set! name_strip "$") (#set! native_kind "variable"))
