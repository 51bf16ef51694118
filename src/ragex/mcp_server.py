"""The MCP server: `RagexService` exposed as MCP tools over stdio or streamable HTTP.

Thin by design: each tool validates nothing itself and calls one `RagexService` method in a
thread (so the event loop always answers), turning `ServiceError` into a tool error the
agent can read. Indexing runs in the background from start-up, then a watcher keeps the
index current as files change; every answer says whether the index is complete, watched,
and how many changes are pending.

Not for: any search or indexing logic (service, search, indexer).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any, Optional

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from . import __version__
from .config import ParallelConfig
from .discover import DiscoveryOptions
from .service import RagexService, ServiceError

log = logging.getLogger("ragex.mcp")

INSTRUCTIONS = """\
ragex indexes the definitions (functions, classes, methods, types, constants, imports) of the
codebase at the served root and answers at once, even while indexing runs in the background.
Start with search_symbols to find where something is defined, get_symbol to read its source,
file_outline to see a file's structure, and search_code for text that is not a definition.
Every answer has `index_state`: if it does not start with "complete", results may be missing;
it also says whether the index is watched (kept current as files change, usually within a
second) and how many changes are pending. index_status shows progress. Paths are relative to
the served root."""


async def _call(fn, *args, **kwargs):
    try:
        return await asyncio.to_thread(fn, *args, **kwargs)
    except ServiceError as exc:
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
    server = MCPServer(name="ragex", version=__version__, instructions=INSTRUCTIONS)

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
        "One definition by name, qualified name or numeric id (from search_symbols): its "
        "record, its chain of enclosing symbols, and its source code (include_code=true)."))
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

    return server


def serve(root: str, index_dir: Optional[str] = None,
          discovery: DiscoveryOptions = DiscoveryOptions(),
          config: Optional[ParallelConfig] = None, http: bool = False,
          host: str = "127.0.0.1", port: int = 8765, index_on_start: bool = True,
          watch: bool = True) -> int:
    """`ragex mcp`: start background indexing (and watching), then serve until the client
    goes away."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="ragex-mcp: %(levelname)s: %(message)s")
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
            server.run("streamable-http", host=host, port=port)
        else:
            server.run("stdio")
    finally:
        service.close()
    return 0
