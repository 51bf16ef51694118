"""The stdio transport's limits: bounded lines, a JSON-RPC error for every malformed one,
and a prompt exit when stdin closes; against a real `ragex mcp` fed raw bytes."""

import threading
import time

import psutil
import pytest
from mcp.shared.message import SessionMessage
from mcp_types import JSONRPCError

from mcp_wire import RawServer, line
from ragex.mcp_transport import MAX_REQUEST_BYTES, TOO_LONG, LineFramer, check_line

PARSE_ERROR, INVALID_REQUEST, CONNECTION_CLOSED = -32700, -32600, -32000
# "at once" on a machine that other work may load heavily; the failures these bounds catch
# are a server that waits for more input or for a busy call, or reads a whole huge line
AT_ONCE = 5.0
REQ = b'{"jsonrpc":"2.0","id":5,"method":"ping","params":{"x":%s}}'

# (name, the line as sent, the error code answered, the id answered)
HOSTILE = [
    ("not json", b"{bad", PARSE_ERROR, None),
    ("truncated json", b'{"jsonrpc":"2.0","id":5,"method":"pi', PARSE_ERROR, None),
    ("raw invalid utf-8", b'{"jsonrpc":"2.0","id":5,"method":"ping","params":{"x":"\xff\xfe"}}',
     PARSE_ERROR, None),
    ("invalid utf-8 alone", b"\xff\xfe{}", PARSE_ERROR, None),
    ("escaped lone high surrogate", REQ % b'"\\ud800"', PARSE_ERROR, None),
    ("escaped lone low surrogate", REQ % b'"a\\udc00b"', PARSE_ERROR, None),
    ("NaN", REQ % b"NaN", PARSE_ERROR, None),
    ("nested 100000 deep", b"[" * 100000 + b"]" * 100000, PARSE_ERROR, None),
    ("number of 5000 digits", REQ % (b"9" * 5000), PARSE_ERROR, None),
    ("empty array", b"[]", INVALID_REQUEST, None),
    ("batch", b'[{"jsonrpc":"2.0","id":5,"method":"ping"}]', INVALID_REQUEST, None),
    ("number", b"42", INVALID_REQUEST, None),
    ("string", b'"ping"', INVALID_REQUEST, None),
    ("null", b"null", INVALID_REQUEST, None),
    ("not a message", b'{"foo":1}', INVALID_REQUEST, None),
    ("no method", b'{"jsonrpc":"2.0","id":5}', INVALID_REQUEST, 5),
    ("no jsonrpc", b'{"id":5,"method":"ping"}', INVALID_REQUEST, 5),
    ("wrong jsonrpc", b'{"jsonrpc":"1.0","id":"a","method":"ping"}', INVALID_REQUEST, "a"),
    ("method not a string", b'{"jsonrpc":"2.0","id":5,"method":7}', INVALID_REQUEST, 5),
    ("id a boolean", b'{"jsonrpc":"2.0","id":true,"method":"ping"}', INVALID_REQUEST, None),
    ("id an object", b'{"jsonrpc":"2.0","id":{},"method":"ping"}', INVALID_REQUEST, None),
    ("id null", b'{"jsonrpc":"2.0","id":null,"method":"ping"}', INVALID_REQUEST, None),
    ("id too long to echo", b'{"jsonrpc":"2.0","id":"%s"}' % (b"i" * 300), INVALID_REQUEST, None),
    ("params not an object", b'{"jsonrpc":"2.0","id":5,"method":"ping","params":3}',
     INVALID_REQUEST, 5),
    ("notification with bad method", b'{"jsonrpc":"2.0","method":null}', INVALID_REQUEST, None),
]


# ------------------------------------------------------------------ pure parts

def test_framer_joins_chunks_and_splits_lines():
    framer = LineFramer(limit=100)
    out = list(framer.feed(b'{"a"')) + list(framer.feed(b":1}\n{}\n\n{\"b\"")) + list(
        framer.feed(b":2}")) + list(framer.finish())
    assert out == [b'{"a":1}', b"{}", b"", b'{"b":2}']


def test_framer_refuses_a_long_line_once_and_never_holds_more_than_its_limit():
    framer = LineFramer(limit=1000)
    out = []
    for _ in range(5000):  # a 500 kB line in 100-byte chunks
        out += framer.feed(b"x" * 100)
        assert len(framer._line) <= 1000
    out += framer.feed(b"xx\n{}\n")
    assert out == [TOO_LONG, b"{}"]
    assert list(framer.feed(b"y" * 1000 + b"\n")) == [b"y" * 1000]  # exactly the limit is fine
    assert list(framer.feed(b"z" * 1001)) == [TOO_LONG]
    assert list(framer.finish()) == []  # a refused line is not served at end of input


@pytest.mark.parametrize("name,raw,code,request_id", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_check_line_answers_the_error_the_spec_names(name, raw, code, request_id):
    answer = check_line(raw)
    assert isinstance(answer, JSONRPCError)
    assert (answer.error.code, answer.id) == (code, request_id)
    assert len(answer.error.message) < 300


def test_check_line_passes_messages_on_and_skips_blank_lines():
    for raw in (b'{"jsonrpc":"2.0","id":1,"method":"ping"}\r',
                b'{"jsonrpc":"2.0","method":"notifications/initialized"}',
                b'{"jsonrpc":"2.0","id":1,"result":{}}',
                b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}',
                REQ % '"\\ud83d\\ude00 \u00e9"'.encode()):  # a surrogate pair is fine
        assert isinstance(check_line(raw), SessionMessage), raw
    assert check_line(b"") is None and check_line(b" \t\r") is None


# ------------------------------------------------------------ the real server

@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("transport") / "repo"
    (root / "app").mkdir(parents=True)
    (root / "app" / "server.py").write_text("class Server:\n    def serve(self):\n        pass\n")
    return root


# the server's own background work (embedding loads a model: 200 MB) is not the transport's
QUIET = {"RAGEX_EMBED_IN_BACKGROUND": "false"}


def wait_until_indexed(server):
    for _ in range(600):
        status = server.request("tools/call", {"name": "index_status", "arguments": {}})
        state = status["result"]["structuredContent"]["index_state"]
        if state.startswith("complete") and "pending" not in state:
            return
        time.sleep(0.1)
    raise AssertionError("the server's index never completed")


@pytest.fixture(scope="module")
def server(repo):
    server = RawServer(repo, env=QUIET)
    assert "result" in server.initialize()
    wait_until_indexed(server)  # measured at rest: no index job growing its memory
    yield server
    server.stop()


def assert_tools_listed(server):
    tools = server.request("tools/list")["result"]["tools"]
    assert "search_symbols" in {t["name"] for t in tools}


@pytest.mark.slow
@pytest.mark.parametrize("name,raw,code,request_id", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_every_malformed_line_is_answered_and_the_next_request_too(server, name, raw, code,
                                                                    request_id):
    server.send(raw + b"\n")
    answer = server.receive(timeout=AT_ONCE)
    assert answer["jsonrpc"] == "2.0"
    assert (answer["error"]["code"], answer["id"]) == (code, request_id)
    assert_tools_listed(server)


@pytest.mark.slow
def test_a_malformed_first_line_does_not_spoil_the_handshake(repo):
    server = RawServer(repo, "--no-index")
    try:
        server.send(b"{bad\n")
        assert server.receive(timeout=60)["error"]["code"] == PARSE_ERROR  # (start-up)
        assert "serverInfo" in server.initialize()["result"]
        assert_tools_listed(server)
    finally:
        server.stop()


@pytest.mark.slow
def test_a_huge_line_is_refused_at_once_without_being_held(server):
    process = psutil.Process(server.proc.pid)
    rss_before = process.memory_info().rss
    huge = b'{"jsonrpc":"2.0","id":77,"method":"ping","params":{"x":"' + b"a" * (32 << 20)
    started = time.monotonic()
    writer = threading.Thread(target=server.send, args=(huge + b'"}}\n',))
    writer.start()
    answer = server.receive(timeout=AT_ONCE)
    assert (answer["error"]["code"], answer["id"]) == (INVALID_REQUEST, None)
    assert answer["error"]["data"] == {"max_request_bytes": MAX_REQUEST_BYTES}
    writer.join(10)
    assert_tools_listed(server)  # the rest of the line was skipped, not served
    assert time.monotonic() - started < AT_ONCE
    assert process.memory_info().rss - rss_before < 12 << 20  # not the 32 MB line


@pytest.mark.slow
def test_a_line_just_under_the_limit_is_served(server):
    pad = MAX_REQUEST_BYTES - 100
    answer = server.request("ping", {"pad": "a" * pad})
    assert answer["result"] == {}


@pytest.mark.slow
def test_stdin_close_ends_an_idle_server_at_once(repo):
    server = RawServer(repo)
    try:
        server.initialize()
        assert server.close_stdin_and_wait() < AT_ONCE
    finally:
        server.stop()


@pytest.mark.slow
def test_stdin_close_mid_huge_line_ends_the_server_at_once(repo):
    server = RawServer(repo)
    try:
        server.initialize()
        server.send(b'{"jsonrpc":"2.0","id":8,"method":"ping","params":{"x":"' + b"a" * (16 << 20))
        assert server.receive(timeout=60)["error"]["code"] == INVALID_REQUEST
        assert server.close_stdin_and_wait() < AT_ONCE
    finally:
        server.stop()


@pytest.mark.slow
def test_stdin_close_does_not_wait_for_a_tool_call_in_flight(repo):
    server = RawServer(repo, env=QUIET)
    try:
        server.initialize()
        wait_until_indexed(server)  # the query must meet an index to be slow
        # a 4 MB query keeps a call busy for a second or more: the server used to
        # wait for it (its thread) before exiting. How long it takes here, now:
        slow = {"jsonrpc": "2.0", "method": "tools/call",
                "params": {"name": "search_symbols",
                           "arguments": {"query": "q" * (MAX_REQUEST_BYTES - 200)}}}
        started = time.monotonic()
        server.send(line({**slow, "id": 8}))
        assert server.receive(timeout=120)["id"] == 8
        busy = time.monotonic() - started
        for request_id in range(9, 15):  # six in flight: a waiting exit takes ~6 x busy
            server.send(line({**slow, "id": request_id}))
        time.sleep(0.3)
        # (a loaded machine stretches the calls and the exit alike)
        assert server.close_stdin_and_wait() < max(AT_ONCE, 0.7 * busy)
        answer = server.receive()
        assert answer is None or answer["id"] in range(9, 15)
    finally:
        server.stop()


@pytest.mark.slow
def test_an_http_body_is_bounded_to_the_same_limit(repo):
    import http.client
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ragex", "mcp", str(repo), "--http",
                             "--port", str(port), "--no-index"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        headers = {"Content-Type": "application/json",
                   "Accept": "application/json, text/event-stream"}
        for declared in (True, False):  # a Content-Length over the limit, or a body grown past it
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            if declared:
                conn.putrequest("POST", "/mcp")
                for key, value in {**headers, "Content-Length": MAX_REQUEST_BYTES + 1}.items():
                    conn.putheader(key, str(value))
                conn.endheaders()
            else:
                chunks = (b"a" * 65536 for _ in range(MAX_REQUEST_BYTES // 65536 + 1))
                conn.request("POST", "/mcp", body=chunks, headers=headers,
                             encode_chunked=True)
            assert conn.getresponse().status == 413
            conn.close()
    finally:
        proc.terminate()
        proc.wait(10)
