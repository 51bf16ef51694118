"""Watch state: how a watcher tells other processes that it keeps an index current.

A watcher holds `watch.lock` (an flock beside the index's `index.lock`) for as long as it
runs, and rewrites `watch.json` beside it whenever its state changes: its pid, whether it
hears file-system events or polls, when it last caught up with the tree, how many changed
paths are pending. A reader believes the file only while the lock is held: a watcher
killed with `kill -9` leaves a file nobody holds, which reads as "not watched". One
watcher per index: a second one finds the lock taken (`WatcherBusy`, naming the holder).

Not for: watching (watch) or the lock of index writes (indexer).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import threading
import time
from typing import Any, Optional

from .indexer import IndexBusy

LOCK_NAME = "watch.lock"
STATE_NAME = "watch.json"


class WatcherBusy(IndexBusy):
    """Another process is watching this index."""


class WatchLock:
    """`watch.lock`: held by the one watcher of an index, with its pid inside."""

    def __init__(self, index_dir: str) -> None:
        self.index_dir = index_dir
        self.path = os.path.join(index_dir, LOCK_NAME)
        self.fh = None

    @property
    def held(self) -> bool:
        return self.fh is not None

    def try_acquire(self) -> bool:
        os.makedirs(self.index_dir, exist_ok=True)
        fh = open(self.path, "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.close()
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self.fh = fh
        return True

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to `wait` seconds; WatcherBusy if another has it."""
        deadline = time.monotonic() + wait
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                holder = holder_pid(self.index_dir)
                raise WatcherBusy(
                    f"another ragex watcher (pid {holder or 'unknown'}) keeps the index "
                    f"{self.index_dir} current already; queries see its updates. Stop it "
                    "first, or pass --wait SECONDS to take over when it stops")
            time.sleep(0.1)

    def release(self) -> None:
        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None


def holder_pid(index_dir: str) -> Optional[int]:
    """The pid of the live watcher of this index, else None."""
    try:
        fh = open(os.path.join(index_dir, LOCK_NAME), "r")
    except OSError:
        return None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = fh.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fh, fcntl.LOCK_UN)
        return None


def write_state(index_dir: str, state: dict[str, Any]) -> None:
    """Replace `watch.json` at once: a reader sees the old state or the new one."""
    path = os.path.join(index_dir, STATE_NAME)
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    with open(tmp, "w") as fh:
        json.dump(state, fh)
    os.replace(tmp, path)


def remove_state(index_dir: str) -> None:
    try:
        os.remove(os.path.join(index_dir, STATE_NAME))
    except OSError:
        pass


def read_state(index_dir: str) -> Optional[dict[str, Any]]:
    """The state of the live watcher of this index, or None when nothing watches it."""
    pid = holder_pid(index_dir)
    if pid is None:
        return None
    try:
        with open(os.path.join(index_dir, STATE_NAME)) as fh:
            state = json.load(fh)
    except (OSError, ValueError):
        state = {"pid": pid, "mode": "starting"}
    return state


def describe(state: dict[str, Any], now: Optional[float] = None) -> str:
    """One phrase for `index_state`: who watches, how, and how current the index is."""
    now = time.time() if now is None else now
    mode = state.get("mode")
    how = {"events": "file events", "starting": "starting",
           "polling": f"polling every {state.get('poll_seconds', 0):g} s"}.get(mode, mode)
    head = f"watched ({how}, pid {state.get('pid')})"
    pending = state.get("pending") or 0
    caught_up = state.get("caught_up")
    since = f"last caught up {now - caught_up:.1f} s ago" if caught_up else "not caught up yet"
    if state.get("checking"):
        return (f"{head}: checking the whole tree ({state['checking']}; {since}): answers "
                "may miss changes")
    if pending:
        busy = ", updating" if state.get("updating") else ""
        if state.get("waiting_for"):
            busy = f", waiting for {state['waiting_for']}"
        return (f"{head}: {pending} changed path{'s' if pending != 1 else ''} pending{busy} "
                f"({since}): answers may miss them")
    if not caught_up:
        return f"{head}: {since}"
    return f"{head}: caught up {now - caught_up:.1f} s ago"


def watch_note(index_dir: str) -> Optional[str]:
    """`describe` of this index's live watcher, or None."""
    state = read_state(index_dir)
    return describe(state) if state is not None else None


__all__ = ["LOCK_NAME", "STATE_NAME", "WatchLock", "WatcherBusy", "describe", "holder_pid",
           "read_state", "remove_state", "watch_note", "write_state"]
