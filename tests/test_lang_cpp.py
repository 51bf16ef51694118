"""C++ extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("cpp", "widget.cpp")


def test_cpp_records(extract):
    assert rows(extract("cpp", SOURCE, "widget.cpp")) == [
        ("import", "vector", None, 1, 1),
        ("import", "widget.h", None, 2, 2),
        ("import", "std", None, 3, 3),
        ("import", "string", None, 4, 4),
        ("macro", "SQUARE", None, 6, 6),
        # `namespace a::b` is b inside a
        ("namespace", "gfx.detail", "gfx", 8, 30),
        # a template's range is the templated definition's (its doc sits above `template`)
        ("class", "gfx.detail.Widget", "gfx.detail", 12, 28),
        ("constructor", "gfx.detail.Widget.Widget", "gfx.detail.Widget", 14, 14),
        ("method", "gfx.detail.Widget.~Widget", "gfx.detail.Widget", 15, 15),
        ("method", "gfx.detail.Widget.draw", "gfx.detail.Widget", 16, 16),
        ("method", "gfx.detail.Widget.count", "gfx.detail.Widget", 17, 17),
        ("method", "gfx.detail.Widget.resize", "gfx.detail.Widget", 18, 18),
        ("method", "gfx.detail.Widget.operator==", "gfx.detail.Widget", 19, 19),
        ("type_alias", "gfx.detail.Widget.value_type", "gfx.detail.Widget", 20, 20),
        ("enum", "gfx.detail.Widget.Mode", "gfx.detail.Widget", 21, 21),
        ("enum_member", "gfx.detail.Widget.Mode.On", "gfx.detail.Widget.Mode", 21, 21),
        ("enum_member", "gfx.detail.Widget.Mode.Off", "gfx.detail.Widget.Mode", 21, 21),
        ("constant", "gfx.detail.Widget.kMax", "gfx.detail.Widget", 22, 22),
        ("field", "gfx.detail.Widget.n_", "gfx.detail.Widget", 25, 25),
        ("field", "gfx.detail.Widget.m_", "gfx.detail.Widget", 25, 25),
        ("struct", "gfx.detail.Widget.Inner", "gfx.detail.Widget", 26, 26),
        ("field", "gfx.detail.Widget.Inner.x", "gfx.detail.Widget.Inner", 26, 26),
        # the anonymous namespace adds no scope
        ("variable", "hidden_counter", None, 33, 33),
        # out-of-line members: the qualifier is the scope
        ("method", "gfx.detail.Widget.~Widget", "gfx.detail.Widget", 37, 37),
        ("method", "gfx.detail.Widget.resize", "gfx.detail.Widget", 39, 41),
        ("field", "gfx.detail.Widget.instances", "gfx.detail.Widget", 43, 43),
        ("struct", "rgb_t", None, 45, 45),
        ("field", "rgb_t.r", "rgb_t", 45, 45),
        ("field", "rgb_t.g", "rgb_t", 45, 45),
        ("field", "rgb_t.b", "rgb_t", 45, 45),
        ("type_alias", "IntList", None, 46, 46),
        ("constant", "kLimit", None, 47, 47),
        ("struct", "Value", None, 48, 48),
        ("field", "Value.i", "Value", 48, 48),
        ("field", "Value.f", "Value", 48, 48),
        ("enum", "Color", None, 49, 49),
        ("enum_member", "Color.RED", "Color", 49, 49),
        ("enum_member", "Color.GREEN", "Color", 49, 49),
        ("function", "twice", None, 51, 51),
        ("function", "c_entry", None, 52, 52),
    ]


def test_cpp_details(extract):
    symbols = extract("cpp", SOURCE, "widget.cpp")
    by_name = {}
    for s in symbols:
        by_name.setdefault(s.qualified_name, s)  # the in-class declaration first
    widget = by_name["gfx.detail.Widget"]
    assert widget.signature == "class Widget : public Base"
    assert widget.doc == "A drawable widget."
    assert by_name["gfx.detail"].signature == "namespace gfx::detail"
    ctor = by_name["gfx.detail.Widget.Widget"]
    assert ctor.signature == "Widget(int n)"  # member initializers are not the signature
    assert by_name["gfx.detail.Widget.~Widget"].native_kind == "destructor"
    draw = by_name["gfx.detail.Widget.draw"]
    assert (draw.native_kind, draw.modifiers) == ("prototype", ("abstract", "virtual"))
    assert draw.signature == "virtual void draw() const = 0"
    assert by_name["gfx.detail.Widget.count"].modifiers == ("static",)
    assert by_name["gfx.detail.Widget.resize"].modifiers == ("override",)
    assert by_name["gfx.detail.Widget.operator=="].signature == \
        "bool operator==(const Widget &o) const"
    assert by_name["gfx.detail.Widget.Mode"].native_kind == "enum class"
    assert by_name["gfx.detail.Widget.kMax"].modifiers == ("constexpr", "static")
    assert by_name["std"].native_kind == "using namespace"
    assert by_name["string"].signature == "using std::string"
    assert by_name["IntList"].signature == "using IntList = std::vector<int>"
    assert by_name["Value"].native_kind == "union"
    assert by_name["twice"].modifiers == ("inline",)
    assert by_name["c_entry"].native_kind == "prototype"
    out_of_line = [s for s in symbols if s.qualified_name == "gfx.detail.Widget.resize"][1]
    assert out_of_line.signature == "void gfx::detail::Widget<int>::resize(int w)"
    assert out_of_line.native_kind == "function"
    assert (out_of_line.name_line, out_of_line.name_col) == (39, 31)


def test_cpp_locals_and_friends_are_not_definitions(extract):
    names = {s.name for s in extract("cpp", SOURCE, "widget.cpp")}
    assert not names & {"local", "w", "o", "Other", "n"}


def test_cpp_export_macro_class(extract):
    source = "class GTEST_API_ TestResult {\n public:\n  TestResult();\n};\n" \
             "class Q_CORE_EXPORT QObject : public QBase {\n};\n"
    got = rows(extract("cpp", source, allow_errors=True), "kind", "name", "start_line")
    assert got == [("class", "TestResult", 1), ("class", "QObject", 5)]


def test_cpp_detection():
    assert language_for_path("src/widget.cc") == "cpp"
    assert language_for_path("include/widget.hpp") == "cpp"
    assert language_for_path("include/widget.h", b"#pragma once\n#include <vector>\n") == "cpp"
    assert language_for_path("include/widget.h", b"enum class Mode { On };\n") == "cpp"
    assert language_for_path("include/widget.h", b"#include <stdio.h>\nint f(void);\n") == "c"
