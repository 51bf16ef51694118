"""Extraction on a Dask cluster, the client's side: connect (or start a loopback cluster),
cut batches, send them, stream results back, and account for every file exactly once.

`ParallelSymbolExtractor` hands a run here when its config names a Dask executor
(`--scheduler tcp://HOST:PORT` / `RAGEX_SCHEDULER`, or `--cluster local:N`), so the
indexer, the MCP server and `ragex extract` all use it the same way. Each Dask worker
runs ragex's own supervised pool (`cluster_worker`), so the recovery table holds there
file by file; on top of it:

| fault                                   | what happens                                   |
|-----------------------------------------|------------------------------------------------|
| a Dask worker dies (process killed,     | the scheduler reruns its batches on the others;|
| machine gone)                           | a batch comes back once, so no file twice      |
| a batch's workers keep dying (Dask's    | the batch is split in halves and resent; a file|
| KilledWorker, 3 deaths by default)      | alone that still kills them is `failed`        |
| the scheduler goes away mid-run         | `ClusterError`; what was yielded stays yielded |
|                                         | (the index keeps it), the next run resumes     |
| a worker without ragex, or another      | `ClusterError` naming the worker and the fix   |
| version of it                           |                                                |
| paths mode, a worker without the tree   | auto: that batch is resent with its content;   |
|                                         | --cluster-files paths: `ClusterError`          |
| no worker left for `WORKERS_SECONDS`    | `ClusterError`, as for a lost scheduler        |

Files reach the workers as paths (the tree mounted at the same path on every worker)
or as content read here, hashed, and checked against the hash of what the worker
extracted. `auto` sends paths when every worker reads a few probe files identically.

Batches are cut from one queue per language, largest file first, sized from the
measured bytes/s per worker process (a few seconds of work, more on a cluster of many
threads so that sending batches stays under 5% of the client's core; smaller near the
end) with two batches in flight per Dask thread. The client only opens results (each
file's rows were pickled once, in the worker process) and hands them on: its CPU share
is in the run's stats (`client_cpu_seconds`, `client_cpu_share` of one core).

Not for: what runs on a Dask worker (`cluster_worker`), storing results (`indexer`), or
reading settings (`config`). Importing this module does not import Dask.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import sys
import threading
import time
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Sequence

from .config import ParallelConfig, debug_environment
from .extract import (STATUS_FAILED, ExtractionResult, ExtractionTask, content_hash,
                      python_module_name, read_source)
from .languages import BY_NAME
from .progress import Progress, ProgressCallback
from .symbol import Symbol

log = logging.getLogger("ragex.cluster")

CONNECT_SECONDS = 10.0  # reaching the scheduler
WORKERS_SECONDS = 30.0  # a scheduler with no worker yet (a cluster still starting)
# Of one worker process's time (its wall), at least. A batch costs about 10 ms of CPU
# beyond its files (the client's submit and gather, the scheduler's and the Dask worker's
# handling of the task and its result); on a loaded machine a second of wall holds far
# less than a second of CPU, and 1-s batches cost 4% more CPU than the local pool's run
# on a kernel sample where 3-s batches cost under 1% (docs/cluster.md).
_BATCH_SECONDS = 3.0
# Sending a batch costs the client a few milliseconds (the task graph, the scatter): a
# cluster of many threads asks for many batches a second, so batches grow with the
# threads until sending them takes at most this share of the client's core.
_CLIENT_SEND_SHARE = 0.05
# A batch's round trip costs a few milliseconds: near the end batches shrink so every
# thread finishes at once, but never below this (a tail of one-file batches took longer
# than the files did).
_MIN_BATCH_SECONDS = 0.15
_FILE_SECONDS = 0.001  # a file's cost beyond its bytes (records, pipes), for sizing
_INITIAL_BYTES_PER_SECOND = 2_000_000.0  # per worker process, until batches are measured
_BATCH_MAX_FILES = 2048
_IN_FLIGHT_PER_THREAD = 2  # one running, one waiting on every Dask thread
_THREADS_EVERY_SECONDS = 2.0  # workers join and leave: recount the threads this often
_WAIT_SECONDS = 2.0  # while waiting for batches, look at the workers this often
_PROBE_FILES = 3
_INSTALL_HINT = "pip install 'ragex[dask]'"
# What a loopback cluster does every few milliseconds whether or not it extracts; nothing
# here reads Dask's dashboard figures, and ragex's pool watches its own processes'
# memory: the event-loop tick, system monitor and profiler slowed or off, the Dask
# workers' and nannies' memory checks and the scheduler's work stealing once a second, not
# ten times, take an idle 2-worker cluster from 2.5% of a core to 1.5%.
_LOCAL_CLUSTER_CONFIG = {"distributed.admin.tick.interval": "500ms",
                         "distributed.admin.system-monitor.interval": "2s",
                         "distributed.worker.profile.enabled": False,
                         "distributed.worker.memory.monitor-interval": "1s",
                         "distributed.scheduler.work-stealing-interval": "1s"}


class ClusterError(RuntimeError):
    """The cluster cannot run this extraction; the message says why and what to do."""


@dataclass
class ClusterRunStats:
    """Figures of one run on a cluster (the local pool's `RunStats` fields, and more)."""

    mode: str = "dask"
    workers: int = 0  # ragex worker processes extracting: the cluster's Dask threads
    files: int = 0
    worker_restarts: int = 0
    worker_recycles: int = 0
    worker_peak_rss_mb: float = 0.0
    first_result_seconds: Optional[float] = None
    wall_seconds: float = 0.0
    degraded: bool = False
    executor: str = ""  # the scheduler's address, or local:N
    dask_workers: int = 0
    files_mode: str = ""  # paths / content: how the files reached the workers
    files_reason: str = ""  # why that mode
    batches: int = 0
    batches_split: int = 0  # after their Dask workers kept dying (KilledWorker)
    batch_seconds: float = 0.0  # the steady batch size, in one worker process's seconds
    batches_reshipped: int = 0  # paths mode, a worker without the tree: sent as content
    bytes_shipped: int = 0  # content mode: file bytes sent from here
    cluster_start_seconds: float = 0.0  # connecting, or starting the local cluster
    # this process's CPU once connected (all its threads: the caller's storing too, and
    # the scheduler and nannies of a local cluster), and as a share of one core
    client_cpu_seconds: float = 0.0
    client_cpu_share: float = 0.0
    worker_seconds: float = 0.0  # sum of the batches' wall times on the workers


def _distributed():
    """The `distributed` package, or a ClusterError saying what to install."""
    first = "distributed" not in sys.modules
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(f"Dask distributed is not installed ({exc}): {_INSTALL_HINT}"
                           ) from None
    if first and "DASK_LOGGING__DISTRIBUTED" not in os.environ:
        # Dask logs every connection and worker at INFO; ragex reports what matters. Left
        # alone when the program imported Dask itself or the variable says otherwise.
        logging.getLogger("distributed").setLevel(logging.WARNING)
    return distributed


def worker_settings(config: ParallelConfig) -> dict:
    """The settings the workers take from the client: those that shape the records
    (the size limit), and the limits the user set explicitly. Everything else (pool
    size, memory budget) each worker derives from its own machine."""
    settings = {"max_file_bytes": config.max_file_bytes}
    for name in ("process_timeout_seconds", "worker_memory_limit_mb", "min_batch_size",
                 "max_batch_size", "target_batch_time"):
        if config.sources.get(name, "").startswith(("env ", "flag ")):
            settings[name] = getattr(config, name)
    return settings


@contextmanager
def _quiet(active: bool = True):
    """Dask's own log records off for a moment (never when the user asked for them)."""
    if not active or "DASK_LOGGING__DISTRIBUTED" in os.environ:
        yield
        return
    # Dask's logging config gives `distributed.client` a level of its own
    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.client")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class DaskBackend:
    """A connection to a Dask cluster (or a loopback one it started), kept across runs.

    The MCP server and a watcher reuse it run after run; a client whose scheduler went
    away is replaced by a fresh connection on the next run."""

    def __init__(self, config: ParallelConfig) -> None:
        self.config = config
        self._client = None
        self._cluster = None
        self._plugin_name = ""
        self._start_seconds = 0.0
        self._lock = threading.Lock()
        self._exit_hook = False

    @property
    def local(self) -> bool:
        return bool(self.config.cluster)

    @property
    def address(self) -> str:
        """The scheduler's address once connected, else what the config names."""
        if self._client is not None:
            try:
                return self._client.scheduler.address
            except AttributeError:
                pass
        if self._cluster is not None:
            return self._cluster.scheduler_address
        return self.config.scheduler or self.config.cluster or ""

    def client(self):
        """The connected client, with ragex's plugin on every worker (ClusterError if not)."""
        with self._lock:
            if self._client is not None and self._client.status == "running":
                return self._client
            self._drop()
            started = time.perf_counter()
            distributed = _distributed()
            if self.local:
                self._start_local(distributed)
            client = self._connect(distributed)
            try:
                self._wait_for_workers(client)
                self._plugin_name = self._register(client)
            except BaseException:
                client.close()
                raise
            self._client = client
            self._start_seconds = time.perf_counter() - started
            if not self._exit_hook:  # registered after Dask's own: runs before them
                atexit.register(self.close)
                self._exit_hook = True
            return client

    def take_start_seconds(self) -> float:
        """Seconds the last connection took, once (a run that reuses it took none)."""
        seconds, self._start_seconds = self._start_seconds, 0.0
        return seconds

    @property
    def plugin_name(self) -> str:
        return self._plugin_name

    def _start_local(self, distributed) -> None:
        import dask

        count = int(self.config.cluster.split(":")[1])
        # loopback only; one thread per worker process: each thread drives one ragex
        # worker process, so N Dask workers extract with N processes
        with dask.config.set(_LOCAL_CLUSTER_CONFIG):
            self._cluster = distributed.LocalCluster(
                n_workers=count, threads_per_worker=1, processes=True, host="127.0.0.1",
                # Dask's default ":8787" listens on every interface: loopback, any port
                dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)

    def _connect(self, distributed):
        address = self.address
        try:
            if address.startswith("/"):  # a scheduler file
                if not os.path.isfile(address):
                    raise ClusterError(f"no Dask scheduler file at {address} "
                                       "(--scheduler / RAGEX_SCHEDULER)")
                return distributed.Client(scheduler_file=address, timeout=CONNECT_SECONDS,
                                          set_as_default=False)
            return distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except ClusterError:
            raise
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: "
                               f"{type(exc).__name__}: {exc} (is `dask scheduler` running "
                               "there, and its port open from here? --scheduler / "
                               "RAGEX_SCHEDULER)") from None

    def _wait_for_workers(self, client) -> None:
        where = client.scheduler.address
        try:
            client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except (TimeoutError, OSError):
            raise ClusterError(f"the Dask scheduler at {where} has no worker (waited "
                               f"{WORKERS_SECONDS:g} s): start some, e.g. `dask worker "
                               f"{where}`") from None

    def _register(self, client) -> str:
        where = client.scheduler.address
        try:
            from .cluster_worker import RagexPlugin, code_fingerprint
        except ImportError as exc:
            raise ClusterError(f"cannot load ragex's Dask plugin ({exc}): {_INSTALL_HINT}"
                               ) from None
        settings = worker_settings(self.config)
        fingerprint = code_fingerprint()
        # the scheduler unpickles every task, and with it ragex's task function
        try:
            theirs = client.run_on_scheduler(code_fingerprint)
        except Exception as exc:
            raise ClusterError(f"the Dask scheduler at {where} cannot load ragex "
                               f"({type(exc).__name__}: {exc}): install the same ragex on "
                               "the scheduler's machine as here and on the workers") from None
        if theirs != fingerprint:
            raise ClusterError(f"the Dask scheduler at {where} has another ragex "
                               f"(extraction code {theirs}, here {fingerprint}): install the "
                               "same ragex on the scheduler, the workers and here")
        # a name per code and settings: clients that agree share the workers' warm pools
        digest = hashlib.blake2b(repr(sorted(settings.items())).encode(), digest_size=4)
        name = f"ragex-{fingerprint}-{digest.hexdigest()}"
        try:
            client.register_plugin(RagexPlugin(fingerprint, settings), name=name)
        except Exception as exc:
            raise ClusterError(f"ragex cannot run on the Dask workers of {where}: "
                               f"{type(exc).__name__}: {exc}: install the same ragex on "
                               "every worker as here (and on the scheduler)") from None
        return name

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        if client is not None:
            if cluster is None and client.status == "running" and self._plugin_name:
                try:  # a shared cluster: its workers stop our idle pools
                    from .cluster_worker import release_pools

                    client.run(release_pools, self._plugin_name, on_error="ignore")
                except Exception:  # the cluster is going away: nothing to release
                    pass
            # a client that lost its scheduler logs its cancelled reconnection as an
            # error with a traceback; the run has already said what happened
            with _quiet(client.status != "running"):
                try:
                    client.close(timeout=5)
                except Exception:
                    pass
        if cluster is not None:
            try:
                cluster.close(timeout=10)
            except Exception:
                pass

    def run(self, tasks: Sequence[ExtractionTask], progress: Optional[ProgressCallback],
            raw: bool, on_idle: Optional[Callable[[], None]] = None) -> "ClusterRun":
        return ClusterRun(self, list(tasks), progress, raw, on_idle)


class _Batch:
    """A batch as the client tracks it: task positions, and what content mode read."""

    __slots__ = ("batch_id", "indices", "hashes", "mtimes", "future", "data_future")

    def __init__(self, batch_id: int, indices: list) -> None:
        self.batch_id = batch_id
        self.indices = indices
        self.hashes: Optional[list] = None  # content mode: the hash of what was sent
        self.mtimes: Optional[list] = None
        self.future = None
        self.data_future = None


class _Queues:
    """Task positions waiting for a batch: one queue per language, largest file first
    (a worker process keeps the grammars it loaded; no big file is left for the end)."""

    def __init__(self, tasks: list) -> None:
        self.tasks = tasks
        self.queues: dict[Optional[str], deque] = {}
        for i in sorted(range(len(tasks)), key=lambda i: -tasks[i].file_size):
            self.queues.setdefault(tasks[i].language, deque()).append(i)
        self.count = len(tasks)
        self.bytes = sum(t.file_size for t in tasks)

    def __bool__(self) -> bool:
        return self.count > 0

    def seconds(self, bytes_per_second: float) -> float:
        """Estimated work left, in one worker process's seconds."""
        return self.bytes / bytes_per_second + self.count * _FILE_SECONDS

    def take(self, target_seconds: float, bytes_per_second: float) -> list:
        live = [q for q in self.queues.values() if q]
        queue = max(live, key=lambda q: self.tasks[q[0]].file_size)
        batch: list = []
        size = 0
        estimated = 0.0
        while queue and len(batch) < _BATCH_MAX_FILES:
            nxt = self.tasks[queue[0]].file_size
            cost = nxt / bytes_per_second + _FILE_SECONDS
            if batch and estimated + cost > target_seconds:
                break
            batch.append(queue.popleft())
            size += nxt
            estimated += cost
        self.count -= len(batch)
        self.bytes -= size
        return batch


class ClusterRun:
    """One extraction run on the cluster; iterate it for results as batches finish."""

    def __init__(self, backend: DaskBackend, tasks: list,
                 progress: Optional[ProgressCallback], raw: bool,
                 on_idle: Optional[Callable[[], None]] = None) -> None:
        self.backend = backend
        self.on_idle = on_idle  # called before waiting, when results went out since
        self.yielded_since_idle = False
        self.config = backend.config
        self.tasks = tasks
        self.raw = raw
        self.progress_cb = progress
        self.stats = ClusterRunStats(files=len(tasks), executor=backend.address)
        self.progress = Progress(files_total=len(tasks),
                                 bytes_total=sum(t.file_size for t in tasks), mode="dask")
        self.done = bytearray(len(tasks))  # 1: yielded (exactly once, checked)
        self.outstanding = len(tasks)
        self.queues = _Queues(tasks)
        self.inflight: dict = {}  # future -> _Batch
        self.ready: list[ExtractionResult] = []  # settled here (unreadable files)
        self.bytes_per_second = _INITIAL_BYTES_PER_SECOND
        self.threads = 1
        self.send_seconds = 0.0  # what sending one batch costs this client (moving mean)
        self.next_batch_id = 0
        self.token = uuid.uuid4().hex[:8]
        self.debug_env = debug_environment()
        self.files_mode = "paths"
        self.probe: tuple = ()
        self.last_progress = 0.0
        self.started = 0.0
        self.client = None
        self.no_worker_since: Optional[float] = None
        self.ended = threading.Event()  # set when a batch in flight ends
        self.extract_started = 0.0
        self.extract_cpu = 0.0

    # --- the loop
    def __iter__(self) -> Iterator[ExtractionResult]:
        self.started = time.perf_counter()
        try:
            if self.tasks:
                yield from self._run()
        finally:
            self._abandon()
            s = self.stats
            now = time.perf_counter()
            s.wall_seconds = now - self.started
            if self.extract_started:  # the client's share once connected, not the start
                s.client_cpu_seconds = time.process_time() - self.extract_cpu
                busy = now - self.extract_started
                s.client_cpu_share = s.client_cpu_seconds / busy if busy > 0 else 0.0
            self._report(force=True)

    def _run(self) -> Iterator[ExtractionResult]:
        client = self.backend.client()
        self.stats.cluster_start_seconds = self.backend.take_start_seconds()
        self.stats.executor = self.backend.address
        self.client = client
        self.extract_started, self.extract_cpu = time.perf_counter(), time.process_time()
        self._count_threads()
        self.files_mode, self.stats.files_reason = self._choose_files_mode(client)
        self.stats.files_mode = self.files_mode
        self.stats.mode = f"dask ({self.files_mode})"
        self.progress.mode = self.stats.mode
        last_count = time.monotonic()
        while self.outstanding > 0:
            self._fill()
            yield from self._drain_ready()
            if not self.inflight:
                if not self.queues and self.outstanding > 0:
                    raise RuntimeError("ragex internal error: files lost by the cluster run")
                continue
            for future in self._wait():
                yield from self._settle(future, self.inflight.pop(future))
            if time.monotonic() - last_count > _THREADS_EVERY_SECONDS:
                self._count_threads()
                last_count = time.monotonic()

    def _wait(self) -> list:
        """The batches in flight that have ended (finished, failed or cancelled), once
        there is one; meanwhile the caller's `on_idle`, and a watch on the workers."""
        done = [f for f in self.inflight if f.done()]
        if not done and self.on_idle is not None and self.yielded_since_idle:
            self.yielded_since_idle = False
            self.on_idle()  # e.g. the indexer commits what it stored so far
        while not done:
            if not self.ended.wait(_WAIT_SECONDS):
                self._count_threads()  # raises when the cluster has had no worker too long
            self.ended.clear()  # before looking: an end signalled after is not missed
            done = [f for f in self.inflight if f.done()]
        return done

    def _count_threads(self) -> None:
        try:
            threads = self.client.nthreads()  # {Dask worker address: threads}
        except Exception:  # asked while the scheduler goes away: the loop will tell
            return
        if threads:
            self.no_worker_since = None
        elif self.no_worker_since is None:
            self.no_worker_since = time.monotonic()
        elif time.monotonic() - self.no_worker_since > WORKERS_SECONDS:
            raise ClusterError(f"the Dask cluster at {self.backend.address} has had no "
                               f"worker for {WORKERS_SECONDS:g} s: {self.outstanding} of "
                               f"{len(self.tasks)} files were not extracted; what was done "
                               "is kept: start workers and run again")
        self.threads = max(1, sum(threads.values()))
        self.stats.dask_workers = max(self.stats.dask_workers, len(threads))
        self.stats.workers = max(self.stats.workers, self.threads)

    # --- which way the files go
    def _choose_files_mode(self, client) -> tuple[str, str]:
        setting = self.config.cluster_files
        if setting == "content":
            return "content", "--cluster-files content"
        self.probe = self._make_probe()
        if setting == "paths":
            return "paths", "--cluster-files paths"
        if self.backend.local:
            return "paths", "a local cluster shares this machine's files"
        if not self.probe:
            return "content", "no file here could be read to check the workers' view"
        from .cluster_worker import tree_missing

        try:
            answers = client.run(tree_missing, self.probe)
        except Exception as exc:
            raise self._lost(exc) from None
        missing = {worker: why for worker, why in answers.items() if why}
        if not missing:
            return "paths", f"all {len(answers)} Dask workers see the tree at the same path"
        worker, why = next(iter(missing.items()))
        return "content", (f"{len(missing)} of {len(answers)} Dask workers do not see the "
                           f"tree ({worker}: {why})")

    def _make_probe(self) -> tuple:
        """(path, size, hash) of a few files spread over the run, as read here."""
        picks = sorted({0, len(self.tasks) // 2, len(self.tasks) - 1})[:_PROBE_FILES]
        probe = []
        for i in picks:
            task = self.tasks[i]
            data = read_source(task, ExtractionResult(task.file_path, task.rel_path))
            if data is not None:
                probe.append((task.file_path, len(data), content_hash(data)))
        return tuple(probe)

    # --- sending
    def _fill(self) -> None:
        while self.queues and len(self.inflight) < _IN_FLIGHT_PER_THREAD * self.threads:
            self._submit(self.queues.take(self._target_seconds(), self.bytes_per_second))

    def _target_seconds(self) -> float:
        """A few seconds of one worker process's work (more on a cluster of many
        threads, so that sending batches never keeps the client busy: see
        `_CLIENT_SEND_SHARE`), less near the end: the last batches are spread over every
        thread, so none waits for a big one."""
        steady = max(_BATCH_SECONDS, self.threads * self.send_seconds / _CLIENT_SEND_SHARE)
        self.stats.batch_seconds = steady
        per_slot = self.queues.seconds(self.bytes_per_second) / (
            _IN_FLIGHT_PER_THREAD * self.threads)
        return max(_MIN_BATCH_SECONDS, min(steady, per_slot))

    def _submit(self, indices: list, mode: Optional[str] = None) -> None:
        from .cluster_worker import ClusterBatch, extract_batch

        mode = mode or self.files_mode
        self.next_batch_id += 1
        batch = _Batch(self.next_batch_id, indices)
        contents = None
        if mode == "content":
            indices, contents = self._read(batch)
            if not indices:
                return
        tasks = [self._task_for(i, mode) for i in indices]
        probe = self.probe if mode == "paths" else ()
        spec = ClusterBatch(batch.batch_id, tasks, self.debug_env, probe)
        key = f"ragex-batch-{self.token}-{batch.batch_id}"
        sending = time.perf_counter()
        try:
            if contents is not None:
                # straight to a worker, not through the scheduler; the task follows it
                batch.data_future = self.client.scatter(contents, hash=False)
                self.stats.bytes_shipped += sum(len(c) for c in contents)
            future = self.client.submit(extract_batch, self.backend.plugin_name, spec,
                                   batch.data_future, key=key, pure=False)
        except Exception as exc:
            raise self._lost(exc) from None
        took = time.perf_counter() - sending
        self.send_seconds = took if not self.stats.batches else \
            0.8 * self.send_seconds + 0.2 * took
        batch.future = future
        self.inflight[future] = batch
        future.add_done_callback(lambda _: self.ended.set())  # on any end, cancel too
        self.stats.batches += 1

    def _task_for(self, i: int, mode: str) -> ExtractionTask:
        task = self.tasks[i]
        shipped = ExtractionTask(task.file_path, task.rel_path, task.include_docs_and_comments,
                                 task.file_size, task.language, self.config.max_file_bytes)
        if mode == "content":
            spec = BY_NAME.get(task.language) if task.language else None
            if spec is None or spec.module_from_path:  # the language may come from content
                shipped.module = python_module_name(task.file_path, task.rel_path)
        return shipped

    def _read(self, batch: _Batch) -> tuple[list, list]:
        """Content mode: read the batch's files here; unreadable ones are settled now."""
        kept, contents, hashes, mtimes = [], [], [], []
        for i in batch.indices:
            task = self.tasks[i]
            task.max_file_bytes = self.config.max_file_bytes
            result = ExtractionResult(task.file_path, task.rel_path, language=task.language)
            data = read_source(task, result)
            if data is None:  # too large, vanished, unreadable: as a worker would say
                self.ready.append(self._accept(i, result))
                continue
            kept.append(i)
            contents.append(data)
            hashes.append(content_hash(data))
            mtimes.append(result.mtime_ns)
        batch.indices, batch.hashes, batch.mtimes = kept, hashes, mtimes
        return kept, contents

    # --- receiving
    def _settle(self, future, batch: _Batch) -> Iterator[ExtractionResult]:
        distributed = _distributed()
        status = future.status
        if status == "finished":
            try:
                outcome = future.result()
            except Exception as exc:
                raise self._lost(exc) from None
            finally:
                batch.data_future = None
            if outcome.not_shared:
                yield from self._not_shared(batch, outcome)
                return
            self._measure(outcome)
            for row in outcome.results:
                result = self._result(batch, row)
                if result is not None:
                    yield result
            return
        if status == "error":
            exc = future.exception()
            if isinstance(exc, distributed.KilledWorker):
                yield from self._split(batch, exc)
                return
            raise ClusterError(f"a batch failed on the Dask cluster at {self.backend.address}: "
                               f"{type(exc).__name__}: {exc}")
        raise self._lost(None)

    def _not_shared(self, batch: _Batch, outcome) -> Iterator[ExtractionResult]:
        if self.config.cluster_files == "paths":
            raise ClusterError(f"Dask worker {outcome.worker} does not see the tree "
                               f"({outcome.not_shared}), and --cluster-files is paths: mount "
                               "the tree at the same path on every worker, or use "
                               "--cluster-files auto or content")
        log.info("Dask worker %s does not see the tree (%s): batch %d sent as content",
                 outcome.worker, outcome.not_shared, batch.batch_id)
        self.stats.batches_reshipped += 1
        self._submit(batch.indices, mode="content")
        yield from self._drain_ready()

    def _split(self, batch: _Batch, exc) -> Iterator[ExtractionResult]:
        """A batch whose Dask workers kept dying: halves resent; a lone file fails."""
        if len(batch.indices) > 1:
            self.stats.batches_split += 1
            half = len(batch.indices) // 2
            for part in (batch.indices[:half], batch.indices[half:]):
                self._submit(part)
            yield from self._drain_ready()
            return
        i = batch.indices[0]
        task = self.tasks[i]
        reason = (f"crash: the Dask workers extracting this file died ({exc}); "
                  "distributed.scheduler.allowed-failures bounds the retries")
        result = ExtractionResult(task.file_path, task.rel_path, status=STATUS_FAILED,
                                  error=reason, language=task.language, size=task.file_size)
        yield self._accept(i, result)

    def _measure(self, outcome) -> None:
        s = self.stats
        s.worker_seconds += outcome.seconds
        s.worker_restarts += outcome.restarts
        s.worker_recycles += outcome.recycles
        s.worker_peak_rss_mb = max(s.worker_peak_rss_mb, outcome.peak_rss_mb)
        s.degraded = s.degraded or outcome.degraded
        if outcome.seconds > 0.05 and outcome.size > 0:
            rate = outcome.size / outcome.seconds
            self.bytes_per_second = 0.7 * self.bytes_per_second + 0.3 * rate

    def _result(self, batch: _Batch, row: tuple) -> Optional[ExtractionResult]:
        index, status, error, warning, language, size, mtime_ns, digest, packed = row
        # pickled once in the worker process and opened only here; a result the pool made
        # itself (a crash, a timeout) has a plain empty list
        rows = packed.unpack() if hasattr(packed, "unpack") else list(packed)
        i = batch.indices[index]
        task = self.tasks[i]
        result = ExtractionResult(task.file_path, task.rel_path, status=status, error=error,
                                  warning=warning, language=language, size=size,
                                  mtime_ns=mtime_ns, content_hash=digest)
        if batch.hashes is not None:  # content mode: the file's mtime is the one read here
            result.mtime_ns = batch.mtimes[index]
            expected = batch.hashes[index]
            if digest is not None and digest != expected:
                result.status = STATUS_FAILED
                result.error = (f"shipped content arrived changed (hash {digest}, sent "
                                f"{expected}): not indexed; the next run retries it")
                result.warning, rows = None, []
        if self.raw:
            result.rows = rows
        else:
            make = Symbol._make
            result.symbols = [make(r) for r in rows]
        return self._accept(i, result)

    def _accept(self, i: int, result: ExtractionResult) -> Optional[ExtractionResult]:
        if self.done[i]:  # a batch can never come back twice; if it did, its files not
            log.warning("%s: a second result from the cluster was dropped",
                        self.tasks[i].rel_path)
            return None
        self.done[i] = 1
        self.outstanding -= 1
        self.yielded_since_idle = True
        self.progress.record(result)
        if self.stats.first_result_seconds is None:
            self.stats.first_result_seconds = time.perf_counter() - self.started
        self._report()
        return result

    def _drain_ready(self) -> Iterator[ExtractionResult]:
        while self.ready:
            result = self.ready.pop(0)
            if result is not None:
                yield result

    # --- endings
    def _lost(self, exc: Optional[BaseException]) -> ClusterError:
        left = self.outstanding
        detail = f" ({type(exc).__name__}: {exc})" if exc is not None and str(exc) else ""
        return ClusterError(f"lost the Dask scheduler at {self.backend.address} during the "
                            f"run{detail}: {left} of {len(self.tasks)} files were not "
                            "extracted; what was done is kept (an index keeps every "
                            "committed file): run again to finish, e.g. `ragex index` "
                            "resumes where it stopped")

    def _abandon(self) -> None:
        """Batches still out when the run ends early (an error, the caller stopped)."""
        futures = list(self.inflight)
        self.inflight.clear()
        if futures and self.client is not None:
            try:
                self.client.cancel(futures)
            except Exception:  # the scheduler is gone: nothing left to cancel
                pass

    def _report(self, force: bool = False) -> None:
        if self.progress_cb is None:
            return
        now = time.perf_counter()
        p = self.progress
        if not force and now - self.last_progress < 0.1 and p.files_done != p.files_total:
            return
        self.last_progress = now
        p.elapsed = now - self.started
        self.progress_cb(p)


__all__ = ["ClusterError", "ClusterRun", "ClusterRunStats", "DaskBackend", "worker_settings"]
