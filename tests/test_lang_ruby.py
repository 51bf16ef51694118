"""Ruby extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("ruby", "outer.rb")


def test_ruby_records(extract):
    assert rows(extract("ruby", SOURCE, "lib/outer.rb")) == [
        ("import", "json", None, 3, 3),
        ("import", "lib/helper", None, 4, 4),
        ("module", "Outer", None, 7, 46),
        ("constant", "Outer.VERSION", "Outer", 8, 8),
        ("module", "Outer.Inner", "Outer", 10, 45),
        ("class", "Outer.Inner.Widget", "Outer.Inner", 13, 44),
        ("property", "Outer.Inner.Widget.name", "Outer.Inner.Widget", 14, 14),
        ("property", "Outer.Inner.Widget.size", "Outer.Inner.Widget", 14, 14),
        ("property", "Outer.Inner.Widget.color", "Outer.Inner.Widget", 15, 15),
        ("field", "Outer.Inner.Widget.@@count", "Outer.Inner.Widget", 16, 16),
        ("constant", "Outer.Inner.Widget.LIMIT", "Outer.Inner.Widget", 18, 18),
        ("method", "Outer.Inner.Widget.initialize", "Outer.Inner.Widget", 21, 24),
        ("method", "Outer.Inner.Widget.create", "Outer.Inner.Widget", 26, 28),
        ("method", "Outer.Inner.Widget.registry", "Outer.Inner.Widget", 31, 33),
        ("method", "Outer.Inner.Widget.title", "Outer.Inner.Widget", 36, 36),
        ("method", "Outer.Inner.Widget.label", "Outer.Inner.Widget", 37, 37),
        ("method", "Outer.Inner.Widget.to_s", "Outer.Inner.Widget", 39, 39),
        ("method", "Outer.Inner.Widget.secret?", "Outer.Inner.Widget", 41, 41),
        ("method", "Outer.Inner.Widget.dynamic", "Outer.Inner.Widget", 43, 43),
        ("class", "Outer.Inner.Gadget", "Outer.Inner", 48, 50),
        ("method", "Outer.Inner.Gadget.run", "Outer.Inner.Gadget", 49, 49),
        ("function", "helper", None, 55, 57),
        ("class", "Point", None, 59, 64),
        ("method", "Point.dist", "Point", 60, 63),
    ]


def test_ruby_details(extract):
    by_name = {s.qualified_name: s for s in extract("ruby", SOURCE, "lib/outer.rb")}
    outer = by_name["Outer"]
    assert (outer.signature, outer.doc, outer.native_kind) == ("module Outer", "Top-level utilities.", "module")
    widget = by_name["Outer.Inner.Widget"]
    assert widget.signature == "class Widget < Base"
    # comments above the first statement of a body are found although the grammar puts
    # them before the body node
    assert widget.doc == "A widget.\nSecond line."
    init = by_name["Outer.Inner.Widget.initialize"]
    assert (init.signature, init.doc, init.native_kind) == ("def initialize(name)", "Build one.", "def")
    create = by_name["Outer.Inner.Widget.create"]
    assert (create.signature, create.modifiers, create.native_kind) == (
        "def self.create(*args)", ("static",), "def self")
    assert by_name["Outer.Inner.Widget.registry"].modifiers == ("static",)  # class << self
    secret = by_name["Outer.Inner.Widget.secret?"]
    assert (secret.signature, secret.modifiers) == ("def secret?", ("private",))
    assert by_name["Outer.Inner.Widget.to_s"].signature == "def to_s"
    size = by_name["Outer.Inner.Widget.size"]
    assert (size.name, size.native_kind, size.signature) == ("size", "attr_reader",
                                                             "attr_reader :name, :size")
    assert (size.name_line, size.name_col) == (14, 25)
    assert by_name["Outer.Inner.Widget.color"].native_kind == "attr_accessor"
    assert by_name["Outer.Inner.Widget.title"].native_kind == "alias_method"
    assert by_name["Outer.Inner.Widget.dynamic"].native_kind == "define_method"
    assert by_name["Outer.Inner.Widget.LIMIT"].signature == "LIMIT = 3"
    gadget = by_name["Outer.Inner.Gadget"]
    assert (gadget.name, gadget.signature) == ("Gadget", "class Outer::Inner::Gadget")
    assert by_name["Outer.Inner.Gadget.run"].signature == "def run"
    helper = by_name["helper"]
    assert (helper.signature, helper.doc) == ("def helper(a, b = 2, &blk)", "Free function doc.")
    point = by_name["Point"]
    assert (point.native_kind, point.signature) == ("struct", "Point = Struct.new(:x, :y)")
    dist = by_name["Point.dist"]
    assert (dist.signature, dist.doc) == ("def dist", "")  # a comment inside is no doc
    json = by_name["json"]
    assert (json.name, json.signature, json.native_kind) == ("json", 'require "json"', "require")
    assert by_name["lib/helper"].signature == "require_relative 'lib/helper'"


def test_ruby_edge_forms(extract):
    source = (
        "class Foo; end\n"
        "class Bar < Baz; end\n"
        "module ::Top\n"
        "  A, B = 1, 2\n"
        "  def Top.make(x) = x\n"
        "  # Hidden.\n"
        "  private_class_method def self.hidden; end\n"
        "  Mod = Module.new\n"
        "  Coord = Data.define(:lat, :lng)\n"
        "  alias :old_name :name\n"
        "end\n"
    )
    assert rows(extract("ruby", source), "kind", "qualified_name", "signature", "modifiers") == [
        ("class", "Foo", "class Foo", ()),
        ("class", "Bar", "class Bar < Baz", ()),
        ("module", "Top", "module ::Top", ()),
        ("constant", "Top.A", "A, B = 1, 2", ()),
        ("constant", "Top.B", "A, B = 1, 2", ()),
        ("method", "Top.make", "def Top.make(x)", ("static",)),
        ("method", "Top.hidden", "def self.hidden", ("private", "static")),
        ("module", "Top.Mod", "Mod = Module.new", ()),
        ("class", "Top.Coord", "Coord = Data.define(:lat, :lng)", ()),
        ("method", "Top.old_name", "alias :old_name :name", ()),
    ]
    hidden = [s for s in extract("ruby", source) if s.name == "hidden"][0]
    assert hidden.doc == "Hidden."  # above the `private_class_method` call


def test_locals_are_not_definitions(extract):
    names = {s.name for s in extract("ruby", SOURCE)}
    assert "local" not in names and "@name" not in names and "@registry" not in names


def test_ruby_detection():
    assert language_for_path("lib/a.rb") == "ruby"
    assert language_for_path("Rakefile") == "ruby"
    assert language_for_path("Gemfile") == "ruby"
    assert language_for_path("bin/tool", b"#!/usr/bin/env ruby\nputs 1\n") == "ruby"
    assert language_for_path("bin/tool", b"#!/usr/bin/ruby -w\n") == "ruby"
