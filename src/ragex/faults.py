"""Debug fault injection: make extraction of a named file raise, crash, hang or blow up.

`RAGEX_DEBUG_FAULT` holds comma-separated `action:glob` pairs, e.g.
`crash:*/bad.py,hang:slow.c,oom:big.js,raise:broken.rs`. The glob is matched against the
file's root-relative path and its base name. Actions:

  raise  the extractor raises RuntimeError (anywhere)
  crash  the worker process kills itself with SIGKILL
  exit   the worker process calls os._exit(3)
  segv   the worker process dereferences NULL (a real segmentation fault)
  hang   the worker process sleeps forever
  oom    the worker process allocates memory until it is stopped
  leak   the worker process keeps 96 MB it touched for as long as it lives (the file
         itself extracts normally): a worker whose idle memory grew

Everything but `raise` acts only inside worker processes, so a debug variable never
kills an in-process run. This exists so the recovery paths of the real pool are tested
with real faults; it costs one dict lookup per file when unset (`config.debug_faults`).
"""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
import signal
import time

from .config import DEBUG_FAULT_VARIABLE as _VAR, debug_faults
_ACTIONS = ("raise", "crash", "exit", "segv", "hang", "oom", "leak")
_LEAKED: list = []
_parsed: tuple[str, list[tuple[str, str]]] = ("", [])


def _rules(raw: str) -> list[tuple[str, str]]:
    global _parsed
    if raw != _parsed[0]:
        rules = []
        for item in filter(None, (p.strip() for p in raw.split(","))):
            action, _, glob = item.partition(":")
            if action not in _ACTIONS or not glob:
                raise ValueError(f"{_VAR}: bad entry {item!r}; expected ACTION:GLOB with ACTION "
                                 f"one of {', '.join(_ACTIONS)}")
            rules.append((action, glob))
        _parsed = (raw, rules)
    return _parsed[1]


def maybe_inject(rel_path: str) -> None:
    raw = debug_faults()
    rules = _rules(raw) if raw else ()
    if not rules:
        return
    base = rel_path.rsplit("/", 1)[-1]
    for action, glob in rules:
        if fnmatch.fnmatchcase(rel_path, glob) or fnmatch.fnmatchcase(base, glob):
            _inject(action, rel_path)


def _inject(action: str, rel_path: str) -> None:
    if action == "raise":
        raise RuntimeError(f"injected fault ({_VAR}) for {rel_path}")
    if multiprocessing.parent_process() is None:
        return
    if action == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "exit":
        os._exit(3)
    elif action == "segv":
        import ctypes

        ctypes.string_at(0)
    elif action == "hang":
        while True:
            time.sleep(3600)
    elif action == "leak":
        chunk = bytearray(96 * 1024 * 1024)
        for i in range(0, len(chunk), 4096):
            chunk[i] = 1
        _LEAKED.append(chunk)
    elif action == "oom":
        hoard = []
        while True:
            chunk = bytearray(16 * 1024 * 1024)
            for i in range(0, len(chunk), 4096):
                chunk[i] = 1
            hoard.append(chunk)
            time.sleep(0.005)
