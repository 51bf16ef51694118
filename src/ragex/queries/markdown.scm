; Markdown definitions: headings, kind section, named by their text; native_kind is the
; level (`h2`). An ATX heading (`## Install`) is the section it opens, up to the next
; heading of its level or above (tree-sitter-markdown's `section` node), so sections nest
; by level: `Usage.Install.From source`. A setext heading (underlined with `===` or
; `---`) is the heading alone (the grammar opens no section for it). The signature is the
; heading line. Code in fenced blocks and raw HTML blocks: markdown_injections.scm.
; Capture contract: docs/queries.md.

(section (atx_heading (atx_h1_marker) heading_content: (inline) @name)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h1")) @definition.section
(section (atx_heading (atx_h2_marker) heading_content: (inline) @name)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h2")) @definition.section
(section (atx_heading (atx_h3_marker) heading_content: (inline) @name)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h3")) @definition.section
(section (atx_heading (atx_h4_marker) heading_content: (inline) @name)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h4")) @definition.section
(section (atx_heading (atx_h5_marker) heading_content: (inline) @name)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h5")) @definition.section
(section (atx_heading (atx_h6_marker) heading_content: (inline) @name)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h6")) @definition.section

(setext_heading heading_content: (paragraph (inline) @name) (setext_h1_underline)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h1")) @definition.section
(setext_heading heading_content: (paragraph (inline) @name) (setext_h2_underline)
  (#set! name_collapse "true") (#set! signature "first_line")
  (#set! native_kind "h2")) @definition.section
