"""The MCP stdio transport, with limits: bounded request lines, a JSON-RPC error for every
malformed line, and no thread that can hold the process up once stdin has closed.

The SDK's `mcp.server.stdio.stdio_server` reads a line whole however long it is, and drops
a line it cannot parse without a word, so the client waits out its own timeout. This is
the same transport (the same claim on fds 0 and 1, memory streams handed to the same
server loop) with those checks in front. A line's fate:

- longer than `MAX_REQUEST_BYTES`: -32600 Invalid Request (id null), sent as soon as the
  limit is passed; the rest of the line is read in chunks and dropped, never held;
- not UTF-8, not JSON, or JSON holding a lone surrogate or NaN: -32700 Parse error (id null);
- JSON but not one JSON-RPC 2.0 message object: -32600 Invalid Request, with the request's
  id when it has a usable one, else null;
- blank: skipped (framing, not a message);
- anything else goes to the SDK's server loop unchanged.

Not for: what a request means (the SDK's server) or what a tool does (mcp_server, service).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import queue
import sys
import threading
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, BinaryIO, Callable, Iterator, Optional, Union

import anyio
import anyio.abc
import pydantic_core
from mcp.shared.message import SessionMessage
from mcp_types import (INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError,
                       jsonrpc_message_adapter)

log = logging.getLogger("ragex.mcp")

MAX_REQUEST_BYTES = 4 * 1024 * 1024
"""The longest request line served on stdio, in bytes (the SDK's HTTP body limit is the
same 4 MiB, and ragex passes this constant to it too). A request this big is already
abuse: the largest real one, a search pattern or a path, is a few hundred bytes."""

READ_CHUNK_BYTES = 64 * 1024  # one read from stdin; what a discarded line costs in memory
MAX_ECHOED_ID_CHARS = 200  # a longer string id is not echoed in an error (id null instead)


class TooLong:
    """What `LineFramer` yields for a line past its limit (once, when the limit is passed)."""


TOO_LONG = TooLong()


class LineFramer:
    """Splits a byte stream into newline-ended lines, holding at most `limit` bytes.

    A line that grows past `limit` is reported once (`TOO_LONG`) and then skipped up to
    its newline without being kept, however long it runs on.
    """

    def __init__(self, limit: int = MAX_REQUEST_BYTES) -> None:
        self.limit = limit
        self._line = bytearray()
        self._skipping = False

    def feed(self, chunk: bytes) -> Iterator[Union[bytes, TooLong]]:
        start = 0
        while start < len(chunk):
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if not self._skipping:
                if len(self._line) + len(piece) > self.limit:
                    self._line.clear()
                    self._skipping = True
                    yield TOO_LONG
                else:
                    self._line += piece
            if end < 0:
                return
            if not self._skipping:
                yield bytes(self._line)
            self._line.clear()
            self._skipping = False
            start = end + 1

    def finish(self) -> Iterator[bytes]:
        """At end of input: the last line, if it had no newline."""
        if self._line and not self._skipping:
            yield bytes(self._line)
        self._line.clear()


def _error(code: int, message: str, request_id: Any = None, data: Any = None) -> JSONRPCError:
    error = ErrorData(code=code, message=message) if data is None else ErrorData(
        code=code, message=message, data=data)
    return JSONRPCError(jsonrpc="2.0", id=request_id, error=error)


def too_long_error(limit: int = MAX_REQUEST_BYTES) -> JSONRPCError:
    return _error(INVALID_REQUEST,
                  f"Invalid Request: line longer than {limit} bytes; discarded unread",
                  data={"max_request_bytes": limit})


def _usable_id(message: dict) -> Any:
    """The id to answer an invalid message with: its own if short and well-typed, else None."""
    request_id = message.get("id")
    if isinstance(request_id, bool):
        return None
    if isinstance(request_id, int) and abs(request_id) < 2**63:
        return request_id
    if isinstance(request_id, str) and len(request_id) <= MAX_ECHOED_ID_CHARS:
        return request_id
    return None


def _request_problem(message: Any) -> Optional[str]:
    """Why `message` is not one JSON-RPC 2.0 message object, in a sentence; None if it may be."""
    if isinstance(message, list):
        return "a JSON array (batches are not part of MCP); send one message object per line"
    if not isinstance(message, dict):
        return "not a JSON object; each line must be one JSON-RPC message object"
    if message.get("jsonrpc") != "2.0":
        return 'the "jsonrpc" member must be exactly "2.0"'
    if "method" in message and not isinstance(message["method"], str):
        return 'the "method" member must be a string'
    request_id = message.get("id")
    if "id" in message and (isinstance(request_id, bool)
                            or not isinstance(request_id, (str, int))):
        if not (request_id is None and "error" in message):  # an error about no request
            return 'the "id" member must be a string or an integer'
    if "method" not in message and not ("id" in message and ("result" in message
                                                             or "error" in message)):
        return 'no "method" member (and not a response: no "id" with "result" or "error")'
    return None


def check_line(line: bytes) -> Union[SessionMessage, JSONRPCError, None]:
    """One line from the client: the message to serve, the error to answer, or None (blank)."""
    if not line.strip():
        return None
    try:
        message = pydantic_core.from_json(line, allow_inf_nan=False)
    except ValueError as exc:  # bad UTF-8, bad JSON, lone surrogate, too deep: never echoes
        return _error(PARSE_ERROR, f"Parse error: {exc}")
    problem = _request_problem(message)
    request_id = _usable_id(message) if isinstance(message, dict) else None
    if problem is not None:
        return _error(INVALID_REQUEST, f"Invalid Request: {problem}", request_id)
    try:
        return SessionMessage(jsonrpc_message_adapter.validate_python(message, by_name=False))
    except pydantic_core.ValidationError as exc:
        fields = sorted({".".join(str(part)[:40] for part in e["loc"][1:4]) or "(message)"
                         for e in exc.errors()})[:5]
        return _error(INVALID_REQUEST,
                      "Invalid Request: not a valid JSON-RPC message; check "
                      + ", ".join(fields), request_id)


class DaemonThreads:
    """Runs blocking calls on daemon threads, reused across calls (a thread keeps its own
    index connection).

    Why not `asyncio.to_thread`: the interpreter waits at exit for those threads, so one
    long call kept a server whose client had gone alive until the call ended. A daemon
    thread is dropped at exit and the process ends at once.
    """

    def __init__(self, max_threads: int, name: str) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._max = max_threads
        self._name = name
        self._lock = threading.Lock()
        self._threads = self._idle = self._waiting = 0

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((future, fn, args))
        with self._lock:
            self._waiting += 1
            start = self._waiting > self._idle and self._threads < self._max
            if start:
                self._threads += 1
        if start:
            threading.Thread(target=self._work, daemon=True,
                             name=f"{self._name}-{self._threads}").start()
        return await asyncio.wrap_future(future)

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            future, fn, args = self._jobs.get()
            with self._lock:
                self._idle -= 1
                self._waiting -= 1
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the awaiting task
                future.set_exception(exc)
            else:
                future.set_result(result)


def _claim_std_streams() -> tuple[BinaryIO, BinaryIO, Callable[[], None]]:
    """The wire's stdin and stdout, claimed as the SDK's stdio_server claims them: while
    serving, fd 0 reads the null device and fd 1 writes to stderr, so a handler or child
    process (a ripgrep run, an index worker) that reads or prints never touches the wire."""
    try:
        from mcp.server.stdio import (_claim_fd, _open_stdin_diversion,
                                      _open_stdout_diversion)
    except ImportError:  # a later SDK moved them: serve the streams in place
        return sys.stdin.buffer, sys.stdout.buffer, lambda: None
    stdin, restore_stdin = _claim_fd(0, sys.stdin, "rb", _open_stdin_diversion)
    stdout, restore_stdout = _claim_fd(1, sys.stdout, "wb", _open_stdout_diversion)

    def restore() -> None:
        for undo in (restore_stdout, restore_stdin):
            if undo is not None:
                undo()

    return stdin, stdout, restore


@asynccontextmanager
async def bounded_stdio_server(stdin: Optional[BinaryIO] = None,
                               stdout: Optional[BinaryIO] = None,
                               limit: int = MAX_REQUEST_BYTES) -> AsyncIterator[tuple]:
    """`mcp.server.stdio.stdio_server` with the checks above: yields the (read, write)
    streams a low-level `Server.run` takes. Ends when stdin reaches end of file."""
    restore: Callable[[], None] = lambda: None
    if stdin is None or stdout is None:
        stdin, stdout, restore = _claim_std_streams()
    reader = DaemonThreads(1, "ragex-mcp-stdin")
    writer = DaemonThreads(1, "ragex-mcp-stdout")
    read_send, read_receive = anyio.create_memory_object_stream[Union[SessionMessage,
                                                                      Exception]](0)
    write_send, write_receive = anyio.create_memory_object_stream[SessionMessage](0)
    answers = write_send.clone()  # our own errors join the server's replies in one queue

    def write(data: bytes) -> None:
        stdout.write(data)
        stdout.flush()

    async def handle(line: Union[bytes, TooLong]) -> None:
        item = too_long_error(limit) if line is TOO_LONG else check_line(line)
        if isinstance(item, SessionMessage):
            await read_send.send(item)
        elif item is not None:
            await answers.send(SessionMessage(item))

    reading = anyio.CancelScope()

    async def read_stdin() -> None:
        framer = LineFramer(limit)
        with reading:
            async with read_send, answers:
                try:
                    while chunk := await reader.run(stdin.read1, READ_CHUNK_BYTES):
                        for line in framer.feed(chunk):
                            await handle(line)
                    for line in framer.finish():
                        await handle(line)
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    pass  # the server stopped reading: it is shutting down

    async def write_stdout(tg: anyio.abc.TaskGroup) -> None:
        try:
            async with write_receive:
                async for session_message in write_receive:
                    text = session_message.message.model_dump_json(by_alias=True,
                                                                   exclude_unset=True)
                    await writer.run(write, text.encode("utf-8") + b"\n")
        except OSError as exc:  # the client closed its end: nobody is left to answer
            log.warning("stdout closed (%s); stopping", exc)
            tg.cancel_scope.cancel()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(read_stdin)
            tg.start_soon(write_stdout, tg)
            yield read_receive, write_send
            reading.cancel()  # the server is done; stop waiting on a stdin still open
    finally:
        restore()
