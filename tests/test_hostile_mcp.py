"""No traceback reaches an agent: every MCP tool, called with hostile arguments, answers
with a result or a tool error naming the problem, and the server stays up and stays quiet
on stderr (a real `ragex mcp` subprocess, raw JSON-RPC on its stdin)."""

import time

import pytest

from mcp_wire import RawServer

BIG = "9" * 40
HOSTILE = [
    # (tool, arguments, "error" or "ok", words the answer holds)
    ("search_symbols", {"query": ""}, "error", "empty"),
    ("search_symbols", {"query": "x", "limit": 0}, "error", "limit"),
    ("search_symbols", {"query": "x", "limit": 10**30}, "ok", ""),
    ("search_symbols", {"query": "x", "limit": -1}, "error", "limit"),
    ("search_symbols", {"query": "x", "match": "psychic"}, "error", "match mode"),
    ("search_symbols", {"query": "x", "kind": ","}, "error", "kind"),
    ("search_symbols", {"query": "x", "language": "klingon"}, "error", "unknown language"),
    ("search_symbols", {"query": "x", "path_glob": "[[["}, "ok", ""),
    ("search_symbols", {"query": "ジャバ \u202e"}, "ok", ""),  # (lone surrogates: -32700, tested with the transport)
    ("get_symbol", {"name_or_id": BIG}, "error", "no symbol named"),
    ("get_symbol", {"name_or_id": "-1"}, "error", "no symbol named"),
    ("get_symbol", {"name_or_id": "alpha", "include_code": "yes please"}, "error", ""),
    ("file_outline", {"path": "/etc/passwd"}, "error", "outside"),
    ("file_outline", {"path": "../../etc/passwd"}, "error", "outside"),
    ("file_outline", {"path": "link_out.py"}, "error", "outside"),
    ("file_outline", {"path": "a.py", "depth": 0}, "error", "depth"),
    ("file_outline", {"path": "a.py", "offset": -5}, "error", "offset"),
    ("file_outline", {"path": "a.py", "kind": "gizmo"}, "error", "unknown kind"),
    ("file_outline", {"path": "nothing.py"}, "error", "not in the index"),
    ("search_code", {"pattern": "("}, "error", "bad pattern"),
    ("search_code", {"pattern": ""}, "error", "empty"),
    ("search_code", {"pattern": "x", "context": 10**9}, "ok", ""),
    ("search_code", {"pattern": "x", "context": -3}, "ok", ""),
    ("search_code", {"pattern": "x", "path_glob": "../../**"}, "ok", ""),
    ("index_codebase", {"path": "/etc"}, "error", "outside"),
    ("index_codebase", {"wait_seconds": -1}, "ok", ""),
    ("index_status", {"surprise": 1}, "ok", ""),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile_mcp")
    root = base / "repo"
    root.mkdir()
    (root / "a.py").write_text("def alpha():\n    return 'x'\n")
    (base / "outside.py").write_text("def secret():\n    pass\n")
    (root / "link_out.py").symlink_to(base / "outside.py")
    stderr = base / "stderr.txt"
    server = RawServer(root, stderr_path=stderr)
    server.initialize()
    for _ in range(100):
        status = server.request("tools/call", {"name": "index_status", "arguments": {}})
        if status["result"]["structuredContent"]["index_state"] == "complete":
            break
        time.sleep(0.1)
    yield server, stderr
    server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("tool, arguments, outcome, words", HOSTILE,
                         ids=lambda v: str(v)[:30])
def test_every_tool_answers_hostile_arguments(server, tool, arguments, outcome, words):
    raw, stderr = server
    answer = raw.request("tools/call", {"name": tool, "arguments": arguments}, timeout=20)
    result = answer["result"]
    text = result["content"][0]["text"] if result.get("content") else ""
    assert "Traceback" not in text
    assert result.get("isError", False) == (outcome == "error"), text
    if words:
        assert words in text, text
    assert "secret" not in text  # nothing from outside the root
    # the server is still up and answers
    assert raw.request("tools/call", {"name": "index_status", "arguments": {}})["result"]
    assert "Traceback" not in stderr.read_text(errors="replace")
