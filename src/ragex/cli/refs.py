"""Commands about references: `refs`, `callers`, `callees`.

Each asks one question of the library front (`Index.references`, `Index.call_hierarchy`)
and prints its `Answer`: grep-like lines or a tree, with paths relative to the current
directory, or `--json`. Notes (a cut answer, an ambiguous name, an index not complete) go
to stderr.
"""

from __future__ import annotations

import argparse

from ..callgraph import CallNode
from .common import Command, Where, print_json
from .flags import add_flags
from .query import _finish, _open


def _setup_refs(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="name, qualified name (Class.method, pkg.mod.func) or symbol id")
    add_flags(p, "ref_kind", "path_glob", "offset", "limit", "json", "index location",
              limit=50)


def run_refs(args: argparse.Namespace) -> int:
    index, where = _open(args)
    try:
        answer = index.references(args.name, kind=args.ref_kind,
                                  path_glob=where.glob(args.path_glob), limit=args.limit,
                                  offset=args.offset)
    finally:
        index.close()
    if args.json:
        print_json([hit.to_dict() for hit in answer.items])
    else:
        for hit in answer.items:
            r = hit.ref
            kind = r.kind if hit.resolution.how != "ambiguous" else \
                f"{r.kind} (ambiguous: {hit.resolution.total} candidates)"
            enclosing = hit.enclosing.qualified_name if hit.enclosing else "(file)"
            text = (hit.text or "").strip()
            print(f"{where.shown(r.path)}:{r.line}:{r.col + 1}: {kind} in {enclosing}: {text}")
    return _finish("refs", answer)


def _setup_calls(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="name, qualified name (Class.method, pkg.mod.func) or symbol id")
    add_flags(p, "call_depth", "limit", "json", "index location", limit=100)


def _run_calls(args: argparse.Namespace, direction: str, command: str) -> int:
    index, where = _open(args)
    try:
        answer = index.call_hierarchy(args.name, direction=direction, depth=args.call_depth,
                                      limit=args.limit)
    finally:
        index.close()
    if args.json:
        print_json([tree.to_dict() for tree in answer.items])
    else:
        for tree in answer.items:
            _print_tree(tree, where, direction, 0)
    return _finish(command, answer)


def _print_tree(node: CallNode, where: Where, direction: str, depth: int) -> None:
    indent = "  " * depth
    if node.symbol is not None:
        label = f"{node.symbol.kind} {node.symbol.qualified_name}  " \
                f"{where.shown(node.symbol.path)}:{node.symbol.start_line}"
    else:
        label = node.name + (f"  ({node.total_candidates} candidates)"
                             if node.total_candidates else "")
    if depth == 0:
        print(label)
    else:
        arrow = "<-" if direction == "incoming" else "->"
        sites = ", ".join(f"{where.shown(p)}:{line}" for p, line, _ in node.sites[:3])
        more = f" +{len(node.sites) - 3}" if len(node.sites) > 3 else ""
        marks = "".join([" (cycle)" if node.cycle else "",
                         " (more not shown)" if node.cut else ""])
        print(f"{indent}{arrow} {label}  [{node.how}]  at {sites}{more}{marks}")
    for child in node.children:
        _print_tree(child, where, direction, depth + 1)


def run_callers(args: argparse.Namespace) -> int:
    return _run_calls(args, "incoming", "callers")


def run_callees(args: argparse.Namespace) -> int:
    return _run_calls(args, "outgoing", "callees")


COMMANDS = (
    Command("refs", "every reference to a definition: calls, types, imports, inheritance, "
            "uses", _setup_refs, run_refs,
            "Every reference to the definition(s) NAME names, as "
            "`path:line:col: KIND in ENCLOSING: source line`; each is resolved at query time "
            "from imports and scopes (see docs/references.md)."),
    Command("callers", "who calls a definition, as a tree", _setup_calls, run_callers),
    Command("callees", "what a definition calls, as a tree", _setup_calls, run_callees),
)
