; Makefile definitions (GNU make). Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; Targets are what `make NAME` runs: functions (one per target of a rule; `%.o` pattern
; rules too; special targets such as `.PHONY` are not). Variables are variables, `define`
; blocks macros; `VAR += x` appends to a variable defined elsewhere and defines nothing.

; A target's definition is its `targets` node, not the whole rule: the grammar reads a
; conditional (`ifeq ... endif`) after a rule without recipe as part of that rule's
; recipe, which would make the variables and rules in it locals of the target. A target
; named by a variable (`$(obj)/x.o:`) is named as written. A `targets` node that runs
; over a line end without a backslash is the grammar misreading lines (`else` then the
; `X := y` below it read as the rule `else X: = y`): not a target.
((rule (targets (_) @name) @definition.function)
  (#match? @name "%") (#not-match? @definition.function "[^\\\\]\n")
  (#set! native_kind "pattern rule"))
((rule (targets (_) @name) @definition.function)
  (#not-match? @name "^(\\.[A-Z_]+|[-+=:!?]+)$") (#not-match? @definition.function "[^\\\\]\n")
  (#set! native_kind "target"))

; (`obj-y+= a.o` is read as the name `obj-y+` and `=`: an append too)
((variable_assignment name: (word) @name operator: _ @_op) @definition.variable
  (#not-eq? @_op "+=") (#not-match? @name "[+]$") (#set! native_kind "variable"))
(VPATH_assignment "VPATH" @name (#set! native_kind "variable")) @definition.variable
(define_directive name: (word) @name (raw_text)? @body (#set! native_kind "define"))
  @definition.macro

(include_directive filenames: (list (word) @name) (#set! native_kind "include")) @definition.import
