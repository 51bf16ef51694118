"""The library front (`ragex.front.Index`): one method per question, one Answer, one set of
limits, the same for the CLI, the MCP service and a Python caller."""

import json
import os
import sysconfig

import pytest

from ragex.config import load_config
from ragex.front import Index, Limits
from ragex.search import QueryError
from ragex.service import MAX_ANSWER_BYTES, RagexService

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": "false"})
TKINTER = os.path.join(sysconfig.get_paths()["stdlib"], "tkinter", "__init__.py")


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    lines = ["class Big:"]
    for i in range(60):
        lines += [f"    def m{i}(self):", f"        def inner{i}():", "            pass"]
    (root / "big.py").write_text("\n".join(lines) + "\n")
    (root / "small.py").write_text("def helper():\n    return 1  # marker\n")
    index = Index(str(root), config=SEQUENTIAL)
    index.update()
    yield index
    index.close()


def test_outline_pages_depth_and_kinds(project):
    whole = project.outline("big.py")
    assert whole.fields["total"] == 1 + 1 + 60 * 2 and not whole.truncated  # module, class
    page = project.outline("big.py", offset=0, limit=10)
    assert page.truncated and page.fields["next_offset"] == 10
    assert "offset 10" in page.notes[0]
    rest = project.outline("big.py", offset=10, limit=1000)
    assert not rest.truncated and rest.fields["next_offset"] is None

    def names(nodes):
        return [n.symbol.name for n in nodes] + [x for n in nodes for x in names(n.children)]

    assert len(names(page.items)) == 10 and len(names(rest.items)) == 112
    assert set(names(page.items)).isdisjoint(names(rest.items))
    top = project.outline("big.py", depth=2)  # module > class: no methods
    assert names(top.items) == ["big", "Big"]
    methods = project.outline("big.py", kind="method")
    assert {n.symbol.kind for n in methods.items} == {"method"} and len(methods.items) == 60
    for bad in ({"depth": 0}, {"offset": -1}, {"kind": "gizmo"}, {"limit": "lots"}):
        with pytest.raises(QueryError):
            project.outline("big.py", **bad)


def test_limits_cut_and_say_so(project):
    capped = Index(project.root, config=SEQUENTIAL, limits=Limits(max_items=5))
    answer = capped.search("m", match="prefix", limit=1000)
    assert len(answer.items) == 5 and answer.truncated and "at most 5" in answer.notes[0]
    answer = project.search("inner", match="prefix", limit=3)
    assert len(answer.items) == 3 and answer.truncated and "raise the limit" in answer.notes[0]
    answer = project.grep("pass", limit=2)
    assert len(answer.items) == 2 and answer.truncated
    capped.close()


def test_grep_context_and_definitions(project):
    hit = project.grep("marker", context=3).items[0]
    assert hit.path == "small.py" and hit.before == ["def helper():"] and hit.after == []
    assert hit.symbol.name == "helper"
    found = project.definition("inner3")
    assert [p.qualified_name for p in found.items[0].parents] == ["big.Big.m3", "big.Big", "big"]
    assert "def inner3():" in found.items[0].code
    missing = project.definition("nothing_here")
    assert not missing.items and "no definition named" in missing.notes[0]


def test_confinement_is_the_fronts(project, tmp_path):
    outside = tmp_path / "outside.py"
    outside.write_text("def secret(): pass\n")
    os.symlink(outside, os.path.join(project.root, "link.py"))
    for path in ("../outside.py", str(outside), "link.py", "a/../../outside.py", "x\0y"):
        with pytest.raises(QueryError):
            project.outline(path)


@pytest.mark.slow
def test_a_big_outline_is_cut_not_emptied(tmp_path):
    root = tmp_path / "tk"
    root.mkdir()
    (root / "tkinter_init.py").write_bytes(open(TKINTER, "rb").read())
    service = RagexService(str(root), config=SEQUENTIAL)
    service.index.update()
    answer = service.file_outline("tkinter_init.py")
    assert len(json.dumps(answer).encode()) <= MAX_ANSWER_BYTES
    assert answer["symbols"] and answer["truncated"] and answer["next_offset"]
    shown = answer["next_offset"]
    while answer["next_offset"]:
        answer = service.file_outline("tkinter_init.py", offset=answer["next_offset"])
        assert answer["symbols"]
    assert answer["offset"] >= shown and answer["total"] > 700
    service.index.close()
