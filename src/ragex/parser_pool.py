"""SharedParserPool: per process, each language's grammar and query loaded once.

Languages are loaded lazily, the first time a file of that language is seen, so a
worker that only sees Go never imports the other grammars. A grammar that fails to
import makes that language unavailable with a reason; the others go on.

Not for: choosing which files to parse (discover) or reading captures (extract).
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from importlib import resources
from typing import Optional

import tree_sitter as ts

from .config import BREAK_GRAMMAR_VARIABLE, broken_grammars
from .languages import BY_NAME, LanguageSpec


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


def _query_text(spec: LanguageSpec, name: Optional[str] = None) -> str:
    return resources.files("ragex.queries").joinpath(name or spec.query).read_text("utf-8")


class SharedParserPool:
    """Languages, compiled queries and parsers of this process, created on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, LoadedLanguage] = {}
        self._failed: dict[str, str] = {}
        self.loaded_mb = 0.0  # memory the loaded grammars and queries took (RSS growth)

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
            loaded.refs_query = ts.Query(loaded.language, "\n".join(
                _query_text(spec, name) for name in spec.refs_query))
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
        module = importlib.import_module(module_name)
        language = ts.Language(getattr(module, func_name)())
        scan = _scan_ids(spec, language) if spec.scan is not None else None
        # checked before the query is compiled: a compiled query is never freed (py-tree-sitter
        # 0.26.1 can crash freeing one that uses both #any-of? and #set!)
        query = ts.Query(language, _query_text(spec))
        settings = tuple(dict(query.pattern_settings(i)) for i in range(query.pattern_count))
        modifier_re = None
        if spec.modifier_words:
            words = "|".join(sorted(map(re.escape, spec.modifier_words)))
            modifier_re = re.compile(rf"\b(?:{words})\b".encode())
        return LoadedLanguage(spec, language, query, ts.Parser(language), settings, modifier_re,
                              scan)

    def clone_parser(self, name: str) -> ts.Parser:
        """A new parser for `name` (the pooled one is reused by `get`)."""
        return ts.Parser(self.get(name).language)

    def loaded_languages(self) -> list[str]:
        return sorted(self._loaded)

    def failures(self) -> dict[str, str]:
        return dict(self._failed)


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
