"""Resolution: which definitions a stored reference names, and how sure that is.

A reference is stored as written (`reference.Reference`: a name, its qualifier, its kind
and position); this module finds its candidate definitions at query time, from the
symbols, imports and scopes in the index, most specific first:

  local        a definition in an enclosing scope, or elsewhere in the same file
  member       a member of the enclosing class (`self.` / `this.` / a bare method name
               where the language allows it) or of its bases, or of a class the
               qualifier names
  import       what an import of the file binds (aliases followed; a re-export or a
               wildcard import in the imported module followed one level)
  package      a top-level definition of the same directory (Go, Java packages)
  unique_name  the one definition of that name in the index (the qualifier, if any,
               named nothing ragex could follow)
  ambiguous    several definitions of that name, none more specific: all are listed
  unresolved   no definition of that name in the index (a builtin, a library outside the
               root, a local variable)

Resolving at query time means an edit of the file that defines a name can never leave a
stale edge in the files that use it. What a language contributes is its registry row's
`RefRules` (languages.py); the steps here are the same for every language, and
`import_styles` reads each family's imports.

Not for: finding references in source (extract), storing them (store) or shaping answers
(callgraph).
"""

from __future__ import annotations

import bisect
import posixpath
from typing import Optional

from .import_styles import ImportStyles
from .languages import BY_NAME
from .resolution import (DECLARATIONS, HANDLE_KINDS, HOPS, MEMBER_KINDS, MODULE_KINDS,
                         NAME_IS_REFERENCE, NOT_TARGETS, SCOPE_EXCLUDED, UNRESOLVED, HOWS,
                         MAX_CANDIDATES, RESOLVED, Def, FileContext, Ref, Resolution,
                         by_count, enclosing_class, make, path_parts, prefer, with_outer)
from .store import IndexStore
from .symbol import CALLABLE, CLASS_LIKE

class Resolver(ImportStyles):
    """Resolves references against one open index; caches what it reads for its lifetime
    (make one per question: the index may change between questions)."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self._named: dict[str, list[Def]] = {}
        self._qualified: dict[str, list[Def]] = {}
        self._files: dict[int, FileContext] = {}
        self._memo: dict[tuple, Resolution] = {}
        self._bases: dict[int, list[Def]] = {}
        self._imports_memo: dict[tuple, list[Def]] = {}
        self._dirs: dict[str, dict[str, list[str]]] = {}
        self._tails: dict[str, dict[str, list[tuple[int, str, str]]]] = {}
        self._signatures: dict[int, str] = {}
        self._includes: dict[tuple[str, str], list[Def]] = {}
        self._by_names: dict[tuple, Resolution] = {}
        self._bound: dict[int, set[str]] = {}  # names each file's imports bind

    # ----------------------------------------------------------------- lookups
    def named(self, name: str) -> list[Def]:
        """The definitions named `name` (exact case; not those whose name is itself a
        reference: a Rust `impl Point` is no candidate for `Point`)."""
        found = self._named.get(name)
        if found is None:
            found = self._named[name] = [
                Def(*row) for row in self.store.defs_where("s.name = ? COLLATE NOCASE", (name,))
                if row[1] == name and row[12] not in NAME_IS_REFERENCE]
        return found

    def qualified(self, qualified_name: str) -> list[Def]:
        found = self._qualified.get(qualified_name)
        if found is None:
            found = self._qualified[qualified_name] = [
                Def(*row) for row in self.store.defs_where(
                    "s.qualified_name = ? COLLATE NOCASE", (qualified_name,))
                if row[2] == qualified_name and row[12] not in NAME_IS_REFERENCE]
        return found

    def file(self, file_id: int) -> Optional[FileContext]:
        ctx = self._files.get(file_id)
        if ctx is not None or file_id in self._files:
            return ctx
        row = self.store.conn.execute("SELECT path, language FROM files WHERE id = ?",
                                      (file_id,)).fetchone()
        if row is None or row[1] not in BY_NAME:
            self._files[file_id] = None
            return None
        spec = BY_NAME[row[1]]
        ctx = FileContext(file_id, row[0], row[1], spec.refs,
                          frozenset((row[1], *spec.refs.family)))
        ctx.scopes = [Def(*r) for r in self.store.defs_where(
            f"s.file_id = ? AND s.kind NOT IN ({','.join('?' * len(SCOPE_EXCLUDED))}) "
            "ORDER BY s.start_byte, s.end_byte DESC", (file_id, *SCOPE_EXCLUDED))]
        ctx.starts = [(d.start_line, d.start_col) for d in ctx.scopes]
        for d in ctx.scopes:
            ctx.by_qualified.setdefault(d.qualified_name, d)
            if d.kind == "module" and d.parent is None and ctx.module is None and \
                    spec.module_from_path:
                ctx.module = d
        self._files[file_id] = ctx
        return ctx

    def enclosing(self, ctx: FileContext, line: int, col: int) -> Optional[Def]:
        """The innermost definition of the file around (line, col)."""
        i = bisect.bisect_right(ctx.starts, (line, col))
        while i > 0:
            i -= 1
            d = ctx.scopes[i]
            if (d.end_line, d.end_col) > (line, col):
                return d
        return None

    def chain(self, ctx: FileContext, scope: Optional[Def]) -> list[Def]:
        """`scope` and the definitions around it, innermost first."""
        out = []
        seen = set()
        while scope is not None and scope.id not in seen:
            out.append(scope)
            seen.add(scope.id)
            scope = ctx.by_qualified.get(scope.parent) if scope.parent else None
        return out

    def bindings(self, ctx: FileContext) -> dict[str, list[Ref]]:
        """The names the file's imports bind; wildcard imports (and `#include`s, Go's dot
        imports) go to `ctx.stars`; `_` (Go) binds nothing."""
        if ctx.bindings is None:
            ctx.bindings = {}
            for row in self.store.file_imports(ctx.id):
                ref = Ref(*row)
                if ref.alias == "_":
                    continue
                if (ref.name == "*" and ref.alias is None) or ref.alias == ".":
                    ctx.stars.append(ref)
                    continue
                ctx.bindings.setdefault(ref.alias or ref.name, []).append(ref)
            for namespace in ctx.rules.implicit_imports:  # Java's java.lang
                ctx.stars.append(Ref(ctx.id, ctx.path, ctx.language, 0, 0, "*", "import",
                                     namespace, None))
        return ctx.bindings

    def may_reach(self, ref: Ref, files: set[int]) -> bool:
        """False when `ref` cannot name a definition of `files` whatever its scope: a bare
        name, in a language that sees no name it does not import (Python), in a file that
        defines none of them and imports nothing of that name and no wildcard. A test on
        the file's imports alone, before a resolution reads its scopes."""
        if ref.qualifier or ref.kind == "import" or ref.file_id in files:
            return True
        spec = BY_NAME.get(ref.language or "")
        if spec is None:
            return False
        rules = spec.refs
        if rules.global_names or rules.bare_members or rules.package_scope:
            return True
        names = self._bound.get(ref.file_id)
        if names is None:
            names = self._bound[ref.file_id] = {
                "*" if (row[5] == "*" and row[8] is None) or row[8] == "." else row[8] or row[5]
                for row in self.store.file_imports(ref.file_id)}
        return ref.name in names or "*" in names

    # -------------------------------------------------------------- resolution
    def resolve(self, ref: Ref) -> Resolution:
        """The candidate definitions of one reference, most specific first."""
        ctx = self.file(ref.file_id)
        if ctx is None:
            return UNRESOLVED
        scope = self.enclosing(ctx, ref.line, ref.col)
        key = (ref.file_id, scope.id if scope else None, ref.name, ref.kind, ref.qualifier,
               ref.alias)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._defined(self._resolve(ctx, scope, ref))
        return found

    def _defined(self, resolution: Resolution) -> Resolution:
        """A declaration (a C prototype) stands for the one definition of its qualified
        name, when there is one (the linker's view); else it stays."""
        if not any(t.native_kind in DECLARATIONS for t in resolution.targets):
            return resolution
        targets = []
        for t in resolution.targets:
            if t.native_kind in DECLARATIONS:
                twins = [d for d in self.qualified(t.qualified_name) if d.kind == t.kind and
                         d.native_kind not in DECLARATIONS and
                         d.language in (t.language, *BY_NAME[t.language].refs.family)]
                if len(twins) == 1:
                    t = twins[0]
            targets.append(t)
        return make(resolution.how, targets) if resolution.how != "unique_name" or \
            len(set(targets)) == 1 else Resolution(resolution.how, tuple(targets),
                                                   resolution.total)

    def _resolve(self, ctx: FileContext, scope: Optional[Def], ref: Ref) -> Resolution:
        if ref.kind == "import":
            return self._import(ctx, ref)
        rules = ctx.rules
        qualifier = ref.qualifier
        if not qualifier:
            return self._bare(ctx, scope, ref)
        parts, instance = path_parts(qualifier, rules.separators)
        if parts is not None and len(parts) > 1 and parts[-1] in rules.constructors and \
                instance < 0:  # Ruby's `Foo.new.bar`: an instance of Foo
            parts, instance = parts[:-1], len(parts) - 2
        if parts is None:  # an expression (`f(x).`, `a[0].`): ragex cannot type it
            return self._by_name(ctx, ref, members=True)
        head = parts[0]
        if head in rules.super_names:
            return self._super_member(ctx, scope, ref) if len(parts) == 1 else \
                self._by_name(ctx, ref, members=True)
        if head in rules.self_names or (rules.receiver is not None and len(parts) == 1 and
                                        head == self._receiver(ctx, scope)):
            if len(parts) == 1:
                cls = self._class_of(ctx, self.chain(ctx, scope))
                if cls is not None:
                    found = self._members(cls, ref.name, ref.kind)
                    if found:
                        return make("member", found)
            return self._by_name(ctx, ref, members=True)
        # a path: resolve its head as a bare name, then walk the rest (from each candidate
        # head: two local classes of one name may hold different members)
        start = self._bare(ctx, scope, ref._replace(name=head, kind="value", qualifier=""))
        if start.how in RESOLVED or start.how == "ambiguous":
            found = []
            walked = False
            for target in start.targets:
                modular = target.kind in MODULE_KINDS or target.kind in HANDLE_KINDS or \
                    target.kind == "import"
                if modular or target.kind in CLASS_LIKE:
                    walked = walked or modular
                    found += self._walk(target, parts[1:] + [ref.name], ref.kind,
                                        instance=instance)
            if found:  # as sure as the head is
                return make(start.how, found)
            if walked and start.how in RESOLVED and instance < 0:
                return UNRESOLVED  # a module that does not define it (or not statically)
        imported = self._imported_path(ctx, head) if start.how == "unresolved" else None
        if imported is not None:  # the head is an import of something outside the index
            found = self._path(imported + parts[1:] + [ref.name], ctx.family, ref.kind)
            return make("import", found) if found else UNRESOLVED
        return self._by_name(ctx, ref, members=True)

    def _bare(self, ctx: FileContext, scope: Optional[Def], ref: Ref) -> Resolution:
        """A name without a qualifier: scopes, class members, imports, package, index."""
        name, rules = ref.name, ctx.rules
        candidates = [d for d in self.named(name) if d.language in ctx.family and
                      d.kind not in NOT_TARGETS]
        chain = self.chain(ctx, scope)
        if candidates:
            own = ctx.module.id if ctx.module is not None else None
            local = [d for d in candidates if d.file_id == ctx.id and d.id != own]
            if local:
                in_code = False  # inside a function (of the scope looked at next)
                for s in chain:
                    if s.kind in CLASS_LIKE and in_code and not rules.bare_members:
                        continue  # a method does not see its class's names bare (Python)
                    inside = [d for d in local if d.parent == s.qualified_name and d.id != s.id]
                    if inside:
                        how = "member" if in_code and s.kind in CLASS_LIKE else "local"
                        return make(how, prefer(inside, ref.kind))
                    in_code = in_code or s.kind in CALLABLE
                top = [d for d in local if d.parent is None or
                       (d.parent not in ctx.by_qualified or
                        ctx.by_qualified[d.parent].kind in MODULE_KINDS)]
                if top:
                    return make("local", prefer(top, ref.kind))
        if rules.bare_members:
            cls = self._class_of(ctx, chain)
            if cls is not None:
                found = self._members(cls, name, ref.kind)
                if found:
                    return make("member", found)
        # (a Python module does not see its package's names; a Go or Java package is a
        # directory, the step below)
        namespaces = [] if rules.package_scope else [
            s.qualified_name for s in chain if s.kind in ("namespace", "package")]
        if namespaces and candidates:  # the same namespace or package, in another file
            for namespace in with_outer(namespaces):
                inside = [d for d in candidates if d.parent == namespace and
                          d.file_id != ctx.id and d.kind not in MEMBER_KINDS]
                if inside:
                    return make("package", prefer(inside, ref.kind))
        found = self._through_imports(ctx, name, ref.kind)
        if found:
            return make("import", found)
        if rules.package_scope and candidates:
            directory = posixpath.dirname(ctx.path)
            same = [d for d in candidates if posixpath.dirname(d.path) == directory and
                    d.kind not in MEMBER_KINDS and d.file_id != ctx.id]
            if same:
                return make("package", prefer(same, ref.kind))
        if not rules.global_names:
            # the name is a local, a parameter or a builtin: nothing in scope or imported
            # defines it, and the language has no other way to see a name
            return UNRESOLVED
        outside = [d for d in candidates if d.kind not in MEMBER_KINDS]
        return by_count(prefer(outside, ref.kind))

    def _by_name(self, ctx: FileContext, ref: Ref, members: bool) -> Resolution:
        """The last resort: every definition of the name in the index (members first for
        a qualified name on an object ragex cannot type)."""
        key = (ref.name, ref.kind, ctx.family, members)
        found = self._by_names.get(key)
        if found is None:
            candidates = [d for d in self.named(ref.name) if d.language in ctx.family and
                          d.kind not in NOT_TARGETS]
            if members:
                inner = [d for d in candidates if d.kind in MEMBER_KINDS]
                candidates = inner or candidates
            found = self._by_names[key] = by_count(prefer(candidates, ref.kind))
        return found

    def _class_of(self, ctx: FileContext, chain: list[Def]) -> Optional[Def]:
        """The class around a reference: in the file, or the one a method names as its
        parent (a Go method of a struct declared in another file of the package)."""
        cls = enclosing_class(chain)
        if cls is not None:
            return cls
        method = next((d for d in chain if d.kind in CALLABLE), None)
        if method is None or not method.parent:
            return None
        found = [d for d in self.qualified(method.parent)
                 if d.kind in CLASS_LIKE and d.language == method.language]
        near = [d for d in found if posixpath.dirname(d.path) == posixpath.dirname(ctx.path)]
        return (near or found or [None])[0]

    def _receiver(self, ctx: FileContext, scope: Optional[Def]) -> Optional[str]:
        """The receiver's name of the method around (the row's `receiver` pattern)."""
        method = next((d for d in self.chain(ctx, scope) if d.kind in CALLABLE), None)
        if method is None:
            return None
        signature = self._signatures.get(method.id)
        if signature is None:
            row = self.store.conn.execute("SELECT signature FROM symbols WHERE id = ?",
                                          (method.id,)).fetchone()
            signature = self._signatures[method.id] = row[0] if row and row[0] else ""
        match = ctx.rules.receiver.match(signature)
        return match.group(1) if match else None

    def _super_member(self, ctx: FileContext, scope: Optional[Def], ref: Ref) -> Resolution:
        """`super().m`: the first base (in order, depth first) that has `m`."""
        cls = self._class_of(ctx, self.chain(ctx, scope))
        if cls is not None:
            for base in self.bases(cls):
                found = self._members(base, ref.name, ref.kind)
                if found:
                    return make("member", found)
        return self._by_name(ctx, ref, members=True)

    # ---------------------------------------------------------------- classes
    def _members(self, cls: Def, name: str, kind: str, depth: int = 0) -> list[Def]:
        """Members `name` of `cls`, else of its bases (nearest first)."""
        direct = [d for d in self.named(name) if d.parent == cls.qualified_name and
                  d.file_id == cls.file_id and d.kind not in NOT_TARGETS]
        if not direct:
            direct = [d for d in self.named(name) if d.parent == cls.qualified_name and
                      d.kind not in NOT_TARGETS and d.language == cls.language]
        if direct or depth >= 4:
            return prefer(direct, kind)
        for base in self.bases(cls):
            found = self._members(base, name, kind, depth + 1)
            if found:
                return found
        return []

    def bases(self, cls: Def) -> list[Def]:
        """The classes `cls` inherits from or implements, as far as they resolve."""
        found = self._bases.get(cls.id)
        if found is not None:
            return found
        self._bases[cls.id] = []  # a cycle ends here
        ctx = self.file(cls.file_id)
        out: list[Def] = []
        if ctx is not None:
            for row in self.store.refs_in(cls.file_id, cls.start_line, cls.end_line,
                                          ("inherit", "implement")):
                ref = Ref(*row)
                scope = self.enclosing(ctx, ref.line, ref.col)
                if scope is not None and scope.id != cls.id and scope.kind not in CALLABLE:
                    scope = ctx.by_qualified.get(scope.parent or "")  # an embedded field
                if scope is None or scope.id != cls.id:
                    continue
                resolution = self.resolve(ref)
                if resolution.how in RESOLVED:
                    out += [d for d in resolution.targets if d.kind in CLASS_LIKE]
        self._bases[cls.id] = out
        return out

    # ---------------------------------------------------------------- imports
    def _through_imports(self, ctx: FileContext, name: str, kind: str,
                         stars: bool = True) -> list[Def]:
        bindings = self.bindings(ctx)
        for imp in bindings.get(name, ()):
            found = self._import_targets(ctx, imp, kind)
            if found:
                return found
        if not stars:
            return []
        out: list[Def] = []
        for star in ctx.stars:  # `from m import *`, Go's `import . "m"`, `#include`
            for module in self._import_targets(ctx, star, "import"):
                out += self._walk(module, [name], kind)
            if out and ctx.rules.import_style != "include":
                return out
        return out

    def _imported_path(self, ctx: FileContext, bound: str) -> Optional[list[str]]:
        """The dotted path an import of the file binds to `bound`, if any."""
        for imp in self.bindings(ctx).get(bound, ()):
            path = self._absolute(ctx, imp, bound)
            if path:
                return path
        return None

    def _import(self, ctx: FileContext, ref: Ref) -> Resolution:
        """An import reference names what it imports (`app.models` of `import
        app.models`, though that binds `app`)."""
        found = self._import_targets(ctx, ref, "import", whole=True)
        return make("import", found) if found else UNRESOLVED

    def _import_targets(self, ctx: FileContext, imp: Ref, kind: str,
                        whole: bool = False) -> list[Def]:
        """What the import `imp` binds (`whole`: what it imports), by the row's style."""
        style = ctx.rules.import_style
        key = (ctx.id, imp.line, imp.col, kind, whole)
        found = self._imports_memo.get(key)
        if found is not None:
            return found
        self._imports_memo[key] = []  # an import that leads back to itself ends here
        if style == "python":
            path = self._absolute(ctx, imp, None if whole else imp.alias or imp.name)
            if not path:
                found = []
            elif imp.name == "*":
                found = [d for d in self.qualified(".".join(path)) if d.kind in MODULE_KINDS]
            else:
                found = self._path(path, ctx.family, kind)
        elif style == "module":
            found = self._module_import(ctx, imp, kind)
        elif style == "package":
            found = self._package_import(ctx, imp)
        elif style == "qualified":
            found = self._qualified_import(ctx, imp, kind)
        elif style == "path":
            found = self._path_import(ctx, imp, kind)
        elif style == "include":
            found = self._include(ctx, imp)
        elif style == "file":
            found = self._file_import(ctx, imp)
        else:
            found = []
        self._imports_memo[key] = found
        return found

    def _path(self, parts: list[str], family: frozenset[str], kind: str,
              hops: int = 0) -> list[Def]:
        """Definitions with the qualified name `parts`. When none has it, the longest
        prefix that names something decides: an import there is followed (a re-export:
        `os.path` is `posixpath`), a module or class is walked into (its wildcard imports
        followed); at most `HOPS` such steps."""
        if not parts:
            return []
        named = [d for d in self.qualified(".".join(parts)) if d.language in family]
        found = [d for d in named if d.kind not in NOT_TARGETS]
        if found or hops >= HOPS:
            return prefer(found, kind)
        for i in range(len(parts), 0, -1):
            prefix = named if i == len(parts) else [
                d for d in self.qualified(".".join(parts[:i])) if d.language in family]
            if not prefix:
                continue
            out: list[Def] = []
            for d in prefix:
                if d.kind == "import":
                    out += self._follow(d, parts[i:], kind, hops + 1)
                elif i < len(parts) and (d.kind in MODULE_KINDS or d.kind in CLASS_LIKE):
                    out += self._walk(d, parts[i:], kind, hops + 1)
            return prefer(out, kind)
        return []

    def _follow(self, imp: Def, rest: list[str], kind: str, hops: int) -> list[Def]:
        """What the import definition `imp` binds, then `rest` from there."""
        ctx = self.file(imp.file_id)
        if ctx is None:
            return []
        bindings = self.bindings(ctx)
        bound = imp.name if imp.name in bindings else imp.name.split(".")[0]
        out: list[Def] = []
        for binding in bindings.get(bound, ()):
            target = self._absolute(ctx, binding, bound)
            if target:
                out += self._path(target + rest, ctx.family, kind, hops)
        return out

    def _handle_members(self, handle: Def, name: str, kind: str) -> list[Def]:
        """The top-level definitions `name` of a file, a directory or a module path."""
        if handle.kind == "module path":
            ctx = self.file(self._any_file(handle.language))
            if ctx is None:
                return []
            parts = [p for p in handle.qualified_name.split("::") if p]
            return self._module_path_members(parts, name, ctx, kind)
        out = []
        for d in self.named(name):
            if d.kind in NOT_TARGETS:
                continue
            if handle.kind == "file" and d.file_id != handle.file_id:
                continue
            if handle.kind == "directory" and (d.language != handle.language or
                                               posixpath.dirname(d.path) != handle.path):
                continue
            if self._top_level(d):
                out.append(d)
        if not out and handle.kind == "file" and \
                BY_NAME[handle.language].refs.import_style == "file":
            # a Lua module is the table it returns: `function M.f()` is a member of M
            out = [d for d in self.named(name) if d.file_id == handle.file_id and
                   d.kind not in NOT_TARGETS and d.parent is not None and
                   "." not in d.parent]
        return prefer(out, kind)

    def _top_level(self, d: Def) -> bool:
        """At the top of its file: no parent, or a package / namespace / module one."""
        if d.parent is None:
            return True
        ctx = self.file(d.file_id)
        parent = ctx.by_qualified.get(d.parent) if ctx is not None else None
        return parent is None or parent.kind in MODULE_KINDS

    def _any_file(self, language: str) -> int:
        row = self.store.conn.execute("SELECT id FROM files WHERE language = ? LIMIT 1",
                                      (language,)).fetchone()
        return row[0] if row else 0

    def _walk(self, start: Def, rest: list[str], kind: str, hops: int = 0,
              instance: int = -1) -> list[Def]:
        """Definitions reached from `start` (a module, class or import) by `rest`; from
        `rest[instance]` on, through an instance of the class it names (`Foo().bar`)."""
        if 0 <= instance < len(rest) - 1:
            classes = [d for d in self._walk(start, rest[:instance + 1], "call", hops)
                       if d.kind in CLASS_LIKE]
            found = []
            for cls in classes:
                found += self._walk(cls, rest[instance + 1:], kind, hops)
            return found
        if not rest:
            return [start]
        if start.kind == "import":
            return self._follow(start, rest, kind, hops + 1)
        if start.kind in HANDLE_KINDS and start.kind != "namespace path":
            found = self._handle_members(start, rest[0], kind)
            if len(rest) == 1 or hops >= HOPS:
                return found if len(rest) == 1 else []
            out = []
            for d in found:
                out += self._walk(d, rest[1:], kind, hops + 1)
            return out
        if start.kind in CLASS_LIKE and len(rest) == 1:
            found = self._members(start, rest[0], kind)
            if found:
                return found
        family = frozenset((start.language, *BY_NAME[start.language].refs.family))
        step = [d for d in self.qualified(f"{start.qualified_name}.{rest[0]}")
                if d.language in family]
        if len(rest) == 1:
            found = [d for d in step if d.kind not in NOT_TARGETS]
            if found:
                return prefer(found, kind)
        if hops >= HOPS:
            return []
        out: list[Def] = []
        for d in step:
            if len(rest) == 1:
                out += self._follow(d, [], kind, hops + 1)  # an import there: a re-export
            elif d.kind == "import" or d.kind in MODULE_KINDS or d.kind in CLASS_LIKE:
                out += self._walk(d, rest[1:], kind, hops + 1)
        if step or start.kind not in MODULE_KINDS:
            return prefer(out, kind)
        ctx = self.file(start.file_id)  # a wildcard import in that module
        if ctx is not None:
            self.bindings(ctx)
            for star in ctx.stars:
                for module in self._import_targets(ctx, star, "import"):
                    if module.id != start.id:
                        out += self._walk(module, rest, kind, hops + 1)
        return prefer(out, kind)


__all__ = ["HOWS", "MAX_CANDIDATES", "RESOLVED", "Def", "Ref", "Resolution", "Resolver"]
