"""ParallelSymbolExtractor: extract many files, on a pool of worker processes or in-process.

The public API of extraction: `ParallelSymbolExtractor`, `make_tasks`, `shared_extractor`
and `RunStats`. The pool is persistent (reused across batches and across calls in one
process), uses a safe start method (forkserver on Linux, spawn elsewhere), and streams
results as each file finishes, so a caller stores them while extraction goes on and
memory stays flat.

Recovery, each case with a real fault (see `faults` for how tests inject them):

| fault                                   | what happens                                      |
|-----------------------------------------|---------------------------------------------------|
| a file's extraction raises              | that file failed with the reason (in the worker)  |
| a worker dies (SIGKILL, segfault, exit) | worker restarted; files already done are kept; the |
|                                         | file it was on is retried alone, failed if it dies |
|                                         | again; the rest of the batch is re-queued          |
| a file runs past its deadline           | worker killed and restarted; the file is timeout;  |
|                                         | the rest of the batch is re-queued                 |
| a worker goes over its memory limit     | worker killed and restarted, batch size halved; the|
|                                         | file is retried alone, failed if it happens again  |
| more than `max_failures` worker deaths  | degrade to one worker and one file per batch: still|
|                                         | isolating, never the whole run in-process          |
| a grammar fails to import               | that language's files skipped with the reason      |

Every input file comes out exactly once, as ok, skipped, failed or timeout.

Split by where the code runs: `worker` is what a worker process executes, `supervisor`
the main process's side of the pool (scheduling and the recovery above); `progress` holds
the snapshot callbacks get. This module chooses in-process or the pool and owns the pool.

Not for: finding files (discover) or storing results (store).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import AsyncIterator, Callable, Iterable, Iterator, Optional, Sequence

from .config import ParallelConfig, load_config
from .extract import (STATUS_FAILED, STATUS_OK, STATUS_SKIPPED, STATUS_TIMEOUT,
                      ExtractionResult, ExtractionTask, extract_file)
from .languages import language_for_path
from .parser_pool import process_parser_pool
from .progress import Progress, ProgressCallback, WorkerState
from .supervisor import PoolBroken, SupervisedRun, WorkerPool
from .worker import pack
from .symbol import Symbol

# Importable from here as before the module was split (tests and callers of the old layout).
from .supervisor import _Pending  # noqa: F401

log = logging.getLogger("ragex.parallel")


@dataclass
class RunStats:
    """Figures of the last run (for benchmarks and `--json` summaries)."""

    mode: str = "sequential"
    workers: int = 0
    files: int = 0
    worker_restarts: int = 0  # after a fault
    worker_recycles: int = 0  # healthy workers replaced because their idle memory grew
    batches_ahead: int = 0  # batches sent to a worker still busy with its previous one
    worker_peak_rss_mb: float = 0.0
    first_result_seconds: Optional[float] = None
    wall_seconds: float = 0.0
    degraded: bool = False


def make_tasks(paths: Iterable[str], root: Optional[str] = None,
               max_file_bytes: Optional[int] = None, docs: bool = True) -> list[ExtractionTask]:
    """Tasks for files, with sizes and languages (by name; content decides in the worker)."""
    tasks = []
    for path in paths:
        rel = os.path.relpath(path, root) if root else path
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        task = ExtractionTask(path, rel.replace(os.sep, "/"), include_docs_and_comments=docs,
                              file_size=size, language=language_for_path(path))
        if max_file_bytes:
            task.max_file_bytes = max_file_bytes
        tasks.append(task)
    return tasks


class ParallelSymbolExtractor:
    """The design's extractor: sequential in-process for few files, else a worker pool."""

    def __init__(self, config: Optional[ParallelConfig] = None) -> None:
        self.config = config or load_config()
        self._pool: Optional[WorkerPool] = None
        self._cluster = None  # cluster.DaskBackend, when the config names a Dask executor
        self._lock = threading.Lock()
        self.last_stats = RunStats()
        atexit.register(self.close)

    # --- pool lifecycle
    def start(self) -> WorkerPool:
        """Start the worker pool now (it otherwise starts on the first parallel call)."""
        if self._pool is None or not self._pool.workers:
            self._pool = WorkerPool(self.config.max_workers, self.config.worker_memory_limit_mb)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    @property
    def pool_running(self) -> bool:
        return self._pool is not None and bool(self._pool.workers)

    def stop_if_idle(self) -> bool:
        """Stop the worker pool unless a run is using it (the next run starts it again):
        a long-lived owner gives the workers' memory back when idle."""
        if not self._lock.acquire(blocking=False):
            return False
        try:
            self.close()
            return True
        finally:
            self._lock.release()

    def __enter__(self) -> "ParallelSymbolExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- extraction
    def iter_extract(self, tasks: Sequence[ExtractionTask],
                     progress: Optional[ProgressCallback] = None,
                     raw: bool | str = False, on_idle: Optional[Callable[[], None]] = None
                     ) -> Iterator[ExtractionResult]:
        """Results as files finish (not in input order); every task exactly once.

        Each result's symbols are in `result.symbols` as `Symbol` records; with `raw=True`
        they are in `result.rows` instead, as tuples in Symbol field order (what the store
        writes), and `symbols` is empty: the main process builds no records on that path.
        `raw="pickled"`: `rows` is one `worker.PackedRows` (pickled once in the worker), for
        a caller that forwards results unread (a Dask worker, see `cluster_worker`).
        `raw="jsonl"`: `rows` is one `jsonl.JsonLines` (the symbols as JSON lines, encoded
        in the worker), for a caller that writes them out unread (`ragex extract`); on a
        cluster, `rows` holds tuples as with `raw=True`.
        `on_idle`, a hint: called (in the caller's thread, between results) when results
        went out and the extractor is about to wait for more; a cluster run's results
        come in bursts, so the indexer commits then. The local pool does not call it.
        """
        if self.config.on_cluster:  # --scheduler / --cluster: see `cluster`
            yield from self._on_cluster(tasks, progress, raw, on_idle)
            return
        tasks = list(tasks)
        for task in tasks:
            if task.max_file_bytes is None:  # the caller's limit stands (the index's)
                task.max_file_bytes = self.config.max_file_bytes
        stats = RunStats(files=len(tasks))
        self.last_stats = stats
        started = time.perf_counter()
        if self.config.use_parallel is False or not tasks:
            stats.mode = "sequential"
            yield from self._sequential(tasks, progress, stats, raw)
        elif self.config.should_parallelize(len(tasks)) or self._pool is not None:
            with self._lock:
                yield from self._supervised(self.start(), tasks, progress, stats, raw)
        else:
            # Few files (an incremental update): one worker of their own, so a file that
            # hangs, crashes or blows its memory is still stopped and isolated.
            one_off = WorkerPool(1, self.config.worker_memory_limit_mb, quick=True)
            try:
                yield from self._supervised(one_off, tasks, progress, stats, raw)
            finally:
                one_off.close()
            stats.mode = "one worker (few files)"
        stats.wall_seconds = time.perf_counter() - started

    def _on_cluster(self, tasks: Sequence[ExtractionTask], progress, raw: bool,
                    on_idle: Optional[Callable[[], None]]) -> Iterator[ExtractionResult]:
        from .cluster import DaskBackend

        with self._lock:
            if self._cluster is None:
                self._cluster = DaskBackend(self.config)
            run = self._cluster.run(tasks, progress, raw, on_idle)
            self.last_stats = run.stats
            yield from run

    def _supervised(self, pool: WorkerPool, tasks: list, progress, stats: RunStats,
                    raw: bool) -> Iterator[ExtractionResult]:
        pool.ensure_alive()
        stats.mode = "parallel"
        stats.workers = pool.size
        run = SupervisedRun(pool, tasks, self.config, progress, stats, raw)
        try:
            yield from run.run()
        except PoolBroken as exc:
            left = run.remaining_tasks()
            log.warning("%s; extracting the remaining %d files in-process", exc, len(left))
            pool.close()
            stats.mode = "sequential (worker pool broken)"
            stats.degraded = True
            yield from self._sequential(left, progress, stats, raw)

    def _sequential(self, tasks: list, progress: Optional[ProgressCallback],
                    stats: RunStats, raw: bool = False) -> Iterator[ExtractionResult]:
        state = Progress(files_total=len(tasks), bytes_total=sum(t.file_size for t in tasks),
                         mode="sequential")
        started = time.perf_counter()
        last = 0.0
        pool = process_parser_pool()
        for task in tasks:
            result = extract_file(task, pool)
            if raw in ("pickled", "jsonl"):
                pack(result, pickled=raw == "pickled", jsonl=raw == "jsonl")
            elif raw:  # a Symbol is a tuple in its own field order: moved, not copied
                result.rows, result.symbols = result.symbols, []
            state.record(result)
            if stats.first_result_seconds is None:
                stats.first_result_seconds = time.perf_counter() - started
            yield result
            now = time.perf_counter()
            if progress is not None and (now - last >= 0.1 or state.files_done == len(tasks)):
                last = now
                state.elapsed = now - started
                progress(state)

    def extract_paths(self, paths: Iterable[str], root: Optional[str] = None,
                      progress: Optional[ProgressCallback] = None) -> Iterator[ExtractionResult]:
        return self.iter_extract(make_tasks(paths, root, self.config.max_file_bytes), progress)

    async def aiter_extract(self, tasks: Sequence[ExtractionTask],
                            progress: Optional[ProgressCallback] = None
                            ) -> AsyncIterator[ExtractionResult]:
        """Async stream of results: extraction runs in a thread, results arrive as ready."""
        import asyncio

        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue(maxsize=1024)
        done = object()

        def produce() -> None:
            try:
                for result in self.iter_extract(tasks, progress):
                    asyncio.run_coroutine_threadsafe(queue.put(result), loop).result()
            except BaseException as exc:  # surfaced to the consumer
                asyncio.run_coroutine_threadsafe(queue.put(exc), loop).result()
            finally:
                asyncio.run_coroutine_threadsafe(queue.put(done), loop).result()

        thread = threading.Thread(target=produce, name="ragex-extract", daemon=True)
        thread.start()
        while True:
            item = await queue.get()
            if item is done:
                break
            if isinstance(item, BaseException):
                raise item
            yield item

    async def extract_symbols_parallel(self, file_paths: Sequence[str],
                                       root: Optional[str] = None,
                                       progress: Optional[ProgressCallback] = None
                                       ) -> list[ExtractionResult]:
        """The design's call: every file's ExtractionResult (order: as they finished)."""
        tasks = make_tasks(file_paths, root, self.config.max_file_bytes)
        return [r async for r in self.aiter_extract(tasks, progress)]

    async def extract_symbols_from_files(self, file_paths: Sequence[str],
                                         root: Optional[str] = None) -> list[Symbol]:
        results = await self.extract_symbols_parallel(file_paths, root)
        results.sort(key=lambda r: r.rel_path)
        return [s for r in results for s in r.symbols]


_SHARED: Optional[ParallelSymbolExtractor] = None
_SHARED_LOCK = threading.Lock()


def shared_extractor(config: Optional[ParallelConfig] = None) -> ParallelSymbolExtractor:
    """The process-wide extractor whose pool the index and the MCP server reuse."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = ParallelSymbolExtractor(config)
        elif config is not None and config != _SHARED.config:
            _SHARED.close()
            _SHARED = ParallelSymbolExtractor(config)
        return _SHARED


__all__ = ["ExtractionResult", "ExtractionTask", "ParallelSymbolExtractor", "PoolBroken",
           "Progress", "ProgressCallback", "RunStats", "WorkerPool", "WorkerState",
           "make_tasks", "shared_extractor", "STATUS_OK", "STATUS_SKIPPED", "STATUS_FAILED",
           "STATUS_TIMEOUT"]
