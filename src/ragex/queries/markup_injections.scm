; Code embedded in HTML, Vue and Svelte files: <script> and <style> blocks. tree-sitter's
; injection captures (src/ragex/embedded.py): @injection.content holds the code,
; @injection.language (or `#set! injection.language`) names its language, read as a
; Markdown fence's info string or a media type is (`ts`, `text/typescript`). For a block
; found by several patterns the first one written wins.

; <script lang="ts">, <script lang="tsx"> (Vue, Svelte)
(script_element
  (start_tag (attribute (attribute_name) @_attr
    [(attribute_value) @injection.language
     (quoted_attribute_value (attribute_value) @injection.language)]))
  (raw_text) @injection.content
  (#eq? @_attr "lang"))
; <script type="module">
(script_element
  (start_tag (attribute (attribute_name) @_attr
    [(attribute_value) @_type (quoted_attribute_value (attribute_value) @_type)]))
  (raw_text) @injection.content
  (#eq? @_attr "type") (#eq? @_type "module")
  (#set! injection.language "javascript"))
; <script type="text/javascript">, "text/typescript"; "text/template" and other types
; ragex does not read are passed over
(script_element
  (start_tag (attribute (attribute_name) @_attr
    [(attribute_value) @injection.language
     (quoted_attribute_value (attribute_value) @injection.language)]))
  (raw_text) @injection.content
  (#eq? @_attr "type"))
; any other <script> is JavaScript
((script_element (raw_text) @injection.content)
  (#set! injection.language "javascript"))

; <style lang="scss">; any other <style> is CSS
(style_element
  (start_tag (attribute (attribute_name) @_attr
    [(attribute_value) @injection.language
     (quoted_attribute_value (attribute_value) @injection.language)]))
  (raw_text) @injection.content
  (#eq? @_attr "lang"))
((style_element (raw_text) @injection.content)
  (#set! injection.language "css"))
