"""The library front: one object over one index, one method per question.

`Index` is what the `ragex` CLI, the MCP server and a Python caller all use, the way
sqlite-utils' `Database` is: everything a front can answer, a caller gets from the same
method with the same limits. Every question returns an `Answer`: its items, whether a
limit cut them, notes the reader should see, and the state of the index it came from.

Paths given to and returned by `Index` are relative to the root, "/"-separated; a path
that leads out of the root (by `..`, by being absolute, or through a symlink) is refused.

Not for: wire formats (cli, mcp_server), background jobs (service) or the searches
themselves (search).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, TextIO

from .config import ParallelConfig, index_dir_setting, load_config
from .discover import DiscoveryOptions
from .indexer import (CodeIndexer, IndexSummary, find_root, index_status, stored_file_set,
                      writer_pid)
from .search import (Hit, QueryError, build_tree, check_regex, kind_filter,
                     find_definitions, grep, parent_chain, read_source, search_symbols,
                     write_tags)
from .store import IndexStore, IndexUnavailable
from .symbol import Symbol
from .watch_state import read_state as read_watch_state, watch_note
from .callgraph import (RefHit, Scan, add_source_lines, call_counts, call_hierarchy,
                        def_dict, iter_references)
from .reference import REF_KINDS
from .references import Def, Resolver

DIRECTIONS = ("incoming", "outgoing")
MAX_CALL_DEPTH = 5
MAX_REF_TARGETS = 20  # definitions one reference question may be about


def ref_kind_filter(kind: str) -> list[str]:
    """The reference kinds a comma-separated `kind` names; QueryError for an unknown one."""
    kinds = [k.strip() for k in str(kind).split(",") if k.strip()]
    unknown = [k for k in kinds if k not in REF_KINDS]
    if unknown or not kinds:
        raise QueryError(f"unknown reference kind {(unknown or [kind])[0]!r}; choose from: "
                         f"{', '.join(REF_KINDS)}")
    return kinds


def _glob(path_glob: Optional[str]) -> Optional[str]:
    if not path_glob:
        return None
    return path_glob if any(c in path_glob for c in "*?[") else f"*{path_glob}*"


def _cut(node) -> bool:
    return node.cut or any(_cut(child) for child in node.children)


@dataclass(frozen=True)
class Limits:
    """The bounds every answer keeps, the same for every front."""

    max_items: int = 1000  # most items an answer holds, whatever the caller asks for
    max_code_bytes: int = 128 * 1024  # source of one definition
    max_context_lines: int = 10  # lines before and after a grep hit
    # While a build has dropped the search indexes, lookups by name scan the table (a
    # 5.6 M-row scan takes seconds): stop after this long and answer from what was found.
    # None: scan to the end.
    build_scan_seconds: Optional[float] = None


@dataclass
class Answer:
    """What every question returns."""

    items: list
    truncated: bool = False  # a limit cut the items: `notes` says which and how to get more
    notes: list[str] = field(default_factory=list)
    index_state: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # what one question adds (a path)

    def to_dict(self, key: str = "results") -> dict[str, Any]:
        out: dict[str, Any] = {"index_state": self.index_state, **self.fields,
                               key: [_as_dict(item) for item in self.items],
                               "truncated": self.truncated}
        if self.notes:
            out["note"] = "; ".join(self.notes)
        return out


def _as_dict(item: Any) -> Any:
    return item.to_dict() if hasattr(item, "to_dict") else item


@dataclass
class Definition:
    """A definition with its chain of enclosing symbols and, when asked, its source."""

    hit: Hit
    parents: list[Symbol]
    code: Optional[str] = None
    stale: Optional[bool] = None  # the file changed since it was indexed
    code_error: Optional[str] = None  # why the source could not be read

    def to_dict(self) -> dict[str, Any]:
        d = self.hit.to_dict()
        d["parents"] = [p.to_dict() for p in self.parents]
        if self.code is not None:
            d["code"], d["stale"] = self.code, self.stale
        if self.code_error is not None:
            d["code_error"] = self.code_error
        return d


def scan_cut_note(seconds: float) -> str:
    return (f"the search indexes are being built: the scan stopped after {seconds:g} s, so "
            "results may be missing; ask again when the index is complete")


class Index:
    """The index of one root: build it, update it, ask it questions.

    `activity`, when set, is asked for a description of work in progress on the index
    (a background build); it replaces the stored state in every answer. `watch_note`
    describes the watcher keeping the index current (`watch`), appended to every state;
    by default the one another process records beside the index (`watch_state`).
    """

    def __init__(self, root: str, index_dir: Optional[str] = None,
                 discovery: Optional[DiscoveryOptions] = None,
                 config: Optional[ParallelConfig] = None, limits: Limits = Limits()) -> None:
        self.root = os.path.abspath(root)
        if not os.path.isdir(self.root):
            what = "not a directory" if os.path.exists(self.root) else "no such directory"
            raise IndexUnavailable(f"{root}: {what}: give the root directory of a codebase")
        self.real_root = os.path.realpath(self.root)
        self._discovery = discovery  # None: the file set the index remembers
        self.limits = limits
        self._config = config
        self._indexer: Optional[CodeIndexer] = None
        self.index_dir = CodeIndexer.index_dir_for(self.root, index_dir)
        self.activity: Optional[Callable[[], Optional[str]]] = None
        self.watch_note: Callable[[], Optional[str]] = lambda: watch_note(self.index_dir)
        self._local = threading.local()  # one read-only connection per thread
        self._generation = 0  # bumped by `reopen`: threads reconnect on their next call
        self._vectors = None  # the vector tier's search, once asked (semantic)
        self._model = None  # its embedding model, once loaded

    @classmethod
    def find(cls, root: Optional[str] = None, index_dir: Optional[str] = None,
             start: str = ".", **options) -> "Index":
        """The index a query means, found the way git finds `.git`: `root` if given, else
        the root recorded in `index_dir` (or RAGEX_INDEX_DIR), else the nearest directory
        at or above `start` holding a `.ragex/` index."""
        if root is None:
            chosen = index_dir or index_dir_setting()
            if chosen:
                store = IndexStore(CodeIndexer.index_dir_for(start, chosen), readonly=True)
                try:
                    root = store.get_meta("root") or os.path.abspath(start)
                finally:
                    store.close()
            else:
                root = find_root(start)
                if root is None:
                    raise IndexUnavailable(
                        "no ragex index here or in any parent directory: run "
                        "`ragex index [PATH]` first (or pass --root)")
        return cls(root, index_dir, **options)

    # ------------------------------------------------------------------ building
    @property
    def indexer(self) -> CodeIndexer:
        if self._indexer is None:
            self._indexer = CodeIndexer(self.root, self.index_dir,
                                        self._config or load_config(), self._discovery)
        return self._indexer

    def update(self, force: bool = False, rebuild: bool = False, progress=None,
               wait: float = 0.0, on_phase: Optional[Callable[[str], None]] = None,
               forget_file_set: bool = False) -> IndexSummary:
        """Bring the index up to date with the tree (see `CodeIndexer.index_codebase`)."""
        try:
            return self.indexer.index_codebase(force=force, rebuild=rebuild, progress=progress,
                                               wait=wait, on_phase=on_phase,
                                               forget_file_set=forget_file_set)
        finally:
            self.reopen()

    @property
    def discovery(self) -> DiscoveryOptions:
        """The file set's discovery settings: as given, else as the index remembers."""
        if self._discovery is not None:
            return self._discovery
        try:
            remembered = stored_file_set(self.store())
        except IndexUnavailable:
            remembered = None
        return remembered.discovery if remembered else DiscoveryOptions()

    def update_paths(self, paths, wait: float = 0.0, progress=None) -> IndexSummary:
        """Bring these root-relative paths up to date (see `CodeIndexer.update_paths`)."""
        try:
            return self.indexer.update_paths(paths, wait=wait, progress=progress)
        finally:
            self.reopen()

    # ---------------------------------------------------------------- the store
    def store(self) -> IndexStore:
        """This thread's read-only connection to the index (IndexUnavailable if none)."""
        local = self._local
        store = getattr(local, "store", None)
        if store is not None and local.generation != self._generation:
            store.close()
            store = None
        if store is None:
            store = IndexStore(self.index_dir, readonly=True)
            local.store, local.generation = store, self._generation
        return store

    def reopen(self) -> None:
        """Reconnect on the next question: the index may have been replaced."""
        self._generation += 1

    def close(self) -> None:
        if self._vectors is not None:
            self._vectors.close()
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    # ------------------------------------------------------------------- state
    def index_state(self) -> str:
        """`complete`, `partial: ...`, `not indexed yet ...`, or the activity's description;
        then, if a watcher keeps the index current, `; watched (...)` and how current."""
        state = self._stored_state()
        note = self.watch_note() if self.watch_note is not None else None
        return f"{state}; {note}" if note else state

    def _stored_state(self) -> str:
        busy = self.activity() if self.activity is not None else None
        if busy:
            return busy
        try:
            run = self.store().get_meta("last_run") or {}
        except IndexUnavailable:
            return "not indexed yet"
        if not run:
            return "not indexed yet"
        if run.get("complete"):
            return "complete"
        pid = writer_pid(self.index_dir)
        if pid is not None:
            return (f"indexing (by process {pid}): answers come from what is committed so "
                    "far and may be partial")
        return "partial: the last index run did not finish (run `ragex index` to complete it)"

    def status(self, warnings: bool = True, check: bool = True) -> dict[str, Any]:
        """Counts per language and status, files not indexed with reasons, size, last run;
        `check` runs SQLite's quick_check first (it reads the whole file: a long-lived
        front that answers often passes False)."""
        status = index_status(self.store(), warnings, check)
        status["index_state"] = self.index_state()
        status["watch"] = read_watch_state(self.index_dir)
        return status

    def _answer(self, items: list, truncated: bool = False,
                notes: Optional[list[str]] = None) -> Answer:
        return Answer(items, truncated, notes or [], self.index_state())

    @contextmanager
    def _bounded_scans(self, store: IndexStore) -> Iterator[list[str]]:
        """Run lookups by name under the build-scan budget; yields the notes list, which
        says so if a scan was cut."""
        notes: list[str] = []
        seconds = self.limits.build_scan_seconds
        if seconds is None or store.search_ready():
            yield notes
            return
        with store.time_budget(seconds) as budget:
            yield notes
        if budget.cut:
            notes.append(scan_cut_note(seconds))

    @staticmethod
    def _text(value: Any, what: str) -> str:
        """A question's text argument, checked: a str that SQLite and ripgrep can take."""
        if not isinstance(value, str):
            raise QueryError(f"{what} must be text, got {type(value).__name__}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise QueryError(f"{what} holds characters that are not valid Unicode text "
                             f"(position {exc.start}): give it as UTF-8") from None
        return value

    def _limit(self, limit: Any) -> int:
        try:
            value = int(limit)
        except (TypeError, ValueError, OverflowError):
            raise QueryError(f"limit must be a whole number, got {limit!r}") from None
        if value < 1:
            raise QueryError(f"limit must be ≥ 1, got {value}")
        return min(value, self.limits.max_items)

    @staticmethod
    def _offset(offset: Any) -> int:
        try:
            value = int(offset)
        except (TypeError, ValueError, OverflowError):
            raise QueryError(f"offset must be a whole number, got {offset!r}") from None
        if value < 0:
            raise QueryError(f"offset must be ≥ 0, got {value}")
        return value

    @staticmethod
    def _depth(depth: Any) -> int:
        try:
            value = int(depth)
        except (TypeError, ValueError, OverflowError):
            raise QueryError(f"depth must be a whole number, got {depth!r}") from None
        if value < 1:
            raise QueryError(f"depth must be ≥ 1, got {value}")
        return value

    def _cut_note(self, shown: int, asked: int) -> str:
        if asked >= self.limits.max_items:
            return f"more than {shown} results; at most {self.limits.max_items} are returned: " \
                   "narrow the query"
        return f"more than {shown} results: raise the limit or narrow the query"

    # --------------------------------------------------------------- questions
    def search(self, query: str, kind: Optional[str] = None, language: Optional[str] = None,
               path_glob: Optional[str] = None, match: str = "auto",
               limit: int = 20) -> Answer:
        """Definitions by name or qualified name, best first (exact > prefix > substring >
        fuzzy); items are `Hit`s."""
        limit = self._limit(limit)
        query = self._text(query, "the query")
        for value, what in ((kind, "kind"), (language, "language"), (path_glob, "path glob")):
            if value is not None:
                self._text(value, what)
        store = self.store()
        with self._bounded_scans(store) as notes:
            hits = search_symbols(store, query, kind=kind, language=language,
                                  path_glob=path_glob, match=match, limit=limit + 1)
        truncated = len(hits) > limit
        if truncated:
            notes.append(self._cut_note(limit, limit))
        return self._answer(hits[:limit], truncated, notes)

    def definition(self, name_or_id: str, include_code: bool = True,
                   limit: int = 5) -> Answer:
        """The definitions a name, qualified name or id names: items are `Definition`s
        with their enclosing symbols and (include_code) their source."""
        limit = self._limit(limit)
        name_or_id = self._text(str(name_or_id), "the name")
        store = self.store()
        with self._bounded_scans(store) as notes:
            hits = find_definitions(store, name_or_id, limit=limit + 1)
            truncated = len(hits) > limit
            hits = hits[:limit]
            chains = [parent_chain(store, hit.symbol) for hit in hits]
        items = []
        for hit, chain in zip(hits, chains):
            item = Definition(hit, chain)
            if include_code:
                try:
                    source = read_source(self.root, store, hit, self.limits.max_code_bytes,
                                         self.discovery.follow_outside)
                    item.code, item.stale = source.code, source.stale
                except QueryError as exc:
                    item.code_error = str(exc)
            items.append(item)
        if truncated:
            notes.append(self._cut_note(limit, limit))
        if not items:
            notes.append(f"no definition named {str(name_or_id).strip()!r}: try a search "
                         "with match 'fuzzy' or 'substring'")
        return self._answer(items, truncated, notes)

    def outline(self, path: str, depth: Optional[int] = None, kind: Optional[str] = None,
                offset: int = 0, limit: Optional[int] = None) -> Answer:
        """The symbol tree of one indexed file: items are the top-level `OutlineNode`s of
        the page; `fields` holds the file's path, status and reason, and the paging
        (`total` symbols, `offset`, `next_offset`). `depth` keeps that many levels (1: top
        level only), `kind` only those kinds; a page holds `limit` symbols in source order
        (a symbol whose parent is on another page stands at its top level). A QueryError
        for a file not in the index."""
        rel = self.confine(path)
        limit = self._limit(limit if limit is not None else self.limits.max_items)
        offset = self._offset(offset)
        if depth is not None:
            depth = self._depth(depth)
        store = self.store()
        row = store.file_row(rel)
        if row is None:
            raise QueryError(f"{rel or path}: not in the index (index state: "
                             f"{self.index_state()}); check the path")
        symbols = store.file_symbols(rel)
        if kind:
            wanted = kind_filter(kind)
            symbols = [s for s in symbols if s.kind in wanted]
        if depth is not None:
            symbols = _within_depth(symbols, depth)
        page = symbols[offset:offset + limit]
        more = offset + len(page) < len(symbols)
        notes = []
        if more:
            notes.append(f"outline cut at {len(page)} of {len(symbols)} symbols: ask again "
                         f"with offset {offset + len(page)} for the next page, or with a "
                         "depth (1: top level) or kinds for fewer")
        answer = self._answer(build_tree(page), more, notes)
        answer.fields.update(path=rel, status=row.status, reason=row.reason,
                             total=len(symbols), offset=offset,
                             next_offset=offset + len(page) if more else None)
        return answer

    def grep(self, pattern: str, regex: bool = True, path_glob: Optional[str] = None,
             ignore_case: bool = False, limit: int = 200, context: int = 0) -> Answer:
        """ripgrep over the indexed file set (the code files discovery admits now, read
        only inside the root), narrowed by `path_glob` (ripgrep's glob syntax; it never
        widens the set): items are `GrepHit`s with their enclosing symbol and `context`
        lines before and after. Files listed but not searched are named in a note."""
        if not self._text(pattern, "the pattern"):
            raise QueryError("the pattern is empty")
        if path_glob is not None:
            self._text(path_glob, "path glob")
        limit = self._limit(limit)
        try:
            context = int(context)
        except (TypeError, ValueError, OverflowError):
            raise QueryError(f"context must be a whole number, got {context!r}") from None
        context = max(0, min(context, self.limits.max_context_lines))
        if regex:
            check_regex(pattern)
        try:
            store: Optional[IndexStore] = self.store()
        except IndexUnavailable:
            store = None  # not indexed yet: hits without enclosing symbols
        run = grep(self.root, store, pattern, regex=regex, path_glob=path_glob,
                   ignore_case=ignore_case, limit=limit + 1, discovery=self.discovery,
                   context=context)
        truncated = len(run.hits) > limit
        notes = [self._cut_note(limit, limit)] if truncated else []
        if run.unread:
            notes.append(_unread_note(run.unread))
        return self._answer(run.hits[:limit], truncated, notes)

    def tags(self, out: TextIO, base: Optional[str] = None) -> Answer:
        """Write a universal-ctags compatible tags file to `out`, its paths relative to
        `base` (default: the root), the directory the tags file is in: vim reads them from
        there. `fields["tags"]` is the number of tags; a note names the files left out."""
        base_real = os.path.realpath(base) if base is not None else self.real_root
        if base_real == self.real_root:
            shown = _same
        else:
            def shown(rel: str) -> str:
                return os.path.relpath(os.path.join(self.real_root, rel), base_real)
        count, left_out = write_tags(self.store(), out, shown)
        answer = self._answer([])
        answer.fields["tags"] = count
        if left_out:
            listed = ", ".join(repr(path) for path in left_out[:5])
            more = f" and {len(left_out) - 5} more" if len(left_out) > 5 else ""
            answer.notes.append(f"{len(left_out)} files left out: a tags file cannot hold a "
                                f"path with a tab or a line break: {listed}{more}")
        return answer

    def tags_file(self, path: str) -> Answer:
        """`tags` into the file `path`, as ctags users expect: a FIFO or a device is written
        as a stream; a symlink's target is written, not the link; a regular file is
        replaced at once (a temporary file beside it, never left behind) keeping its mode;
        paths are relative to the directory `path` is in (for a stream, as for stdout, to
        the current directory). An OSError says what failed: IsADirectoryError for a
        directory."""
        with _output_file(path) as (out, stream):
            return self.tags(out, os.getcwd() if stream else
                             os.path.dirname(os.path.abspath(path)))

    def search_text(self, query: str, mode: str = "auto", kind: Optional[str] = None,
                    language: Optional[str] = None, path_glob: Optional[str] = None,
                    limit: int = 10) -> Answer:
        """Definitions matching a natural-language query ("where do we parse the HTTP
        headers?"), best first: items are `TextHit`s (path, lines, qualified name,
        signature, excerpt, score, the tiers that found it). `mode`: lexical (BM25 over
        the words of each definition, always available), semantic (an embedding model,
        the `ragex[semantic]` extra), hybrid (both fused), auto (hybrid when the vector
        tier can answer, else lexical). `fields` says which tiers answered."""
        from .textsearch import search_text

        limit = self._limit(limit)
        vectors, notes = self._vector_tier(mode)
        store = self.store()
        result = search_text(store, self.root, query, mode, kind, language, path_glob,
                             limit, vectors)
        answer = self._answer(result.hits, False, notes + result.notes)
        if not result.hits:
            answer.notes.append("no definition matches: try other words, or `grep` for "
                                "text that is not in a definition")
        answer.fields.update(mode=mode, tiers=result.tiers, terms=list(result.terms))
        return answer

    def _vector_tier(self, mode: str):
        """(the vector tier or None, notes) for a search in `mode`; a QueryError when the
        mode needs the tier and it cannot answer."""
        if mode == "lexical":
            return None, []
        from . import semantic

        reason = semantic.missing_extra()
        if reason:
            if mode in ("semantic", "hybrid"):
                raise QueryError(f"mode {mode!r}: {reason}")
            return None, []
        if self._vectors is None:  # (loads nothing yet)
            self._vectors = semantic.VectorSearch(self.index_dir)
        status = self._vectors.status(self.store().conn)
        embedded, total = status["embedded"], status["total"]
        if not embedded:
            message = (f"no definition is embedded yet (0 of {total}): run `ragex embed` "
                       "(the MCP server embeds in the background after indexing)")
            if mode in ("semantic", "hybrid"):
                raise QueryError(f"mode {mode!r}: {message}")
            return None, [message + "; answered by the lexical tier"]
        try:
            self._vectors.load_model()
        except semantic.SemanticUnavailable as exc:
            if mode in ("semantic", "hybrid"):
                raise QueryError(f"mode {mode!r}: {exc}") from None
            return None, [f"{exc}; answered by the lexical tier"]
        notes = [] if embedded >= total else [
            f"{embedded} of {total} definitions embedded so far: the vector tier answers "
            "from those"]
        return self._vectors, notes

    def embed(self, progress=None, stop=None, threads: Optional[int] = None,
              max_todo: Optional[int] = None, pause=None, batch: int = 256):
        """Embed the definitions that have no vector yet (the `ragex[semantic]` extra):
        returns a `semantic.EmbedProgress`; SemanticUnavailable without the extra.
        `batch`, `max_todo` and `pause` as `semantic.embed_index` takes them."""
        from . import semantic

        reason = semantic.missing_extra()
        if reason:
            raise semantic.SemanticUnavailable(reason)

        def model():  # loaded when there is something to embed
            if self._model is None:
                self._model = semantic.Embedder(threads=threads)
            return self._model
        store = IndexStore(self.index_dir, readonly=True)
        try:
            return semantic.embed_index(store.conn, self.index_dir, self._model, progress,
                                        stop, batch=batch, max_todo=max_todo, pause=pause,
                                        make_embedder=model)
        finally:
            store.close()

    # ------------------------------------------------------------- references
    # (docs/references.md; the work is in callgraph and references)
    def references(self, name_or_id: str, kind: Optional[str] = None,
                   path_glob: Optional[str] = None, limit: int = 50,
                   offset: int = 0) -> Answer:
        """The references to the definitions a name, qualified name or id names: items
        are `callgraph.RefHit`s in index order (file, position) with their source line
        and how each resolved; `fields["targets"]` lists the definitions. A name nothing
        defines answers with the references of that name, unresolved."""
        limit, offset = self._limit(limit), self._offset(offset)
        kinds = ref_kind_filter(kind) if kind else None
        store = self.store()
        targets, notes = self._ref_targets(store, name_or_id)
        if not store.search_ready():
            return self._refs_building(notes, targets)
        resolver = Resolver(store)
        scan = Scan()
        hits: list[RefHit] = []
        skipped = 0
        for hit in iter_references(store, resolver, targets, kinds, _glob(path_glob), scan,
                                   names=[str(name_or_id).strip()]):
            if skipped < offset:
                skipped += 1
                continue
            hits.append(hit)
            if len(hits) > limit:
                break
        truncated = len(hits) > limit
        hits = hits[:limit]
        add_source_lines(self.root, hits)
        if truncated:
            notes.append(f"more than {limit} references: ask again with offset "
                         f"{offset + limit} for the next page, or narrow by kind or path")
        answer = self._answer(hits, truncated, notes)
        answer.fields["targets"] = [def_dict(t) for t in targets]
        if truncated:
            answer.fields["next_offset"] = offset + limit
        return answer

    def call_hierarchy(self, name_or_id: str, direction: str = "incoming", depth: int = 1,
                       limit: int = 100) -> Answer:
        """Who calls (`incoming`) or what is called by (`outgoing`) the definitions a name,
        qualified name or id names, `depth` levels (1-5) deep: items are one
        `callgraph.CallNode` tree per definition; a definition met again on its own path
        is marked `cycle` and not expanded; at most `limit` nodes below the roots."""
        if direction not in DIRECTIONS:
            raise QueryError(f"direction must be one of {', '.join(DIRECTIONS)}, got "
                             f"{direction!r}")
        depth = self._depth(depth)
        if depth > MAX_CALL_DEPTH:
            raise QueryError(f"depth must be between 1 and {MAX_CALL_DEPTH}, got {depth}")
        limit = self._limit(limit)
        store = self.store()
        targets, notes = self._ref_targets(store, name_or_id)
        if not targets:
            return self._answer([], False, notes)
        if direction == "incoming" and not store.search_ready():
            return self._refs_building(notes, targets)
        resolver = Resolver(store)
        trees, left = [], limit
        truncated = False
        for target in targets:
            tree = call_hierarchy(store, resolver, target, direction, depth, max(left, 0))
            trees.append(tree)
            left -= tree.count() - 1
            truncated = truncated or _cut(tree)
        if truncated:
            notes.append(f"the hierarchy is cut at {limit} nodes (nodes marked truncated "
                         "have more): raise the limit, lower the depth or ask about one "
                         "of the nodes")
        return self._answer(trees, truncated, notes)

    def call_counts(self, symbol_id: int) -> dict[str, Any]:
        """How many call sites call the definition `symbol_id` and how many it holds."""
        store = self.store()
        rows = store.defs_where("s.id = ?", (int(symbol_id),))
        if not rows:
            raise QueryError(f"no symbol with id {symbol_id}")
        return call_counts(store, Resolver(store), Def(*rows[0]))

    def _ref_targets(self, store: IndexStore, name_or_id: Any) -> tuple[list[Def], list[str]]:
        """The definitions a reference question is about, and notes on the choice."""
        text = str(name_or_id).strip() if name_or_id is not None else ""
        if not text:
            raise QueryError("the name is empty: give a name, a qualified name or a symbol "
                             "id")
        if store.get_meta("references", True) is False:
            note = ("this index was built without references (RAGEX_REFERENCES=false): "
                    "rebuild it with references on to ask this")
            return [], [note]
        hits = [h for h in find_definitions(store, text, limit=MAX_REF_TARGETS + 1)
                if h.symbol.kind != "import"]
        exact = [h for h in hits if text in (h.symbol.name, h.symbol.qualified_name) or
                 h.symbol.qualified_name.endswith("." + text) or h.match == "id"]
        hits = exact or hits
        notes = []
        if not hits:
            notes.append(f"no definition named {text!r} in the index: the references below "
                         "are those of that name, resolved to nothing ragex indexed")
            return [], notes
        if len(hits) > MAX_REF_TARGETS:
            notes.append(f"{text!r} names more than {MAX_REF_TARGETS} definitions: the "
                         f"first {MAX_REF_TARGETS} are used; give a qualified name or an id")
            hits = hits[:MAX_REF_TARGETS]
        ids = ",".join(str(h.id) for h in hits)
        order = {h.id: i for i, h in enumerate(hits)}
        targets = sorted((Def(*row) for row in store.defs_where(f"s.id IN ({ids})", ())),
                         key=lambda d: order[d.id])
        if len(targets) > 1:
            notes.append(f"{text!r} names {len(targets)} definitions (" + ", ".join(
                f"{t.qualified_name} id {t.id}" for t in targets[:5]) +
                (", ..." if len(targets) > 5 else "") +
                "): all are answered; give a qualified name or an id for one")
        return targets, notes

    def _refs_building(self, notes: list[str], targets: list[Def]) -> Answer:
        notes.append("the index is being built and its reference index is not ready: "
                     "ask again when the build completes (`ragex status`)")
        answer = self._answer([], False, notes)
        answer.fields["targets"] = [def_dict(t) for t in targets]
        return answer

    # ------------------------------------------------------------------- paths
    def confine(self, path: Optional[str]) -> str:
        """The root-relative form of `path` (relative to the root, or absolute); a
        QueryError if it leads out of the root, through `..` or a symlink."""
        if path is None or path in ("", "."):
            return ""
        self._text(path, "the path")
        if "\0" in path:
            raise QueryError("path contains a NUL byte")
        candidate = path if os.path.isabs(path) else os.path.join(self.root, path)
        normal = os.path.normpath(candidate)
        real = os.path.realpath(normal)
        for checked, base in ((normal, self.root), (real, self.real_root)):
            if checked != base and not checked.startswith(base + os.sep):
                raise QueryError(f"path {path!r} is outside the served root {self.root}; "
                                 "give a path inside it")
        return os.path.relpath(normal, self.root).replace(os.sep, "/")


def _within_depth(symbols: list[Symbol], depth: int) -> list[Symbol]:
    """The symbols nested at most `depth` levels deep (1: top level), in source order."""
    deep: set[int] = set()  # id() of the symbols below `depth`
    stack = [(node, 1) for node in build_tree(symbols)]
    while stack:
        node, level = stack.pop()
        if level > depth:
            deep.add(id(node.symbol))
        stack += [(child, level + 1) for child in node.children]
    return [s for s in symbols if id(s) not in deep]


def _same(path: str) -> str:
    return path


@contextmanager
def _output_file(path: str) -> Iterator[tuple[TextIO, bool]]:
    """A text stream whose content ends up in the file `path` (see `Index.tags_file`), and
    whether it is written as a stream (not a regular file)."""
    try:
        st: Optional[os.stat_result] = os.stat(path)  # through links, as the kernel goes
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
    if st is not None and not stat.S_ISREG(st.st_mode):  # /dev/null, a FIFO, /dev/stdout
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            yield out, True
        return
    if st is not None and not os.access(path, os.W_OK):  # as an open for writing would
        raise PermissionError(errno.EACCES, "Permission denied", path)
    target = os.path.realpath(path)  # a link stays a link: its target is replaced
    directory, name = os.path.split(target)
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # 0o666 less the umask, as a new file gets; an existing one keeps its mode and owner
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        if st is not None:
            os.fchmod(fd, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except OSError:
                    pass  # not ours to give away: the writer owns the new file
        with open(fd, "w", encoding="utf-8", newline="\n", closefd=False) as out:
            yield out, False
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    finally:
        os.close(fd)


def _unread_note(unread: list[tuple[str, str]], shown: int = 5) -> str:
    listed = ", ".join(f"{path} ({why})" for path, why in unread[:shown])
    more = f" and {len(unread) - shown} more" if len(unread) > shown else ""
    return f"{len(unread)} files not searched: {listed}{more}"


__all__ = ["Answer", "Definition", "Index", "Limits", "scan_cut_note"]
