"""The real MCP server over stdio, driven by the SDK's own client."""

import asyncio
import json
import os
import sys
import time

import pytest
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

# every test starts the real server in a subprocess and indexes a repository: a second or more
pytestmark = pytest.mark.slow

TOOLS = {"index_codebase", "index_status", "search_symbols", "get_symbol", "file_outline",
         "search_code", "search_code_semantic", "find_references", "call_hierarchy"}


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def fixture_repo(tmp_path):
    root = tmp_path / "repo"
    write(root, "app/__init__.py", "")
    write(root, "app/server.py", '''\
"""HTTP server."""
import socket


class Server:
    """Serves requests."""

    def __init__(self, port: int):
        self.port = port

    def serve_forever(self, poll: float = 0.5) -> None:
        """Loop until shutdown."""
        while True:
            handle_request(self)


def handle_request(server) -> bool:
    return True
''')
    write(root, "main.go", "package main\n\n// Run starts it.\nfunc Run(addr string) error {\n"
                           "\treturn nil\n}\n")
    write(root, "ignored/skip.py", "def hidden_by_gitignore():\n    pass\n")
    write(root, ".gitignore", "ignored/\n")
    for i in range(40):  # enough files for the parallel pool
        write(root, f"gen/mod{i}.py", f"def generated_{i}():\n    return {i}\n")
    (tmp_path / "secret.py").write_text("TOKEN = 1\n")
    os.symlink(tmp_path / "secret.py", root / "escape.py")
    return root


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=120))


async def session_for(root, *extra, env=None):
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "ragex", "mcp", str(root), *extra],
                                   env={**os.environ, **(env or {})})
    return stdio_client(params)


async def call(session, name, args=None, **kw):
    result = await session.call_tool(name, args or {}, **kw)
    if result.is_error:
        return None, result.content[0].text
    return result.structured_content, None


async def wait_done(session):
    for _ in range(300):
        status, _ = await call(session, "index_status")
        if status["job"] and status["job"]["state"] != "running":
            return status
        await asyncio.sleep(0.1)
    raise AssertionError("indexing did not finish")


def test_tools_schemas_and_results(fixture_repo):
    async def scenario():
        async with await session_for(fixture_repo) as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                tools = {t.name: t for t in (await s.list_tools()).tools}
                assert set(tools) == TOOLS
                for tool in tools.values():
                    assert tool.description and len(tool.description) > 60
                    assert tool.input_schema["type"] == "object"
                assert "query" in tools["search_symbols"].input_schema["required"]
                assert set(tools["search_symbols"].input_schema["properties"]) >= {
                    "query", "kind", "language", "path_glob", "match", "limit"}

                status = await wait_done(s)
                assert status["job"]["state"] == "done"
                assert status["index"]["files"] == 43  # ignored/ and the escaping link left out

                found, _ = await call(s, "search_symbols", {"query": "serve_forever"})
                hit = found["results"][0]
                assert found["index_state"].startswith("complete; watched (file events")
                assert (hit["qualified_name"], hit["kind"], hit["path"], hit["start_line"]) == (
                    "app.server.Server.serve_forever", "method", "app/server.py", 11)
                assert hit["signature"] == "def serve_forever(self, poll: float = 0.5) -> None"
                assert hit["doc"] == "Loop until shutdown."

                fuzzy, _ = await call(s, "search_symbols", {"query": "handle_reqest"})
                assert fuzzy["results"][0]["name"] == "handle_request"
                assert fuzzy["results"][0]["match"] == "fuzzy"
                go, _ = await call(s, "search_symbols", {"query": "Run", "language": "go"})
                assert go["results"][0]["doc"] == "Run starts it."
                limited, _ = await call(s, "search_symbols", {"query": "generated", "limit": 5})
                assert len(limited["results"]) == 5 and limited["truncated"]
                none, _ = await call(s, "search_symbols", {"query": "hidden_by_gitignore"})
                assert none["results"] == []

                sym, _ = await call(s, "get_symbol", {"name_or_id": "Server.serve_forever"})
                record = sym["results"][0]
                assert record["code"].startswith("    def serve_forever")
                assert [p["qualified_name"] for p in record["parents"]] == [
                    "app.server.Server", "app.server"]

                outline, _ = await call(s, "file_outline", {"path": "app/server.py"})
                module = outline["symbols"][0]
                assert module["kind"] == "module"
                server = [c for c in module["children"] if c["name"] == "Server"][0]
                assert [c["name"] for c in server["children"]] == ["__init__", "serve_forever"]

                meaning, _ = await call(s, "search_code_semantic",
                                        {"query": "loop until shutdown",
                                         "mode": "lexical", "limit": 3})
                assert meaning["results"][0]["qualified_name"] == \
                    "app.server.Server.serve_forever"
                assert meaning["tiers"] == ["lexical"] and meaning["mode"] == "lexical"
                assert "serve_forever" in meaning["results"][0]["excerpt"]
                _, error = await call(s, "search_code_semantic", {"query": "the of and"})
                assert "only common words" in error

                code, _ = await call(s, "search_code", {"pattern": r"handle_request\(",
                                                        "context": 1})
                assert [(h["path"], h["line"], h["symbol"]) for h in code["results"]] == [
                    ("app/server.py", 14, "app.server.Server.serve_forever"),
                    ("app/server.py", 17, "app.server.handle_request")]
                assert code["results"][0]["before"] == ['        while True:']

    run(scenario())


def test_bad_arguments_and_path_escapes_are_tool_errors(fixture_repo):
    async def scenario():
        async with await session_for(fixture_repo) as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                await wait_done(s)
                for path in ("../secret.py", "/etc/passwd", "escape.py", "app/../../secret.py"):
                    _, error = await call(s, "file_outline", {"path": path})
                    assert error and "outside the served root" in error, path
                _, error = await call(s, "index_codebase", {"path": "/"})
                assert "outside the served root" in error
                _, error = await call(s, "search_code", {"pattern": "def ("})
                assert "bad pattern" in error
                _, error = await call(s, "search_symbols", {"query": "x", "kind": "gizmo"})
                assert "unknown kind" in error
                _, error = await call(s, "search_symbols", {"query": "x", "match": "magic"})
                assert "unknown match mode" in error
                _, error = await call(s, "search_symbols", {"query": "x", "limit": 0})
                assert "limit" in error
                _, error = await call(s, "get_symbol", {"name_or_id": "NoSuchThing"})
                assert "no symbol named" in error
                result = await s.call_tool("search_symbols", {"wrong": 1})
                assert result.is_error
                # the server survived all of it
                ok, _ = await call(s, "search_symbols", {"query": "Server"})
                assert ok["results"][0]["name"] == "Server"

    run(scenario())


def test_calls_answer_while_indexing_and_progress_is_reported(fixture_repo):
    async def scenario():
        env = {"RAGEX_DEBUG_FAULT": "hang:mod7.py", "RAGEX_PROCESS_TIMEOUT_SECONDS": "3"}
        async with await session_for(fixture_repo, env=env) as (r, w):
            async with ClientSession(r, w) as s:
                started = time.monotonic()
                await s.initialize()
                status, _ = await call(s, "index_status")
                assert time.monotonic() - started < 5
                assert status["job"] is None or status["job"]["state"] == "running"
                while status["job"] is None:  # indexing starts just after the server
                    await asyncio.sleep(0.1)
                    status, _ = await call(s, "index_status")
                assert status["job"]["state"] == "running"  # a hung file keeps it busy
                found, error = await call(s, "search_symbols", {"query": "Server"})
                assert time.monotonic() - started < 5  # answered while indexing
                assert error or found["index_state"].startswith(("indexing", "not indexed"))

                updates = []

                async def on_progress(progress, total, message):
                    updates.append((progress, total, message))

                job, _ = await call(s, "index_codebase", {}, progress_callback=on_progress)
                assert job["state"] == "done"
                assert updates and updates[-1][0] == updates[-1][1] == 43
                status, _ = await call(s, "index_status")
                assert status["index_state"].startswith("complete")
                problems = {p["path"]: p for p in status["index"]["not_indexed"]}
                assert problems["gen/mod7.py"]["status"] == "timeout"

                again, _ = await call(s, "index_codebase", {})  # returns at once
                assert again["job_id"] != job["job_id"] and "state" in again

    run(scenario())


def test_http_transport_serves_on_loopback(fixture_repo):
    import socket
    import subprocess

    from mcp.client.streamable_http import streamable_http_client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ragex", "mcp", str(fixture_repo), "--http",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)

    async def scenario():
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                await asyncio.sleep(0.1)
        async with streamable_http_client(f"http://127.0.0.1:{port}/mcp") as streams:
            async with ClientSession(streams[0], streams[1]) as s:
                await s.initialize()
                tools = {t.name for t in (await s.list_tools()).tools}
                assert tools == TOOLS
                await wait_done(s)
                found, _ = await call(s, "search_symbols", {"query": "handle_request"})
                assert found["results"][0]["path"] == "app/server.py"

    try:
        run(scenario())
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_server_keeps_the_index_current_as_files_change(fixture_repo):
    async def scenario():
        async with await session_for(fixture_repo) as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                await wait_done(s)
                write(fixture_repo, "app/config.py", "def parse_config(path):\n    pass\n")
                for _ in range(200):  # an agent writes a file, then asks for it
                    found, _ = await call(s, "search_symbols",
                                          {"query": "parse_config", "match": "exact"})
                    if found["results"]:
                        break
                    await asyncio.sleep(0.05)
                assert found["results"][0]["path"] == "app/config.py"
                (fixture_repo / "main.go").unlink()
                for _ in range(200):
                    gone, _ = await call(s, "search_symbols", {"query": "Run", "language": "go"})
                    if not gone["results"]:
                        break
                    await asyncio.sleep(0.05)
                assert gone["results"] == []
                status, _ = await call(s, "index_status")
                assert status["watch"]["mode"] == "events" and status["watch"]["updates"] >= 2
                assert "watched (file events, pid" in status["index_state"]

        async with await session_for(fixture_repo, "--no-watch") as (r, w):
            async with ClientSession(r, w) as s:
                await s.initialize()
                await wait_done(s)
                status, _ = await call(s, "index_status")
                assert status["index_state"] == "complete" and status["watch"] is None

    run(scenario())
