"""Extract: one file in, its definitions out, as `Symbol` records in source order.

The extractor is generic. It runs a language's query (see `docs/queries.md` for the
capture contract) and derives everything else from the tree the same way for every
language: nesting and qualified names from byte ranges, signatures from the text before
the body, docs from docstrings or adjacent comments, modifiers and decorators from the
registry row. `extract_file` wraps it with the file-level rules: every file ends as
ok, skipped or failed with a reason, and no exception escapes for one file.

Not for: choosing files (discover), running many files (parallel) or storing (store).
"""

from __future__ import annotations

import ast
import bisect
import codecs
import functools
import hashlib
import os
import re
import stat
import time
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple, Optional

import tree_sitter as ts

from .discover import open_inside
from .languages import BY_NAME, LanguageSpec, language_by_name, language_for_path, needs_head
from .parser_pool import LanguageUnavailable, SharedParserPool, process_parser_pool
from .reference import REF_KINDS
from .symbol import CALLABLE, CLASS_LIKE, Symbol
from . import faults, lexical

DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024
_HEAD_BYTES = 8192
_TAIL_BYTES = 3000  # where a modeline at the end of a file is looked for
_SIG_MAX = 300
_VALUE_KINDS = frozenset({"variable", "constant", "field", "enum_member", "property",
                          "type_alias", "macro", "import", "package", "namespace", "module"})
_LOCAL_KINDS = frozenset({"variable", "constant", "import"})
_SCOPE_SPLIT = re.compile(r"::|\\|\.")
_TEMPLATE_ARGS = re.compile(r"<[^<>]*>")
_WORD = re.compile(rb"[A-Za-z_]+")
_CONTINUATION = re.compile(rb"\\\r?\n")  # a backslash that joins two lines

STATUS_OK = "ok"
STATUS_SKIPPED = "skipped"
STATUS_FAILED = "failed"
STATUS_TIMEOUT = "timeout"


@dataclass
class ExtractionTask:
    """One file to extract (the design's record, plus the root-relative path)."""

    file_path: str
    rel_path: str = ""
    include_docs_and_comments: bool = True
    file_size: int = 0
    language: Optional[str] = None
    max_file_bytes: Optional[int] = None  # None: the extractor's configured limit
    # the indexed root: the file is opened inside it (no symlink swapped in after
    # discovery can lead the read out), as discovery's `follow_outside` allows
    root: Optional[str] = None
    follow_outside: bool = False
    documents: bool = False  # also build the lexical search documents (the indexer's)
    # Shipped to a process that cannot read the file (a cluster worker without the tree):
    # its bytes, read by the sender with `read_source`, and its Python module name, which
    # depends on the sender's file system (`python_module_name`). None: read `file_path`.
    content: Optional[bytes] = None
    module: Optional[str] = None
    references: bool = True  # also extract the references (`Reference` rows in `refs`)

    def __post_init__(self) -> None:
        if not self.rel_path:
            self.rel_path = self.file_path.replace(os.sep, "/")


@dataclass
class ExtractionResult:
    """What became of one file: status ok / skipped / failed / timeout, and why."""

    file_path: str
    rel_path: str
    symbols: list[Symbol] = field(default_factory=list)
    status: str = STATUS_OK
    error: Optional[str] = None  # the reason, for every status but ok
    warning: Optional[str] = None  # e.g. syntax errors: what parsed was extracted
    language: Optional[str] = None
    size: int = 0
    mtime_ns: int = 0
    content_hash: Optional[str] = None
    processing_time: float = 0.0
    # Only when the caller asked for raw results (`iter_extract(raw=True)`, the indexer):
    # the symbols as plain tuples in Symbol field order, what the store writes, and
    # `symbols` empty, so the main process never builds records it would take apart again.
    rows: list[tuple] = field(default_factory=list)
    # When the task asked for them: the natural-language search rows of the symbols
    # (`lexical.documents`), built here while the source is in memory.
    documents: list[tuple] = field(default_factory=list)
    # the file's references as plain tuples in `Reference` field order, in source order
    # (always tuples: cheap to pickle, and what the store writes)
    refs: list[tuple] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return self.status == STATUS_OK

    @property
    def symbol_count(self) -> int:
        """How many symbols the file has, whichever form they arrived in."""
        return len(self.symbols) + len(self.rows)


# --------------------------------------------------------------------------- files

def _is_package_dir(directory: str) -> bool:
    # Asked anew each time (a stat): a worker lives on while `__init__.py` files come and go
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def python_module_name(file_path: str, rel_path: str) -> str:
    """Import path of a Python file: its name plus the enclosing `__init__.py` packages."""
    stem = os.path.splitext(os.path.basename(rel_path))[0]
    parts = [] if stem == "__init__" else [stem]
    directory = os.path.dirname(os.path.abspath(file_path))
    rel_dirs = rel_path.split("/")[:-1]
    # climb no higher than the indexed root: the relative path bounds the walk
    for rel_dir in reversed(rel_dirs):
        if not _is_package_dir(directory):
            break
        parts.insert(0, rel_dir)
        directory = os.path.dirname(directory)
    if not parts:  # a top-level __init__.py: name it after its directory
        parts = [os.path.basename(os.path.dirname(os.path.abspath(file_path))) or stem]
    return ".".join(parts)


def extract_file(task: ExtractionTask, pool: Optional[SharedParserPool] = None) -> ExtractionResult:
    """Extract one file. Never raises: every outcome is a status with a reason."""
    started = time.perf_counter()
    result = ExtractionResult(task.file_path, task.rel_path, language=task.language)
    try:
        _extract_file_into(task, result, pool or process_parser_pool())
    except Exception as exc:  # one file's failure never escapes
        result.symbols = []
        result.status = STATUS_FAILED
        result.error = f"{type(exc).__name__}: {exc}"
    result.processing_time = time.perf_counter() - started
    return result


def read_source(task: ExtractionTask, result: ExtractionResult) -> Optional[bytes]:
    """The file's bytes as extraction reads them, with its size and mtime in `result`; or
    None, with `result` skipped or failed and the reason (too large, not a regular file,
    vanished, unreadable)."""
    try:
        with _open(task) as fh:
            st = os.fstat(fh.fileno())
            result.size = st.st_size
            result.mtime_ns = st.st_mtime_ns
            if not stat.S_ISREG(st.st_mode):
                _skip(result, "not a regular file")
                return None
            limit = task.max_file_bytes or DEFAULT_MAX_FILE_BYTES
            if st.st_size > limit:
                _skip(result, f"too large: {st.st_size} bytes > limit {limit} "
                              "(raise RAGEX_MAX_FILE_BYTES or --max-file-bytes to index it)")
                return None
            # as much as the file holds, plus one byte to see that it grew (a read of the
            # limit itself allocates the limit: 12 us a file, most files being small)
            want = min(st.st_size, limit) + 1
            data = fh.read(want)
            if len(data) == want and want <= limit:  # it grew while we read it: read on
                data += fh.read(limit + 1 - want)
    except FileNotFoundError:
        result.status, result.error = STATUS_FAILED, "vanished: file no longer exists"
        return None
    except OSError as exc:  # permission denied, I/O error, ...
        result.status, result.error = STATUS_FAILED, f"unreadable: {exc.strerror or exc}"
        return None
    if len(data) > limit:  # grew while we read it
        _skip(result, f"too large: more than {limit} bytes")
        return None
    return data


def content_hash(data: bytes) -> str:
    """The hash the index keeps of a file's bytes (`ExtractionResult.content_hash`)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _extract_file_into(task: ExtractionTask, result: ExtractionResult,
                       pool: SharedParserPool) -> None:
    if task.content is None:
        data = read_source(task, result)
        if data is None:
            return
    else:  # read by the sender, which keeps the file's mtime
        data = task.content
        result.size = len(data)
    result.content_hash = content_hash(data)
    if data.find(b"\0", 0, _HEAD_BYTES) >= 0:
        _skip(result, "binary: contains NUL bytes")
        return
    language = task.language
    if language is None or (needs_head(task.rel_path) and
                            language == language_by_name(task.rel_path)):
        # a `.h` named C by its extension may be C++ or Objective-C by its content; a
        # language the caller chose otherwise stands
        language = language_for_path(task.rel_path, data[:_HEAD_BYTES],
                                     data[-_TAIL_BYTES:]) or language
    if language is None:
        _skip(result, "unsupported: no language for this file name, #! line or modeline")
        return
    result.language = language
    faults.maybe_inject(task.rel_path)
    data, warning = _as_utf8(data, BY_NAME[language])
    module = None
    if BY_NAME[language].module_from_path:
        module = task.module or python_module_name(task.file_path, task.rel_path)
    embedded_warnings: list[str] = []
    try:
        refs: Optional[list] = [] if task.references else None
        symbols, has_errors = extract_source(data, language, task.rel_path, module=module,
                                             pool=pool, docs=task.include_docs_and_comments,
                                             warnings=embedded_warnings, refs=refs)
    except LanguageUnavailable as exc:
        _skip(result, str(exc))
        return
    result.symbols = symbols
    if task.documents:
        result.documents = lexical.documents(symbols, data)
    result.refs = refs or []
    if has_errors:
        warning = "; ".join(filter(None, [warning, "syntax errors: extracted what parsed"]))
    if embedded_warnings:
        warning = "; ".join(filter(None, [warning, *embedded_warnings]))
    result.warning = warning


def _open(task: ExtractionTask):
    if task.root is None:  # a file named by its user: as named
        return open(task.file_path, "rb")
    return os.fdopen(open_inside(task.root, task.rel_path, task.follow_outside), "rb")


def _skip(result: ExtractionResult, reason: str) -> None:
    result.status = STATUS_SKIPPED
    result.error = reason


_BOM = b"\xef\xbb\xbf"
_UTF8 = frozenset({"utf-8", "utf-8-sig"})


def _as_utf8(data: bytes, spec: LanguageSpec) -> tuple[bytes, Optional[str]]:
    """The text of a file as UTF-8, and a warning when it could not be read as written.

    A file is UTF-8 unless it declares another encoding the way its language allows (the
    row's `encoding_cookie`: Python's PEP 263 cookie, Ruby's magic comment, PHP's
    `declare(encoding=...)`); a UTF-8 byte-order mark wins over a cookie (Python refuses a
    file where they disagree). Text in another encoding is decoded and re-encoded as UTF-8,
    without a warning: byte offsets then count the UTF-8 text (see `Symbol`). A cookie
    naming no ASCII-compatible text codec, or text that does not decode as declared, is
    read as UTF-8 with a warning naming the codec; invalid UTF-8 is decoded with
    replacement characters, with a warning.
    """
    warning = None
    cookie = _cookie(data, spec)
    if cookie is not None:
        codec = _text_codec(cookie)
        if codec is None:
            warning = (f"declared encoding {cookie!r} is unknown or not ASCII-compatible: "
                       "read as UTF-8")
        elif codec not in _UTF8 and data.startswith(_BOM):
            warning = f"encoding {cookie!r} declared after a UTF-8 byte-order mark: read as UTF-8"
        elif codec not in _UTF8 and not data.isascii():
            try:
                return data.decode(codec).encode("utf-8"), None
            except UnicodeDecodeError as exc:
                warning = (f"not {cookie} as declared (byte {exc.start} does not decode): "
                           "read as UTF-8")
    try:
        if not data.isascii():  # isascii is a fast scan; decoding builds a whole str
            data.decode("utf-8")
    except UnicodeDecodeError as exc:
        data = data.decode("utf-8", "replace").encode("utf-8")
        warning = "; ".join(filter(None, [
            warning, f"invalid UTF-8 at byte {exc.start}: decoded with replacement characters "
                     "(byte offsets refer to the decoded text)"]))
    return data, warning


def declared_codec(head: bytes, language: Optional[str]) -> str:
    """The codec a file's text is in, from its first bytes: what its cookie declares (a
    codec `_as_utf8` would honour), else UTF-8. For showing source as it was indexed."""
    spec = BY_NAME.get(language or "")
    cookie = _cookie(head, spec) if spec is not None and not head.startswith(_BOM) else None
    return (_text_codec(cookie) if cookie else None) or "utf-8"


def _cookie(data: bytes, spec: LanguageSpec) -> Optional[str]:
    """The encoding name the file declares in its head, if its language has a way."""
    if spec.encoding_cookie is None:
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    match = spec.encoding_cookie.match(data, start, start + _HEAD_BYTES)
    return match.group(1).decode("ascii") if match else None


_ASCII = bytes(range(128))


@functools.lru_cache(maxsize=64)
def _text_codec(name: str) -> Optional[str]:
    """Python's name for the codec `name`, if it is a text codec that reads ASCII as ASCII
    (a cookie is itself ASCII: UTF-16 or UTF-7 cannot be declared by one)."""
    try:
        codec = codecs.lookup(name).name
        if _ASCII.decode(codec) == _ASCII.decode("ascii"):
            return codec
    except (LookupError, UnicodeDecodeError):  # unknown, or not text (`rot13`, `hex`)
        pass
    return None


# ---------------------------------------------------------------------- one source


class _Def(NamedTuple):
    """A definition found by the query, before scopes are resolved."""

    start: int
    end: int
    pattern: int
    kind: str
    native: str
    node: ts.Node
    name_node: Optional[ts.Node]
    name: str
    body: Optional[ts.Node]
    doc_node: Optional[ts.Node]
    scope: Optional[ts.Node]
    settings: dict


# decorators and modifiers noted for a definition node, by its (start, end) bytes (and
# the start bytes of the decorator nodes already read)
_Notes = dict[tuple[int, int], tuple[list[str], set[str], set[int]]]


def extract_source(source: bytes, language: str, path: str = "<memory>",
                   module: Optional[str] = None, pool: Optional[SharedParserPool] = None,
                   docs: bool = True, ranges: Optional[list[ts.Range]] = None,
                   warnings: Optional[list[str]] = None,
                   refs: Optional[list] = None) -> tuple[list[Symbol], bool]:
    """Symbols of `source` in `language`, and whether the tree had syntax errors.

    `module` names the file's module for languages whose files are modules (Python);
    it prefixes every qualified name. `ranges`: parse only these parts of `source` (code
    embedded in another language's file; positions stay the file's). A language whose row
    declares `injections` adds the symbols of the code embedded in it (`embedded`);
    what could not be read there is appended to `warnings`. With a list as `refs`, the
    file's references are appended to it (from the same parse), as plain tuples in
    `Reference` field order, in source order.
    """
    pool = pool or process_parser_pool()
    loaded = pool.get(language, references=refs is not None)
    if ranges:
        parser = loaded.range_parser
        if parser is None:  # one per language and process, for embedded code
            parser = loaded.range_parser = ts.Parser(loaded.language)
        parser.included_ranges = ranges
        tree = parser.parse(source)
    elif loaded.spec.parse_masks:  # (positions stay: each mask keeps the length)
        tree = loaded.parser.parse(_masked(source, loaded.spec.parse_masks))
    else:
        tree = loaded.parser.parse(source)
    root = tree.root_node
    notes: _Notes = {}
    symbols = _resolve(_definitions(loaded, root, source, notes), notes, loaded, source, path,
                       module, docs)
    if refs is not None and loaded.refs_query is not None:
        refs.extend(_references(loaded, root, source, symbols))
    if loaded.injections is not None:
        from .embedded import with_embedded  # (it calls back into this module)

        before = len(refs) if refs is not None else 0
        symbols = with_embedded(symbols, loaded, root, source, path, pool, docs, warnings,
                                refs)
        if refs is not None and len(refs) > before:  # the regions' own: in source order
            refs.sort(key=_ref_position)
    return symbols, root.has_error


def _ref_position(row: tuple) -> tuple[int, int]:
    return row[4], row[5]


def _masked(source: bytes, masks) -> bytes:
    """`source` with the row's `parse_masks` applied: the same length, line for line (a
    pattern with a group masks that group only)."""
    for pattern, fill in masks:
        if pattern.groups:
            def one(m, fill=fill):
                at, text = m.start(), m.group()
                start, end = m.start(1) - at, m.end(1) - at
                return text[:start] + _NOT_NEWLINE.sub(fill, text[start:end]) + text[end:]
        else:
            def one(m, fill=fill):
                return _NOT_NEWLINE.sub(fill, m.group())
        source = pattern.sub(one, source)
    return source


_NOT_NEWLINE = re.compile(rb"[^\n]")


# A file larger than two windows is queried window by window: the query's matches (a
# Python object per capture) then never exist for the whole file at once, which bounds
# a worker's memory on multi-megabyte generated files.
WINDOW_BYTES = 256 * 1024


def _definitions(loaded, root: ts.Node, source: bytes, notes: _Notes):
    """The definitions of the file in source order (see `_collect`), window by window."""
    starts = _scan_starts(loaded.scan, root, source) if loaded.scan is not None else None
    cuts = _window_cuts(root, WINDOW_BYTES) if len(source) > 2 * WINDOW_BYTES else []
    if not cuts:
        yield from _collect(loaded, root, source, notes, starts=starts)
        return
    bounds = [0, *cuts, max(len(source), root.end_byte) + 1]
    # a name token claimed in one window stays claimed: two nested definitions around one
    # name (a C struct inside its typedef) may start on either side of a cut
    claimed: set[tuple[int, int, int]] = set()
    for lo, hi in zip(bounds, bounds[1:]):
        yield from _collect(loaded, root, source, notes, lo, hi, claimed, starts)


class _Starts(NamedTuple):
    """Where a `Scan` language's query runs: `depth` levels deep, or whole."""

    shallow: list[ts.Node]
    whole: list[ts.Node]


def _scan_starts(scan, root: ts.Node, source: bytes) -> _Starts:
    """The nodes a `Scan` language's query runs from (see `languages.Scan`).

    The `roots` met walking `walk` nodes from the root are queried `depth` levels deep.
    Queried whole: a code body that holds a mark (or holds an error), a definition whose
    head holds an `outside_marks` mark, a node of the row's `whole` kinds, and any other
    child of a walked node that holds an error unless it is a root (error recovery can put
    a definition anywhere) or an `outside_marks` mark. A body without a mark is not
    queried at all.
    """
    roots, walk, bodies, marks, whole = scan.roots, scan.walk, scan.bodies, scan.marks, scan.whole
    outside = scan.outside_marks
    starts = _Starts([], [])
    if root.kind_id in whole:  # the whole file failed to parse as one
        starts.whole.append(root)
        return starts
    stack = [root]
    while stack:
        node = stack.pop()
        kind = node.kind_id
        if kind in roots:
            starts.shallow.append(node)
        field = bodies.get(kind)
        body = node.child_by_field_id(field) if field is not None else None
        for child in node.named_children:
            if body is not None and child == body:
                if child.has_error:
                    starts.whole.append(child)
                elif _marked(outside, source, node.start_byte, child.end_byte):
                    starts.whole.append(node)  # (C: a struct in a parameter list)
                elif _marked(marks, source, child.start_byte, child.end_byte):
                    starts.whole.append(child)
                # else: a body without a mark holds nothing to report
                continue
            kind = child.kind_id
            if kind in whole:
                starts.whole.append(child)
            elif child.has_error and kind not in roots:
                # error recovery can put a definition anywhere in it (a root's own children
                # are all queried: it is walked on)
                starts.whole.append(child)
            elif kind in walk:
                stack.append(child)
            elif outside and child.named_child_count and \
                    _marked(outside, source, child.start_byte, child.end_byte):
                starts.whole.append(child)  # (C: `(struct s {...}) x` in an initializer)
    return starts


def _marked(marks, source: bytes, start: int, end: int) -> bool:
    for mark in marks:
        if mark.search(source, start, end) is not None:
            return True
    return False


def _scan_matches(query: ts.Query, starts: _Starts, depth: int, lo: int, hi: Optional[int]):
    for nodes, max_depth in ((starts.shallow, depth), (starts.whole, None)):
        cursor = ts.QueryCursor(query)
        if hi is not None:
            cursor.set_byte_range(lo, hi)
        if max_depth is not None:
            cursor.set_max_start_depth(max_depth)
        for node in nodes:
            if hi is None or (node.start_byte < hi and node.end_byte > lo):
                yield from cursor.matches(node)


def _window_cuts(root: ts.Node, window: int) -> list[int]:
    """Byte offsets, about `window` apart, where one sibling node ends and the next begins.

    Nodes larger than a window are entered, so a cut falls between two children of a big
    node (the `#ifndef` guard of a generated header, a huge class body): no definition
    smaller than a window straddles a cut.
    """
    cuts: list[int] = []
    cursor = root.walk()
    if not cursor.goto_first_child():
        return cuts
    next_cut = window
    while True:
        node = cursor.node
        start = node.start_byte
        if start >= next_cut:
            cuts.append(start)
            next_cut = start + window
        if node.end_byte - start > window and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == root:
                return cuts


def _collect(loaded, root: ts.Node, source: bytes, notes: _Notes, lo: int = 0,
             hi: Optional[int] = None, claimed: Optional[set] = None,
             starts: Optional[_Starts] = None) -> list[_Def]:
    """The definitions that start in bytes [lo, hi) (the whole file by default), sorted.

    `claimed` holds the name tokens of earlier windows; this window's are added to it.
    `starts`: where to run the query (a `Scan` language), else from the root. A match
    found from two of them is one definition (the same key) and one note."""
    found: dict[tuple[int, int, int], _Def] = {}
    settings_of = loaded.settings
    def_keys: dict[int, Optional[str]] = {}  # pattern -> its @definition.<kind> capture
    if starts is None:
        cursor = ts.QueryCursor(loaded.query)
        if hi is not None:
            cursor.set_byte_range(lo, hi)
        matches = cursor.matches(root)
    else:
        matches = _scan_matches(loaded.query, starts, loaded.scan.depth, lo, hi)
    for pattern, caps in matches:
        def_key = def_keys.get(pattern, "")
        if def_key == "":
            def_key = next((k for k in caps if k.startswith("definition.")), None)
            def_keys[pattern] = def_key
        settings = settings_of[pattern]
        if def_key is None:
            targets = caps.get("target")
            if targets:  # decorators / modifiers of a definition found by another pattern
                _note(notes, targets[0], caps.get("decorator", ()), settings, source)
            elif "decorates" in settings:  # a decorator of the item it precedes
                for decorator in caps.get("decorator", ()):
                    target = _decorated(decorator, settings["decorates"], loaded.spec)
                    if target is not None:
                        _note(notes, target, (decorator,), settings, source)
            continue
        node = caps[def_key][0]
        if hi is not None and not lo <= node.start_byte < hi:
            continue  # a definition of another window
        name_nodes = caps.get("name")
        if name_nodes:
            name_node = name_nodes[0]
            name_start = name_node.start_byte
            name_end = name_node.end_byte
            if name_end == name_start:
                continue  # a missing name is no name
            name = source[name_start:name_end].decode("utf-8", "replace")
            if "name_strip" in settings:  # e.g. Ruby `attr_reader :size` names `size`
                name = name.strip(settings["name_strip"])
            if "name_join" in settings:  # every @name, each followed by it: `a:b:`
                name = "".join(source[n.start_byte:n.end_byte].decode("utf-8", "replace")
                               + settings["name_join"] for n in name_nodes)
            if "name_collapse" in settings:  # a heading's text over several lines
                name = " ".join(name.split())
            # one name token names one definition: when patterns capture different nodes
            # around the same name (a C struct alone and inside a typedef), the first wins
            key = (-1, name_start, name_end)
        else:
            name_node = None
            name = settings.get("name", "")
            if not name and def_key != "definition.module" and "name_from" not in settings:
                continue
            key = (node.start_byte, node.end_byte, -1)
        previous = found.get(key)
        if previous is not None and previous.pattern <= pattern or \
                claimed is not None and key in claimed:
            continue
        kind = settings.get("kind") or def_key[11:]
        native = settings.get("native_kind", kind)
        if "native_kind_from" in settings:  # the text of a capture: an HTML heading's tag
            named = caps.get(settings["native_kind_from"])
            if named:
                native = source[named[0].start_byte:named[0].end_byte].decode(
                    "utf-8", "replace").lower()
        body = caps.get("body")
        doc = caps.get("doc")
        scope = caps.get("scope")
        found[key] = _Def(node.start_byte, node.end_byte, pattern, kind,
                          native, node, name_node, name,
                          body[0] if body else None, doc[0] if doc else None,
                          scope[0] if scope else None, settings)
    # a `skip` pattern claims its name (so later patterns do not report it) and reports
    # nothing: a macro-like token the grammar misread as a name
    if claimed is not None:
        claimed.update(key for key in found if key[0] == -1)
    defs = [d for d in found.values() if "skip" not in d.settings]
    # two definitions on one node (`struct s {...} v;`): the one that holds members comes
    # last, so that what follows nests under it
    defs.sort(key=lambda d: (d.start, -d.end, d.kind in CLASS_LIKE, d.pattern))
    return defs


def _decorated(decorator: ts.Node, kinds: str, spec: LanguageSpec) -> Optional[ts.Node]:
    """The item a `(#set! decorates "kind,...")` decorator precedes: its next named
    sibling past decorators and comments (the row's `decorator_types` and
    `comment_types`), if that is of one of `kinds`.

    (What a sibling-sequence pattern, `((attr) @decorator . [(attr) (comment)]* . (item)
    @target)`, says; such a pattern costs tree-sitter a state per sibling run, seven
    times the pattern alone on an attribute-heavy Rust file.)"""
    node = decorator.next_named_sibling
    while node is not None and (node.type in spec.decorator_types or
                                node.type in spec.comment_types):
        node = node.next_named_sibling
    if node is None or node.type not in _kind_set(kinds):
        return None
    return node


@functools.lru_cache(maxsize=64)
def _kind_set(kinds: str) -> frozenset[str]:
    return frozenset(kinds.split(","))


def _note(notes, target: ts.Node, decorators, settings: dict, source: bytes) -> None:
    key = (target.start_byte, target.end_byte)
    note = notes.get(key)
    if note is None:
        note = notes[key] = ([], set(), set())
    seen = note[2]
    for dec in decorators:
        # a decorator may come in several matches (a sibling-sequence pattern matches a
        # run from each of its nodes; a window re-reports a match): read each node once
        at = dec.start_byte
        if at in seen:
            continue
        seen.add(at)
        text = _collapse(source[at:dec.end_byte])[:200]
        if text not in note[0]:
            note[0].append(text)
    modifier = settings.get("modifier")
    if modifier:
        note[1].update(modifier.split(","))


# ---------------------------------------------------------------------- references
# The row's reference query (docs/queries.md, "References") runs over the whole tree of
# the same parse, with `QueryCursor.captures`: references are everywhere, so a `Scan`
# would save nothing, and captures build no Python object per match. `@reference.<kind>`
# captures the name itself; `@qualified` a node that ends with the name and starts with its
# qualifier (`self.save`, `a::b`); `@qualified.<kind>` such a node alone, its name being its
# trailing word (one capture instead of two: most calls are `obj.m()`); imports pair their
# names with `@import.from` and `@import.alias` by containment in `@import` and
# `@import.clause` nodes. What runs once per capture is kept to a few attribute reads and
# dictionary look-ups: it is most of what references cost beyond the query's walk.

_REF_KEYS = tuple((kind, "reference." + kind, "qualified." + kind) for kind in REF_KINDS)
_IMPORT_KEYS = ("reference.import", "import.default", "import.namespace", "import.all")
_QUALIFIER_MAX = 200  # characters of qualifier text kept (the end: the part by the name)
_SPACES = b" \t\r\n\f"
_SPACE_RUN = re.compile(rb"\s+")
_LOOSE_SPACE = re.compile(rb"(?<=[^\w$]) | (?=[^\w$])")  # a space beside punctuation
_SEPARATING = frozenset(b" \t\r\n\f.:->?&\\")  # between an object and a member's name
_QUOTE_PAIRS = {'"': '"', "'": "'", "`": "`", "<": ">"}
_HEAD = re.compile(r"[$@]*[^\W\d][\w$]*")
# the bytes of a `@qualified.<kind>` node's trailing name: ASCII letters, digits, `_`, and
# every byte of a non-ASCII UTF-8 character
_WORD_BYTES = bytes(sorted({*b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
                            *range(0x80, 0x100)}))


def _references(loaded, root: ts.Node, source: bytes, symbols: list[Symbol]) -> list[tuple]:
    """The references of the tree, as `Reference` tuples in source order.

    Not references: a definition's own name (`type X = ...` matches a type pattern), and
    a `value` whose name (or the head of its qualifier) the file neither defines nor
    imports (most names passed around are locals and parameters)."""
    caps = ts.QueryCursor(loaded.refs_query).captures(root)
    if not caps:
        return []
    qualified = _qualifier_starts(caps.get("qualified"))
    objects: dict[int, int] = {}  # end byte of a `@qualifier` (the object) -> its start
    for node in caps.get("qualifier", ()):
        objects[node.end_byte] = node.start_byte
    # (0-based points: a node's start_point compares equal to its tuple)
    also = loaded.spec.refs.name_is_reference
    own_names = {(s.name_line - 1, s.name_col) for s in symbols
                 if s.kind != "import" and s.native_kind not in also}
    for node in caps.get("skip", ()):  # names a pattern says are no reference
        own_names.add(node.start_point)
    if "local.reference" in caps:  # a name that is a local variable is no reference
        own_names.update(_locals(caps))
    # (a row whose value patterns name only definitions keeps them all: HCL's `var.x`)
    local_values = loaded.spec.refs.local_values
    # values a pattern says are members (a record field, a property read): never a local
    members = {n.start_byte for n in caps["member"]} if "member" in caps else frozenset()
    found: dict[int, tuple] = {}  # start byte of the name -> row
    texts: dict[bytes, str] = {}  # qualifier text by its bytes (`self.` comes back often)
    for kind, key, tail_key in _REF_KEYS:
        nodes, tails = caps.get(key), caps.get(tail_key)
        if kind == "import" or not (nodes or tails):
            continue  # (imports below, with the names of default and namespace imports)
        # most values are locals: the file must define or import the name
        defined = {s.name for s in symbols} if kind == "value" and local_values else None
        if nodes:
            _named(nodes, kind, source, qualified, objects, own_names, defined, members,
                   texts, found)
        if tails:
            _tailed(tails, kind, source, own_names, defined, members, texts, found)
    if any(key in caps for key in _IMPORT_KEYS):
        _imports(caps, source, loaded.spec.refs, found)
    return [found[start] for start in sorted(found)]


def _qualifier_starts(nodes) -> dict[int, int]:
    """End byte of each `@qualified` node -> the start of its qualifier (the earliest start
    of the nodes that end there)."""
    if not nodes:
        return {}
    starts = {node.end_byte: node.start_byte for node in nodes}
    if len(starts) < len(nodes):  # two nodes end at one name: the outer one's start
        for node in nodes:
            end, start = node.end_byte, node.start_byte
            if starts[end] > start:
                starts[end] = start
    return starts


def _named(nodes, kind: str, source: bytes, qualified: dict, objects: dict, own_names: set,
           defined: Optional[set], members, texts: dict, found: dict) -> None:
    """Rows for `@reference.<kind>` names (their qualifier from `@qualified` or
    `@qualifier` nodes). With `defined`, a name neither in it nor qualified by a name in
    it is a local and no reference, unless it starts one of `members`."""
    if defined is not None:  # `value`s: drop the locals first, on the bytes
        known = {name.encode() for name in defined}
        nodes = [n for n in nodes if source[n.start_byte:n.end_byte] in known or
                 n.end_byte in qualified or objects or n.start_byte in members]
    for node in nodes:
        start = node.start_byte
        if start in found:
            continue
        end = node.end_byte
        point = node.start_point
        if point in own_names or start == end:
            continue
        at = qualified.get(end)
        if at is None and objects:  # the object ends at the separator before the name
            before = start
            while before > 0 and source[before - 1] in _SEPARATING:
                before -= 1
            at = objects.get(before)
        qualifier = ""
        if at is not None and at < start:
            raw = source[at:start]
            qualifier = texts.get(raw)
            if qualifier is None:
                qualifier = texts[raw] = _qualifier_text(source, at, start)
        name = source[start:end].decode("utf-8", "replace")
        if defined is not None and name not in defined and start not in members \
                and not _head_defined(qualifier, defined):
            continue
        found[start] = (name, kind, qualifier, None, point[0] + 1, point[1])


def _tailed(nodes, kind: str, source: bytes, own_names: set, defined: Optional[set],
            members, texts: dict, found: dict) -> None:
    """Rows for `@qualified.<kind>` nodes: the name is the node's trailing word, the
    qualifier the text before it."""
    for node in nodes:
        at, end = node.start_byte, node.end_byte
        raw = source[at:end]
        head = raw.rstrip(_WORD_BYTES)
        size = len(raw) - len(head)
        start = end - size
        if not size or start in found:
            continue
        line, col = node.end_point
        point = (line, col - size)
        if point in own_names:
            continue
        name = raw[-size:].decode("utf-8", "replace")
        qualifier = texts.get(head)
        if qualifier is None:
            qualifier = texts[head] = _qualifier_text(source, at, start)
        if defined is not None and name not in defined and start not in members \
                and not _head_defined(qualifier, defined):
            continue
        found[start] = (name, kind, qualifier, None, line + 1, point[1])


def _head_defined(qualifier: str, defined: set) -> bool:
    head = _HEAD.match(qualifier) if qualifier else None
    return head is not None and head.group() in defined


def _locals(caps: dict) -> set:
    """Start points of the `@local.reference` names that are local variables, and of the
    `@local.definition` names (tree-sitter's locals convention, the tags' `#is-not?
    local`): a name defined by a `@local.definition` earlier in its `@local.scope` or in
    one around it, up to a `@local.scope.closed` (a Ruby method sees no outer local)."""
    scopes = sorted([(n.start_byte, -n.end_byte, True) for n in caps.get("local.scope", ())] +
                    [(n.start_byte, -n.end_byte, False)
                     for n in caps.get("local.scope.closed", ())])
    starts = [scope[0] for scope in scopes]

    def chain(lo: int, hi: int):
        """The scopes around [lo, hi), innermost first, up to a closed one; then the file."""
        i = bisect.bisect_right(starts, lo)
        while i > 0:
            i -= 1
            start, neg_end, inherits = scopes[i]
            if -neg_end >= hi and (start, -neg_end) != (lo, hi):
                yield (start, -neg_end)
                if not inherits:
                    return
                lo, hi = start, -neg_end
                i = bisect.bisect_right(starts, lo)
        yield None

    defined: dict = {}
    out = set()
    for node in sorted(caps.get("local.definition", ()), key=_start_byte):
        out.add(node.start_point)
        scope = next(chain(node.start_byte, node.end_byte))
        defined.setdefault((scope, node.text), node.start_byte)
    if not defined:
        return out
    for node in caps["local.reference"]:
        text, at = node.text, node.start_byte
        for scope in chain(at, node.end_byte):
            first = defined.get((scope, text))
            if first is not None and first <= at:
                out.add(node.start_point)
                break
    return out


def _qualifier_text(source: bytes, start: int, end: int) -> str:
    """The qualifier on one line: no line continuation (`\\` before a line break), no space
    but one between two words (`new Thread(x).`); a long one keeps its end, after `…`."""
    cut = end - start > _QUALIFIER_MAX
    raw = source[end - _QUALIFIER_MAX if cut else start:end]
    if len(raw.translate(None, _SPACES)) != len(raw):
        raw = _CONTINUATION.sub(b" ", raw)
        raw = _SPACE_RUN.sub(b" ", raw)
        raw = _LOOSE_SPACE.sub(b"", raw).strip()
    text = raw.decode("utf-8", "replace")
    return "…" + text if cut else text


def _imports(caps: dict, source: bytes, rules, found: dict) -> None:
    """Import references: each name with where it comes from (`@import.from` in the same
    `@import`) and the name it binds (`@import.alias` in the same `@import.clause`). An
    `@import.default` name binds a module's default export (JS `import x from`), an
    `@import.namespace` name the whole module (`import * as ns`, `x = require(...)`): their
    reference is named `default` and `*`, and the name is the alias. An `@import.all` node
    names a module all of whose names become visible: `*` from it, no alias."""
    # (`captures` lists are not in source order)
    statements, froms, clauses, aliases = (
        sorted(caps.get(key, ()), key=_start_byte)
        for key in ("import", "import.from", "import.clause", "import.alias"))
    # an `@import.all` node is a module all of whose names become visible (C# `using A.B;`,
    # C++ `using namespace std;`): a wildcard import of it
    names = [(node, "all") for node in caps.get("import.all", ())]
    names += [(node, "*") for node in caps.get("import.namespace", ())]
    names += [(node, "default") for node in caps.get("import.default", ())]
    names += [(node, None) for node in caps.get("reference.import", ())]
    for node, fixed in names:
        start, end = node.start_byte, node.end_byte
        if start in found or start == end:
            continue
        path = _unquoted(source[start:end].decode("utf-8", "replace"))
        line, col = node.start_point
        statement = _innermost(statements, start, end)
        held = _within(froms, statement) if statement is not None else None
        if fixed == "all":  # of its statement's `@import.from` (Scala `import a.b._`)
            if held is not None:
                path = _from_text(source, froms, held, start)
            found[start] = ("*", "import", path, None, line + 1, col)
            continue
        if fixed is not None:  # the node is the name bound
            qualifier = _from_text(source, froms, held, start) if held is not None else ""
            found[start] = (fixed, "import", qualifier, path, line + 1, col)
            continue
        qualifier = ""
        if held is not None:
            qualifier = _from_text(source, froms, held, start)
        alias = None
        clause = _innermost(clauses, start, end)
        if clause is not None:
            held = _within(aliases, clause, node)
            if held is not None:
                alias = _node_text(source, held)
        name = path
        separator = next((sep for sep in rules.import_separators
                          if sep in path.strip(sep)), None)
        if separator is not None:
            head, _, name = path.rpartition(separator)
            qualifier = f"{qualifier}{separator}{head}" if qualifier else head
        if alias is None and held is None and rules.import_binds_head:
            alias = path.split(separator, 1)[0] if separator else path  # `import a.b` binds a
        if not name:
            continue
        found[start] = (name, "import", qualifier, None if alias == name else alias, line + 1,
                        col)


def _from_text(source: bytes, froms: list, first: ts.Node, before: int) -> str:
    """Where an import's names come from: the `first` `@import.from` node of its statement,
    and its later siblings that are `@import.from` nodes too, ending before the name at
    `before` (Scala's `import a.b.c` has a node per part), quotes stripped. (`froms` is
    sorted by start: only those between `first` and the name are looked at.)"""
    end = first.end_byte
    parent = None
    for i in range(bisect.bisect_right(_FromStarts(froms), first.start_byte), len(froms)):
        node = froms[i]
        if node.start_byte >= before:
            break
        if parent is None:
            parent = first.parent
        if node.start_byte > end and node.parent == parent:
            end = node.end_byte
    return _unquoted(source[first.start_byte:end].decode("utf-8", "replace"))


class _FromStarts:
    """The start bytes of sorted nodes, as a sequence `bisect` can search (no list built)."""

    __slots__ = ("nodes",)

    def __init__(self, nodes: list) -> None:
        self.nodes = nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, i: int) -> int:
        return self.nodes[i].start_byte


def _unquoted(text: str) -> str:
    """An import's path without the quotes around it (`"m"`, `'m'`, `<a/b.h>`); a quote
    that closes nothing is part of a name (Haskell's `foldl'`)."""
    while len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        text = text[1:-1]
    return text


def _start_byte(node: ts.Node) -> int:
    return node.start_byte


def _innermost(nodes, start: int, end: int) -> Optional[ts.Node]:
    best = None
    for node in nodes:
        if node.start_byte <= start and end <= node.end_byte:
            if best is None or node.start_byte >= best.start_byte:
                best = node
        elif node.start_byte > start:
            break
    return best


def _within(nodes, outer: ts.Node, other: Optional[ts.Node] = None) -> Optional[ts.Node]:
    """The first of `nodes` inside `outer` (and not `other`)."""
    lo, hi = outer.start_byte, outer.end_byte
    for node in nodes:
        if node.start_byte >= hi:
            break
        if node.start_byte >= lo and node.end_byte <= hi and node != other:
            return node
    return None


def _node_text(source: bytes, node: ts.Node) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _scope_parts(node: ts.Node, source: bytes, name_node: Optional[ts.Node]) -> list[str]:
    end = node.end_byte
    if name_node is not None and node.start_byte <= name_node.start_byte < end:
        end = name_node.start_byte  # a scope node around the name (C++ `ns::Foo::bar`)
    text = source[node.start_byte:end].decode("utf-8", "replace")
    while "<" in text and _TEMPLATE_ARGS.search(text):
        text = _TEMPLATE_ARGS.sub("", text)
    return [p.strip().lstrip("*&").strip() for p in _SCOPE_SPLIT.split(text) if p.strip()]


def _resolve(defs: Iterable[_Def], notes: _Notes, loaded, source: bytes, path: str,
             module: Optional[str], docs: bool) -> list[Symbol]:
    spec = loaded.spec
    modifier_re = loaded.modifier_re
    symbols: list[Symbol] = []
    # open scopes: (end_byte, qualified_name, kind, name, start_byte)
    stack: list[tuple[int, str, str, str, int]] = []
    file_prefix = module or ""  # qualified-name prefix for top-level symbols
    file_parent: Optional[str] = None
    for d in defs:
        while stack and stack[-1][0] < d.end:
            stack.pop()
        while stack and (d.start >= stack[-1][0] or
                         (d.start == stack[-1][4] and d.end == stack[-1][0])):
            stack.pop()  # ended before this one, or the same node (`a, b = 1, 2`)
        kind = d.kind
        if d.settings.get("name_from") == "file":  # a Vue or Svelte component
            d = d._replace(name=_file_stem(path))
        if kind == "module" and module is not None and d.name_node is None:
            d = d._replace(name=module.rsplit(".", 1)[-1])
            qualified = module
            parent = None
        else:
            if stack:
                _, parent_qn, parent_kind, parent_name, _ = stack[-1]
            else:
                parent_qn, parent_kind, parent_name = file_parent, None, None
            if kind in _LOCAL_KINDS and parent_kind in CALLABLE:
                continue  # a local variable or import, not a definition of the file
            prefix = parent_qn if stack else file_prefix
            if not stack and d.settings.get("scope") == "file":
                # a second `namespace B;` in a file replaces the first: it does not nest
                prefix, parent_qn = module or "", None
            if d.scope is not None:
                parts = _scope_parts(d.scope, source, d.name_node)
                if parts:
                    if prefix and parts[0] == prefix.rsplit(".", 1)[-1] and len(parts) > 1:
                        parts = parts[1:]
                    prefix = ".".join(([prefix] if prefix else []) + parts)
                    parent_qn, parent_kind, parent_name = prefix, "class", parts[-1]
                    if kind == "function":
                        kind = "method"
            if parent_kind in CLASS_LIKE:
                if kind == "function":
                    kind = "method"
                elif kind == "variable":
                    kind = "field"
            if kind in ("method", "function") and spec.self_named_constructor and \
                    parent_name is not None and d.name == parent_name:
                kind = "constructor"
            if spec.constant_by_case and kind in ("variable", "field") and \
                    d.name.isupper() and parent_kind not in CALLABLE:
                kind = "constant"
            local = d.name
            if d.settings.get("name_path"):  # the name is a path: `App\Models`, `a::b`
                local = ".".join(p for p in _SCOPE_SPLIT.split(local) if p.strip()) or local
            qualified = f"{prefix}.{local}" if prefix else local
            parent = parent_qn
        note = notes.get((d.start, d.end)) if notes else None
        symbol = _make_symbol(d, note, kind, qualified, parent, spec, modifier_re, source, path,
                              docs)
        symbols.append(symbol)
        if d.settings.get("scope") == "file":
            # `package foo;` / `namespace Foo;`: names the rest of the file
            file_prefix = qualified
            file_parent = qualified
        elif kind == "module" and module is not None and d.name_node is None:
            file_parent = qualified
        elif kind != "import":
            stack.append((d.end, qualified, kind, d.name, d.start))
    return symbols


def _file_stem(path: str) -> str:
    return os.path.splitext(path.rsplit("/", 1)[-1])[0]


def _make_symbol(d: _Def, note: Optional[tuple[list[str], set[str], set[int]]], kind: str,
                 qualified: str, parent: Optional[str], spec: LanguageSpec, modifier_re,
                 source: bytes, path: str, docs: bool) -> Symbol:
    node = d.node
    decorated = note is not None and bool(note[0])
    if decorated:  # decorators captured for it may open the node (`@dec class X`)
        start, (sr, sc) = _after_decorators(node, spec)
    else:
        start, (sr, sc) = d.start, node.start_point
    er, ec = node.end_point
    end_byte = d.end
    if ec == 0 and er > sr and (kind != "module" or node.parent is not None):
        # the node ends with its line's newline (C `#define`): it ends on that line
        end_byte -= 1
        if end_byte > start and source[end_byte - 1] == 13:  # "\r"
            end_byte -= 1
        er -= 1
        ec = end_byte - (source.rfind(b"\n", 0, end_byte) + 1)
    name_node = d.name_node
    if name_node is not None:
        (nr, nc), (ner, nec) = name_node.start_point, name_node.end_point
        head_end = name_node.start_byte
    else:
        nr, nc, ner, nec = sr, sc, sr, sc
        head_end = start
    doc, modifiers, decorators = "", (), ()
    if kind != "import":  # an import is a name and its statement: no doc, no modifiers
        doc, modifiers, decorators = _doc_and_modifiers(d, note, decorated, start, head_end,
                                                        spec, modifier_re, source, docs)
    return Symbol(
        d.name, qualified, kind, d.native, spec.name, path,
        sr + 1, sc, er + 1, ec, nr + 1, nc, ner + 1, nec, start, end_byte,
        parent,
        _signature(d, kind, source, start, spec) if name_node is not None else "",
        doc, modifiers, decorators,
    )


def _doc_and_modifiers(d: _Def, note, decorated: bool, start: int, head_end: int,
                       spec: LanguageSpec, modifier_re, source: bytes,
                       docs: bool) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    node = outer = d.node
    if spec.wrapper_types and spec.doc_style == "comment":
        parent_node = node.parent
        while parent_node is not None and parent_node.type in spec.wrapper_types:
            outer = parent_node
            parent_node = outer.parent
    doc = _doc(d, outer, spec, source) if docs else ""
    found = set()
    if modifier_re is not None:
        head_start = start if outer is node else (
            _after_decorators(outer, spec)[0] if decorated else outer.start_byte)
        if head_start < head_end - 2000:
            head_start = head_end - 2000
        for raw_word in modifier_re.findall(source, head_start, head_end):
            word = raw_word.decode()
            found.add(_MODIFIER_NAMES.get(word, word))
    if spec.exported_by_case and d.name[:1].isupper():
        found.add("exported")
    static = d.settings.get("modifiers")
    if static:
        found.update(static.split(","))
    decorators: tuple[str, ...] = ()
    if note is not None:
        decorators = tuple(note[0])
        found.update(note[1])
    return doc, tuple(sorted(found)) if found else (), decorators


def _collapse(raw: bytes) -> str:
    return " ".join(raw.decode("utf-8", "replace").split())


_IMPORT_NODE = re.compile(r"import|use|using|include|require")


def _after_decorators(node: ts.Node, spec: LanguageSpec) -> tuple[int, tuple[int, int]]:
    """Start (byte, point) of `node` without the decorators it begins with (JS `@dec class`)."""
    child = node.child(0) if spec.decorator_types and node.child_count else None
    holder = None
    if child is not None and child.type not in spec.decorator_types and child.child_count \
            and child.child(0).type in spec.decorator_types:
        holder, child = child, child.child(0)  # a modifier list opening with them (Java)
    if child is None or child.type not in spec.decorator_types:
        return node.start_byte, node.start_point
    while child is not None and (child.type in spec.decorator_types or
                                 child.type in spec.comment_types):
        child = child.next_sibling
    if child is None and holder is not None:
        child = holder.next_sibling
    if child is None:
        return node.start_byte, node.start_point
    return child.start_byte, child.start_point


def _signature(d: _Def, kind: str, source: bytes, start: int, spec: LanguageSpec) -> str:
    node = d.node
    if kind == "import":
        while node.parent is not None and _IMPORT_NODE.search(node.parent.type):
            node = node.parent
        start, end = node.start_byte, node.end_byte
        end = min(end, start + 4 * _SIG_MAX)
        text = _one_line(_without_comments(node, start, end, spec, source)).rstrip(" ;")
    elif d.body is not None and d.body.start_byte >= start:
        end = min(d.body.start_byte, start + 4 * _SIG_MAX)
        raw = _without_comments(node, start, end, spec, source)
        text = _one_line(raw).rstrip(" {:=\\").rstrip()
    else:
        end = min(d.end, start + 4 * _SIG_MAX)
        if kind in _VALUE_KINDS or d.settings.get("signature") == "first_line":
            newline = source.find(b"\n", start, end)
            if newline >= 0:
                end = newline
        raw = _without_comments(node, start, end, spec, source)
        text = _one_line(raw).rstrip(" {;,\\").rstrip()
    if len(text) > _SIG_MAX:
        text = text[:_SIG_MAX - 1].rstrip() + "…"
    return text


def _one_line(raw: bytes) -> str:
    """A header on one line: whitespace runs collapsed, line continuations dropped (on one
    line a backslash-newline joins nothing)."""
    if b"\\" in raw:
        raw = _CONTINUATION.sub(b" ", raw)
    return _collapse(raw)


def _without_comments(node: ts.Node, start: int, end: int, spec: LanguageSpec,
                      source: bytes) -> bytes:
    """`source[start:end]` less the comment nodes of `node` in it, each replaced by a space
    (as a C compiler reads a comment).

    A signature is code: a comment between the header and the body (which a body node
    starts after) or inside a parameter list is not part of it, and a line comment read on
    one line would swallow the rest of the header. Most headers hold no comment mark (the
    row's `comment_marks`): their text is returned without a walk of the tree."""
    raw = source[start:end]
    for mark in spec.comment_marks:  # (a loop: no generator built per header)
        if mark in raw:
            break
    else:
        return raw
    spans = _comment_spans(node, start, end, spec.comment_types)
    if not spans:
        return raw
    pieces, at = [], start
    for comment_start, comment_end in spans:
        pieces.append(source[at:max(at, comment_start)])
        at = max(at, comment_end)
    pieces.append(source[at:end])
    return b" ".join(pieces)


def _comment_spans(node: ts.Node, start: int, end: int, types) -> list[tuple[int, int]]:
    """Byte ranges of the comment nodes below `node` that overlap [start, end), in order."""
    spans = []
    stack = [node]
    while stack:
        for child in stack.pop().children:
            if child.end_byte <= start or child.start_byte >= end:
                continue
            if child.type in types:
                spans.append((child.start_byte, child.end_byte))
            elif child.child_count:
                stack.append(child)
    spans.sort()
    return spans


_MODIFIER_NAMES = {"export": "exported", "pub": "public"}


# --------------------------------------------------------------------------- docs


def _doc(d: _Def, outer: ts.Node, spec: LanguageSpec, source: bytes) -> str:
    if spec.doc_style == "docstring":
        if d.doc_node is None:
            return ""
        return _clean_docstring(source[d.doc_node.start_byte:d.doc_node.end_byte])
    if d.doc_node is not None:  # the query pointed at the doc comment itself
        return _clean_comment([source[d.doc_node.start_byte:d.doc_node.end_byte]])
    if not spec.decorator_types and not _comment_may_precede(outer.start_byte, spec, source):
        return ""
    comments: list[bytes] = []
    line = outer.start_point[0]
    sibling = outer.prev_sibling
    while sibling is None and outer.parent is not None and \
            outer.parent.start_byte == outer.start_byte:
        # first statement of a body node that begins with it (Ruby `body_statement`):
        # the comments above sit before that body node
        outer = outer.parent
        sibling = outer.prev_sibling
    while sibling is not None and sibling.type in spec.decorator_types:
        line = sibling.start_point[0]
        sibling = sibling.prev_sibling
    while sibling is not None and sibling.type in spec.comment_types:
        if sibling.end_point[0] < line - 1:
            break
        before = sibling.prev_sibling
        if before is not None and before.type not in spec.comment_types and \
                before.end_point[0] == sibling.start_point[0]:
            break  # a trailing comment of the code before it (`int a; /* count */`)
        comments.append(source[sibling.start_byte:sibling.end_byte])
        line = sibling.start_point[0]
        sibling = sibling.prev_sibling
    if not comments:
        return ""
    comments.reverse()
    if spec.doc_prefixes:
        prefixes = tuple(p.encode() for p in spec.doc_prefixes)
        # keep the trailing run of doc comments (`///` lines, one `/** */` block)
        kept: list[bytes] = []
        for text in reversed(comments):
            if not text.lstrip().startswith(prefixes):
                break
            kept.append(text)
        comments = kept[::-1]
    return _clean_comment(comments)


def _comment_may_precede(start: int, spec: LanguageSpec, source: bytes) -> bool:
    """False when the text before `start` shows no comment: most definitions have none,
    and the tree walk that finds one costs more than this look at the previous line."""
    before = source[max(0, start - 512):start].rstrip()
    newline = before.rfind(b"\n")
    if newline < 0 and start > 512:
        return True  # a long line or a long blank run: look the slow way
    line = before[newline + 1:]
    for mark in spec.comment_marks:
        if mark in line:
            return True
    return False


def _cleandoc(text: str) -> str:
    import inspect  # only when there is a doc: keeps `import ragex` light

    return inspect.cleandoc(text)


def _clean_docstring(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    try:
        value = ast.literal_eval(text)
    except Exception:  # an f-string or something odd: strip the quotes by hand
        value = text.strip("rRbBuUfF").strip("\"'")
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return _cleandoc(value)


# `#'` opens an R roxygen line
_LINE_MARKER = re.compile(r"^\s*(?:///?!?|//|#+'?|--|\*(?!/))\s?")


_BLOCK_OPEN = re.compile(r"^/\*+!?")
_BLOCK_CLOSE = re.compile(r"\*+/$")
_BLOCK_STAR = re.compile(r"^\s*\*(?!/)\s?")


def _clean_comment(chunks: list[bytes]) -> str:
    lines: list[str] = []
    for raw in chunks:
        text = raw.decode("utf-8", "replace").strip()
        if text.startswith("/*"):
            text = _BLOCK_CLOSE.sub("", _BLOCK_OPEN.sub("", text))
            for line in text.splitlines():
                lines.append(_BLOCK_STAR.sub("", line).rstrip())
        elif text.startswith("=begin"):  # Ruby block comment
            lines.extend(text.splitlines()[1:-1])
        else:
            for line in text.splitlines():
                lines.append(_LINE_MARKER.sub("", line, count=1).rstrip())
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return _cleandoc("\n".join(lines)) if lines else ""
