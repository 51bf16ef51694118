"""Python extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

SOURCE = fixture_source("python", "mod.py")


def test_python_records(extract):
    symbols = extract("python", SOURCE, "pkg/mod.py", module="pkg.mod")
    assert rows(symbols) == [
        ("module", "pkg.mod", None, 1, 38),
        ("import", "pkg.mod.os.path", "pkg.mod", 2, 2),
        ("import", "pkg.mod.system", "pkg.mod", 2, 2),
        ("import", "pkg.mod.OD", "pkg.mod", 3, 3),
        ("import", "pkg.mod.deque", "pkg.mod", 3, 3),
        ("import", "pkg.mod.sibling", "pkg.mod", 4, 4),
        ("constant", "pkg.mod.MAX_SIZE", "pkg.mod", 5, 5),
        ("variable", "pkg.mod.name", "pkg.mod", 6, 6),
        ("variable", "pkg.mod.other", "pkg.mod", 6, 6),
        ("type_alias", "pkg.mod.Alias", "pkg.mod", 7, 7),
        ("function", "pkg.mod.fetch", "pkg.mod", 10, 19),
        ("function", "pkg.mod.fetch.helper", "pkg.mod.fetch", 17, 18),
        ("class", "pkg.mod.Base", "pkg.mod", 21, 37),
        ("constant", "pkg.mod.Base.LIMIT", "pkg.mod.Base", 23, 23),
        ("field", "pkg.mod.Base.count", "pkg.mod.Base", 24, 24),
        ("method", "pkg.mod.Base.__init__", "pkg.mod.Base", 26, 27),
        ("property", "pkg.mod.Base.size", "pkg.mod.Base", 30, 31),
        ("method", "pkg.mod.Base.make", "pkg.mod.Base", 34, 37),
        ("class", "pkg.mod.Base.make.Inner", "pkg.mod.Base.make", 35, 36),
        ("method", "pkg.mod.Base.make.Inner.method", "pkg.mod.Base.make.Inner", 36, 36),
    ]


def test_python_details(extract):
    by_name = {s.qualified_name: s for s in extract("python", SOURCE, "pkg/mod.py",
                                                     module="pkg.mod")}
    module = by_name["pkg.mod"]
    assert module.doc == "Module doc."
    fetch = by_name["pkg.mod.fetch"]
    assert fetch.signature == "async def fetch(url: str, *, timeout: float = 10) -> bytes"
    assert fetch.doc == "Fetch a URL.\n\nReturns bytes."
    assert fetch.modifiers == ("async",)
    assert fetch.decorators == ("@decorator",)
    assert (fetch.name_line, fetch.name_col, fetch.name_end_col) == (10, 10, 15)
    assert (fetch.start_col, fetch.end_line) == (0, 19)
    base = by_name["pkg.mod.Base"]
    assert base.signature == "class Base(object, metaclass=Meta)"
    assert base.doc == "A base class."
    assert by_name["pkg.mod.Base.make"].decorators == ("@staticmethod",)
    assert by_name["pkg.mod.Base.size"].native_kind == "property"
    assert by_name["pkg.mod.system"].signature == "import os.path, sys as system"
    assert by_name["pkg.mod.OD"].name == "OD"
    assert by_name["pkg.mod.MAX_SIZE"].signature == "MAX_SIZE = 10"
    source = SOURCE.encode()
    assert source[fetch.start_byte:fetch.end_byte].startswith(b"async def fetch")
    assert source[fetch.start_byte:fetch.end_byte].endswith(b'return b""')


def test_locals_are_not_definitions(extract):
    names = {s.name for s in extract("python", SOURCE, "pkg/mod.py", module="pkg.mod")}
    assert "local" not in names and "json" not in names


def test_symbols_in_source_order(extract):
    symbols = extract("python", SOURCE, "m.py", module="m")
    starts = [(s.start_byte, -s.end_byte) for s in symbols]
    assert starts == sorted(starts)
