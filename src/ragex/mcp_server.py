"""The MCP server: `RagexService` exposed as MCP tools over stdio or streamable HTTP.

Thin by design: each tool validates nothing itself and calls one `RagexService` method in a
thread (so the event loop always answers), turning `ServiceError` into a tool error the
agent can read. Indexing runs in the background from start-up, then a watcher keeps the
index current as files change; every answer says whether the index is complete, watched,
and how many changes are pending. Limits on the wire: stdio goes through `mcp_transport`
(bounded request lines, an error for every malformed one), an HTTP body is bounded to the
same `MAX_REQUEST_BYTES`, and no error repeats more than `MAX_ECHO_CHARS` of any value it
names.

Not for: any search or indexing logic (service, search, indexer).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from typing import Any, Optional

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import MCPError
from pydantic import ValidationError

from . import __version__
from .config import ParallelConfig
from .discover import DiscoveryOptions
from .mcp_transport import MAX_REQUEST_BYTES, DaemonThreads, bounded_stdio_server
from .service import RagexService, ServiceError
from .store import IndexUnavailable

log = logging.getLogger("ragex.mcp")

INSTRUCTIONS = """\
ragex indexes the definitions (functions, classes, methods, types, constants, imports) of the
codebase at the served root and answers at once, even while indexing runs in the background.
Start with search_symbols to find where something is defined (search_code_semantic when you
only know what it does), get_symbol to read its source,
file_outline to see a file's structure, and search_code for text that is not a definition.
find_references lists where a definition is used, call_hierarchy who calls it or what it
calls; each edge says how it was resolved (an `ambiguous` one lists its candidates).
Every answer has `index_state`: if it does not start with "complete", results may be missing;
it also says whether the index is watched (kept current as files change, usually within a
second) and how many changes are pending. index_status shows progress. Paths are relative to
the served root."""


MAX_ECHO_CHARS = 200  # of any one value (an argument, a name) an error repeats back
MAX_ERROR_CHARS = 1000  # of one error message in all
MAX_LOG_CHARS = 8000  # of one log record on stderr, traceback included
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_ECHO_CHARS + 1))

# Tool calls run here rather than in asyncio.to_thread: these threads never delay exit.
_CALLS = DaemonThreads(min(32, (os.cpu_count() or 1) + 4), "ragex-mcp-call")


def bounded(text: str, total: int = MAX_ERROR_CHARS) -> str:
    """`text` with every run of over MAX_ECHO_CHARS non-blank characters cut to that many
    plus "…", and the whole cut to `total` characters plus "…": a 100,000-character argument
    comes back as its first 200 characters, whatever message repeats it."""
    text = _LONG_RUN.sub(lambda m: m.group()[:MAX_ECHO_CHARS] + "…", text)
    return text if len(text) <= total else text[:total] + "…"


def _bounded_data(data: Any) -> Any:
    if isinstance(data, str):
        return bounded(data)
    if isinstance(data, dict):
        return {bounded(str(k), MAX_ECHO_CHARS): _bounded_data(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_bounded_data(v) for v in data]
    return data


async def _bound_protocol_errors(ctx, call_next):
    """Server middleware: a protocol error (an unknown method or resource, a bad prompt
    name) names what it rejects; this keeps that to MAX_ECHO_CHARS characters."""
    try:
        return await call_next(ctx)
    except MCPError as exc:
        raise MCPError(exc.code, bounded(exc.message), _bounded_data(exc.data)) from exc
    except ValidationError:
        raise  # the SDK answers these with fixed text
    except Exception as exc:
        # the SDK would send str(exc) under code 0; the same, bounded, and logged as it would
        log.exception("handler for %r raised", getattr(ctx, "method", "?"))
        raise MCPError(0, bounded(str(exc))) from exc


class _RagexMCPServer(MCPServer):
    async def call_tool(self, name: str, arguments: dict[str, Any], context=None):
        """Every tool failure the agent reads (ours, the SDK's unknown tool or argument
        validation) with its echoed values bounded."""
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            message = str(exc)
            if bounded(message) == message:
                raise
            raise type(exc)(bounded(message)) from exc.__cause__


class _BoundedFormatter(logging.Formatter):
    """A handler's own format, with the record (traceback included) passed through bounded."""

    def __init__(self, inner: Optional[logging.Formatter]) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return bounded(self.inner.format(record), MAX_LOG_CHARS)


def _bound_logs() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="ragex-mcp: %(levelname)s: %(message)s")  # unless the CLI did
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, _BoundedFormatter):
            handler.setFormatter(_BoundedFormatter(handler.formatter))


async def _call(fn, *args):
    try:
        return await _CALLS.run(fn, *args)
    except (ServiceError, IndexUnavailable) as exc:  # IndexUnavailable: e.g. a corrupt index
        raise ToolError(str(exc)) from None
    finally:
        service = getattr(fn, "__self__", None)
        if isinstance(service, RagexService):
            # indexing may begin once this answer is on its way, not while it is written
            asyncio.get_running_loop().call_later(0.3, service.start_scheduled)


def _progress_token(ctx: Context) -> Optional[Any]:
    try:
        meta = ctx.request_context.meta
    except Exception:
        return None
    if not meta:
        return None
    getter = meta.get if hasattr(meta, "get") else (lambda k: getattr(meta, k, None))
    return getter("progress_token") or getter("progressToken")


def build_server(service: RagexService) -> MCPServer:
    server = _RagexMCPServer(name="ragex", version=__version__, instructions=INSTRUCTIONS)
    server._lowlevel_server.middleware.append(_bound_protocol_errors)

    @server.tool(description=(
        "Start indexing the served codebase in the background, or join the run already going; "
        "returns at once with a job id. Only new and changed files are re-extracted unless "
        "force=true. If you ask for progress (a progress token) or give wait_seconds, the call "
        "waits up to wait_seconds (default 600 with a progress token) and sends progress "
        "notifications. `path`, if given, must be inside the served root: the whole root is "
        "indexed. Rarely needed while the server watches the tree (the default: "
        "`index_state` says `watched`): changed files are indexed within a second."))
    async def index_codebase(ctx: Context, path: Optional[str] = None, force: bool = False,
                             wait_seconds: float = 0.0) -> dict[str, Any]:
        if path is not None:
            await _call(service.confine, path)
        job = service.start_index(force=force)
        token = _progress_token(ctx)
        wait = wait_seconds if wait_seconds > 0 else (600.0 if token is not None else 0.0)

        async def report(job) -> None:
            if token is None:
                return
            p = job.progress
            if job.done.is_set() and p is not None:
                await ctx.report_progress(p.files_total, p.files_total, "done")
            elif p is not None:
                await ctx.report_progress(p.files_done, p.files_total,
                                          f"{p.files_done}/{p.files_total} files, "
                                          f"{p.symbols} symbols")
            else:
                await ctx.report_progress(0, None, job.phase)

        if wait > 0:
            await service.follow_job(job, wait, report)
        result = job.to_dict()
        result["index_state"] = service.index_state()
        return result

    @server.tool(description=(
        "Indexing state and progress, file and symbol counts per language and status, files "
        "that were skipped or failed with the reason, index size and the last run."))
    async def index_status() -> dict[str, Any]:
        return await _call(service.index_status)

    @server.tool(description=(
        "Find definitions by name or qualified name (e.g. `parse`, `Server.serve`, "
        "`pkg.module.Class`). match: auto (exact > prefix > substring > fuzzy, the default), "
        "exact, prefix, substring, or fuzzy (typo-tolerant). Filters: kind (function, method, "
        "class, interface, struct, enum, constant, variable, field, property, type_alias, "
        "macro, module, namespace, import, ...; comma-separated), language (python, go, rust, "
        "typescript, ...), path_glob (e.g. `src/**/*.py` or a path fragment). Returns records "
        "with path, lines, signature, doc and parent."))
    async def search_symbols(query: str, kind: Optional[str] = None,
                             language: Optional[str] = None, path_glob: Optional[str] = None,
                             match: str = "auto", limit: int = 20) -> dict[str, Any]:
        return await _call(service.search_symbols, query, kind, language, path_glob, match, limit)

    @server.tool(description=(
        "Find definitions by what they do, asked in natural language (e.g. \"where do we "
        "parse the HTTP headers?\", \"retry a failed request with backoff\"), when you "
        "do not know their names. mode: auto (the default: words and, when the "
        "ragex[semantic] extra has embedded the code, embeddings, fused), lexical, "
        "semantic or hybrid. Filters as in search_symbols (kind, language, path_glob). "
        "Each result has path, lines, qualified name, signature, an excerpt, a score and "
        "the tiers that found it; `tiers` says which tiers answered."))
    async def search_code_semantic(query: str, mode: str = "auto", kind: Optional[str] = None,
                                   language: Optional[str] = None,
                                   path_glob: Optional[str] = None,
                                   limit: int = 10) -> dict[str, Any]:
        return await _call(service.search_text, query, mode, kind, language, path_glob, limit)

    @server.tool(description=(
        "One definition by name, qualified name or numeric id (from search_symbols): its "
        "record, its chain of enclosing symbols, its source code (include_code=true) and "
        "`calls`: how many call sites call it (resolved / ambiguous) and how many it holds."))
    async def get_symbol(name_or_id: str, include_code: bool = True) -> dict[str, Any]:
        return await _call(service.get_symbol, name_or_id, include_code)

    @server.tool(description=(
        "The symbol tree of one file (path relative to the served root): classes with their "
        "methods and fields, functions with nested definitions, imports, in source order. "
        "depth keeps that many levels (1: top level only); kind keeps only those kinds "
        "(comma-separated). A big outline comes in pages of symbols in source order: "
        "`next_offset` says where the next page starts (pass it as offset)."))
    async def file_outline(path: str, depth: Optional[int] = None, kind: Optional[str] = None,
                           offset: int = 0, limit: Optional[int] = None) -> dict[str, Any]:
        return await _call(service.file_outline, path, depth, kind, offset, limit)

    @server.tool(description=(
        "Search file contents with ripgrep over the indexed file set (ignore files honoured). "
        "pattern is a regular expression (Rust regex syntax) unless regex=false. Each hit has "
        "path, line, text and its enclosing symbol; context adds up to 10 lines around it."))
    async def search_code(pattern: str, regex: bool = True, path_glob: Optional[str] = None,
                          limit: int = 50, context: int = 0) -> dict[str, Any]:
        return await _call(service.search_code, pattern, regex, path_glob, limit, context)

    @server.tool(description=(
        "Every reference to a definition (name, qualified name such as `Class.method` or "
        "`pkg.mod.func`, or numeric id from search_symbols): calls, type uses, imports, "
        "inheritance, decorators and other uses, each with path, line, col, the enclosing "
        "definition, the source line, and how it was resolved (local, member, import, "
        "package, unique_name, ambiguous with its candidates, unresolved). kind filters "
        "(call, type, inherit, implement, import, decorator, value; comma-separated); "
        "path_glob filters files. A cut answer gives `next_offset`."))
    async def find_references(name_or_id: str, kind: Optional[str] = None,
                              path_glob: Optional[str] = None, limit: int = 50,
                              offset: int = 0) -> dict[str, Any]:
        return await _call(service.find_references, name_or_id, kind, path_glob, limit, offset)

    @server.tool(description=(
        "The call hierarchy of a definition (name, qualified name or numeric id): "
        "direction `incoming` (who calls it) or `outgoing` (what it calls), depth 1-5 "
        "levels, at most `limit` nodes. Each node is a definition with its call sites and "
        "how the call resolved; a call ragex could not pin to one definition lists its "
        "candidates; a definition met again on its own path is marked `cycle`."))
    async def call_hierarchy(name_or_id: str, direction: str = "incoming", depth: int = 1,
                             limit: int = 100) -> dict[str, Any]:
        return await _call(service.call_hierarchy, name_or_id, direction, depth, limit)

    return server


async def serve_stdio(server: MCPServer) -> None:
    """`MCPServer.run_stdio_async` over `mcp_transport.bounded_stdio_server`: the same
    server loop, the SDK's transport swapped for the bounded one."""
    lowlevel = server._lowlevel_server
    async with bounded_stdio_server() as (read_stream, write_stream):
        await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())


def serve(root: str, index_dir: Optional[str] = None,
          discovery: Optional[DiscoveryOptions] = None,
          config: Optional[ParallelConfig] = None, http: bool = False,
          host: str = "127.0.0.1", port: int = 8765, index_on_start: bool = True,
          watch: bool = True) -> int:
    """`ragex mcp`: start background indexing (and watching), then serve until the client
    goes away."""
    _bound_logs()
    service = RagexService(root, index_dir, config, discovery)
    if index_on_start:
        if watch:
            service.enable_watch()
        # The server answers its first call before the walk of a large tree competes for
        # the interpreter; indexing starts right after that call (or after 2 s).
        service.schedule_index(2.0)
    server = build_server(service)
    try:
        if http:
            if host not in ("127.0.0.1", "localhost", "::1"):
                log.warning("serving on %s: reachable beyond this machine", host)
            server.run("streamable-http", host=host, port=port,
                       max_request_body_size=MAX_REQUEST_BYTES)
        else:
            anyio.run(serve_stdio, server)
    finally:
        service.close()
    return 0
