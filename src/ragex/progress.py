"""A one-line progress bar on a terminal's stderr; nothing at all when not a terminal."""

from __future__ import annotations

import shutil
import time
from typing import Optional, TextIO


def _duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "--"
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class ProgressBar:
    def __init__(self, stream: TextIO, label: str = "") -> None:
        self.stream = stream
        self.label = label
        self.last = 0.0
        self.shown = False

    @classmethod
    def for_stream(cls, stream: TextIO, enabled: bool = True,
                   label: str = "") -> Optional["ProgressBar"]:
        """A bar when `stream` is a terminal and `enabled`, else None (piped: print nothing)."""
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(stream, label) if enabled and tty else None

    def update(self, p) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and p.files_done < p.files_total:
            return
        self.last = now
        width = shutil.get_terminal_size((80, 20)).columns
        fraction = p.files_done / p.files_total if p.files_total else 1.0
        tail = (f" {p.files_done}/{p.files_total} files  {p.symbols} symbols  "
                f"{p.rate:.0f} files/s  ETA {_duration(p.eta)}")
        if p.failures:
            tail += f"  {p.failures} failed"
        if getattr(p, "degraded", False):
            tail += "  (degraded)"
        bar_width = max(10, min(30, width - len(tail) - len(self.label) - 4))
        filled = int(bar_width * fraction)
        line = f"{self.label}[{'#' * filled}{'.' * (bar_width - filled)}]{tail}"
        self.stream.write("\r" + line[: width - 1] + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
