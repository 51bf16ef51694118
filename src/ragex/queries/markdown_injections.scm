; Code embedded in Markdown: fenced code blocks whose info string names a language ragex
; reads (```python, ```ts, ```{.js}), and raw HTML blocks. tree-sitter's injection
; captures (src/ragex/embedded.py); the content's child nodes (the `> ` of a block quote)
; are left out of the embedded code. Indented code blocks name no language: not read.

(fenced_code_block
  (info_string (language) @injection.language)
  (code_fence_content) @injection.content)

((html_block) @injection.content
  (#set! injection.language "html"))
