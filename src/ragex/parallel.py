"""ParallelSymbolExtractor: extract many files on a pool of worker processes.

The pool is persistent (reused across batches and across calls in one process), uses a
safe start method (forkserver on Linux, spawn elsewhere), and streams results as each file
finishes, so a caller stores them while extraction goes on and memory stays flat.

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

Not for: finding files (discover) or storing results (store).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import AsyncIterator, Callable, Iterable, Iterator, Optional, Sequence

import psutil

from .config import ParallelConfig, debug_environment, load_config, start_method
from .extract import (STATUS_FAILED, STATUS_OK, STATUS_SKIPPED, STATUS_TIMEOUT,
                      ExtractionResult, ExtractionTask, extract_file)
from .languages import language_for_path
from .parser_pool import process_parser_pool, rss_mb
from .symbol import Symbol

log = logging.getLogger("ragex.parallel")

_INITIAL_BYTES_PER_SECOND = 2_000_000.0
_POLL_SECONDS = 0.05
_RSS_EVERY_SECONDS = 0.1


# ------------------------------------------------------------------------ progress


@dataclass
class WorkerState:
    worker_id: int
    pid: Optional[int]
    state: str  # starting / idle / busy / restarting / stopped
    current_file: Optional[str] = None
    rss_mb: float = 0.0
    files_done: int = 0
    restarts: int = 0


@dataclass
class Progress:
    """A snapshot passed to progress callbacks."""

    files_total: int
    files_done: int = 0
    symbols: int = 0
    bytes_total: int = 0
    bytes_done: int = 0
    elapsed: float = 0.0
    by_status: dict = field(default_factory=dict)
    workers: list = field(default_factory=list)
    degraded: bool = False
    mode: str = "parallel"

    @property
    def rate(self) -> float:
        return self.files_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> Optional[float]:
        if self.files_done == 0 or self.elapsed <= 0:
            return None
        if self.bytes_done and self.bytes_total:
            per_byte = self.elapsed / self.bytes_done
            return max(0.0, (self.bytes_total - self.bytes_done) * per_byte)
        return (self.files_total - self.files_done) / self.rate

    def record(self, result: ExtractionResult) -> None:
        """Count one finished file."""
        self.files_done += 1
        self.symbols += len(result.symbols)
        self.bytes_done += result.size
        self.by_status[result.status] = self.by_status.get(result.status, 0) + 1

    @property
    def failures(self) -> int:
        return sum(v for k, v in self.by_status.items() if k in (STATUS_FAILED, STATUS_TIMEOUT))


ProgressCallback = Callable[[Progress], None]


@dataclass
class RunStats:
    """Figures of the last run (for benchmarks and `--json` summaries)."""

    mode: str = "sequential"
    workers: int = 0
    files: int = 0
    worker_restarts: int = 0  # after a fault
    worker_recycles: int = 0  # healthy workers replaced because their idle memory grew
    worker_peak_rss_mb: float = 0.0
    first_result_seconds: Optional[float] = None
    wall_seconds: float = 0.0
    degraded: bool = False


# ---------------------------------------------------------------------- the worker


def _pack(result: ExtractionResult) -> ExtractionResult:
    # Plain tuples pickle several times faster than named tuples; converted in place so
    # that a file with 40,000 symbols never has both lists alive at once.
    symbols = result.symbols
    for i, symbol in enumerate(symbols):
        symbols[i] = tuple(symbol)
    return result


def _unpack(result: ExtractionResult) -> ExtractionResult:
    make = Symbol._make
    result.symbols = [make(t) for t in result.symbols]
    return result


def _worker_main(conn, state, memory_limit_bytes: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    try:  # stdout may be an MCP stdio stream: a worker must never write to it
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    try:  # backstop: the main process polls RSS; this catches a spike between polls
        vms = psutil.Process().memory_info().vms
        resource.setrlimit(resource.RLIMIT_AS, (vms + 2 * memory_limit_bytes,) * 2)
    except (ValueError, OSError, resource.error):
        pass
    pool = process_parser_pool()
    trim = _malloc_trim()
    start_mb = rss_mb()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        batch_id, env, tasks = message
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        started = time.perf_counter()
        size = 0
        for index, task in enumerate(tasks):
            state[1] = time.monotonic()
            state[0] = index
            result = extract_file(task, pool)
            size += result.size
            conn.send((batch_id, index, _pack(result)))
            if result.size > _TRIM_AFTER_BYTES and trim is not None:
                del result
                trim(0)  # hand the big file's tree back to the OS: flat worker memory
        state[0] = -1
        if trim is not None:
            trim(0)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send((batch_id, -1, (time.perf_counter() - started, size, peak_kb / 1024,
                                  rss_mb() - start_mb - pool.loaded_mb)))


_TRIM_AFTER_BYTES = 256 * 1024
# A file this big is a batch of its own, so the worker's memory is checked (see below)
# after each one: two multi-megabyte files in one batch took a worker to 106 MB.
_ALONE_BYTES = 1024 * 1024
# A worker whose memory between batches has grown by more than this since it started (not
# counting the grammars it loaded) is replaced. Multi-megabyte files leave the heap
# fragmented: on the kernel an idle worker crept from 18 to 52 MB and the next big file
# took it to 100 MB. A replacement costs one fork from the forkserver.
RECYCLE_GROWTH_MB = 16


def _malloc_trim():
    """glibc's malloc_trim, or None: freed parser memory otherwise stays in the heap."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


# ------------------------------------------------------------------------ the pool


@dataclass
class _Batch:
    batch_id: int
    tasks: list
    attempt: int = 0  # > 0: a retry of an isolated file
    received: set = field(default_factory=set)
    sent_at: float = 0.0


class _Worker:
    def __init__(self, ctx, worker_id: int, memory_limit_bytes: int) -> None:
        self.worker_id = worker_id
        self.restarts = 0
        self.files_done = 0
        self.ctx = ctx
        self.memory_limit_bytes = memory_limit_bytes
        self.batch: Optional[_Batch] = None
        self._start()

    def _start(self) -> None:
        self.state = self.ctx.RawArray("d", 2)
        self.state[0] = -1
        parent, child = self.ctx.Pipe(duplex=True)
        self.proc = self.ctx.Process(target=_worker_main, name=f"ragex-worker-{self.worker_id}",
                                     args=(child, self.state, self.memory_limit_bytes),
                                     daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.ps = psutil.Process(self.proc.pid)
        self.rss = 0
        self.batch = None
        self.languages: set = set()  # grammars this process has loaded (or is loading)

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self._start()

    def recycle(self) -> None:
        """Replace a healthy idle worker with a fresh one (its memory back to the OS)."""
        self.stop()
        self._start()

    def kill(self) -> None:
        try:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(timeout=5)
        except Exception:  # already gone
            pass
        try:
            self.conn.close()
        except OSError:
            pass

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.proc.join(timeout=2)
        except Exception:
            pass
        self.kill()

    def current_index(self) -> int:
        return int(self.state[0])


def _context():
    method = start_method()
    if not method:
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["ragex.extract", "ragex.parallel"])
    return ctx


class WorkerPool:
    """A persistent set of worker processes with per-worker supervision."""

    def __init__(self, workers: int, memory_limit_mb: int) -> None:
        self.size = workers
        self.memory_limit_bytes = memory_limit_mb * 1024 * 1024
        self.ctx = _context()
        self.workers: list[_Worker] = []
        for worker_id in range(workers):
            self.workers.append(_Worker(self.ctx, worker_id, self.memory_limit_bytes))

    def ensure_alive(self) -> None:
        """Replace workers that died between runs (or were killed by an abandoned run)."""
        for worker in self.workers:
            if not worker.proc.is_alive():
                worker.restart()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []


class _Pending:
    """Files waiting for a worker: one queue per language, largest file first.

    Loading a language costs a worker up to 0.4 s (tree-sitter compiles its query), so a
    worker keeps to the languages it has loaded and a new language goes to one worker
    while others remain; workers share a language only when nothing else is left. Among
    the candidates the biggest file goes first, so no big file is left for the end.
    """

    def __init__(self, tasks: list) -> None:
        self.queues: dict[Optional[str], deque] = {}
        for task in sorted(tasks, key=lambda t: -t.file_size):
            self.queues.setdefault(task.language, deque()).append(task)
        self.count = len(tasks)

    def __bool__(self) -> bool:
        return self.count > 0

    def choose(self, loaded: set, others: set) -> deque:
        """The queue a worker that has `loaded` these languages should take from next."""
        live = [lang for lang, q in self.queues.items() if q]
        pick = [lang for lang in live if lang in loaded] or \
            [lang for lang in live if lang not in others] or live
        # the biggest file first (across the candidates): no big file left for the end
        return self.queues[max(pick, key=lambda lang: self.queues[lang][0].file_size)]

    def pop(self, queue: deque):
        task = queue.popleft()
        self.count -= 1
        return task

    def put_back(self, task) -> None:
        self.queues.setdefault(task.language, deque()).appendleft(task)
        self.count += 1

    def tasks(self) -> list:
        return [task for queue in self.queues.values() for task in queue]

    def clear(self) -> None:
        self.queues.clear()
        self.count = 0


class PoolBroken(RuntimeError):
    """Worker processes cannot run at all (e.g. they fail to start)."""


class _Run:
    """One call's scheduling state: pending files, batches in flight, recovery."""

    def __init__(self, pool: WorkerPool, tasks: list, config: ParallelConfig,
                 progress: Optional[ProgressCallback], stats: RunStats, raw: bool = False) -> None:
        self.pool = pool
        self.raw = raw
        self.config = config
        self.progress_cb = progress
        self.stats = stats
        self.pending = _Pending(tasks)
        self.retries: deque = deque()  # (task, attempt) isolated after a fault
        self.outstanding = len(tasks)
        self.batch_cap = config.max_batch_size
        self.bytes_per_second = _INITIAL_BYTES_PER_SECOND
        self.next_batch_id = 0
        self.failures = 0
        self.startup_failures = 0
        self.degraded = False
        self.started = time.perf_counter()
        self.last_progress = 0.0
        self.last_rss = 0.0
        self.env = debug_environment()
        self.progress = Progress(files_total=len(tasks),
                                 bytes_total=sum(t.file_size for t in tasks))

    # --- batching: the design's algorithm, cut lazily so estimates adapt as we go
    def _next_batch(self, worker: _Worker) -> Optional[_Batch]:
        if self.retries:
            task, attempt = self.retries.popleft()
            return self._batch([task], attempt)
        if not self.pending:
            return None
        cap = 1 if self.degraded else self.batch_cap
        target = self.config.target_batch_time
        # Near the end, smaller batches keep every worker busy until the last file.
        remaining_time = self._remaining_bytes() / self.bytes_per_second
        target = max(0.05, min(target, remaining_time / max(1, self.live_workers())))
        others = {w.batch.tasks[0].language for w in self.pool.workers
                  if w is not worker and w.batch is not None}
        queue = self.pending.choose(worker.languages, others)
        batch = []
        estimated = 0.0
        while queue and len(batch) < cap:
            size = queue[0].file_size
            cost = max(0.0005, size / self.bytes_per_second)
            if batch and (size >= _ALONE_BYTES or estimated + cost > target and
                          len(batch) >= self.config.min_batch_size):
                break
            batch.append(self.pending.pop(queue))
            estimated += cost
            if size >= _ALONE_BYTES:
                break
        worker.languages.add(batch[0].language)
        return self._batch(batch, 0)

    def _remaining_bytes(self) -> int:
        return max(1, self.progress.bytes_total - self.progress.bytes_done)

    def live_workers(self) -> int:
        return 1 if self.degraded else len(self.pool.workers)

    def _batch(self, tasks: list, attempt: int) -> _Batch:
        self.next_batch_id += 1
        return _Batch(self.next_batch_id, tasks, attempt)

    # --- the loop
    def run(self) -> Iterator[ExtractionResult]:
        workers = self.pool.workers
        try:
            while self.outstanding > 0:
                for worker in workers[: self.live_workers()]:
                    if worker.batch is None:
                        batch = self._next_batch(worker)
                        if batch is None:
                            break
                        self._send(worker, batch)
                busy = [w for w in workers if w.batch is not None]
                if not busy:
                    if self.outstanding > 0 and not self.pending and not self.retries:
                        raise RuntimeError("ragex internal error: files lost by the scheduler")
                    continue
                ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                             timeout=_POLL_SECONDS)
                for worker in busy:
                    if worker.conn in ready:
                        yield from self._drain(worker)
                    if worker.batch is not None and (worker.proc.sentinel in ready
                                                     or not worker.proc.is_alive()):
                        yield from self._drain(worker)
                        if worker.batch is not None:
                            code = worker.proc.exitcode
                            yield from self._fault(worker, "crash", _describe_exit(code))
                yield from self._supervise(busy)
        finally:
            if self.outstanding > 0:  # abandoned (an error, Ctrl-C): stale work must go
                for worker in workers:
                    if worker.batch is not None:
                        worker.kill()  # replaced at the start of the next run
                        worker.batch = None
            self._report(force=True)

    def remaining_tasks(self) -> list:
        """Files not yet reported: in flight, queued for retry or pending."""
        left = []
        for worker in self.pool.workers:
            if worker.batch is not None:
                b = worker.batch
                left += [t for i, t in enumerate(b.tasks) if i not in b.received]
                worker.batch = None
        left += [t for t, _ in self.retries] + self.pending.tasks()
        self.retries.clear()
        self.pending.clear()
        return left

    def _send(self, worker: _Worker, batch: _Batch) -> None:
        worker.batch = batch
        batch.sent_at = time.monotonic()
        worker.state[0] = -1
        worker.state[1] = batch.sent_at
        try:
            worker.conn.send((batch.batch_id, self.env, batch.tasks))
        except (BrokenPipeError, OSError):
            pass  # the death is noticed by the loop through the sentinel

    def _drain(self, worker: _Worker) -> Iterator[ExtractionResult]:
        while worker.batch is not None:
            try:
                if not worker.conn.poll():
                    return
                batch_id, index, payload = worker.conn.recv()
            except (EOFError, OSError):
                return
            batch = worker.batch
            if batch_id != batch.batch_id:
                continue
            if index < 0:
                elapsed, size, peak_mb, growth_mb = payload
                if elapsed > 0.01 and size > 0:
                    rate = size / elapsed
                    self.bytes_per_second = 0.7 * self.bytes_per_second + 0.3 * rate
                self.stats.worker_peak_rss_mb = max(self.stats.worker_peak_rss_mb, peak_mb)
                worker.batch = None
                if growth_mb > RECYCLE_GROWTH_MB:
                    worker.recycle()
                    self.stats.worker_recycles += 1
                    return
                continue
            batch.received.add(index)
            worker.files_done += 1
            yield self._finish(payload if self.raw else _unpack(payload))

    def _finish(self, result: ExtractionResult) -> ExtractionResult:
        self.outstanding -= 1
        self.progress.record(result)
        if self.stats.first_result_seconds is None:
            self.stats.first_result_seconds = time.perf_counter() - self.started
        self._report()
        return result

    def _supervise(self, busy: list) -> Iterator[ExtractionResult]:
        now = time.monotonic()
        check_rss = now - self.last_rss >= _RSS_EVERY_SECONDS
        if check_rss:
            self.last_rss = now
        for worker in busy:
            batch = worker.batch
            if batch is None:
                continue
            index = worker.current_index()
            if index >= 0 and index not in batch.received:
                task = batch.tasks[index]
                deadline = self.config.file_deadline(task.file_size)
                if now - worker.state[1] > deadline:
                    yield from self._fault(worker, "timeout",
                                           f"timeout: extraction took longer than {deadline:.1f} s "
                                           "(RAGEX_PROCESS_TIMEOUT_SECONDS caps the deadline); "
                                           "worker killed")
                    continue
            if check_rss:
                try:
                    worker.rss = worker.ps.memory_info().rss
                except psutil.Error:
                    continue
                self.stats.worker_peak_rss_mb = max(self.stats.worker_peak_rss_mb,
                                                    worker.rss / 1048576)
                if worker.rss > self.pool.memory_limit_bytes:
                    limit_mb = self.pool.memory_limit_bytes // 1048576
                    self.batch_cap = max(1, self.batch_cap // 2)
                    yield from self._fault(worker, "memory",
                                           f"memory: worker exceeded its limit of {limit_mb} MiB "
                                           f"(RSS {worker.rss // 1048576} MiB; "
                                           "RAGEX_WORKER_MEMORY_LIMIT_MB); worker recycled")

    def _fault(self, worker: _Worker, cause: str, reason: str) -> Iterator[ExtractionResult]:
        """A worker crashed, hung or blew its memory: isolate the culprit, keep the rest."""
        yield from self._drain(worker)  # results it sent before dying are good
        batch = worker.batch
        state_index = worker.current_index()  # the file it was on, from shared memory
        if state_index < 0 and batch is not None and not batch.received and cause == "crash":
            self.startup_failures += 1  # died before touching a file: it cannot start
            if self.startup_failures >= 3:
                raise PoolBroken(f"worker processes die before extracting anything "
                                 f"({_describe_exit(worker.proc.exitcode)})")
        else:
            self.startup_failures = 0
        worker.restart()
        self.stats.worker_restarts += 1
        self.failures += 1
        if batch is None:
            return
        unfinished = [i for i in range(len(batch.tasks)) if i not in batch.received]
        if not unfinished:
            return
        culprit = state_index if state_index in unfinished else unfinished[0]
        rest = [batch.tasks[i] for i in unfinished if i != culprit]
        task = batch.tasks[culprit]
        if cause == "timeout" or batch.attempt > 0:
            status = STATUS_TIMEOUT if cause == "timeout" else STATUS_FAILED
            if cause != "timeout":
                reason = f"{reason} (again when retried alone)"
            log.warning("%s: %s", task.rel_path, reason)
            yield self._finish(ExtractionResult(task.file_path, task.rel_path, status=status,
                                                error=reason, language=task.language,
                                                size=task.file_size))
        else:
            self.retries.append((task, batch.attempt + 1))
        for t in reversed(rest):
            self.pending.put_back(t)
        if not self.degraded and self.failures > self.config.max_failures:
            self.degraded = True
            self.stats.degraded = True
            self.progress.degraded = True
            log.warning("%d worker failures: continuing with one worker, one file per batch",
                        self.failures)

    def _report(self, force: bool = False) -> None:
        if self.progress_cb is None:
            return
        now = time.perf_counter()
        if not force and now - self.last_progress < 0.1 and \
                self.progress.files_done != self.progress.files_total:
            return
        self.last_progress = now
        p = self.progress
        p.elapsed = now - self.started
        p.workers = [WorkerState(w.worker_id, w.proc.pid,
                                 "busy" if w.batch else "idle",
                                 _current_file(w), round(w.rss / 1048576, 1), w.files_done,
                                 w.restarts) for w in self.pool.workers]
        self.progress_cb(p)


def _current_file(worker: _Worker) -> Optional[str]:
    batch = worker.batch
    if batch is None:
        return None
    index = worker.current_index()
    return batch.tasks[index].rel_path if 0 <= index < len(batch.tasks) else None


def _describe_exit(code: Optional[int]) -> str:
    if code is None:
        return "crash: worker process vanished"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"crash: worker process killed by {name}"
    return f"crash: worker process exited with status {code}"


# ------------------------------------------------------------------ the extractor


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

    def __enter__(self) -> "ParallelSymbolExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- extraction
    def iter_extract(self, tasks: Sequence[ExtractionTask],
                     progress: Optional[ProgressCallback] = None,
                     raw: bool = False) -> Iterator[ExtractionResult]:
        """Results as files finish (not in input order); every task exactly once.

        `raw=True` may leave each symbol as a tuple in Symbol field order (what the store
        writes), saving the main process from building records it would take apart again.
        """
        tasks = list(tasks)
        for task in tasks:
            task.max_file_bytes = self.config.max_file_bytes
        stats = RunStats(files=len(tasks))
        self.last_stats = stats
        started = time.perf_counter()
        if not self.config.should_parallelize(len(tasks)):
            stats.mode = "sequential"
            yield from self._sequential(tasks, progress, stats)
        else:
            with self._lock:
                pool = self.start()
                pool.ensure_alive()
                stats.mode = "parallel"
                stats.workers = pool.size
                run = _Run(pool, tasks, self.config, progress, stats, raw)
                try:
                    yield from run.run()
                except PoolBroken as exc:
                    left = run.remaining_tasks()
                    log.warning("%s; extracting the remaining %d files in-process", exc, len(left))
                    self.close()
                    stats.mode = "sequential (worker pool broken)"
                    stats.degraded = True
                    yield from self._sequential(left, progress, stats)
        stats.wall_seconds = time.perf_counter() - started

    def _sequential(self, tasks: list, progress: Optional[ProgressCallback],
                    stats: RunStats) -> Iterator[ExtractionResult]:
        state = Progress(files_total=len(tasks), bytes_total=sum(t.file_size for t in tasks),
                         mode="sequential")
        started = time.perf_counter()
        last = 0.0
        pool = process_parser_pool()
        for task in tasks:
            result = extract_file(task, pool)
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


__all__ = ["ExtractionResult", "ExtractionTask", "ParallelSymbolExtractor", "Progress",
           "RunStats", "WorkerState", "make_tasks", "shared_extractor", "STATUS_OK",
           "STATUS_SKIPPED", "STATUS_FAILED", "STATUS_TIMEOUT"]
