"""Rust extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("rust", "lib.rs")


def test_rust_records(extract):
    symbols = extract("rust", SOURCE, "src/lib.rs")
    assert rows(symbols) == [
        ("import", "HashMap", None, 2, 2),
        ("import", "io", None, 3, 3),
        ("import", "Read", None, 3, 3),
        ("import", "W", None, 3, 3),
        ("import", "*", None, 4, 4),
        ("import", "Config", None, 5, 5),
        ("import", "Deep", None, 5, 5),
        ("import", "O", None, 5, 5),
        ("import", "a", None, 6, 6),
        ("constant", "MAX", None, 9, 9),
        ("variable", "COUNTER", None, 10, 10),
        ("type_alias", "Result", None, 11, 11),
        ("struct", "Point", None, 16, 20),
        ("field", "Point.x", "Point", 18, 18),
        ("field", "Point.y", "Point", 19, 19),
        ("struct", "Unit", None, 22, 22),
        ("struct", "Pair", None, 23, 23),
        ("struct", "Bits", None, 25, 28),
        ("field", "Bits.i", "Bits", 26, 26),
        ("field", "Bits.f", "Bits", 27, 27),
        ("enum", "Shape", None, 31, 36),
        ("enum_member", "Shape.Circle", "Shape", 33, 33),
        ("field", "Shape.Circle.r", "Shape.Circle", 33, 33),
        ("enum_member", "Shape.Square", "Shape", 34, 34),
        ("enum_member", "Shape.Empty", "Shape", 35, 35),
        ("interface", "Draw", None, 39, 48),
        ("type_alias", "Draw.Output", "Draw", 41, 41),
        ("constant", "Draw.SIDES", "Draw", 42, 42),
        ("method", "Draw.draw", "Draw", 44, 44),
        ("method", "Draw.name", "Draw", 45, 47),
        ("class", "Point", None, 50, 60),
        ("method", "Point.new", "Point", 52, 57),
        ("function", "Point.new.helper", "Point.new", 54, 54),
        ("constant", "Point.ORIGIN", "Point", 58, 58),
        ("method", "Point.risky", "Point", 59, 59),
        ("class", "Shape", None, 62, 66),
        ("type_alias", "Shape.Output", "Shape", 63, 63),
        ("constant", "Shape.SIDES", "Shape", 64, 64),
        ("method", "Shape.draw", "Shape", 65, 65),
        ("class", "Point", None, 68, 70),
        ("method", "Point.fmt", "Point", 69, 69),
        ("class", "(u8, u8)", None, 72, 72),
        ("module", "shapes", None, 74, 80),
        ("import", "shapes.Shape", "shapes", 75, 75),
        ("module", "shapes.round", "shapes", 76, 78),
        ("function", "shapes.round.area", "shapes.round", 77, 77),
        ("module", "shapes.inline_decl", "shapes", 79, 79),
        ("module", "sibling", None, 82, 82),
        ("macro", "square", None, 86, 88),
        ("function", "abs", None, 91, 91),
        ("variable", "errno", None, 92, 92),
        ("function", "cube", None, 95, 95),
        ("function", "it_works", None, 98, 98),
    ]


def test_rust_details(extract):
    symbols = extract("rust", SOURCE, "src/lib.rs")
    by_name = {}
    for s in symbols:
        by_name.setdefault(s.qualified_name, s)  # the first `Point` is the struct
    imports = [(s.name, s.signature) for s in symbols if s.kind == "import"]
    assert imports[:4] == [
        ("HashMap", "use std::collections::HashMap"),
        ("io", "use std::io::{self, Read, Write as W}"),
        ("Read", "use std::io::{self, Read, Write as W}"),
        ("W", "use std::io::{self, Read, Write as W}"),
    ]
    assert by_name["a"].signature == "extern crate alloc as a"
    assert by_name["O"].signature == "pub use super::config::{Config, nested::{Deep, Other as O}}"
    const = by_name["MAX"]
    assert (const.native_kind, const.signature, const.doc, const.modifiers) == (
        "const", "pub const MAX: usize = 10", "Maximum size.", ("public",))
    assert by_name["COUNTER"].native_kind == "static"
    assert by_name["Result"].signature == "pub type Result<T> = std::result::Result<T, Error>"
    point = by_name["Point"]
    assert (point.kind, point.native_kind, point.signature, point.doc) == (
        "struct", "struct", "pub struct Point<T>", "A point.")
    assert point.decorators == ("#[derive(Debug, Clone)]", "#[repr(C)]")
    assert point.modifiers == ("public",)
    assert (point.start_line, point.start_col, point.name_line, point.name_col) == (16, 0, 16, 11)
    assert by_name["Point.x"].doc == "The x."
    assert by_name["Point.x"].modifiers == ("public",)
    assert by_name["Pair"].signature == "struct Pair(i32, i32)"
    assert by_name["Unit"].signature == "pub struct Unit"
    bits = by_name["Bits"]
    assert (bits.kind, bits.native_kind, bits.signature) == ("struct", "union", "pub union Bits")
    shape = by_name["Shape"]
    assert (shape.signature, shape.doc, shape.modifiers) == (
        "pub(crate) enum Shape", "Shapes.", ("public",))
    assert by_name["Shape.Circle"].doc == "A circle."
    assert by_name["Shape.Circle"].native_kind == "variant"
    assert by_name["Shape.Empty"].signature == "Empty = 3"
    draw = by_name["Draw"]
    assert (draw.kind, draw.native_kind, draw.signature, draw.doc) == (
        "interface", "trait", "pub trait Draw: Sized", "Drawable things.")
    assert by_name["Draw.draw"].modifiers == ("abstract",)
    assert by_name["Draw.draw"].signature == "fn draw(&self) -> Self::Output"
    assert by_name["Draw.draw"].doc == "Draw it."
    assert by_name["Draw.name"].modifiers == ()
    assert by_name["Draw.Output"].doc == "The output."
    impls = [(s.name, s.native_kind, s.signature) for s in symbols if s.kind == "class"]
    assert impls == [
        ("Point", "impl", "impl<T: Copy> Point<T>"),
        ("Shape", "impl", "impl Draw for Shape"),
        ("Point", "impl", "impl<T> std::fmt::Display for Point<T>"),
        ("(u8, u8)", "impl", "impl Draw for (u8, u8)"),
    ]
    new = by_name["Point.new"]
    assert (new.signature, new.doc, new.modifiers, new.native_kind) == (
        "pub fn new(x: T, y: T) -> Self", "Makes a point.", ("public",), "fn")
    assert by_name["Point.risky"].modifiers == ("async", "public", "unsafe")
    assert by_name["Point.fmt"].parent == "Point"
    assert by_name["shapes"].signature == "pub mod shapes"
    assert by_name["shapes.inline_decl"].signature == "mod inline_decl"
    square = by_name["square"]
    assert (square.native_kind, square.signature, square.doc, square.decorators) == (
        "macro_rules", "macro_rules! square", "Squares.", ("#[macro_export]",))
    assert by_name["cube"].modifiers == ("const", "public")
    assert by_name["it_works"].decorators == ("#[test]",)


def test_rust_inner_doc_is_not_the_next_items_doc(extract):
    symbols = extract("rust", "//! Crate docs.\nfn first() {}\n/// Second.\nfn second() {}\n")
    assert [(s.name, s.doc) for s in symbols] == [("first", ""), ("second", "Second.")]


def test_rust_locals_are_not_definitions(extract):
    names = {s.name for s in extract("rust", SOURCE, "src/lib.rs")}
    assert "local" not in names and "mem" not in names and "self" not in names


def test_rust_symbols_in_source_order(extract):
    symbols = extract("rust", SOURCE, "src/lib.rs")
    starts = [(s.start_byte, -s.end_byte) for s in symbols]
    assert starts == sorted(starts)


def test_rust_shebang_detection():
    assert language_for_path("script", b"#!/usr/bin/env rust-script\nfn main() {}\n") == "rust"
    assert language_for_path("script", b"#!/usr/bin/env -S cargo +nightly -Zscript\n") == "rust"


def test_rust_attributes_decorate_the_item_they_precede(extract):
    # (the query's `decorates` rule: the next named sibling past attributes and comments,
    # if it is an item; docs/queries.md)
    source = (
        "#[derive(Debug)]\n"
        "// a comment between\n"
        "#[cfg(test)]\n"
        "/* and a block one */\n"
        "#[derive(Debug)]\n"        # the same text twice: listed once
        "struct S { #[serde(skip)] a: u8, b: u8 }\n"
        "#[macro_use]\n"
        "extern crate log;\n"       # not an item the row lists: decorates nothing
        "fn plain() {}\n"
        "enum E { #[default] A, B }\n"
        "impl S {\n"
        "    #[inline]\n"
        "    #[must_use]\n"
        "    fn get(&self) -> u8 { #[allow(unused)] let x = 1; x }\n"
        "}\n")
    symbols = extract("rust", source, "lib.rs")
    by_name = {s.qualified_name: s for s in symbols if s.native_kind != "impl"}
    assert by_name["S"].decorators == ("#[derive(Debug)]", "#[cfg(test)]")
    assert [s.decorators for s in symbols if s.native_kind == "impl"] == [()]
    assert by_name["S.a"].decorators == ("#[serde(skip)]",)
    assert by_name["S.b"].decorators == ()
    assert by_name["plain"].decorators == ()
    assert by_name["E.A"].decorators == ("#[default]",)
    assert by_name["E.B"].decorators == ()
    assert by_name["S.get"].decorators == ("#[inline]", "#[must_use]")
