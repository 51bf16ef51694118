"""References through every front: the library (`Index.references`, `.call_hierarchy`),
the `ragex refs` / `callers` / `callees` commands and the MCP tools; bad input answered
with one clear message naming the value; no query scans a table."""

import asyncio
import json
import os
import sys
import textwrap

import pytest

from ragex.cli import main
from ragex.config import load_config
from ragex.front import Index
from ragex.search import QueryError

SOURCE = {
    "pkg/__init__.py": "",
    "pkg/core.py": """\
        import os


        def parse(text):
            return tokenize(text)


        def tokenize(text):
            return text.split()


        def recurse(n):
            return recurse(n - 1) if n else ping(n)


        def ping(n):
            return pong(n)


        def pong(n):
            return ping(n)


        class Parser:
            def parse(self, text):
                return parse(text)
        """,
    "pkg/cli.py": """\
        from pkg.core import parse, Parser
        from pkg import core


        def run(argv):
            parse(argv[0])
            core.parse(argv[1])
            return Parser().parse(argv[2])


        HANDLERS = {"run": run}
        """,
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    for rel, text in SOURCE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    monkeypatch.chdir(root)
    assert main(["index", ".", "--no-progress", "--workers", "1"]) == 0
    return root


@pytest.fixture
def index(project):
    index = Index(str(project), config=load_config(environ={}, flags={"use_parallel": "false"}))
    yield index
    index.close()


def test_references_of_a_function(index):
    answer = index.references("pkg.core.parse")
    got = [(h.ref.path, h.ref.line, h.ref.kind, h.resolution.how,
            h.enclosing.qualified_name if h.enclosing else None) for h in answer.items]
    assert got == [
        ("pkg/core.py", 26, "call", "local", "pkg.core.Parser.parse"),
        ("pkg/cli.py", 1, "import", "import", "pkg.cli"),
        ("pkg/cli.py", 6, "call", "import", "pkg.cli.run"),
        ("pkg/cli.py", 7, "call", "import", "pkg.cli.run")]
    assert answer.items[2].text == "    parse(argv[0])"
    assert [t["qualified_name"] for t in answer.fields["targets"]] == ["pkg.core.parse"]
    assert not answer.truncated and answer.index_state == "complete"


def test_kinds_paths_and_pages(index):
    calls = index.references("pkg.core.parse", kind="call")
    assert {h.ref.kind for h in calls.items} == {"call"} and len(calls.items) == 3
    assert [h.ref.path for h in index.references("pkg.core.parse", path_glob="cli").items] \
        == ["pkg/cli.py"] * 3
    first = index.references("pkg.core.parse", limit=2)
    assert first.truncated and first.fields["next_offset"] == 2 and first.notes
    rest = index.references("pkg.core.parse", limit=2, offset=2)
    assert [(h.ref.line) for h in first.items + rest.items] == [26, 1, 6, 7]
    assert not rest.truncated


def test_a_method_and_a_function_of_one_name(index):
    answer = index.references("parse")
    assert len(answer.fields["targets"]) == 2 and "names 2 definitions" in answer.notes[0]
    method = index.references("Parser.parse")
    assert [(h.ref.path, h.ref.line, h.resolution.how) for h in method.items] == [
        ("pkg/cli.py", 8, "import")]


def test_a_value_use(index):
    answer = index.references("pkg.cli.run", kind="value")
    assert [(h.ref.line, h.enclosing.qualified_name) for h in answer.items] == [
        (11, "pkg.cli.HANDLERS")]


def test_callers_and_callees_with_a_cycle(index):
    incoming = index.call_hierarchy("pkg.core.parse", "incoming", depth=2)
    tree = incoming.items[0].to_dict()
    assert [(c["qualified_name"], c["resolution"], len(c["sites"])) for c in tree["children"]] \
        == [("pkg.cli.run", "import", 2), ("pkg.core.Parser.parse", "local", 1)]
    assert [c["qualified_name"] for c in tree["children"][1]["children"]] == ["pkg.cli.run"]
    outgoing = index.call_hierarchy("pkg.core.ping", "outgoing", depth=5)
    ping = outgoing.items[0]
    pong = ping.children[0]
    assert (pong.symbol.qualified_name, pong.cycle) == ("pkg.core.pong", False)
    assert (pong.children[0].symbol.qualified_name, pong.children[0].cycle) == \
        ("pkg.core.ping", True)
    assert pong.children[0].children == []
    direct = index.call_hierarchy("recurse", "outgoing")
    assert [(c.symbol.name, c.cycle) for c in direct.items[0].children] == [
        ("recurse", True), ("ping", False)]


def test_unresolved_callees_are_listed_not_dropped(index):
    tree = index.call_hierarchy("tokenize", "outgoing").items[0]
    assert [(c.name, c.how, c.symbol) for c in tree.children] == [
        ("text.split", "unresolved", None)]


def test_a_cut_hierarchy_says_so(index):
    answer = index.call_hierarchy("pkg.core.parse", "incoming", depth=3, limit=1)
    assert answer.truncated and "cut at 1" in answer.notes[-1]
    assert answer.items[0].count() == 2


def test_counts_for_get_symbol(index):
    parse = index.search("pkg.core.parse").items[0]
    assert index.call_counts(parse.id) == {"callers": 3, "ambiguous_callers": 0,
                                           "callees": 1}


@pytest.mark.parametrize("call, message", [
    (lambda i: i.references(""), "the name is empty"),
    (lambda i: i.references("parse", kind="calls"), "unknown reference kind 'calls'"),
    (lambda i: i.references("parse", limit=0), "limit must be ≥ 1, got 0"),
    (lambda i: i.references("parse", limit="many"), "limit must be a whole number, got 'many'"),
    (lambda i: i.references("parse", offset=-1), "offset must be ≥ 0, got -1"),
    (lambda i: i.call_hierarchy("parse", depth=0), "depth must be ≥ 1, got 0"),
    (lambda i: i.call_hierarchy("parse", depth=100), "depth must be between 1 and 5, got 100"),
    (lambda i: i.call_hierarchy("parse", "sideways"), "got 'sideways'"),
    (lambda i: i.call_counts(99999), "no symbol with id 99999"),
])
def test_bad_input_is_one_clear_error(index, call, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(index)


def test_unknown_names_and_huge_limits_answer(index):
    answer = index.references("no_such_name", limit=10**9)
    assert answer.items == [] and "no definition named 'no_such_name'" in answer.notes[0]
    assert index.call_hierarchy("no_such_name").items == []
    # a name nothing defines: its references, unresolved (os.path's split here)
    split = index.references("split")
    assert [(h.ref.line, h.resolution.how) for h in split.items] == [(9, "unresolved")]


def test_a_deleted_file_answers_without_its_lines(index, project):
    os.remove(project / "pkg" / "cli.py")  # not re-indexed yet
    answer = index.references("pkg.core.parse")
    assert [(h.ref.path, h.text is None) for h in answer.items][-1] == ("pkg/cli.py", True)
    index.update()
    assert [h.ref.path for h in index.references("pkg.core.parse").items] == ["pkg/core.py"]


def test_no_reference_question_scans_a_table(index):
    store = index.store()
    sent = []
    store.conn.set_trace_callback(sent.append)
    questions = [lambda: index.references("parse"), lambda: index.references("split"),
                 lambda: index.call_hierarchy("pkg.core.parse", "incoming", 3),
                 lambda: index.call_hierarchy("pkg.core.parse", "outgoing", 3),
                 lambda: index.call_counts(3), lambda: index.status()]
    try:
        for ask in questions:
            sent.clear()
            ask()
            for sql in sent:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
                scans = [s for s in plan if s.split()[:2] in (["SCAN", "symbols"],
                                                              ["SCAN", "s"], ["SCAN", "refs"],
                                                              ["SCAN", "r"])]
                assert not scans, f"{sql}\n  plan: {plan}"
    finally:
        store.conn.set_trace_callback(None)


# ------------------------------------------------------------------------- the CLI


def test_cli_refs_prints_grep_like_lines(project, capsys):
    assert main(["refs", "pkg.core.parse"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "pkg/core.py:26:16: call in pkg.core.Parser.parse: return parse(text)"
    assert lines[2] == "pkg/cli.py:6:5: call in pkg.cli.run: parse(argv[0])"
    os.chdir(project / "pkg")  # paths relative to where the user stands
    assert main(["refs", "pkg.core.parse", "--kind", "import", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(i["path"], i["line"], i["alias"] if "alias" in i else None) for i in items] == [
        ("pkg/cli.py", 1, None)]


def test_cli_callers_and_callees_trees(project, capsys):
    assert main(["callers", "pkg.core.parse", "--depth", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "function pkg.core.parse  pkg/core.py:4"
    assert out[1] == "  <- function pkg.cli.run  pkg/cli.py:5  [import]  at pkg/cli.py:6, " \
                     "pkg/cli.py:7"
    assert out[2].startswith("  <- method pkg.core.Parser.parse  pkg/core.py:25  [local]")
    assert out[3].startswith("    <- function pkg.cli.run  pkg/cli.py:5  [import]")
    assert main(["callees", "pkg.core.ping", "--depth", "3", "--json"]) == 0
    tree = json.loads(capsys.readouterr().out)[0]
    assert tree["children"][0]["children"][0]["cycle"] is True


def test_cli_bad_input(project, capsys):
    assert main(["callers", "parse", "--depth", "100"]) == 2
    assert "depth must be between 1 and 5, got 100" in capsys.readouterr().err
    assert main(["refs", "nothing_here"]) == 1
    assert "no definition named 'nothing_here'" in capsys.readouterr().err
    assert main(["refs", "parse", "--kind", "bogus"]) == 2
    assert "unknown reference kind 'bogus'" in capsys.readouterr().err


def test_cli_status_counts_references(project, capsys):
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["references_by_language"]["python"]["call"] == 11
    assert status["references"] == sum(status["references_by_language"]["python"].values())


# ------------------------------------------------------------------- the MCP server


@pytest.mark.slow
def test_mcp_tools(project):
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def scenario():
        params = StdioServerParameters(command=sys.executable,
                                       args=["-m", "ragex", "mcp", str(project), "--no-index"])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as s:
                await s.initialize()

                async def call(name, **args):
                    result = await s.call_tool(name, args)
                    return (None, result.content[0].text) if result.is_error else \
                        (result.structured_content, None)

                refs, _ = await call("find_references", name_or_id="pkg.core.parse",
                                     kind="call", limit=2)
                assert [(r["path"], r["line"], r["resolution"]) for r in refs["references"]] \
                    == [("pkg/core.py", 26, "local"), ("pkg/cli.py", 6, "import")]
                assert refs["truncated"] and refs["next_offset"] == 2
                assert refs["index_state"] == "complete"
                tree, _ = await call("call_hierarchy", name_or_id="pkg.core.ping",
                                     direction="outgoing", depth=3)
                assert tree["trees"][0]["children"][0]["children"][0]["cycle"] is True
                _, error = await call("call_hierarchy", name_or_id="ping", depth=0)
                assert "depth must be ≥ 1, got 0" in error
                _, error = await call("find_references", name_or_id="ping", kind="nope")
                assert "unknown reference kind 'nope'" in error
                symbol, _ = await call("get_symbol", name_or_id="pkg.core.tokenize")
                assert symbol["results"][0]["calls"] == {"callers": 1, "ambiguous_callers": 0,
                                                         "callees": 1}
                status, _ = await call("index_status")
                assert status["index"]["references_by_language"]["python"]["import"] == 4

    asyncio.run(asyncio.wait_for(scenario(), timeout=120))
