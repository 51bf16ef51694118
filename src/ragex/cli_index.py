"""The index and query subcommands of `ragex`: index, status, symbols, outline, show, grep,
tags, mcp. Each calls one library function and prints text or `--json`."""

from __future__ import annotations

import argparse
import json
import os
import sys

from .config import load_config
from .indexer import CodeIndexer, IndexBusy, index_status, open_index
from .progress import ProgressBar
from .search import (MATCH_MODES, QueryError, find_definitions, grep, normalize_path, outline,
                     parent_chain, read_source, search_symbols, write_tags)
from .store import IndexUnavailable
from .symbol import KINDS


def add_commands(sub, add_config_flags) -> None:
    p = sub.add_parser("index", help="build or update the index of a codebase",
                       description="Index PATH (default: .) into PATH/.ragex/ incrementally.")
    p.add_argument("path", nargs="?", default=".", help="root of the codebase (default: .)")
    p.add_argument("--force", action="store_true", help="re-extract every file")
    p.add_argument("--rebuild", action="store_true", help="delete the index and start afresh")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another indexer of the same index to finish")
    _add_discovery_flags(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on a terminal")
    _add_index_dir(p)
    add_config_flags(p)

    p = sub.add_parser("status", help="counts, failures with reasons, index size, last run")
    p.add_argument("path", nargs="?", default=None, help="root of the codebase")
    p.add_argument("--json", action="store_true", help="JSON output")
    _add_index_dir(p)

    p = sub.add_parser("symbols", help="search symbols by name or qualified name")
    p.add_argument("query", help="name, qualified name, prefix, substring or misspelling")
    p.add_argument("--kind", help=f"only these kinds (comma-separated): {', '.join(KINDS)}")
    p.add_argument("--lang", help="only this language")
    p.add_argument("--path", dest="path_glob", metavar="GLOB", help="only paths matching GLOB")
    p.add_argument("--match", choices=MATCH_MODES, default="auto",
                   help="match mode (default auto: exact > prefix > substring > fuzzy)")
    p.add_argument("--limit", type=int, default=20, help="most results (default 20)")
    p.add_argument("--json", action="store_true", help="JSON output")
    _add_root(p)

    p = sub.add_parser("outline", help="the symbol tree of a file")
    p.add_argument("file", help="a file of the index")
    p.add_argument("--json", action="store_true", help="JSON output")
    _add_root(p)

    p = sub.add_parser("show", help="the source of a definition")
    p.add_argument("name", help="name, qualified name, or symbol id")
    p.add_argument("--limit", type=int, default=5, help="most definitions shown (default 5)")
    p.add_argument("--json", action="store_true", help="JSON output")
    _add_root(p)

    p = sub.add_parser("grep", help="regex search (ripgrep) annotated with enclosing symbols")
    p.add_argument("pattern", help="a regular expression (Rust regex syntax, as ripgrep)")
    p.add_argument("-F", "--fixed-strings", action="store_true", help="PATTERN is literal text")
    p.add_argument("-i", "--ignore-case", action="store_true", help="case-insensitive")
    p.add_argument("--path", dest="path_glob", metavar="GLOB", help="only paths matching GLOB")
    p.add_argument("--limit", type=int, default=200, help="most hits (default 200)")
    p.add_argument("--json", action="store_true", help="JSON lines output")
    _add_root(p)

    p = sub.add_parser("tags", help="write a universal-ctags compatible tags file")
    p.add_argument("-o", "--output", default="tags", help="output file, - for stdout (default: tags)")
    _add_root(p)

    p = sub.add_parser("mcp", help="serve the index to coding agents over MCP (stdio)")
    p.add_argument("path", nargs="?", default=".", help="root of the codebase (default: .)")
    p.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP host (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    p.add_argument("--no-index", action="store_true", help="do not index on start")
    _add_discovery_flags(p)
    _add_index_dir(p)
    add_config_flags(p)


def _add_discovery_flags(p) -> None:
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="only files matching GLOB (ripgrep --glob syntax; repeatable)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="leave out files matching GLOB (repeatable)")
    p.add_argument("--hidden", action="store_true", help="include hidden files and directories")
    p.add_argument("--no-ignore", action="store_true",
                   help="ignore .gitignore/.ignore/.rgignore/.ragexignore files")
    p.add_argument("--follow-outside", action="store_true",
                   help="follow symlinks that lead outside the root")


def _add_index_dir(p) -> None:
    p.add_argument("--index-dir", default=None,
                   help="where the index lives (default <root>/.ragex) [RAGEX_INDEX_DIR]")


def _add_root(p) -> None:
    p.add_argument("--root", default=None,
                   help="root of the indexed codebase (default: nearest .ragex/ above cwd)")
    _add_index_dir(p)


def _config_flags(args) -> dict:
    from .cli import _config_flags as flags

    return flags(args)


def _print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


# ----------------------------------------------------------------------- commands


def cmd_index(args) -> int:
    config = load_config(None, _config_flags(args))
    indexer = CodeIndexer(args.path, args.index_dir, config, hidden=args.hidden,
                          no_ignore=args.no_ignore, include=args.include, exclude=args.exclude,
                          follow_outside=args.follow_outside)
    bar = ProgressBar.for_stream(sys.stderr, enabled=not args.no_progress and not args.json)
    try:
        summary = indexer.index_codebase(force=args.force, rebuild=args.rebuild,
                                         progress=bar.update if bar else None, wait=args.wait)
    except IndexBusy as exc:
        if bar:
            bar.close()
        print(f"ragex index: {exc}", file=sys.stderr)
        return 3
    if bar:
        bar.close()
    if args.json:
        _print_json(summary.to_dict())
        return 0
    for note in summary.notes:
        print(f"ragex index: warning: {note}", file=sys.stderr)
    from .cli import print_problems

    print_problems(((p["status"], p["path"], p["reason"]) for p in summary.problems),
                   more_hint=" (see `ragex status`)")
    print(f"indexed {summary.indexed}, unchanged {summary.unchanged}, touched {summary.touched}, "
          f"skipped {summary.skipped}, failed {summary.failed}, removed {summary.removed} "
          f"files in {summary.seconds:.2f} s; the index has {summary.total_files} files, "
          f"{summary.total_symbols} symbols ({summary.index_dir})")
    return 0


def cmd_status(args) -> int:
    root, store = open_index(args.path, args.index_dir)
    with _closing(store):
        status = index_status(store)
    if args.json:
        _print_json(status)
        return 0
    print(f"index  {status['index_dir']}  ({status['index_bytes'] / 1048576:.1f} MiB)")
    print(f"root   {status['root']}")
    print(f"state  {status['state']}")
    run = status["last_run"] or {}
    if run.get("complete"):
        print(f"last run  indexed {run.get('indexed')}, unchanged {run.get('unchanged')}, "
              f"skipped {run.get('skipped')}, failed {run.get('failed')}, "
              f"removed {run.get('removed')} in {run.get('seconds', 0):.2f} s")
    print(f"files  {status['files']}   symbols  {status['symbols']}")
    for language, statuses in status["by_language"].items():
        parts = ", ".join(f"{s}: {v['files']} files" + (f", {v['symbols']} symbols"
                                                          if s == "ok" else "")
                          for s, v in statuses.items())
        print(f"  {language:<11} {parts}")
    if status["problems"]:
        print("not indexed:")
        for p in status["problems"]:
            print(f"  {p['status']}: {p['path']}: {p['reason']}")
    if status["warnings"]:
        print(f"warnings: {len(status['warnings'])} files (see --json)")
    return 0


def cmd_symbols(args) -> int:
    root, store = open_index(args.root, args.index_dir)
    with _closing(store):
        hits = search_symbols(store, args.query, kind=args.kind, language=args.lang,
                              path_glob=args.path_glob, match=args.match, limit=args.limit)
    if args.json:
        _print_json([h.to_dict() for h in hits])
    else:
        for h in hits:
            s = h.symbol
            print(f"{s.path}:{s.start_line}\t{s.kind}\t{s.qualified_name}\t{s.signature}")
    return 0 if hits else 1


def cmd_outline(args) -> int:
    root, store = open_index(args.root, args.index_dir)
    with _closing(store):
        tree = outline(store, normalize_path(root, args.file))
    if args.json:
        _print_json([n.to_dict() for n in tree])
        return 0

    def show(nodes, depth):
        for n in nodes:
            s = n.symbol
            print(f"{'  ' * depth}{s.kind} {s.signature or s.name}  [{s.start_line}-{s.end_line}]")
            show(n.children, depth + 1)

    show(tree, 0)
    return 0


def cmd_show(args) -> int:
    root, store = open_index(args.root, args.index_dir)
    with _closing(store):
        hits = find_definitions(store, args.name, limit=args.limit)
        if not hits:
            print(f"ragex show: no definition named {args.name!r}", file=sys.stderr)
            return 1
        sources = [read_source(root, store, h) for h in hits[: args.limit]]
        chains = [parent_chain(store, s.symbol) for s in sources]
    if args.json:
        out = []
        for source, chain in zip(sources, chains):
            d = source.to_dict()
            d["parents"] = [p.qualified_name for p in chain]
            out.append(d)
        _print_json(out)
        return 0
    for source in sources:
        s = source.symbol
        note = "  (file changed since indexed)" if source.stale else ""
        print(f"==> {s.path}:{s.start_line}-{s.end_line} {s.kind} {s.qualified_name}{note}")
        print(source.code)
    return 0


def cmd_grep(args) -> int:
    root, store = open_index(args.root, args.index_dir)
    count = 0
    with _closing(store):
        for hit in grep(root, store, args.pattern, regex=not args.fixed_strings,
                        path_glob=args.path_glob, ignore_case=args.ignore_case,
                        limit=args.limit):
            count += 1
            if args.json:
                print(json.dumps(hit.to_dict(), ensure_ascii=False))
            else:
                where = f"  [{hit.symbol.kind} {hit.symbol.qualified_name}]" if hit.symbol else ""
                print(f"{hit.path}:{hit.line}:{hit.text}{where}")
    return 0 if count else 1


def cmd_tags(args) -> int:
    root, store = open_index(args.root, args.index_dir)
    with _closing(store):
        if args.output == "-":
            count = write_tags(store, sys.stdout)
        else:
            tmp = args.output + ".tmp"
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                count = write_tags(store, fh)
            os.replace(tmp, args.output)
    if args.output != "-":
        print(f"wrote {count} tags to {args.output}", file=sys.stderr)
    return 0


def cmd_mcp(args) -> int:
    from .mcp_server import serve

    return serve(args, _config_flags(args))


class _closing:
    def __init__(self, store) -> None:
        self.store = store

    def __enter__(self):
        return self.store

    def __exit__(self, *exc) -> None:
        self.store.close()


COMMANDS = {"index": cmd_index, "status": cmd_status, "symbols": cmd_symbols,
            "outline": cmd_outline, "show": cmd_show, "grep": cmd_grep, "tags": cmd_tags,
            "mcp": cmd_mcp}
ERRORS = (IndexUnavailable, QueryError, IndexBusy)
