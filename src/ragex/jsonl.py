"""The JSON Lines form of symbol records: what `ragex extract --format jsonl` prints.

One line per symbol: an object with `Symbol`'s fields in their order, exactly what
`json.dumps(symbol.to_dict(), ensure_ascii=False)` writes, UTF-8. `encode_rows` builds a
file's lines in one pass from plain row tuples (no `Symbol`, no dict per record built in
Python code: `dict(zip(...))` and the C encoder), so it can run where the rows are: in a
worker process (`iter_extract(raw="jsonl")`), whose file then reaches the main process as
one `JsonLines` buffer that the main process writes unread. On two cores every CPU second
the main process spends is one a worker does not get.

Not for: the `json` array form or the table (the CLI builds those), nor reading JSON back
(`Symbol.from_dict`).
"""

from __future__ import annotations

import json
from itertools import repeat
from typing import Iterable

from .symbol import FIELD_NAMES

# `json.dumps(..., ensure_ascii=False)` would build a new encoder per call; one is enough.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


class RowBuffer:
    """A file's rows encoded once, as one buffer (`data`), with their count (`len`): what
    a worker hands to a process that passes them on unread (`worker.PackedRows`: pickled;
    `JsonLines`: as JSON lines)."""

    __slots__ = ("count", "data")

    def __init__(self, count: int, data: bytes) -> None:
        self.count = count
        self.data = data

    def __len__(self) -> int:
        return self.count

    def __reduce__(self):
        return (type(self), (self.count, self.data))


class JsonLines(RowBuffer):
    """A file's symbols as JSON lines, UTF-8."""

    __slots__ = ()


def encode_rows(rows: Iterable[tuple]) -> bytes:
    """Rows in Symbol field order (a `Symbol` is one) as JSON lines, each ending in "\\n"."""
    lines = map(_ENCODE, map(dict, map(zip, repeat(FIELD_NAMES), rows)))
    text = "\n".join(lines)
    return (text + "\n").encode("utf-8", "replace") if text else b""


def pack_rows(rows: list[tuple]) -> JsonLines:
    return JsonLines(len(rows), encode_rows(rows))
