"""HTML, Vue and Svelte: ids, anchors and headings of the markup; a component named after
its file; script and style blocks embedded (test_embedded.py has the general rules)."""

from conftest import fixture_source, rows


def test_html_reports_ids_anchors_and_headings(extract):
    symbols = extract("html", fixture_source("html", "page.html"))
    html = [(s.kind, s.native_kind, s.name) for s in symbols if s.language == "html"]
    assert html == [("field", "id", "top"), ("section", "h1", "Welcome"),
                    ("field", "id", "main-nav"), ("field", "anchor", "anchor1"),
                    ("section", "h2", "Install"), ("field", "id", "query"),
                    ("field", "id", "results")]
    assert {s.signature for s in symbols if s.name == "main-nav"} == \
        {'<nav id="main-nav" class="menu">'}


def test_vue_component_is_named_after_its_file_and_holds_its_scripts(extract):
    symbols = extract("vue", fixture_source("vue", "TodoList.vue"), path="src/TodoList.vue")
    assert rows(symbols, "kind", "qualified_name", "language")[:2] == [
        ("class", "TodoList", "vue"), ("field", "TodoList.todo-app", "vue")]
    assert ("function", "TodoList.addTodo", "javascript") in \
        rows(symbols, "kind", "qualified_name", "language")
    assert ("variable", "TodoList.$accent", "scss") in \
        rows(symbols, "kind", "qualified_name", "language")


def test_svelte_component_scripts_and_styles(extract):
    symbols = extract("svelte", fixture_source("svelte", "Counter.svelte"), path="Counter.svelte")
    assert rows(symbols, "kind", "qualified_name", "language")[0] == \
        ("class", "Counter", "svelte")
    by_name = {s.qualified_name: s for s in symbols}
    assert by_name["Counter.increment"].language == "typescript"  # <script lang="ts">
    assert by_name["Counter.prerender"].modifiers == ("exported",)  # context="module"
    assert by_name["Counter..big"].language == "css"
    assert by_name["Counter.title"].native_kind == "id"


def test_options_api_methods_are_members_of_the_component(extract):
    vue = ("<script>\nexport default {\n  name: 'Pager',\n  data() { return {}; },\n"
           "  methods: {\n    next() {},\n    prev: function () {},\n  },\n"
           "  computed: { total: () => 3 },\n  props: { size: Number },\n};\n</script>\n")
    symbols = extract("vue", vue, path="Pager.vue")
    assert rows(symbols, "kind", "qualified_name", "language")[1:] == [
        ("method", "Pager.data", "javascript"), ("method", "Pager.next", "javascript"),
        ("method", "Pager.prev", "javascript"), ("method", "Pager.total", "javascript")]
    wrapped = extract("javascript", "export default defineComponent({ setup() {} });\n")
    assert rows(wrapped, "kind", "qualified_name", "native_kind") == [
        ("method", "setup", "object_method")]

