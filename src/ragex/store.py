"""Store: the persistent index, one SQLite file in WAL mode.

Tables: `files` (one row per discovered file: size, mtime, content hash, language, status,
reason, symbol count), `symbols` (the full `Symbol` record), `names` + `names_fts` (the distinct symbol
names and an FTS5 trigram
index over name and qualified name, kept in step by triggers) and `meta` (schema version,
settings the index depends on, the last run). A file's row and its symbols change in one
transaction, so a reader never sees half a file, and a killed writer leaves the last
committed state.

Not for: deciding what to index (indexer) or ranking results (search).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence

from .symbol import FIELD_NAMES, Symbol

SCHEMA_VERSION = 5
DB_NAME = "index.db"

_SYMBOL_COLUMNS = FIELD_NAMES  # one column per Symbol field, same names
_LIST_FIELDS = ("modifiers", "decorators")
_LIST_INDEXES = tuple(FIELD_NAMES.index(f) for f in _LIST_FIELDS)

# The search indexes: dropped during a bulk build and created once at its end, which is
# several times faster than maintaining them row by row (see begin_bulk).
_SEARCH_INDEXES = """
CREATE INDEX IF NOT EXISTS symbols_name ON symbols(name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS symbols_qualified ON symbols(qualified_name COLLATE NOCASE);
"""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT,
    language TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    warning TEXT,
    symbol_count INTEGER NOT NULL DEFAULT 0,
    indexed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS symbols (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL,
    {", ".join(f"{c} {'INTEGER' if c.endswith(('_line', '_col', '_byte')) else 'TEXT'}"
               for c in _SYMBOL_COLUMNS)}
);
CREATE INDEX IF NOT EXISTS symbols_file ON symbols(file_id);
CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS names_fts USING fts5(
    name, content='names', content_rowid='id', tokenize='trigram');
"""


# rows a budgeted scan reads between two looks at the clock (≈ 20-50 ms of LIKE on a
# kernel-sized index)
SCAN_SLICE = 50_000


@dataclass
class ScanBudget:
    """A `time_budget` in force: when it ends, and whether it stopped a scan."""

    deadline: float
    cut: bool = False


class IndexUnavailable(RuntimeError):
    """The index cannot be used as it is; the message says why and what to do."""


@dataclass(frozen=True)
class FileRow:
    id: int
    path: str
    size: int
    mtime_ns: int
    hash: Optional[str]
    language: Optional[str]
    status: str
    reason: Optional[str]
    warning: Optional[str]
    symbol_count: int
    indexed_at: float


def _connect(path: str, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = "file:" + os.path.abspath(path).replace("?", "%3f") + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


class IndexStore:
    """One index database. Open read-only for queries, read-write for `ragex index`."""

    def __init__(self, index_dir: str, readonly: bool = False) -> None:
        self.index_dir = index_dir
        self.path = os.path.join(index_dir, DB_NAME)
        self.readonly = readonly
        self.bulk = False
        self._vocab = False
        self._budget: Optional[ScanBudget] = None  # inside `time_budget`
        if readonly and not os.path.exists(self.path):
            raise IndexUnavailable(f"no index at {index_dir}: run `ragex index` first")
        if not readonly:
            _prepare_dir(index_dir)
        try:
            self.conn = _connect(self.path, readonly)
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._check_schema()
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailable(
                f"the index {self.path} is unreadable or corrupt ({exc}): "
                "run `ragex index --rebuild` to recreate it") from None

    def _check_schema(self) -> None:
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if has_meta:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row else None
            if version != SCHEMA_VERSION:
                raise IndexUnavailable(
                    f"the index {self.path} has schema version {version}, this ragex uses "
                    f"{SCHEMA_VERSION}: run `ragex index --rebuild` to recreate it")
            return
        if self.readonly:
            raise IndexUnavailable(f"{self.path} is not a ragex index: run `ragex index`")
        with self.conn:
            self.conn.executescript(_SCHEMA + _SEARCH_INDEXES + _REFS_SCHEMA + _REFS_INDEXES)
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                              (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------- meta
    def get_meta(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row and row[0] is not None else default

    def set_meta(self, key: str, value) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    # ------------------------------------------------------------------ files
    def file_rows(self) -> dict[str, FileRow]:
        rows = self.conn.execute(
            "SELECT id, path, size, mtime_ns, hash, language, status, reason, warning, "
            "symbol_count, indexed_at FROM files")
        return {r[1]: FileRow(*r) for r in rows}

    def file_row(self, path: str) -> Optional[FileRow]:
        row = self.conn.execute(
            "SELECT id, path, size, mtime_ns, hash, language, status, reason, warning, "
            "symbol_count, indexed_at FROM files WHERE path=?", (path,)).fetchone()
        return FileRow(*row) if row else None

    # ----------------------------------------------------------------- writes
    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.commit()

    def put_file(self, path: str, size: int, mtime_ns: int, content_hash: Optional[str],
                 language: Optional[str], status: str, reason: Optional[str],
                 warning: Optional[str], symbols: Sequence, refs: Sequence = ()) -> None:
        """Replace one file's row, symbols and references (call inside begin()/commit()).

        `symbols` are Symbol records or tuples in Symbol field order; `refs` tuples in
        `Reference` field order.
        """
        cur = self.conn.cursor()
        row = cur.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
        now = time.time()
        if row:
            file_id = row[0]
            cur.execute("DELETE FROM symbols WHERE file_id=?", (file_id,))
            self._delete_refs(file_id)
            cur.execute("UPDATE files SET size=?, mtime_ns=?, hash=?, language=?, status=?, "
                        "reason=?, warning=?, symbol_count=?, indexed_at=? WHERE id=?",
                        (size, mtime_ns, content_hash, language, status, reason, warning,
                         len(symbols), now, file_id))
        else:
            cur.execute("INSERT INTO files (path, size, mtime_ns, hash, language, status, reason, "
                        "warning, symbol_count, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (path, size, mtime_ns, content_hash, language, status, reason, warning,
                         len(symbols), now))
            file_id = cur.lastrowid
        if symbols:
            cur.executemany(_INSERT_SYMBOL, (_symbol_row(file_id, s) for s in symbols))
            if not self.bulk:  # new names join the trigram index (names are never removed:
                # a name nobody defines any more finds no symbol, and a rebuild drops it)
                before = cur.execute("SELECT coalesce(max(id), 0) FROM names").fetchone()[0]
                cur.execute("INSERT OR IGNORE INTO names(name) "
                            "SELECT DISTINCT name FROM symbols WHERE file_id=?", (file_id,))
                cur.execute("INSERT INTO names_fts(rowid, name) "
                            "SELECT id, name FROM names WHERE id > ?", (before,))
        if refs:
            self._put_refs(file_id, refs)

    # ------------------------------------------------------------ bulk builds
    def search_ready(self) -> bool:
        """False while a bulk build runs (or was killed): FTS and name indexes incomplete."""
        return self.get_meta("search_ready", True) is True

    def begin_bulk(self) -> None:
        """Drop the search indexes for a build that rewrites most of the index."""
        self.bulk = True
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('search_ready', 'false')")
            self.conn.execute("DROP INDEX IF EXISTS symbols_name")
            self.conn.execute("DROP INDEX IF EXISTS symbols_qualified")
            self.conn.executescript(_REFS_DROP_INDEXES)
            self.conn.execute("INSERT INTO names_fts(names_fts) VALUES ('delete-all')")
            self.conn.execute("DELETE FROM names")

    def end_bulk(self) -> None:
        """Create the search indexes and the FTS index over everything, in one pass."""
        with self.conn:
            self.conn.executescript(_SEARCH_INDEXES + _REFS_INDEXES)
            self.conn.execute("DELETE FROM names")
            self.conn.execute("INSERT INTO names(name) SELECT DISTINCT name FROM symbols")
            self.conn.execute("INSERT INTO names_fts(names_fts) VALUES ('rebuild')")
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('search_ready', 'true')")
        self.bulk = False

    def touch_file(self, path: str, size: int, mtime_ns: int) -> None:
        self.conn.execute("UPDATE files SET size=?, mtime_ns=? WHERE path=?",
                          (size, mtime_ns, path))

    def delete_files(self, paths: Iterable[str]) -> int:
        count = 0
        for path in paths:
            row = self.conn.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
            if row:
                self.conn.execute("DELETE FROM symbols WHERE file_id=?", (row[0],))
                self._delete_refs(row[0])
                self.conn.execute("DELETE FROM files WHERE id=?", (row[0],))
                count += 1
        return count

    # ---------------------------------------------------------------- queries
    @contextmanager
    def time_budget(self, seconds: float) -> Iterator["ScanBudget"]:
        """`symbols_where` calls in this block read the table in slices of rowids and stop
        starting new slices once `seconds` have passed (the first slice always runs): they
        return the rows found so far and set the yielded budget's `cut`. For scans while a
        build has dropped the search indexes, so that no lookup takes seconds."""
        budget = ScanBudget(time.monotonic() + seconds)
        self._budget = budget
        try:
            yield budget
        finally:
            self._budget = None

    def scan_cut(self) -> bool:
        """Whether the current `time_budget` has stopped a scan."""
        return self._budget is not None and self._budget.cut

    def symbols_where(self, where: str, params: Sequence = (), order: str = "",
                      limit: Optional[int] = None) -> list[tuple[int, Symbol]]:
        budget = self._budget
        if budget is None or order:
            return self._symbols_where(where, params, order, limit)
        rows: list[tuple[int, Symbol]] = []
        top = self.conn.execute("SELECT coalesce(max(id), 0) FROM symbols").fetchone()[0]
        for lo in range(0, top, SCAN_SLICE):
            if lo and time.monotonic() > budget.deadline:
                budget.cut = True
                break
            rows += self._symbols_where(f"id > {lo} AND id <= {lo + SCAN_SLICE} AND ({where})",
                                        params, "", None if limit is None else limit - len(rows))
            if limit is not None and len(rows) >= limit:
                break
        return rows

    def _symbols_where(self, where: str, params: Sequence, order: str,
                       limit: Optional[int]) -> list[tuple[int, Symbol]]:
        sql = f"SELECT id, {', '.join(_SYMBOL_COLUMNS)} FROM symbols WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [(row[0], _row_symbol(row[1:])) for row in self.conn.execute(sql, params)]

    def symbol_by_id(self, symbol_id: int) -> Optional[Symbol]:
        rows = self.symbols_where("id = ?", (symbol_id,))
        return rows[0][1] if rows else None

    def file_symbols(self, path: str) -> list[Symbol]:
        return [s for _, s in self.symbols_where(
            "file_id = (SELECT id FROM files WHERE path = ?)", (path,),
            order="start_byte, end_byte DESC")]

    def fts_ids(self, match: str, limit: int) -> list[int]:
        """Ids of symbols whose name matches an FTS5 expression over the distinct names,
        unranked: ranking (bm25) a common trigram's postings costs ~100 ms; the caller
        ranks the candidates itself."""
        rows = self.conn.execute(
            "SELECT s.id FROM names_fts f JOIN names n ON n.id = f.rowid "
            "JOIN symbols s ON s.name = n.name COLLATE NOCASE "
            "WHERE names_fts MATCH ? LIMIT ?", (match, limit))
        return [r[0] for r in rows]

    def trigram_counts(self, grams: Sequence[str]) -> dict[str, int]:
        """How many distinct names contain each trigram (FTS5's vocabulary, no scan)."""
        if not self._vocab:
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.names_vocab "
                              "USING fts5vocab(main, names_fts, 'row')")
            self._vocab = True
        rows = self.conn.execute(
            f"SELECT term, doc FROM temp.names_vocab WHERE term IN "
            f"({','.join('?' * len(grams))})", list(grams))
        return dict(rows.fetchall())

    def names_matching(self, match: str, shortest: int, longest: int,
                       limit: int) -> list[str]:
        """Distinct names matching an FTS5 expression, with a length in range."""
        return [r[0] for r in self.conn.execute(
            "SELECT n.name FROM names_fts f JOIN names n ON n.id = f.rowid "
            "WHERE names_fts MATCH ? AND length(n.name) BETWEEN ? AND ? LIMIT ?",
            (match, shortest, longest, limit))]

    def names_near(self, prefix: str, shortest: int, longest: int, limit: int) -> list[str]:
        """Names starting with `prefix` (any case) of a length in [shortest, longest]."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT name FROM symbols WHERE name >= ? COLLATE NOCASE AND "
            "name < ? COLLATE NOCASE AND length(name) BETWEEN ? AND ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", shortest, longest, limit))]

    def totals(self) -> tuple[int, int]:
        """(files, symbols) in the index."""
        return self.conn.execute(
            "SELECT count(*), coalesce(sum(symbol_count), 0) FROM files").fetchone()

    def stats(self, warnings: bool = True) -> dict:
        """Counts per language and status, the files not indexed, the index's size; and
        the files indexed with a warning (`warnings=False`: their count only)."""
        c = self.conn
        by = {}
        for language, status, files, symbols in c.execute(
                "SELECT coalesce(language, '-'), status, count(*), sum(symbol_count) FROM files "
                "GROUP BY 1, 2 ORDER BY 1, 2"):
            by.setdefault(language, {})[status] = {"files": files, "symbols": symbols or 0}
        totals = self.totals()
        problems = [
            {"path": p, "status": s, "reason": r}
            for p, s, r in c.execute("SELECT path, status, reason FROM files WHERE status != 'ok' "
                                     "ORDER BY status, path")]
        if warnings:
            warned = [{"path": p, "warning": w} for p, w in c.execute(
                "SELECT path, warning FROM files WHERE warning IS NOT NULL ORDER BY path")]
            count = len(warned)
        else:
            warned = None
            count = c.execute("SELECT count(*) FROM files WHERE warning IS NOT NULL").fetchone()[0]
        size = sum(os.path.getsize(os.path.join(self.index_dir, f))
                   for f in os.listdir(self.index_dir) if f.startswith(DB_NAME))
        return {"files": totals[0], "symbols": totals[1], "by_language": by,
                "problems": problems, "warnings": warned, "warning_files": count,
                "index_bytes": size, **self.ref_stats()}

    # ------------------------------------------------------------- references
    # The references of each file (docs/references.md), beside its symbols and replaced
    # with them in put_file's transaction. Nothing here is resolved: a reference names
    # what it uses; `references.py` finds the definitions at query time, so an edit of the
    # file that defines a name can never leave a stale edge in the files that use it.

    def _put_refs(self, file_id: int, refs: Sequence) -> None:
        self.conn.executemany(_INSERT_REF, ((file_id, r[4], r[5], r[0], r[1], r[2], r[3])
                                            for r in refs))
        counts: dict[str, int] = {}
        for ref in refs:
            counts[ref[1]] = counts.get(ref[1], 0) + 1
        self.conn.executemany("INSERT INTO ref_counts VALUES (?, ?, ?)",
                              ((file_id, kind, n) for kind, n in counts.items()))

    def _delete_refs(self, file_id: int) -> None:
        self.conn.execute("DELETE FROM refs WHERE file_id=?", (file_id,))
        self.conn.execute("DELETE FROM ref_counts WHERE file_id=?", (file_id,))

    def ref_stats(self) -> dict:
        """References in the index: the total, and per language and kind."""
        by: dict[str, dict[str, int]] = {}
        total = 0
        for language, kind, count in self.conn.execute(
                "SELECT coalesce(f.language, '-'), c.kind, sum(c.count) FROM ref_counts c "
                "JOIN files f ON f.id = c.file_id GROUP BY 1, 2 ORDER BY 1, 2"):
            by.setdefault(language, {})[kind] = count
            total += count
        return {"references": total, "references_by_language": by}

    def refs_named(self, name: str, kinds: Optional[Sequence[str]] = None,
                   path_glob: Optional[str] = None, after: Optional[tuple] = None,
                   limit: Optional[int] = None) -> list[tuple]:
        """References to `name` (exact case) in index order (file, line, column), as
        `REF_ROW` tuples; `after` (file_id, line, col) resumes after that reference."""
        where, params = ["r.name = ?"], [name]
        if kinds:
            where.append(f"r.kind IN ({','.join('?' * len(kinds))})")
            params += kinds
        if path_glob:
            where.append("f.path GLOB ?")
            params.append(path_glob)
        if after is not None:
            where.append("(r.file_id, r.line, r.col) > (?, ?, ?)")
            params += after
        sql = (f"SELECT {_REF_ROW_SQL} FROM refs r JOIN files f ON f.id = r.file_id "
               f"WHERE {' AND '.join(where)} ORDER BY r.file_id, r.line, r.col")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.conn.execute(sql, params).fetchall()

    def refs_in(self, file_id: int, first_line: int, last_line: int,
                kinds: Optional[Sequence[str]] = None) -> list[tuple]:
        """The references of one file between two lines (inclusive), in source order."""
        sql = (f"SELECT {_REF_ROW_SQL} FROM refs r JOIN files f ON f.id = r.file_id "
               "WHERE r.file_id = ? AND r.line BETWEEN ? AND ?")
        params: list = [file_id, first_line, last_line]
        if kinds:
            sql += f" AND r.kind IN ({','.join('?' * len(kinds))})"
            params += kinds
        return self.conn.execute(sql + " ORDER BY r.line, r.col", params).fetchall()

    def file_imports(self, file_id: int) -> list[tuple]:
        """The import references of one file, in source order."""
        return self.conn.execute(
            f"SELECT {_REF_ROW_SQL} FROM refs r JOIN files f ON f.id = r.file_id "
            "WHERE r.file_id = ? AND r.kind = 'import' ORDER BY r.line, r.col",
            (file_id,)).fetchall()

    def defs_where(self, where: str, params: Sequence) -> list[tuple]:
        """Definitions as the resolver reads them (`DEF_ROW` tuples): what a lookup by
        name or qualified name needs, without the rest of the record."""
        return self.conn.execute(
            f"SELECT s.id, s.name, s.qualified_name, s.kind, s.parent, s.path, s.language, "
            f"s.file_id, s.start_line, s.start_col, s.end_line, s.end_col, s.native_kind "
            f"FROM symbols s WHERE {where}", params).fetchall()

    def file_ids(self, paths: Sequence[str]) -> list[tuple[int, str, Optional[str]]]:
        """(id, path, language) of the indexed files among `paths`."""
        if not paths:
            return []
        return self.conn.execute(
            f"SELECT id, path, language FROM files WHERE path IN ({','.join('?' * len(paths))})",
            list(paths)).fetchall()

    def ref_count(self, name: str, kinds: Sequence[str] = ()) -> int:
        where = "name = ?" + (f" AND kind IN ({','.join('?' * len(kinds))})" if kinds else "")
        return self.conn.execute(f"SELECT count(*) FROM refs WHERE {where}",
                                 (name, *kinds)).fetchone()[0]


# ---------------------------------------------------------------- references
# (the reference tables: docs/references.md; kept apart from the symbol tables above)
# One row per reference, clustered by file and position: a file's references are one range
# (replaced in one delete) and a definition's body is one range of lines. `ref_counts`
# holds each file's count per kind, so that `status` adds a few rows per file instead of
# counting every reference.
_REFS_SCHEMA = """
CREATE TABLE IF NOT EXISTS refs (
    file_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    alias TEXT,
    PRIMARY KEY (file_id, line, col)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ref_counts (
    file_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (file_id, kind)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refs_imports ON refs(file_id) WHERE kind = 'import';
"""
# dropped during a bulk build and created at its end, like the symbol search indexes
_REFS_INDEXES = "CREATE INDEX IF NOT EXISTS refs_name ON refs(name);\n"
_REFS_DROP_INDEXES = "DROP INDEX IF EXISTS refs_name;\n"
_INSERT_REF = "INSERT OR REPLACE INTO refs VALUES (?, ?, ?, ?, ?, ?, ?)"
# what a reference query returns, per row: REF_ROW's fields
_REF_ROW_SQL = ("r.file_id, f.path, f.language, r.line, r.col, r.name, r.kind, r.qualifier, "
                "r.alias")
REF_ROW = ("file_id", "path", "language", "line", "col", "name", "kind", "qualifier", "alias")
DEF_ROW = ("id", "name", "qualified_name", "kind", "parent", "path", "language", "file_id",
           "start_line", "start_col", "end_line", "end_col", "native_kind")

_INSERT_SYMBOL = (f"INSERT INTO symbols (file_id, {', '.join(_SYMBOL_COLUMNS)}) "
                  f"VALUES (?, {', '.join('?' * len(_SYMBOL_COLUMNS))})")


def _symbol_row(file_id: int, symbol: Sequence) -> tuple:
    """A `Symbol` (or the plain tuple of its fields) as a symbols-table row."""
    values = list(symbol)
    for i in _LIST_INDEXES:
        values[i] = "\x1f".join(values[i]) if values[i] else ""
    return (file_id, *values)


def _row_symbol(row: Sequence) -> Symbol:
    values = list(row)
    for i in _LIST_INDEXES:
        values[i] = tuple(values[i].split("\x1f")) if values[i] else ()
    return Symbol._make(values)


def _prepare_dir(index_dir: str) -> None:
    os.makedirs(index_dir, exist_ok=True)
    ignore = os.path.join(index_dir, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w") as fh:
            fh.write("# ragex index: never commit it\n*\n")


def remove_index(index_dir: str) -> None:
    """Delete the database files (for --rebuild); leaves the directory."""
    for name in os.listdir(index_dir) if os.path.isdir(index_dir) else ():
        if name.startswith(DB_NAME):
            os.remove(os.path.join(index_dir, name))
