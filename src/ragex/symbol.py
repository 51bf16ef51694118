"""The one record that flows through ragex: a definition found in a source file.

The same `Symbol` is produced by the extractor, stored by the index, printed by the
CLI (`--format json`) and returned by the MCP server. Its fields are documented here
and only here (the README links to this module).

Not for: parsing, storage or formatting; those live in their own stages.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Tuple

# One kind vocabulary for every language: LSP SymbolKind names in lower case, plus
# type_alias, macro, import and section (a heading of a document: Markdown, HTML). A
# language's own word goes in `native_kind`.
KINDS = (
    "module",
    "namespace",
    "package",
    "class",
    "interface",
    "struct",
    "enum",
    "enum_member",
    "method",
    "constructor",
    "function",
    "field",
    "property",
    "constant",
    "variable",
    "type_parameter",
    "type_alias",
    "macro",
    "import",
    "section",
)

# Kinds that can hold members: a function defined directly inside one is a method.
CLASS_LIKE = frozenset({"class", "interface", "struct", "enum"})
# Kinds whose body is code: a variable, constant or import inside one is a local (a
# property's getter is code too: `import warnings` in a Python @property is a local).
CALLABLE = frozenset({"function", "method", "constructor", "property"})


class Symbol(NamedTuple):
    """One definition (immutable; a named tuple: cheap to build, pickle and store).

    name            the identifier as written (`fetch`; for an import, the name it binds)
    qualified_name  scope path joined with "." (`package.module.Class.method`); Python's
                    module path comes from the file path and its `__init__.py` packages
    kind            one of KINDS
    native_kind     the language's own word (`def`, `trait`, `impl`, `union`, `record`, ...)
    language        registry name of the language (`python`, `typescript`, ...)
    path            file path relative to the indexed root, "/"-separated
    start_line/end_line, start_col/end_col
                    the whole definition: lines 1-based, columns 0-based byte offsets
                    (as Python's `ast` and tree-sitter count them); decorators excluded
    name_line/name_col, name_end_line/name_end_col
                    the same for the name
    start_byte/end_byte   byte range of the whole definition in the file
                    Bytes and columns count the file's text in UTF-8: the file's own bytes
                    when it is UTF-8 (a byte-order mark included); when it declares another
                    encoding (latin-1, cp1252, ... in Python's PEP 263 cookie, Ruby's magic
                    comment or PHP's `declare(encoding=...)`), its text re-encoded as UTF-8,
                    as `ast` counts it; in invalid UTF-8, the text with invalid sequences
                    replaced by U+FFFD (the file's warning says so). Lines are the file's
    parent          qualified_name of the enclosing symbol, or None at top level
    signature       the declaration header on one line, without its body and without
                    comments (each reads as one space)
    doc             docstring or leading doc comment, comment markers removed ("" if none)
    modifiers       sorted words such as public, static, async, abstract, exported
    decorators      decorators / annotations / attributes as written, in source order
    """

    name: str
    qualified_name: str
    kind: str
    native_kind: str
    language: str
    path: str
    start_line: int
    start_col: int
    end_line: int
    end_col: int
    name_line: int
    name_col: int
    name_end_line: int
    name_end_col: int
    start_byte: int
    end_byte: int
    parent: Optional[str] = None
    signature: str = ""
    doc: str = ""
    modifiers: Tuple[str, ...] = ()
    decorators: Tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["modifiers"] = list(self.modifiers)
        d["decorators"] = list(self.decorators)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Symbol":
        kw = {name: d[name] for name in cls._fields if name in d}
        kw["modifiers"] = tuple(kw.get("modifiers") or ())
        kw["decorators"] = tuple(kw.get("decorators") or ())
        return cls(**kw)


FIELD_NAMES = Symbol._fields
