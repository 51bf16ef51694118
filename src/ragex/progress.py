"""Progress of an extraction run, and the one-line bar that draws it.

`Progress` is the snapshot the extractor hands to progress callbacks (files, symbols,
bytes, rate, ETA, one `WorkerState` per worker); `ProgressBar` draws it on a terminal's
stderr, and nothing at all when not a terminal. The MCP server's index status reports
the same snapshot.

Not for: running or scheduling anything: the extractor fills a snapshot in and reads
nothing back from it.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional, TextIO

from .extract import STATUS_FAILED, STATUS_TIMEOUT

if TYPE_CHECKING:
    from .extract import ExtractionResult


@dataclass
class WorkerState:
    """One worker process as a progress snapshot shows it."""

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
        self.symbols += result.symbol_count
        self.bytes_done += result.size
        self.by_status[result.status] = self.by_status.get(result.status, 0) + 1

    @property
    def failures(self) -> int:
        return sum(v for k, v in self.by_status.items() if k in (STATUS_FAILED, STATUS_TIMEOUT))


ProgressCallback = Callable[[Progress], None]


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
