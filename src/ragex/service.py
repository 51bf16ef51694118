"""Service: one served root, always answering, with indexing running in the background.

`RagexService` is what a long-lived front (the MCP server) holds: a background index job
on the persistent worker pool, answers from the last committed index while it runs, paths
confined to the root, and responses bounded in items and bytes. Every method returns plain
dicts (the structured results the MCP tools send) and raises `ServiceError` with a message
an agent can act on.

Not for: the wire protocol (mcp_server) or the index internals (indexer, store, search).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Iterator, Optional

from .config import ParallelConfig, load_config
from .indexer import CodeIndexer, IndexBusy, index_status
from .parallel import Progress
from .search import (QueryError, build_tree, check_regex, find_definitions, grep, parent_chain,
                     read_source, search_symbols)
from .store import IndexStore, IndexUnavailable, ScanBudget

MAX_ITEMS = 200
MAX_CODE_BYTES = 64 * 1024
MAX_TEXT_BYTES = 256 * 1024
# while a build has dropped the search indexes, a symbol search scans the table: it stops
# after this long and answers from what it found (a 5.6 M-row scan takes seconds)
BUILD_SCAN_SECONDS = 0.5


_CUT_NOTE = (f"the search indexes are being built: the scan stopped after "
             f"{BUILD_SCAN_SECONDS} s, so results may be missing; ask again when index_status "
             "says the job is done")


def _note_cut(answer: dict, budget: Optional[ScanBudget]) -> dict:
    if budget is not None and budget.cut:
        answer["note"] = _CUT_NOTE
    return answer


class ServiceError(ValueError):
    """A bad argument or an impossible request; the message says what to do instead."""


class IndexJob:
    _ids = itertools.count(1)

    def __init__(self, force: bool) -> None:
        self.id = f"index-{next(self._ids)}"
        self.force = force
        self.state = "running"
        self.started = time.time()
        self.finished: Optional[float] = None
        self.progress: Optional[Progress] = None
        self.phase = "starting"
        self.summary: Optional[dict] = None
        self.error: Optional[str] = None
        self.done = threading.Event()

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"job_id": self.id, "state": self.state, "phase": self.phase,
                             "started": self.started, "finished": self.finished}
        p = self.progress
        if p is not None:
            d["progress"] = {"files_done": p.files_done, "files_total": p.files_total,
                             "symbols": p.symbols, "rate_files_per_s": round(p.rate, 1),
                             "eta_seconds": None if p.eta is None else round(p.eta, 1),
                             "failures": p.failures, "degraded": p.degraded}
        if self.summary is not None:
            s = self.summary
            d["summary"] = {k: s[k] for k in ("indexed", "unchanged", "touched", "skipped",
                                              "failed", "removed", "total_files",
                                              "total_symbols", "seconds")}
        if self.error:
            d["error"] = self.error
        return d


class RagexService:
    def __init__(self, root: str, index_dir: Optional[str] = None,
                 config: Optional[ParallelConfig] = None, discovery: Optional[dict] = None
                 ) -> None:
        self.root = os.path.abspath(root)
        if not os.path.isdir(self.root):
            raise ServiceError(f"{root}: not a directory")
        self.real_root = os.path.realpath(self.root)
        self.config = config or load_config()
        self.discovery = discovery or {}
        self.indexer = CodeIndexer(self.root, index_dir, self.config, **self.discovery)
        self.index_dir = self.indexer.index_dir
        self._job: Optional[IndexJob] = None
        self._scheduled = False
        self._lock = threading.Lock()
        self._local = threading.local()

    # ------------------------------------------------------------- indexing
    def start_index(self, force: bool = False) -> IndexJob:
        """Start a background index run, or join the one running."""
        with self._lock:
            self._scheduled = False  # a deferred start is now moot
            if self._job is not None and self._job.state == "running":
                return self._job
            job = IndexJob(force)
            self._job = job
        thread = threading.Thread(target=self._run_job, args=(job,), name=job.id, daemon=True)
        thread.start()
        return job

    def schedule_index(self, delay: float) -> None:
        """Start indexing after the first answered call, or after `delay` seconds: a big
        tree's walk then never competes with the server's first answer."""
        self._scheduled = True
        timer = threading.Timer(delay, self.start_scheduled)
        timer.daemon = True
        timer.start()

    def start_scheduled(self) -> None:
        with self._lock:
            scheduled, self._scheduled = self._scheduled, False
        if scheduled:
            self.start_index()

    def _run_job(self, job: IndexJob) -> None:
        def progress(p: Progress) -> None:
            job.progress = replace(p, by_status=dict(p.by_status), workers=[])  # a snapshot

        def phase(text: str) -> None:
            job.phase = text

        try:
            summary = self.indexer.index_codebase(force=job.force, progress=progress,
                                                  on_phase=phase, wait=5.0)
            job.summary = summary.to_dict()
            job.state = "done"
            job.phase = "done"
        except (IndexBusy, IndexUnavailable) as exc:  # one line says what to do
            job.state, job.error = "failed", str(exc)
        except Exception as exc:  # the job fails; the server keeps serving
            job.state = "failed"
            job.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        finally:
            job.finished = time.time()
            self._local = threading.local()  # reopen stores: the index may be new
            job.done.set()

    @property
    def job(self) -> Optional[IndexJob]:
        return self._job

    def index_state(self) -> str:
        job = self._job
        if job is not None and job.state == "running":
            p = job.progress
            done = f" ({p.files_done}/{p.files_total} files)" if p else ""
            return f"indexing{done}: answers come from the last committed index and may be partial"
        try:
            store = self._store()
        except ServiceError:
            return "not indexed yet: call index_codebase"
        run = store.get_meta("last_run") or {}
        if not run:
            return "not indexed yet: call index_codebase"
        return "complete" if run.get("complete") else "partial: the last index run did not finish"

    # --------------------------------------------------------------- stores
    @staticmethod
    @contextmanager
    def _scans_bounded(store: IndexStore) -> Iterator[Optional[ScanBudget]]:
        """While a build has dropped the search indexes, lookups by name scan the table:
        they stop after BUILD_SCAN_SECONDS (the budget yielded says whether they did)."""
        if store.search_ready():
            yield None
        else:
            with store.time_budget(BUILD_SCAN_SECONDS) as budget:
                yield budget

    def _store(self) -> IndexStore:
        store = getattr(self._local, "store", None)
        if store is None:
            try:
                store = IndexStore(self.index_dir, readonly=True)
            except IndexUnavailable as exc:
                raise ServiceError(f"{exc}. Indexing state: "
                                   f"{self._job.state if self._job else 'not started'}") from None
            self._local.store = store
        return store

    # ---------------------------------------------------------------- paths
    def confine(self, path: Optional[str]) -> str:
        """A root-relative path for `path`, or ServiceError if it leaves the root."""
        if path is None or path in ("", "."):
            return ""
        if "\0" in path:
            raise ServiceError("path contains a NUL byte")
        candidate = path if os.path.isabs(path) else os.path.join(self.root, path)
        normal = os.path.normpath(candidate)
        real = os.path.realpath(normal)
        for checked in (normal, real):
            base = self.root if checked is normal else self.real_root
            if checked != base and not checked.startswith(base + os.sep):
                raise ServiceError(f"path {path!r} is outside the served root {self.root}; "
                                   "give a path relative to the root")
        return os.path.relpath(normal, self.root).replace(os.sep, "/")

    # ---------------------------------------------------------------- tools
    def index_status(self) -> dict:
        out: dict[str, Any] = {"root": self.root, "index_state": self.index_state(),
                               "job": self._job.to_dict() if self._job else None}
        try:
            status = index_status(self._store(), warnings=False, check=False)
        except ServiceError as exc:
            out["index"] = None
            out["note"] = str(exc)
            return out
        problems = status["problems"]
        out["index"] = {"files": status["files"], "symbols": status["symbols"],
                        "by_language": status["by_language"], "index_bytes": status["index_bytes"],
                        "last_run": status["last_run"],
                        "files_with_warnings": status["warning_files"],
                        "not_indexed": problems[:MAX_ITEMS],
                        "not_indexed_truncated": len(problems) > MAX_ITEMS}
        return out

    def search_symbols(self, query: str, kind: Optional[str] = None,
                       language: Optional[str] = None, path_glob: Optional[str] = None,
                       match: str = "auto", limit: int = 20) -> dict:
        limit = self._limit(limit)
        store = self._store()
        try:
            with self._scans_bounded(store) as budget:
                hits = search_symbols(store, query, kind=kind, language=language,
                                      path_glob=path_glob, match=match, limit=limit + 1)
        except QueryError as exc:
            raise ServiceError(str(exc)) from None
        items = [h.to_dict() for h in hits[:limit]]
        out = {"index_state": self.index_state(), "results": items,
               "truncated": len(hits) > limit}
        return self._bounded(_note_cut(out, budget), "results")

    def get_symbol(self, name_or_id: str, include_code: bool = True, limit: int = 5) -> dict:
        store = self._store()
        with self._scans_bounded(store) as budget:
            hits = find_definitions(store, name_or_id, limit=self._limit(limit))
            parents = [parent_chain(store, hit.symbol) for hit in hits]
        if not hits:
            raise ServiceError(f"no symbol named {name_or_id!r}: try search_symbols with "
                               "match='fuzzy' or 'substring'" +
                               (f" ({_CUT_NOTE})" if budget is not None and budget.cut else ""))
        results = []
        for hit, chain in zip(hits, parents):
            d = hit.to_dict()
            d["parents"] = [p.to_dict() for p in chain]
            if include_code:
                try:
                    source = read_source(self.root, store, hit, MAX_CODE_BYTES)
                    d["code"], d["stale"] = source.code, source.stale
                except QueryError as exc:
                    d["code_error"] = str(exc)
            results.append(d)
        return self._bounded(_note_cut({"index_state": self.index_state(), "results": results,
                                        "truncated": False}, budget), "results")

    def file_outline(self, path: str) -> dict:
        rel = self.confine(path)
        store = self._store()
        if store.file_row(rel) is None:
            raise ServiceError(f"{rel or path}: not in the index (index_state: "
                               f"{self.index_state()}); check the path with search_symbols")
        tree = build_tree(store.file_symbols(rel))
        row = store.file_row(rel)
        return self._bounded({"index_state": self.index_state(), "path": rel,
                              "status": row.status, "reason": row.reason,
                              "symbols": [n.to_dict() for n in tree], "truncated": False},
                             "symbols")

    def search_code(self, pattern: str, regex: bool = True, path_glob: Optional[str] = None,
                    limit: int = 50, context: int = 0) -> dict:
        if not pattern:
            raise ServiceError("the pattern is empty")
        limit = self._limit(limit)
        if regex:
            try:
                check_regex(pattern)
            except QueryError as exc:
                raise ServiceError(str(exc)) from None
        try:
            store: Optional[IndexStore] = self._store()
        except ServiceError:
            store = None  # not indexed yet: hits without enclosing symbols
        context = max(0, min(int(context), 10))
        hits = []
        lines_cache: dict[str, list[str]] = {}
        try:
            for hit in grep(self.root, store, pattern, regex=regex, path_glob=path_glob,
                            limit=limit + 1, discovery=self.discovery):
                d = hit.to_dict()
                if context:
                    lines = lines_cache.get(hit.path)
                    if lines is None:
                        lines = _read_lines(os.path.join(self.root, hit.path))
                        lines_cache[hit.path] = lines
                    lo = max(0, hit.line - 1 - context)
                    d["before"] = lines[lo:hit.line - 1]
                    d["after"] = lines[hit.line:hit.line + context]
                hits.append(d)
        except QueryError as exc:
            raise ServiceError(str(exc)) from None
        return self._bounded({"index_state": self.index_state(), "results": hits[:limit],
                              "truncated": len(hits) > limit}, "results")

    # -------------------------------------------------------------- helpers
    @staticmethod
    def _limit(limit: Any) -> int:
        try:
            value = int(limit)
        except (TypeError, ValueError):
            raise ServiceError(f"limit must be a whole number, got {limit!r}") from None
        if value < 1:
            raise ServiceError("limit must be ≥ 1")
        return min(value, MAX_ITEMS)

    @staticmethod
    def _bounded(payload: dict, key: str) -> dict:
        """Drop items from the end until the JSON fits MAX_TEXT_BYTES; say so."""
        import json

        items = payload[key]
        size = len(json.dumps(payload, ensure_ascii=False).encode())
        while size > MAX_TEXT_BYTES and items:
            dropped = items.pop()
            size -= len(json.dumps(dropped, ensure_ascii=False).encode())
            payload["truncated"] = True
        if payload.get("truncated"):
            note = (f"results truncated to {len(items)} items / {MAX_TEXT_BYTES} bytes; "
                    "narrow the query (kind, language, path_glob) or lower limit")
            payload["note"] = "; ".join(filter(None, [payload.get("note"), note]))
        return payload


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, "rb") as fh:
            return [line[:500] for line in fh.read().decode("utf-8", "replace").splitlines()]
    except OSError:
        return []
