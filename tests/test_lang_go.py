"""Go extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("go", "server.go")


def test_go_records(extract):
    symbols = extract("go", SOURCE, "server/server.go")
    assert rows(symbols) == [
        ("package", "server", None, 2, 2),
        ("import", "server.fmt", "server", 4, 4),
        ("import", "server.net", "server", 7, 7),
        ("import", "server.str", "server", 8, 8),
        ("import", "server.math", "server", 9, 9),
        ("import", "server.embed", "server", 10, 10),
        ("constant", "server.MaxConns", "server", 14, 14),
        ("constant", "server.Red", "server", 18, 18),
        ("constant", "server.Green", "server", 19, 19),
        ("constant", "server.a", "server", 20, 20),
        ("constant", "server.b", "server", 20, 20),
        ("variable", "server.Default", "server", 24, 24),
        ("variable", "server.count", "server", 25, 25),
        ("variable", "server.p", "server", 26, 26),
        ("variable", "server.q", "server", 26, 26),
        ("variable", "server.x", "server", 29, 29),
        ("variable", "server.y", "server", 29, 29),
        ("type_alias", "server.Color", "server", 34, 34),
        ("type_alias", "server.Alias", "server", 36, 36),
        ("type_alias", "server.ID", "server", 39, 39),
        ("struct", "server.Pair", "server", 40, 43),
        ("field", "server.Pair.Key", "server.Pair", 41, 41),
        ("field", "server.Pair.Val", "server.Pair", 42, 42),
        ("struct", "server.Server", "server", 47, 56),
        ("field", "server.Server.Addr", "server.Server", 49, 49),
        ("field", "server.Server.a", "server.Server", 50, 50),
        ("field", "server.Server.b", "server.Server", 50, 50),
        ("field", "server.Server.Conn", "server.Server", 51, 51),
        ("field", "server.Server.Embedded", "server.Server", 52, 52),
        ("field", "server.Server.inner", "server.Server", 53, 55),
        ("field", "server.Server.inner.deep", "server.Server.inner", 54, 54),
        ("interface", "server.Handler", "server", 59, 64),
        ("method", "server.Handler.Serve", "server.Handler", 61, 61),
        ("function", "server.New", "server", 67, 74),
        ("type_alias", "server.New.localT", "server.New", 70, 70),
        ("method", "server.Server.Serve", "server.Server", 77, 79),
        ("method", "server.Server.String", "server.Server", 81, 81),
        ("method", "server.Pair.Get", "server.Pair", 83, 83),
        ("function", "server.Map", "server", 85, 87),
    ]


def test_go_details(extract):
    symbols = extract("go", SOURCE, "server/server.go")
    by_name = {s.qualified_name: s for s in symbols}
    package = by_name["server"]
    assert (package.name, package.native_kind, package.signature) == (
        "server", "package", "package server")
    assert package.doc == "Package server serves things."
    # imports: the alias when there is one, else the path; dot and blank imports by path
    assert by_name["server.str"].name == "str"
    assert by_name["server.str"].signature.startswith('import ( "net" str "strings"')
    assert by_name["server.fmt"].signature == 'import "fmt"'
    assert [s.name for s in symbols if s.kind == "import"] == [
        "fmt", "net", "str", "math", "embed"]
    assert by_name["server.MaxConns"].signature == "const MaxConns = 10"
    assert by_name["server.MaxConns"].doc == "MaxConns is the connection limit."
    assert by_name["server.MaxConns"].modifiers == ("exported",)
    assert by_name["server.Red"].signature == "Red Color = iota"
    assert by_name["server.Red"].doc == "Red is red."
    assert by_name["server.a"].modifiers == ()
    assert by_name["server.x"].signature == "var x, y int = 1, 2"
    color = by_name["server.Color"]
    assert (color.native_kind, color.signature, color.doc) == (
        "type", "type Color int", "Color is a color.")
    assert by_name["server.Alias"].native_kind == "alias"
    assert by_name["server.Alias"].signature == "type Alias = map[string]int"
    assert by_name["server.Pair"].signature == "Pair[K comparable, V any] struct"
    server = by_name["server.Server"]
    assert (server.native_kind, server.signature, server.doc) == (
        "struct", "type Server struct", "Server serves.")
    assert (server.start_col, server.name_line, server.name_col) == (0, 47, 5)
    assert by_name["server.Server.Addr"].doc == "Addr is the address."
    assert by_name["server.Server.Addr"].signature == "Addr string"
    assert by_name["server.Server.Conn"].native_kind == "embedded"
    assert by_name["server.Server.Embedded"].signature == "*Embedded"
    handler = by_name["server.Handler"]
    assert (handler.signature, handler.doc) == ("type Handler interface", "Handler handles.")
    elem = by_name["server.Handler.Serve"]
    assert elem.signature == "Serve(l net.Listener) error"
    assert elem.doc == "Serve serves."
    assert elem.modifiers == ("abstract", "exported")
    new = by_name["server.New"]
    assert (new.native_kind, new.signature, new.doc) == (
        "func", "func New() *Server", "New makes a Server.")
    serve = by_name["server.Server.Serve"]
    assert serve.signature == "func (s *Server) Serve(l net.Listener) error"
    assert serve.doc == "Serve serves on l."
    assert serve.modifiers == ("exported",)
    assert (serve.name, serve.parent) == ("Serve", "server.Server")
    assert by_name["server.Server.String"].signature == "func (s Server) String() string"
    assert by_name["server.Pair.Get"].signature == "func (p *Pair[K, V]) Get() K"
    assert by_name["server.Map"].signature == "func Map[T, U any](xs []T, f func(T) U) []U"
    source = SOURCE.encode()
    assert source[serve.start_byte:serve.end_byte].startswith(b"func (s *Server) Serve(")
    assert source[serve.start_byte:serve.end_byte].endswith(b"return nil\n}")


def test_go_locals_and_blanks_are_not_definitions(extract):
    names = {s.name for s in extract("go", SOURCE, "server/server.go")}
    assert not names & {"local", "c", "f", "_", "Stringer", "int"}


def test_go_methods_without_package_and_receiver_forms(extract):
    source = (
        "package p\n"
        "func (T) A() {}\n"
        "func (t *T) B()\n"
        "func (m Map[K, V]) C() {}\n"
        "func (m *Map[K, V]) D() {}\n"
    )
    assert rows(extract("go", source, "p.go")) == [
        ("package", "p", None, 1, 1),
        ("method", "p.T.A", "p.T", 2, 2),
        ("method", "p.T.B", "p.T", 3, 3),
        ("method", "p.Map.C", "p.Map", 4, 4),
        ("method", "p.Map.D", "p.Map", 5, 5),
    ]


def test_go_symbols_in_source_order(extract):
    symbols = extract("go", SOURCE, "server/server.go")
    starts = [(s.start_byte, -s.end_byte) for s in symbols]
    assert starts == sorted(starts)


def test_go_shebang_detection():
    assert language_for_path("tool", b"#!/usr/bin/env gorun\npackage main\n") == "go"
    assert language_for_path("x/server.go") == "go"


def test_anonymous_interfaces_in_functions_define_nothing(extract):
    source = ("package errors\n\nfunc Unwrap(err error) error {\n"
              "\tu, ok := err.(interface{ Unwrap() error })\n\treturn nil\n}\n")
    symbols = extract("go", source, "errors/wrap.go")
    assert [(s.kind, s.qualified_name) for s in symbols] == [
        ("package", "errors"), ("function", "errors.Unwrap")]
