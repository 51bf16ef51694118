; CMake definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node. Command names are
; case-insensitive, as CMake reads them.

(function_def (function_command (argument_list . (argument) @name)) (body)? @body
  (#set! native_kind "function")) @definition.function
(macro_def (macro_command (argument_list . (argument) @name)) (body)? @body
  (#set! native_kind "macro")) @definition.macro

; Build targets, named as `target_link_libraries` and `make NAME` name them.
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.module
  (#match? @_c "(?i)^add_library$") (#set! native_kind "add_library") (#set! name_path "true"))
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.module
  (#match? @_c "(?i)^add_executable$") (#set! native_kind "add_executable"))
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.module
  (#match? @_c "(?i)^add_custom_target$") (#set! native_kind "add_custom_target"))
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.module
  (#match? @_c "(?i)^project$") (#set! native_kind "project"))

; Variables: `set(X ...)`, `option(X ...)` (in a function they are locals).
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.variable
  (#match? @_c "(?i)^option$") (#set! native_kind "option"))
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.variable
  (#match? @_c "(?i)^set$") (#set! native_kind "set"))

; Modules and directories read: `include(X)`, `find_package(X)`, `add_subdirectory(X)`.
((normal_command (identifier) @_c (argument_list . (argument) @name)) @definition.import
  (#match? @_c "(?i)^(include|find_package|add_subdirectory)$") (#set! name_strip "\"")
  (#set! native_kind "include"))
