"""Markdown: headings as sections nested by level; fenced code read as its language."""

from conftest import fixture_source, rows


def test_atx_sections_nest_by_level(extract):
    symbols = extract("markdown", "# A\n\n## B\n\ntext\n\n### C\n\n## D\n\n# E\n")
    assert rows(symbols) == [
        ("section", "A", None, 1, 10), ("section", "A.B", "A", 3, 8),
        ("section", "A.B.C", "A.B", 7, 8), ("section", "A.D", "A", 9, 10),
        ("section", "E", None, 11, 11)]
    assert [s.native_kind for s in symbols] == ["h1", "h2", "h3", "h2", "h1"]
    assert [s.signature for s in symbols][:2] == ["# A", "## B"]


def test_setext_headings_are_their_own_line(extract):
    symbols = extract("markdown", "Title\n=====\n\nSub\n---\n")
    assert rows(symbols, "kind", "name", "native_kind", "start_line", "end_line") == [
        ("section", "Title", "h1", 1, 2), ("section", "Sub", "h2", 4, 5)]


def test_fences_of_the_fixture_are_read_as_their_languages(extract):
    symbols = extract("markdown", fixture_source("markdown", "README.md"))
    embedded = [(s.language, s.qualified_name) for s in symbols if s.language != "markdown"]
    assert embedded == [("python", "greet"), ("python", "Greeter"), ("python", "Greeter.run"),
                        ("javascript", "inList"), ("ruby", "quoted"), ("html", "html-block")]
