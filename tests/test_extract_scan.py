"""A `Scan` language's query skips function bodies that define nothing: same symbols.

Python's and C's registry rows have a `Scan`: the query runs from container nodes
(module and blocks; the translation unit, #if blocks, struct and enum bodies) a level
or two deep; a function body whose text holds a mark (`def`/`class`/`type`; `#define`,
`typedef`, a struct/union/enum body) is queried whole, any other is never walked.
Every test here compares with the same query run over the whole tree (scan switched off
in a pool of its own), on tricky code and on real standard-library modules.
"""

import dataclasses
import os
import sysconfig

import pytest
from conftest import fixture_files, fixture_id, fixture_language

from ragex import extract as ex
from ragex import parser_pool
from ragex.languages import BY_NAME, LANGUAGES, Scan
from ragex.parser_pool import LanguageUnavailable, SharedParserPool

TRICKY = '''\
"""Module doc."""
import os
X = 1
if os.name == "nt":
    WIN = True
    def on_windows(): pass
else:
    WIN = False
try:
    import json
    HAVE_JSON = True
except ImportError:
    HAVE_JSON = False
finally:
    DONE = 1
for _i in range(2):
    LOOPED = _i
else:
    AFTER_LOOP = 1
with open(__file__) as _fh:
    OPENED = 1


def plain(a, b):
    """Only locals: this body is skipped."""
    total = a + b
    import sys
    for k in range(3):
        if k:
            total += (lambda v: v)(k)
    return total


def outer():
    x = 1
    def inner():
        def innermost(): pass
    class Local:
        attr = 1
        def method(self): pass
    if x:
        with open("f") as fh:
            try:
                def deep_in_try(): pass
            except Exception:
                async def deep_in_except(): pass
    while x:
        for y in range(2):
            def in_loop(): pass
        break
    match x:
        case 1:
            def in_case(): pass
    @staticmethod
    def decorated_local(): pass
    type Alias = list[int]
    return inner


def tabbed():
\tdef\tafter_tab(): pass
\tclass\tTabClass: pass


class Shape:
    """A class."""
    sides = 0
    width, height = 1, 2
    (a, b) = 3, 4

    @property
    def area(self):
        import math
        return math.pi

    @property
    def perimeter(self):
        def helper(): pass
        return helper

    def nested_class(self):
        class Inner:
            def deepest(self): pass
        return Inner


@dataclass
class Point:
    x: int = 0
    y = 0
'''

BROKEN = '''\
class Broken(Base:
    def first(self):
        # a comment
        (bar.
    baz)
    def second(self):
        def f():
            (bar.
        baz)
            return 1
        return f
def after(): pass
'''


# One pool per way, alive for the whole process as in ragex itself: py-tree-sitter 0.26.1
# can crash when a compiled query that uses both #any-of? and #set! is freed.
_WHOLE_TREE = SharedParserPool()
for _spec in LANGUAGES:
    if _spec.scan is not None:
        _WHOLE_TREE.get(_spec.name).scan = None  # the whole tree, as every other language


def _pools():
    with_scan = ex.process_parser_pool()
    assert with_scan.get("python").scan is not None and with_scan.get("c").scan is not None
    return with_scan, _WHOLE_TREE


def _both(source: bytes, pools, language: str = "python"):
    with_scan, without = pools
    module = "m" if BY_NAME[language].module_from_path else None
    a, _ = ex.extract_source(source, language, "m.py", module=module, pool=with_scan)
    b, _ = ex.extract_source(source, language, "m.py", module=module, pool=without)
    return a, b


def test_tricky_code_same_symbols():
    scanned, whole = _both(TRICKY.encode(), _pools())
    assert scanned == whole
    names = {s.qualified_name: s for s in scanned}
    for name in ["m.on_windows", "m.WIN", "m.HAVE_JSON", "m.DONE", "m.AFTER_LOOP", "m.OPENED",
                 "m.outer.inner.innermost", "m.outer.Local.attr", "m.outer.Local.method",
                 "m.outer.deep_in_try", "m.outer.deep_in_except", "m.outer.in_loop",
                 "m.outer.in_case", "m.outer.decorated_local", "m.outer.Alias",
                 "m.tabbed.after_tab", "m.tabbed.TabClass", "m.Shape.width", "m.Shape.height",
                 "m.Shape.a", "m.Shape.b", "m.Shape.perimeter.helper",
                 "m.Shape.nested_class.Inner.deepest", "m.Point.x", "m.Point.y"]:
        assert name in names, name
    # locals are not definitions of the file, skipped body or not
    for name in ["m.plain.total", "m.plain.sys", "m.outer.x", "m.Shape.area.math"]:
        assert name not in names, name
    assert names["m.plain"].doc == "Only locals: this body is skipped."
    assert names["m.Shape.sides"].native_kind == names["m.Point.y"].native_kind == "attribute"


def test_error_recovery_same_symbols():
    scanned, whole = _both(BROKEN.encode(), _pools())
    assert scanned == whole
    assert {"first", "second"} <= {s.name for s in scanned}


def test_bodies_without_marks_are_not_walked():
    loaded = ex.process_parser_pool().get("python")
    source = TRICKY.encode()
    root = loaded.parser.parse(source).root_node
    starts = ex._scan_starts(loaded.scan, root, source)
    heads = {source[n.start_byte:n.start_byte + 40].lstrip() for n in starts.whole}
    assert any(h.startswith(b"x = 1") for h in heads)  # outer's body defines: queried whole
    assert {n.type for n in starts.shallow} == {"module", "block"}
    for text in ("Only locals", "import math"):  # in plain's and area's bodies: skipped
        body = root.descendant_for_byte_range(TRICKY.index(text), TRICKY.index(text))
        while body.type != "block":
            body = body.parent
        assert not any(body.start_byte <= n.start_byte < body.end_byte
                       for n in starts.shallow + starts.whole), text


def _stdlib_sample(step: int):
    root = sysconfig.get_paths()["stdlib"]
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "site-packages")
        files += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py")]
    return files[::step]


@pytest.mark.slow
def test_stdlib_sample_same_symbols():
    pools = _pools()
    files = _stdlib_sample(15)
    assert len(files) > 80
    total = 0
    for path in files:
        with open(path, "rb") as fh:
            source = fh.read()
        scanned, whole = _both(source, pools)
        assert scanned == whole, path
        total += len(scanned)
    assert total > 3000


def test_scan_row_with_unknown_node_kind_is_a_clear_error(monkeypatch):
    spec = BY_NAME["python"]
    bad = dataclasses.replace(spec, scan=dataclasses.replace(
        spec.scan, walk=spec.scan.walk | {"no_such_statement"}))
    monkeypatch.setitem(parser_pool.BY_NAME, "python", bad)
    with pytest.raises(LanguageUnavailable, match="no node kind 'no_such_statement'"):
        SharedParserPool().get("python")


TRICKY_C = """\
#include <stdio.h>
#define TOP 1
#ifdef CONFIG_X
struct in_ifdef { int a; };
#if defined(Y)
enum nested_if { NESTED_A, NESTED_B };
#endif
#endif
extern "C" {
int in_linkage(void);
}
typedef struct { int x; struct { int deep; } inner; } anon_t;
struct __packed packed_msg {
    unsigned char cmd_id;
    unsigned short eid;
};
int param_struct(struct { int in_param; } *p) { return p->in_param; }
static int plain(int a)
{
    struct foo *p = lookup(a);
    int total = 0;
    for (int i = 0; i < a; i++) { total += i; }
    return total;
}
static void defines_inside(void)
{
    if (x) {
#define INSIDE_IF 2
    }
    struct local_def { int member; } v;
    enum { LOCAL_A = 1 } e;
    typedef int local_t;
}
static void only_define(void)
{
    int y = 0;
#define ONLY_DEFINE 4
}
static void only_typedef(void) { typedef unsigned int only_t; }
int (*table[])(void) = { [0] = (struct in_cast { int z; }) 1, };
typedef MACRO(struct in_macro { int k; }) in_macro_t;
static const struct ops o = { .f = ({ struct in_stmt_expr { int q; }; 1; }), };
if (misparsed) {
#define AFTER_MISPARSE 3
}
"""


def test_tricky_c_same_symbols():
    scanned, whole = _both(TRICKY_C.encode(), _pools(), "c")
    assert scanned == whole
    names = {s.name for s in scanned}
    for name in ["TOP", "in_ifdef", "nested_if", "NESTED_B", "in_linkage", "anon_t", "deep",
                 "cmd_id", "eid", "in_param", "plain", "INSIDE_IF", "local_def",
                 "member", "LOCAL_A", "local_t", "ONLY_DEFINE", "only_t", "AFTER_MISPARSE",
                 "in_cast", "in_macro", "in_stmt_expr"]:
        assert name in names, name
    assert "total" not in names and "p" not in names


@pytest.mark.parametrize("source, expected", [
    # extern "C" without braces: one declaration, two levels below the translation unit
    ('extern "C" int g(void);\nextern "C" struct q { int a; } qv;\n', {"g", "q", "a", "qv"}),
    # a walked node holding an error: its direct children are queried too
    ("BEGIN\nEXPORT(T)\nEXPORT(T)\nrender(T a, P *b);\n{\n", {"EXPORT", "render"}),
    # a struct body after an attribute, inside a function body
    ("void f(void) {\n  struct __attribute__((packed)) s { int a; } v;\n}\n", {"f", "s", "a"}),
    ("void f(void) {\n  struct __attribute__((aligned(8))) s2 { int b; } w;\n}\n", {"f", "s2", "b"}),
    ("void f(void) {\n#  define SPACED 1\n}\n", {"f", "SPACED"}),
])
def test_c_edge_cases_same_symbols(source, expected):
    scanned, whole = _both(source.encode(), _pools(), "c")
    assert scanned == whole
    assert expected <= {s.name for s in scanned}


@pytest.mark.parametrize("source, expected", [
    ("def f():\n    x = 1\n    def\x0cg(): pass\n", "m.f.g"),  # form feed
    ("def f():\n    x = 1\n    def\\\n  g(): pass\n", "m.f.g"),  # backslash continuation
    ("def f():\n    x = 1\n    class\\\n  C: pass\n", "m.f.C"),
    ("def f():\n    x = 1\n    async def\tg(): pass\n", "m.f.g"),
])
def test_python_marks_take_any_separator(source, expected):
    scanned, whole = _both(source.encode(), _pools())
    assert scanned == whole
    assert expected in {s.qualified_name for s in scanned}


@pytest.mark.slow
def test_big_file_in_windows_same_symbols():
    # over 2 * WINDOW_BYTES: the scan's starts are cut into byte windows
    chunk = TRICKY.replace("def ", "def w{n}_").replace("class ", "class W{n}")
    source = "\n".join(chunk.replace("{n}", str(n)) for n in range(400)).encode()
    assert len(source) > 2 * ex.WINDOW_BYTES
    scanned, whole = _both(source, _pools())
    assert scanned == whole and len(scanned) > 400 * 40


@pytest.mark.parametrize("path", [path for path in fixture_files()
                                  if BY_NAME[fixture_language(path)].scan is not None],
                         ids=fixture_id)
def test_fixtures_same_symbols(path):
    scanned, whole = _both(path.read_bytes(), _pools(), fixture_language(path))
    assert scanned == whole and len(scanned) >= 20


def test_scan_is_registry_data():
    assert isinstance(BY_NAME["python"].scan, Scan) and isinstance(BY_NAME["c"].scan, Scan)
    assert all(spec.scan is None for name, spec in BY_NAME.items() if name not in ("python", "c"))
