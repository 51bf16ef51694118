"""A corrupt index file: named in one line by every command, rebuilt by `ragex index`.

Real faults: 16 KB of random bytes written over pages in the middle of a real `index.db`
(as a bad disk block or a stray writer would), then the real CLI and the real MCP server.
"""

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # real subprocesses, killed or fed damaged files
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from ragex.config import load_config
from ragex.indexer import CodeIndexer
from ragex.store import IndexCorrupt, IndexStore

FILES = 400
SEQUENTIAL = load_config(environ={}, flags={"use_parallel": False})


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    for i in range(FILES):
        directory = root / f"pkg{i % 8}"
        directory.mkdir(parents=True, exist_ok=True)
        body = "".join(f"\n\ndef helper_{i}_{j}(a, b={j}):\n    return a * b\n"
                       for j in range(30))
        (directory / f"mod{i}.py").write_text(f"class Thing{i}:\n    x = {i}\n{body}")
    return root


def ragex(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ragex", *map(str, args)], cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def corrupt(db, root_of=None) -> None:
    """16 KB of random bytes over the middle of the file, aimed (where SQLite can say
    where its pages are) at the middle of the symbols table, which every scan reads; or
    over the root page of the b-tree `root_of`, which every lookup through it reads."""
    assert not os.path.exists(f"{db}-wal") or os.path.getsize(f"{db}-wal") == 0
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    try:
        if root_of:
            page, = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                 (root_of,)).fetchone()
        else:
            pages = [p for p, in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'symbols' ORDER BY pageno")]
            page = pages[len(pages) // 2]
        offset = (page - 1) * page_size
    except sqlite3.OperationalError:  # a SQLite without the dbstat table
        offset = os.path.getsize(db) // 2 // page_size * page_size
    conn.close()
    with open(db, "r+b") as fh:
        fh.seek(offset)
        fh.write(random.Random(offset).randbytes(16384))


def one_clear_line(proc, db):
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(db) in lines[0] and "corrupt" in lines[0], lines[0]
    assert "run `ragex index` to rebuild it" in lines[0]
    return lines[0]


@pytest.mark.parametrize("index_flags", [(), ("--force",)], ids=["index", "index-force"])
def test_a_corrupt_page_is_named_by_queries_and_rebuilt_by_index(tree, tmp_path, index_flags):
    index_dir = tmp_path / "index"
    built = ragex("index", tree, "--index-dir", index_dir, "--no-progress", "--json")
    assert built.returncode == 0, built.stderr
    db = index_dir / "index.db"
    clean = ragex("tags", "-o", "-", "--root", tree, "--index-dir", index_dir).stdout
    corrupt(db)

    status = ragex("status", "--index-dir", index_dir)
    assert status.returncode == 2 and status.stdout == ""
    one_clear_line(status, db)
    tags = ragex("tags", "-o", "-", "--root", tree, "--index-dir", index_dir)
    assert tags.returncode == 2
    one_clear_line(tags, db)
    for query in (("symbols", "elper_3_", "--match", "substring"), ("symbols", "Thing7"),
                  ("outline", "pkg1/mod9.py")):  # each answers, or names the damage
        answer = ragex(*query, "--root", tree, "--index-dir", index_dir)
        assert answer.returncode in (0, 1) or one_clear_line(answer, db)

    rebuilt = ragex("index", tree, "--index-dir", index_dir, "--no-progress", "--json",
                    *index_flags)
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr
    summary = json.loads(rebuilt.stdout)
    assert summary["full_rebuild"] and summary["indexed"] == FILES
    assert summary["notes"] == [f"the index {db} is corrupt (database disk image is "
                                "malformed): rebuilt it from the source tree"]
    assert ragex("tags", "-o", "-", "--root", tree, "--index-dir", index_dir).stdout == clean
    status = ragex("status", "--index-dir", index_dir)
    assert status.returncode == 0 and "state  complete" in status.stdout
    again = json.loads(ragex("index", tree, "--index-dir", index_dir, "--json").stdout)
    assert (again["indexed"], again["unchanged"], again["notes"]) == (0, FILES, [])


def test_corruption_met_mid_run_rebuilds_in_the_same_run(tree):
    indexer = CodeIndexer(str(tree), config=SEQUENTIAL)
    first = indexer.index_codebase()
    db = tree / ".ragex" / "index.db"
    phases = []

    def corrupt_once(phase):  # after the writer opened (and checked) the index
        if not phases:
            corrupt(db)
        phases.append(phase)

    summary = indexer.index_codebase(force=True, on_phase=corrupt_once)
    assert summary.notes == [f"the index {db} is corrupt (database disk image is malformed), "
                             "met while indexing: rebuilt it from the source tree"]
    assert summary.indexed == FILES and summary.full_rebuild
    assert phases.count("discovering files") == 2
    store = IndexStore(str(tree / ".ragex"))
    store.check_integrity()
    assert store.totals() == (first.total_files, first.total_symbols)
    store.close()


def test_a_reader_meeting_corruption_gets_index_corrupt(tree):
    CodeIndexer(str(tree), config=SEQUENTIAL).index_codebase()
    store = IndexStore(str(tree / ".ragex"), readonly=True)
    corrupt(tree / ".ragex" / "index.db")
    with pytest.raises(IndexCorrupt, match="run `ragex index` to rebuild it"):
        store.symbols_where("1", order="path")
    with pytest.raises(IndexCorrupt, match="quick_check|malformed"):
        store.check_integrity()
    store.close()


def test_the_mcp_agent_gets_a_tool_error_then_index_codebase_rebuilds(tree):
    assert ragex("index", tree, "--no-progress").returncode == 0
    db = tree / ".ragex" / "index.db"
    corrupt(db, root_of="symbols_name")  # what an exact name lookup reads first

    async def session():
        params = StdioServerParameters(command=sys.executable,
                                       args=["-m", "ragex", "mcp", str(tree), "--no-index"])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as s:
                await s.initialize()
                broken = await s.call_tool("search_symbols",
                                           {"query": "Thing7", "match": "exact"})
                outline = await s.call_tool("file_outline", {"path": "pkg1/mod9.py"})
                job = await s.call_tool("index_codebase", {"wait_seconds": 60})
                fixed = await s.call_tool("search_symbols",
                                          {"query": "Thing7", "match": "exact"})
                return broken, outline, job, fixed

    broken, outline, job, fixed = asyncio.run(asyncio.wait_for(session(), timeout=120))
    # the lookup meets the damaged page: the agent reads what it is and what to do
    assert broken.is_error
    text = broken.content[0].text
    assert str(db) in text and "corrupt" in text and "rebuild" in text
    assert "DatabaseError" not in text and "Traceback" not in text  # not a bare sqlite3 error
    assert not outline.is_error or "corrupt" in outline.content[0].text
    assert not job.is_error and job.structured_content["state"] == "done"
    assert job.structured_content["summary"]["indexed"] == FILES
    assert not fixed.is_error
    assert [r["name"] for r in fixed.structured_content["results"]] == ["Thing7"]
