"""What every `ragex` command shares: exit codes, the command record, paths as the user
sees them, and printing.

Paths follow git's convention: a path a user types is taken relative to the current
directory, and text output shows paths relative to it too (JSON keeps the library's
root-relative paths). Standing outside the root (`--root DIR` from elsewhere), paths are
taken and shown relative to the root.

Not for: flags (flags) or any question's logic (the library front, `ragex.front`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

# The exit codes of every command
EXIT_OK = 0
EXIT_NOTHING_FOUND = 1  # a query answered with nothing
EXIT_ERROR = 2  # a bad argument, no usable index, a pattern ripgrep rejects
EXIT_BUSY = 3  # another `ragex index` is writing this index
EXIT_INTERRUPTED = 130  # Ctrl-C


class UsageError(Exception):
    """A bad command line; the message names the argument."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    setup: Callable[[argparse.ArgumentParser], None]  # adds its flags
    run: Callable[[argparse.Namespace], int]  # returns an exit code
    description: str = ""


class Where:
    """Converts between the user's paths (relative to the current directory) and the
    index's (relative to the root)."""

    def __init__(self, root: str, cwd: Optional[str] = None) -> None:
        self.root = os.path.abspath(root)
        self.cwd = os.path.abspath(cwd or os.getcwd())
        rel = os.path.relpath(self.cwd, self.root).replace(os.sep, "/")
        # where the user stands inside the root ("" at the root); None: outside it
        self.inside = "" if rel == "." else (None if rel.startswith("../") or rel == ".."
                                             else rel + "/")

    def taken(self, path: str) -> str:
        """A path the user typed, as a root-relative path: relative to the current
        directory when it is inside the root, else to the root (not checked for escapes:
        the front refuses a path out of the root)."""
        base = self.cwd if self.inside is not None else self.root
        full = path if os.path.isabs(path) else os.path.join(base, path)
        return os.path.relpath(os.path.normpath(full), self.root).replace(os.sep, "/")

    def shown(self, rel: str, base: Optional[str] = None) -> str:
        """A root-relative path as shown to the user: relative to `base` (default: the
        current directory, when it is inside the root; else the root)."""
        if base is None and self.inside is None:
            return rel
        full = os.path.join(self.root, rel)
        return os.path.relpath(full, base or self.cwd).replace(os.sep, "/")

    def glob(self, pattern: Optional[str]) -> Optional[str]:
        """A path glob the user typed, for the root-relative paths of the index: below
        the root it applies under the current directory (as a git pathspec does); a
        leading "/" anchors it at the root."""
        if not pattern:
            return pattern
        if pattern.startswith("/"):
            return pattern.lstrip("/")
        if self.inside:
            if not any(c in pattern for c in "*?["):
                pattern = f"*{pattern}*"  # a path fragment: anywhere below here
            return self.inside + pattern
        return pattern


def print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def print_notes(command: str, notes: Iterable[str]) -> None:
    for note in notes:
        print(f"ragex {command}: note: {note}", file=sys.stderr)


def print_problems(rows: Iterable[tuple[str, str, str]], limit: int = 50,
                   more_hint: str = "") -> None:
    """One stderr line per (status, path, reason), at most `limit` of them."""
    rows = list(rows)
    for status, path, reason in rows[:limit]:
        print(f"ragex: {status}: {path}: {reason}", file=sys.stderr)
    if len(rows) > limit:
        print(f"ragex: ... and {len(rows) - limit} more{more_hint}", file=sys.stderr)
