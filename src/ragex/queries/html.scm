; HTML definitions, and the markup of Vue and Svelte components (the Vue and Svelte rows
; stack component.scm on this file: every pattern must compile under the tree-sitter-svelte
; grammar too). Capture contract: docs/queries.md. Earlier patterns win a name node.
;
; What a person looks up in markup: an element by its `id` (the target of a `#id` link,
; a CSS `#id` rule, `getElementById`; kind field, native_kind `id`; a Svelte expression
; `id="{labelId}"` is named as written, as ctags names it) and a named anchor
; (`<a name="x">`, native_kind `anchor`), whose definition is the start tag (as
; universal-ctags, a flat list); a heading (`<h2>`, kind section, native_kind its tag),
; named by and defined as its first text, or the first text of its first child element
; (`<h3><a href="x">Contents</a></h3>`): not the element, so that an id on the heading
; (`<h2 id="install">Install</h2>`) is no member of it. The code of <script> and <style>
; blocks is embedded code (markup_injections.scm, docs/languages.md).
;
; Speed: a pattern rooted at `element` keeps a state open for every element around the
; nodes it visits; rooted at a tag it does not (5x faster on the Python documentation). The names are compared with #any-of?, a C string comparison, not with a
; regular expression.

([(start_tag (attribute (attribute_name) @_attr
    [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)]))
  (self_closing_tag (attribute (attribute_name) @_attr
    [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)]))]
  @definition.field
  (#any-of? @_attr "id" "ID" "Id") (#set! native_kind "id"))

((start_tag (tag_name) @_tag (attribute (attribute_name) @_attr
    [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)]))
  @definition.field
  (#any-of? @_tag "a" "A") (#any-of? @_attr "name" "NAME" "Name")
  (#set! native_kind "anchor"))

((start_tag (tag_name) @_tag) .
  [(text) @name @definition.section
   (element (start_tag) . (text) @name @definition.section)]
  (#any-of? @_tag "h1" "h2" "h3" "h4" "h5" "h6" "H1" "H2" "H3" "H4" "H5" "H6")
  (#set! name_collapse "true") (#set! native_kind_from "_tag"))
