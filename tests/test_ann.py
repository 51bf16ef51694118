"""The vector tier's graph for big indexes (`ragex.ann`): built by the embedding job past
`EXACT_MAX` vectors, searched with the vectors embedded since it was saved, kept in step
as definitions change, rebuilt when unreadable, never in the way without usearch.

The thresholds are lowered so that a few dozen definitions take the path millions would;
the model and usearch are the real ones (both in the test extra)."""

import contextlib
import os
import sqlite3
import sys

import pytest

from ragex import ann, semantic
from ragex.config import load_config
from ragex.front import Index
from ragex.store import IndexStore

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": "false"})
TOPICS = ["parse the HTTP headers of a request", "compute the area of a circle",
          "send an email through an SMTP relay", "compress a file with gzip",
          "sort a list of numbers", "open a TCP socket to a server",
          "read a CSV file into rows", "hash a password with a salt",
          "resize an image to a thumbnail", "format a date as ISO 8601",
          "retry a failed network call with backoff", "escape SQL identifiers",
          "render a template with variables", "validate an email address",
          "count the words of a text", "merge two dictionaries deeply",
          "walk a directory tree recursively", "encode bytes as base64",
          "measure the elapsed time of a call", "load settings from a TOML file"]


def source(topics):
    return "".join(f'def task_{i}(x):\n    """{t.capitalize()}."""\n    return x\n\n\n'
                   for i, t in enumerate(topics))


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(ann, "EXACT_MAX", 8)
    monkeypatch.setattr(ann, "DELTA_MAX", 6)


@contextlib.contextmanager
def embedded(tmp_path, topics):
    """An index of one file of `topics`, embedded (in batches of 4: the graph is saved
    during the pass, past the lowered DELTA_MAX)."""
    root = tmp_path / "proj"
    root.mkdir(exist_ok=True)
    (root / "lib.py").write_text(source(topics))
    index = Index(str(root), config=SEQUENTIAL)
    try:
        index.update()
        index.embed(batch=4)
        yield index
    finally:
        index.close()


def change(index, topics):
    """The file rewritten with `topics`, indexed and embedded again."""
    with open(os.path.join(index.root, "lib.py"), "w") as fh:
        fh.write(source(topics))
    index.update()
    index.embed(batch=4)


def vectors_db(index):
    return sqlite3.connect(os.path.join(index.index_dir, semantic.VECTORS_DB))


def answer(index, query, limit=3):
    search = semantic.VectorSearch(index.index_dir, reload_seconds=0)
    store = IndexStore(index.index_dir, readonly=True)
    try:
        hits = search.search(store, query, limit=limit)
        names = {sid: name for sid, name in store.conn.execute(
            f"SELECT id, name FROM symbols WHERE id IN ({','.join('?' * len(hits))})",
            [sid for sid, _ in hits])} if hits else {}
    finally:
        store.close()
    return search, [names[sid] for sid, _ in hits]


def test_a_big_index_is_searched_through_its_graph(tmp_path, small):
    with embedded(tmp_path, TOPICS) as index:
        conn = vectors_db(index)
        name, rowid = ann.current(conn)
        assert name and os.path.exists(os.path.join(index.index_dir, name))
        assert rowid == conn.execute("SELECT max(rowid) FROM vectors").fetchone()[0]
        files = [f for f in os.listdir(index.index_dir) if f.startswith(ann.PREFIX)]
        assert files == [name]  # the graphs saved during the pass were replaced
        search, names = answer(index, "compute the surface of a disc")
        assert search._snapshot[2] is not None and search._snapshot[1] is None  # no delta left
        assert names[0] == "task_1"
        assert answer(index, "gzip compression of a file")[1][0] == "task_3"
        # about the same answers as exact search over the same vectors (the graph's are
        # int8: near-ties further down may swap)
        for query in ("send mail", "sort numbers", "base64 encoding of bytes"):
            graph = answer(index, query, limit=5)[1]
            ann.EXACT_MAX = 10 ** 9
            conn.execute("DELETE FROM meta WHERE key IN ('ann_file', 'ann_rowid')")
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            conn.commit()
            exact = answer(index, query, limit=5)[1]
            assert exact[0] == graph[0] and len(set(exact) & set(graph)) >= 4
            ann.EXACT_MAX = 8
            with conn:
                conn.execute("INSERT INTO meta VALUES ('ann_file', ?)", (name,))
                conn.execute("INSERT INTO meta VALUES ('ann_rowid', ?)", (str(rowid),))


def test_the_vectors_embedded_since_the_graph_are_searched_exactly(tmp_path, small,
                                                                   monkeypatch):
    with embedded(tmp_path, TOPICS[:12]) as index:
        monkeypatch.setattr(ann, "DELTA_MAX", 100)  # the next ones stay out of the graph
        (tmp_path / "proj" / "more.py").write_text(
            'def stream_video(x):\n    """Stream a video to the browser in chunks."""\n'
            '    return x\n')
        index.update()
        index.embed(batch=4)
        search, names = answer(index, "send a movie to a web browser piece by piece")
        assert search._snapshot[2] is not None and len(search._snapshot[0]) == 1  # the delta
        assert names[0] == "stream_video"
        assert search.count() == 13


def test_the_graph_follows_definitions_that_change_or_go(tmp_path, small):
    with embedded(tmp_path, TOPICS) as index:
        conn = vectors_db(index)
        high = conn.execute("SELECT max(rowid) FROM vectors").fetchone()[0]
        # the last ten go; then one is new: its vector takes a rowid none had before
        # (SQLite's own would be the largest left plus one, which the graph saved when
        # the ten went holds no more, and would take for one it had)
        change(index, TOPICS[:10])
        kept = TOPICS[:10] + ["play a sound file through the speakers"]
        change(index, kept)
        assert conn.execute("SELECT count(*) FROM vectors").fetchone()[0] == 11
        assert conn.execute("SELECT min(rowid) FROM vectors WHERE rowid > 10").fetchone()[0] \
            > high
        name, saved = ann.current(conn)
        from usearch.index import Index as Graph

        graph = Graph.restore(os.path.join(index.index_dir, name), view=True)
        assert sorted(int(k) for k in graph.keys) == list(range(1, 11)) and saved == high
        names = answer(index, "walk a directory tree recursively", limit=11)[1]
        assert "task_16" not in names  # (gone with its definition)
        search, names = answer(index, "play audio on the speakers")
        assert names[0] == "task_10" and len(search._snapshot[0]) == 1  # the new one, exactly


def test_few_vectors_again_drop_the_graph(tmp_path, small):
    with embedded(tmp_path, TOPICS) as index:
        change(index, TOPICS[:5])
        conn = vectors_db(index)
        assert ann.current(conn) == (None, 0)
        assert not [f for f in os.listdir(index.index_dir) if f.startswith(ann.PREFIX)]
        search, names = answer(index, "area of a circle")
        assert search._snapshot[2] is None and names[0] == "task_1"


def test_an_unreadable_graph_is_searched_around_then_rebuilt(tmp_path, small):
    with embedded(tmp_path, TOPICS) as index:
        conn = vectors_db(index)
        name, _ = ann.current(conn)
        with open(os.path.join(index.index_dir, name), "wb") as fh:
            fh.write(b"not a graph")
        search, names = answer(index, "hash a password")
        assert search._snapshot[2] is None and names[0] == "task_7"  # exact over all of them
        assert ann.update(conn, index.index_dir, semantic.DIMENSION)
        search, names = answer(index, "hash a password")
        assert search._snapshot[2] is not None and names[0] == "task_7"


def test_an_unreadable_graph_is_rebuilt_by_the_next_pass(tmp_path, small):
    with embedded(tmp_path, TOPICS) as index:
        name, _ = ann.current(vectors_db(index))
        with open(os.path.join(index.index_dir, name), "wb") as fh:
            fh.write(b"not a graph")
        index.update()
        index.embed(batch=4)  # nothing to embed: the pass's end finds the file unreadable
        search, names = answer(index, "hash a password")
        assert search._snapshot[2] is not None and names[0] == "task_7"


def test_without_usearch_every_search_is_exact(tmp_path, small, monkeypatch):
    monkeypatch.setitem(sys.modules, "usearch", None)
    monkeypatch.setitem(sys.modules, "usearch.index", None)
    with embedded(tmp_path, TOPICS) as index:
        assert ann.current(vectors_db(index)) == (None, 0)
        search, names = answer(index, "validate an email address")
        assert search._snapshot[2] is None and names[0] == "task_13"


def test_a_few_changes_leave_the_graph_and_its_gone_keys_are_dropped(tmp_path, small):
    with embedded(tmp_path, TOPICS) as index:
        conn = vectors_db(index)
        saved = ann.current(conn)
        # two definitions go (fewer than DELTA_MAX): the graph is not rewritten
        change(index, TOPICS[:18])
        assert ann.current(conn) == saved
        assert conn.execute("SELECT count(*) FROM vectors").fetchone()[0] == 18
        names = answer(index, "load settings from a TOML file", limit=20)[1]
        assert "task_19" not in names and "task_18" not in names  # their keys: no row
        assert len(names) == 18
        assert len(answer(index, "walk a directory tree", limit=5)[1]) == 5  # (asks more)
