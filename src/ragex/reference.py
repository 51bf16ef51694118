"""The reference record: one use of a name in a source file, as the extractor finds it.

A `Reference` says what is used and where, not what it resolves to: resolution happens at
query time (`references.py`), from the stored names, imports and scopes, so that an edit
of the file that defines a name never leaves a stale edge in the files that use it. Its
fields are documented here and only here (docs/references.md links to this module).

Not for: finding references (extract) or resolving them (references).
"""

from __future__ import annotations

import bisect
from typing import Any, NamedTuple, Optional, Sequence

# The kinds of reference, one vocabulary for every language. The order decides which kind
# a name token gets when two patterns capture it (an import's name is an import, a base
# class named in a call is an inheritance, ...).
REF_KINDS = ("import", "inherit", "implement", "call", "decorator", "type", "value")
# kinds that are calls for a call hierarchy (a decorator is called with what it decorates)
CALL_KINDS = ("call", "decorator")
# definitions that never enclose a reference: the enclosing definition of a reference is
# the innermost other definition whose range holds it (a function, a class, a variable's
# initializer, a C macro's body, the module)
NOT_ENCLOSING = ("import", "enum_member", "type_parameter")


class Reference(NamedTuple):
    """One reference (immutable; workers send it as a plain tuple in this field order).

    name       the name used, as written (`save`; for an import, the last part of what it
               imports: `c` of `from a.b import c`, `http` of Go's "net/http", `*` of a
               wildcard import, `default` of JS `import x from`)
    kind       one of REF_KINDS: call (also `new T()` and `T()`), type (annotations,
               parameter / return / field types, generic arguments), inherit (base
               classes, `extends`, Go embedding), implement (`implements`, Rust
               `impl Trait for T`), import, decorator (decorators and annotations without
               arguments), value (a defined name used as a value: passed, assigned,
               returned)
    qualifier  the text the name is reached through, spaces removed, separator kept
               (`self.`, `os.path.`, `obj->`, `Foo::`), "" if none; for an import, where
               it imports from as written (`a.b`, `..pkg`, `./util`, `net`), "" if nothing
               (`import os`); a qualifier longer than 200 characters keeps its end after `…`
    alias      for an import, the name it binds when that is not `name` (`d` of
               `from a import c as d`, `a` of Python's `import a.b`); None otherwise
    line, col  where the name starts: line 1-based, column a 0-based byte offset in the
               UTF-8 text (as `Symbol` counts them)
    """

    name: str
    kind: str
    qualifier: str
    alias: Optional[str]
    line: int
    col: int

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


FIELD_NAMES = Reference._fields


def enclosing(symbols: Sequence, refs: Sequence) -> list:
    """For each reference (in any order), the innermost of `symbols` (one file's, `Symbol`
    records in source order) that encloses it, or None. The resolver applies the same
    rule to the stored symbols."""
    scopes = [s for s in symbols if s.kind not in NOT_ENCLOSING]
    scopes.sort(key=lambda s: (s.start_line, s.start_col, -s.end_line, -s.end_col))
    starts = [(s.start_line, s.start_col) for s in scopes]
    out = []
    for ref in refs:
        at = (ref[4], ref[5])
        i = bisect.bisect_right(starts, at)
        found = None
        while i > 0:
            i -= 1
            if (scopes[i].end_line, scopes[i].end_col) > at:
                found = scopes[i]
                break
        out.append(found)
    return out
