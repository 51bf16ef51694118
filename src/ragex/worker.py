"""The code that runs inside a worker process, and the messages it exchanges with the main one.

A worker waits for a `BatchRequest`, extracts its files one by one, sends a `FileDone` per
file as soon as it is extracted and a `BatchDone` with the batch's figures at the end.
The main process may have sent its next batch already (it waits in the pipe: the worker
never idles while the main process stores results). Before each file it writes which
file of which batch it is on, and since when, to `WorkerSlots` (shared memory), so that
the main process knows the culprit when the worker dies or hangs without a word. It also
keeps its own memory flat: big files' trees go back to the OS at once, and a worker whose
heap has grown past `RECYCLE_GROWTH_MB` between batches says so in its `BatchDone` and
exits, to be replaced by a fresh one.

Not for: scheduling, supervision or recovery (see `supervisor`), nor the public API (see
`parallel`). Everything a worker imports is named in the forkserver preload
(`supervisor.WORKER_MODULES`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import signal
import sys
import time
from typing import NamedTuple, Optional

import psutil

from .extract import ExtractionResult, ExtractionTask, extract_file
from .jsonl import RowBuffer, pack_rows
from .parser_pool import process_parser_pool, rss_mb
from .symbol import Symbol

# After a file this big the worker trims its heap at once, not only at the batch's end.
_TRIM_AFTER_BYTES = 256 * 1024
# A worker whose memory between batches has grown by more than this since it started (not
# counting the grammars it loaded) retires: it ends its BatchDone with `retiring` and
# exits before reading the next request, and the main process starts a fresh one (one
# fork from the forkserver). Multi-megabyte files leave the heap fragmented: on the kernel
# an idle worker crept from 18 to 52 MB and the next big file took it to 100 MB.
RECYCLE_GROWTH_MB = 16


# ------------------------------------------------------------------------ messages
# Named tuples: they pickle as a class reference plus a plain tuple, nearly as cheap as a
# bare tuple, and a reader of either end sees what each position holds.


class BatchRequest(NamedTuple):
    """Main process -> worker: extract these files (None instead stops the worker)."""

    batch_id: int
    debug_env: dict  # RAGEX_DEBUG_* as the main process has them now (None: unset)
    tasks: list[ExtractionTask]
    # each file's rows pickled once (`PackedRows`): for a main process that only
    # forwards them (a Dask worker), so it never rebuilds them to pickle them again
    rows_pickled: bool = False
    # each file's rows as JSON lines (`jsonl.JsonLines`), for a main process that only
    # writes them out (`ragex extract --format jsonl`)
    rows_jsonl: bool = False


class FileDone(NamedTuple):
    """Worker -> main process: one file of a batch is extracted (its symbols as `rows`)."""

    batch_id: int
    index: int  # position of the file in the batch's tasks
    result: ExtractionResult


class BatchDone(NamedTuple):
    """Worker -> main process: the batch is over; figures for batching and recycling."""

    batch_id: int
    elapsed: float  # seconds the batch took in the worker
    size: int  # bytes of the files it extracted
    peak_mb: float  # the worker's peak RSS so far
    growth_mb: float  # RSS growth since the worker started, grammars not counted
    retiring: bool = False  # growth_mb > RECYCLE_GROWTH_MB: the worker exits now


# ---------------------------------------------------------------- shared memory


_POSITION = 0  # slot: batch id and index of the file being extracted, IDLE between files
_STARTED_AT = 1  # slot: time.monotonic() when that file (or the batch) started
# A position is batch_id * MAX_BATCH_FILES + index in one double (exact below 2**53), written
# in one store: the main process never reads one batch's id with another's index.
MAX_BATCH_FILES = 1 << 20
LOAD_GRACE_SECONDS = 120.0  # what a grammar load may add to a file's deadline


class WorkerSlots:
    """Two numbers in shared memory that the worker writes and the main process reads
    without a message: they survive the worker's death, when no message would come.
    """

    IDLE = -1

    def __init__(self, ctx) -> None:
        self._array = ctx.RawArray("d", 2)  # doubles: a monotonic time needs the precision
        self._array[_POSITION] = self.IDLE

    def file_index(self, batch_id: int) -> int:
        """The index of the file of batch `batch_id` being extracted; IDLE between files
        or while on another batch."""
        position = int(self._array[_POSITION])
        if position < 0 or position // MAX_BATCH_FILES != batch_id:
            return self.IDLE
        return position % MAX_BATCH_FILES

    @property
    def busy(self) -> bool:
        return self._array[_POSITION] >= 0

    @property
    def started_at(self) -> float:
        return self._array[_STARTED_AT]

    def begin_file(self, batch_id: int, index: int, now: float) -> None:
        self._array[_STARTED_AT] = now  # the time first: a position never shows an old time
        self._array[_POSITION] = batch_id * MAX_BATCH_FILES + index

    @contextlib.contextmanager
    def not_counted(self):
        """Time spent inside is not charged to the file in progress: its deadline moves
        `LOAD_GRACE_SECONDS` on while inside (a load that hangs still ends in a timeout),
        then by exactly the time spent. For loading a grammar and compiling its queries
        (ObjC's take over a second of CPU, many seconds on a loaded machine)."""
        if not self.busy:
            yield
            return
        entered = time.monotonic()
        started = self._array[_STARTED_AT]
        self._array[_STARTED_AT] = started + LOAD_GRACE_SECONDS
        try:
            yield
        finally:
            self._array[_STARTED_AT] = started + (time.monotonic() - entered)

    def set_idle(self, since: Optional[float] = None) -> None:
        self._array[_POSITION] = self.IDLE
        if since is not None:
            self._array[_STARTED_AT] = since


# ----------------------------------------------------------------- packing symbols


class PackedRows(RowBuffer):
    """A file's rows as one pickled list: what a process that forwards results without
    reading them passes on as it came."""

    __slots__ = ()

    def unpack(self) -> list[tuple]:
        return pickle.loads(self.data)


def pack(result: ExtractionResult, pickled: bool = False,
         jsonl: bool = False) -> ExtractionResult:
    """The symbols moved to `result.rows` as plain tuples, for the pipe (`pickled`: as
    `PackedRows`; `jsonl`: as `jsonl.JsonLines`)."""
    if jsonl:
        result.rows, result.symbols = pack_rows(result.symbols), []
        return result
    # Plain tuples pickle several times faster than named tuples; converted in place so
    # that a file with 40,000 symbols never has both lists alive at once.
    rows = result.symbols
    for i, symbol in enumerate(rows):
        rows[i] = tuple(symbol)
    result.rows, result.symbols = rows, []
    if pickled:
        result.rows = PackedRows(len(rows), pickle.dumps(rows, pickle.HIGHEST_PROTOCOL))
    return result


def unpack(result: ExtractionResult) -> ExtractionResult:
    """The inverse of `pack`, in the main process: `rows` back to `symbols` as records."""
    make = Symbol._make
    result.symbols, result.rows = [make(row) for row in result.rows], []
    return result


# ---------------------------------------------------------------------- the loop


def worker_main(conn, slots: WorkerSlots, memory_limit_bytes: int) -> None:
    """A worker process's whole life: batches in, results out, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    _die_with_parent()
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
    pool.loading = slots.not_counted
    trim = _malloc_trim()
    start_mb = rss_mb()
    while True:
        try:
            request: Optional[BatchRequest] = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        for key, value in request.debug_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        started = time.perf_counter()
        size = 0
        for index, task in enumerate(request.tasks):
            slots.begin_file(request.batch_id, index, time.monotonic())
            result = extract_file(task, pool)
            size += result.size
            conn.send(FileDone(request.batch_id, index,
                               pack(result, request.rows_pickled, request.rows_jsonl)))
            if result.size > _TRIM_AFTER_BYTES and trim is not None:
                del result
                trim(0)  # hand the big file's tree back to the OS: flat worker memory
        slots.set_idle()
        if trim is not None:
            trim(0)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        growth = rss_mb() - start_mb - pool.loaded_mb
        retiring = growth > RECYCLE_GROWTH_MB
        conn.send(BatchDone(request.batch_id, time.perf_counter() - started, size,
                            peak_kb / 1024, growth, retiring))
        if retiring:  # before reading the next request: the main process requeues it
            return


def _die_with_parent() -> None:
    """Linux: this worker gets SIGKILL when the process that started it dies.

    A worker inside a hanging grammar never reads its pipe again (tree-sitter holds the
    GIL), so when the main process is killed (`kill -9`, a Dask worker's machine lost)
    nothing else would stop it: it spun on, orphaned. Its parent is the forkserver, which
    exits when the main process does, but only once no one holds its "alive" pipe, and
    every process it forks inherits a copy: a worker starts no process, so it closes its
    own. PR_SET_PDEATHSIG follows the thread that forked: kept to single-threaded parents
    (the forkserver, a plain fork from a one-thread process)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        from multiprocessing import forkserver

        alive = forkserver._forkserver._forkserver_alive_fd
        if alive is not None:
            forkserver._forkserver._forkserver_alive_fd = None
            os.close(alive)
    except (AttributeError, OSError):
        pass
    parent = os.getppid()
    try:
        if psutil.Process(parent).num_threads() != 1:
            return
        import ctypes

        if ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG,
                                                          signal.SIGKILL) != 0:
            return
    except (OSError, AttributeError, psutil.Error):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _malloc_trim():
    """glibc's malloc_trim, or None: freed parser memory otherwise stays in the heap."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
