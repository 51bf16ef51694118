"""CodeIndexer: incremental updates, atomic replacement, lock, corruption, and a real kill -9."""

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import time

import pytest

from ragex.config import load_config
from ragex.discover import DiscoveryOptions
from ragex.indexer import CodeIndexer, IndexBusy, index_status, open_index
from ragex.search import search_symbols
from ragex.store import IndexStore, IndexUnavailable

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": False})
PARALLEL = load_config(environ={}, flags={"use_parallel": True, "max_workers": 2})


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    for i in range(12):
        write(root, f"pkg/m{i}.py", f"def func_{i}():\n    pass\n\nclass Klass{i}:\n    x = {i}\n")
    write(root, "pkg/__init__.py", "")
    write(root, "main.go", "package main\n\nfunc Main() {}\n")
    write(root, "big.py", "x = 1\n" * 10)
    return root


def names(store):
    return {s.name for _, s in store.symbols_where("kind != 'import'")}


def test_full_then_incremental(repo):
    indexer = CodeIndexer(str(repo), config=PARALLEL)
    first = indexer.index_codebase()
    assert first.indexed == 15 and first.unchanged == 0 and first.failed == 0
    assert os.path.isfile(repo / ".ragex" / ".gitignore")

    again = indexer.index_codebase()
    assert (again.indexed, again.unchanged) == (0, 15)

    write(repo, "pkg/m3.py", "def renamed_func():\n    pass\n")  # content change
    os.utime(repo / "pkg/m4.py", ns=(10**18, 10**18))  # touched, same content
    (repo / "pkg/m5.py").unlink()  # deleted
    os.rename(repo / "pkg/m6.py", repo / "pkg/moved.py")  # renamed
    third = CodeIndexer(str(repo), config=SEQUENTIAL).index_codebase()
    assert third.indexed == 2  # m3 and moved
    assert third.touched == 1 and third.removed == 2
    store = IndexStore(str(repo / ".ragex"), readonly=True)
    found = names(store)
    assert "renamed_func" in found and "func_3" not in found and "func_5" not in found
    moved = search_symbols(store, "func_6", match="exact")
    assert [h.symbol.path for h in moved] == ["pkg/moved.py"]
    assert moved[0].symbol.qualified_name == "pkg.moved.func_6"

    forced = CodeIndexer(str(repo), config=SEQUENTIAL).index_codebase(force=True)
    assert forced.indexed == 14 and forced.unchanged == 0


def test_index_dir_option_and_env(repo, tmp_path, monkeypatch):
    target = tmp_path / "elsewhere"
    CodeIndexer(str(repo), index_dir=str(target), config=SEQUENTIAL).index_codebase()
    assert (target / "index.db").exists() and not (repo / ".ragex").exists()
    monkeypatch.setenv("RAGEX_INDEX_DIR", str(tmp_path / "fromenv"))
    CodeIndexer(str(repo), config=SEQUENTIAL).index_codebase()
    assert (tmp_path / "fromenv" / "index.db").exists()
    root, store = open_index(str(repo))
    assert store.index_dir == str(tmp_path / "fromenv")


@pytest.mark.slow
def test_second_writer_gets_a_clear_message(repo):
    indexer = CodeIndexer(str(repo), config=SEQUENTIAL)
    indexer.index_codebase()
    with open(repo / ".ragex" / "index.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(IndexBusy, match="another ragex index"):
            indexer.index_codebase()
        started = time.monotonic()
        with pytest.raises(IndexBusy):
            indexer.index_codebase(wait=0.5)
        assert time.monotonic() - started >= 0.5
    assert indexer.index_codebase().unchanged == 15  # lock released: works again


def test_corrupt_index_is_reported_then_rebuilt(repo):
    CodeIndexer(str(repo), config=SEQUENTIAL).index_codebase()
    db = repo / ".ragex" / "index.db"
    for extra in ("index.db-wal", "index.db-shm"):
        if (repo / ".ragex" / extra).exists():
            (repo / ".ragex" / extra).unlink()
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexUnavailable, match="corrupt .*run `ragex index` to rebuild it"):
        IndexStore(str(repo / ".ragex"), readonly=True)
    summary = CodeIndexer(str(repo), config=SEQUENTIAL).index_codebase()
    assert summary.full_rebuild and summary.indexed == 15


def test_schema_version_mismatch(repo):
    CodeIndexer(str(repo), config=SEQUENTIAL).index_codebase()
    conn = sqlite3.connect(repo / ".ragex" / "index.db")
    conn.execute("UPDATE meta SET value='999' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(IndexUnavailable, match="schema version 999"):
        IndexStore(str(repo / ".ragex"), readonly=True)


def test_skipped_and_failed_files_are_listed(repo):
    (repo / "blob.py").write_bytes(b"\x00\x01binary")
    (repo / "broken.py").write_text("def ok():\n    pass\n\ndef broken(:\n")
    config = load_config(environ={}, flags={"use_parallel": False, "max_file_bytes": 55})
    summary = CodeIndexer(str(repo), config=config).index_codebase()
    reasons = {p["path"]: p["reason"] for p in summary.problems}
    assert "binary" in reasons["blob.py"]
    assert "too large" in reasons["big.py"]
    store = IndexStore(str(repo / ".ragex"), readonly=True)
    status = index_status(store)
    listed = {p["path"]: p["status"] for p in status["problems"]}
    assert listed == {"blob.py": "skipped", "big.py": "skipped"}
    assert status["state"] == "complete"
    assert [w["path"] for w in status["warnings"]] == ["broken.py"]
    assert "syntax errors" in status["warnings"][0]["warning"]
    cheap = index_status(store, warnings=False)  # the count only (the MCP server's call)
    assert cheap["warnings"] is None and cheap["warning_files"] == 1
    assert cheap["problems"] == status["problems"]


STDLIB = sysconfig.get_paths()["stdlib"]


def _consistent(db_path):
    """Every indexed file's symbol count matches its rows: no half-written file is visible."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        conn.execute("BEGIN")
        bad = conn.execute(
            "SELECT f.path, f.symbol_count, (SELECT count(*) FROM symbols s WHERE s.file_id=f.id) "
            "FROM files f WHERE f.symbol_count != "
            "(SELECT count(*) FROM symbols s WHERE s.file_id=f.id)").fetchall()
        files = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        conn.execute("COMMIT")
        return files, bad
    finally:
        conn.close()


def _index_cmd(index_dir):
    return [sys.executable, "-m", "ragex", "index", STDLIB, "--index-dir", str(index_dir),
            "--exclude", "site-packages", "--exclude", "test", "--workers", "2",
            "--no-progress", "--json"]


@pytest.mark.slow
def test_kill_9_leaves_a_usable_index_and_the_next_run_completes(tmp_path):
    killed_dir = tmp_path / "killed"
    proc = subprocess.Popen(_index_cmd(killed_dir), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    db = killed_dir / "index.db"
    seen = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                seen, bad = _consistent(db)
            except sqlite3.OperationalError:
                bad = []
            assert bad == []  # a reader never sees half a file, while indexing runs
            if seen >= 150:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the index finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the indexer and its workers, at once
    proc.wait()
    assert seen >= 150

    files, bad = _consistent(db)
    assert bad == [] and files >= seen
    root, store = open_index(STDLIB, str(killed_dir))
    (_, some), = store.symbols_where("kind = 'function'", limit=1)
    for match in ("exact", "substring"):  # answers queries, mid-build indexes or not
        hits = search_symbols(store, some.name, match=match, limit=50)
        assert some.qualified_name in {h.symbol.qualified_name for h in hits}
    assert index_status(store)["state"].startswith("partial")
    store.close()

    resumed = subprocess.run(_index_cmd(killed_dir), stdout=subprocess.PIPE, check=True)
    clean_dir = tmp_path / "clean"
    subprocess.run(_index_cmd(clean_dir), stdout=subprocess.PIPE, check=True)
    counts = []
    for directory in (killed_dir, clean_dir):
        conn = sqlite3.connect(directory / "index.db")
        counts.append(conn.execute(
            "SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM symbols), "
            "(SELECT count(*) FROM files WHERE status='ok')").fetchone())
        conn.close()
    assert counts[0] == counts[1]
    root, store = open_index(STDLIB, str(killed_dir))
    assert store.search_ready()
    hits = search_symbols(store, some.name, match="substring", limit=500)
    assert some.qualified_name in {h.symbol.qualified_name for h in hits}
    store.close()
    assert b'"unchanged": ' in resumed.stdout


def test_a_changed_query_reindexes_its_language_only(repo):
    indexer = CodeIndexer(str(repo), config=SEQUENTIAL)
    indexer.index_codebase()
    conn = sqlite3.connect(repo / ".ragex" / "index.db")  # as an older go.scm left it
    with conn:
        conn.execute("UPDATE files SET fingerprint = 'from an older go.scm' "
                     "WHERE language = 'go'")
    conn.close()
    summary = indexer.index_codebase()
    assert (summary.indexed, summary.unchanged, summary.full_rebuild) == (1, 14, False)


def test_a_root_hidden_by_its_ignore_file_is_reported(tmp_path):
    root = tmp_path / "debian-like"
    write(root, "src/a.c", "int main(void) { return 0; }\n")
    write(root, ".gitignore", "/*\n!/debian/\n")
    summary = CodeIndexer(str(root), config=SEQUENTIAL).index_codebase()
    assert summary.discovered == 0
    assert "--no-ignore" in summary.notes[0] and "exclude 1 files" in summary.notes[0]
    again = CodeIndexer(str(root), config=SEQUENTIAL, discovery=DiscoveryOptions(no_ignore=True)).index_codebase()
    assert again.indexed == 1


def test_quick_check_is_skipped_only_while_the_index_is_as_this_process_left_it(
        repo, monkeypatch):
    """A watcher's one-file update must not read the whole index (quick_check) each time;
    but a write by anyone else, or damage, brings the check back."""
    checks = []
    real = IndexStore.check_integrity
    monkeypatch.setattr(IndexStore, "check_integrity",
                        lambda self: (checks.append(1), real(self))[1])
    indexer = CodeIndexer(str(repo), config=SEQUENTIAL)
    indexer.index_codebase()
    write(repo, "pkg/m1.py", "def func_1():\n    pass\n\ndef added():\n    pass\n")
    indexer.update_paths(["pkg/m1.py"])
    write(repo, "pkg/m2.py", "def func_2b():\n    pass\n")
    indexer.update_paths(["pkg/m2.py"])
    assert checks == []  # each open found the files as the last write left them

    conn = sqlite3.connect(repo / ".ragex" / "index.db")  # another writer
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('elsewhere', '1')")
    conn.close()
    write(repo, "pkg/m3.py", "def func_3b():\n    pass\n")
    indexer.update_paths(["pkg/m3.py"])
    assert checks == [1]
    write(repo, "pkg/m4.py", "def func_4b():\n    pass\n")
    CodeIndexer(str(repo), config=SEQUENTIAL).update_paths(["pkg/m4.py"])  # a new process
    assert checks == [1]  # (the last write left its files' state beside the index)
    time.sleep(0.05)  # (damage later than the clock tick of the last write: see _db_files)
    db = repo / ".ragex" / "index.db"
    with open(db, "r+b") as fh:  # damage, same size: the last page's cells (not read to open)
        fh.seek(os.path.getsize(db) - 2048)
        fh.write(b"\xff" * 16)
    write(repo, "pkg/m5.py", "def func_5b():\n    pass\n")
    CodeIndexer(str(repo), config=SEQUENTIAL).update_paths(["pkg/m5.py"])
    assert checks == [1, 1]
    store = IndexStore(str(repo / ".ragex"), readonly=True)
    assert {"added", "func_2b", "func_3b", "func_4b", "func_5b"} <= names(store)
    store.close()
