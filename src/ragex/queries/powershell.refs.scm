; PowerShell references. Capture contract: docs/queries.md, "References". The grammar
; wheel ships no tags.scm.

; Dot-sourcing `. .\lib.ps1` (its functions become visible); `Import-Module X`
(command (command_invokation_operator) @_dot
  command_name: (command_name_expr (command_name) @import.all)
  (#eq? @_dot ".")) @import
(command command_name: (command_name) @_import
  command_elements: (command_elements . (command_argument_sep)? . (generic_token)
    @reference.import)
  (#match? @_import "^[Ii]mport-[Mm]odule$")) @import

; Commands and calls: `Get-Thing -Id 1`, `& f`, `$obj.M(x)`, `[Type]::M(x)`
((command command_name: (command_name) @reference.call)
  (#not-match? @reference.call "^([Ii]mport-[Mm]odule|using)$"))
(command (command_invokation_operator) @_call
  command_name: (command_name_expr (command_name) @reference.call) (#eq? @_call "&"))
(invokation_expression . (_) @qualifier (member_name (simple_name) @reference.call)
  (argument_list))

; Classes: `class A : B, I` (a base class and interfaces, not told apart)
(class_statement . (simple_name) (simple_name) @reference.inherit)

; Types: `[int]`, `[Shape]::new()`, `[string]$x`
(type_name (type_identifier) @reference.type)
