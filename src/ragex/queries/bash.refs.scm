; Shell (bash, sh, zsh, ksh) references. Capture contract: docs/queries.md, "References".
; The grammar wheel ships no tags.scm.

; `source lib.sh`, `. ./lib.sh`: the file's functions and variables become visible (a
; path with an expansion in it names no file ragex can find)
(command name: (command_name (word) @_source)
  argument: [(word) (raw_string)] @import.all
  (#any-of? @_source "source" ".")) @import

; Commands: a function, a builtin or a program run (`f x`, `$(f)`, `f | g`)
((command name: (command_name (word) @reference.call))
  (#not-match? @reference.call "^(source|[.])$"))

; Variables expanded (`$X`, `${X:-y}`): kept when the file defines the name
(simple_expansion (variable_name) @reference.value)
(expansion (variable_name) @reference.value)
