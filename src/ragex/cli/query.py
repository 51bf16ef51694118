"""Commands that ask the index: `symbols`, `search`, `outline`, `show`, `grep`, `tags`.

Each finds the index (`Index.find`), asks one question of the library front and prints
its `Answer`: text with paths relative to the current directory, or `--json`. A limit
that cut the answer, or a note from the front, goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..front import Answer, Index
from ..search import MATCH_MODES
from ..textsearch import MODES
from .common import (EXIT_NOTHING_FOUND, EXIT_OK, Command, UsageError, Where, print_json,
                     print_notes)
from .flags import add_flags


def _open(args: argparse.Namespace) -> tuple[Index, Where]:
    index = Index.find(args.root, args.index_dir)
    return index, Where(index.root)


def _finish(command: str, answer: Answer) -> int:
    """Notes to stderr (a limit that cut, an index not complete); the exit code."""
    print_notes(command, answer.notes)
    state = answer.index_state  # "complete", maybe with "; watched (...)"; pending changes
    if not state.startswith("complete") or "pending" in state or "checking" in state:
        print_notes(command, [f"the index is {state}"])
    return EXIT_OK if answer.items else EXIT_NOTHING_FOUND


def _setup_symbols(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help="name, qualified name, prefix, substring or misspelling")
    p.add_argument("--match", choices=MATCH_MODES, default="auto",
                   help="match mode (default auto: exact > prefix > substring > fuzzy)")
    add_flags(p, "filters", "limit", "json", "index location")


def run_symbols(args: argparse.Namespace) -> int:
    index, where = _open(args)
    try:
        answer = index.search(args.query, kind=args.kind, language=",".join(args.lang),
                              path_glob=where.glob(args.path_glob), match=args.match,
                              limit=args.limit)
    finally:
        index.close()
    if args.json:
        print_json([h.to_dict() for h in answer.items])
    else:
        for h in answer.items:
            s = h.symbol
            print(f"{where.shown(s.path)}:{s.start_line}\t{s.kind}\t{s.qualified_name}\t"
                  f"{s.signature}")
    return _finish("symbols", answer)


def _setup_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", help="what the code does, in words (\"parse the HTTP headers\")")
    p.add_argument("--mode", choices=MODES, default="auto",
                   help="lexical (words, always there), semantic (embeddings: the "
                        "ragex[semantic] extra), hybrid (both), auto (hybrid when "
                        "embeddings exist, else lexical; the default)")
    add_flags(p, "filters", "limit", "json", "index location", limit=10)


def run_search(args: argparse.Namespace) -> int:
    index, where = _open(args)
    try:
        answer = index.search_text(args.query, mode=args.mode, kind=args.kind,
                                   language=",".join(args.lang),
                                   path_glob=where.glob(args.path_glob), limit=args.limit)
    finally:
        index.close()
    if args.json:
        print_json(answer.to_dict())
    else:
        for h in answer.items:
            s = h.symbol
            tiers = "+".join(h.tiers)
            print(f"{where.shown(s.path)}:{s.start_line}-{s.end_line}\t{s.kind}\t"
                  f"{s.qualified_name}\t{h.score:.3g} [{tiers}]")
            for line in h.excerpt.splitlines():
                print(f"    {line}")
    return _finish("search", answer)


def _setup_outline(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a file of the index (relative to the current directory)")
    add_flags(p, "depth", "kind", "offset", "limit", "json", "index location", limit=1000)


def run_outline(args: argparse.Namespace) -> int:
    index, where = _open(args)
    try:
        answer = index.outline(where.taken(args.file), depth=args.depth, kind=args.kind,
                               offset=args.offset, limit=args.limit)
    finally:
        index.close()
    def show(nodes, depth):
        for n in nodes:
            s = n.symbol
            print(f"{'  ' * depth}{s.kind} {s.signature or s.name}  [{s.start_line}-{s.end_line}]")
            show(n.children, depth + 1)

    if args.json:
        print_json([n.to_dict() for n in answer.items])
    else:
        show(answer.items, 0)
    _finish("outline", answer)
    return EXIT_OK  # an empty outline is an answer


def _setup_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="name, qualified name, or symbol id (from --json output)")
    add_flags(p, "limit", "json", "index location", limit=5)


def run_show(args: argparse.Namespace) -> int:
    index, where = _open(args)
    try:
        answer = index.definition(args.name, include_code=True, limit=args.limit)
    finally:
        index.close()
    if args.json:
        print_json([d.to_dict() for d in answer.items])
    else:
        for d in answer.items:
            s = d.hit.symbol
            note = "  (file changed since indexed)" if d.stale else ""
            print(f"==> {where.shown(s.path)}:{s.start_line}-{s.end_line} {s.kind} "
                  f"{s.qualified_name}{note}")
            print(d.code if d.code is not None else f"({d.code_error})")
    return _finish("show", answer)


def _setup_grep(p: argparse.ArgumentParser) -> None:
    p.add_argument("pattern", help="a regular expression (Rust regex syntax, as ripgrep)")
    p.add_argument("-F", "--fixed-strings", action="store_true", help="PATTERN is literal text")
    p.add_argument("-i", "--ignore-case", action="store_true", help="case-insensitive")
    p.add_argument("-C", "--context", type=int, default=0, metavar="N",
                   help="show N lines before and after each hit (at most 10)")
    add_flags(p, "path_glob", "limit", "json", "index location", limit=200)


def run_grep(args: argparse.Namespace) -> int:
    index, where = _open(args)
    try:
        answer = index.grep(args.pattern, regex=not args.fixed_strings,
                            path_glob=where.glob(args.path_glob), ignore_case=args.ignore_case,
                            limit=args.limit, context=args.context)
    finally:
        index.close()
    for hit in answer.items:
        if args.json:
            print(json.dumps(hit.to_dict(), ensure_ascii=False))
            continue
        path = where.shown(hit.path)
        for offset, text in enumerate(hit.before or ()):
            print(f"{path}-{hit.line - len(hit.before) + offset}-{text}")
        where_in = f"  [{hit.symbol.kind} {hit.symbol.qualified_name}]" if hit.symbol else ""
        print(f"{path}:{hit.line}:{hit.text}{where_in}")
        for offset, text in enumerate(hit.after or (), 1):
            print(f"{path}-{hit.line + offset}-{text}")
    return _finish("grep", answer)


def _setup_tags(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output",
                   help="output file, - for stdout (default: tags); its paths are relative "
                        "to the directory it is in (the current one for stdout), as vim "
                        "reads them; a symlink's target, a FIFO or a device is written "
                        "in place")
    add_flags(p, "index location")


def run_tags(args: argparse.Namespace) -> int:
    index, _ = _open(args)
    output = args.output or "tags"
    try:
        if output == "-":
            answer = index.tags(sys.stdout, base=os.getcwd())
        else:
            if args.output is None:
                _refuse_a_planted_link(output, index.real_root)
            try:
                answer = index.tags_file(output)
            except IsADirectoryError:
                raise UsageError(f"-o {output}: is a directory; give a file path, "
                                 f"e.g. -o {os.path.join(output, 'tags')}") from None
            except OSError as exc:
                raise UsageError(f"-o {output}: cannot write it: "
                                 f"{exc.strerror or exc}") from None
    finally:
        index.close()
    print_notes("tags", answer.notes)
    if output != "-":
        print(f"wrote {answer.fields['tags']} tags to {output}", file=sys.stderr)
    return EXIT_OK


def _refuse_a_planted_link(output: str, real_root: str) -> None:
    """The default output, when a symlink out of the root, may have come with the tree (a
    cloned repository's `tags -> ~/.bashrc`): write through it only if the user names it."""
    if not os.path.islink(output):
        return
    target = os.path.realpath(output)
    if target != real_root and not target.startswith(real_root + os.sep):
        raise UsageError(f"{output} is a symlink to {target}, outside the root {real_root}; "
                         f"not written through unless named: -o {output}")


COMMANDS = (
    Command("symbols", "search definitions by name or qualified name", _setup_symbols,
            run_symbols),
    Command("search", "find definitions by what they do, in natural language",
            _setup_search, run_search,
            "Find the definitions that match a natural-language query (\"where do we "
            "parse the HTTP headers?\"): BM25 over their words, fused with embeddings "
            "when the ragex[semantic] extra has embedded them. Shows each with its path, "
            "lines, score, the tiers that found it and an excerpt."),
    Command("outline", "the symbol tree of a file", _setup_outline, run_outline),
    Command("show", "the source of a definition", _setup_show, run_show),
    Command("grep", "regex search (ripgrep) over the indexed files, with enclosing symbols",
            _setup_grep, run_grep),
    Command("tags", "write a universal-ctags compatible tags file", _setup_tags, run_tags),
)
