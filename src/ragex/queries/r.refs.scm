; R references. Capture contract: docs/queries.md, "References".

; `library(x)`, `require("x")`, `requireNamespace("x")`: every name the package exports
; becomes visible; `source("f.R")`: every name the file defines
((call function: (identifier) @_f
  arguments: (arguments . (argument value: [(identifier) (string (string_content))]
    @import.all))) @import
  (#any-of? @_f "library" "require" "requireNamespace" "source"))

; Calls: `f(x)`, `pkg::f(x)`, `pkg:::f(x)`, `obj$f(x)` (an import's own call is its import)
((call function: (identifier) @reference.call)
  (#not-match? @reference.call "^(library|require|requireNamespace|source)$"))
(call function: (namespace_operator rhs: (identifier) @reference.call) @qualified)
(call function: (extract_operator rhs: (identifier) @reference.call) @qualified)

; Bases: S4 `setClass("B", contains = "A")`, R6 `R6Class("B", inherit = A)`
(argument name: (identifier) @_k value: (string (string_content) @reference.inherit)
  (#eq? @_k "contains"))
(argument name: (identifier) @_k value: (identifier) @reference.inherit (#eq? @_k "inherit"))
