; A Vue single-file component or a Svelte component, stacked on html.scm (the markup's
; ids and headings): the component itself, a class named after the file (`TodoList.vue`
; is `TodoList`, `Counter.svelte` is `Counter`), which the definitions of its <script>
; blocks are members of (docs/languages.md, "Embedded languages"). There is no Vue
; grammar on PyPI: the HTML grammar reads a `.vue` file, whose <template>, <script> and
; <style> blocks are elements to it. Capture contract: docs/queries.md.

((document) @definition.class (#set! name_from "file") (#set! native_kind "component"))
