"""Embedded code: the definitions of code written in one language inside a file of another.

`<script>` and `<style>` blocks of HTML, Vue and Svelte files, Markdown's fenced code blocks
and raw HTML blocks. A host language's registry row names an injection query
(`LanguageSpec.injections`), written with tree-sitter's own injection captures, as the
grammars' `queries/injections.scm` files are:

  @injection.content    the node that holds the embedded code; its named child nodes are
                        left out (a Markdown fence inside a `>` quote: the `> ` markers),
                        unless the pattern sets `injection.include-children`
  @injection.language   a node whose text names the language (`lang="ts"`, a fence's
                        info string `python`), read by `languages.language_from_tag`; or
                        `(#set! injection.language "css")` in the pattern

When several patterns find the same content node the first one written wins (as in
definition queries), so specific patterns (`<script type="module">`) come before the
fallback (`<script>` is JavaScript). Each region is parsed by the embedded language's
grammar over the host file's own bytes (`included_ranges`): its symbols carry the host
file's path, lines, columns and bytes, and their own language in `Symbol.language`.
A region whose language ragex does not know (a ```text fence, `<script type="text/
template">`) is passed over; one whose grammar is unavailable is named in the file's
warnings. Syntax errors inside embedded code (documentation fragments often have them) do
not make a warning.

Scope: an embedded region's definitions are resolved as a file of their own; those at its
top level become members of the innermost host definition that contains the region when
that definition holds members (a class: a Vue or Svelte component), so `<script>` code of
`Counter.svelte` is `Counter.increment`; their kinds are not changed (a function stays a
function). Under a Markdown heading or an HTML element they stay top-level.

References: a host row that says its references are its embedded code's (`refs_embedded`:
HTML, Vue, Svelte) gets those of each region, found by the region's language's reference
patterns over the same parse, in the host file's positions; they resolve with the host
row's rules (`refs`: JavaScript's, whose family holds TypeScript). Markdown's fences are
examples: no references.

Not for: choosing files (discover) or a language's own definitions (extract).
"""

from __future__ import annotations

import functools
from typing import Optional

import tree_sitter as ts

from .languages import language_from_tag
from .parser_pool import LanguageUnavailable, LoadedLanguage, SharedParserPool
from .symbol import CLASS_LIKE, Symbol

MAX_DEPTH = 2  # a Markdown fence of HTML holding a <script>: embedded twice, no deeper
_depth = 0  # how deep the extraction running in this process is (one file at a time)


def with_embedded(symbols: list[Symbol], loaded: LoadedLanguage, root: ts.Node, source: bytes,
                  path: str, pool: SharedParserPool, docs: bool,
                  warnings: Optional[list[str]],
                  refs: Optional[list] = None) -> list[Symbol]:
    """`symbols` (the host's, in source order) with those of the code embedded in it; with
    a list as `refs` and a host row whose references are its embedded code's
    (`refs_embedded`: HTML, Vue, Svelte), that code's references are appended to it."""
    global _depth
    if _depth >= MAX_DEPTH:
        return symbols
    from .extract import extract_source  # (extract calls this module)

    found: list[Symbol] = []
    unavailable: set[str] = set()
    _depth += 1
    try:
        for content, tag, whole in regions(loaded, root, source):
            language = _language_of(tag)
            if language is None or language in unavailable:
                continue
            ranges = [content.range] if whole else _ranges(content)
            if not ranges:
                continue
            try:
                inner, _ = extract_source(source, language, path, pool=pool, docs=docs,
                                          ranges=ranges, warnings=warnings,
                                          refs=refs if loaded.spec.refs_embedded else None)
            except LanguageUnavailable as exc:
                unavailable.add(language)
                if warnings is not None:
                    warnings.append(f"embedded {language} (line {content.start_point[0] + 1})"
                                    f" not read: {exc}")
                continue
            found += _under_host(_without_file_module(inner), symbols, content)
    finally:
        _depth -= 1
    if not found:
        return symbols
    return sorted(symbols + found, key=lambda s: s.start_byte)  # stable: the host first


@functools.lru_cache(maxsize=256)
def _language_of(tag: str) -> Optional[str]:
    return language_from_tag(tag)


def regions(loaded: LoadedLanguage, root: ts.Node,
            source: bytes) -> list[tuple[ts.Node, str, bool]]:
    """(content node, the text naming its language, include its children) per embedded
    region, in source order; for a content node found by several patterns, the first."""
    best: dict[tuple[int, int], tuple[int, ts.Node, str, bool]] = {}
    for pattern, caps in ts.QueryCursor(loaded.injections).matches(root):
        contents = caps.get("injection.content")
        if not contents:
            continue
        content = contents[0]
        settings = loaded.injection_settings[pattern]
        tag = settings.get("injection.language")
        if tag is None:
            named = caps.get("injection.language")
            if not named:
                continue
            tag = source[named[0].start_byte:named[0].end_byte].decode("utf-8", "replace")
        key = (content.start_byte, content.end_byte)
        if key not in best or best[key][0] > pattern:
            best[key] = (pattern, content, tag, "injection.include-children" in settings)
    return [(content, tag, whole) for _, (_, content, tag, whole) in sorted(best.items())]


def _ranges(content: ts.Node) -> list[ts.Range]:
    """The content node's bytes less those of its named children (tree-sitter's
    convention; the anonymous tokens of tree-sitter-markdown's code are code)."""
    if content.named_child_count == 0:
        return [content.range] if content.end_byte > content.start_byte else []
    out = []
    at_byte, at_point = content.start_byte, content.start_point
    for child in content.named_children:
        if child.start_byte > at_byte:
            out.append(ts.Range(at_point, child.start_point, at_byte, child.start_byte))
        if child.end_byte > at_byte:
            at_byte, at_point = child.end_byte, child.end_point
    if content.end_byte > at_byte:
        out.append(ts.Range(at_point, content.end_point, at_byte, content.end_byte))
    return out


def _without_file_module(inner: list[Symbol]) -> list[Symbol]:
    """A region is no module of its own: the nameless module symbol a language whose files
    are modules (Python) reports for it is dropped, and its children are top-level."""
    if not any(s.kind == "module" and not s.name for s in inner):
        return inner
    return [s._replace(parent=None) if s.parent == "" else s for s in inner
            if s.name or s.kind != "module"]


def _under_host(inner: list[Symbol], host: list[Symbol], content: ts.Node) -> list[Symbol]:
    """`inner` made members of the innermost class-like host symbol around the region."""
    owner = None
    for symbol in host:
        if symbol.start_byte > content.start_byte:
            break
        if symbol.end_byte >= content.end_byte and symbol.kind in CLASS_LIKE:
            owner = symbol
    if owner is None:
        return inner
    prefix = owner.qualified_name
    return [Symbol(*s[:1], f"{prefix}.{s.qualified_name}", *s[2:16],
                   f"{prefix}.{s.parent}" if s.parent else prefix, *s[17:]) for s in inner]
