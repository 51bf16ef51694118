"""Search: answers over the index: symbol search, outlines, sources, grep, tags.

Symbol search ranks exact > prefix > substring > fuzzy (typo-tolerant) on name and
qualified name; within a tier, definitions before imports, shorter names first. Every
function here takes an open `IndexStore` (and the root where it reads files), so the CLI
and the MCP server answer the same way.

Not for: writing the index (indexer) or the wire formats (cli, mcp_server).
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterable, Optional

from .discover import (ConfinedRoot, DiscoveryOptions, OutsideRoot, language_of_head,
                       named_files, open_inside, ripgrep_binary)
from .languages import resolve_language
from .store import IndexStore
from .symbol import KINDS, Symbol

MATCH_MODES = ("auto", "exact", "prefix", "substring", "fuzzy")
_KIND_RANK = {k: i for i, k in enumerate(
    ("class", "interface", "struct", "enum", "function", "method", "constructor", "type_alias",
     "module", "namespace", "package", "macro", "property", "field", "constant", "variable",
     "enum_member", "type_parameter", "import"))}


class QueryError(ValueError):
    """A bad search argument; the message names it."""


@dataclass
class Hit:
    id: int
    symbol: Symbol
    match: str  # exact / prefix / substring / fuzzy

    def to_dict(self) -> dict:
        d = self.symbol.to_dict()
        d["id"] = self.id
        d["match"] = self.match
        return d


def kind_filter(kind: str) -> set[str]:
    """The kinds a comma-separated `kind` argument names; QueryError for an unknown one."""
    kinds = {k.strip() for k in kind.split(",") if k.strip()}
    for k in sorted(kinds):
        if k not in KINDS:
            raise QueryError(f"unknown kind {k!r}; choose from: {', '.join(KINDS)}")
    if not kinds:
        raise QueryError(f"no kind in {kind!r}; choose from: {', '.join(KINDS)}")
    return kinds


def _filters(kind: Optional[str], language: Optional[str],
             path_glob: Optional[str]) -> tuple[str, list]:
    clauses, params = [], []
    if kind:
        kinds = sorted(kind_filter(kind))
        clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
        params += kinds
    if language:  # one name, or several comma-separated
        try:
            names = sorted({resolve_language(n) for n in language.split(",") if n.strip()})
        except ValueError as exc:
            raise QueryError(str(exc)) from None
        if not names:
            raise QueryError(f"no language in {language!r}: see `ragex languages`")
        clauses.append(f"language IN ({','.join('?' * len(names))})")
        params += names
    if path_glob:
        glob = path_glob if any(c in path_glob for c in "*?[") else f"*{path_glob}*"
        clauses.append("path GLOB ?")
        params.append(glob)
    return (" AND ".join(clauses) or "1"), params


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _rank(hit: Hit, query: str) -> tuple:
    s = hit.symbol
    return (_KIND_RANK.get(s.kind, 50) >= _KIND_RANK["import"],
            s.name != query and s.qualified_name != query,  # exact case first
            query.lower() not in s.name.lower(),  # the name itself, not only its scope
            len(s.name), _KIND_RANK.get(s.kind, 50), s.path, s.start_line)


def search_symbols(store: IndexStore, query: str, kind: Optional[str] = None,
                   language: Optional[str] = None, path_glob: Optional[str] = None,
                   match: str = "auto", limit: int = 20) -> list[Hit]:
    """Symbols matching `query`, best first.

    While a build has dropped the search indexes (`store.search_ready()` is false) every
    tier scans the table; inside `store.time_budget(...)` the scans stop when the time is
    up, and the search answers from the rows they reached."""
    query = query.strip()
    if not query:
        raise QueryError("the query is empty")
    if match not in MATCH_MODES:
        raise QueryError(f"unknown match mode {match!r}; choose from: {', '.join(MATCH_MODES)}")
    if limit < 1:
        raise QueryError("limit must be ≥ 1")
    where, params = _filters(kind, language, path_glob)
    ready = store.search_ready()  # read once: a build may end during the search
    modes = ("exact", "prefix", "substring", "fuzzy") if match == "auto" else (match,)
    hits: list[Hit] = []
    imports: list[Hit] = []  # an import only points elsewhere: after every definition
    seen: set[int] = set()
    for mode in modes:
        room = limit - len(hits)
        if room <= 0 or (mode == "fuzzy" and match == "auto" and (hits or imports)) or \
                store.scan_cut():
            break  # typo tolerance is the fallback for a query that matched nothing
        found = _TIERS[mode](store, query, where, params, room + len(seen), ready)
        tier = [Hit(i, s, mode) for i, s in found if i not in seen]
        if mode != "fuzzy":  # fuzzy comes ordered by edit distance
            tier.sort(key=lambda h: _rank(h, query))
        for hit in tier:
            if len(hits) >= limit:
                break
            seen.add(hit.id)
            (imports if hit.symbol.kind == "import" else hits).append(hit)
    return (hits + imports)[:limit]


def _exact(store, query, where, params, limit, ready):
    rows = store.symbols_where(
        f"(name = ? COLLATE NOCASE OR qualified_name = ? COLLATE NOCASE) AND {where}",
        [query, query, *params], limit=limit * 4)
    if "." in query and len(rows) < limit:  # `Class.method`: a qualified-name suffix
        suffix = "." + query.lower()
        last = query.rsplit(".", 1)[1]
        if last:
            rows += [(i, s) for i, s in store.symbols_where(
                f"name = ? COLLATE NOCASE AND {where}", [last, *params], limit=5000)
                if s.qualified_name.lower().endswith(suffix)]
    return rows


def _prefix(store, query, where, params, limit, ready):
    upper = query + "\U0010ffff"
    return store.symbols_where(
        f"((name >= ? COLLATE NOCASE AND name < ? COLLATE NOCASE) OR "
        f"(qualified_name >= ? COLLATE NOCASE AND qualified_name < ? COLLATE NOCASE)) AND {where}",
        [query, upper, query, upper, *params], limit=limit * 4)


def _substring(store, query, where, params, limit, ready):
    if len(query) < 3 or not ready:  # below the trigram size, or mid-build: scan
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return store.symbols_where(
            f"(name LIKE ? ESCAPE '\\' OR qualified_name LIKE ? ESCAPE '\\') AND {where}",
            [f"%{escaped}%", f"%{escaped}%", *params], limit=limit * 4)
    cap = max(400, limit * 20)
    if "." not in query:
        return _rows_for(store, store.fts_ids(_fts_phrase(query), cap), where, params)
    # a dotted query (`decoder.JSONDec`) runs into the name: find names containing its
    # last part, keep those whose qualified name contains the whole
    last = query.rsplit(".", 1)[1]
    if len(last) < 3:
        return []
    wanted = query.lower()
    return [(i, s) for i, s in
            _rows_for(store, store.fts_ids(_fts_phrase(last), cap * 5), where, params)
            if wanted in s.qualified_name.lower()]


def _rows_for(store, ids, where, params):
    if not ids:
        return []
    return store.symbols_where(f"id IN ({','.join(map(str, set(ids)))}) AND {where}", params)


def _fuzzy(store, query, where, params, limit, ready):
    """Names within 1 edit (2 for 9+ characters) of `query`, closest first.

    Candidates come from the trigram index: an edit (a transposition included) changes at
    most 4 of the query's trigrams, so any 4 x budget + 1 of them include one that a match
    still contains. Taking the rarest (fts5vocab gives their counts) keeps the candidate
    set small; the edit distance then decides. Short queries, with too few trigrams for
    that guarantee, also look at names of about the same length sharing the first two
    characters.
    """
    text = query.lower()
    if len(text) < 3 or not ready:
        return []
    budget = 1 if len(text) < 9 else 2
    grams = list(dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2)))
    counts = store.trigram_counts(grams)
    present = sorted((g for g in grams if counts.get(g)), key=lambda g: counts[g])
    names: list[str] = []
    shortest, longest = len(text) - budget, len(text) + budget
    if present:
        chosen = present[: 4 * budget + 1]
        names = store.names_matching(
            "name : (" + " OR ".join(_fts_phrase(g) for g in chosen) + ")",
            shortest, longest, 20000)
    if len(grams) < 4 * budget + 1:
        names += store.names_near(text[:2], shortest, longest, 5000)
    letters = set(text)
    distance_of: dict[str, int] = {}
    for name in names:
        lowered = name.lower()
        if lowered in distance_of:
            continue
        # an edit changes the set of letters by at most two: a cheap first cut
        if len(letters.symmetric_difference(lowered)) > 2 * budget:
            distance_of[lowered] = budget + 1
        else:
            distance_of[lowered] = _edit_distance(text, lowered, budget)
    close = sorted((d, len(n), n) for n, d in distance_of.items() if d <= budget)[: limit * 4]
    if not close:
        return []
    rows = store.symbols_where(
        f"name COLLATE NOCASE IN ({','.join('?' * len(close))}) AND {where}",
        [n for _, _, n in close] + list(params), limit=limit * 8)
    order = {n: i for i, (_, _, n) in enumerate(close)}
    rows.sort(key=lambda row: order.get(row[1].name.lower(), len(order)))
    return rows


_TIERS = {"exact": _exact, "prefix": _prefix, "substring": _substring, "fuzzy": _fuzzy}


def _edit_distance(a: str, b: str, budget: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) if at most `budget`, else
    `budget + 1`. Only the band of cells within `budget` of the diagonal is computed: a
    cell off it is more than `budget` edits anyway."""
    la, lb = len(a), len(b)
    if abs(la - lb) > budget:
        return budget + 1
    if a == b:
        return 0
    over = budget + 1
    previous2: list[int] = []
    previous = [j if j <= budget else over for j in range(lb + 1)]
    for i in range(1, la + 1):
        ca = a[i - 1]
        current = [over] * (lb + 1)
        current[0] = i if i <= budget else over
        lowest = current[0]
        for j in range(max(1, i - budget), min(lb, i + budget) + 1):
            cb = b[j - 1]
            value = previous[j - 1] + (ca != cb)
            if previous[j] + 1 < value:
                value = previous[j] + 1
            if current[j - 1] + 1 < value:
                value = current[j - 1] + 1
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and \
                    previous2[j - 2] + 1 < value:
                value = previous2[j - 2] + 1
            if value > over:
                value = over
            current[j] = value
            if value < lowest:
                lowest = value
        if lowest > budget:
            return over
        previous2, previous = previous, current
    return min(previous[lb], over)


# --------------------------------------------------------------------- outlines


@dataclass
class OutlineNode:
    symbol: Symbol
    children: list = field(default_factory=list)

    def to_dict(self) -> dict:
        d = self.symbol.to_dict()
        d["children"] = [c.to_dict() for c in self.children]
        return d


def build_tree(symbols: Iterable[Symbol]) -> list[OutlineNode]:
    """Nest one file's symbols by their `parent` (in source order)."""
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    latest: dict[str, OutlineNode] = {}
    for symbol in symbols:
        node = OutlineNode(symbol)
        while stack and not (stack[-1].symbol.start_byte <= symbol.start_byte and
                             symbol.end_byte <= stack[-1].symbol.end_byte):
            stack.pop()
        parent = None
        if symbol.parent is not None:
            if stack and stack[-1].symbol.qualified_name == symbol.parent:
                parent = stack[-1]
            else:
                parent = next((n for n in reversed(stack)
                               if n.symbol.qualified_name == symbol.parent), None) \
                    or latest.get(symbol.parent)  # e.g. a Go method under its type
        (parent.children if parent else roots).append(node)
        latest[symbol.qualified_name] = node
        if symbol.kind != "import":
            stack.append(node)
    return roots


# ----------------------------------------------------------------------- source


@dataclass
class Source:
    symbol: Symbol
    id: int
    code: str
    stale: bool  # the file changed since it was indexed

    def to_dict(self) -> dict:
        d = self.symbol.to_dict()
        d.update(id=self.id, code=self.code, stale=self.stale)
        return d


def find_definitions(store: IndexStore, name_or_id: str, limit: int = 10) -> list[Hit]:
    text = str(name_or_id).strip()
    if text.isdigit():
        number = int(text)
        symbol = store.symbol_by_id(number) if number < 1 << 63 else None  # SQLite's range
        return [Hit(number, symbol, "id")] if symbol else []
    hits = [h for h in search_symbols(store, text, match="exact", limit=limit)
            if h.symbol.kind != "import"]
    return hits or search_symbols(store, text, match="exact", limit=limit)


def read_source(root: str, store: IndexStore, hit: Hit, max_bytes: int = 200_000,
                follow_outside: bool = False) -> Source:
    """The source of one definition, read from the file as it is now (`stale` when it
    changed since indexing), through `open_inside`: a file swapped since for a symlink out
    of the root is refused, not read."""
    symbol = hit.symbol
    row = store.file_row(symbol.path)
    try:
        fd = open_inside(root, symbol.path, follow_outside)
    except OSError as exc:
        hint = "; run `ragex index` if it moved" if isinstance(exc, OutsideRoot) else ""
        raise QueryError(f"{symbol.path}: cannot read the source "
                         f"({exc.strerror or exc}{hint})") from None
    from .extract import declared_codec  # (the extractor is not loaded for other queries)

    with os.fdopen(fd, "rb") as fh:
        stale = row is not None and os.fstat(fd).st_mtime_ns != row.mtime_ns
        codec = declared_codec(fh.read(_HEAD_BYTES), symbol.language)  # a coding cookie
        fh.seek(0)
        text = _line_range(fh, symbol.start_line, symbol.end_line, max_bytes + 1)
    code = text[:max_bytes].decode(codec, "replace")
    if len(text) > max_bytes:
        code += f"\n… (truncated at {max_bytes} bytes)"
    return Source(symbol, hit.id, code, stale)


def _line_range(fh: BinaryIO, first: int, last: int, cap: int) -> bytes:
    """Lines `first` to `last` (1-based) of a file, joined by "\\n", at most `cap` bytes
    of them: memory stays within that bound however long the file or its lines."""
    out = bytearray()
    number = 1
    while number <= last and len(out) < cap:
        chunk = fh.readline(_CHUNK)
        if not chunk:
            break
        if number >= first:
            out += chunk[:cap - len(out)]
        if chunk.endswith(b"\n"):
            number += 1
    if number > last and out.endswith(b"\n"):
        del out[-1]  # the newline after the last line
    return bytes(out)


_CHUNK = 64 * 1024  # what one readline reads at most
_HEAD_BYTES = 8192  # where a coding cookie can be


def parent_chain(store: IndexStore, symbol: Symbol) -> list[Symbol]:
    chain = []
    current = symbol
    while current.parent:
        # COLLATE NOCASE: the only index on qualified_name is case-insensitive (a plain
        # `=` scanned every row: 1.6 s a look-up on the kernel); exact case is kept below
        rows = [s for _, s in store.symbols_where("qualified_name = ? COLLATE NOCASE",
                                                   (current.parent,), limit=200)
                if s.qualified_name == current.parent]
        if not rows:
            break
        current = next((s for s in rows if s.path == current.path), rows[0])
        chain.append(current)
        if len(chain) > 50:
            break
    return chain


# ------------------------------------------------------------------------- grep


@dataclass
class GrepHit:
    path: str
    line: int
    column: int
    text: str
    symbol: Optional[Symbol]
    before: Optional[list[str]] = None  # context lines, when asked for
    after: Optional[list[str]] = None

    def to_dict(self) -> dict:
        d = {"path": self.path, "line": self.line, "column": self.column, "text": self.text,
             "symbol": self.symbol.qualified_name if self.symbol else None,
             "symbol_kind": self.symbol.kind if self.symbol else None}
        if self.before is not None:
            d["before"], d["after"] = self.before, self.after
        return d


@dataclass
class GrepRun:
    """What one grep found: its hits, and the listed files it could not read, with why (a
    permission or I/O error; a file that now leads out of the root, is no longer a regular
    file or is gone is left out silently, as discovery would leave it)."""

    hits: list[GrepHit]
    unread: list[tuple[str, str]] = field(default_factory=list)


def grep(root: str, store: Optional[IndexStore], pattern: str, regex: bool = True,
         path_glob: Optional[str] = None, ignore_case: bool = False, limit: int = 200,
         discovery: DiscoveryOptions = DiscoveryOptions(), context: int = 0) -> GrepRun:
    """ripgrep over the files discovery admits (the index's file set, as the tree is now),
    narrowed by `path_glob` (`path_matcher`); each hit with its enclosing symbol and
    `context` lines before and after.

    ripgrep is given no path into the tree: each file is opened here through `ConfinedRoot`
    and ripgrep reads the open file (/dev/fd/N), so what it reads is a file inside the
    root whatever the tree does meanwhile; context lines come from the same open file.
    Hits come in path order, at most `limit`; files are searched in batches
    (`_batch_size`), the first small, so that a common word stops early."""
    files = list(named_files(root, discovery))
    if path_glob:
        wanted = path_matcher(path_glob)
        files = [(path, language) for path, language in files if wanted(path)]
    order = {path: i for i, (path, _) in enumerate(files)}
    run = GrepRun([])
    symbols_of: dict[str, list[Symbol]] = {}
    pending = files[::-1]  # a stack: the next file last
    most = _batch_size()
    size = min(most, 256)  # a common word fills the limit from the first few files
    with ConfinedRoot(root, discovery.follow_outside) as confined:
        while pending and len(run.hits) < limit:
            opened = _open_batch(confined, pending, size, run.unread)
            size = min(most, size * 4)
            try:
                found = _search(opened, pattern, regex, ignore_case, limit - len(run.hits),
                                run.unread)
                found.sort(key=lambda hit: (order[hit.path], hit.line))
                if context:
                    _add_context(found, {path: fd for fd, path in opened.items()}, context)
            finally:
                for fd in opened:
                    os.close(fd)
            for hit in found:
                if store is not None:
                    if hit.path not in symbols_of:
                        symbols_of[hit.path] = [s for s in store.file_symbols(hit.path)
                                                if s.kind != "import"]
                    hit.symbol = _enclosing(symbols_of[hit.path], hit.line)
            run.hits += found
    return run


def _batch_size() -> int:
    """Files open at once for one ripgrep run: a quarter of the open-file limit."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft == resource.RLIM_INFINITY:
            soft = 1 << 16
    except (ImportError, OSError, ValueError):
        soft = 1024
    return max(16, min(4096, soft // 4))


def _open_batch(confined: ConfinedRoot, pending: list[tuple[str, Optional[str]]], size: int,
                unread: list[tuple[str, str]]) -> dict[int, str]:
    """Up to `size` files from the end of `pending` (path, language by name), opened:
    fd -> path. Opening is discovery's check at the moment of reading: a file that leads
    out of the root, is no longer a regular file or is gone is left out, as discovery
    would leave it; one that cannot be read goes to `unread`. Out of descriptors, the
    batch ends early and leaves a few free for the search itself."""
    opened: dict[int, tuple[str, Optional[str]]] = {}
    while pending and len(opened) < size:
        path, language = pending.pop()
        try:
            fd = confined.open(path)
        except OutsideRoot:
            continue
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE) and len(opened) > _SPARE:
                pending.append((path, language))
                for fd in reversed(list(opened)[-_SPARE:]):  # in path order again
                    pending.append(opened.pop(fd))
                    os.close(fd)
                break
            if exc.errno not in _NOT_LISTED:
                unread.append((path, exc.strerror or str(exc)))
            continue
        if language is None and language_of_head(os.pread(fd, 256, 0)) is None:
            os.close(fd)  # extensionless, and no `#!` line of a supported language
            continue
        opened[fd] = (path, language)
    return {fd: path for fd, (path, _) in opened.items()}


_SPARE = 16  # descriptors a batch cut short by the open-file limit leaves free


# what discovery would not list either: gone, no longer a regular file, a symlink loop
_NOT_LISTED = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EINVAL, errno.ELOOP})


def _search(opened: dict[int, str], pattern: str, regex: bool, ignore_case: bool,
            room: int, unread: list[tuple[str, str]]) -> list[GrepHit]:
    """ripgrep over the open files, at most `room` hits; a binary file (a NUL byte, as
    ripgrep's own walk would skip it) gives none."""
    if not opened:
        return []
    args = [ripgrep_binary(), "--json", "--no-config", "--max-columns", "500",
            "--max-columns-preview"]
    if not regex:
        args.append("--fixed-strings")
    if ignore_case:
        args.append("--ignore-case")
    args += ["-e", pattern, "--", *(f"/dev/fd/{fd}" for fd in opened)]
    found: list[GrepHit] = []
    of_file: dict[str, list[GrepHit]] = {}  # a file's hits until its end says "not binary"
    with tempfile.TemporaryFile() as errors:  # a pipe could fill while stdout is read
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=errors, pass_fds=tuple(opened))
        try:
            assert proc.stdout is not None
            for raw in proc.stdout:
                event = json.loads(raw)
                kind, data = event.get("type"), event.get("data") or {}
                if kind not in ("match", "end"):
                    continue
                path = opened.get(_fd_of(_rg_text(data["path"])))
                if path is None:
                    continue
                hits = of_file.setdefault(path, [])
                if kind == "match":
                    if len(hits) < room:
                        column = data["submatches"][0]["start"] if data.get("submatches") \
                            else 0
                        hits.append(GrepHit(path, data["line_number"], column,
                                            _rg_text(data["lines"]).rstrip("\n"), None))
                    continue
                if data.get("binary_offset") is None:
                    found += hits
                del of_file[path]
                if len(found) >= room:
                    break
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        if proc.returncode == 2:
            errors.seek(0)
            _read_errors(errors.read().decode(errors="replace"), opened, pattern,
                         unread, bool(found))
    return found[:room]


def _fd_of(path: str) -> int:
    prefix = "/dev/fd/"
    return int(path[len(prefix):]) if path.startswith(prefix) and \
        path[len(prefix):].isdigit() else -1


def _read_errors(message: str, opened: dict[int, str], pattern: str,
                 unread: list[tuple[str, str]], found: bool) -> None:
    """ripgrep's complaints: about one file, that file was not searched; any other, with
    nothing found, is the pattern's."""
    for line in message.strip().splitlines():
        where, _, why = line.removeprefix("rg: ").partition(": ")
        path = opened.get(_fd_of(where))
        if path is not None:
            unread.append((path, why))
        elif not found:
            raise QueryError(f"bad pattern {pattern!r}: {line}")


def _add_context(hits: list[GrepHit], fd_of: dict[str, int], context: int) -> None:
    wanted: dict[str, set[int]] = {}
    for hit in hits:
        wanted.setdefault(hit.path, set()).update(
            range(max(1, hit.line - context), hit.line + context + 1))
    lines_of = {path: _lines_at(fd_of[path], numbers) for path, numbers in wanted.items()}
    for hit in hits:
        lines = lines_of[hit.path]
        hit.before = [lines[n] for n in range(max(1, hit.line - context), hit.line)
                      if n in lines]
        hit.after = []
        for n in range(hit.line + 1, hit.line + context + 1):
            if n not in lines:
                break  # the end of the file
            hit.after.append(lines[n])


def _lines_at(fd: int, wanted: set[int]) -> dict[int, str]:
    """Lines of an open file by number (1-based), each cut at 500 characters; the file is
    read from its start to the last one wanted, a bounded chunk at a time."""
    lines: dict[int, str] = {}
    last = max(wanted)
    number, at_start = 1, True
    with open(fd, "rb", closefd=False) as fh:
        fh.seek(0)
        while number <= last:
            chunk = fh.readline(_CHUNK)
            if not chunk:
                break
            if at_start and number in wanted:  # a line's first chunk holds its preview
                text = chunk[:2000].decode("utf-8", "replace")  # 500 characters fit
                lines[number] = text.rstrip("\n").removesuffix("\r")[:500]
            at_start = chunk.endswith(b"\n")
            if at_start:
                number += 1
    return lines


def path_matcher(path_glob: str) -> Callable[[str], bool]:
    """Which root-relative paths `path_glob` picks, as ripgrep's --glob does (gitignore
    syntax: `*`, `?` and `[...]` stay within a directory, `**` crosses them, `{a,b}`
    chooses; a glob without "/" matches a file's name at any depth, one with "/" the path
    from the root; a leading "!" leaves out what it matches); a trailing "/" picks the
    files below that directory, and a word without wildcards matches anywhere in the
    path, as the --path flag says. It only ever narrows the file set it is given."""
    negate = path_glob.startswith("!")
    glob = path_glob[1:] if negate else path_glob
    if not any(c in glob for c in "*?[{"):
        word = glob.lstrip("/")

        def matches(path: str) -> bool:
            return word in path
    else:
        if glob.endswith("/"):
            glob += "**"
        anchored = "/" in glob.rstrip("/")
        body = _glob_regex(glob.lstrip("/"))
        regex = re.compile(body if anchored else "(?:.*/)?" + body, re.DOTALL)

        def matches(path: str) -> bool:
            return regex.fullmatch(path) is not None
    return (lambda path: not matches(path)) if negate else matches


def _glob_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**", i):
            before = i == 0 or glob[i - 1] == "/"
            after = glob[i + 2:i + 3]
            if before and after == "/":  # `**/`: any directories, none included
                out.append("(?:.*/)?")
                i += 3
                continue
            if before and not after:  # a trailing `/**`: everything below
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and "]" in glob[i + 2:]:
            end = glob.index("]", i + 2)
            members = glob[i + 1:end]
            negated = members[:1] in ("!", "^")
            members = members[1:] if negated else members
            out.append("[" + ("^" if negated else "") +
                       members.replace("\\", "\\\\").replace("[", "\\[") + "]")
            i = end + 1
        elif c == "{" and "}" in glob[i:]:
            end = glob.index("}", i)
            out.append("(?:" + "|".join(_glob_regex(alt) for alt in glob[i + 1:end].split(","))
                       + ")")
            i = end + 1
        elif c == "\\" and i + 1 < len(glob):
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def check_regex(pattern: str) -> None:
    """Raise QueryError if ripgrep rejects `pattern`."""
    proc = subprocess.run([ripgrep_binary(), "--no-config", "-e", pattern, "-"], input=b"",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if proc.returncode == 2:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[-1].removeprefix("error: ") if lines else "rejected by ripgrep"
        raise QueryError(f"bad pattern {pattern!r}: not a valid regex: {reason} (pass "
                         "-F / regex=false to search for the text itself)")


def _rg_text(obj: dict) -> str:
    if "text" in obj:
        return obj["text"]
    import base64

    return base64.b64decode(obj.get("bytes", "")).decode("utf-8", "replace")


def _enclosing(symbols: list[Symbol], line: int) -> Optional[Symbol]:
    best = None
    for s in symbols:
        if s.start_line <= line <= s.end_line:
            if best is None or (s.end_line - s.start_line) <= (best.end_line - best.start_line):
                best = s
    return best


# ------------------------------------------------------------------------- tags

_TAG_EXCLUDED = frozenset({"import"})


def write_tags(store: IndexStore, out, shown: Callable[[str], str] = lambda path: path
               ) -> tuple[int, list[str]]:
    """A universal-ctags compatible tags file (sorted; kind, line, scope, signature), each
    path as `shown` gives it (relative to the tags file's directory, for vim). Returns the
    number of tags and the files left out: a path holding a tab or a line break cannot be
    written in a tags file (it would end the field or the line)."""
    out.write("!_TAG_FILE_FORMAT\t2\t/extended format; --format=1 will not append ;\" to lines/\n")
    out.write("!_TAG_FILE_SORTED\t1\t/0=unsorted, 1=sorted, 2=foldcase/\n")
    out.write("!_TAG_PROGRAM_NAME\tragex\t//\n")
    lines = []
    left_out: dict[str, None] = {}
    kinds_by_path: dict[str, dict[str, str]] = {}
    path_of: dict[str, Optional[str]] = {}
    for _, s in store.symbols_where("kind != 'import'", order="path, start_byte"):
        if s.path not in path_of:
            path = shown(s.path)
            path_of[s.path] = None if _UNWRITABLE.search(path) else path
        path = path_of[s.path]
        if path is None:
            left_out[s.path] = None
            continue
        scope_kinds = kinds_by_path.setdefault(s.path, {})
        scope_kinds[s.qualified_name] = s.kind
        fields = [f"kind:{s.kind}", f"line:{s.start_line}", f"language:{s.language}"]
        if s.parent:
            fields.append(f"{scope_kinds.get(s.parent, 'scope')}:{_one_line(s.parent)}")
        if s.signature:
            fields.append("signature:" + _one_line(s.signature.replace("\\", "\\\\")))
        lines.append(f"{_one_line(s.name)}\t{path}\t{s.start_line};\"\t" + "\t".join(fields))
    lines.sort(key=lambda line: line.encode("utf-8", "surrogateescape"))
    for line in lines:
        out.write(line + "\n")
    return len(lines), list(left_out)


_UNWRITABLE = re.compile(r"[\t\n\r]")


def _one_line(text: str) -> str:
    """A field value without what would end it: tabs and line breaks become spaces."""
    return _UNWRITABLE.sub(" ", text)
