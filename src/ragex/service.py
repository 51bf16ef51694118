"""Service: one served root, always answering, with indexing running in the background.

`RagexService` is what a long-lived front (the MCP server) holds around the library front
(`front.Index`): a background index job on the persistent worker pool, a watcher that
keeps the index current as files change (`watch`; its whole-tree checks run as that job),
answers from the last committed index while they run (lookups by name bounded in time
while a build has dropped the search indexes), and answers bounded in bytes for the wire.
Each tool method returns the plain dict an MCP tool sends and raises `ServiceError` with a
message an agent can act on.

Not for: the wire protocol (mcp_server) or any question's logic (front, search).
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import json
import os
import sys
import threading
import time
import traceback
import weakref
from dataclasses import replace
from typing import Any, Awaitable, Callable, Optional

from .config import ParallelConfig, background_embedding_limit
from .discover import DiscoveryOptions
from .front import Answer, Index, Limits
from .indexer import IndexBusy, IndexSummary
from .progress import Progress
from .search import QueryError
from .semantic import SemanticUnavailable
from .store import IndexUnavailable
from .watch_state import read_state as read_watch_state

# Lookups by name during a build stop after half a second: no call waits for the build.
MCP_LIMITS = Limits(build_scan_seconds=0.5)
BACKGROUND_EMBED_BATCH = 32  # definitions per batch of the background pass
MAX_ANSWER_BYTES = 256 * 1024  # what one tool answer may take on the wire


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
        self.result: Optional[IndexSummary] = None
        self.error: Optional[str] = None
        self.busy = False  # failed because another process was writing the index
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


# services of this process: their background embedding is stopped before the interpreter
# exits (a daemon thread inside the model's native code while Python finalizes can crash it)
_LIVE: "weakref.WeakSet[RagexService]" = weakref.WeakSet()


@atexit.register
def _stop_background_work() -> None:
    for service in list(_LIVE):
        service.stop_embedding(wait=30.0)


class RagexService:
    def __init__(self, root: str, index_dir: Optional[str] = None,
                 config: Optional[ParallelConfig] = None,
                 discovery: Optional[DiscoveryOptions] = None,
                 limits: Limits = MCP_LIMITS) -> None:
        try:
            self.index = Index(root, index_dir, discovery, config, limits)
        except IndexUnavailable as exc:
            raise ServiceError(str(exc)) from None
        self.index.activity = self._activity
        self.root = self.index.root
        self.index_dir = self.index.index_dir
        self._job: Optional[IndexJob] = None
        self._scheduled = False
        self._lock = threading.Lock()
        self._embedding: Optional[threading.Thread] = None
        self._embed_again = False
        self._embed_progress: Optional[dict] = None
        self._stop_embedding = threading.Event()
        self.watcher = None  # a watch.Watcher once enable_watch is called
        _LIVE.add(self)

    # ------------------------------------------------------------- watching
    def enable_watch(self, settings=None):
        """Keep the index current as files change, from the scheduled start on: a
        `watch.Watcher` whose whole-tree checks run as this service's index job. If another
        process already watches the index, this one stands by and takes over when it stops."""
        from .watch import Watcher

        self.watcher = Watcher(self.index, settings, check=self._watch_check)
        self.index.watch_note = self.watcher.describe
        return self.watcher

    def _watch_check(self) -> IndexSummary:
        job = self.start_index()
        job.done.wait()
        if job.busy:
            raise IndexBusy(job.error)
        if job.result is None:
            raise RuntimeError(job.error or "the index job failed")
        return job.result

    def close(self) -> None:
        self._stop_embedding.set()
        if self.watcher is not None:
            self.watcher.stop()

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
        if not scheduled:
            return
        if self.watcher is not None:
            try:
                self.watcher.start(standby=True)  # its first act: the whole-tree check
                return
            except OSError as exc:
                print(f"ragex-mcp: not watching {self.root}: {exc}", file=sys.stderr)
        self.start_index()

    def _run_job(self, job: IndexJob) -> None:
        def progress(p: Progress) -> None:
            job.progress = replace(p, by_status=dict(p.by_status), workers=[])  # a snapshot

        def phase(text: str) -> None:
            job.phase = text

        try:
            summary = self.index.update(force=job.force, progress=progress, on_phase=phase,
                                        wait=5.0)
            job.summary = summary.to_dict()
            job.result = summary
            job.state = "done"
            job.phase = "done"
            self.start_embedding()
        except (IndexBusy, IndexUnavailable) as exc:  # one line says what to do
            job.state, job.error, job.busy = "failed", str(exc), isinstance(exc, IndexBusy)
        except Exception as exc:  # the job fails; the server keeps serving
            job.state = "failed"
            job.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        finally:
            job.finished = time.time()
            job.done.set()

    async def follow_job(self, job: IndexJob, seconds: float,
                         report: Optional[Callable[[IndexJob], Awaitable[None]]] = None,
                         every: float = 0.2) -> None:
        """Wait up to `seconds` for `job` to end, calling `report` with it every `every`
        seconds and once at the end."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(seconds, 3600.0)
        while not job.done.is_set():
            if report is not None:
                await report(job)
            if loop.time() >= deadline:
                return
            await asyncio.sleep(every)
        if report is not None:
            await report(job)

    # ------------------------------------------------------------ embedding
    def start_embedding(self) -> Optional[threading.Thread]:
        """Embed new and changed definitions in the background (the ragex[semantic]
        extra, unless RAGEX_EMBED_IN_BACKGROUND is false); searches answer from what is
        embedded so far. None when it does not run."""
        from .config import background_embedding
        from .semantic import missing_extra

        if not background_embedding() or missing_extra():
            return None
        with self._lock:
            if self._embedding is not None and self._embedding.is_alive():
                self._embed_again = True  # the index changed under the running pass
                return self._embedding
            thread = threading.Thread(target=self._run_embedding, name="embed", daemon=True)
            self._embedding = thread
        thread.start()
        return thread

    def _run_embedding(self) -> None:
        # background work: the lowest priority for this thread (Linux: per thread), one
        # thread of inference (run on this thread), small batches so that a pause for the
        # live index comes soon
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except (AttributeError, OSError):
            pass
        while True:
            self._embed_again = False
            try:
                self.index.embed(progress=self._embed_report, stop=self._stop_embedding,
                                 threads=1, batch=BACKGROUND_EMBED_BATCH,
                                 max_todo=background_embedding_limit(), pause=self._index_busy)
            except Exception as exc:  # the server keeps serving; index_status says why
                self._embed_progress = {"state": "failed",
                                        "error": f"{type(exc).__name__}: {exc}"}
                traceback.print_exc()
                return
            if not self._embed_again or self._stop_embedding.is_set():
                return

    def _index_busy(self) -> bool:
        """The index has changes to take in: the background embedding waits for them."""
        job = self._job
        return (job is not None and not job.done.is_set()) or \
            (self.watcher is not None and self.watcher.busy())

    def _embed_report(self, p) -> None:
        self._embed_progress = {"state": p.state, "embedded": p.done, "total": p.total,
                                "per_second": round(p.rate, 1), "device": p.device}
        if p.state == "too many":
            self._embed_progress["note"] = (
                f"{p.todo} definitions to embed, more than the server embeds in the "
                f"background (RAGEX_EMBED_BACKGROUND_MAX={background_embedding_limit()}): "
                "run `ragex embed` once; the server keeps up with changes after that")

    def stop_embedding(self, wait: float = 10.0) -> None:
        self._stop_embedding.set()
        thread = self._embedding
        if thread is not None:
            thread.join(wait)

    @property
    def job(self) -> Optional[IndexJob]:
        return self._job

    def _activity(self) -> Optional[str]:
        job = self._job
        if job is None or job.state != "running":
            return None
        p = job.progress
        done = f" ({p.files_done}/{p.files_total} files)" if p else ""
        return f"indexing{done}: answers come from the last committed index and may be partial"

    def index_state(self) -> str:
        state = self.index.index_state()
        return state + ": call index_codebase" if state == "not indexed yet" else state

    # ---------------------------------------------------------------- paths
    def confine(self, path: Optional[str]) -> str:
        """A root-relative path for `path`, or ServiceError if it leaves the root."""
        return self._call(self.index.confine, path)

    # ---------------------------------------------------------------- tools
    def index_status(self) -> dict:
        out: dict[str, Any] = {"root": self.root, "index_state": self.index_state(),
                               "job": self._job.to_dict() if self._job else None,
                               "embedding": self._embed_progress,
                               "watch": self._watch_state()}
        try:
            status = self.index.status(warnings=False, check=False)
        except IndexUnavailable as exc:
            out["index"] = None
            out["note"] = f"{exc}. Indexing state: {self._job.state if self._job else 'not started'}"
            return out
        problems = status["problems"]
        cap = self.index.limits.max_items
        out["index"] = {"files": status["files"], "symbols": status["symbols"],
                        "by_language": status["by_language"], "index_bytes": status["index_bytes"],
                        "references": status["references"],
                        "references_by_language": status["references_by_language"],
                        "references_none": status["references_none"],
                        "last_run": status["last_run"],
                        "files_with_warnings": status["warning_files"],
                        "not_indexed": problems[:cap],
                        "not_indexed_truncated": len(problems) > cap}
        return out

    def _watch_state(self) -> Optional[dict]:
        watcher = self.watcher
        if watcher is not None and watcher.mode not in ("standby", "stopped"):
            return watcher.state()
        return read_watch_state(self.index_dir)  # another process's watcher, if any

    def search_symbols(self, query: str, kind: Optional[str] = None,
                       language: Optional[str] = None, path_glob: Optional[str] = None,
                       match: str = "auto", limit: int = 20) -> dict:
        return self._reply(self._call(self.index.search, query, kind, language, path_glob,
                                      match, limit))

    def search_text(self, query: str, mode: str = "auto", kind: Optional[str] = None,
                    language: Optional[str] = None, path_glob: Optional[str] = None,
                    limit: int = 10) -> dict:
        return self._reply(self._call(self.index.search_text, query, mode, kind, language,
                                      path_glob, limit))

    def get_symbol(self, name_or_id: str, include_code: bool = True, limit: int = 5) -> dict:
        answer = self._call(self.index.definition, name_or_id, include_code, limit)
        if not answer.items:  # an agent gets an error it can act on, not an empty list
            raise ServiceError(f"no symbol named {name_or_id!r}: try search_symbols with "
                               "match='fuzzy' or 'substring'" +
                               "".join(f" ({note})" for note in answer.notes[:-1]))
        payload = self._reply(answer, bound=False)
        for item in payload["results"]:  # who calls it and what it calls, counted
            item["calls"] = self._call(self.index.call_counts, item["id"])
        return bounded(payload, "results")

    def file_outline(self, path: str, depth: Optional[int] = None, kind: Optional[str] = None,
                     offset: int = 0, limit: Optional[int] = None) -> dict:
        """The outline page that fits the answer's byte bound: a page too big is asked
        again with half the symbols, so a big file's outline is cut, never emptied."""
        limit = self._call(self.index._limit,
                           limit if limit is not None else self.index.limits.max_items)
        while True:
            answer = self._call(self.index.outline, path, depth, kind, offset, limit)
            payload = self._reply(answer, "symbols", bound=False)
            if limit == 1 or _size(payload) <= MAX_ANSWER_BYTES:
                return bounded(payload, "symbols")
            limit //= 2

    def search_code(self, pattern: str, regex: bool = True, path_glob: Optional[str] = None,
                    limit: int = 50, context: int = 0) -> dict:
        return self._reply(self._call(self.index.grep, pattern, regex, path_glob, False,
                                      limit, context))

    def find_references(self, name_or_id: str, kind: Optional[str] = None,
                        path_glob: Optional[str] = None, limit: int = 50,
                        offset: int = 0) -> dict:
        return self._reply(self._call(self.index.references, name_or_id, kind, path_glob,
                                      limit, offset), "references")

    def call_hierarchy(self, name_or_id: str, direction: str = "incoming", depth: int = 1,
                       limit: int = 100) -> dict:
        """The hierarchy that fits the answer's byte bound: one too big is asked again with
        half the nodes, so a big tree is cut (and says so), never emptied."""
        limit = self._call(self.index._limit, limit)
        while True:
            answer = self._call(self.index.call_hierarchy, name_or_id, direction, depth, limit)
            payload = self._reply(answer, "trees", bound=False)
            if limit == 1 or _size(payload) <= MAX_ANSWER_BYTES:
                return bounded(payload, "trees")
            limit //= 2

    # -------------------------------------------------------------- helpers
    def _call(self, method, *args):
        """Run a front method; its errors become ServiceErrors the agent can read."""
        try:
            return method(*args)
        except (QueryError, IndexUnavailable) as exc:
            message = str(exc)
            if isinstance(exc, IndexUnavailable):
                message += f". Indexing state: {self._job.state if self._job else 'not started'}"
            raise ServiceError(message) from None
        except SemanticUnavailable as exc:
            raise ServiceError(str(exc)) from None

    def _reply(self, answer: Answer, key: str = "results", bound: bool = True) -> dict:
        answer.index_state = self.index_state()
        payload = answer.to_dict(key)
        return bounded(payload, key) if bound else payload


def _size(payload: Any) -> int:
    return len(json.dumps(payload, ensure_ascii=False).encode())


def bounded(payload: dict, key: str, max_bytes: int = MAX_ANSWER_BYTES) -> dict:
    """Drop items from the end until the JSON fits `max_bytes`; say so in `note`."""
    items = payload[key]
    size = _size(payload)
    cut = False
    while size > max_bytes and items:
        dropped = items.pop()
        size -= _size(dropped)
        cut = True
    if cut:
        payload["truncated"] = True
        note = (f"results truncated to {len(items)} items / {max_bytes} bytes; narrow the "
                "query (kind, language, path_glob) or lower limit")
        payload["note"] = "; ".join(filter(None, [payload.get("note"), note]))
    return payload
