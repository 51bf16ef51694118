"""Commands that build or serve an index: `index`, `status`, `mcp`."""

from __future__ import annotations

import argparse
import sys

from ..config import load_config
from ..front import Index
from ..indexer import IndexBusy
from ..progress import ProgressBar
from .common import EXIT_BUSY, EXIT_OK, Command, print_json, print_problems
from .flags import add_flags, config_flags, discovery_options


def _setup_index(p: argparse.ArgumentParser) -> None:
    add_flags(p, "path_arg")
    p.add_argument("--force", action="store_true", help="re-extract every file")
    p.add_argument("--rebuild", action="store_true", help="delete the index and start afresh")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another indexer of the same index to finish")
    add_flags(p, "json", "no_progress", "index_dir", "which files", "settings")


def run_index(args: argparse.Namespace) -> int:
    index = Index(args.path, args.index_dir, discovery_options(args),
                  load_config(None, config_flags(args)))
    bar = ProgressBar.for_stream(sys.stderr, enabled=not args.no_progress and not args.json)
    try:
        summary = index.update(force=args.force, rebuild=args.rebuild,
                               progress=bar.update if bar else None, wait=args.wait)
    except IndexBusy as exc:
        print(f"ragex index: {exc}", file=sys.stderr)
        return EXIT_BUSY
    finally:
        if bar:
            bar.close()
    if args.json:
        print_json(summary.to_dict())
        return EXIT_OK
    for note in summary.notes:
        print(f"ragex index: warning: {note}", file=sys.stderr)
    print_problems(((p["status"], p["path"], p["reason"]) for p in summary.problems),
                   more_hint=" (see `ragex status`)")
    print(f"indexed {summary.indexed}, unchanged {summary.unchanged}, touched {summary.touched}, "
          f"skipped {summary.skipped}, failed {summary.failed}, removed {summary.removed} "
          f"files in {summary.seconds:.2f} s; the index has {summary.total_files} files, "
          f"{summary.total_symbols} symbols ({summary.index_dir})")
    return EXIT_OK


def _setup_status(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=None,
                   help="root of the codebase (default: the nearest index above)")
    add_flags(p, "json", "index_dir")


def run_status(args: argparse.Namespace) -> int:
    index = Index.find(args.path, args.index_dir)
    try:
        status = index.status()
    finally:
        index.close()
    if args.json:
        print_json(status)
        return EXIT_OK
    print(f"index  {status['index_dir']}  ({status['index_bytes'] / 1048576:.1f} MiB)")
    print(f"root   {status['root']}")
    print(f"state  {status['index_state']}")
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
    if status.get("references"):
        print(f"references  {status['references']}")
        for language, kinds in status["references_by_language"].items():
            print(f"  {language:<11} " + ", ".join(f"{k}: {n}" for k, n in kinds.items()))
    if status["problems"]:
        print("not indexed:")
        for p in status["problems"]:
            print(f"  {p['status']}: {p['path']}: {p['reason']}")
    if status["warnings"]:
        print(f"warnings: {len(status['warnings'])} files (see --json)")
    return EXIT_OK


def _setup_mcp(p: argparse.ArgumentParser) -> None:
    add_flags(p, "path_arg")
    p.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP host (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    p.add_argument("--no-index", action="store_true", help="do not index on start")
    add_flags(p, "index_dir", "which files", "settings")


def run_mcp(args: argparse.Namespace) -> int:
    from ..mcp_server import serve

    return serve(args.path, args.index_dir, discovery_options(args),
                 load_config(None, config_flags(args)), http=args.http, host=args.host,
                 port=args.port, index_on_start=not args.no_index)


COMMANDS = (
    Command("index", "build or update the index of a codebase", _setup_index, run_index,
            "Index PATH (default: .) into PATH/.ragex/ incrementally: only new and changed "
            "files are extracted."),
    Command("status", "counts, failures with reasons, index size, last run", _setup_status,
            run_status),
    Command("mcp", "serve the index to coding agents over MCP (stdio)", _setup_mcp, run_mcp,
            "Serve ROOT's index over MCP (stdio, or --http on loopback); indexes in the "
            "background on start."),
)
