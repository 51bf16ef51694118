"""SharedParserPool: per process, each language's grammar and query loaded once.

Languages are loaded lazily, the first time a file of that language is seen, so a
worker that only sees Go never imports the other grammars. A grammar that fails to
import makes that language unavailable with a reason; the others go on.

Not for: choosing which files to parse (discover) or reading captures (extract).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import warnings
from dataclasses import dataclass
from importlib import resources
from typing import Callable, ContextManager, Optional

import tree_sitter as ts

from .config import BREAK_GRAMMAR_VARIABLE, broken_grammars
from .languages import BY_NAME, LanguageSpec, injection_files, query_files


class LanguageUnavailable(Exception):
    """The grammar or query of a language could not be loaded (the reason is the message)."""


@dataclass(frozen=True)
class ScanIds:
    """A registry row's `Scan` with node kinds and fields as the grammar's numeric ids."""

    roots: frozenset[int]
    walk: frozenset[int]
    bodies: dict[int, int]  # node kind -> field id of its body
    marks: tuple["re.Pattern[bytes]", ...]
    depth: int
    whole: frozenset[int]  # ERROR and the row's `whole` kinds
    outside_marks: tuple["re.Pattern[bytes]", ...]


@dataclass
class LoadedLanguage:
    spec: LanguageSpec
    language: ts.Language
    query: ts.Query
    parser: ts.Parser
    settings: tuple[dict, ...]  # per pattern: the query's #set! properties
    modifier_re: Optional["re.Pattern[bytes]"]  # the registry row's modifier words
    scan: Optional[ScanIds] = None
    # the row's reference patterns (`refs_query`), compiled the first time a caller asks
    # for references (`SharedParserPool.get(name, references=True)`); None until then, and
    # for a language without them
    refs_query: Optional[ts.Query] = None
    # where other languages' code is embedded (the row's `injections`), and per pattern
    # its #set! properties (`injection.language`)
    injections: Optional[ts.Query] = None
    injection_settings: tuple[dict, ...] = ()
    range_parser: Optional[ts.Parser] = None  # parses code embedded in other files


# In a stacked query file, the line where the patterns of the files below it go
BASE_LINE = re.compile(r"^;+[ \t]*@base\b[^\n]*$", re.MULTILINE)


def read_query_file(name: str) -> str:
    return resources.files("ragex.queries").joinpath(name).read_text("utf-8")


def stack_queries(files: list[tuple[str, str]]) -> str:
    """One query from `(file name, text)` pairs, base first (docs/queries.md, "Stacked
    query files").

    Each file stacks on the ones before it: its patterns come before theirs, so that a
    more specific file's pattern wins a name node over its base's (the first pattern
    listed wins), except those below its `; @base` line, which come after them (fallbacks
    that must lose to the base's patterns). The first file has no base: a `; @base` line
    there, or a second one in any file, is an error naming the file."""
    stacked = ""
    for index, (name, text) in enumerate(files):
        marks = list(BASE_LINE.finditer(text))
        if len(marks) > 1 or (marks and index == 0):
            where = "more than one `; @base` line" if len(marks) > 1 else \
                "a `; @base` line, but it is the first file of its stack (it has no base)"
            raise ValueError(f"query file {name}: {where}")
        own = f"; ==== {name}\n"
        if index == 0:
            stacked = own + text
        elif marks:
            at = marks[0]
            stacked = (own + text[:at.start()] + stacked.rstrip("\n") + "\n"
                       + f"; ==== {name} (below its @base line)\n" + text[at.end():])
        else:
            stacked = own + text.rstrip("\n") + "\n" + stacked
    return stacked


def query_text(spec: LanguageSpec) -> str:
    """The query of a registry row: its query files stacked (`stack_queries`)."""
    return stack_queries([(name, read_query_file(name)) for name in query_files(spec)])


def injections_text(spec: LanguageSpec) -> Optional[str]:
    """The row's injection query (its `injections` files stacked), or None."""
    files = injection_files(spec)
    if not files:
        return None
    return stack_queries([(name, read_query_file(name)) for name in files])


class SharedParserPool:
    """Languages, compiled queries and parsers of this process, created on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, LoadedLanguage] = {}
        self._failed: dict[str, str] = {}
        self.loaded_mb = 0.0  # memory the loaded grammars and queries took (RSS growth)
        # wraps each grammar load and query compilation (a worker sets it so that the
        # time they take is not charged to the file being extracted: `worker.py`)
        self.loading: Callable[[], ContextManager] = contextlib.nullcontext

    def get(self, name: str, references: bool = False) -> LoadedLanguage:
        """The language `name`; with `references`, its reference query compiled too."""
        loaded = self._loaded.get(name)
        if loaded is not None:
            if references and loaded.refs_query is None and loaded.spec.refs_query:
                self._load_references(loaded)
            return loaded
        if name in self._failed:
            raise LanguageUnavailable(self._failed[name])
        before = rss_mb()
        try:
            with self.loading():
                loaded = self._load(BY_NAME[name])
        except Exception as exc:  # an ImportError or a broken query: that language only
            reason = f"language {name} unavailable: {type(exc).__name__}: {exc}"
            self._failed[name] = reason
            raise LanguageUnavailable(reason) from exc
        self._loaded[name] = loaded
        self.loaded_mb += max(0.0, rss_mb() - before)
        if references and loaded.spec.refs_query:
            self._load_references(loaded)
        return loaded

    def _load_references(self, loaded: LoadedLanguage) -> None:
        spec = loaded.spec
        before = rss_mb()
        try:
            with self.loading():
                loaded.refs_query = ts.Query(loaded.language, "\n".join(
                    read_query_file(name) for name in spec.refs_query))
        except Exception as exc:  # a broken reference query: the whole language, as above
            reason = f"language {spec.name} unavailable: {type(exc).__name__}: {exc}"
            self._failed[spec.name] = reason
            del self._loaded[spec.name]
            raise LanguageUnavailable(reason) from exc
        self.loaded_mb += max(0.0, rss_mb() - before)

    def _load(self, spec: LanguageSpec) -> LoadedLanguage:
        broken = broken_grammars()
        if spec.name in broken:
            raise ImportError(f"grammar disabled by {BREAK_GRAMMAR_VARIABLE}="
                              f"{','.join(sorted(broken))}")
        module_name, func_name = spec.grammar
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            install = spec.grammar_install or \
                f"pip install {module_name.split('.')[0].replace('_', '-')}"
            raise ImportError(f"{exc} (its grammar is not installed: {install})") from exc
        with warnings.catch_warnings():
            # tree-sitter-scss 1.0 hands an int, not a capsule: py-tree-sitter 0.26 takes it
            # with a DeprecationWarning (0.27 may not: pyproject pins <0.27)
            warnings.simplefilter("ignore", DeprecationWarning)
            language = ts.Language(getattr(module, func_name)())
        scan = _scan_ids(spec, language) if spec.scan is not None else None
        # checked before the query is compiled: a compiled query is never freed (py-tree-sitter
        # 0.26.1 crashes freeing a query whose patterns use #set! with predicates)
        query = _kept(ts.Query(language, query_text(spec)))
        settings = tuple(dict(query.pattern_settings(i)) for i in range(query.pattern_count))
        injections, injection_settings = None, ()
        text = injections_text(spec)
        if text is not None:
            injections = _kept(ts.Query(language, text))
            injection_settings = tuple(dict(injections.pattern_settings(i))
                                       for i in range(injections.pattern_count))
        modifier_re = None
        if spec.modifier_words:
            words = "|".join(sorted(map(re.escape, spec.modifier_words)))
            modifier_re = re.compile(rf"\b(?:{words})\b".encode())
        return LoadedLanguage(spec, language, query, ts.Parser(language), settings, modifier_re,
                              scan, injections=injections,
                              injection_settings=injection_settings)

    def clone_parser(self, name: str) -> ts.Parser:
        """A new parser for `name` (the pooled one is reused by `get`)."""
        return ts.Parser(self.get(name).language)

    def loaded_languages(self) -> list[str]:
        return sorted(self._loaded)

    def failures(self) -> dict[str, str]:
        return dict(self._failed)


# Every compiled query, held for the life of the process: py-tree-sitter 0.26.1 crashes
# (a segmentation fault, at a later garbage collection) when it frees a query whose
# patterns use `#set!` together with predicates (`#match?`, `#eq?`, `#any-of?`), which most
# of ragex's queries do. A pool that is dropped (a test's, a benchmark's) keeps its queries.
_KEPT_QUERIES: list[ts.Query] = []


def _kept(query: ts.Query) -> ts.Query:
    _KEPT_QUERIES.append(query)
    return query


def _scan_ids(spec: LanguageSpec, language: ts.Language) -> ScanIds:
    def kind(name: str) -> int:
        kind_id = language.id_for_node_kind(name, True)
        if kind_id is None:
            raise ValueError(f"scan of {spec.name}: the grammar has no node kind {name!r}")
        return kind_id

    bodies = {}
    for node_kind, field_name in spec.scan.bodies:
        field_id = language.field_id_for_name(field_name)
        if field_id is None:
            raise ValueError(f"scan of {spec.name}: the grammar has no field {field_name!r}")
        bodies[kind(node_kind)] = field_id
    try:
        marks = tuple(re.compile(mark) for mark in spec.scan.marks)
        outside_marks = tuple(re.compile(mark) for mark in spec.scan.outside_marks)
    except re.error as exc:
        raise ValueError(f"scan of {spec.name}: bad mark: {exc}") from exc
    return ScanIds(frozenset(map(kind, spec.scan.roots)), frozenset(map(kind, spec.scan.walk)),
                   bodies, marks, spec.scan.depth,
                   frozenset(map(kind, spec.scan.whole | {"ERROR"})), outside_marks)


def rss_mb() -> float:
    """This process's resident memory in MiB (Linux; 0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576
    except (OSError, ValueError, IndexError):
        return 0.0


_PROCESS_PARSER_POOL: Optional[SharedParserPool] = None


def process_parser_pool() -> SharedParserPool:
    """This process's `SharedParserPool`: one per worker process, one in the main process.

    Not the pool of worker processes (that is `supervisor.WorkerPool`).
    """
    global _PROCESS_PARSER_POOL
    if _PROCESS_PARSER_POOL is None:
        _PROCESS_PARSER_POOL = SharedParserPool()
    return _PROCESS_PARSER_POOL
