"""Commands that build or serve an index: `index`, `status`, `embed`, `mcp`."""

from __future__ import annotations

import argparse
import sys

from ..config import load_config
from ..front import Index
from ..indexer import IndexBusy
from ..progress import ProgressBar
from .common import EXIT_BUSY, EXIT_OK, Command, UsageError, print_json, print_problems
from .flags import add_flags, config_flags, discovery_options


def _setup_index(p: argparse.ArgumentParser) -> None:
    add_flags(p, "path_arg")
    p.add_argument("--force", action="store_true", help="re-extract every file")
    p.add_argument("--rebuild", action="store_true", help="delete the index and start afresh")
    add_flags(p, "wait", "json", "no_progress", "index_dir", "remembered files", "settings")


def run_index(args: argparse.Namespace) -> int:
    index = Index(args.path, args.index_dir, discovery_options(args),
                  load_config(None, config_flags(args)))
    bar = ProgressBar.for_stream(sys.stderr, enabled=not args.no_progress and not args.json)
    try:
        summary = index.update(force=args.force, rebuild=args.rebuild,
                               progress=bar.update if bar else None, wait=args.wait,
                               forget_file_set=args.forget_file_set)
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
    run = summary.extraction
    if run.get("files_mode"):  # extracted on a Dask cluster: where, and how files went
        print(f"extracted on the Dask cluster at {run['executor']}: {run['dask_workers']} "
              f"workers, {run['workers']} processes; files sent as {run['files_mode']} "
              f"({run['files_reason']}); client CPU {run['client_cpu_seconds']:.2f} s "
              f"({run['client_cpu_share']:.0%} of one core)")
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
    print(f"files  {status['files']}   symbols  {status['symbols']}   "
          f"file set  {status['file_set']['described']}")
    for language, statuses in status["by_language"].items():
        parts = ", ".join(f"{s}: {v['files']} files" + (f", {v['symbols']} symbols"
                                                          if s == "ok" else "")
                          for s, v in statuses.items())
        print(f"  {language:<11} {parts}")
    if status.get("references"):
        print(f"references  {status['references']}")
        for language, kinds in status["references_by_language"].items():
            print(f"  {language:<11} " + ", ".join(f"{k}: {n}" for k, n in kinds.items()))
    for language, reason in status.get("references_none", {}).items():
        print(f"  {language:<11} no references of its own: {reason}")
    if status["problems"]:
        print("not indexed:")
        for p in status["problems"]:
            print(f"  {p['status']}: {p['path']}: {p['reason']}")
    if status["warnings"]:
        print(f"warnings: {len(status['warnings'])} files (see --json)")
    return EXIT_OK


def _setup_embed(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=None,
                   help="root of the codebase (default: the nearest index above)")
    add_flags(p, "json", "no_progress", "index_dir")


def run_embed(args: argparse.Namespace) -> int:
    index = Index.find(args.path, args.index_dir)
    show = not args.no_progress and not args.json and sys.stderr.isatty()

    def progress(p) -> None:
        if show:
            print(f"\rembedding {p.done}/{p.total} definitions ({p.rate:.0f}/s, "
                  f"{p.device or '-'})", end="", file=sys.stderr, flush=True)

    try:
        report = index.embed(progress)
    finally:
        index.close()
        if show:
            print(file=sys.stderr)
    if args.json:
        print_json({"state": report.state, "total": report.total, "embedded": report.done,
                    "embedded_now": report.embedded_now, "seconds": round(report.seconds, 2),
                    "per_second": round(report.rate, 1), "device": report.device})
        return EXIT_OK if report.state != "busy" else EXIT_BUSY
    if report.state == "busy":
        print("ragex embed: another ragex embed is updating this index's vectors",
              file=sys.stderr)
        return EXIT_BUSY
    print(f"embedded {report.embedded_now} definitions in {report.seconds:.1f} s "
          f"({report.rate:.0f}/s on {report.device or 'no device: nothing to do'}); "
          f"{report.done} of {report.total} have a vector")
    return EXIT_OK


def _setup_mcp(p: argparse.ArgumentParser) -> None:
    add_flags(p, "path_arg")
    p.add_argument("--http", action="store_true", help="streamable HTTP instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP host (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8765, help="HTTP port (default 8765)")
    p.add_argument("--no-index", action="store_true",
                   help="do not index on start, nor watch: serve the index as it is")
    p.add_argument("--no-watch", action="store_true",
                   help="index on start, but do not keep the index current as files change")
    add_flags(p, "index_dir", "which files", "settings")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"{value} is not a port: give 1-65535")
    return value


def run_mcp(args: argparse.Namespace) -> int:
    from ..mcp_server import serve
    from ..service import ServiceError

    try:
        return serve(args.path, args.index_dir, discovery_options(args),
                     load_config(None, config_flags(args)), http=args.http, host=args.host,
                     port=args.port, index_on_start=not args.no_index,
                     watch=not args.no_index and not args.no_watch)
    except ServiceError as exc:  # a root that cannot be served: one line
        raise UsageError(str(exc)) from None


COMMANDS = (
    Command("index", "build or update the index of a codebase", _setup_index, run_index,
            "Index PATH (default: .) into PATH/.ragex/ incrementally: only new and changed "
            "files are extracted."),
    Command("status", "counts, failures with reasons, index size, last run", _setup_status,
            run_status),
    Command("embed", "embed the definitions for semantic search (ragex[semantic])",
            _setup_embed, run_embed,
            "Embed the indexed definitions that have no vector yet (functions, methods, "
            "classes: only new and changed ones) with the model of the optional extra "
            "pip install 'ragex[semantic]'; `ragex search` uses them at once."),
    Command("mcp", "serve the index to coding agents over MCP (stdio)", _setup_mcp, run_mcp,
            "Serve ROOT's index over MCP (stdio, or --http on loopback); indexes in the "
            "background on start, then keeps the index current as files change."),
)
