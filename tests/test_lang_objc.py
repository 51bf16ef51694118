"""Objective-C: C plus classes, categories, protocols, selectors (objc.scm on c.scm)."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path


def test_interface_and_implementation_hold_their_methods_named_by_selector(extract):
    symbols = extract("objc", fixture_source("objc", "Shape.m"))
    methods = [(s.qualified_name, s.start_line) for s in symbols if s.kind == "method"]
    assert methods == [
        ("Drawable.draw", 6), ("Drawable.shapeWithName:", 8),
        ("Shape.initWithName:sides:", 25), ("Shape.area", 26), ("Shape.count", 27),
        ("Shape.Scaling.scaleBy:", 31),
        ("Shape.initWithName:sides:", 38), ("Shape.area", 48), ("Shape.count", 52),
        ("Shape.Scaling.scaleBy:", 59),
    ]


def test_class_methods_have_the_class_modifier(extract):
    symbols = extract("objc", fixture_source("objc", "Shape.m"))
    assert {s.name: s.modifiers for s in symbols if s.kind == "method"}["count"] == ("class",)
    assert {s.name: s.modifiers for s in symbols if s.kind == "method"}["area"] == ()


def test_categories_protocols_properties_and_ivars(extract):
    symbols = extract("objc", fixture_source("objc", "Shape.m"))
    kinds = {(s.qualified_name, s.kind, s.native_kind) for s in symbols}
    assert {("Shape.Scaling", "class", "category"), ("Drawable", "interface", "protocol"),
            ("Shape.name", "property", "property"), ("Shape._sides", "field", "ivar"),
            ("Drawable.area", "property", "property")} <= kinds


def test_c_definitions_come_from_the_c_query(extract):
    symbols = extract("objc", fixture_source("objc", "Shape.m"))
    assert ("function", "ShapeLog", None, 69, 71) in rows(symbols)
    assert ("struct", "Point", None, 64, 67) in rows(symbols)
    assert ("macro", "SHAPE_MAX", None, 73, 73) in rows(symbols)


def test_ns_enum_is_an_enum_with_its_values(extract):
    source = ("typedef NS_ENUM(NSInteger, Direction) {\n  DirectionUp,\n  DirectionDown\n};\n"
              "typedef NS_OPTIONS(NSUInteger, Mask) {\n  MaskA = 1 << 0,\n};\n")
    symbols = extract("objc", source, allow_errors=True)  # the grammar misreads the macro
    assert rows(symbols, "kind", "qualified_name", "start_line") == [
        ("enum", "Direction", 1), ("enum_member", "Direction.DirectionUp", 2),
        ("enum_member", "Direction.DirectionDown", 3), ("enum", "Mask", 5)]  # values lost


def test_a_block_property_is_named_by_its_block(extract):
    symbols = extract("objc", "@interface A\n@property (copy) void (^done)(BOOL ok);\n@end\n")
    assert rows(symbols, "kind", "qualified_name") == [("class", "A"), ("property", "A.done")]


def test_detection():
    assert language_for_path("Shape.m") == "objc"
    assert language_for_path("Bridge.mm") == "objc"
    assert language_for_path("Shape.h", fixture_source("objc", "Shape.h").encode()) == "objc"
    assert language_for_path("list.h", b"int f(void);\n") == "c"


def test_annotation_macros_are_blanked_before_parsing_and_positions_stay(extract):
    source = ("NS_ASSUME_NONNULL_BEGIN\n\n@interface Box : NSObject\n"
              "- (instancetype)init NS_UNAVAILABLE;\n"
              "- (void)open API_AVAILABLE(ios(13.0), macos(10.15));\n@end\n\n"
              "typedef enum {\n  BOX_SMALL,\n  BOX_LARGE\n} BoxSize;\n\nNS_ASSUME_NONNULL_END\n")
    symbols = extract("objc", source)  # no syntax error left
    assert rows(symbols, "kind", "qualified_name", "start_line", "start_col") == [
        ("class", "Box", 3, 0), ("method", "Box.init", 4, 0), ("method", "Box.open", 5, 0),
        ("enum", "BoxSize", 8, 0), ("enum_member", "BoxSize.BOX_SMALL", 9, 2),
        ("enum_member", "BoxSize.BOX_LARGE", 10, 2)]  # an indented value is no macro line
    by_name = {s.name: s for s in symbols}
    assert by_name["init"].signature == "- (instancetype)init NS_UNAVAILABLE"  # read as written
