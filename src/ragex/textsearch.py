"""Natural-language search: "where do we parse the HTTP headers?" -> definitions.

Two tiers answer: the lexical one (`lexical`, BM25 over the words of each definition,
always there) and the vector one (`semantic`, an embedding model, when the optional extra
is installed and definitions are embedded). `search_text` asks the tiers the mode names,
fuses their scores (each tier's scores over its best CANDIDATES put between 0 and 1, then
averaged: a definition one tier did not find gets 0 from it), nudges definitions of the
kinds people look for up, and returns `TextHit`s with a short excerpt read from the file.
Measured on the stdlib task (docs/semantic-search.md): this fusion 0.499 MRR@10,
reciprocal-rank fusion 0.476 (0.470 with a name nudge the lexical tier now does itself).

Not for: building either tier (lexical, semantic) or wire formats (front, cli, service).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Optional

from . import lexical
from .search import QueryError, _filters
from .store import IndexStore
from .symbol import CALLABLE, CLASS_LIKE, Symbol

MODES = ("auto", "lexical", "semantic", "hybrid")
# Hybrid ranking nudge (in fused units: 1 is first in both tiers)
KIND_BONUS = 0.06  # functions, methods, classes and the like
CANDIDATES = 50  # each tier's depth before fusion
EXCERPT_LINES = 4
EXCERPT_WIDTH = 160
_WANTED_KINDS = CALLABLE | CLASS_LIKE


@dataclass
class TextHit:
    """One definition answering a natural-language query."""

    id: int
    symbol: Symbol
    score: float  # lexical: relative BM25 + cover bonuses; semantic: cosine; hybrid: fused (higher is better)
    tiers: dict[str, int] = field(default_factory=dict)  # tier -> rank (1 = first)
    chunk: Optional[tuple[int, int]] = None  # the matching lines of a long body
    excerpt: str = ""
    stale: Optional[bool] = None  # the file changed since it was indexed

    def to_dict(self) -> dict[str, Any]:
        d = self.symbol.to_dict()
        d.update(id=self.id, score=round(self.score, 4), tiers=self.tiers,
                 excerpt=self.excerpt)
        if self.chunk is not None:
            d["chunk_lines"] = list(self.chunk)
        if self.stale:
            d["stale"] = True
        return d


@dataclass
class TextResult:
    hits: list[TextHit]
    tiers: list[str]  # the tiers that answered
    notes: list[str] = field(default_factory=list)
    terms: tuple[str, ...] = ()


def search_text(store: IndexStore, root: str, query: str, mode: str = "auto",
                kind: Optional[str] = None, language: Optional[str] = None,
                path_glob: Optional[str] = None, limit: int = 10,
                vectors: Any = None) -> TextResult:
    """The definitions that best match `query`, best first.

    `vectors` is the vector tier (`semantic.VectorSearch`) or None when it cannot
    answer; `mode` auto uses it when it can, semantic and hybrid require it (the caller
    has raised if it is missing)."""
    if mode not in MODES:
        raise QueryError(f"unknown mode {mode!r}; choose from: {', '.join(MODES)}")
    try:
        terms = lexical.query_terms(query if isinstance(query, str) else "")
    except lexical.EmptyQuery as exc:
        if mode == "semantic" and isinstance(query, str) and query.strip():
            terms = None  # a model reads stop words and other scripts too
        else:
            raise QueryError(str(exc)) from None
    where, params = _filters(kind, language, path_glob)
    notes: list[str] = []
    if terms is not None and terms.cut:
        notes.append(f"the query was long: only its first {len(terms.words)} words "
                     f"(of its first {lexical.MAX_QUERY_CHARS} characters) were used")
    depth = max(limit, CANDIDATES) if mode in ("auto", "hybrid") else limit
    ranked: dict[str, list[tuple[int, float]]] = {}
    chunks: dict[int, tuple[int, int, int]] = {}  # symbol id -> (first, last, chunks)
    if mode != "semantic" and terms is not None:
        if not store.search_ready():  # a cold build indexes the words as it stores them
            notes.append("the index is being built: the lexical tier knows only part of "
                         "it until the build ends")
        found = lexical.search(store.conn, terms, where, params, depth)
        ranked["lexical"] = [(h.symbol_id, h.score) for h in found]
        chunks = {h.symbol_id: (h.start_line, h.end_line, h.chunks) for h in found}
    if vectors is not None and mode != "lexical":
        text = query[:lexical.MAX_QUERY_CHARS]
        ranked["semantic"] = vectors.search(store, text, where, params, depth)
    fused = _fuse(ranked) if len(ranked) > 1 else next(iter(ranked.values()), [])
    symbols = _symbols(store, [sid for sid, _ in fused[:limit * 3]])
    words = terms.words if terms is not None else ()
    if len(ranked) > 1:
        fused = _nudge(fused, symbols)
    hits: list[TextHit] = []
    for sid, score in fused:
        symbol = symbols.get(sid)
        if symbol is None:  # embedded before its file changed: gone from the index
            continue
        tiers = {tier: rank for tier, rows in ranked.items()
                 for rank, (other, _) in enumerate(rows, 1) if other == sid}
        chunk = chunks.get(sid)
        hits.append(TextHit(sid, symbol, score, tiers,
                            chunk[:2] if chunk and chunk[2] > 1 else None))
        if len(hits) >= limit:
            break
    _excerpts(root, store, hits, words)
    return TextResult(hits, list(ranked), notes, words)


def _fuse(ranked: dict[str, list[tuple[int, float]]]) -> list[tuple[int, float]]:
    """Each tier's scores put between 0 (its last) and 1 (its first), averaged."""
    scores: dict[int, float] = {}
    share = 1.0 / len(ranked)
    for rows in ranked.values():
        if not rows:
            continue
        high, low = rows[0][1], rows[-1][1]
        for sid, value in rows:
            part = (value - low) / (high - low) if high > low else 1.0
            scores[sid] = scores.get(sid, 0.0) + share * part
    return sorted(scores.items(), key=lambda item: -item[1])


def _nudge(fused: list[tuple[int, float]], symbols: dict[int, Symbol]
           ) -> list[tuple[int, float]]:
    out = []
    for sid, score in fused:
        symbol = symbols.get(sid)
        if symbol is not None and symbol.kind in _WANTED_KINDS:
            score += KIND_BONUS
        out.append((sid, score))
    return sorted(out, key=lambda item: -item[1])


def _symbols(store: IndexStore, ids: list[int]) -> dict[int, Symbol]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return dict(store.symbols_where(f"id IN ({marks})", ids))


def _excerpts(root: str, store: IndexStore, hits: list[TextHit],
              words: tuple[str, ...]) -> None:
    """Each hit's excerpt: its first line and the lines of its matching part that hold
    the most query words, at most EXCERPT_LINES, each cut at EXCERPT_WIDTH."""
    stems = [w.lower()[:5] for w in words]
    cache: dict[str, Optional[list[str]]] = {}
    for hit in hits:
        s = hit.symbol
        if s.path not in cache:
            cache[s.path] = _lines(os.path.join(root, s.path))
            row = store.file_row(s.path)
            try:
                hit.stale = row is not None and \
                    os.stat(os.path.join(root, s.path)).st_mtime_ns != row.mtime_ns
            except OSError:
                hit.stale = True
        lines = cache[s.path]
        if not lines:
            continue
        first, last = hit.chunk or (s.start_line, s.end_line)
        span = range(max(first, s.start_line) - 1, min(last, len(lines)))
        scored = sorted(span, key=lambda i: (-sum(stem in lines[i].lower() for stem in stems),
                                             i))
        picked = sorted({s.start_line - 1, *[i for i in scored[:EXCERPT_LINES]
                                             if i != s.start_line - 1][:EXCERPT_LINES - 1]})
        hit.excerpt = "\n".join(f"{i + 1}: {lines[i].strip()[:EXCERPT_WIDTH]}"
                                for i in picked if 0 <= i < len(lines))


def _lines(path: str) -> Optional[list[str]]:
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None


__all__ = ["MODES", "TextHit", "TextResult", "search_text"]
