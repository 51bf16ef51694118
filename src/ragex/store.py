"""Store: the persistent index, one SQLite file in WAL mode.

Tables: `files` (one row per discovered file: size, mtime, content hash, language, status,
reason, symbol count, and the fingerprint of the extractor that wrote it), `symbols` (the
full `Symbol` record), `names` + `names_fts` (the distinct symbol names and an FTS5 trigram
index over name and qualified name, kept in step by triggers), `lex_docs` + `lex_fts` (the
words of each definition for natural-language search, written with its file's symbols; see
`lexical`) and `meta` (schema version,
settings the index depends on, the last run). A file's row and its symbols change in one
transaction, so a reader never sees half a file, and a killed writer leaves the last
committed state.

Every failure of the database or its directory leaves this module as an `IndexUnavailable`
(one line: the path, what went wrong, what to do), never as a bare `sqlite3` error: a
corrupt file (`IndexCorrupt`, which `ragex index` rebuilds), an index this user cannot write
or a full disk (`IndexNotWritable`, the index as last committed still answers). A read-only
index (no write access to its directory, or a read-only mount) still answers queries.

Not for: deciding what to index (indexer) or ranking results (search).
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import sqlite3
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, fields
from operator import itemgetter
from typing import Iterable, Iterator, Optional, Sequence

from . import lexical
from .symbol import FIELD_NAMES, Symbol

SCHEMA_VERSION = 9
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
    indexed_at REAL NOT NULL,
    fingerprint TEXT
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


# In a bulk build, the lexical rows are indexed at the first commit with this many waiting
# (see `commit`): fewer, larger FTS segments to merge than one per commit. Replaying the
# stdlib's rows into a store (benchmarks/bench_store.py, CPU of writes, commits and the
# end): 2.51 s, against 2.43-2.51 s with one rebuild at the end and 2.77-2.80 s when every
# commit indexed its own rows.
_LEX_BATCH_ROWS = 20_000

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


class IndexCorrupt(IndexUnavailable):
    """The database file is damaged or is not a database: `ragex index` rebuilds it."""

    def __init__(self, path: str, detail: str) -> None:
        self.problem = f"the index {path} is corrupt ({detail})"
        super().__init__(f"{self.problem}: run `ragex index` to rebuild it")


class IndexOutdated(IndexUnavailable):
    """The index was written with another schema: `ragex index` rebuilds it."""

    def __init__(self, path: str, version: Optional[int]) -> None:
        self.problem = (f"the index {path} has schema version {version}, this ragex uses "
                        f"{SCHEMA_VERSION}")
        super().__init__(f"{self.problem}: run `ragex index` to rebuild it")


class IndexNotWritable(IndexUnavailable):
    """This process cannot write the index (permissions, a read-only mount, a full disk);
    nothing was changed past the last commit, which still answers queries."""


# SQLite's primary result codes (sqlite3.SQLITE_* from Python 3.11 on)
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3, 5, 6, 8, 10, 11, 13, 14, 26)
# Python 3.10 has no `sqlite_errorcode`: the same codes from SQLite's own messages
_CODE_BY_MESSAGE = (("malformed", _CORRUPT), ("not a database", _NOTADB),
                    ("disk is full", _FULL), ("readonly database", _READONLY),
                    ("unable to open", _CANTOPEN), ("disk i/o error", _IOERR),
                    ("is locked", _BUSY), ("could not decode", _CORRUPT))
_FREE_WHEN_FULL = 1 << 20  # an I/O error with less free space than this: the disk is full


def _primary_code(exc: sqlite3.Error) -> Optional[int]:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(exc).lower()
    return next((c for fragment, c in _CODE_BY_MESSAGE if fragment in text), None)


def _disk_full(path: str) -> bool:
    try:
        return shutil.disk_usage(path).free < _FREE_WHEN_FULL
    except OSError:
        return False


def _why_not_writable(path: str) -> str:
    """The reason `path` (a file or a directory) cannot be written, as the OS sees it."""
    directory = path if os.path.isdir(path) else os.path.dirname(path)
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return "the file system is mounted read-only"
    except OSError:
        pass
    if _disk_full(directory):
        return "the disk is full"
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return "permission denied"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"permission denied on the directory {directory}"
    return "it is read-only"


def not_writable(path: str, reason: str) -> IndexNotWritable:
    """The one message for an index that cannot be written, with what to do."""
    if "full" in reason:
        advice = ("free some space (or pass --index-dir on another disk) and run "
                  "`ragex index` again")
    elif "read-only" in reason:
        advice = ("remount it read-write, or pass --index-dir (RAGEX_INDEX_DIR) to keep the "
                  "index elsewhere")
    else:
        advice = ("make it writable by this user, or pass --index-dir (RAGEX_INDEX_DIR) "
                  "to keep the index elsewhere")
    db = path if os.path.basename(path).startswith(DB_NAME) else os.path.join(path, DB_NAME)
    if os.path.isfile(db):
        advice += "; queries still answer from the index as last committed"
    return IndexNotWritable(f"cannot write the index at {path}: {reason}: {advice}")


def index_error(exc: BaseException, path: str) -> IndexUnavailable:
    """What a `sqlite3` or OS error met on the index at `path` means, as an
    `IndexUnavailable` naming the path and what to do."""
    if isinstance(exc, IndexUnavailable):
        return exc
    if isinstance(exc, OSError):
        return _os_error(exc, path)
    code = _primary_code(exc) if isinstance(exc, sqlite3.Error) else None
    if code in (_CORRUPT, _NOTADB):
        return IndexCorrupt(path, str(exc))
    if code == _FULL:
        return not_writable(path, "the disk is full")
    if code == _IOERR and _disk_full(os.path.dirname(path)):
        return not_writable(path, f"the disk is full ({exc})")
    if code in (_READONLY, _PERM) or (code == _CANTOPEN and os.path.exists(path)
                                      and not os.access(path, os.W_OK)):
        return not_writable(path, _why_not_writable(path))
    if code == _CANTOPEN:
        if os.path.exists(path) and not os.access(path, os.R_OK):
            return IndexUnavailable(f"cannot read the index {path}: permission denied: make "
                                    "it readable by this user, or pass --index-dir elsewhere")
        return not_writable(path, _why_not_writable(path))
    if code in (_BUSY, _LOCKED):
        return IndexUnavailable(f"the index {path} is locked by another process ({exc}): "
                                "try again when it is done")
    if code == _IOERR:
        return IndexUnavailable(f"I/O error on the index {path} ({exc}): check the disk, "
                                "then run `ragex index` (a damaged index is rebuilt)")
    return IndexUnavailable(f"the index {path} cannot be used ({exc}): "
                            "run `ragex index --rebuild` to recreate it")


def _os_error(exc: OSError, path: str) -> IndexUnavailable:
    where = path
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return not_writable(where, "the disk is full")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return not_writable(where, _why_not_writable(exc.filename or path))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return IndexUnavailable(f"the index directory {where} is not a directory: pass "
                                "--index-dir a directory (default <root>/.ragex)")
    if exc.errno == errno.EISDIR:
        return IndexUnavailable(f"{where} is a directory, not a ragex index: move it away "
                                "or pass --index-dir elsewhere")
    return IndexUnavailable(f"the index at {where} cannot be used ({exc.strerror or exc})")


def _named_errors(method):
    """Re-raise what escapes a store method as `index_error` says (once, for all of them)."""
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError) as exc:
            raise index_error(exc, self.path) from exc
    return guarded


def _all_errors_named(cls):
    """Guard every public method (the private ones run inside them, or in __init__)."""
    for name, value in list(vars(cls).items()):
        if callable(value) and not name.startswith("_"):
            setattr(cls, name, _named_errors(value))
    return cls


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
    fingerprint: Optional[str]  # of the extractor that wrote the row (indexer decides)


_FILE_COLUMNS = ", ".join(f.name for f in fields(FileRow))


def _connect(path: str, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
    if readonly:
        mode = "immutable=1" if immutable else "mode=ro"
        uri = "file:" + os.path.abspath(path).replace("?", "%3f") + "?" + mode
        conn = sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def _cannot_share(exc: sqlite3.Error, path: str) -> bool:
    """A WAL database opened read-only needs its `-shm` file (or to create it): on a
    read-only mount or in a directory this user cannot write, SQLite refuses it, although
    the file itself is readable."""
    return _primary_code(exc) in (_CANTOPEN, _READONLY) and os.access(path, os.R_OK)


@_all_errors_named
class IndexStore:
    """One index database. Open read-only for queries, read-write for `ragex index`."""

    def __init__(self, index_dir: str, readonly: bool = False) -> None:
        self.index_dir = index_dir
        self.path = os.path.join(index_dir, DB_NAME)
        self.readonly = readonly
        self.immutable = False  # read as a file that nobody writes (see _cannot_share)
        self.bulk = False
        # During a bulk build, the lex_docs rows in lex_fts: ids in [from, done) (see
        # begin_bulk and commit)
        self._lex_from = self._lex_done = 0
        self._vocab = False
        self._budget: Optional[ScanBudget] = None  # inside `time_budget`
        _check_paths(index_dir, self.path)
        if readonly and not os.path.exists(self.path):
            raise IndexUnavailable(f"no index at {index_dir}: run `ragex index` first")
        try:
            if not readonly:
                prepare_index_dir(index_dir)
            self.conn = _connect(self.path, readonly)
            try:
                if not readonly:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                    self.conn.execute("PRAGMA synchronous = NORMAL")
                self._check_schema()
            except sqlite3.Error as exc:
                if not (readonly and _cannot_share(exc, self.path)):
                    raise
                self.conn.close()
                self.conn = _connect(self.path, readonly, immutable=True)
                self.immutable = True
                self._check_schema()
        except (sqlite3.Error, OSError) as exc:
            raise index_error(exc, self.path) from exc

    def _check_schema(self) -> None:
        has_meta = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if has_meta:
            row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = int(row[0]) if row and str(row[0]).isdigit() else None
            if version != SCHEMA_VERSION:
                raise IndexOutdated(self.path, version)
            return
        if self.readonly:
            raise IndexCorrupt(self.path, "not a ragex index")
        with self.conn:
            self.conn.executescript(_SCHEMA + _SEARCH_INDEXES + lexical.DDL + _REFS_SCHEMA
                                    + _REFS_INDEXES)
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                              (str(SCHEMA_VERSION),))

    def check_integrity(self) -> None:
        """SQLite's `PRAGMA quick_check` (every page and b-tree, not index contents):
        IndexCorrupt if it finds damage. It reads the whole file: measured on the 310 MB
        index of CPython's stdlib (19,317 files), 0.39 s with the file in the page cache,
        6-7 s from a cold cache on a slow virtual disk."""
        problems = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise IndexCorrupt(self.path, f"quick_check: {'; '.join(problems)[:300]}")

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------- meta
    def get_meta(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        if not row or row[0] is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            raise IndexCorrupt(self.path, f"meta {key!r} is not JSON") from None

    def set_meta(self, key: str, value) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    # ------------------------------------------------------------------ files
    def file_rows(self) -> dict[str, FileRow]:
        rows = self.conn.execute(f"SELECT {_FILE_COLUMNS} FROM files")
        return {r[1]: FileRow(*r) for r in rows}

    def file_row(self, path: str) -> Optional[FileRow]:
        row = self.conn.execute(f"SELECT {_FILE_COLUMNS} FROM files WHERE path=?",
                                (path,)).fetchone()
        return FileRow(*row) if row else None

    def paths_under(self, directory: str) -> list[str]:
        """The indexed paths below a root-relative directory (a range of the path index)."""
        if not directory:
            return list(self.file_rows())
        return [r[0] for r in self.conn.execute(
            "SELECT path FROM files WHERE path >= ? AND path < ?",
            (directory + "/", directory + "0"))]  # "0" follows "/" in byte order

    # ----------------------------------------------------------------- writes
    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Commit; in a bulk build, once `_LEX_BATCH_ROWS` lexical rows are waiting, they
        are indexed first, in the same transaction. lex_fts then holds exactly the build's
        rows with ids in [from, done) at every commit; a build killed with rows waiting
        leaves search_ready false, and the next run empties lex_fts and indexes them."""
        if self.bulk and self.conn.in_transaction:
            done = lexical.next_row(self.conn)
            if done - self._lex_done >= _LEX_BATCH_ROWS:
                lexical.index_rows(self.conn, self._lex_done, done)
                self.conn.commit()
                self._lex_done = done
                return
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def put_file(self, path: str, size: int, mtime_ns: int, content_hash: Optional[str],
                 language: Optional[str], status: str, reason: Optional[str],
                 warning: Optional[str], symbols: Sequence,
                 fingerprint: Optional[str] = None, documents: Sequence = (),
                 refs: Sequence = ()) -> None:
        """Replace one file's row, symbols and references (call inside begin()/commit()).

        `symbols` are Symbol records or tuples in Symbol field order; `fingerprint` names
        the extractor that produced them, so that a later run knows the row is current;
        `documents` their natural-language search rows (`lexical.documents`); `refs`
        tuples in `Reference` field order.
        """
        cur = self.conn.cursor()
        row = cur.execute("SELECT id FROM files WHERE path=?", (path,)).fetchone()
        now = time.time()
        if row:
            file_id = row[0]
            cur.execute("DELETE FROM symbols WHERE file_id=?", (file_id,))
            lexical.delete_documents(cur, file_id, self._lex_indexed())
            self._delete_refs(file_id)
            cur.execute("UPDATE files SET size=?, mtime_ns=?, hash=?, language=?, status=?, "
                        "reason=?, warning=?, symbol_count=?, indexed_at=?, fingerprint=? "
                        "WHERE id=?",
                        (size, mtime_ns, content_hash, language, status, reason, warning,
                         len(symbols), now, fingerprint, file_id))
        else:
            cur.execute("INSERT INTO files (path, size, mtime_ns, hash, language, status, reason, "
                        "warning, symbol_count, indexed_at, fingerprint) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (path, size, mtime_ns, content_hash, language, status, reason, warning,
                         len(symbols), now, fingerprint))
            file_id = cur.lastrowid
        if symbols:
            # a new row's id is one more than the largest (one writer, in a transaction)
            first = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM symbols").fetchone()[0]
            cur.executemany(_INSERT_SYMBOL, (_symbol_row(file_id, s) for s in symbols))
            lexical.put_documents(cur, file_id, range(first, first + len(symbols)), documents,
                                  index=not self.bulk,
                                  lowest=self._lex_done if self.bulk else 0)
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

    def _lex_indexed(self) -> tuple[int, Optional[int]]:
        """The ids of lex_docs rows that lex_fts holds now (all of them but in a bulk
        build)."""
        return (self._lex_from, self._lex_done) if self.bulk else (0, None)

    def begin_bulk(self) -> None:
        """Drop the search indexes for a build that rewrites most of the index. The
        lexical index is emptied; from here on, what each commit wrote is indexed with it
        (`commit`), and the rows already there are indexed at the end (`end_bulk`)."""
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('search_ready', 'false')")
            self.conn.execute("DROP INDEX IF EXISTS symbols_name")
            self.conn.execute("DROP INDEX IF EXISTS symbols_qualified")
            self.conn.executescript(_REFS_DROP_INDEXES)
            self.conn.execute("INSERT INTO names_fts(names_fts) VALUES ('delete-all')")
            self.conn.execute("DELETE FROM names")
            lexical.clear_index(self.conn)
            self._lex_from = self._lex_done = lexical.next_row(self.conn)
        self.bulk = True

    def end_bulk(self) -> None:
        """Create the search indexes and the names' FTS index over everything, in one
        pass, and index the lexical rows that no commit of the build indexed."""
        with self.conn:
            self.conn.executescript(_SEARCH_INDEXES + _REFS_INDEXES)
            self.conn.execute("DELETE FROM names")
            self.conn.execute("INSERT INTO names(name) SELECT DISTINCT name FROM symbols")
            self.conn.execute("INSERT INTO names_fts(names_fts) VALUES ('rebuild')")
            # rows from before the build, and any written since the last commit
            lexical.index_rows(self.conn, 0, self._lex_from)
            lexical.index_rows(self.conn, max(self._lex_done, self._lex_from))
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
                lexical.delete_documents(self.conn.cursor(), row[0], self._lex_indexed())
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
        counts = Counter(map(_REF_KIND, refs))  # counted in C: millions on the kernel
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
_REF_KIND = itemgetter(1)  # a reference tuple's kind (Reference field order)
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


def _check_paths(index_dir: str, db_path: str) -> None:
    """The two ways a path can stand where the index should be, each with what to do."""
    if os.path.exists(index_dir) and not os.path.isdir(index_dir):
        raise IndexUnavailable(f"the index directory {index_dir} is a file, not a directory: "
                               "pass --index-dir a directory (default <root>/.ragex)")
    if os.path.isdir(db_path):
        raise IndexUnavailable(f"{db_path} is a directory, not a ragex index: move it away "
                               "or pass --index-dir elsewhere")


def prepare_index_dir(index_dir: str) -> None:
    """Create the index directory (and its `.gitignore`), or say why it cannot be."""
    _check_paths(index_dir, os.path.join(index_dir, DB_NAME))
    try:
        os.makedirs(index_dir, exist_ok=True)
        ignore = os.path.join(index_dir, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w") as fh:
                fh.write("# ragex index: never commit it\n*\n")
    except OSError as exc:
        raise index_error(exc, index_dir) from exc


def remove_index(index_dir: str) -> None:
    """Delete the database files (for a rebuild); leaves the directory, and anything in it
    that is not a file (an `index.db` directory is reported when the index is opened)."""
    try:
        for name in os.listdir(index_dir) if os.path.isdir(index_dir) else ():
            path = os.path.join(index_dir, name)
            if name.startswith(DB_NAME) and not os.path.isdir(path):
                os.remove(path)
    except OSError as exc:
        raise index_error(exc, os.path.join(index_dir, DB_NAME)) from exc
