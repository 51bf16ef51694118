; CMake references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm.

; `include(Module)`, `include(cmake/x.cmake)`: a module's commands and variables become
; visible (the `file` import style finds `Module.cmake` by its path's tail)
(normal_command (identifier) @_include
  (argument_list . (argument (unquoted_argument) @import.all))
  (#match? @_include "^[Ii][Nn][Cc][Ll][Uu][Dd][Ee]$")) @import

; Commands called: a function or macro of the project, or CMake's own
((normal_command . (identifier) @reference.call)
  (#not-match? @reference.call "^[Ii][Nn][Cc][Ll][Uu][Dd][Ee]$"))

; Variables expanded (`${X}`, `$ENV{X}`, `$CACHE{X}`): kept when the file defines the name
(variable_ref (_ (variable) @reference.value))
