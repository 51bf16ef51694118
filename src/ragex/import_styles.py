"""Import styles: what an import names, one way per family of languages.

The resolver (`references.Resolver`) asks what an import binds; the registry row's
`RefRules.import_style` says how to read it: Python's dotted modules with relative dots
(`python`: the path is then looked up by the resolver's qualified-name walk), JavaScript
and TypeScript files relative to the importer (`module`), Go import paths matched to
indexed directories (`package`), Java / C# / PHP qualified names and namespaces
(`qualified`), Rust `use` paths (`path`), C / C++ `#include`d files (`include`), files
named by a path or a dotted module name, found beside the importer or by their path's
tail (`file`: Lua, Dart, Zig).

Not for: the resolution steps (references) or the records (resolution).
"""

from __future__ import annotations

import posixpath
from typing import Optional

from .languages import BY_NAME
from .resolution import (MEMBER_KINDS, NOT_TARGETS, Def, FileContext, Ref, dotted,
                         handle)


class ImportStyles:
    """The import styles, as methods of the resolver (a mixin of `references.Resolver`:
    they use its lookups and caches)."""

    def _module_import(self, ctx: FileContext, imp: Ref, kind: str) -> list[Def]:
        """JavaScript / TypeScript: a file named relative to the importer."""
        files = self._module_files(ctx, imp.qualifier)
        if imp.name == "*":
            return files
        out: list[Def] = []
        for module in files:
            if imp.name == "default":
                out += [Def(*row) for row in self.store.defs_where(
                    "s.file_id = ? AND s.parent IS NULL AND instr(s.modifiers, 'default')",
                    (module.file_id,))]
            else:
                found = self._walk(module, [imp.name], kind)
                if not found:  # `export {x} from './y'` there: a re-export, followed
                    target = self.file(module.file_id)
                    if target is not None:
                        found = self._through_imports(target, imp.name, kind, stars=True)
                out += found
        return out

    _MODULE_EXTENSIONS = ("", ".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts",
                          ".cts", "/index.ts", "/index.tsx", "/index.js", "/index.jsx")

    def _module_files(self, ctx: FileContext, spec: str) -> list[Def]:
        if not spec.startswith("."):
            return []  # a package (node_modules): outside the index
        base = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.path), spec))
        stems = [base]
        if base.endswith((".js", ".jsx", ".mjs", ".cjs")):  # TypeScript names the output
            stems.append(base.rsplit(".", 1)[0])
        paths = [stem + ext for stem in stems for ext in self._MODULE_EXTENSIONS]
        order = {p: i for i, p in enumerate(paths)}
        rows = sorted(self.store.file_ids(paths), key=lambda r: order[r[1]])
        return [handle("file", path, language or ctx.language, file_id, path)
                for file_id, path, language in rows[:1]]

    def _package_import(self, ctx: FileContext, imp: Ref) -> list[Def]:
        """Go: an import path names a directory; the longest tail of it the index has."""
        path = f"{imp.qualifier}/{imp.name}" if imp.qualifier else imp.name
        directories = self._directories(ctx.language)
        parts = path.split("/")
        for i in range(len(parts)):
            tail = "/".join(parts[i:])
            found = directories.get(tail)
            if found:
                return [handle("directory", d, ctx.language) for d in found]
        return []

    def _directories(self, language: str) -> dict[str, list[str]]:
        """Directory tails -> directories holding files of `language` (read once)."""
        found = self._dirs.get(language)
        if found is None:
            found = self._dirs[language] = {}
            directories = {posixpath.dirname(row[0]) for row in self.store.conn.execute(
                "SELECT path FROM files WHERE language = ?", (language,))}
            for directory in directories:
                parts = directory.split("/")
                for i in range(len(parts)):
                    found.setdefault("/".join(parts[i:]), []).append(directory)
        return found

    def _file_import(self, ctx: FileContext, imp: Ref) -> list[Def]:
        """Lua `require "a.b"`, Dart `import 'src/x.dart'`, Zig `@import("x.zig")`: a file
        named by a path (the row's other import separators read as `/`; the row's
        extensions, or a directory's `init` file, added when the path has none): beside
        the importer, else the files of the language whose path ends with the longest tail
        of it, as Go's packages (`package:p/src/x.dart` is `lib/src/x.dart` of p). A path
        with another scheme (`dart:math`) is outside the index."""
        path = imp.qualifier if imp.name == "*" else \
            f"{imp.qualifier}/{imp.name}" if imp.qualifier else imp.name
        for sep in ctx.rules.import_separators:
            path = path.replace(sep, "/")
        scheme, colon, rest = path.partition(":")
        if colon:
            if scheme != "package":
                return []
            path = rest
        path = path.strip("/")
        if not path:
            return []
        spec = BY_NAME.get(ctx.language)
        extensions = spec.extensions if spec is not None else ()
        ends = ("",) if path.endswith(extensions) else \
            (*extensions, *(f"/init{ext}" for ext in extensions))
        directory = posixpath.dirname(ctx.path)
        here = [posixpath.normpath(posixpath.join(directory, path)) + end for end in ends]
        rows = self.store.file_ids(here)
        if rows:
            file_id, found, language = min(rows, key=lambda r: here.index(r[1]))
            return [handle("file", found, language or ctx.language, file_id, found)]
        tails = self._file_tails(ctx.language)
        parts = path.split("/")
        for i in range(len(parts)):
            for end in ends:
                hits = tails.get("/".join(parts[i:]) + end)
                if hits:
                    return [handle("file", p, language or ctx.language, file_id, p)
                            for file_id, p, language in hits]
        return []

    def _file_tails(self, language: str) -> dict[str, list[tuple[int, str, str]]]:
        """Path tails (`b.lua`, `a/b.lua`) -> the files of `language` (read once)."""
        found = self._tails.get(language)
        if found is None:
            found = self._tails[language] = {}
            for file_id, path in self.store.conn.execute(
                    "SELECT id, path FROM files WHERE language = ?", (language,)):
                parts = path.split("/")
                for i in range(len(parts)):
                    found.setdefault("/".join(parts[i:]), []).append((file_id, path, language))
        return found

    def _qualified_import(self, ctx: FileContext, imp: Ref, kind: str) -> list[Def]:
        """Java, C#, PHP: an import names a qualified name (`*`: a namespace's names)."""
        namespace = dotted(imp.qualifier, ctx.rules)
        if imp.name == "*":
            return [handle("namespace path", namespace, ctx.language)] if namespace else []
        full = f"{namespace}.{imp.name}" if namespace else imp.name
        found = self._path(full.split("."), ctx.family, kind)
        if not found and kind == "import":  # `using A.B;` of a namespace with no symbol
            found = [handle("namespace path", full, ctx.language)]
        return found

    def _path_import(self, ctx: FileContext, imp: Ref, kind: str) -> list[Def]:
        """Rust: `use a::b::C` names a module path; ragex's names hold the inline `mod`s
        but not the files that are modules, so the path is matched against both."""
        parts = [p for p in dotted(imp.qualifier, ctx.rules).split(".") if p and
                 p not in ("crate", "self", "super", "$crate")]
        if imp.name == "*":
            return [handle("module path", "::".join(parts), ctx.language)]
        return self._module_path_members(parts, imp.name, ctx, kind)

    def _module_path_members(self, parts: list[str], name: str, ctx: FileContext,
                             kind: str) -> list[Def]:
        exact = self._path(parts + [name], ctx.family, kind)
        if exact:
            return exact
        candidates = [d for d in self.named(name) if d.language in ctx.family and
                      d.kind not in NOT_TARGETS and d.kind not in MEMBER_KINDS]
        if not parts:
            return candidates
        best, score = [], 0
        for d in candidates:  # the module path's parts among the file's or the name's
            places = set(d.path.replace(".rs", "").split("/")) | set(d.qualified_name.split("."))
            hits = sum(1 for p in parts if p in places)
            if hits > score:
                best, score = [d], hits
            elif hits == score and hits:
                best.append(d)
        return best

    def _include(self, ctx: FileContext, imp: Ref) -> list[Def]:
        """C, C++: `#include` names a file: beside the includer, at the root, under an
        `include/` directory of the includer's ancestors (the Linux kernel's layout)."""
        path = imp.qualifier if imp.name == "*" else \
            f"{imp.qualifier}/{imp.name}" if imp.qualifier else imp.name
        directory = posixpath.dirname(ctx.path)
        key = (directory, path)  # every file of a directory finds a header the same way
        found = self._includes.get(key)
        if found is None:
            found = self._includes[key] = self._find_include(ctx, directory, path)
        return found

    def _find_include(self, ctx: FileContext, directory: str, path: str) -> list[Def]:
        tries = [posixpath.normpath(posixpath.join(directory, path)), path]
        while directory:
            tries.append(f"{directory}/include/{path}")
            directory = posixpath.dirname(directory)
        tries.append(f"include/{path}")
        order = {p: i for i, p in enumerate(tries)}
        rows = sorted(self.store.file_ids(list(dict.fromkeys(tries))), key=lambda r: order[r[1]])
        return [handle("file", p, language or ctx.language, file_id, p)
                for file_id, p, language in rows[:1]]

    def _absolute(self, ctx: FileContext, imp: Ref,
                  bound: Optional[str]) -> Optional[list[str]]:
        """Python: the absolute dotted path an import binds to `bound` (None: the path
        it imports)."""
        qualifier = imp.qualifier
        if qualifier.startswith("."):
            dots = len(qualifier) - len(qualifier.lstrip("."))
            if ctx.module is None:
                return None
            base = ctx.module.qualified_name.split(".")
            if not ctx.path.endswith("__init__.py") and not ctx.path.endswith("__init__.pyi"):
                base = base[:-1]
            if dots > 1:
                base = base[:len(base) - (dots - 1)]
                if not base:
                    return None
            rest = qualifier[dots:]
            base += rest.split(".") if rest else []
        else:
            base = qualifier.split(".") if qualifier else []
        path = base + ([] if imp.name == "*" else imp.name.split("."))
        if bound is not None and imp.alias == path[0] and len(path) > 1:
            return [path[0]]  # `import a.b.c` binds the package `a`
        return path
