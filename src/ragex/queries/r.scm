; R definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A function is a name bound to `function(...)` by `<-`, `<<-` or `=` (`` `%+%` ``
; is named with its backquotes, as R and ctags write it). Classes are what the three
; class systems create by a call: S4 `setClass("A", ...)` and `setRefClass("A", ...)`
; (named by their string; the members of a reference class's `fields`/`methods` lists are
; its fields and methods), R6 `A <- R6Class("A", public = list(...))` (named by the
; variable the class object is bound to; the members of its `public`/`private`/`active`
; lists are its methods and fields); S4 `setGeneric("f", ...)` is a function,
; `setMethod("f", "A", ...)` a method of the class `A` (of no class when its signature is
; not one string). `library(x)`,
; `require(x)`, `requireNamespace("x")` and `source("f.R")` are imports. Variables are
; the file's top-level bindings (in a function they are locals).

; R6: `A <- R6Class("A", public = list(f = function() ..., x = 0))`.
((binary_operator lhs: (identifier) @name operator: ["<-" "<<-" "="]
  rhs: (call function: (identifier) @_f arguments: (_) @body)) @definition.class
  (#eq? @_f "R6Class") (#set! native_kind "R6Class"))
(call function: (identifier) @_f
  arguments: (arguments (argument name: (identifier) @_section
    value: (call arguments: (arguments
      (argument name: (identifier) @name value: (function_definition body: (_) @body))
        @definition.function))))
  (#any-of? @_f "R6Class" "setRefClass") (#any-of? @_section "public" "private" "active" "methods")
  (#set! native_kind "method"))
(call function: (identifier) @_f
  arguments: (arguments (argument name: (identifier) @_section
    value: (call arguments: (arguments (argument name: (identifier) @name) @definition.variable))))
  (#any-of? @_f "R6Class" "setRefClass") (#any-of? @_section "public" "private" "active" "fields")
  (#set! native_kind "field"))

; S4 and reference classes, generics and methods: the first argument, a string, names them
; (the class, not the variable its generator may be kept in: `A <- setClass("A", ...)`
; defines the class `A` once, and `gen <- setClass("B")` the class `B`).
((binary_operator lhs: (identifier) @name operator: ["<-" "<<-" "="]
  rhs: (call function: (identifier) @_f)) @definition.variable
  (#any-of? @_f "setClass" "setRefClass") (#set! skip "true"))
((call function: (identifier) @_f
  arguments: (arguments . (argument value: (string (string_content) @name)))) @definition.class
  (#eq? @_f "setClass") (#set! native_kind "setClass") (#set! signature "first_line"))
((call function: (identifier) @_f
  arguments: (arguments . (argument value: (string (string_content) @name)))) @definition.class
  (#eq? @_f "setRefClass") (#set! native_kind "setRefClass") (#set! signature "first_line"))
((call function: (identifier) @_f
  arguments: (arguments . (argument value: (string (string_content) @name)))) @definition.function
  (#eq? @_f "setGeneric") (#set! native_kind "generic") (#set! signature "first_line"))
((call function: (identifier) @_f
  arguments: (arguments . (argument value: (string (string_content) @name))
    . (comma) . (argument value: (string (string_content) @scope)))) @definition.method
  (#eq? @_f "setMethod") (#set! native_kind "setMethod") (#set! signature "first_line"))
((call function: (identifier) @_f
  arguments: (arguments . (argument value: (string (string_content) @name)))) @definition.function
  (#eq? @_f "setMethod") (#set! native_kind "setMethod") (#set! signature "first_line"))

; Functions: `f <- function(x) ...`, `f = function`, `f <<- function` (`function(x) x -> f`
; is no function: R reads the assignment as the function's body).
(binary_operator lhs: [(identifier) (string)] @name operator: ["<-" "<<-" "="]
  rhs: (function_definition body: (_) @body) (#set! native_kind "function")
  (#set! name_strip "\"'")) @definition.function

; Imports, named by the package or the file.
((call function: (identifier) @_f
  arguments: (arguments . (argument value: [(identifier) @name (string (string_content) @name)])))
  @definition.import
  (#any-of? @_f "library" "require" "requireNamespace" "source" "sys.source")
  (#set! native_kind "library"))

; The file's top-level bindings.
(program (binary_operator lhs: (identifier) @name operator: ["<-" "<<-" "="])
  @definition.variable (#set! native_kind "variable"))
(program (binary_operator operator: ["->" "->>"] rhs: (identifier) @name)
  @definition.variable (#set! native_kind "variable"))
