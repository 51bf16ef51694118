"""References in the store: replaced with their file in one transaction, removed with
it, counted per kind, rebuilt when the schema changes; a real `kill -9` mid-build leaves
every file's references whole, and the next run completes them."""

import os
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time

import pytest

from ragex.store import SCHEMA_VERSION, IndexStore

REF = ("save", "call", "self.", None, 3, 8)


def counts(store):
    return store.conn.execute(
        "SELECT (SELECT count(*) FROM refs), (SELECT coalesce(sum(count), 0) FROM ref_counts)"
    ).fetchone()


def test_put_file_replaces_and_delete_removes(tmp_path):
    store = IndexStore(str(tmp_path / "idx"))
    store.begin()
    store.put_file("a.py", 1, 1, "h", "python", "ok", None, None, [],
                   refs=[REF, ("os", "import", "", None, 1, 7)])
    store.put_file("b.py", 1, 1, "h", "python", "ok", None, None, [], refs=[REF])
    store.commit()
    assert counts(store) == (3, 3)
    assert store.ref_stats() == {"references": 3, "references_by_language": {
        "python": {"call": 2, "import": 1}}}
    store.begin()
    store.put_file("a.py", 2, 2, "h2", "python", "ok", None, None, [],
                   refs=[("run", "call", "", None, 5, 4)])
    store.commit()
    assert counts(store) == (2, 2)
    assert [r[5] for r in store.refs_named("run")] == ["run"]
    assert [r[1] for r in store.refs_named("save")] == ["b.py"]
    store.begin()
    store.delete_files(["b.py"])
    store.commit()
    assert counts(store) == (1, 1) and store.refs_named("save") == []
    store.close()


def test_a_bulk_build_drops_and_recreates_the_name_index(tmp_path):
    store = IndexStore(str(tmp_path / "idx"))
    store.begin_bulk()
    indexes = {r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "refs_name" not in indexes
    store.begin()
    store.put_file("a.py", 1, 1, "h", "python", "ok", None, None, [], refs=[REF])
    store.commit()
    store.end_bulk()
    plan = " ".join(r[3] for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM refs WHERE name = 'save'"))
    assert "refs_name" in plan
    store.close()


def test_an_index_of_the_schema_before_references_is_rebuilt(tmp_path):
    from ragex.config import load_config
    from ragex.indexer import CodeIndexer

    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("def f():\n    return g()\n")
    indexer = CodeIndexer(str(root), config=load_config(environ={}, flags={
        "use_parallel": "false"}))
    indexer.index_codebase()
    db = root / ".ragex" / "index.db"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                 (str(SCHEMA_VERSION - 1),))
    conn.execute("DROP TABLE refs")
    conn.commit()
    conn.close()
    summary = indexer.index_codebase()
    assert summary.full_rebuild and summary.indexed == 1
    store = IndexStore(str(root / ".ragex"), readonly=True)
    assert [r[5] for r in store.refs_named("g")] == ["g"]
    store.close()


def test_references_can_be_turned_off(tmp_path):
    from ragex.config import load_config
    from ragex.front import Index

    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("def f():\n    return g()\n\n\ndef g():\n    pass\n")
    index = Index(str(root), config=load_config(environ={"RAGEX_REFERENCES": "false"},
                                                flags={"use_parallel": "false"}))
    index.update()
    answer = index.references("g")
    assert answer.items == [] and "without references" in answer.notes[-1]
    assert index.status()["references"] == 0
    index.close()


STDLIB = sysconfig.get_paths()["stdlib"]


def _index_cmd(index_dir):
    return [sys.executable, "-m", "ragex", "index", STDLIB, "--index-dir", str(index_dir),
            "--exclude", "site-packages", "--exclude", "test", "--workers", "2",
            "--no-progress", "--json"]


def _whole(db):
    """(files, files whose references are not all there): a file's `ref_counts` against
    its rows in `refs`, read in one transaction."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        conn.execute("BEGIN")
        bad = conn.execute(
            "SELECT c.file_id FROM ref_counts c GROUP BY c.file_id HAVING sum(c.count) != "
            "(SELECT count(*) FROM refs r WHERE r.file_id = c.file_id)").fetchall()
        files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        conn.execute("COMMIT")
        return files, bad
    finally:
        conn.close()


@pytest.mark.slow
def test_kill_9_mid_build_leaves_whole_files_and_the_next_run_completes(tmp_path):
    killed = tmp_path / "killed"
    proc = subprocess.Popen(_index_cmd(killed), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    db = killed / "index.db"
    seen = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                seen, bad = _whole(db)
            except sqlite3.OperationalError:
                bad = []
            assert bad == []  # a reader never sees part of a file's references
            if seen >= 150:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the index finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert seen >= 150
    assert _whole(db)[1] == []
    subprocess.run(_index_cmd(killed), stdout=subprocess.PIPE, check=True)
    clean = tmp_path / "clean"
    subprocess.run(_index_cmd(clean), stdout=subprocess.PIPE, check=True)
    totals = []
    for directory in (killed, clean):
        conn = sqlite3.connect(directory / "index.db")
        totals.append(conn.execute(
            "SELECT (SELECT count(*) FROM refs), (SELECT count(DISTINCT name) FROM refs), "
            "(SELECT sum(count) FROM ref_counts)").fetchone())
        conn.close()
    assert totals[0] == totals[1] and totals[0][0] > 50_000
    store = IndexStore(str(killed), readonly=True)
    assert store.search_ready() and store.refs_named("join", limit=1)
    store.close()


@pytest.mark.slow
def test_workers_send_the_same_references_as_in_process():
    from conftest import fixture_files

    from ragex.config import load_config
    from ragex.extract import extract_file
    from ragex.parallel import ParallelSymbolExtractor, make_tasks

    files = [str(p) for p in fixture_files()] + [
        os.path.join(STDLIB, name) for name in ("ast.py", "typing.py", "argparse.py")]
    base = os.path.commonpath(files)
    sequential = {t.rel_path: extract_file(t).refs for t in make_tasks(files, base)}
    config = load_config(environ={}, flags={"use_parallel": True, "max_workers": 2,
                                            "max_batch_size": 3})
    with ParallelSymbolExtractor(config) as extractor:
        results = list(extractor.iter_extract(make_tasks(files, base), raw=True))
    assert {r.rel_path: r.refs for r in results} == sequential
    assert all(type(row) is tuple for r in results for row in r.refs)
    assert sum(map(len, sequential.values())) > 2000
