; HTML definitions, and the markup of Vue and Svelte components (vue.scm and svelte.scm
; stack on this file: every pattern must compile under the tree-sitter-svelte grammar
; too). Capture contract: docs/queries.md. Earlier patterns win a name node.
;
; What a person looks up in markup: an element by its `id` (the target of a `#id` link,
; a CSS `#id` rule, `getElementById`), a named anchor (`<a name="x">`), a heading (`<h2>`,
; kind section, named by its first text, or the first text of its first child element
; (`<h3><a href="x">Contents</a></h3>`)). The definition is the element: its signature is
; its start tag. An id of a <script> or <style> element counts too. The code of <script>
; and <style> blocks is embedded code (markup_injections.scm, docs/languages.md).

([(element
   (start_tag (attribute (attribute_name) @_attr
     [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)])) . (_) @body)
  (script_element
   (start_tag (attribute (attribute_name) @_attr
     [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)])) . (_) @body)
  (style_element
   (start_tag (attribute (attribute_name) @_attr
     [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)])) . (_) @body)]
  @definition.field
  (#match? @_attr "^[iI][dD]$") (#set! native_kind "id"))
(element
  [(start_tag (attribute (attribute_name) @_attr
     [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)]))
   (self_closing_tag (attribute (attribute_name) @_attr
     [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)]))]
  (#match? @_attr "^[iI][dD]$") (#set! signature "first_line")
  (#set! native_kind "id")) @definition.field

(element
  (start_tag (tag_name) @_tag (attribute (attribute_name) @_attr
    [(attribute_value) @name (quoted_attribute_value (attribute_value) @name)])) . (_) @body
  (#match? @_tag "^[aA]$") (#match? @_attr "^[nN][aA][mM][eE]$")
  (#set! native_kind "anchor")) @definition.field

(element (start_tag (tag_name) @_tag) .
  [(text) @name (element (start_tag) . (text) @name)]
  (#match? @_tag "^[hH]1$") (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h1")) @definition.section
(element (start_tag (tag_name) @_tag) .
  [(text) @name (element (start_tag) . (text) @name)]
  (#match? @_tag "^[hH]2$") (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h2")) @definition.section
(element (start_tag (tag_name) @_tag) .
  [(text) @name (element (start_tag) . (text) @name)]
  (#match? @_tag "^[hH]3$") (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h3")) @definition.section
(element (start_tag (tag_name) @_tag) .
  [(text) @name (element (start_tag) . (text) @name)]
  (#match? @_tag "^[hH]4$") (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h4")) @definition.section
(element (start_tag (tag_name) @_tag) .
  [(text) @name (element (start_tag) . (text) @name)]
  (#match? @_tag "^[hH]5$") (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h5")) @definition.section
(element (start_tag (tag_name) @_tag) .
  [(text) @name (element (start_tag) . (text) @name)]
  (#match? @_tag "^[hH]6$") (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h6")) @definition.section
