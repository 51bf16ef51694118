"""Questions over references: who uses a definition, who calls it, what it calls.

Each function takes an open `IndexStore` and the definitions a question is about, reads
the stored references, resolves them (`references.Resolver`) and returns plain records
that the library front (`front.Index.references`, `.call_hierarchy`, `.call_counts`)
wraps in an `Answer`. Every edge says how it was resolved (`references.HOWS`).

Not for: resolving (references), finding the definitions a name names (search) or wire
formats (cli, mcp_server).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional, Sequence

from .reference import CALL_KINDS
from .references import RESOLVED, Def, Ref, Resolution, Resolver
from .store import IndexStore

_BATCH = 256  # references read per statement while an answer fills up
SHOWN_CANDIDATES = 10  # candidates an edge lists (their total is given)


def def_dict(d: Def) -> dict[str, Any]:
    return {"id": d.id, "name": d.name, "qualified_name": d.qualified_name, "kind": d.kind,
            "path": d.path, "line": d.start_line}


@dataclass
class RefHit:
    """One reference to the definitions asked about, with where it is and how it resolved."""

    ref: Ref
    resolution: Resolution
    enclosing: Optional[Def]
    text: Optional[str] = None  # the source line, when read

    def to_dict(self) -> dict[str, Any]:
        r = self.ref
        d: dict[str, Any] = {
            "path": r.path, "line": r.line, "col": r.col, "name": r.name, "kind": r.kind,
            "qualifier": r.qualifier, "resolution": self.resolution.how,
            "enclosing": def_dict(self.enclosing) if self.enclosing else None}
        if r.alias:
            d["alias"] = r.alias
        d.update(_targets(self.resolution))
        if self.text is not None:
            d["text"] = self.text
        return d


def _targets(resolution: Resolution) -> dict[str, Any]:
    shown = resolution.targets[:SHOWN_CANDIDATES]
    out: dict[str, Any] = {"targets": [def_dict(t) for t in shown]}
    if resolution.total > len(shown):
        out["more_targets"] = resolution.total - len(shown)
    return out


@dataclass
class Scan:
    """How many references of the names asked about a question may read (None: all), and
    how many it read: a name used 100,000 times in the index is not resolved whole to
    answer a page or a count."""

    limit: Optional[int] = None
    read: int = 0
    cut: bool = False


def iter_references(store: IndexStore, resolver: Resolver, targets: Sequence[Def],
                    kinds: Optional[Sequence[str]] = None, path_glob: Optional[str] = None,
                    scan: Optional[Scan] = None,
                    names: Sequence[str] = ()) -> Iterator[RefHit]:
    """The references whose candidates include one of `targets`, in index order (by file,
    then position); references of the same name resolved elsewhere are left out. With no
    target, the references named `names` whatever they resolve to."""
    wanted = {t.id for t in targets}
    files = {t.file_id for t in targets}
    scan = scan or Scan()
    for name in dict.fromkeys([t.name for t in targets] or names):
        after = None
        while True:
            rows = store.refs_named(name, kinds, path_glob, after, _BATCH)
            for row in rows:
                if scan.limit is not None and scan.read >= scan.limit:
                    scan.cut = True
                    return
                scan.read += 1
                ref = Ref(*row)
                if wanted and not resolver.may_reach(ref, files):
                    continue
                resolution = resolver.resolve(ref)
                if not wanted or any(t.id in wanted for t in resolution.targets):
                    ctx = resolver.file(ref.file_id)
                    enclosing = resolver.enclosing(ctx, ref.line, ref.col) if ctx else None
                    yield RefHit(ref, resolution, enclosing)
            if len(rows) < _BATCH:
                break
            last = rows[-1]
            after = (last[0], last[3], last[4])


def add_source_lines(root: str, hits: Sequence[RefHit], max_chars: int = 300) -> None:
    """Fill each hit's `text` with its source line (as the file is now)."""
    lines_of: dict[str, list[bytes]] = {}
    for hit in hits:
        lines = lines_of.get(hit.ref.path)
        if lines is None:
            try:
                with open(os.path.join(root, hit.ref.path), "rb") as fh:
                    lines = fh.read().split(b"\n")
            except OSError:
                lines = []
            lines_of[hit.ref.path] = lines
        if 0 < hit.ref.line <= len(lines):
            text = lines[hit.ref.line - 1].decode("utf-8", "replace").rstrip("\r")
            hit.text = text if len(text) <= max_chars else text[:max_chars - 1] + "…"


# ------------------------------------------------------------------ call hierarchy


@dataclass
class CallNode:
    """One node of a call hierarchy: a definition (or, for an edge ragex could not pin to
    one definition, the name and its candidates), the call sites of its edge to the
    parent node, and its own callers or callees."""

    symbol: Optional[Def]
    name: str
    how: str  # how the edge to the parent resolved ("root" for the root)
    sites: list[tuple[str, int, int]] = field(default_factory=list)  # (path, line, col)
    candidates: tuple[Def, ...] = ()
    total_candidates: int = 0
    children: list["CallNode"] = field(default_factory=list)
    cycle: bool = False  # the definition is already on the path from the root: not expanded
    cut: bool = False  # it has more callers/callees than the limit let in

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "resolution": self.how}
        if self.symbol is not None:
            d.update(def_dict(self.symbol))
            d["name"] = self.name
        if self.sites:
            d["sites"] = [{"path": p, "line": line, "col": col} for p, line, col in self.sites]
        if self.candidates:
            d["targets"] = [def_dict(t) for t in self.candidates[:SHOWN_CANDIDATES]]
            if self.total_candidates > SHOWN_CANDIDATES:
                d["more_targets"] = self.total_candidates - SHOWN_CANDIDATES
        if self.cycle:
            d["cycle"] = True
        if self.cut:
            d["truncated"] = True
        d["children"] = [c.to_dict() for c in self.children]
        return d

    def count(self) -> int:
        return 1 + sum(c.count() for c in self.children)


class _Budget:
    def __init__(self, nodes: int) -> None:
        self.left = nodes
        self.cut = False


def call_hierarchy(store: IndexStore, resolver: Resolver, root: Def, direction: str,
                   depth: int, max_nodes: int) -> CallNode:
    """The callers (`incoming`) or callees (`outgoing`) of `root`, `depth` levels deep, at
    most `max_nodes` nodes below the root (the cut nodes say so)."""
    top = CallNode(root, root.name, "root")
    budget = _Budget(max_nodes)
    step = _callers if direction == "incoming" else _callees
    _expand(store, resolver, top, step, depth, budget, (root.id,))
    return top


def _expand(store, resolver, node: CallNode, step, depth: int, budget: _Budget,
            path: tuple[int, ...]) -> None:
    if depth <= 0 or node.symbol is None:
        return
    scan = Scan(max(1000, 10 * budget.left))
    children = step(store, resolver, node.symbol, scan)
    if scan.cut:
        node.cut = budget.cut = True
    for child in children:
        if budget.left <= 0:
            node.cut = budget.cut = True
            return
        budget.left -= 1
        node.children.append(child)
    for child in node.children:
        if child.symbol is None:
            continue
        if child.symbol.id in path:
            child.cycle = True
            continue
        _expand(store, resolver, child, step, depth - 1, budget, path + (child.symbol.id,))


def _rank(node: CallNode) -> tuple:
    return (node.how not in RESOLVED, node.symbol is None, node.sites[0] if node.sites else ())


def _callees(store: IndexStore, resolver: Resolver, caller: Def,
             scan: Optional[Scan] = None) -> list[CallNode]:
    """What `caller` calls: one node per definition called (or per unresolved name)."""
    ctx = resolver.file(caller.file_id)
    if ctx is None:
        return []
    nodes: dict[Any, CallNode] = {}
    for row in store.refs_in(caller.file_id, caller.start_line, caller.end_line, CALL_KINDS):
        ref = Ref(*row)
        enclosing = resolver.enclosing(ctx, ref.line, ref.col)
        if enclosing is None or enclosing.id != caller.id:
            continue  # in a nested definition, or outside the definition's columns
        resolution = resolver.resolve(ref)
        site = (ref.path, ref.line, ref.col)
        if resolution.how in RESOLVED:
            target = resolution.targets[0]
            key: Any = target.id
            node = nodes.get(key)
            if node is None:
                node = nodes[key] = CallNode(target, target.name, resolution.how)
        else:
            key = (resolution.how, ref.name, ref.qualifier)
            node = nodes.get(key)
            if node is None:
                node = nodes[key] = CallNode(None, ref.qualifier + ref.name, resolution.how,
                                             candidates=resolution.targets,
                                             total_candidates=resolution.total)
        node.sites.append(site)
    return sorted(nodes.values(), key=_rank)


def _callers(store: IndexStore, resolver: Resolver, callee: Def,
             scan: Optional[Scan] = None) -> list[CallNode]:
    """Who calls `callee`: one node per calling definition (or file, for calls outside
    any), resolved edges first."""
    nodes: dict[Any, CallNode] = {}
    for hit in iter_references(store, resolver, [callee], CALL_KINDS, scan=scan):
        how = hit.resolution.how
        key: Any = (hit.enclosing.id if hit.enclosing else hit.ref.path, how in RESOLVED)
        node = nodes.get(key)
        if node is None:
            if hit.enclosing is not None:
                node = CallNode(hit.enclosing, hit.enclosing.name, how)
            else:
                node = CallNode(None, hit.ref.path, how)
            nodes[key] = node
        node.sites.append((hit.ref.path, hit.ref.line, hit.ref.col))
    return sorted(nodes.values(), key=_rank)


def call_counts(store: IndexStore, resolver: Resolver, symbol: Def,
                cap: int = 1000) -> dict[str, Any]:
    """How many call sites call `symbol` (resolved to it / listing it among candidates)
    and how many it holds; counting stops at `cap` call sites of its name."""
    callers = ambiguous = 0
    scan = Scan(cap)
    for hit in iter_references(store, resolver, [symbol], CALL_KINDS, scan=scan):
        if hit.resolution.how in RESOLVED:
            callers += 1
        else:
            ambiguous += 1
    callees = sum(len(node.sites) for node in _callees(store, resolver, symbol))
    out: dict[str, Any] = {"callers": callers, "ambiguous_callers": ambiguous,
                           "callees": callees}
    if scan.cut:
        out["callers_counted_in_first"] = cap  # call sites of the name read
    return out
