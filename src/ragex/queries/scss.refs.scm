; SCSS references, stacked on css.refs.scm. Capture contract: docs/queries.md,
; "References". The grammar wheel ships no tags.scm.

; `@use "sass:math"`, `@use "base"`, `@forward "x"`: a module's members
(use_statement (string_value) @import.all) @import
(forward_statement (string_value) @import.all) @import

; `@include button-variant($x)` calls a mixin; `rem(16px)`, `math.div(a, b)` a function
(include_statement (identifier) @reference.call)
(call_expression (function_name) @reference.call (#not-eq? @reference.call "var"))

; `@extend .btn`, `@extend %placeholder`: a rule extends another
(extend_statement [(class_selector) (id_selector) (placeholder)] @reference.inherit)

; `$primary`: a variable (kept when the file defines it: most are a mixin's parameters)
(variable) @reference.value
