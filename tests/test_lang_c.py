"""C extraction: exact records for every kind, nesting included, plus kernel idioms."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("c", "list.c")


def test_c_records(extract):
    assert rows(extract("c", SOURCE, "list.c")) == [
        ("import", "stdio.h", None, 3, 3),
        ("import", "list.h", None, 4, 4),
        ("macro", "MAX_ITEMS", None, 6, 6),
        ("macro", "MIN", None, 7, 7),
        ("struct", "node", None, 10, 18),
        ("field", "node.value", "node", 11, 11),
        ("field", "node.next", "node", 12, 12),
        ("field", "node.compare", "node", 13, 13),
        ("field", "node.u", "node", 14, 17),
        ("field", "node.u.l", "node.u", 15, 15),
        ("field", "node.u.d", "node.u", 16, 16),
        # an anonymous struct takes its typedef's name; the extra pointer name is an alias
        ("type_alias", "point_p", None, 20, 22),
        ("struct", "point_t", None, 20, 22),
        ("field", "point_t.x", "point_t", 21, 21),
        ("field", "point_t.y", "point_t", 21, 21),
        # a named struct and its typedef are siblings; the fields belong to the struct
        ("type_alias", "list_t", None, 24, 26),
        ("struct", "list", None, 24, 26),
        ("field", "list.head", "list", 25, 25),
        ("enum", "color", None, 28, 28),
        ("enum_member", "color.RED", "color", 28, 28),
        ("enum_member", "color.GREEN", "color", 28, 28),
        ("struct", "number", None, 30, 30),
        ("field", "number.i", "number", 30, 30),
        ("field", "number.f", "number", 30, 30),
        ("type_alias", "ulong", None, 32, 32),
        ("type_alias", "cmp_fn", None, 33, 33),
        ("constant", "LIMIT", None, 35, 35),
        ("variable", "counter", None, 36, 36),
        ("variable", "ptr", None, 36, 36),
        ("variable", "shared", None, 37, 37),
        ("variable", "handler", None, 38, 38),
        ("function", "list_len", None, 40, 40),
        ("function", "node_new", None, 45, 51),
        ("function", "names", None, 53, 53),
    ]


def test_c_details(extract):
    by_name = {s.qualified_name: s for s in extract("c", SOURCE, "list.c")}
    node = by_name["node"]
    assert (node.signature, node.doc, node.native_kind) == ("struct node", "A list node.", "struct")
    assert by_name["node.value"].doc == ""  # a trailing comment documents nothing below it
    assert by_name["node.compare"].signature == \
        "int (*compare)(const struct node *, const struct node *)"
    assert by_name["number"].native_kind == "union"
    assert by_name["color.GREEN"].native_kind == "enumerator"
    assert by_name["list"].signature == "typedef struct list"
    assert by_name["list_t"].native_kind == "typedef"
    assert by_name["MIN"].signature == "#define MIN(a, b)"
    assert by_name["MAX_ITEMS"].signature == "#define MAX_ITEMS 64"
    assert by_name["stdio.h"].signature == "#include <stdio.h>"
    assert by_name["list.h"].native_kind == "include"
    fn = by_name["node_new"]
    assert fn.signature == "static struct node *node_new(int value)"
    assert fn.doc == "Allocate a node."
    assert fn.modifiers == ("static",)
    assert (fn.name_line, fn.name_col, fn.name_end_col) == (45, 20, 28)
    assert by_name["list_len"].native_kind == "prototype"
    assert by_name["names"].signature == "char **names(void)"
    limit = by_name["LIMIT"]
    assert (limit.signature, limit.modifiers) == ("static const int LIMIT = 10", ("const", "static"))
    assert by_name["shared"].modifiers == ("extern",)
    assert by_name["ptr"].signature == "int counter, *ptr = NULL"


def test_c_locals_are_not_definitions(extract):
    names = {s.name for s in extract("c", SOURCE, "list.c")}
    assert not names & {"n", "local", "helper", "a", "b"}


def test_c_multiline_macros(extract):
    source = "#define SWAP(a, b) \\\n\tdo { \\\n\t\t(a) = (b); \\\n\t} while (0)\n#define LONG \\\n\t42\n"
    got = rows(extract("c", source), "name", "signature", "start_line", "end_line")
    assert got == [("SWAP", "#define SWAP(a, b)", 1, 4), ("LONG", "#define LONG", 5, 6)]


KERNEL = '''\
static int __init foo_init(void)
{
	return 0;
}
static int __initdata boot_flag = 1;
static bool __read_mostly enabled = true;
static int pad __read_mostly = 2;
static int __maybe_unused quiet(void) { return 0; }
static DEFINE_PER_CPU(int, hits);
static DEFINE_MUTEX(big_lock);
static const struct file_operations foo_fops = {
	.owner = THIS_MODULE,
};
module_init(foo_init);
EXPORT_SYMBOL(foo_init);
SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return 0;
}
'''


def test_c_kernel_idioms(extract):
    got = rows(extract("c", KERNEL, allow_errors=True), "kind", "name", "start_line")
    assert got == [
        ("function", "foo_init", 1),
        ("variable", "boot_flag", 5),
        ("variable", "enabled", 6),
        ("variable", "pad", 7),
        ("function", "quiet", 8),
        ("variable", "hits", 9),
        ("variable", "big_lock", 10),
        ("constant", "foo_fops", 11),
    ]


def test_header_detection():
    assert language_for_path("include/list.h", b"struct node { int v; };\n") == "c"
    assert language_for_path("include/list.h", b"namespace util {\nclass List;\n}\n") == "cpp"
    assert language_for_path("src/list.c") == "c"


def test_block_macros_in_bodies_are_not_functions(extract):
    source = ("static int __maybe_unused quux(void) { return 0; }\n"
              "void f(void) {\n    int i;\n    for_each_possible_cpu(i) {\n        g(i);\n    }\n}\n")
    symbols = extract("c", source, "x.c", allow_errors=True)
    assert [(s.kind, s.name) for s in symbols] == [("function", "quux"), ("function", "f")]
