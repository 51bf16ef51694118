"""How extraction reads a file: as many bytes as `fstat` says plus one, and on past that
when the file grew between the `fstat` and the read (a file being written), up to the size
limit; a file that grew past the limit is skipped as too large."""

import os
from types import SimpleNamespace

import pytest

from ragex import extract
from ragex.extract import ExtractionTask, extract_file

SOURCE = b"".join(b"def f%d():\n    return %d\n" % (i, i) for i in range(40))


@pytest.fixture
def stale_fstat(monkeypatch):
    """`fstat` reports the file 10 bytes shorter than it is: it grew after the stat."""
    real = os.fstat

    def fstat(fd):
        st = real(fd)
        return SimpleNamespace(st_size=st.st_size - 10, st_mtime_ns=st.st_mtime_ns,
                               st_mode=st.st_mode)
    monkeypatch.setattr(extract.os, "fstat", fstat)


def test_a_file_is_read_whole(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(SOURCE)
    result = extract_file(ExtractionTask(str(path), "m.py"))
    assert result.status == "ok"
    assert result.size == len(SOURCE)
    assert [s.name for s in result.symbols if s.kind == "function"] == [f"f{i}" for i in range(40)]


def test_a_file_that_grew_while_read_is_read_whole(tmp_path, stale_fstat):
    path = tmp_path / "m.py"
    path.write_bytes(SOURCE)
    result = extract_file(ExtractionTask(str(path), "m.py"))
    assert result.status == "ok"
    assert result.content_hash == extract.content_hash(SOURCE)  # not cut at the stat's size
    assert result.symbols[-1].name == "f39"


def test_a_file_that_grew_past_the_limit_while_read_is_skipped(tmp_path, stale_fstat):
    path = tmp_path / "m.py"
    path.write_bytes(SOURCE)
    task = ExtractionTask(str(path), "m.py", max_file_bytes=len(SOURCE) - 5)
    result = extract_file(task)
    assert (result.status, result.error) == ("skipped",
                                             f"too large: more than {len(SOURCE) - 5} bytes")
