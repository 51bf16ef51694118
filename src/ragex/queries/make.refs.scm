; Makefile references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm. A rule's prerequisites are what it runs first: calls of the rules
; that make them (a prerequisite that is a source file resolves to nothing).

; `include config.mk`, `-include local.mk`, `sinclude x.mk`
(include_directive filenames: (list (word) @import.all)) @import

; Prerequisites (`app: $(OBJECTS) main.o`); not those of special targets (`.PHONY: all`),
; nor patterns (`%.o: %.c`)
((rule (targets . (word) @_target) normal: (prerequisites (word) @reference.call))
  (#not-match? @_target "^[.]") (#not-match? @reference.call "%"))
((rule (targets . (_)) order_only: (prerequisites (word) @reference.call))
  (#not-match? @reference.call "%"))

; Variables expanded (`$(CC)`, `${CC}`, `$(SRC:.c=.o)`): kept when the file defines them
(variable_reference (word) @reference.value)
(substitution_reference text: (word) @reference.value)
