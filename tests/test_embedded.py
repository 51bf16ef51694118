"""Embedded code: <script>/<style> blocks and Markdown fences read as their own languages.

The rules are in src/ragex/embedded.py and docs/languages.md ("Embedded languages"): the
symbols keep the host file's lines, columns and bytes and carry their own language; the
first injection pattern written wins a block; an unknown language is passed over; an
unavailable grammar is named in the file's warning.
"""

import pytest

from ragex.extract import ExtractionTask, extract_file, extract_source
from ragex.parser_pool import SharedParserPool


def _symbols(source: str, language: str, path: str = "doc"):
    symbols, _ = extract_source(source.encode(), language, path, pool=SharedParserPool())
    return symbols


def _at(symbols, name):
    (symbol,) = [s for s in symbols if s.name == name]
    return symbol


def test_embedded_symbols_carry_the_host_files_positions_and_their_own_language():
    html = ("<html>\n<body>\n  <p>text</p>\n  <script>\n    const limit = 3;\n"
            "    function  start(a) { return a; }\n  </script>\n"
            "  <style>.btn-primary { color: red; }</style>\n</body>\n</html>\n")
    symbols = _symbols(html, "html", "page.html")
    start = _at(symbols, "start")
    assert (start.language, start.kind, start.path) == ("javascript", "function", "page.html")
    assert (start.start_line, start.start_col, start.name_line, start.name_col) == (6, 4, 6, 14)
    assert html.encode()[start.start_byte:start.end_byte] == b"function  start(a) { return a; }"
    btn = _at(symbols, ".btn-primary")
    assert (btn.language, btn.start_line, btn.start_col) == ("css", 8, 9)
    assert [s.language for s in symbols] == ["javascript", "javascript", "css"]


def test_a_fence_in_a_block_quote_is_read_without_its_quote_markers():
    markdown = "# Doc\n\n> ```python\n> def quoted(x):\n>     return x\n> ```\n"
    symbols = _symbols(markdown, "markdown")
    quoted = _at(symbols, "quoted")
    assert (quoted.language, quoted.kind, quoted.start_line, quoted.start_col) == \
        ("python", "function", 4, 2)
    assert quoted.parent is None and quoted.qualified_name == "quoted"  # no module, no section


@pytest.mark.parametrize("fence, found", [
    ("```js\nfunction a() {}\n```", ["a"]),
    ("```{.python}\ndef a(): pass\n```", ["a"]),
    ("```ts title=\"x.ts\"\nfunction a(): void {}\n```", ["a"]),
    ("```text\nfunction a() {}\n```", []),  # not a language ragex reads
    ("```\nfunction a() {}\n```", []),  # no language named
    ("    function a() {}\n", []),  # indented code names no language
])
def test_which_fences_are_read(fence, found):
    symbols = _symbols("# T\n\n" + fence + "\n", "markdown")
    assert [s.name for s in symbols if s.kind != "section"] == found


@pytest.mark.parametrize("tag, language", [
    ("<script>", "javascript"), ("<script type=\"module\">", "javascript"),
    ("<script lang=\"ts\">", "typescript"), ("<script type=\"text/typescript\">", "typescript"),
    ("<script lang=\"ts\" type=\"module\">", "typescript"),  # `lang` is written first: it wins
    ("<script src=\"x.js\" defer>", "javascript"),
    ("<script type=\"text/template\">", None), ("<script type=\"application/ld+json\">", None),
])
def test_which_script_blocks_are_read_and_as_what(tag, language):
    symbols = _symbols(f"<div>\n{tag}function a() {{}}</script>\n</div>\n", "html")
    assert [s.language for s in symbols if s.name == "a"] == ([language] if language else [])


def test_style_lang_picks_the_style_language():
    vue = "<template><p/></template>\n<style lang=\"scss\">\n$gap: 4px;\n</style>\n"
    symbols = _symbols(vue, "vue", "src/Card.vue")
    gap = _at(symbols, "$gap")
    assert (gap.language, gap.kind, gap.qualified_name, gap.parent) == \
        ("scss", "variable", "Card.$gap", "Card")


def test_component_script_definitions_are_members_of_the_component_and_keep_their_kinds():
    svelte = "<script>\n  export let name;\n  function greet() {}\n</script>\n<h1>Hi</h1>\n"
    symbols = _symbols(svelte, "svelte", "lib/Greeting.svelte")
    assert [(s.kind, s.qualified_name, s.parent) for s in symbols] == [
        ("class", "Greeting", None),
        ("variable", "Greeting.name", "Greeting"),
        ("function", "Greeting.greet", "Greeting"),  # not turned into a method
        ("section", "Greeting.Hi", "Greeting"),
    ]


def test_code_embedded_twice_is_read_and_no_deeper():
    markdown = ("# Page\n\n```html\n<div id=\"app\"></div>\n<script>function boot() {}</script>\n"
                "```\n")
    symbols = _symbols(markdown, "markdown")
    assert [(s.language, s.name) for s in symbols] == [
        ("markdown", "Page"), ("html", "app"), ("javascript", "boot")]
    nested = ("# A\n\n`````markdown\n# B\n\n````markdown\n# C\n\n```markdown\n# D\n```\n"
              "````\n`````\n")
    assert [s.name for s in _symbols(nested, "markdown")] == ["A", "B", "C"]  # D: a third


def test_an_unavailable_embedded_grammar_is_named_in_the_files_warning(tmp_path, monkeypatch):
    page = tmp_path / "page.html"
    page.write_text("<h1 id=\"top\">T</h1>\n<script lang=\"ts\">function a(): void {}</script>\n"
                    "<script lang=\"ts\">function b(): void {}</script>\n<script>function c() {}"
                    "</script>\n")
    monkeypatch.setenv("RAGEX_DEBUG_BREAK_GRAMMAR", "typescript")
    result = extract_file(ExtractionTask(str(page), "page.html"), SharedParserPool())
    assert result.status == "ok"
    assert [s.name for s in result.symbols] == ["top", "T", "c"]
    assert result.warning == ("embedded typescript (line 2) not read: language typescript "
                              "unavailable: ImportError: grammar disabled by "
                              "RAGEX_DEBUG_BREAK_GRAMMAR=typescript")


def test_a_broken_host_grammar_skips_the_file_and_nothing_else(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("# A\n\n```python\ndef f(): pass\n```\n")
    (tmp_path / "b.py").write_text("def g(): pass\n")
    monkeypatch.setenv("RAGEX_DEBUG_BREAK_GRAMMAR", "markdown")
    pool = SharedParserPool()
    md = extract_file(ExtractionTask(str(tmp_path / "a.md"), "a.md"), pool)
    py = extract_file(ExtractionTask(str(tmp_path / "b.py"), "b.py"), pool)
    assert (md.status, md.error) == ("skipped", "language markdown unavailable: ImportError: "
                                     "grammar disabled by RAGEX_DEBUG_BREAK_GRAMMAR=markdown")
    assert py.status == "ok" and [s.name for s in py.symbols if s.kind == "function"] == ["g"]


def test_syntax_errors_in_embedded_code_make_no_warning(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Usage\n\n```python\ndef ok(): pass\nresult = call(...\n```\n")
    result = extract_file(ExtractionTask(str(readme), "README.md"))
    assert (result.status, result.warning) == ("ok", None)
    assert "ok" in [s.name for s in result.symbols]
