"""TypeScript and TSX extraction: exact records for every kind, nesting included."""

from conftest import fixture_source, rows

from ragex.languages import language_for_path

SOURCE = fixture_source("typescript", "repo.ts")

RECORDS = [
    ("import", "express", None, 1, 1),
    ("import", "Router", None, 1, 1),
    ("import", "Req", None, 1, 1),
    ("import", "path", None, 2, 2),
    ("import", "fs", None, 3, 3),
    ("constant", "VERSION", None, 5, 5),
    ("variable", "hits", None, 6, 6),
    ("interface", "Page", None, 9, 15),
    ("field", "Page.items", "Page", 10, 10),
    ("field", "Page.total", "Page", 11, 11),
    ("method", "Page.next", "Page", 12, 12),
    ("property", "Page.size", "Page", 13, 13),
    ("constructor", "Page.new", "Page", 14, 14),
    ("type_alias", "Id", None, 17, 17),
    ("type_alias", "Point", None, 18, 18),
    ("field", "Point.x", "Point", 18, 18),
    ("method", "Point.move", "Point", 18, 18),
    ("enum", "Color", None, 20, 23),
    ("enum_member", "Color.Red", "Color", 21, 21),
    ("enum_member", "Color.Green", "Color", 22, 22),
    ("class", "Repo", None, 26, 40),
    ("field", "Repo.instances", "Repo", 27, 27),
    ("field", "Repo.#cache", "Repo", 28, 28),
    ("field", "Repo.name", "Repo", 29, 29),
    ("constructor", "Repo.constructor", "Repo", 31, 33),
    ("method", "Repo.fetch", "Repo", 35, 35),
    ("property", "Repo.count", "Repo", 37, 39),
    ("class", "UserRepo", None, 43, 57),
    ("field", "UserRepo.label", "UserRepo", 44, 44),
    ("method", "UserRepo.find", "UserRepo", 46, 46),
    ("method", "UserRepo.find", "UserRepo", 47, 47),
    ("method", "UserRepo.find", "UserRepo", 48, 50),
    ("method", "UserRepo.onClick", "UserRepo", 54, 54),
    ("method", "UserRepo.fetch", "UserRepo", 56, 56),
    ("function", "parse", None, 59, 59),
    ("function", "parse", None, 60, 60),
    ("function", "parse", None, 61, 63),
    ("function", "identity", None, 65, 65),
    ("namespace", "Geometry.Shapes", None, 67, 73),
    ("constant", "Geometry.Shapes.UNIT", "Geometry.Shapes", 68, 68),
    ("function", "Geometry.Shapes.area", "Geometry.Shapes", 69, 72),
    ("module", "config", None, 75, 77),
    ("function", "config.load", "config", 76, 76),
    ("namespace", "global", None, 79, 83),
    ("interface", "global.Window", "global", 80, 82),
    ("field", "global.Window.appVersion", "global.Window", 81, 81),
    ("function", "legacy", None, 85, 85),
    ("constant", "BUILD", None, 86, 86),
]


def test_typescript_records(extract):
    assert rows(extract("typescript", SOURCE, "repo.ts")) == RECORDS


def test_tsx_grammar_gives_the_same_records(extract):
    assert rows(extract("tsx", SOURCE, "repo.tsx")) == RECORDS


def test_typescript_details(extract):
    symbols = extract("typescript", SOURCE, "repo.ts")
    by_name = {s.qualified_name: s for s in symbols}
    page = by_name["Page"]
    assert page.signature == "interface Page<T> extends Iterable<T>"
    assert page.doc == "A page of results."
    assert page.modifiers == ("exported",)
    assert by_name["Page.next"].signature == "next(cursor: string): Promise<Page<T>>"
    assert by_name["Page.total"].modifiers == ("readonly",)
    assert by_name["Page.size"].native_kind == "getter"
    assert by_name["Page.new"].native_kind == "construct_signature"
    assert by_name["Id"].signature == "type Id = string | number"
    assert by_name["Color"].signature == "const enum Color"
    assert by_name["Color.Green"].signature == "Green = 'green'"
    repo = by_name["Repo"]
    assert repo.signature == "abstract class Repo<T extends { id: Id }> implements Iterable<T>"
    assert repo.modifiers == ("abstract", "exported")
    assert repo.native_kind == "abstract_class"
    assert repo.doc == "Base of all repositories."
    assert by_name["Repo.instances"].modifiers == ("protected", "static")
    assert by_name["Repo.#cache"].modifiers == ("private",)
    assert by_name["Repo.name"].modifiers == ("private", "readonly")
    assert by_name["Repo.fetch"].modifiers == ("abstract",)
    assert by_name["Repo.fetch"].signature == "abstract fetch(id: Id): Promise<T>"
    assert by_name["Repo.count"].modifiers == ("public",)
    user_repo = by_name["UserRepo"]
    assert user_repo.decorators == ("@Injectable({ providedIn: 'root' })",)
    assert user_repo.signature == "class UserRepo extends Repo<User>"
    assert by_name["UserRepo.label"].decorators == ("@Input()",)
    assert by_name["UserRepo.label"].signature == "label = 'users'"
    on_click = by_name["UserRepo.onClick"]
    assert on_click.decorators == ("@HostListener('click')", "@Throttle(100)")
    assert on_click.modifiers == ("async", "protected")
    assert on_click.signature == "protected async onClick(event: MouseEvent): Promise<void>"
    fetch = by_name["UserRepo.fetch"]
    assert fetch.modifiers == ("async", "override")
    assert fetch.signature == "override fetch = async (id: Id): Promise<User> =>"
    overloads = [s for s in symbols if s.qualified_name == "parse"]
    assert [(s.native_kind, s.signature) for s in overloads] == [
        ("function_signature", "function parse(input: string): Id"),
        ("function_signature", "function parse(input: number): Id"),
        ("function", "function parse(input: string | number): Id"),
    ]
    assert by_name["identity"].signature == "const identity = <T,>(value: T): T =>"
    assert by_name["Geometry.Shapes"].native_kind == "namespace"
    assert by_name["Geometry.Shapes.UNIT"].modifiers == ("exported",)
    assert by_name["config"].modifiers == ("declare",)
    assert by_name["legacy"].modifiers == ("declare",)
    assert by_name["legacy"].signature == "function legacy(x: number): void"
    assert by_name["BUILD"].signature == "const BUILD: string"
    imports = {s.name: s for s in symbols if s.kind == "import"}
    assert imports["Req"].signature == (
        "import express, { Router, type Request as Req } from 'express'")
    assert imports["fs"].native_kind == "import_require"


def test_locals_are_not_definitions(extract):
    names = {s.name for s in extract("typescript", SOURCE, "repo.ts")}
    assert "squared" not in names


TSX = """\
import React from 'react';

interface Props {
  title: string;
}

/** The dialog. */
export const Dialog: React.FC<Props> = ({ title }) => {
  const [open, setOpen] = React.useState(false);
  return <div onClick={() => setOpen(!open)}>{title}</div>;
};

export default function App<T,>(props: { items: T[] }) {
  return <ul>{props.items.map((i) => <li>{String(i)}</li>)}</ul>;
}
"""


def test_tsx_records(extract):
    symbols = extract("tsx", TSX, "app.tsx")
    assert rows(symbols) == [
        ("import", "React", None, 1, 1),
        ("interface", "Props", None, 3, 5),
        ("field", "Props.title", "Props", 4, 4),
        ("function", "Dialog", None, 8, 11),
        ("function", "App", None, 13, 15),
    ]
    dialog = symbols[3]
    assert dialog.signature == "const Dialog: React.FC<Props> = ({ title }) =>"
    assert dialog.doc == "The dialog."
    assert symbols[4].modifiers == ("default", "exported")


def test_detection():
    assert language_for_path("scripts/build", b"#!/usr/bin/env ts-node\n") == "typescript"
    assert language_for_path("scripts/build", b"#!/usr/bin/env tsx\n") == "typescript"
    assert language_for_path("a.ts") == "typescript"
    assert language_for_path("a.mts") == "typescript"
    assert language_for_path("a.d.ts") == "typescript"
    assert language_for_path("a.tsx") == "tsx"
