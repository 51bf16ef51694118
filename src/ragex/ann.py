"""Approximate nearest neighbours for the vector tier of a big index (usearch's HNSW).

Up to `EXACT_MAX` vectors the tier searches them all exactly (`semantic.VectorSearch`:
~10 ms for 100k in numpy). Past that, exact search grows with the index (1M × 384 in
float32: 1.5 GB and ~100 ms a query; the kernel's 3.9M definitions, 6 GB and ~400 ms),
so the embedding job keeps an HNSW graph of the vectors beside `vectors.db`
(`vectors-<rowid>.usearch`, int8, cosine; keys are `vectors` rowids) and a query asks
it for the nearest, plus, exactly, the vectors embedded since the graph was last saved
(at most `DELTA_MAX` of them).

The graph is a cache of `vectors.db`, never its only copy: `update` adds the rows
committed since the last save and removes the rows gone since, saves a new file under
a new name, then records that name in `meta` (`ann_file`, `ann_rowid`: the largest rowid
it holds); a reader opens the file the meta names, memory-mapped (`view`), and drops any
key whose row is gone. A file that cannot be read is rebuilt from the vectors.

usearch comes with the `ragex[semantic]` extra; without it every search is exact.

Not for: embedding (semantic), ranking or fusing tiers (textsearch).
"""

from __future__ import annotations

import glob
import os
import sqlite3
from typing import Optional

EXACT_MAX = 100_000  # vectors searched exactly; past this, the graph
DELTA_MAX = 50_000  # vectors embedded since the graph's save before it is saved again
PREFIX = "vectors-"
SUFFIX = ".usearch"
EXPANSION_SEARCH = 128  # candidates HNSW keeps while it searches (usearch's default: 64)
_ADD_ROWS = 20_000  # vectors read from SQLite and added to the graph at a time


def available() -> bool:
    try:
        import usearch.index  # noqa: F401
    except ImportError:
        return False
    return True


def as_matrix(blobs, dimension: int):
    """Stored vectors (float16 blobs, as `vectors.vec` holds them) as one float32 matrix."""
    import numpy as np

    blobs = list(blobs)
    return np.frombuffer(b"".join(blobs), dtype=np.float16).reshape(
        len(blobs), dimension).astype(np.float32)


def _new_graph(dimension: int):
    from usearch.index import Index

    graph = Index(ndim=dimension, metric="cos", dtype="i8")
    graph.expansion_search = EXPANSION_SEARCH
    return graph


def current(conn: sqlite3.Connection) -> tuple[Optional[str], int]:
    """(file name of the saved graph or None, the largest vector rowid it holds)."""
    rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN "
                             "('ann_file', 'ann_rowid')").fetchall())
    return rows.get("ann_file") or None, int(rows.get("ann_rowid") or 0)


def wanted(conn: sqlite3.Connection) -> bool:
    """Whether this many vectors are searched through a graph."""
    if not available() or _last_rowid(conn) <= EXACT_MAX:  # (rowids only grow: cheap)
        return False
    return conn.execute("SELECT count(*) FROM vectors").fetchone()[0] > EXACT_MAX


def stale(conn: sqlite3.Connection, index_dir: str, end: bool = False) -> bool:
    """Whether the graph should be saved again now: it is wanted and missing, or
    DELTA_MAX vectors were embedded since it was saved (counted by rowid, which only
    grows: no count of millions of rows after each batch) or removed since (`note_gone`);
    at the `end` of a pass also when the vectors are few enough again to search exactly,
    or when its file cannot be read (readers search around it meanwhile). A few changes
    do not rewrite a graph of millions: the ones embedded since are searched exactly, and
    a reader drops the keys whose row is gone."""
    name, rowid = current(conn)
    if name is None:
        return wanted(conn)
    if _last_rowid(conn) - rowid >= DELTA_MAX or gone(conn) >= DELTA_MAX:
        return True
    return end and (not wanted(conn) or open_view(index_dir, name) is None)


def note_gone(conn: sqlite3.Connection, count: int) -> None:
    """`count` vectors were deleted (inside the caller's transaction)."""
    if count > 0 and current(conn)[0] is not None:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('ann_gone', ?)",
                     (str(gone(conn) + count),))


def gone(conn: sqlite3.Connection) -> int:
    """Vectors deleted since the graph was saved (its keys that find no row)."""
    return _meta_int(conn, "ann_gone")


def _meta_int(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def _last_rowid(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(rowid), 0) FROM vectors").fetchone()[0]


def next_rowid(conn: sqlite3.Connection) -> int:
    """The rowid the next vector gets: above every rowid any vector ever had (SQLite
    would reuse the largest after its row is deleted, and a graph saved before would
    take the new vector for the old). `note_rowid` records the high-water mark."""
    return max(_last_rowid(conn), _meta_int(conn, "rowid_high")) + 1


def note_rowid(conn: sqlite3.Connection, rowid: int) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('rowid_high', ?)", (str(rowid),))


def update(conn: sqlite3.Connection, index_dir: str, dimension: int) -> Optional[str]:
    """Bring the graph in step with `vectors` (or remove it when the vectors are few
    enough to search exactly); the new file's name, or None."""
    import numpy as np

    name, rowid = current(conn)
    if not wanted(conn):
        _forget(conn, index_dir)
        return None
    graph = None
    if name is not None:
        try:
            from usearch.index import Index

            graph = Index.restore(os.path.join(index_dir, name))
        except Exception:  # unreadable or missing: rebuilt from the vectors
            graph = None
    if graph is None:
        graph, rowid = _new_graph(dimension), 0
    else:
        graph.expansion_search = EXPANSION_SEARCH
        present = np.fromiter((r for (r,) in conn.execute(
            "SELECT rowid FROM vectors WHERE rowid <= ?", (rowid,))), dtype=np.uint64)
        keys = np.asarray(graph.keys, dtype=np.uint64)
        gone = np.setdiff1d(keys, present, assume_unique=True)
        if len(gone):
            graph.remove(gone)
    last = rowid
    while True:
        rows = conn.execute("SELECT rowid, vec FROM vectors WHERE rowid > ? ORDER BY rowid "
                            "LIMIT ?", (last, _ADD_ROWS)).fetchall()
        if not rows:
            break
        keys = np.array([r[0] for r in rows], dtype=np.uint64)
        graph.add(keys, as_matrix((r[1] for r in rows), dimension))
        last = int(keys[-1])
    new = f"{PREFIX}{last}-{os.getpid()}{SUFFIX}"
    graph.save(os.path.join(index_dir, new + ".tmp"))
    os.replace(os.path.join(index_dir, new + ".tmp"), os.path.join(index_dir, new))
    with conn:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('ann_file', ?)", (new,))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('ann_rowid', ?)", (str(last),))
        conn.execute("DELETE FROM meta WHERE key = 'ann_gone'")
        conn.execute("INSERT INTO meta VALUES ('generation', 1) ON CONFLICT(key) DO UPDATE "
                     "SET value = value + 1")
    _remove_others(index_dir, keep=new)
    return new


def _forget(conn: sqlite3.Connection, index_dir: str) -> None:
    if current(conn)[0] is not None:
        with conn:
            conn.execute("DELETE FROM meta WHERE key IN ('ann_file', 'ann_rowid', 'ann_gone')")
    _remove_others(index_dir, keep=None)


def _remove_others(index_dir: str, keep: Optional[str]) -> None:
    """Delete older graph files (a reader that mapped one keeps its pages: Linux)."""
    for path in glob.glob(os.path.join(glob.escape(index_dir), PREFIX + "*" + SUFFIX + "*")):
        if os.path.basename(path) != keep:
            try:
                os.remove(path)
            except OSError:
                pass


def open_view(index_dir: str, name: str):
    """The saved graph, memory-mapped; None if it cannot be read (then: exact search)."""
    try:
        from usearch.index import Index

        graph = Index.restore(os.path.join(index_dir, name), view=True)
    except Exception:
        return None
    if graph is None:
        return None
    graph.expansion_search = EXPANSION_SEARCH
    return graph
