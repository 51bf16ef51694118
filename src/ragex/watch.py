"""Watch: keep one index current with its working tree, within a second, until stopped.

A `Watcher` holds a `front.Index`. File-system events (`watchfiles`, over the Rust
`notify` crate: inotify, FSEvents, ReadDirectoryChangesW) are hints, not truth: the paths
they name are collected and coalesced (an update starts once events have been quiet for
RAGEX_WATCH_DEBOUNCE_MS, and a stream of them is cut into updates at least every second)
and handed to `Index.update_paths`, which rechecks each against the walk's rules and
re-extracts, on the worker pool, the files whose content changed. A whole-tree check
(`Index.update`: walk, size + mtime, hash) runs on start, after a burst of changes too big
to trust event by event (an event queue that overflows loses events, and `watchfiles`
does not say when it happened), after the event source restarts, and every
RAGEX_WATCH_RECONCILE_SECONDS. Where events are unavailable (the inotify watch limit, a
file system without them: RAGEX_WATCH_POLLING) the whole-tree check is the watch: it
polls, and says so once.

One thread waits for events (asleep in the Rust watcher between 50 ms steps), one runs
the updates; an idle watcher costs next to nothing, and the worker pool stops after five
idle minutes and starts again on demand. One watcher per index (`watch_state`): its state
is written beside the index for `ragex status` and the MCP server of other processes.

Not for: which paths are code (recheck), writing the index (indexer), printing (cli).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .config import WatchSettings, watch_settings
from .front import Index
from .indexer import IndexBusy, IndexSummary
from .discover import is_supported_name
from .recheck import GIT_EXCLUDE, is_rule_file
from .watch_state import WatchLock, describe, remove_state, watch_note, write_state

log = logging.getLogger("ragex.watch")

# A batch naming this many paths gets a whole-tree check instead of path by path: as
# fast at that size, and it catches what an overflowing event queue may have dropped.
BURST_PATHS = 1000
# A whole-tree check takes at most this share of the time: its interval stretches with it
CHECK_SHARE_PERIODIC = 0.01
CHECK_SHARE_POLLING = 0.05


@dataclass
class UpdateReport:
    """One update the watcher made: what started it and what it did."""

    kind: str  # "paths" (the paths events named) or "tree" (a whole-tree check)
    reason: str  # why: "events", "start", "burst of N changed paths", "polling", ...
    hints: int  # paths the events named ("paths")
    summary: Optional[IndexSummary]
    seconds: float
    finished: float  # time.time()
    error: Optional[str] = None

    @property
    def files_changed(self) -> int:
        s = self.summary
        return 0 if s is None else s.indexed + s.skipped + s.failed + s.removed

    def line(self) -> str:
        """The one line `ragex watch` prints."""
        clock = time.strftime("%H:%M:%S", time.localtime(self.finished))
        if self.error:
            return f"{clock}  update failed ({self.reason}): {self.error}"
        s = self.summary
        what = "checked the tree" if self.kind == "tree" else "updated"
        parts = [f"{s.indexed} indexed"] if s.indexed else []
        parts += [f"{s.removed} removed"] if s.removed else []
        parts += [f"{s.skipped + s.failed} not indexed"] if s.skipped + s.failed else []
        changed = ", ".join(parts) or "no change"
        why = "" if self.reason == "events" else f" ({self.reason})"
        return (f"{clock}  {what}{why}: {self.files_changed} files changed ({changed}), "
                f"+{s.symbols_added} -{s.symbols_removed} symbols, {self.seconds:.2f} s")

    def to_dict(self) -> dict[str, Any]:
        s = self.summary
        out: dict[str, Any] = {"kind": self.kind, "reason": self.reason, "hints": self.hints,
                               "files_changed": self.files_changed,
                               "seconds": round(self.seconds, 4), "finished": self.finished}
        if s is not None:
            out.update(indexed=s.indexed, removed=s.removed, touched=s.touched,
                       skipped=s.skipped, failed=s.failed, symbols_added=s.symbols_added,
                       symbols_removed=s.symbols_removed, total_files=s.total_files,
                       total_symbols=s.total_symbols,
                       problems=s.problems[:20])
        if self.error:
            out["error"] = self.error
        return out


class Watcher:
    """Keeps `index` current with its tree from `start()` until `stop()`.

    `on_update` is called (in the watcher's thread) after each update; `on_notice` with
    things said once (polling instead of events). `check` runs a whole-tree check and
    returns its summary (default: `index.update`); the MCP server passes its own, so the
    check shows as its background job."""

    def __init__(self, index: Index, settings: Optional[WatchSettings] = None,
                 on_update: Optional[Callable[[UpdateReport], None]] = None,
                 on_notice: Optional[Callable[[str], None]] = None,
                 check: Optional[Callable[[], IndexSummary]] = None) -> None:
        self.index = index
        self.settings = settings or watch_settings()
        self.on_update = on_update
        self.on_notice = on_notice or (lambda text: log.warning("%s", text))
        self._check = check or (lambda: index.update(wait=5.0))
        self._lock = WatchLock(index.index_dir)
        self._cond = threading.Condition()
        self._state_lock = threading.Lock()
        self._stop = threading.Event()
        self._source_ready = threading.Event()
        self._pending: set[str] = set()
        self._in_flight = 0
        self._check_reason: Optional[str] = None  # a whole-tree check asked for, and why
        self._threads: list[threading.Thread] = []
        self.mode = "stopped"  # standby, starting, events, polling, stopped
        self.mode_reason = ""
        self.started: Optional[float] = None
        self.caught_up: Optional[float] = None  # time.time() the tree was last matched
        self.updating = False
        self.checking: Optional[str] = None  # the reason of a whole-tree check running
        self.updates = 0
        self.event_batches = 0  # batches of events received (own writes included)
        self.last: Optional[UpdateReport] = None
        self.waiting_for: Optional[str] = None  # another writer holds the index
        self._last_check_end = 0.0  # monotonic
        self._last_check_seconds = 0.0
        self._last_work = time.monotonic()
        inner = index.indexer.index_dir_in_root()
        self._inner_prefix = inner + "/" if inner else None

    # ------------------------------------------------------------------ life
    def start(self, wait: float = 0.0, standby: bool = False) -> "Watcher":
        """Take the index's watch lock (waiting up to `wait` s) and start watching.
        Another watcher holds it: WatcherBusy, or with `standby` wait in the background
        and take over when it stops."""
        if not os.path.isdir(self.index.root):
            raise FileNotFoundError(f"{self.index.root}: not a directory")
        if not standby:
            self._lock.acquire(wait)
            self._begin()
            return self
        if self._lock.try_acquire():
            self._begin()
        else:
            self.mode = "standby"
            self._spawn(self._standby, "ragex-watch-standby")
        return self

    def _begin(self) -> None:
        self.started = time.time()
        self.mode = "starting"
        self._write_state()
        self._check_reason = "start"
        self._spawn(self._watch_events, "ragex-watch-events")
        self._spawn(self._work, "ragex-watch-updates")

    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _standby(self) -> None:
        while not self._stop.wait(1.0):
            if self._lock.try_acquire():
                self._begin()
                return

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching: the update running finishes first; the lock is released."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for thread in list(self._threads):
            if thread is not threading.current_thread():
                thread.join(timeout)
        if self._lock.held:
            remove_state(self.index.index_dir)
            self._lock.release()
        self.mode = "stopped"

    def __enter__(self) -> "Watcher":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ----------------------------------------------------------------- state
    def state(self) -> dict[str, Any]:
        """What `watch.json` holds (and `describe` reads)."""
        with self._cond:
            pending = len(self._pending) + self._in_flight
        return {"pid": os.getpid(), "root": self.index.root, "index_dir": self.index.index_dir,
                "mode": self.mode, "mode_reason": self.mode_reason,
                "poll_seconds": round(self._poll_interval(), 1),
                "started": self.started, "caught_up": self.caught_up, "pending": pending,
                "updating": self.updating, "checking": self.checking,
                "waiting_for": self.waiting_for, "updates": self.updates,
                "last_update": self.last.to_dict() if self.last else None}

    def describe(self) -> Optional[str]:
        """The phrase `index_state` appends; None when nothing watches the index."""
        if self.mode in ("standby", "stopped"):  # another process may watch: its state
            return watch_note(self.index.index_dir)
        return describe(self.state())

    def _write_state(self) -> None:
        if not self._lock.held:
            return
        with self._state_lock:  # both threads write it
            try:
                write_state(self.index.index_dir, self.state())
            except OSError as exc:  # the index directory went away: the next update says so
                log.debug("cannot write the watch state: %s", exc)

    def busy(self) -> bool:
        """Changes are pending or being indexed: background work (embedding) waits."""
        return bool(self._pending or self._in_flight or self.updating
                    or self._check_reason is not None)

    def wait_caught_up(self, timeout: float, since: Optional[float] = None) -> bool:
        """Wait until nothing is pending or running and the tree was caught up with after
        `since` (time.time(); default: any time). For tests and benchmarks."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                idle = not self._pending and not self._in_flight and not self.updating \
                    and self._check_reason is None and self.caught_up is not None \
                    and (since is None or self.caught_up >= since)
                if idle:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))

    # ---------------------------------------------------------------- events
    def hint(self, paths) -> None:
        """Root-relative paths that may have changed (what an event names)."""
        inner = self._inner_prefix
        walk_map = self.index.indexer.walk_map
        kept = set()
        for rel in paths:
            if inner and (rel + "/").startswith(inner):
                continue  # the index's own writes
            if walk_map is not None and rel != GIT_EXCLUDE and walk_map.pruned_at(rel):
                continue  # inside an ignored directory: no work at all
            if is_supported_name(rel) is False and not is_rule_file(rel) and \
                    os.path.isfile(os.path.join(self.index.root, rel)):
                continue  # a file that cannot be code (a log, a swap file): no work either
            kept.add(rel)
        if not kept:
            return
        with self._cond:
            self._pending |= kept
            self._cond.notify_all()
        self._write_state()

    def request_check(self, reason: str) -> None:
        """Ask for a whole-tree check."""
        with self._cond:
            if self._check_reason is None:
                self._check_reason = reason
            self._cond.notify_all()

    def _relative(self, path: str) -> Optional[str]:
        # (FSEvents names real paths: /private/tmp/... for a root under /tmp on macOS)
        for root in (self.index.root, self.index.real_root):
            if path.startswith(root + os.sep):
                return path[len(root) + 1:].replace(os.sep, "/")
        return None

    def _watch_events(self) -> None:
        """The event thread: events to hints; the source restarted after a failure;
        polling where events cannot be had."""
        try:
            if self.settings.polling:
                self._poll_instead("RAGEX_WATCH_POLLING is set")
                return
            # The Rust watcher itself (watchfiles' documented backend): its constructor
            # returns once every directory is watched, so the start check that follows
            # misses nothing, and its errors (the watch limit) are not swallowed.
            from watchfiles._rust_notify import RustNotify

            ignore_denied = False
            restarts = 0
            while not self._stop.is_set():
                try:
                    notify = RustNotify([self.index.root], False, False, 0, True, ignore_denied)
                except PermissionError as exc:
                    if ignore_denied:
                        raise
                    self.on_notice(f"watching {self.index.root}: some directories cannot be "
                                   f"watched ({exc}); changes there are found by the "
                                   "periodic whole-tree check")
                    ignore_denied = True
                    continue
                except OSError as exc:
                    self._poll_instead(_limit_reason(exc))
                    return
                try:
                    if ignore_denied and inotify_watches_exhausted():  # errors were ignored
                        self._poll_instead(_limit_reason(OSError(errno.ENOSPC, "limit")))
                        return
                    if self.mode != "events":
                        self.mode = "events"
                        self._write_state()
                    self._source_ready.set()
                    if self._listen(notify):
                        return
                except RuntimeError as exc:  # watchfiles' internal error: start it again
                    restarts += 1
                    log.warning("the file-system watcher failed (%s); restarting it", exc)
                    if self._stop.wait(min(30.0, 0.5 * 2 ** min(restarts, 6))):
                        return
                    self.request_check("the event source restarted")
                finally:
                    notify.close()
        except Exception:  # never leave the updates waiting on a dead source
            log.exception("the event thread failed")
            self._poll_instead("the event thread failed (see the log)")
        finally:
            self._source_ready.set()

    def _listen(self, notify) -> bool:
        """Hand events on until stopped (True) or the watch limit is hit (True, polling)."""
        while not self._stop.is_set():
            changes = notify.watch(self.settings.max_batch_ms, self.settings.debounce_ms, 0,
                                   self._stop)
            if isinstance(changes, str):  # "stop", or "timeout"/"signal": go on
                continue
            self.event_batches += 1
            rels = set()
            new_dir = False
            for change, path in changes:
                rel = self._relative(path)
                if rel:
                    rels.add(rel)
                    new_dir = new_dir or (change == 1 and os.path.isdir(path))
            self.hint(rels)
            if new_dir and inotify_watches_exhausted():
                # notify skips a new directory's watch silently once the limit is reached
                self._poll_instead(_limit_reason(OSError(errno.ENOSPC, "limit")))
                return True
        return True

    def _poll_instead(self, reason: str) -> None:
        if self.mode == "polling":
            return
        self.mode = "polling"
        self.mode_reason = reason
        self.on_notice(f"watching {self.index.root}: {reason}; polling instead: a whole-tree "
                       f"check at least every {self._poll_interval():g} s")
        self._source_ready.set()
        self._write_state()
        with self._cond:
            self._cond.notify_all()

    # --------------------------------------------------------------- updates
    def _poll_interval(self) -> float:
        return max(self.settings.poll_seconds,
                   self._last_check_seconds / CHECK_SHARE_POLLING)

    def _check_due(self) -> tuple[Optional[str], float]:
        """(the reason a whole-tree check is due now, else None; seconds until one is)."""
        now = time.monotonic()
        if self.mode == "polling":
            interval, reason = self._poll_interval(), "polling"
        else:
            interval = max(self.settings.reconcile_seconds,
                           self._last_check_seconds / CHECK_SHARE_PERIODIC)
            reason = "periodic"
        left = self._last_check_end + interval - now
        return (reason if left <= 0 else None), max(left, 0.0)

    def _work(self) -> None:
        """The update thread: one update at a time, events coalescing meanwhile."""
        self._source_ready.wait()
        while not self._stop.is_set():
            with self._cond:
                idle_pool = False
                while not self._stop.is_set() and not self._pending and \
                        self._check_reason is None:
                    due, left = self._check_due()
                    if due:
                        self._check_reason = due
                        break
                    idle = self._pool_idle_left()
                    if idle is not None and idle <= 0:
                        idle_pool = True
                        break
                    self._cond.wait(min(left, idle) if idle is not None else left)
                if self._stop.is_set():
                    return
            if idle_pool:  # (outside the lock: the workers take a moment to stop)
                if not self.index.indexer.extractor.stop_if_idle():
                    self._last_work = time.monotonic()  # a run uses it: later, then
                continue
            with self._cond:
                reason, self._check_reason = self._check_reason, None
                batch = self._pending
                self._pending = set()
                if reason is None and len(batch) >= BURST_PATHS:
                    reason = f"burst of {len(batch)} changed paths"
                self._in_flight = 0 if reason else len(batch)
                self.updating = True
                self.checking = reason
            self._write_state()
            try:
                self._update(reason, batch)
            finally:
                with self._cond:
                    self.updating = False
                    self.checking = None
                    self._in_flight = 0
                    failed = self.last is not None and self.last.error
                    if not self._pending and self._check_reason is None and \
                            self.waiting_for is None and not failed:
                        self.caught_up = time.time()
                    self._cond.notify_all()
                self._write_state()

    def _update(self, reason: Optional[str], batch: set[str]) -> None:
        started = time.perf_counter()
        self._last_work = time.monotonic()
        self.waiting_for = None
        try:
            if reason is None:
                self._ensure_pool()
                summary = self.index.update_paths(sorted(batch), wait=1.0)
                kind = "tree" if summary.full_rebuild or summary.notes else "paths"
            else:
                summary = self._check()
                # what a check costs when nothing changed: its time less the extraction's
                extracting = (summary.extraction or {}).get("wall_seconds", 0.0)
                self._last_check_seconds = max(0.0, time.perf_counter() - started - extracting)
                self._last_check_end = time.monotonic()
                kind = "tree"
        except IndexBusy as exc:  # another process writes the index: after it, again
            log.debug("%s", exc)
            self.waiting_for = "another process writing the index"
            self._requeue(reason, batch)
            self._stop.wait(0.5)
            return
        except Exception as exc:  # noqa: BLE001 - the watcher stays up and retries
            # said once, in the report (`ragex watch` prints it, index_status shows it)
            log.debug("update failed", exc_info=True)
            if self.on_update is None:
                log.warning("update failed (%s): %s: %s", reason or "events",
                            type(exc).__name__, exc)
            self._requeue(reason or "after a failed update", batch)
            report = UpdateReport("tree" if reason else "paths", reason or "events",
                                  len(batch), None, time.perf_counter() - started, time.time(),
                                  f"{type(exc).__name__}: {exc}")
            self.last = report
            if self.on_update:
                self.on_update(report)
            self._stop.wait(min(30.0, 1.0 + report.seconds * 10))
            return
        self.updates += 1
        report = UpdateReport(kind, reason or "events", len(batch), summary,
                              time.perf_counter() - started, time.time())
        if kind == "tree":  # what the walk learned, for the events to come
            self.index.indexer.current_walk_map()
        if reason == "start":
            self._ensure_pool()  # warm for the first edit (it stops again when idle)
        self.last = report
        self._last_work = time.monotonic()
        if self.on_update:
            self.on_update(report)

    def _requeue(self, reason: Optional[str], batch: set[str]) -> None:
        with self._cond:
            self._pending |= batch
            if reason and self._check_reason is None:
                self._check_reason = reason

    # ------------------------------------------------------------------ pool
    def _ensure_pool(self) -> None:
        """Keep the worker pool warm while changes come: an update then needs no worker
        start-up and no grammar load (a C++ query takes 0.4 s to compile)."""
        extractor = self.index.indexer.extractor
        if extractor.config.use_parallel is not False and not extractor.pool_running:
            extractor.start()

    def _pool_idle_left(self) -> Optional[float]:
        """Seconds until the worker pool has idled long enough to stop (≤ 0: now); None
        when it is not running."""
        if not self.index.indexer.extractor.pool_running:
            return None
        return self._last_work + self.settings.pool_idle_seconds - time.monotonic()


def _limit_reason(exc: OSError) -> str:
    text = str(exc)
    if "limit" in text or getattr(exc, "errno", None) == errno.ENOSPC:
        return (f"the limit on inotify watches is reached ({_inotify_limits()}): raise it "
                "(sudo sysctl fs.inotify.max_user_watches=524288) for updates within a second")
    if getattr(exc, "errno", None) in (errno.EMFILE, errno.ENFILE):
        return (f"no inotify instance left ({_inotify_limits()}): raise "
                "fs.inotify.max_user_instances for updates within a second")
    return f"file-system events are unavailable ({text})"


def _inotify_limits() -> str:
    values = []
    for name in ("max_user_watches", "max_user_instances"):
        try:
            with open(f"/proc/sys/fs/inotify/{name}") as fh:
                values.append(f"fs.inotify.{name} = {fh.read().strip()}")
        except OSError:
            pass
    return ", ".join(values) or "see your system's limits"


_LIBC = None


def inotify_watches_exhausted() -> bool:
    """Whether this user cannot add one more inotify watch (Linux; False elsewhere)."""
    global _LIBC
    if not sys.platform.startswith("linux"):
        return False
    try:
        if _LIBC is None:
            _LIBC = ctypes.CDLL(None, use_errno=True)
        fd = _LIBC.inotify_init1(os.O_CLOEXEC)
        if fd < 0:
            return ctypes.get_errno() in (errno.EMFILE, errno.ENFILE)
        try:
            IN_ATTRIB = 0x4
            wd = _LIBC.inotify_add_watch(fd, b"/", IN_ATTRIB)
            return wd < 0 and ctypes.get_errno() == errno.ENOSPC
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        return False


__all__ = ["BURST_PATHS", "UpdateReport", "Watcher", "inotify_watches_exhausted"]
