; CSS references (SCSS stacks scss.refs.scm on these). Capture contract: docs/queries.md,
; "References". The grammar wheel ships no tags.scm. A selector defines a rule (ragex
; reports rules as definitions), so the references are what names a definition elsewhere:
; `var(--x)` a custom property, `@import` a stylesheet.

; `@import url("base.css")`, `@import "base.css"`: the file's rules and properties
(import_statement [
  (string_value) @import.all
  (call_expression (arguments (string_value) @import.all))]) @import

; `var(--brand-color)`: a custom property (a `--x:` declaration, anywhere: they cascade)
(call_expression (function_name) @_var (arguments . (plain_value) @reference.value)
  (#eq? @_var "var"))
