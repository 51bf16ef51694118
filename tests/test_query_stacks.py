"""Stacked query files: a registry row lists the files it stacks, base first, and the rule
for which pattern wins is the one docs/queries.md writes down ("Stacked query files").

The rule is tested on small made-up stacks (a pattern of the more specific file wins a name
over its base's; below a `; @base` line it loses), the real stacks are checked for copied
patterns, and the fixtures of the stacked languages (test_languages.py) prove that the
split of javascript/typescript and c/cpp into shared bases changed no output.
"""

import re

import pytest

import ragex.parser_pool as parser_pool
from ragex.extract import extract_source
from ragex.languages import LANGUAGES, query_files
from ragex.parser_pool import LanguageUnavailable, SharedParserPool, stack_queries

_DEF = "(function_definition name: (identifier) @name (#set! native_kind \"{}\")) @definition.function\n"
_CLASS = "(class_definition name: (identifier) @name (#set! native_kind \"class\")) @definition.class\n"
_SOURCE = b"def f():\n    pass\n\nclass C:\n    pass\n"


@pytest.fixture
def stacked_python(monkeypatch):
    """extract(files) -> {name: native_kind}: Python source read with a made-up stack of
    query files {name: text}, base first."""

    def run(files: dict[str, str]) -> dict[str, str]:
        monkeypatch.setattr(parser_pool, "read_query_file", lambda name: files[name])
        spec = parser_pool.BY_NAME["python"]
        monkeypatch.setitem(parser_pool.BY_NAME, "python",
                            type(spec)(**{**spec.__dict__, "query": tuple(files), "scan": None}))
        symbols, _ = extract_source(_SOURCE, "python", pool=SharedParserPool())
        return {s.name: s.native_kind for s in symbols}

    return run


def test_the_more_specific_file_wins_a_name_over_its_base(stacked_python):
    got = stacked_python({"base.scm": _DEF.format("base") + _CLASS,
                          "own.scm": _DEF.format("own")})
    assert got == {"f": "own", "C": "class"}  # the base still reports what `own` does not


def test_below_the_base_line_a_pattern_loses_to_the_base(stacked_python):
    got = stacked_python({"base.scm": _DEF.format("base"),
                          "own.scm": "; @base: here\n" + _DEF.format("own") + _CLASS})
    assert got == {"f": "base", "C": "class"}
    got = stacked_python({"base.scm": _DEF.format("base"),
                          "own.scm": _CLASS + "; @base\n" + _DEF.format("own")})
    assert got == {"f": "base", "C": "class"}


def test_three_files_stack_in_order(stacked_python):
    files = {"a.scm": _DEF.format("a"), "b.scm": _DEF.format("b"), "c.scm": _DEF.format("c")}
    assert stacked_python(files) == {"f": "c"}
    files["c.scm"] = "; @base\n" + _DEF.format("c")
    assert stacked_python(files) == {"f": "b"}


@pytest.mark.parametrize("files, problem", [
    ([("a.scm", "; @base\n(x) @y")], "a.scm: a `; @base` line, but it is the first file"),
    ([("a.scm", "(x) @y"), ("b.scm", "; @base\n(x) @y\n; @base\n")],
     "b.scm: more than one `; @base` line"),
])
def test_a_misplaced_base_line_is_an_error_naming_the_file(files, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        stack_queries(files)


def test_a_stack_that_does_not_compile_makes_its_language_unavailable(monkeypatch):
    monkeypatch.setattr(parser_pool, "read_query_file",
                        lambda name: "(no_such_node) @definition.function\n")
    with pytest.raises(LanguageUnavailable, match="language go unavailable"):
        SharedParserPool().get("go")


def _patterns(text: str) -> list[str]:
    """The top-level patterns of a query file, comments dropped, whitespace collapsed."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|;[^\n]*', lambda m: m.group() if m.group()[0] == '"'
                  else "", text)
    out, depth, start = [], 0, 0
    for at, char in enumerate(text):
        if char in "([":
            start = at if depth == 0 else start
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0:
                out.append(" ".join(text[start:at + 1].split()))
    return out


def _families() -> list[set[str]]:
    """Query files grouped by the stacks that join them (c_family.scm, c.scm, cpp.scm, ...):
    the same text in two unrelated grammars (Java's and JavaScript's `class_declaration`)
    is no copy."""
    families: list[set[str]] = []
    for spec in LANGUAGES:
        joined = set(query_files(spec))
        for family in [f for f in families if f & joined]:
            joined |= family
            families.remove(family)
        families.append(joined)
    return families


def test_no_pattern_is_copied_between_query_files_of_one_family():
    """What two stacks share lives once, in their base (docs/queries.md)."""
    copies = []
    for family in _families():
        seen: dict[str, str] = {}
        for name in sorted(family):
            for pattern in _patterns(parser_pool.read_query_file(name)):
                if pattern in seen and seen[pattern] != name:
                    copies.append(f"{seen[pattern]} and {name}: {pattern[:80]}")
                seen.setdefault(pattern, name)
    assert not copies, copies
    assert {"c_family.scm", "c.scm", "cpp.scm", "objc.scm"} in _families()


def test_the_stacked_languages_share_their_bases():
    stacks = {spec.name: query_files(spec) for spec in LANGUAGES}
    assert stacks["javascript"] == ("ecmascript.scm", "javascript.scm")
    assert stacks["typescript"] == stacks["tsx"] == ("ecmascript.scm", "typescript.scm")
    assert stacks["c"] == ("c_family.scm", "c.scm")
    assert stacks["cpp"] == ("c_family.scm", "cpp.scm")
    assert stacks["objc"] == ("c_family.scm", "c.scm", "objc.scm")
    assert stacks["scss"] == ("css.scm", "scss.scm")
    assert stacks["vue"] == stacks["svelte"] == ("html.scm", "component.scm")


def test_members_nest_under_the_type_declared_with_a_field(extract):
    """Two definitions on one node: the one that holds members comes last (C and C++)."""
    source = "struct outer {\n  struct inner { int x; } field;\n};\n"
    for language in ("c", "cpp"):
        by_name = {s.name: s for s in extract(language, source)}
        assert by_name["x"].qualified_name == "outer.inner.x", language
        assert by_name["field"].parent == "outer"


def test_a_changed_query_re_indexes_its_stacks_and_the_hosts_of_embedded_code(monkeypatch):
    from ragex.indexer import _fingerprints, extractor_fingerprints

    _fingerprints.cache_clear()
    before = extractor_fingerprints()
    original = parser_pool.read_query_file
    monkeypatch.setattr(parser_pool, "read_query_file", lambda name: original(name) + (
        "\n; changed\n" if name == "ecmascript.scm" else ""))
    _fingerprints.cache_clear()
    after = extractor_fingerprints()
    _fingerprints.cache_clear()
    changed = {name for name in before if before[name] != after[name]}
    assert {"javascript", "typescript", "tsx", "html", "markdown", "vue", "svelte"} <= changed
    assert not changed & {"python", "go", "c", "cpp", "objc", "css", "scss"}
