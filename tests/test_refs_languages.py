"""Every registry language's references: each fixture extracts to its `.refs.expected`.

Beside `tests/fixtures/languages/<lang>/<file>.expected` (the definitions, see
test_languages.py) each fixture has a reviewed `<file>.refs.expected`: one JSON line per
reference (name, kind, qualifier, alias, where, the enclosing definition; format in
conftest.py). `pytest tests/test_refs_languages.py --update-expected` writes them from what
ragex extracts now: review them (git diff) before committing. The registry drives the
test: a row without reference patterns fails unless it declares why it has none
(`refs_none`: data, documents; markup whose references are its embedded code's), as does a
fixture without its file.
"""

from pathlib import Path

import pytest
from conftest import (FIXTURES, REFS_SUFFIX, fixture_files, fixture_id, fixture_language,
                      ref_line, ref_record)

from ragex.extract import ExtractionTask, extract_file
from ragex.languages import BY_NAME, LANGUAGES
from ragex.reference import REF_KINDS, Reference, enclosing

_HOW_TO_UPDATE = ("run `pytest tests/test_refs_languages.py --update-expected` to write it "
                  "from what ragex extracts now, review it, then commit it")


# Languages whose reference patterns are not written yet: an open gap (docs/references.md),
# kept exact here so that it only shrinks. A new row must come with reference patterns or
# declare, with its reason, that it has none (`LanguageSpec.refs_none`).
NOT_DONE = frozenset()


def _declared_none(spec) -> bool:
    """A row that says why it has no references of its own (data, documents, markup)."""
    return bool(spec.refs_none)


@pytest.mark.parametrize("spec", LANGUAGES, ids=lambda spec: spec.name)
def test_every_language_has_reference_patterns(spec):
    if spec.name in NOT_DONE:
        assert not spec.refs_query and not spec.refs_none, (
            f"{spec.name} has reference patterns or a reason for none now: take it out of "
            "NOT_DONE")
        return
    if _declared_none(spec):
        assert not spec.refs_query, f"{spec.name} declares no references but has patterns"
        assert len(spec.refs_none) > 20 and ":" in spec.refs_none, (
            f"{spec.name}: say what kind of language it is and why nothing in it names a "
            f"definition (got {spec.refs_none!r})")
        return
    assert not spec.refs_embedded, f"{spec.name}: refs_embedded is for rows without patterns"
    assert spec.refs_query, (
        f"language {spec.name!r} has no reference query: add queries/{spec.name}.refs.scm "
        "(docs/queries.md, \"References\") and name it in its registry row (`refs_query`), "
        "or declare why it has none (`refs_none`)")


def test_declared_none_is_short_and_named():
    """The rows without patterns of their own, as docs/references.md lists them."""
    declared = {s.name for s in LANGUAGES if _declared_none(s)}
    assert declared == {"html", "vue", "svelte", "markdown", "json", "yaml", "toml"}
    assert {s.name for s in LANGUAGES if s.refs_embedded} == {"html", "vue", "svelte"}


def _extract(path: Path):
    language = fixture_language(path)
    rel = path.relative_to(FIXTURES / language).as_posix()
    result = extract_file(ExtractionTask(str(path), rel))
    assert (result.status, result.error) == ("ok", None), fixture_id(path)
    return result


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
def test_fixture_references_are_its_expected_file(path, update_expected):
    result = _extract(path)
    spec = BY_NAME[fixture_language(path)]
    if spec.name in NOT_DONE or (_declared_none(spec) and not spec.refs_embedded):
        assert result.refs == []  # (nor those of its embedded code: Markdown's examples)
        return
    got = [ref_line(ref_record(ref, around))
           for ref, around in zip(result.refs, enclosing(result.symbols, result.refs))]
    expected = path.with_name(path.name + REFS_SUFFIX)
    if update_expected:
        expected.write_text("".join(line + "\n" for line in got), encoding="utf-8")
        pytest.skip(f"wrote {fixture_id(expected)}: review it before committing")
    assert expected.is_file(), f"{fixture_id(path)} has no {REFS_SUFFIX} file: {_HOW_TO_UPDATE}"
    want = [ref_line(__import__("json").loads(line))
            for line in expected.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert got == want, (
        f"{fixture_id(path)} no longer extracts to {fixture_id(expected)}; if the change is "
        "meant, rerun with --update-expected and review the diff")


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
def test_fixture_references_are_well_formed(path):
    result = _extract(path)
    source = path.read_bytes()
    lines = source.split(b"\n")
    positions = set()
    for row in result.refs:
        ref = Reference(*row)
        assert ref.kind in REF_KINDS, ref
        assert ref.name and ref.name.strip() == ref.name, ref
        assert (ref.line, ref.col) not in positions, f"two references at one place: {ref}"
        positions.add((ref.line, ref.col))
        if ref.kind != "import":  # an import's name is the last part of a path
            text = lines[ref.line - 1][ref.col:].decode("utf-8", "replace")
            assert text.startswith(ref.name), (ref, text)
    assert [(r[4], r[5]) for r in result.refs] == sorted((r[4], r[5]) for r in result.refs)


def test_references_can_be_left_out():
    path = fixture_files("python")[0]
    rel = path.relative_to(FIXTURES / "python").as_posix()
    result = extract_file(ExtractionTask(str(path), rel, references=False))
    assert result.status == "ok" and result.symbols and result.refs == []


def test_status_says_why_a_language_has_no_references(tmp_path, capsys):
    """`ragex status` names the indexed languages without references of their own."""
    from ragex.cli import main

    (tmp_path / "app.py").write_text("def f():\n    return g()\n")
    (tmp_path / "package.json").write_text('{"name": "x"}\n')
    (tmp_path / "Card.vue").write_text(
        '<template><p/></template>\n<script>\nimport { f } from "./u.js";\nf();\n</script>\n')
    assert main(["index", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["status", str(tmp_path), "--json"]) == 0
    status = __import__("json").loads(capsys.readouterr().out)
    assert status["references_none"] == {"json": BY_NAME["json"].refs_none,
                                         "vue": BY_NAME["vue"].refs_none}
    assert status["references_by_language"]["vue"] == {"call": 1, "import": 1}
    assert "json" not in status["references_by_language"]
    assert main(["status", str(tmp_path)]) == 0
    assert "json        no references of its own: data:" in capsys.readouterr().out
