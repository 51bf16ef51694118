"""Lexical tier of natural-language search: words of each definition, ranked by BM25.

A definition's *document* is what a person would search it by: the words of its name
(identifiers split on snake_case, camelCase and digits: `parseHTTPHeaders2` reads
`parse HTTP Headers 2`), of its enclosing scope, its doc comment, its signature and its
body. The worker that extracted a file builds these documents while the source is in
memory (`documents`), and the store writes them beside the symbols into an FTS5 table
with the porter stemmer, one row per chunk of a long body (`DDL`); the question side
(`search`) turns a query into the same words, drops common English words, and ranks
with BM25 and per-field weights (a word of the name counts most), then reranks the best
by how much of the definition's name the query covers and how many query words its name,
scope and signature hold.

No model and no extra dependency: this tier is always on.

Not for: extracting definitions (extract), vectors (semantic) or fusing tiers (textsearch).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Sequence

from .symbol import CALLABLE, CLASS_LIKE

if TYPE_CHECKING:  # `import ragex` does not load sqlite3 (test_package)
    import sqlite3

# Kinds that get a document with a body (chunked), and kinds that get one without (name,
# scope, doc and signature only: a module's body is its whole file, a constant's is its
# value). Imports and locals are not what anyone searches by meaning.
BODY_KINDS = CALLABLE | CLASS_LIKE | frozenset({"macro", "namespace"})
HEAD_KINDS = frozenset({"module", "type_alias", "constant", "variable", "field",
                        "enum_member"})
DOCUMENT_KINDS = BODY_KINDS | HEAD_KINDS

CHUNK_BYTES = 2048  # a body longer than this is cut into chunks at line ends
MAX_CHUNKS = 64  # per definition; the rest of a giant body is not indexed
MAX_QUERY_TERMS = 32  # words of a query kept (after the common ones are dropped)
MAX_QUERY_CHARS = 4096  # a longer query is cut here before it is split into words

# Field weights for bm25(): a word of the name counts most (measured on the stdlib
# task in benchmarks/bench_search.py).
COLUMNS = ("name", "scope", "doc", "sig", "body")
WEIGHTS = (4.0, 1.0, 1.5, 1.5, 1.0)

# Ranking after BM25 (measured on the stdlib task, checked on Go's; docs/semantic-search.md).
# BM25 ranks the best RERANK_DEPTH rows; each definition's score is then its BM25 over the
# best one's (1 for the first) plus NAME_COVER times the share of its name's words the
# query holds (`parse_headers` for "parse the headers": 1) plus HEAD_COVER times the share
# of the query's words found in its name, scope or signature.
RERANK_DEPTH = 50
NAME_COVER = 0.2
HEAD_COVER = 0.2
# A query word in more than this share of documents ("return", "self" in Python) adds
# next to nothing to BM25 but makes it score most of the index: it is left out of the
# FTS query (still counted by HEAD_COVER) unless every word is that common.
COMMON_SHARE = 0.25
# BM25 scores every document holding any word of the query, so a query costs about the
# documents its words are in together (~0.7 µs each on this machine with full detail). The words go into
# the FTS query rarest first while their documents add up to at most POSTINGS_BUDGET; a
# word past it is asked in the name, scope and signature only, if that fits (`_asked`);
# all still count in the reranking. On a small index (the stdlib task's) this changes
# nothing; on the stdlib's or the kernel's it bounds the query.
POSTINGS_BUDGET = 10_000
HEAD_COLUMNS = "{name scope sig}"  # where a word over the budget is still asked for

# Identifiers are split by inserting a space where camelCase changes words (parseHTTP ->
# parse HTTP, HTTPServer -> HTTP Server); FTS5's unicode61 tokenizer then splits at
# everything that is not a letter or a digit (snake_case, punctuation).
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]")
_TOKEN = re.compile(r"[^\W_]+")  # what unicode61 keeps as a token


def _space(match: re.Match) -> str:
    text = match[0]
    return text[0] + " " + text[1:]


# Common English words: dropped from queries (not documents,
# where BM25's idf already makes them cheap), so that "where do we parse the headers"
# asks for `parse` and `headers`.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how
i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves
""".split())

# lex_docs: one row per document (a definition, or one chunk of a long body) with its
# words; lex_fts indexes them as external content (the text is stored once, in lex_docs).
# A file's rows are replaced in the store's transaction (`put_documents`,
# `delete_documents`). A cold build writes lex_docs row by row and indexes the rows in
# batches of 20,000, each in one statement inside the commit that stores them
# (`index_rows`, called by the store), so the indexing overlaps extraction instead of
# waiting for its end (one rebuild at the end cost about the same CPU, but alone, after
# the workers had finished: README, "Speed"); row by row it cost ~14 s of the stdlib's
# build instead of a few. Full detail (positions kept), not column detail: SQLite's
# bm25() reads a row's instances through xInst, which with column (or no) detail
# tokenizes the row's stored text again, every column of every matching row: 6.6 µs a
# row against 0.65 with full detail on the stdlib's index (docs/semantic-search.md, "full
# detail, sampled counts"). The text is stored once, in lex_docs, which the answers read.
DDL = """
CREATE TABLE IF NOT EXISTS lex_docs (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL,
    symbol_id INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    name TEXT, scope TEXT, doc TEXT, sig TEXT, body TEXT
);
CREATE INDEX IF NOT EXISTS lex_docs_file ON lex_docs(file_id);
CREATE INDEX IF NOT EXISTS lex_docs_symbol ON lex_docs(symbol_id);
CREATE VIRTUAL TABLE IF NOT EXISTS lex_fts USING fts5(
    name, scope, doc, sig, body, content='lex_docs', content_rowid='id', detail=full,
    tokenize='porter unicode61 remove_diacritics 2');
"""


def split_identifiers(text: str) -> str:
    """`text` with camelCase words apart; what the index stores of every field."""
    return text if text.islower() else _CAMEL.sub(_space, text)


def words(text: str) -> list[str]:
    """The tokens of `text` as the index sees them (case kept; FTS5 folds it)."""
    return _TOKEN.findall(split_identifiers(text))


_joined = split_identifiers


# --------------------------------------------------------------------- documents
# One document row: (symbol index in the file's list, chunk number, start line, end line,
# name, scope, doc, signature, body). Plain tuples: they cross the worker's pipe.


def documents(symbols: Sequence, source: bytes) -> list[tuple]:
    """The document rows of one file's symbols (see `document_rows`)."""
    return document_rows(symbols, source)


_FIELD = "\x1f"


def document_rows(symbols: Sequence, source: bytes) -> list[tuple]:
    """The document rows of one file's symbols (records or tuples in Symbol field
    order), built from the file's UTF-8 source."""
    order = sorted((i for i, s in enumerate(symbols) if s[2] in DOCUMENT_KINDS),
                   key=lambda i: (symbols[i][14], -symbols[i][15]))
    if not order:
        return []
    bodies = [i for i in order if symbols[i][2] in BODY_KINDS]
    holes = _nested(symbols, bodies)
    text = _Text(source)
    rows: list[tuple] = []
    for i in order:
        s = symbols[i]
        qualified = s[1]
        scope = qualified[:-len(s[0])] if qualified.endswith(s[0]) else s[16] or ""
        name, scope, doc, sig = split_identifiers(
            _FIELD.join((s[0], scope, s[18], s[17]))).split(_FIELD)
        if s[2] not in BODY_KINDS:
            rows.append((i, 0, s[6], s[8], name, scope, doc, sig, ""))
            continue
        chunks = _chunks(source, text, s[14], s[15], s[6], s[8],
                         [(symbols[j][14], symbols[j][15]) for j in holes.get(i, ())])
        for n, (first, last, body) in enumerate(chunks or [(s[6], s[8], "")]):
            rows.append((i, n, first, last, name, scope, doc if n == 0 else "", sig, body))
    return rows


class _Text:
    """A file's text sliced by byte offsets of its UTF-8 source (an ASCII file, most
    code, is decoded once). Bodies are not split at camelCase (the FTS tokenizer splits
    snake_case): splitting them costs half the tier's indexing time; names, scopes,
    signatures and docs are split."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.whole = source.decode("ascii") if source.isascii() else None

    def words(self, lo: int, hi: int) -> str:
        if self.whole is not None:
            return self.whole[lo:hi]
        return self.source[lo:hi].decode("utf-8", "replace")


def _nested(symbols: Sequence, bodies: list[int]) -> dict[int, list[int]]:
    """For each definition with a body, the definitions with a body directly inside it
    (their text is their own document, not their parent's)."""
    inside: dict[int, list[int]] = {}
    stack: list[int] = []
    for i in bodies:  # in start order, outer first
        start = symbols[i][14]
        while stack and symbols[stack[-1]][15] <= start:
            stack.pop()
        if stack:
            inside.setdefault(stack[-1], []).append(i)
        stack.append(i)
    return inside


def _chunks(source: bytes, text: _Text, start: int, end: int, line: int, end_line: int,
            holes: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(first line, last line, words) chunks of source[start:end] without the holes,
    each of about CHUNK_BYTES at most, cut at line ends."""
    if not holes and end - start <= CHUNK_BYTES:  # most definitions: one chunk
        return [(line, end_line, text.words(start, end))]
    spans: list[tuple[int, int, int, int]] = []  # (first line, last line, lo, hi)
    cursor, cursor_line = start, line
    for hole_start, hole_end in sorted(holes) + [(end, end)]:
        if hole_start > cursor:
            _cut(source, cursor, hole_start, cursor_line, spans)
        if hole_end > cursor:
            cursor_line += source.count(b"\n", cursor, hole_end)
            cursor = hole_end
    chunks: list[tuple[int, int, str]] = []
    current: list[tuple[int, int, int, int]] = []
    size = 0
    for span in spans:
        if current and size + span[3] - span[2] > CHUNK_BYTES:
            chunks.append(_chunk(text, current))
            current, size = [], 0
            if len(chunks) >= MAX_CHUNKS:
                return chunks
        current.append(span)
        size += span[3] - span[2]
    if current:
        chunks.append(_chunk(text, current))
    return chunks


def _cut(source: bytes, lo: int, hi: int, line: int, out: list) -> None:
    """source[lo:hi] as spans of at most CHUNK_BYTES ending at line ends."""
    while lo < hi:
        stop = hi
        if hi - lo > CHUNK_BYTES:
            newline = source.rfind(b"\n", lo, lo + CHUNK_BYTES)
            stop = newline + 1 if newline > lo else lo + CHUNK_BYTES
        lines = source.count(b"\n", lo, stop)
        last = line + lines - (1 if source[stop - 1:stop] == b"\n" else 0)
        if not source[lo:stop].isspace():
            out.append((line, max(line, last), lo, stop))
        line += lines
        lo = stop


def _chunk(text: _Text, spans: list[tuple[int, int, int, int]]) -> tuple[int, int, str]:
    return spans[0][0], spans[-1][1], "\n".join(text.words(lo, hi) for _, _, lo, hi in spans)


# ------------------------------------------------------------------------ store


def put_documents(cur: sqlite3.Cursor, file_id: int, symbol_ids: Sequence[int],
                  rows: Sequence[tuple], index: bool = True, lowest: int = 0) -> None:
    """Write one file's document rows (its old ones already deleted); `symbol_ids[i]` is
    the id the store gave the file's i-th symbol. `index` false (a cold build): lex_docs
    only, `index_rows` indexes them before the transaction commits. The rows get ids from
    `lowest` up at least (a bulk build: never an id freed below what it has indexed)."""
    if not rows:
        return
    first = max(lowest, next_row(cur))
    cur.executemany("INSERT INTO lex_docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(first + n, file_id, symbol_ids[r[0]], *r[1:])
                     for n, r in enumerate(rows)])
    if index:
        index_rows(cur, first)


def delete_documents(cur: sqlite3.Cursor, file_id: int,
                     indexed: tuple[int, Optional[int]] = (0, None)) -> None:
    """Forget one file's rows; those whose id is in `indexed` [low, high) (high None: no
    bound) are in lex_fts and leave it too (a cold build indexes only the rows it wrote)."""
    low, high = indexed
    if high is None or high > low:  # an external-content index forgets a row given its words
        cur.execute("INSERT INTO lex_fts(lex_fts, rowid, name, scope, doc, sig, body) "
                    "SELECT 'delete', id, name, scope, doc, sig, body FROM lex_docs "
                    "WHERE file_id = ? AND id >= ? AND id < ?",
                    (file_id, low, (1 << 62) if high is None else high))
    cur.execute("DELETE FROM lex_docs WHERE file_id = ?", (file_id,))


def clear_index(conn: sqlite3.Connection) -> None:
    """Empty lex_fts (not lex_docs) for a cold build; `index_rows` refills it."""
    conn.execute("INSERT INTO lex_fts(lex_fts) VALUES ('delete-all')")


def next_row(conn: sqlite3.Connection) -> int:
    """The id the next row of lex_docs gets."""
    return conn.execute("SELECT coalesce(max(id), 0) + 1 FROM lex_docs").fetchone()[0]


def index_rows(conn, low: int, high: Optional[int] = None) -> None:
    """Index the rows of lex_docs whose id is in [low, high) (high None: no bound), in
    one statement."""
    conn.execute("INSERT INTO lex_fts(rowid, name, scope, doc, sig, body) "
                 "SELECT id, name, scope, doc, sig, body FROM lex_docs "
                 "WHERE id >= ? AND id < ?", (low, (1 << 62) if high is None else high))


# ---------------------------------------------------------------------- queries


class EmptyQuery(ValueError):
    """A query with no word to search by; the message says why."""


@dataclass(frozen=True)
class Terms:
    """The words a query searches by, and what was left out."""

    words: tuple[str, ...]
    dropped: tuple[str, ...] = ()  # common words left out
    cut: bool = False  # the query was longer than MAX_QUERY_CHARS / MAX_QUERY_TERMS

    def joined(self) -> tuple[str, ...]:
        """Each two neighbouring words written as one: "find text" also asks for
        `findtext`, a name written without a break (Python's `getattr`, `findtext`)."""
        return tuple(a + b for a, b in zip(self.words, self.words[1:]))

    def match(self, words: Optional[Sequence[str]] = None, head: Sequence[str] = ()) -> str:
        """An FTS5 expression: any of `words` (default: all) or of the joined pairs
        (each quoted: no FTS syntax gets in), or any of `head` in the name, scope or
        signature."""
        chosen = dict.fromkeys([*(self.words if words is None else words), *self.joined()])
        parts = [_quoted(w) for w in chosen]
        if head:
            parts.append(f"{HEAD_COLUMNS} : ({' OR '.join(_quoted(w) for w in head)})")
        return " OR ".join(parts)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def query_terms(query: str) -> Terms:
    """The search words of a natural-language query; EmptyQuery if none is left."""
    if not query or not query.strip():
        raise EmptyQuery("the query is empty: say what the code does, e.g. "
                         "\"parse the HTTP headers\"")
    cut = len(query) > MAX_QUERY_CHARS
    seen: dict[str, None] = {}
    dropped: dict[str, None] = {}
    for word in words(query[:MAX_QUERY_CHARS]):
        low = word.lower()
        if low in STOP_WORDS or (len(low) == 1 and low.isascii()):
            dropped[low] = None
        else:
            seen.setdefault(low, None)
    kept = tuple(seen)
    if len(kept) > MAX_QUERY_TERMS:
        kept, cut = kept[:MAX_QUERY_TERMS], True
    if not kept:
        if dropped:
            raise EmptyQuery(
                f"the query has only common words ({', '.join(list(dropped)[:8])}): add a "
                "word that names what the code does or works on")
        raise EmptyQuery(f"the query {query[:80]!r} has no word to search by (letters or "
                         "digits)")
    return Terms(kept, tuple(dropped), cut)


@dataclass
class LexicalHit:
    symbol_id: int
    score: float  # BM25 relative to the best hit, plus the cover bonuses: higher is better
    chunk: int
    start_line: int
    end_line: int
    chunks: int = 1  # how many chunks the definition has


def search(conn: sqlite3.Connection, terms: Terms, where: str = "1",
           params: Sequence = (), limit: int = 20) -> list[LexicalHit]:
    """The best `limit` definitions for `terms`, best first (one hit per definition: its
    best chunk). `where` filters on the `symbols` table (alias s)."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    rows = conn.execute(
        f"SELECT d.symbol_id, bm25(lex_fts, {weights}) AS r, d.chunk, d.start_line, "
        f"d.end_line, s.name, d.scope, d.sig FROM lex_fts "
        f"JOIN lex_docs d ON d.id = lex_fts.rowid JOIN symbols s ON s.id = d.symbol_id "
        f"WHERE lex_fts MATCH ? AND ({where}) ORDER BY r LIMIT ?",
        (terms.match(*_asked(conn, terms.words)), *params,
         max(limit * 4, RERANK_DEPTH))).fetchall()
    if not rows:
        return []
    best = -rows[0][1] or 1.0
    stems = {_stem(w) for w in terms.words}
    hits: dict[int, LexicalHit] = {}
    for symbol_id, rank, chunk, first, last, name, scope, sig in rows:
        if symbol_id in hits:
            continue
        named = [_stem(w) for w in words(name)]
        head = f"{name} {scope} {sig}".lower()
        score = (-rank / best
                 + NAME_COVER * sum(w in stems for w in named) / max(len(named), 1)
                 + HEAD_COVER * sum(w in head for w in stems) / len(stems))
        hits[symbol_id] = LexicalHit(symbol_id, score, chunk, first, last)
    ranked = sorted(hits.values(), key=lambda h: -h.score)[:limit]
    marks = ",".join("?" * len(ranked))
    counts = dict(conn.execute(
        f"SELECT symbol_id, count(*) FROM lex_docs WHERE symbol_id IN ({marks}) "
        "GROUP BY symbol_id", [h.symbol_id for h in ranked]))
    for hit in ranked:
        hit.chunks = counts.get(hit.symbol_id, 1)
    return ranked


def _stem(word: str) -> str:
    """What two words must share to count as one in the reranking (parse, parser,
    parsing; Headers, header): their first five letters, case folded."""
    return word.lower()[:5]


def _asked(conn: sqlite3.Connection, terms: Sequence[str]) -> tuple[list[str], list[str]]:
    """(the words of `terms` BM25 is asked for in every column, those it is asked for in
    the name, scope and signature only), each in the query's order. A word in over
    COMMON_SHARE of the documents is left out (unless every word is). The others go in
    rarest first while their documents add up to at most POSTINGS_BUDGET; one that
    would pass it is asked in HEAD_COLUMNS if its documents there still fit; if no word
    fits, the rarest is asked alone.

    A word's documents are counted up to POSTINGS_BUDGET; past that (it cannot be asked
    in every column anyway) how common it is, in all and in HEAD_COLUMNS, is estimated
    from SLICES runs of ids, SAMPLE_IDS in all (`_Counts`): counting a common word
    of the kernel's index to a quarter of its 5.4 M documents cost up to 100 ms."""
    counts = _Counts(conn)
    if counts.span == 0:
        return list(terms), []
    share = COMMON_SHARE * counts.span  # ids of deleted files leave gaps: an upper bound
    total_of = {w: counts.count(_quoted(w)) for w in terms}
    eligible = [w for w in terms if total_of[w] <= share] or list(terms)
    full: set[str] = set()
    head: set[str] = set()
    in_head: dict[str, float] = {}  # documents holding the word in HEAD_COLUMNS
    total = 0.0
    for word in sorted(eligible, key=lambda w: total_of[w]):
        if total + total_of[word] <= POSTINGS_BUDGET:
            full.add(word)
            total += total_of[word]
            continue
        in_head[word] = counts.count(f"{HEAD_COLUMNS} : {_quoted(word)}")
        if total + in_head[word] <= POSTINGS_BUDGET:
            head.add(word)
            total += in_head[word]
    if not full and not head:  # the rarest word alone, where it is in fewer documents
        rarest = min(eligible, key=lambda w: total_of[w])
        if in_head.get(rarest, total_of[rarest]) < total_of[rarest]:  # (a subset: never more)
            return [], [rarest]
        return [rarest], []
    return [w for w in terms if w in full], [w for w in terms if w in head]


# On an index of more documents than this, a word in more than POSTINGS_BUDGET of them
# is counted in the documents of SAMPLE_IDS ids, SLICES runs of consecutive ids spread
# evenly over the index, and scaled up. Ids follow the order files were stored in, so a
# word of one directory (`drm` in the kernel's drivers/gpu) is bunched: many small slices
# see it in proportion where one big slice would see it all or not at all.
SAMPLE_IDS = 50_000
SLICES = 16


class _Counts:
    """How many documents match an FTS expression: exactly up to POSTINGS_BUDGET (a few
    ms at most), estimated from SLICES runs of ids past it (never below the budget: the
    exact count got there)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        low, high = conn.execute(  # apart: SQLite reads min and max together by a full scan
            "SELECT (SELECT min(id) FROM lex_docs), (SELECT max(id) FROM lex_docs)"
        ).fetchone()
        self.span = 0 if low is None else high - low + 1
        width = SAMPLE_IDS // SLICES
        self.exact = not (self.span > SAMPLE_IDS and width)
        if self.exact:  # the index is the slice
            self.slices, self.scale = [(low, high)], 1.0
        else:
            step = self.span / SLICES
            self.slices = [(first, first + width - 1) for first in
                           (low + int(k * step + (step - width) / 2) for k in range(SLICES))]
            self.scale = self.span / (width * SLICES)

    def count(self, expr: str) -> float:
        cap = POSTINGS_BUDGET + 1
        n = _count(self.conn, expr, cap)
        if n < cap:
            return n
        if self.exact:
            return self._in_slices(expr)
        return max(float(cap), self._in_slices(expr) * self.scale)

    def _in_slices(self, expr: str) -> int:
        return sum(self.conn.execute(
            "SELECT count(*) FROM lex_fts WHERE lex_fts MATCH ? AND rowid BETWEEN ? AND ?",
            (expr, lo, hi)).fetchone()[0] for lo, hi in self.slices)


def _count(conn: sqlite3.Connection, expr: str, cap: int) -> int:
    """How many documents match `expr`, counted up to `cap` (cheap on any index)."""
    return conn.execute("SELECT count(*) FROM (SELECT 1 FROM lex_fts WHERE lex_fts MATCH ? "
                        "LIMIT ?)", (expr, cap)).fetchone()[0]


def document_text(conn: sqlite3.Connection, symbol_ids: Sequence[int]
                  ) -> dict[int, tuple[str, str, str, str, str]]:
    """(name, scope, doc, sig, body) of the first chunk of each definition, by symbol id."""
    out: dict[int, tuple] = {}
    for start in range(0, len(symbol_ids), 500):
        part = list(symbol_ids[start:start + 500])
        for row in conn.execute(
                f"SELECT symbol_id, name, scope, doc, sig, body FROM lex_docs d "
                f"WHERE d.chunk = 0 AND d.symbol_id IN "
                f"({','.join('?' * len(part))})", part):
            out[row[0]] = row[1:]
    return out


def ready(conn: sqlite3.Connection) -> Optional[bool]:
    """Whether this index has the lexical tables (an index built before them has not)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'lex_fts'").fetchone() \
        is not None
