import json
from pathlib import Path
from typing import Optional

import pytest

from ragex.extract import extract_source

# Source files in each registry language, one folder per registry name; each has a
# `<file>.expected` beside it (see tests/README.md and test_languages.py).
FIXTURES = Path(__file__).parent / "fixtures" / "languages"
EXPECTED_SUFFIX = ".expected"

collect_ignore = ["fixtures"]  # a fixture named test_x.py is source to index, not a test


def pytest_addoption(parser):
    parser.addoption(
        "--update-expected", action="store_true",
        help="write each language fixture's .expected file from what ragex extracts now "
             "(tests/fixtures/languages/); review the diff before committing it")


@pytest.fixture
def update_expected(request):
    return request.config.getoption("--update-expected")


@pytest.fixture
def extract():
    """extract(language, source_text, path=..., module=...) -> list of Symbols (no errors)."""

    def run(language, text, path="fixture", module=None, allow_errors=False):
        data = text.encode() if isinstance(text, str) else text
        symbols, has_errors = extract_source(data, language, path, module=module)
        assert allow_errors or not has_errors, f"fixture has syntax errors for {language}"
        return symbols

    return run


def rows(symbols, *fields):
    """Symbols as tuples of the given fields, for exact comparisons."""
    fields = fields or ("kind", "qualified_name", "parent", "start_line", "end_line")
    return [tuple(getattr(s, f) for f in fields) for s in symbols]


def fixture_source(language: str, name: str) -> str:
    """The text of the fixture `name` of a registry language."""
    return (FIXTURES / language / name).read_bytes().decode("utf-8")


def fixture_files(language: str | None = None) -> list[Path]:
    """The fixture source files of one registry language, or of every fixture folder."""
    folders = [FIXTURES / language] if language else sorted(FIXTURES.iterdir())
    return sorted(path for folder in folders if folder.is_dir()
                  for path in folder.rglob("*")
                  if path.is_file() and not path.name.endswith(EXPECTED_SUFFIX))


def fixture_language(path: Path) -> str:
    """The registry name a fixture is for: the name of its folder under FIXTURES."""
    return path.relative_to(FIXTURES).parts[0]


def fixture_id(path: Path) -> str:
    return path.relative_to(FIXTURES).as_posix()


# ------------------------------------------------------------------ expected records
# One JSON object per line and per symbol, in extraction order. Keys come in this order;
# a key that says nothing new is left out: empty values (no parent, doc, modifiers or
# decorators), a native_kind equal to the kind, a name equal to the qualified name's
# last part. `lines` is start_line-end_line; `cols` start_col-end_col; `name_at` the
# name's line:col-line:col. With these every field of the Symbol is asserted: path and
# language are the fixture's, byte offsets follow from lines and columns.

_KEYS = ("kind", "language", "qualified_name", "parent", "lines", "signature", "doc", "modifiers",
         "decorators", "native_kind", "name", "cols", "name_at")


def expected_record(symbol, file_language: Optional[str] = None) -> dict:
    """The record of one symbol; `language` is kept only when it is not the file's own
    (code embedded in an HTML, Vue, Svelte or Markdown fixture)."""
    record = {
        "kind": symbol.kind,
        "language": symbol.language if symbol.language != file_language else None,
        "qualified_name": symbol.qualified_name,
        "parent": symbol.parent,
        "lines": f"{symbol.start_line}-{symbol.end_line}",
        "signature": symbol.signature,
        "doc": symbol.doc,
        "modifiers": list(symbol.modifiers),
        "decorators": list(symbol.decorators),
        "native_kind": symbol.native_kind,
        "name": symbol.name,
        "cols": f"{symbol.start_col}-{symbol.end_col}",
        "name_at": (f"{symbol.name_line}:{symbol.name_col}-"
                    f"{symbol.name_end_line}:{symbol.name_end_col}"),
    }
    if record["native_kind"] == symbol.kind:
        del record["native_kind"]
    if record["name"] == symbol.qualified_name.rsplit(".", 1)[-1]:
        del record["name"]
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def expected_line(record: dict) -> str:
    """One record as its line in an expected file (also normalises a hand-edited line)."""
    unknown = set(record) - set(_KEYS)
    assert not unknown, f"unknown keys in an expected record: {sorted(unknown)}"
    ordered = {key: record[key] for key in _KEYS if key in record}
    return json.dumps(ordered, ensure_ascii=False)


def read_expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [expected_line(json.loads(line)) for line in lines if line.strip()]


def write_expected(path: Path, symbols, file_language: Optional[str] = None) -> None:
    text = "".join(expected_line(expected_record(s, file_language)) + "\n" for s in symbols)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- expected references
# `<file>.refs.expected` beside a fixture: one JSON object per line and per reference, in
# source order: name, kind, then qualifier and alias when not empty, `at` (line:col of the
# name, col 0-based) and `in` (the qualified name of the enclosing definition, when one).

REFS_SUFFIX = ".refs.expected"
_REF_KEYS = ("name", "kind", "qualifier", "alias", "at", "in")


def ref_record(ref, enclosing) -> dict:
    record = {"name": ref[0], "kind": ref[1], "qualifier": ref[2], "alias": ref[3],
              "at": f"{ref[4]}:{ref[5]}",
              "in": enclosing.qualified_name if enclosing is not None else None}
    return {key: value for key, value in record.items() if value not in (None, "")}


def ref_line(record: dict) -> str:
    unknown = set(record) - set(_REF_KEYS)
    assert not unknown, f"unknown keys in an expected reference: {sorted(unknown)}"
    return json.dumps({key: record[key] for key in _REF_KEYS if key in record},
                      ensure_ascii=False)
