"""Java extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("java", "Widget.java")

P = "com.example.app"


def test_java_records(extract):
    symbols = extract("java", SOURCE, "src/com/example/app/Widget.java")
    assert rows(symbols) == [
        ("package", "com.example.app", None, 2, 2),
        ("import", "com.example.app.List", "com.example.app", 4, 4),
        ("import", "com.example.app.*", "com.example.app", 5, 5),
        ("import", "com.example.app.max", "com.example.app", 6, 6),
        ("import", "com.example.app.*", "com.example.app", 7, 7),
        ("class", "com.example.app.Widget", "com.example.app", 16, 57),
        ("constant", "com.example.app.Widget.LIMIT", "com.example.app.Widget", 18, 18),
        ("field", "com.example.app.Widget.a", "com.example.app.Widget", 19, 19),
        ("field", "com.example.app.Widget.b", "com.example.app.Widget", 19, 19),
        ("field", "com.example.app.Widget.items", "com.example.app.Widget", 20, 20),
        ("field", "com.example.app.Widget.cache", "com.example.app.Widget", 21, 21),
        ("constructor", "com.example.app.Widget.Widget", "com.example.app.Widget", 24, 33),
        ("class", "com.example.app.Widget.Widget.Local", "com.example.app.Widget.Widget", 27, 29),
        ("method", "com.example.app.Widget.Widget.Local.run", "com.example.app.Widget.Widget.Local", 28, 28),
        ("method", "com.example.app.Widget.Widget.run", "com.example.app.Widget.Widget", 31, 31),
        ("method", "com.example.app.Widget.run", "com.example.app.Widget", 36, 36),
        ("method", "com.example.app.Widget.max", "com.example.app.Widget", 38, 40),
        ("method", "com.example.app.Widget.make", "com.example.app.Widget", 42, 42),
        ("method", "com.example.app.Widget.now", "com.example.app.Widget", 44, 44),
        ("class", "com.example.app.Widget.Nested", "com.example.app.Widget", 46, 48),
        ("field", "com.example.app.Widget.Nested.value", "com.example.app.Widget.Nested", 47, 47),
        ("class", "com.example.app.Widget.Inner", "com.example.app.Widget", 50, 52),
        ("constructor", "com.example.app.Widget.Inner.Inner", "com.example.app.Widget.Inner", 51, 51),
        ("interface", "com.example.app.Drawable", "com.example.app", 60, 65),
        ("constant", "com.example.app.Drawable.SIDES", "com.example.app.Drawable", 61, 61),
        ("method", "com.example.app.Drawable.draw", "com.example.app.Drawable", 62, 62),
        ("method", "com.example.app.Drawable.name", "com.example.app.Drawable", 63, 63),
        ("method", "com.example.app.Drawable.of", "com.example.app.Drawable", 64, 64),
        ("enum", "com.example.app.Color", "com.example.app", 67, 81),
        ("enum_member", "com.example.app.Color.RED", "com.example.app.Color", 69, 71),
        ("method", "com.example.app.Color.RED.draw", "com.example.app.Color.RED", 70, 70),
        ("enum_member", "com.example.app.Color.GREEN", "com.example.app.Color", 72, 72),
        ("enum_member", "com.example.app.Color.BLUE", "com.example.app.Color", 73, 73),
        ("field", "com.example.app.Color.code", "com.example.app.Color", 75, 75),
        ("constructor", "com.example.app.Color.Color", "com.example.app.Color", 77, 77),
        ("constructor", "com.example.app.Color.Color", "com.example.app.Color", 78, 78),
        ("method", "com.example.app.Color.draw", "com.example.app.Color", 80, 80),
        ("class", "com.example.app.Point", "com.example.app", 84, 92),
        ("field", "com.example.app.Point.x", "com.example.app.Point", 84, 84),
        ("field", "com.example.app.Point.y", "com.example.app.Point", 84, 84),
        ("constant", "com.example.app.Point.ORIGIN", "com.example.app.Point", 85, 85),
        ("constructor", "com.example.app.Point.Point", "com.example.app.Point", 87, 89),
        ("method", "com.example.app.Point.draw", "com.example.app.Point", 91, 91),
        ("interface", "com.example.app.Marker", "com.example.app", 94, 98),
        ("method", "com.example.app.Marker.value", "com.example.app.Marker", 95, 95),
        ("method", "com.example.app.Marker.priority", "com.example.app.Marker", 96, 96),
        ("constant", "com.example.app.Marker.LEVEL", "com.example.app.Marker", 97, 97),
        ("interface", "com.example.app.Shape", "com.example.app", 100, 100),
        ("class", "com.example.app.Square", "com.example.app", 102, 102),
    ]


def test_java_details(extract):
    symbols = extract("java", SOURCE, "src/com/example/app/Widget.java")
    by_name = {}
    for s in symbols:
        by_name.setdefault(s.qualified_name.replace(P + ".", ""), s)
    package = by_name[P]
    assert (package.name, package.signature, package.parent) == (P, "package " + P, None)
    imports = [(s.name, s.native_kind, s.signature) for s in symbols if s.kind == "import"]
    assert imports == [
        ("List", "import", "import java.util.List"),
        ("*", "import", "import java.util.*"),
        ("max", "static import", "import static java.lang.Math.max"),
        ("*", "static import", "import static java.lang.Math.*"),
    ]
    widget = by_name["Widget"]
    assert widget.signature == (
        "public abstract class Widget<T> extends Base implements Runnable, Comparable<T>")
    assert widget.doc == "A widget.\n\n@since 1.0"
    assert widget.modifiers == ("abstract", "public")
    assert widget.decorators == ("@Deprecated", '@SuppressWarnings("unchecked")')
    assert (widget.start_line, widget.name_line, widget.name_col) == (16, 16, 22)
    source = SOURCE.encode()
    assert source[widget.start_byte:widget.end_byte].startswith(b"public abstract class Widget")
    limit = by_name["Widget.LIMIT"]
    assert (limit.kind, limit.native_kind, limit.signature, limit.doc, limit.modifiers) == (
        "constant", "field", "public static final int LIMIT = 10", "The limit.",
        ("final", "public", "static"))
    assert by_name["Widget.b"].signature == "private int a, b = 2"
    assert by_name["Widget.cache"].modifiers == ("private", "transient", "volatile")
    ctor = by_name["Widget.Widget"]
    assert (ctor.kind, ctor.signature, ctor.doc, ctor.modifiers) == (
        "constructor", "public Widget(int a)", "Makes a widget.", ("public",))
    run = by_name["Widget.run"]
    assert (run.signature, run.modifiers, run.decorators) == (
        "public synchronized void run()", ("public", "synchronized"), ("@Override",))
    assert run.start_line == 36
    assert by_name["Widget.max"].signature == (
        "public static <U> int max(int a, int b) throws Exception")
    assert by_name["Widget.make"].modifiers == ("abstract", "protected")
    assert by_name["Widget.now"].modifiers == ("native", "public", "static")
    assert by_name["Widget.Nested"].modifiers == ("static",)
    drawable = by_name["Drawable"]
    assert (drawable.kind, drawable.doc) == ("interface", "Things that draw.")
    assert by_name["Drawable.draw"].modifiers == ("abstract",)
    assert by_name["Drawable.name"].modifiers == ("default",)
    assert by_name["Drawable.of"].modifiers == ("static",)
    assert by_name["Drawable.SIDES"].signature == "int SIDES = 4"
    red = by_name["Color.RED"]
    assert (red.native_kind, red.doc, red.signature) == ("enum constant", "Red.", 'RED("r")')
    assert by_name["Color.RED.draw"].kind == "method"
    point = by_name["Point"]
    assert (point.kind, point.native_kind, point.doc) == ("class", "record", "A point.")
    assert point.signature == "public record Point(int x, @Deprecated int y) implements Drawable"
    y = by_name["Point.y"]
    assert (y.native_kind, y.signature, y.decorators) == ("component", "int y", ("@Deprecated",))
    compact = by_name["Point.Point"]
    assert (compact.kind, compact.native_kind, compact.signature) == (
        "constructor", "compact constructor", "public Point")
    marker = by_name["Marker"]
    assert (marker.kind, marker.native_kind, marker.signature) == (
        "interface", "annotation", "@interface Marker")
    assert by_name["Marker.value"].signature == 'String value() default ""'
    assert by_name["Shape"].modifiers == ("sealed",)
    assert by_name["Square"].modifiers == ("non-sealed",)


def test_java_locals_and_anonymous_classes(extract):
    symbols = extract("java", SOURCE, "Widget.java")
    names = {s.name for s in symbols}
    assert not names & {"local", "r", "notAField", "Runnable"}
    # the anonymous class's method is nested in the constructor that creates it
    assert any(s.qualified_name == P + ".Widget.Widget.run" for s in symbols)


def test_java_qualified_type_parts_are_not_modifiers(extract):
    source = "class A {\n  jdk.internal.misc.Unsafe u;\n  public export.Thing t;\n}\n"
    symbols = {s.name: s for s in extract("java", source, "A.java")}
    assert symbols["u"].modifiers == ()
    assert symbols["t"].modifiers == ("public",)


def test_java_module_info(extract):
    symbols = extract("java", "module com.example { requires java.base; }\n", "module-info.java")
    assert rows(symbols) == [("module", "com.example", None, 1, 1)]


def test_java_symbols_in_source_order(extract):
    symbols = extract("java", SOURCE, "Widget.java")
    starts = [(s.start_byte, -s.end_byte) for s in symbols]
    assert starts == sorted(starts)


def test_java_shebang_detection():
    assert language_for_path("hello", b"#!/usr/bin/java --source 21\nclass A {}\n") == "java"
    assert language_for_path("Hello.java") == "java"
