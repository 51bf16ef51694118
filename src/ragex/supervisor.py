"""The supervisor: the pool of worker processes, as the main process runs and watches it.

`WorkerPool` holds the processes; a `SupervisedRun` is one call's scheduling state: it cuts
batches (one queue per language, largest file first, sized from the measured bytes/s),
sends them, collects results as they stream back, and recovers from every fault (see the
table in `parallel`): a worker that dies, hangs or outgrows its memory is replaced, the
file it was on is isolated and the rest of its batch re-queued. Every task comes out
exactly once.

Each worker has its batch and, while there is work enough, the next one already in its
pipe (`_Worker.ahead`): the main process stores results between its reads of the pipes
(a commit that indexes the search words takes a good part of a second), and a worker
that had to wait for it to send the next batch sat idle a quarter of a cold index on 2
cores (README, "Speed"). A batch ahead was never begun: a fault requeues it uncharged.

Not for: what runs inside a worker (see `worker`), the public API and the in-process path
(see `parallel`), or the knobs (see `config`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Iterator, Optional

import psutil

from .config import ParallelConfig, debug_environment, start_method
from .extract import STATUS_FAILED, STATUS_TIMEOUT, ExtractionResult
from .progress import Progress, ProgressCallback, WorkerState
from .worker import MAX_BATCH_FILES, BatchDone, BatchRequest, WorkerSlots, unpack, worker_main

if TYPE_CHECKING:
    from .parallel import RunStats

log = logging.getLogger("ragex.parallel")

# What a worker process imports, loaded once in the forkserver so that every worker forked
# from it starts with them in memory: `worker` (its loop) and `extract` (the extractor).
WORKER_MODULES = ["ragex.extract", "ragex.worker"]

_INITIAL_BYTES_PER_SECOND = 2_000_000.0
_POLL_SECONDS = 0.05
_RSS_EVERY_SECONDS = 0.1
# A batch sent to a live worker that has not begun its first file after this long was
# never received (a worker stopped, a request lost): the worker is replaced and the batch
# goes back to the queue, no file charged. (Starting a worker, grammars aside, takes
# seconds even on a loaded machine; grammar loads happen inside a file.)
BATCH_START_SECONDS = 120.0
# A file this big is a batch of its own, so the worker's memory is checked (see below)
# after each one: two multi-megabyte files in one batch took a worker to 106 MB.
_ALONE_BYTES = 1024 * 1024
# Each worker's socket may buffer this much of its results (`_widen`): a worker writes
# several MB/s of symbols and search documents, and the main process reads them between
# its commits; with the kernel's default (208 KiB) workers stalled on full sockets. A
# cold index of the stdlib with its search words, 2 workers on 2 cores: 40.3-41.9 s wall
# before, 39.1-40.6 with a batch ahead alone, 38.9-39.3 with these buffers alone,
# 36.8-37.0 with both (README, "Speed"; this machine's net.core.wmem_max is 4 MiB).
SOCKET_BUFFER_BYTES = 4 * 1024 * 1024
# A batch is sent ahead to a busy worker while the files left would keep every worker busy
# for this many batches more (near the end, a batch waiting behind another could leave a
# worker idle while the last files queue behind a slow one).
_AHEAD_BATCHES = 2


# ------------------------------------------------------------------------ the pool


@dataclass
class _Batch:
    """A batch as the supervisor tracks it: its files and which of them came back."""

    batch_id: int
    tasks: list
    attempt: int = 0  # > 0: a retry of an isolated file
    received: set = field(default_factory=set)
    sent_at: float = 0.0


class _Worker:
    """One worker process as the main process sees it: process, pipe, slots, its batch."""

    def __init__(self, ctx, worker_id: int, memory_limit_bytes: int) -> None:
        self.worker_id = worker_id
        self.restarts = 0
        self.files_done = 0
        self.ctx = ctx
        self.memory_limit_bytes = memory_limit_bytes
        self.batch: Optional[_Batch] = None
        self.ahead: Optional[_Batch] = None  # sent, waiting in the pipe behind `batch`
        self._start()

    def _start(self) -> None:
        self.slots = WorkerSlots(self.ctx)  # which file it is on, since when
        parent, child = self.ctx.Pipe(duplex=True)
        _widen(child)
        self.ahead_room = _widen(parent) // 4  # see SupervisedRun._send_ahead_to
        self.proc = self.ctx.Process(target=worker_main, name=f"ragex-worker-{self.worker_id}",
                                     args=(child, self.slots, self.memory_limit_bytes),
                                     daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.ps = psutil.Process(self.proc.pid)
        self.rss = 0
        # what it had at its start and does not count against its limit: a one-off worker
        # forked from the main process shares its pages (a library user's loaded model:
        # 370 MB, over a 200 MB limit before it read a byte); a forkserver child, ~20 MB
        try:
            self.base_rss = self.ps.memory_info().rss
        except psutil.Error:
            self.base_rss = 0
        self.batch = None
        self.ahead = None
        self.languages: set = set()  # grammars this process has loaded (or is loading)

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self._start()

    def recycle(self) -> None:
        """Replace a healthy worker that retired (its memory back to the OS)."""
        self.stop()
        self._start()

    def position(self) -> int:
        """The index in its batch of the file the worker is on; -1 if none."""
        return -1 if self.batch is None else self.slots.file_index(self.batch.batch_id)

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
            self.conn.send(None)  # in place of a BatchRequest: exit
            self.proc.join(timeout=2)
        except Exception:
            pass
        self.kill()


def _widen(conn) -> int:
    """Let `conn`'s socket hold up to SOCKET_BUFFER_BYTES (Linux caps the request at
    net.core.wmem_max / rmem_max, then doubles it for its bookkeeping); the send buffer
    it got, in bytes (0 if unknown)."""
    try:
        sock = socket.socket(fileno=os.dup(conn.fileno()))
    except (OSError, ValueError):
        return 0
    with sock:
        for option in (socket.SO_SNDBUF, socket.SO_RCVBUF):
            try:
                sock.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER_BYTES)
            except OSError:
                pass
        try:
            return sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        except OSError:
            return 0


def _context(quick: bool = False):
    """The multiprocessing context workers start from. `quick`: for a one-off worker, a
    plain fork where that is safe (the platform has it and this process runs no other
    thread): ~30 ms to an extracted file, against ~170 ms through a fresh forkserver."""
    method = start_method()
    if not method and quick and "fork" in multiprocessing.get_all_start_methods() \
            and threading.active_count() == 1:
        method = "fork"
    if not method:
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(WORKER_MODULES)
    return ctx


class WorkerPool:
    """A persistent set of worker processes with per-worker supervision."""

    def __init__(self, workers: int, memory_limit_mb: int, quick: bool = False) -> None:
        self.size = workers
        self.memory_limit_bytes = memory_limit_mb * 1024 * 1024
        self.ctx = _context(quick)
        self.workers: list[_Worker] = []
        for worker_id in range(workers):
            self.workers.append(_Worker(self.ctx, worker_id, self.memory_limit_bytes))

    def ensure_alive(self) -> None:
        """Replace workers that died between runs (or were killed by an abandoned run)."""
        for worker in self.workers:
            if not worker.proc.is_alive():
                worker.restart()

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit and given one shared 2 s, busy
        ones (a hung file, an abandoned batch) are killed at once."""
        deadline = time.monotonic() + 2.0
        for worker in self.workers:
            if worker.batch is None:
                try:
                    worker.conn.send(None)  # in place of a BatchRequest: exit
                except Exception:
                    pass
        for worker in self.workers:
            if worker.batch is None:
                worker.proc.join(timeout=max(0.0, deadline - time.monotonic()))
            worker.kill()
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


class SupervisedRun:
    """One call's scheduling state: pending files, batches in flight, recovery."""

    def __init__(self, pool: WorkerPool, tasks: list, config: ParallelConfig,
                 progress: Optional[ProgressCallback], stats: RunStats,
                 raw: bool | str = False) -> None:
        self.pool = pool
        self.raw = raw
        self.config = config
        self.progress_cb = progress
        self.stats = stats
        self.pending = _Pending(tasks)
        self.retries: deque = deque()  # (task, attempt) isolated after a fault
        self.outstanding = len(tasks)
        self.abandoned: list = []  # files in flight when the run was abandoned
        self.no_ahead: set = set()  # workers whose socket is too small for a batch ahead
        self.batch_cap = config.max_batch_size
        self.bytes_per_second = _INITIAL_BYTES_PER_SECOND
        self.next_batch_id = 0
        self.failures = 0
        self.startup_failures = 0
        self.degraded = False
        self.started = time.perf_counter()
        self.last_progress = 0.0
        self.last_rss = 0.0
        self.debug_env = debug_environment()
        self.progress = Progress(files_total=len(tasks),
                                 bytes_total=sum(t.file_size for t in tasks))

    # --- batching: the design's algorithm, cut lazily so estimates adapt as we go
    def _next_batch(self, worker: _Worker) -> Optional[_Batch]:
        if self.retries:
            task, attempt = self.retries.popleft()
            return self._batch([task], attempt)
        if not self.pending:
            return None
        cap = 1 if self.degraded else min(self.batch_cap, MAX_BATCH_FILES)
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

    def _send_ahead(self, worker: _Worker) -> bool:
        """Whether a busy worker gets its next batch now: it has none ahead yet, no file
        waits to be retried alone, its socket has room (`no_ahead`), not in degraded mode
        (one file at a time), not near the end (see _AHEAD_BATCHES)."""
        if worker.ahead is not None or self.retries or worker.worker_id in self.no_ahead \
                or self.degraded or not self.pending:
            return False
        left = self._remaining_bytes() / self.bytes_per_second
        return left > _AHEAD_BATCHES * self.live_workers() * self.config.target_batch_time

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
                    if self._send_ahead(worker):
                        self._send_ahead_to(worker)
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
                            worker.proc.join(timeout=1.0)  # reaped: its exit code is known
                            code = worker.proc.exitcode
                            yield from self._fault(worker, "crash", _describe_exit(code))
                yield from self._supervise(busy)
        finally:
            if self.outstanding > 0:  # abandoned (an error, Ctrl-C): stale work must go
                for worker in workers:
                    if worker.batch is not None or worker.ahead is not None:
                        worker.kill()  # replaced at the start of the next run
                        self.abandoned += self._unreported(worker)
            self._report(force=True)

    def remaining_tasks(self) -> list:
        """Files not yet reported: in flight (or in flight when the run was abandoned),
        queued for retry or pending."""
        left, self.abandoned = self.abandoned, []
        for worker in self.pool.workers:
            left += self._unreported(worker)
        left += [t for t, _ in self.retries] + self.pending.tasks()
        self.retries.clear()
        self.pending.clear()
        return left

    @staticmethod
    def _unreported(worker: _Worker) -> list:
        """The files of the worker's batches not reported yet; it holds none after."""
        left = []
        if worker.batch is not None:
            b = worker.batch
            left += [t for i, t in enumerate(b.tasks) if i not in b.received]
        if worker.ahead is not None:
            left += worker.ahead.tasks
        worker.batch = worker.ahead = None
        return left

    def _send(self, worker: _Worker, batch: _Batch) -> None:
        """Send an idle worker its batch."""
        worker.batch = batch
        batch.sent_at = time.monotonic()
        worker.slots.set_idle(since=batch.sent_at)
        self._request(worker, self._pickled(batch))

    def _send_ahead_to(self, worker: _Worker) -> None:
        """Send a busy worker its next batch, if the request fits in a quarter of its
        socket's buffer: the worker reads it only when its batch is done, and a send
        that waited for that would block the main process while the worker, its results
        unread, blocked too (small buffers: macOS's 8 KiB; a long batch of long paths).
        Else the files go back to the queue, for when the worker is idle, and this run
        sends that worker nothing ahead again (no request pickled at every turn)."""
        batch = self._next_batch(worker)
        if batch is None:
            return
        payload = self._pickled(batch)
        if len(payload) > worker.ahead_room:
            self._requeue(batch)
            self.no_ahead.add(worker.worker_id)
            return
        worker.ahead = batch
        self._request(worker, payload)
        self.stats.batches_ahead += 1

    def _pickled(self, batch: _Batch) -> bytes:
        return ForkingPickler.dumps(BatchRequest(batch.batch_id, self.debug_env, batch.tasks,
                                                 self.raw == "pickled", self.raw == "jsonl"))

    def _request(self, worker: _Worker, payload: bytes) -> None:
        try:
            worker.conn.send_bytes(payload)  # (what conn.send would write: recv reads it)
        except (BrokenPipeError, OSError):
            pass  # the death is noticed by the loop through the sentinel

    def _drain(self, worker: _Worker, whole: bool = False) -> Iterator[ExtractionResult]:
        """The worker's messages waiting in its pipe: up to the end of its batch (so that
        the loop sends it a batch ahead again), or all of them (`whole`: after a fault)."""
        while worker.batch is not None:
            try:
                if not worker.conn.poll():
                    return
                message = worker.conn.recv()  # a FileDone or a BatchDone
            except (EOFError, OSError):
                return
            batch = worker.batch
            if message.batch_id != batch.batch_id:
                continue
            if isinstance(message, BatchDone):
                if message.elapsed > 0.01 and message.size > 0:
                    rate = message.size / message.elapsed
                    self.bytes_per_second = 0.7 * self.bytes_per_second + 0.3 * rate
                self.stats.worker_peak_rss_mb = max(self.stats.worker_peak_rss_mb,
                                                    message.peak_mb)
                worker.batch, worker.ahead = worker.ahead, None  # it goes on to that one
                if worker.batch is not None:
                    worker.batch.sent_at = time.monotonic()
                if message.retiring:  # exited before reading its next batch
                    self._requeue(worker.batch)
                    worker.batch = None
                    worker.recycle()
                    self.stats.worker_recycles += 1
                    return
                if not whole:
                    return
                continue
            batch.received.add(message.index)
            worker.files_done += 1
            yield self._finish(message.result if self.raw else unpack(message.result))

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
            index = worker.position()
            if index < 0 and not batch.received and \
                    now - batch.sent_at > BATCH_START_SECONDS:
                yield from self._stalled(worker)
                continue
            if index >= 0 and index not in batch.received:
                task = batch.tasks[index]
                deadline = self.config.file_deadline(task.file_size)
                if now - worker.slots.started_at > deadline:
                    yield from self._fault(worker, "timeout",
                                           f"timeout: extraction took longer than {deadline:.1f} s "
                                           "(RAGEX_PROCESS_TIMEOUT_SECONDS caps the deadline); "
                                           "worker killed", on=(batch.batch_id, index))
                    continue
            if check_rss:
                try:
                    worker.rss = worker.ps.memory_info().rss
                except psutil.Error:
                    continue
                self.stats.worker_peak_rss_mb = max(self.stats.worker_peak_rss_mb,
                                                    worker.rss / 1048576)
                if worker.rss - worker.base_rss > self.pool.memory_limit_bytes:
                    limit_mb = self.pool.memory_limit_bytes // 1048576
                    self.batch_cap = max(1, self.batch_cap // 2)
                    yield from self._fault(worker, "memory",
                                           f"memory: worker exceeded its limit of {limit_mb} MiB "
                                           f"(RSS {worker.rss // 1048576} MiB; "
                                           "RAGEX_WORKER_MEMORY_LIMIT_MB); worker recycled")

    def _stalled(self, worker: _Worker) -> Iterator[ExtractionResult]:
        """A batch the worker never began: a new worker, the batch's files queued again."""
        yield from self._drain(worker, whole=True)  # (it may have begun after all)
        batch = worker.batch
        if batch is None or batch.received:
            return
        log.warning("worker %d did not begin its batch of %d files in %.0f s: replaced, "
                    "the files queued again", worker.worker_id, len(batch.tasks),
                    BATCH_START_SECONDS)
        ahead = worker.ahead
        worker.restart()
        self.stats.worker_restarts += 1
        self.failures += 1  # (counted towards RAGEX_MAX_FAILURES like any fault)
        self._requeue(ahead)
        self._requeue(batch)

    def _requeue(self, batch: Optional[_Batch]) -> None:
        """Put a batch's files back at the head of their queues, in order (none charged)."""
        if batch is not None:
            for t in reversed(batch.tasks):
                self.pending.put_back(t)

    def _fault(self, worker: _Worker, cause: str, reason: str,
               on: Optional[tuple[int, int]] = None) -> Iterator[ExtractionResult]:
        """A worker crashed, hung or blew its memory: isolate the culprit, keep the rest.
        `on`: the (batch id, index) of the file a deadline passed on; if its result was in
        the pipe after all (it finished as the deadline passed), nothing is charged."""
        process = worker.proc
        yield from self._drain(worker, whole=True)  # results it sent before dying are good
        if worker.proc is not process:  # it retired at its batch's end: replaced already
            return
        batch, ahead = worker.batch, worker.ahead
        if on is not None and (batch is None or batch.batch_id != on[0]
                               or on[1] in batch.received):
            return  # the file finished: the worker goes on, on its next one
        state_index = worker.position()  # the file it was on, from shared memory
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
        self._requeue(ahead)  # never begun
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
    index = worker.position()
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
