"""The records resolution works with, and the rules shared by its steps.

`Ref` is a stored reference with its file, `Def` a definition as the resolver reads it,
`Resolution` what a reference resolved to (`how`, one of HOWS, and its candidates); a
handle is a `Def` standing for a module that is no definition (a JavaScript file, a Go
directory, a Java namespace, a Rust module path). The helpers rank and count candidates
the same way for every step.

Not for: resolving (references, import_styles) or finding references (extract).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Optional

from .languages import LANGUAGES, RefRules
from .reference import NOT_ENCLOSING
from .symbol import CALLABLE, CLASS_LIKE

HOWS = ("local", "member", "import", "package", "unique_name", "ambiguous", "unresolved")
RESOLVED = frozenset({"local", "member", "import", "package", "unique_name"})
DECLARATIONS = frozenset().union(*(spec.refs.declarations for spec in LANGUAGES))
NAME_IS_REFERENCE = frozenset().union(*(spec.refs.name_is_reference for spec in LANGUAGES))
HOPS = 4  # imports, re-exports and wildcard imports followed for one name
MAX_CANDIDATES = 50  # candidates kept for an ambiguous reference (their total is counted)

MODULE_KINDS = frozenset({"module", "namespace", "package"})
MEMBER_KINDS = frozenset({"method", "field", "property", "constructor", "enum_member"})
NOT_TARGETS = frozenset({"import"})
# what each kind of reference prefers to name (a call of a variable holding a function is
# possible: other kinds are candidates when none of these is)
PREFERRED = {
    "call": CALLABLE | CLASS_LIKE | {"macro", "enum_member", "type_alias"},
    "decorator": CALLABLE | CLASS_LIKE | {"macro"},
    "type": CLASS_LIKE | {"type_alias", "type_parameter", "namespace", "module"},
    "inherit": CLASS_LIKE | {"type_alias"},
    "implement": CLASS_LIKE | {"type_alias"},
}
SCOPE_EXCLUDED = NOT_ENCLOSING


class Def(NamedTuple):
    """A definition as the resolver reads it (store.DEF_ROW)."""

    id: int
    name: str
    qualified_name: str
    kind: str
    parent: Optional[str]
    path: str
    language: str
    file_id: int
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    native_kind: str = ""


# A module that is not a definition: a file (JavaScript, a C header), a directory (a Go
# package), a namespace spread over files (Java, C#) or a Rust module path. Handles are
# `Def`s with one of these kinds and a negative id, so that the walk treats them alike.
HANDLE_KINDS = frozenset({"file", "directory", "namespace path", "module path"})


def handle(kind: str, key: str, language: str, file_id: int = 0, path: str = "") -> Def:
    return Def(-abs(hash((kind, key))) - 1, key.rsplit("/", 1)[-1], key, kind, None,
               path or key, language, file_id, 0, 0, 0, 0, kind)


class Ref(NamedTuple):
    """A stored reference with its file (store.REF_ROW)."""

    file_id: int
    path: str
    language: Optional[str]
    line: int
    col: int
    name: str
    kind: str
    qualifier: str
    alias: Optional[str]


class Resolution(NamedTuple):
    how: str  # one of HOWS
    targets: tuple[Def, ...]  # most specific first; at most MAX_CANDIDATES
    total: int  # candidates in all (more than len(targets) when cut)


UNRESOLVED = Resolution("unresolved", (), 0)


@dataclass
class FileContext:
    """What resolution needs to know about one file, loaded once per query."""

    id: int
    path: str
    language: str
    rules: RefRules
    family: frozenset[str]
    scopes: list[Def] = field(default_factory=list)  # sorted by start, outer first
    starts: list[tuple[int, int]] = field(default_factory=list)
    by_qualified: dict[str, Def] = field(default_factory=dict)
    module: Optional[Def] = None  # the module the file is (`module_from_path`: Python)
    bindings: Optional[dict[str, list[Ref]]] = None  # name an import binds -> its imports
    stars: list[Ref] = field(default_factory=list)  # wildcard imports


# ------------------------------------------------------------------- helpers


CALL_ARGS = re.compile(r"\((?:[^()]|\([^()]*\))*\)")


def path_parts(qualifier: str, separators: Iterable[str]) -> tuple[Optional[list[str]], int]:
    """`os.path.` -> (["os", "path"], -1); `Foo(1).` -> (["Foo"], 0): the path, and the
    index of the part called to make an instance (-1: none); (None, -1) when the qualifier
    is not a path. `super(A, self).` reads as `super()`."""
    text = qualifier
    for sep in separators:
        if sep != ".":
            text = text.replace(sep, ".")
    text = text.rstrip(".")
    if not text:
        return None, -1
    if "(" in text:
        text = CALL_ARGS.sub("()", text)
        if text.startswith("super()"):
            return (["super()"], -1) if text == "super()" else (None, -1)
        if text.count("()") != 1 or not text.endswith("()"):
            return None, -1
        text = text[:-2]
        parts = text.split(".")
        instance = len(parts) - 1
    else:
        parts = text.split(".")
        instance = -1
    for part in parts:
        if not part or not (part.replace("$", "").replace("@", "").isidentifier()):
            return None, -1
    return parts, instance


def dotted(text: str, rules: RefRules) -> str:
    """A qualifier or an import path in ragex's qualified-name form: `a::b`, `a\\b` and
    `a/b` read as `a.b`; no leading or trailing separator."""
    for sep in (*rules.separators, *rules.import_separators, "\\"):
        if sep != ".":
            text = text.replace(sep, ".")
    return text.strip(".")


def with_outer(namespaces: list[str]) -> list[str]:
    """Namespaces innermost first, each followed by those it is inside (`a.b`, `a`)."""
    out: list[str] = []
    for namespace in namespaces:
        parts = namespace.split(".")
        out += [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    return list(dict.fromkeys(out))


def enclosing_class(chain: list[Def]) -> Optional[Def]:
    for d in chain:
        if d.kind in CLASS_LIKE:
            return d
    return None


def prefer(defs: list[Def], kind: str) -> list[Def]:
    """The definitions a reference of `kind` is most likely to name, when there are some."""
    preferred = PREFERRED.get(kind)
    if preferred and len(defs) > 1:
        best = [d for d in defs if d.kind in preferred]
        if best:
            return best
    return defs


def make(how: str, defs: list[Def]) -> Resolution:
    """A resolution: several candidates make it `ambiguous`, whatever step found them; a
    declaration (a C prototype) beside the definition it declares is one candidate."""
    if len(defs) > 1:
        ids: set[int] = set()
        unique = [d for d in defs if not (d.id in ids or ids.add(d.id))]
    else:
        unique = list(defs)
    if len(unique) > 1 and any(d.native_kind in DECLARATIONS for d in unique):
        defined = {(d.qualified_name, d.kind) for d in unique
                   if d.native_kind not in DECLARATIONS}
        unique = [d for d in unique if d.native_kind not in DECLARATIONS or
                  (d.qualified_name, d.kind) not in defined]
    if len(unique) > 1:
        how = "ambiguous"
    return Resolution(how, tuple(unique[:MAX_CANDIDATES]), len(unique))


def by_count(defs: list[Def]) -> Resolution:
    if not defs:
        return UNRESOLVED
    return make("unique_name", defs)
