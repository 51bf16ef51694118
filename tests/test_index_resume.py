"""A killed build resumes: the next run redoes only the files the killed one did not commit.

Real faults: a real `ragex index` (and `ragex mcp`) subprocess is killed with SIGKILL while
it writes, and the next run's own summary must say it extracted only the remainder; the
resumed index must then equal a clean index of the same tree, row for row.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow  # real subprocesses, killed or fed damaged files

from ragex.config import load_config
from ragex.indexer import CodeIndexer, index_status
from ragex.store import IndexStore
from ragex.symbol import FIELD_NAMES

FILES = 3000
KILL_AT = 300  # committed files seen before the kill
SEQUENTIAL = load_config(environ={}, flags={"use_parallel": False})


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """FILES small Python files of 31 definitions each: a build of a few seconds."""
    root = tmp_path_factory.mktemp("resume") / "tree"
    for i in range(FILES):
        directory = root / f"pkg{i % 30}"
        directory.mkdir(parents=True, exist_ok=True)
        body = "".join(f"\n\ndef helper_{i}_{j}(a, b={j}):\n    \"\"\"Doc {j}.\"\"\"\n"
                       f"    return a * b + {i}\n" for j in range(30))
        (directory / f"mod{i}.py").write_text(
            f"class Thing{i}:\n    def method_{i}(self, x):\n        return x + {i}\n{body}")
    return root


@pytest.fixture(scope="module")
def clean(tree, tmp_path_factory):
    """The index of `tree` built in one uninterrupted run."""
    index_dir = tmp_path_factory.mktemp("clean") / "index"
    subprocess.run(_ragex("index", tree, index_dir), check=True, stdout=subprocess.PIPE)
    return index_dir


def _ragex(command, tree, index_dir, *extra):
    return [sys.executable, "-m", "ragex", command, str(tree), "--index-dir", str(index_dir),
            "--workers", "2", *extra] + (["--no-progress", "--json"] if command == "index"
                                          else [])


def _committed(db) -> int:
    """Files committed so far, read as any other reader would (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        conn.close()


def _kill_once_committed(proc, db, at_least: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if db.exists() and _committed(db) >= at_least:
                break
        except sqlite3.OperationalError:
            pass  # the schema is being created
        time.sleep(0.01)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the indexer and its workers, at once
    proc.wait()
    committed = _committed(db)
    assert at_least <= committed < FILES
    return committed


def _contents(index_dir) -> dict:
    """Everything a query can see, without row ids and times."""
    conn = sqlite3.connect(index_dir / "index.db")
    try:
        files = conn.execute(
            "SELECT path, size, mtime_ns, hash, language, status, reason, warning, "
            "symbol_count, fingerprint FROM files ORDER BY path").fetchall()
        symbols = conn.execute(
            f"SELECT f.path, {', '.join('s.' + c for c in FIELD_NAMES)} FROM symbols s "
            "JOIN files f ON f.id = s.file_id ORDER BY f.path, s.start_byte, s.end_byte, "
            "s.qualified_name").fetchall()
        names = conn.execute("SELECT name FROM names ORDER BY name").fetchall()
        fts = conn.execute("SELECT count(*) FROM names_fts WHERE names_fts MATCH 'helper'"
                           ).fetchone()
        indexes = conn.execute("SELECT name FROM sqlite_master WHERE type='index' "
                               "ORDER BY name").fetchall()
        return {"files": files, "symbols": symbols, "names": names, "fts": fts,
                "indexes": indexes}
    finally:
        conn.close()


def _resume_and_compare(tree, index_dir, committed, clean):
    resumed = subprocess.run(_ragex("index", tree, index_dir), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, check=True)
    summary = json.loads(resumed.stdout)
    assert (summary["indexed"], summary["unchanged"]) == (FILES - committed, committed)
    assert not summary["full_rebuild"] and summary["notes"] == []
    assert _contents(index_dir) == _contents(clean)
    store = IndexStore(str(index_dir), readonly=True)
    assert store.search_ready() and index_status(store)["state"] == "complete"
    store.close()


def test_a_killed_first_build_redoes_only_what_it_did_not_commit(tree, clean, tmp_path):
    index_dir = tmp_path / "killed"
    proc = subprocess.Popen(_ragex("index", tree, index_dir), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    committed = _kill_once_committed(proc, index_dir / "index.db", KILL_AT)
    _resume_and_compare(tree, index_dir, committed, clean)


def test_a_killed_mcp_server_build_resumes_the_same_way(tree, clean, tmp_path):
    index_dir = tmp_path / "killed-mcp"
    # `ragex mcp` starts its background build 2 s after start-up (no call needed); its
    # stdin stays open so that it keeps serving until it is killed
    proc = subprocess.Popen(_ragex("mcp", tree, index_dir), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        committed = _kill_once_committed(proc, index_dir / "index.db", KILL_AT)
    finally:
        proc.stdin.close()
    _resume_and_compare(tree, index_dir, committed, clean)


def test_a_run_killed_after_its_last_commit_redoes_nothing(tree, clean, tmp_path):
    """All files committed, but killed while building the search indexes: what the meta
    table holds then is written by hand (no timing can aim a kill at that moment)."""
    index_dir = tmp_path / "unfinished"
    subprocess.run(_ragex("index", tree, index_dir), check=True, stdout=subprocess.PIPE)
    conn = sqlite3.connect(index_dir / "index.db")
    with conn:
        conn.execute("UPDATE meta SET value = json_set(value, '$.complete', json('false')) "
                     "WHERE key = 'last_run'")
        conn.execute("UPDATE meta SET value = 'false' WHERE key = 'search_ready'")
        conn.execute("DROP INDEX symbols_name")
        conn.execute("INSERT INTO names_fts(names_fts) VALUES ('delete-all')")
        conn.execute("DELETE FROM names")
    conn.close()
    _resume_and_compare(tree, index_dir, FILES, clean)


def test_only_the_rows_of_a_changed_extractor_are_redone(tmp_path):
    root = tmp_path / "mixed"
    (root / "py").mkdir(parents=True)
    for i in range(5):
        (root / "py" / f"m{i}.py").write_text(f"def f{i}():\n    pass\n")
        (root / f"g{i}.go").write_text(f"package main\n\nfunc G{i}() {{}}\n")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    assert indexer.index_codebase().indexed == 10
    conn = sqlite3.connect(root / ".ragex" / "index.db")  # as an older go.scm left them
    with conn:
        conn.execute("UPDATE files SET fingerprint = 'older' WHERE path IN ('g1.go', 'g3.go')")
    conn.close()
    summary = indexer.index_codebase()
    assert (summary.indexed, summary.unchanged, summary.full_rebuild) == (2, 8, False)
    conn = sqlite3.connect(root / ".ragex" / "index.db")  # every row by another ragex
    with conn:
        conn.execute("UPDATE files SET fingerprint = 'older'")
    conn.close()
    summary = indexer.index_codebase()
    assert (summary.indexed, summary.unchanged, summary.full_rebuild) == (10, 0, True)
