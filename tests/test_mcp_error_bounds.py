"""No error the MCP server sends repeats a huge argument whole: tool errors, the SDK's own
argument and protocol errors, and the log on stderr."""

import time

import pytest

from mcp_wire import RawServer
from ragex.mcp_server import MAX_ECHO_CHARS, MAX_ERROR_CHARS, bounded

BIG = "x" * 100_000


def test_bounded_cuts_long_values_and_long_messages():
    assert bounded("no symbol named 'abc'") == "no symbol named 'abc'"
    cut = bounded(f"no symbol named '{BIG}'; try search_symbols")
    assert cut == "no symbol named '" + "x" * (MAX_ECHO_CHARS - 1) + "… try search_symbols"
    spaced = bounded("word " * 50_000)
    assert len(spaced) == MAX_ERROR_CHARS + 1 and spaced.endswith("…")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("bounds") / "repo"
    (root / "app").mkdir(parents=True)
    (root / "app" / "server.py").write_text("class Server:\n    def serve(self):\n        pass\n")
    stderr = root.parent / "stderr.txt"
    server = RawServer(root, stderr_path=stderr)
    server.initialize()
    for _ in range(100):
        status = server.request("tools/call", {"name": "index_status", "arguments": {}})
        if status["result"]["structuredContent"]["index_state"] == "complete":
            break
        time.sleep(0.1)
    yield server, stderr
    server.stop()


def tool_error(server, name, arguments):
    answer = server.request("tools/call", {"name": name, "arguments": arguments})
    result = answer["result"]
    assert result["isError"], result
    return result["content"][0]["text"]


@pytest.mark.parametrize("name,arguments,says", [
    ("search_symbols", {"query": BIG, "kind": BIG}, "unknown kind"),
    ("file_outline", {"path": BIG}, ""),
    ("file_outline", {"path": "../" + BIG}, ""),
    ("get_symbol", {"name_or_id": BIG}, "no symbol named"),
    ("search_code", {"pattern": "(" + BIG}, ""),
    ("search_symbols", {"query": [BIG] * 10}, "validation error"),  # the SDK's own check
    ("search_symbols", {"query": "x", BIG: 1, "limit": BIG}, "validation error"),
    (BIG, {}, "Unknown tool"),
], ids=["kind", "path", "escaping path", "name", "pattern", "wrong type", "bad limit",
        "unknown tool"])
@pytest.mark.slow
def test_tool_errors_echo_at_most_a_bounded_cut(server, name, arguments, says):
    text = tool_error(server[0], name, arguments)
    assert says in text
    assert len(text) < 1024
    assert "x" * (MAX_ECHO_CHARS + 1) not in text


@pytest.mark.slow
def test_a_huge_query_alone_answers_small(server):
    answer = server[0].request("tools/call", {"name": "search_symbols",
                                              "arguments": {"query": BIG}})
    assert len(str(answer)) < 2048


@pytest.mark.parametrize("method,params,code", [
    (BIG, None, -32601),
    ("resources/read", {"uri": "file:///" + BIG}, -32602),
    ("prompts/get", {"name": BIG}, 0),
])
@pytest.mark.slow
def test_protocol_errors_echo_at_most_a_bounded_cut(server, method, params, code):
    answer = server[0].request(method, params)
    assert answer["error"]["code"] == code
    assert len(str(answer["error"])) < 2048


@pytest.mark.slow
def test_the_log_on_stderr_is_bounded_too(server):
    server[0].request("prompts/get", {"name": BIG})  # logged with its traceback
    assert server[1].stat().st_size < 64_000
