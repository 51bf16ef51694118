"""`ragex extract --format jsonl`: the lines built in the workers are the records' JSON."""

import json
import os
import subprocess
import sys

import pytest

from ragex.cli import main
from ragex.extract import ExtractionTask, extract_file
from ragex.jsonl import JsonLines, encode_rows, pack_rows
from ragex.parser_pool import process_parser_pool
from ragex.symbol import Symbol

SOURCES = {
    "pkg/__init__.py": "",
    "pkg/shop.py": '''\
"""Größen und Preise."""


class Café:
    """Ein "Café" mit Backslash \\\\ und Tab\\t."""

    @staticmethod
    def zahl(self, x: int = 1) -> "Café":
        """Gibt 𝔘nicode zurück."""
        return self
''',
    "svc/main.go": "package svc\n\ntype Cart struct{}\n\n// Add adds.\nfunc (c *Cart) Add() {}\n",
}


@pytest.fixture
def tree(tmp_path):
    for rel, text in SOURCES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def expected_lines(tree) -> list[str]:
    """What the CLI printed before the lines moved to the workers: one `json.dumps` of
    `Symbol.to_dict()` per record."""
    pool = process_parser_pool()
    lines = []
    for rel in SOURCES:
        result = extract_file(ExtractionTask(str(tree / rel), rel), pool)
        lines += [json.dumps(s.to_dict(), ensure_ascii=False) for s in result.symbols]
    return sorted(lines)


def test_encode_rows_is_json_dumps_of_each_record(tree):
    pool = process_parser_pool()
    symbols = extract_file(ExtractionTask(str(tree / "pkg/shop.py"), "pkg/shop.py"),
                           pool).symbols
    assert any(s.parent is None for s in symbols) and any(s.decorators for s in symbols)
    data = encode_rows([tuple(s) for s in symbols])
    assert data.endswith(b"\n") and data.count(b"\n") == len(symbols)
    lines = data.decode("utf-8").splitlines()
    assert lines == [json.dumps(s.to_dict(), ensure_ascii=False) for s in symbols]
    assert "Café" in lines[1] and "\\u" not in lines[1]  # UTF-8, not \u escapes
    assert [Symbol.from_dict(json.loads(line)) for line in lines] == symbols
    packed = pack_rows(symbols)
    assert isinstance(packed, JsonLines) and len(packed) == len(symbols)
    assert encode_rows([]) == b"" and len(pack_rows([])) == 0


def test_extract_jsonl_in_process_is_the_records(tree, capsys, monkeypatch):
    expected = expected_lines(tree)
    monkeypatch.chdir(tree)

    def no_references(*args):
        raise AssertionError("ragex extract prints no references: none are extracted")

    monkeypatch.setattr("ragex.extract._references", no_references)
    assert main(["extract", ".", "--parallel", "false", "--no-progress"]) == 0
    out = capsys.readouterr()
    assert sorted(out.out.splitlines()) == expected
    assert f"{len(expected)} symbols, 0 skipped, 0 failed" in out.err


@pytest.mark.slow
def test_extract_jsonl_from_worker_processes_is_the_records(tree):
    env = dict(os.environ, PYTHONIOENCODING="ascii")  # the lines are UTF-8 regardless
    proc = subprocess.run([sys.executable, "-m", "ragex", "extract", ".", "--workers", "2",
                           "--min-batch-size", "1", "--no-progress"], cwd=tree, env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(proc.stdout.decode("utf-8").splitlines()) == expected_lines(tree)
