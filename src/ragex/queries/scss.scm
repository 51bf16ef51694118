; SCSS definitions: css.scm (selectors, custom properties, @keyframes) plus variables,
; mixins, functions and placeholder selectors. Capture contract: docs/queries.md.
; These patterns come before css.scm's (docs/queries.md, "Stacked query files"): a
; `%placeholder` is named a placeholder, not a plain selector.
;
; `$name: value` is a variable (a field of the rule it is declared in, like a custom
; property); `@mixin` and `@function` are functions (native_kind says which);
; `%name { ... }` is a class (native_kind `placeholder`). Not definitions: `@include`,
; `@extend`, `@use`/`@forward` (module imports), `@each`/`@if` blocks (rules inside them
; are reported). tree-sitter-scss 1.0 does not parse `!default`, `@extend %x` and map
; literals `(a: 1)`: the declaration holding one is still found, with a syntax warning.

(declaration (property_name) @name (#match? @name "^[$]")
  (#set! native_kind "variable")) @definition.variable

(mixin_statement name: (identifier) @name (block) @body
  (#set! native_kind "mixin")) @definition.function
(function_statement name: (identifier) @name (block) @body
  (#set! native_kind "function")) @definition.function

(rule_set (selectors (placeholder) @name) (block) @body
  (#set! native_kind "placeholder")) @definition.class
