"""C# extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("csharp", "Shape.cs")


def test_csharp_records(extract):
    assert rows(extract("csharp", SOURCE, "Shape.cs")) == [
        ("import", "System", None, 1, 1),
        ("import", "IO", None, 2, 2),
        ("import", "System.Math", None, 3, 3),
        ("namespace", "Acme.Shapes", None, 5, 44),
        # attributes are not part of the range
        ("class", "Acme.Shapes.Shape", "Acme.Shapes", 11, 40),
        ("constant", "Acme.Shapes.Shape.Max", "Acme.Shapes.Shape", 13, 13),
        ("field", "Acme.Shapes.Shape._count", "Acme.Shapes.Shape", 14, 14),
        ("field", "Acme.Shapes.Shape._total", "Acme.Shapes.Shape", 14, 14),
        ("field", "Acme.Shapes.Shape.Changed", "Acme.Shapes.Shape", 15, 15),
        ("property", "Acme.Shapes.Shape.Name", "Acme.Shapes.Shape", 17, 17),
        ("property", "Acme.Shapes.Shape.this", "Acme.Shapes.Shape", 18, 18),
        ("constructor", "Acme.Shapes.Shape.Shape", "Acme.Shapes.Shape", 20, 20),
        ("constructor", "Acme.Shapes.Shape.Shape", "Acme.Shapes.Shape", 21, 21),
        ("method", "Acme.Shapes.Shape.Shape", "Acme.Shapes.Shape", 22, 22),
        ("method", "Acme.Shapes.Shape.RunAsync", "Acme.Shapes.Shape", 25, 30),
        ("function", "Acme.Shapes.Shape.RunAsync.Local", "Acme.Shapes.Shape.RunAsync", 27, 27),
        ("method", "Acme.Shapes.Shape.+", "Acme.Shapes.Shape", 32, 32),
        ("method", "Acme.Shapes.Shape.Area", "Acme.Shapes.Shape", 33, 33),
        ("method", "Acme.Shapes.Shape.ToString", "Acme.Shapes.Shape", 34, 34),
        ("type_alias", "Acme.Shapes.Shape.Notify", "Acme.Shapes.Shape", 35, 35),
        ("struct", "Acme.Shapes.Shape.Point", "Acme.Shapes.Shape", 37, 37),
        ("field", "Acme.Shapes.Shape.Point.X", "Acme.Shapes.Shape.Point", 37, 37),
        ("enum", "Acme.Shapes.Shape.Color", "Acme.Shapes.Shape", 38, 38),
        ("enum_member", "Acme.Shapes.Shape.Color.Red", "Acme.Shapes.Shape.Color", 38, 38),
        ("enum_member", "Acme.Shapes.Shape.Color.Green", "Acme.Shapes.Shape.Color", 38, 38),
        ("interface", "Acme.Shapes.Shape.IInner", "Acme.Shapes.Shape", 39, 39),
        ("method", "Acme.Shapes.Shape.IInner.Go", "Acme.Shapes.Shape.IInner", 39, 39),
        ("property", "Acme.Shapes.Shape.IInner.P", "Acme.Shapes.Shape.IInner", 39, 39),
        ("class", "Acme.Shapes.Person", "Acme.Shapes", 42, 42),
        ("struct", "Acme.Shapes.Pt", "Acme.Shapes", 43, 43),
    ]


def test_csharp_details(extract):
    symbols = extract("csharp", SOURCE, "Shape.cs")
    by_name = {}
    for s in symbols:
        by_name.setdefault((s.qualified_name, s.start_line), s)
    first = {s.qualified_name: s for s in reversed(symbols)}
    shape = first["Acme.Shapes.Shape"]
    assert shape.signature == "public abstract partial class Shape<T> : IShape where T : struct"
    assert shape.doc == "<summary>A shape.</summary>\n<remarks>Abstract.</remarks>"
    assert shape.modifiers == ("abstract", "partial", "public")
    assert shape.decorators == ("[Serializable]", '[Obsolete("use Shape2")]')
    assert first["Acme.Shapes.Shape.Max"].modifiers == ("const", "public")
    assert first["Acme.Shapes.Shape._total"].modifiers == ("private", "readonly")
    assert first["Acme.Shapes.Shape.Changed"].native_kind == "event"
    name = first["Acme.Shapes.Shape.Name"]
    assert (name.signature, name.native_kind) == ("public string Name", "property")
    assert first["Acme.Shapes.Shape.this"].signature == "public int this[int i]"
    assert first["Acme.Shapes.Shape.this"].native_kind == "indexer"
    assert by_name[("Acme.Shapes.Shape.Shape", 20)].modifiers == ("static",)
    assert by_name[("Acme.Shapes.Shape.Shape", 21)].signature == "public Shape(int n)"
    assert by_name[("Acme.Shapes.Shape.Shape", 22)].native_kind == "destructor"
    run = first["Acme.Shapes.Shape.RunAsync"]
    assert run.signature == "public async Task<int> RunAsync(int x)"
    assert (run.doc, run.modifiers) == ("Runs it.", ("async", "public"))
    assert first["Acme.Shapes.Shape.RunAsync.Local"].native_kind == "local function"
    assert first["Acme.Shapes.Shape.+"].native_kind == "operator"
    assert first["Acme.Shapes.Shape.Area"].modifiers == ("abstract", "public")
    assert first["Acme.Shapes.Shape.ToString"].modifiers == ("override", "public")
    assert first["Acme.Shapes.Shape.Notify"].native_kind == "delegate"
    assert first["Acme.Shapes.Person"].native_kind == "record"
    assert first["Acme.Shapes.Pt"].native_kind == "record struct"
    assert first["Acme.Shapes.Pt"].modifiers == ("public", "readonly")
    assert first["IO"].signature == "using IO = System.IO"
    assert first["System.Math"].signature == "using static System.Math"


def test_csharp_locals_are_not_definitions(extract):
    names = {s.name for s in extract("csharp", SOURCE, "Shape.cs")}
    assert not names & {"tmp", "x", "y", "n"}


def test_csharp_file_scoped_namespace(extract):
    source = "namespace Acme.Tools;\n\npublic class Tool\n{\n    public void Use() { }\n}\n"
    assert rows(extract("csharp", source)) == [
        ("namespace", "Acme.Tools", None, 1, 1),
        ("class", "Acme.Tools.Tool", "Acme.Tools", 3, 6),
        ("method", "Acme.Tools.Tool.Use", "Acme.Tools.Tool", 5, 5),
    ]


def test_csharp_detection():
    assert language_for_path("src/Shape.cs") == "csharp"
    # C# scripts (`dotnet script`, .csx) are not C# source files ragex indexes
    assert language_for_path("tool", b"#!/usr/bin/env dotnet-script\n") is None
