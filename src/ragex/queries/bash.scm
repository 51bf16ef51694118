; Bash and POSIX sh definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; `f() { ... }`, `function f { ... }`, `function f() ( ... )`.
(function_definition name: (word) @name body: (_) @body
  (#set! native_kind "function")) @definition.function

; `alias ll='ls -l'` (one alias per argument; `name=value` in one word is named up to `=`).
((command name: (command_name (word) @_c)
   argument: (concatenation . (word) @name (#match? @name "^[^=]+=$")))
  @definition.function
  (#eq? @_c "alias") (#set! name_strip "=") (#set! native_kind "alias"))

; `source file` and `. file` read another script: imports, named by the path as written.
((command name: (command_name (word) @_c) . argument: [(word) (string) (raw_string)] @name)
  @definition.import
  (#any-of? @_c "source" ".") (#set! name_strip "\"'") (#set! native_kind "source"))

; Variables set at the top level of the script (in a function they are locals).
; `readonly X=...` (and `declare -r`) make constants.
((program (declaration_command (variable_assignment name: (variable_name) @name))
   @definition.constant)
  (#match? @definition.constant "^(readonly|(declare|typeset)\\s+(-\\w*\\s+)*-\\w*r)")
  (#set! native_kind "readonly"))
(program (declaration_command (variable_assignment name: (variable_name) @name))
  @definition.variable (#set! native_kind "declaration"))
(program (variable_assignment name: (variable_name) @name) @definition.variable
  (#set! native_kind "assignment"))
