"""Every registry language has fixtures, and each extracts to exactly its expected file.

A language is data (docs/queries.md): a query file, a registry row, and here a folder
`tests/fixtures/languages/<registry name>/` of source files, each with a reviewed
`<file>.expected` beside it (the format is described in conftest.py). This module reads
the registry itself, so a new row is tested without editing a test file; a row without a
fixture fails. `pytest tests/test_languages.py --update-expected` writes the expected
files from what ragex extracts now; review them (git diff) before committing.
"""

from pathlib import Path

import pytest
from conftest import (EXPECTED_SUFFIX, FIXTURES, REFS_SUFFIX, expected_line, expected_record,
                      fixture_files, fixture_id, fixture_language, read_expected,
                      write_expected)

from ragex.extract import ExtractionTask, extract_file
from ragex.languages import BY_NAME, LANGUAGES, language_for_path

_HOW_TO_UPDATE = ("run `pytest tests/test_languages.py --update-expected` to write it from "
                  "what ragex extracts now, review it, then commit it")


@pytest.mark.parametrize("spec", LANGUAGES, ids=lambda spec: spec.name)
def test_every_language_has_a_fixture(spec):
    assert fixture_files(spec.name), (
        f"language {spec.name!r} has no fixture: add a source file in that language under "
        f"tests/fixtures/languages/{spec.name}/ (a name that detects as {spec.name!r}, "
        f"e.g. example{spec.extensions[0] if spec.extensions else ''}), then {_HOW_TO_UPDATE}")


def test_every_fixture_folder_is_a_registry_language():
    folders = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    unknown = folders - set(BY_NAME)
    assert not unknown, f"fixture folders named after no registry row: {sorted(unknown)}"


def test_every_expected_file_has_its_fixture():
    def source(path):  # `x.py.expected` and `x.py.refs.expected` (test_refs_languages.py)
        suffix = REFS_SUFFIX if path.name.endswith(REFS_SUFFIX) else EXPECTED_SUFFIX
        return path.with_name(path.name[:-len(suffix)])

    orphans = [fixture_id(path) for path in FIXTURES.rglob("*" + EXPECTED_SUFFIX)
               if not source(path).is_file()]
    assert not orphans, f"expected files whose source file is gone: {orphans}"


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
def test_fixture_detects_as_its_language(path):
    language = fixture_language(path)
    rel = path.relative_to(FIXTURES / language).as_posix()
    head = path.read_bytes()[:8192]  # as much as extract_file reads to detect
    assert language_for_path(rel, head) == language, (
        f"{fixture_id(path)} does not detect as {language!r}: give it a file name (extension, "
        "known file name or #! line) that does; a `.h` is C++ only when its text looks so")


def _extract(path: Path):
    language = fixture_language(path)
    rel = path.relative_to(FIXTURES / language).as_posix()
    result = extract_file(ExtractionTask(str(path), rel))  # the language is detected
    assert (result.status, result.error) == ("ok", None), fixture_id(path)
    assert result.warning is None, f"{fixture_id(path)}: {result.warning}"
    assert result.language == language
    assert result.symbols, f"{fixture_id(path)} defines nothing: a fixture shows the query"
    assert {s.path for s in result.symbols} == {rel}
    assert language in {s.language for s in result.symbols}
    if BY_NAME[language].injections is None:  # else code of other languages is embedded
        assert {s.language for s in result.symbols} == {language}
    return result.symbols


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
def test_fixture_extracts_to_its_expected_file(path, update_expected):
    symbols = _extract(path)
    expected = path.with_name(path.name + EXPECTED_SUFFIX)
    if update_expected:
        write_expected(expected, symbols, fixture_language(path))
        pytest.skip(f"wrote {fixture_id(expected)}: review it before committing")
    assert expected.is_file(), f"{fixture_id(path)} has no expected file: {_HOW_TO_UPDATE}"
    got = [expected_line(expected_record(s, fixture_language(path))) for s in symbols]
    assert got == read_expected(expected), (
        f"{fixture_id(path)} no longer extracts to {fixture_id(expected)}; if the change is "
        "meant, rerun with --update-expected and review the diff")


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
def test_fixture_byte_offsets_follow_lines_and_columns(path):
    source = path.read_bytes()
    line_starts = [0] + [i + 1 for i, byte in enumerate(source) if byte == ord("\n")]
    for s in _extract(path):
        assert line_starts[s.start_line - 1] + s.start_col == s.start_byte, s
        assert line_starts[s.end_line - 1] + s.end_col == s.end_byte, s


@pytest.mark.parametrize("row, grammar, install", [
    ("go", ("tree_sitter_no_such_go", "language"), "pip install tree-sitter-no-such-go"),
    ("r", ("tree_sitter_no_such_pack.bindings.r", "language"), "pip install 'ragex[r-proto]'"),
])
def test_a_missing_grammar_skips_its_language_naming_what_installs_it(monkeypatch, row, grammar,
                                                                     install):
    import dataclasses

    from ragex import parser_pool
    from ragex.parser_pool import LanguageUnavailable, SharedParserPool

    monkeypatch.setitem(parser_pool.BY_NAME, row,
                        dataclasses.replace(BY_NAME[row], grammar=grammar))
    with pytest.raises(LanguageUnavailable) as caught:
        SharedParserPool().get(row)
    assert f"language {row} unavailable" in str(caught.value)
    assert f"its grammar is not installed: {install}" in str(caught.value)
