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

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, TextIO

from .config import ParallelConfig, index_dir_setting, load_config
from .discover import DiscoveryOptions
from .indexer import CodeIndexer, IndexSummary, find_root, index_status, writer_pid
from .search import (GrepHit, Hit, QueryError, build_tree, check_regex, kind_filter,
                     find_definitions, grep, parent_chain, read_source, search_symbols,
                     write_tags)
from .store import IndexStore, IndexUnavailable
from .symbol import Symbol
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
    (a background build, a watcher); it replaces the stored state in every answer.
    """

    def __init__(self, root: str, index_dir: Optional[str] = None,
                 discovery: DiscoveryOptions = DiscoveryOptions(),
                 config: Optional[ParallelConfig] = None, limits: Limits = Limits()) -> None:
        self.root = os.path.abspath(root)
        if not os.path.isdir(self.root):
            raise IndexUnavailable(f"{root}: not a directory")
        self.real_root = os.path.realpath(self.root)
        self.discovery = discovery
        self.limits = limits
        self._config = config
        self._indexer: Optional[CodeIndexer] = None
        self.index_dir = CodeIndexer.index_dir_for(self.root, index_dir)
        self.activity: Optional[Callable[[], Optional[str]]] = None
        self._local = threading.local()  # one read-only connection per thread
        self._generation = 0  # bumped by `reopen`: threads reconnect on their next call

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
                                        self._config or load_config(), self.discovery)
        return self._indexer

    def update(self, force: bool = False, rebuild: bool = False, progress=None,
               wait: float = 0.0, on_phase: Optional[Callable[[str], None]] = None
               ) -> IndexSummary:
        """Bring the index up to date with the tree (see `CodeIndexer.index_codebase`)."""
        try:
            return self.indexer.index_codebase(force=force, rebuild=rebuild, progress=progress,
                                               wait=wait, on_phase=on_phase)
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
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    # ------------------------------------------------------------------- state
    def index_state(self) -> str:
        """`complete`, `partial: ...`, `not indexed yet ...`, or the activity's description."""
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

    def status(self, warnings: bool = True) -> dict[str, Any]:
        """Counts per language and status, files not indexed with reasons, size, last run."""
        status = index_status(self.store(), warnings)
        status["index_state"] = self.index_state()
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
                    source = read_source(self.root, store, hit, self.limits.max_code_bytes)
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
        """ripgrep over the indexed file set: items are `GrepHit`s with their enclosing
        symbol and `context` lines before and after."""
        if not pattern:
            raise QueryError("the pattern is empty")
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
        hits: list[GrepHit] = []
        lines_of: dict[str, list[str]] = {}
        for hit in grep(self.root, store, pattern, regex=regex, path_glob=path_glob,
                        ignore_case=ignore_case, limit=limit + 1, discovery=self.discovery):
            if context:
                lines = lines_of.get(hit.path)
                if lines is None:
                    lines = lines_of[hit.path] = _read_lines(os.path.join(self.root, hit.path))
                hit.before = lines[max(0, hit.line - 1 - context):hit.line - 1]
                hit.after = lines[hit.line:hit.line + context]
            hits.append(hit)
        truncated = len(hits) > limit
        notes = [self._cut_note(limit, limit)] if truncated else []
        return self._answer(hits[:limit], truncated, notes)

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

    def tags(self, out: TextIO) -> int:
        """Write a universal-ctags compatible tags file to `out`; the number of tags."""
        return write_tags(self.store(), out)

    # ------------------------------------------------------------------- paths
    def confine(self, path: Optional[str]) -> str:
        """The root-relative form of `path` (relative to the root, or absolute); a
        QueryError if it leads out of the root, through `..` or a symlink."""
        if path is None or path in ("", "."):
            return ""
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


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, "rb") as fh:
            return [line[:500] for line in fh.read().decode("utf-8", "replace").splitlines()]
    except OSError:
        return []


__all__ = ["Answer", "Definition", "Index", "Limits", "scan_cut_note"]
