"""JavaScript extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("javascript", "app.jsx")


def test_javascript_records(extract):
    assert rows(extract("javascript", SOURCE, "app.jsx")) == [
        ("import", "React", None, 1, 1),
        ("import", "useState", None, 1, 1),
        ("import", "useFx", None, 1, 1),
        ("import", "path", None, 2, 2),
        ("import", "fs", None, 4, 4),
        ("import", "join", None, 4, 4),
        ("import", "res", None, 4, 4),
        ("constant", "MAX_RETRIES", None, 7, 7),
        ("variable", "counter", None, 8, 8),
        ("variable", "first", None, 8, 8),
        ("variable", "second", None, 8, 8),
        ("variable", "legacy", None, 9, 9),
        ("function", "add", None, 15, 21),
        ("function", "add.inner", "add", 17, 19),
        ("function", "ids", None, 23, 25),
        ("function", "fetchJson", None, 27, 30),
        ("function", "legacyFn", None, 31, 31),
        ("class", "Shape", None, 35, 60),
        ("field", "Shape.count", "Shape", 36, 36),
        ("field", "Shape.#secret", "Shape", 37, 37),
        ("method", "Shape.onClick", "Shape", 38, 40),
        ("constructor", "Shape.constructor", "Shape", 42, 45),
        ("property", "Shape.area", "Shape", 48, 50),
        ("property", "Shape.area", "Shape", 52, 52),
        ("method", "Shape.create", "Shape", 55, 57),
        ("method", "Shape.#hidden", "Shape", 59, 59),
        ("constant", "api", None, 62, 65),
        ("method", "api.get", "api", 63, 63),
        ("method", "api.post", "api", 64, 64),
        ("method", "Shape.describe", "Shape", 67, 69),
        ("function", "helper", None, 71, 71),
        ("class", "default", None, 73, 77),
        ("method", "default.render", "default", 74, 76),
    ]


def test_javascript_details(extract):
    symbols = extract("javascript", SOURCE, "app.jsx")
    by_name = {s.qualified_name: s for s in symbols}
    add = by_name["add"]
    assert add.signature == "function add(a, b)"
    assert add.doc == "Adds two numbers.\n@param {number} a"
    assert add.modifiers == ("exported",)
    assert add.native_kind == "function"
    assert by_name["ids"].native_kind == "generator"
    assert by_name["ids"].signature == "function* ids()"
    fetch = by_name["fetchJson"]
    assert fetch.signature == "const fetchJson = async (url, opts = {}) =>"
    assert fetch.modifiers == ("async", "exported")
    assert fetch.native_kind == "arrow_function"
    assert by_name["legacyFn"].signature == "var legacyFn = function (a)"
    assert by_name["MAX_RETRIES"].doc == "Maximum retries."
    assert by_name["MAX_RETRIES"].signature == "const MAX_RETRIES = 3"
    assert by_name["MAX_RETRIES"].native_kind == "const"
    assert [by_name[n].native_kind for n in ("counter", "legacy")] == ["let", "var"]
    shape = by_name["Shape"]
    assert shape.signature == "class Shape extends Base"
    assert shape.doc == "A shape."
    assert shape.decorators == ("@register",)
    assert (shape.start_line, shape.start_col) == (35, 0)  # the decorator is excluded
    assert SOURCE.encode()[shape.start_byte:].startswith(b"class Shape")
    assert (shape.name_line, shape.name_col, shape.name_end_col) == (35, 6, 11)
    create = by_name["Shape.create"]
    assert create.signature == "static async create()"
    assert create.modifiers == ("async", "static")
    assert create.decorators == ("@memoize",)
    assert by_name["Shape.count"].modifiers == ("static",)
    assert by_name["Shape.#secret"].modifiers == ("private",)
    assert by_name["Shape.#hidden"].modifiers == ("private",)
    assert by_name["Shape.onClick"].signature == "onClick = (e) =>"
    assert by_name["Shape.constructor"].signature == "constructor(name)"
    area = [s for s in symbols if s.qualified_name == "Shape.area"]
    assert [(s.native_kind, s.doc) for s in area] == [("getter", "The area."), ("setter", "")]
    assert by_name["Shape.describe"].native_kind == "prototype_method"
    assert by_name["api.post"].native_kind == "object_method"
    assert by_name["helper"].modifiers == ("exported",)
    default = by_name["default"]
    assert default.modifiers == ("default", "exported")
    assert default.signature == "class"
    imports = {s.name: s for s in symbols if s.kind == "import"}
    assert imports["useFx"].signature == (
        "import React, { useState, useEffect as useFx } from 'react'")
    assert imports["path"].signature == "import * as path from 'path'"
    assert imports["res"].native_kind == "require"
    assert imports["res"].signature == (
        "const fs = require('fs'), { join, resolve: res } = require('path')")


def test_locals_are_not_definitions(extract):
    names = {s.name for s in extract("javascript", SOURCE, "app.jsx")}
    assert not names & {"local", "i", "notModuleLevel"}


def test_symbols_in_source_order(extract):
    symbols = extract("javascript", SOURCE, "app.js")
    starts = [s.start_byte for s in symbols]
    assert starts == sorted(starts)


def test_commonjs_and_module_exports(extract):
    source = """\
const { readFile } = require("fs");
module.exports = class Parser {
  parse() {}
};
exports.run = function (argv) {
  const nested = require("nested");
};
module.exports = {
  create(context) {
    function report() {}
  },
};
Parser.make = () => new Parser();
"""
    assert rows(extract("javascript", source, "lib.cjs"), "kind", "qualified_name", "modifiers") == [
        ("import", "readFile", ()),
        ("class", "Parser", ("exported",)),
        ("method", "Parser.parse", ()),
        ("function", "run", ("exported",)),
        ("function", "create", ("exported",)),
        ("function", "create.report", ()),
        ("method", "Parser.make", ()),
    ]


def test_default_exported_function(extract):
    symbols = extract("javascript", "export default async function () {}\n", "m.mjs")
    assert rows(symbols, "kind", "name", "modifiers", "signature") == [
        ("function", "default", ("async", "default", "exported"), "async function ()"),
    ]


def test_detection():
    assert language_for_path("bin/tool", b"#!/usr/bin/env node\nconsole.log(1)\n") == "javascript"
    assert language_for_path("bin/tool", b"#!/usr/local/bin/node --harmony\n") == "javascript"
    for name in ("a.js", "a.jsx", "a.mjs", "a.cjs"):
        assert language_for_path(name) == "javascript"


def test_anonymous_module_exports_are_named_exports(extract):
    symbols = extract("javascript", "module.exports = function (a, b) {\n  return a;\n};\n",
                      "lib/options.js")
    assert [(s.kind, s.name, s.start_line, s.modifiers) for s in symbols] == [
        ("function", "exports", 1, ("exported",))]
