"""Every query the library front issues uses an index: none scans the symbols table.

On a kernel-sized index (5.6 M symbols) one full scan costs seconds; a look-up that
compared `qualified_name = ?` case-sensitively against the case-insensitive index made
`ragex show schedule` take 1.7 s. Each front method runs here with SQLite's trace
callback recording the statements it sent; each is then explained, and a plan that scans
`symbols` whole fails the test (the tags file, which writes every symbol, excepted).
"""

import pytest

from ragex.config import load_config
from ragex.front import Index

SOURCE = '''\
"""A module."""
import os


class Parser:
    """Parses."""

    def parse(self, text):
        def inner():
            return text
        return inner()

    def parse_all(self, texts):
        return [self.parse(t) for t in texts]


def parse_file(path):
    return Parser().parse(open(path).read())
'''


@pytest.fixture
def index(tmp_path):
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    for i in range(3):
        (root / "pkg" / f"mod{i}.py").write_text(SOURCE)
    config = load_config(environ={}, flags={"use_parallel": "false"})
    index = Index(str(root), config=config)
    index.update()
    yield index
    index.close()


def _questions(index):
    """Every question the front answers, with arguments that reach each code path."""
    for match in ("auto", "exact", "prefix", "substring", "fuzzy"):
        yield f"search {match}", lambda m=match: index.search("parse", match=m)
    yield "search dotted", lambda: index.search("Parser.parse")
    yield "search dotted substring", lambda: index.search("mod1.Pars", match="substring")
    yield "search typo", lambda: index.search("prase_file")
    yield "search filtered", lambda: index.search("parse", kind="method", language="python",
                                                  path_glob="pkg/*")
    yield "definition", lambda: index.definition("inner")  # a parent chain of two
    yield "definition by id", lambda: index.definition("3")
    yield "outline", lambda: index.outline("pkg/mod0.py")
    yield "grep", lambda: index.grep("return", context=1)
    yield "status", lambda: index.status()


def test_no_question_scans_the_symbols_table(index):
    store = index.store()
    sent: list[str] = []
    store.conn.set_trace_callback(sent.append)
    try:
        for label, ask in _questions(index):
            sent.clear()
            answer = ask()
            assert answer is not None
            selects = [sql for sql in sent if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
            assert selects or label == "grep", label
            for sql in selects:
                plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
                scans = [step for step in plan if step.startswith("SCAN symbols")
                         or step.startswith("SCAN s ") or step == "SCAN s"]
                assert not scans, f"{label}: {sql}\n  plan: {plan}"
    finally:
        store.conn.set_trace_callback(None)


def test_the_parent_chain_keeps_the_exact_case(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("class Box:\n    def put(self):\n        pass\n")
    (root / "b.py").write_text("class box:\n    def put(self):\n        pass\n")
    index = Index(str(root), config=load_config(environ={}, flags={"use_parallel": "false"}))
    index.update()
    chains = {d.hit.symbol.path: [p.qualified_name for p in d.parents]
              for d in index.definition("put").items}
    assert chains == {"a.py": ["a.Box", "a"], "b.py": ["b.box", "b"]}
    index.close()
