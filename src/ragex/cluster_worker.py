"""What runs on a Dask worker: ragex's own supervised pool inside it, a batch per task.

A Dask worker cannot stop a task that hangs, and a task that crashes its process takes
the whole worker down. So no file is extracted in a Dask worker's own process:
`RagexPlugin` (a Dask `WorkerPlugin` the client registers) keeps one
`ParallelSymbolExtractor` per Dask thread, each with one supervised worker process of
ragex's pool, and `extract_batch` (the function of every Dask task) runs one batch
through one of them. Inside a batch the recovery table holds as on one machine: a file
that hangs, crashes or outgrows its memory costs that file only. A Dask worker that dies
is the scheduler's business (it reruns the task elsewhere) and the client's (`cluster`).

Files arrive as paths (the tree is mounted at the same path on every worker; the batch
carries a probe, a few files' sizes and hashes, checked once per worker) or with their
content, read and hashed by the client. Results go back as plain tuples.

Not for: cutting batches, connecting to or starting clusters (`cluster`), or extraction
itself (`extract`, `parallel`).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from dataclasses import replace
from typing import NamedTuple, Optional

from distributed import WorkerPlugin, get_worker

from .config import DEBUG_VARIABLES, load_config
from .extract import ExtractionTask, content_hash
from .parallel import ParallelSymbolExtractor

# Settings a worker takes from its own machine, never from the client's environment:
# which executor runs (the worker *is* the executor) and its own pool's size.
_LOCAL_ONLY = ("RAGEX_SCHEDULER", "RAGEX_CLUSTER", "RAGEX_CLUSTER_FILES",
               "RAGEX_USE_PARALLEL", "RAGEX_MAX_WORKERS", "RAGEX_MEMORY_LIMIT_MB")

# One result, as a batch sends it back: the task's position in the batch, then what
# `ExtractionResult` holds (rows: symbols as tuples in Symbol field order).
RESULT_FIELDS = ("index", "status", "error", "warning", "language", "size", "mtime_ns",
                 "content_hash", "rows")  # rows: a `worker.PackedRows`


class ClusterBatch(NamedTuple):
    """Client -> a Dask worker: extract these files."""

    batch_id: int
    tasks: list  # ExtractionTask; in content mode without content (that comes apart)
    debug_env: dict  # RAGEX_DEBUG_* as the client has them (None: unset)
    probe: tuple  # paths mode: ((path, size, hash), ...) the worker must read the same


class BatchOutcome(NamedTuple):
    """A Dask worker -> the client: a batch's results and figures."""

    batch_id: int
    worker: str  # the Dask worker's address
    results: list  # tuples of RESULT_FIELDS, one per task
    not_shared: Optional[str]  # paths mode: why this worker does not see the tree
    seconds: float  # the batch's wall time on the worker (one ragex worker process)
    size: int  # bytes extracted
    restarts: int  # ragex worker processes replaced after a fault
    recycles: int
    peak_rss_mb: float
    degraded: bool


class ClusterWorkerError(RuntimeError):
    """This Dask worker cannot extract (another ragex version, plugin not set up)."""


def code_fingerprint() -> str:
    """A digest of everything that shapes extracted records (ragex's version, extractor
    code and query files): a worker with another one would write other records."""
    from .config import ParallelConfig
    from .indexer import extractor_fingerprints

    digest = hashlib.blake2b(digest_size=8)
    for language, value in sorted(extractor_fingerprints(ParallelConfig()).items()):
        digest.update(f"{language}={value};".encode())
    return digest.hexdigest()


def tree_missing(probe: tuple) -> Optional[str]:
    """Why this machine does not see the client's tree at the same paths, or None.

    `probe` holds (path, size, hash) of a few of the client's files."""
    for path, size, digest in probe:
        try:
            with open(path, "rb") as fh:
                data = fh.read(size + 1)
        except OSError as exc:
            return f"cannot read {path} ({exc.strerror or exc})"
        if len(data) != size or content_hash(data) != digest:
            return f"{path} differs from the client's copy"
    return None


def _allow_children() -> None:
    """Let this Dask worker process start ragex's pool processes.

    Dask's nanny starts a worker as a daemonic process (`distributed.worker.daemon`,
    true by default) and multiprocessing refuses children to a daemonic process. The flag
    is this process's own view of itself: its nanny still stops it, and ragex's pool
    processes end when their pipe to this process closes."""
    me = multiprocessing.current_process()
    if me._config.get("daemon"):
        me._config["daemon"] = False


class RagexPlugin(WorkerPlugin):
    """ragex's pools on one Dask worker: one single-process pool per Dask thread.

    One pool per thread, not one shared pool: Dask then runs as many batches on a worker
    as it has threads, each on its own ragex process, and its scheduling by threads holds.
    """

    idempotent = True  # a second client with the same settings keeps the live pools

    def __init__(self, fingerprint: str, settings: dict) -> None:
        self.fingerprint = fingerprint
        self.settings = settings  # ParallelConfig fields the client sets for the workers

    def setup(self, worker) -> None:
        self.worker = worker
        self.problem: Optional[str] = None
        self._free: list[ParallelSymbolExtractor] = []
        self._all: list[ParallelSymbolExtractor] = []
        self._lock = threading.Lock()
        self._trees: dict[tuple, Optional[str]] = {}
        mine = code_fingerprint()
        if mine != self.fingerprint:
            from . import __version__

            self.problem = (f"Dask worker {worker.address} runs ragex {__version__} with "
                            f"other extraction code (fingerprint {mine}, the client's "
                            f"{self.fingerprint}): install the same ragex on every worker")
            raise ClusterWorkerError(self.problem)
        _allow_children()
        environ = {k: v for k, v in os.environ.items() if k not in _LOCAL_ONLY}
        config = load_config(flags=self.settings, environ=environ)
        self.config = replace(config, use_parallel=True, max_workers=1, scheduler=None,
                              cluster=None)
        # start the pools now, beside the client's other work: a pool's first start
        # (its forkserver imports the extractor) takes a few tenths of a second
        self._warming = threading.Thread(target=self._warm, args=(worker.state.nthreads,),
                                         name="ragex-warm", daemon=True)
        self._warming.start()

    def _warm(self, count: int) -> None:
        for _ in range(count):
            extractor = ParallelSymbolExtractor(self.config)
            try:
                extractor.start()
            except Exception:  # the batch that needs it will say what is wrong
                extractor.close()
                return
            with self._lock:
                self._all.append(extractor)
                self._free.append(extractor)

    def teardown(self, worker) -> None:
        with self._lock:
            extractors, self._all, self._free = self._all, [], []
        for extractor in extractors:
            extractor.close()

    def release(self) -> int:
        """Stop the idle pools (their processes); a later batch starts one again."""
        with self._lock:
            idle, self._free = self._free, []
        for extractor in idle:
            extractor.close()
        return len(idle)

    def _take(self) -> ParallelSymbolExtractor:
        self._warming.join()
        with self._lock:
            if self._free:
                return self._free.pop()
        extractor = ParallelSymbolExtractor(self.config)
        with self._lock:
            self._all.append(extractor)
        return extractor

    def _give_back(self, extractor: ParallelSymbolExtractor) -> None:
        with self._lock:
            self._free.append(extractor)

    def extract(self, batch: ClusterBatch, contents: Optional[list] = None) -> BatchOutcome:
        if self.problem:
            raise ClusterWorkerError(self.problem)
        started = time.perf_counter()
        address = self.worker.address
        if batch.probe:
            with self._lock:
                if batch.probe not in self._trees:
                    self._trees[batch.probe] = tree_missing(batch.probe)
                why = self._trees[batch.probe]
            if why:
                return BatchOutcome(batch.batch_id, address, [], why, 0.0, 0, 0, 0, 0.0, False)
        tasks: list[ExtractionTask] = batch.tasks
        if contents is not None:
            tasks = [replace(task, content=data) for task, data in zip(tasks, contents)]
        for name in DEBUG_VARIABLES:  # a test sets them in the client after the start
            value = batch.debug_env.get(name)
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        where: dict[str, list[int]] = {}
        for i, task in enumerate(tasks):
            where.setdefault(task.rel_path, []).append(i)
        rows = []
        size = 0
        extractor = self._take()
        try:
            for r in extractor.iter_extract(tasks, raw="pickled"):  # forwarded unread
                rows.append((where[r.rel_path].pop(), r.status, r.error, r.warning,
                             r.language, r.size, r.mtime_ns, r.content_hash, r.rows))
                size += r.size
            stats = extractor.last_stats
        finally:
            self._give_back(extractor)
        return BatchOutcome(batch.batch_id, address, rows, None,
                            time.perf_counter() - started, size, stats.worker_restarts,
                            stats.worker_recycles, stats.worker_peak_rss_mb, stats.degraded)


def _plugin(name: str, worker=None) -> RagexPlugin:
    worker = worker or get_worker()
    plugin = worker.plugins.get(name)
    if plugin is None:
        raise ClusterWorkerError(f"ragex's plugin {name} is not set up on Dask worker "
                                 f"{worker.address}")
    return plugin


def extract_batch(plugin_name: str, batch: ClusterBatch,
                  contents: Optional[list] = None) -> BatchOutcome:
    """The function of every Dask task: one batch through this worker's ragex pool."""
    return _plugin(plugin_name).extract(batch, contents)


def release_pools(plugin_name: str, dask_worker=None) -> int:
    """Run on every worker by `Client.run` when a client closes: idle pools stop."""
    plugin = (dask_worker or get_worker()).plugins.get(plugin_name)
    return plugin.release() if isinstance(plugin, RagexPlugin) else 0
