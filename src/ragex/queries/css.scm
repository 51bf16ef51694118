; CSS definitions: what a person looks up in a stylesheet. Capture contract: docs/queries.md.
; SCSS stacks this file (scss.scm on css.scm): every pattern must compile under the
; tree-sitter-scss grammar too. Earlier patterns win when two match the same name node.
;
; A rule is reported once per selector of its list (`.btn, a:hover {` gives `.btn` and
; `a:hover`), named by the selector as written (white space collapsed), kind `class` as
; universal-ctags and VS Code's CSS outline call every selector; native_kind says which:
; `class` (`.x`), `id` (`#x`), `selector` (anything else: `div > a`, `:root`, `*`).
; A custom property (`--brand: #369`) is a variable of the rule that declares it (so a
; field of that rule: `:root.--brand`); `@keyframes` is a class named by its name.
; Not definitions: ordinary declarations (`color: red`), `@media`/`@supports` blocks (the
; rules inside them are reported), `@font-face`, `@import`.

(rule_set (selectors (class_selector) @name) (block) @body
  (#set! name_collapse "true") (#set! native_kind "class")) @definition.class
(rule_set (selectors (id_selector) @name) (block) @body
  (#set! name_collapse "true") (#set! native_kind "id")) @definition.class
(rule_set (selectors (_) @name) (block) @body
  (#not-match? @name "^(/[*]|//)")
  (#set! name_collapse "true") (#set! native_kind "selector")) @definition.class

(keyframes_statement (keyframes_name) @name (keyframe_block_list) @body
  (#set! native_kind "keyframes")) @definition.class

(declaration (property_name) @name (#match? @name "^--")
  (#set! native_kind "custom_property")) @definition.variable
