"""The `ragex` command: a thin layer of subcommands over the library.

Each subcommand parses its flags (defined once, with their help, in `_build_parser`),
calls one library function and prints. No logic lives here that a Python caller cannot
reach through the library.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from typing import Iterable, Optional

from . import __version__
from .config import SETTINGS, ConfigError, load_config
from .discover import DiscoveryError, discover, is_supported_name
from .extract import ExtractionResult, ExtractionTask
from .languages import LANGUAGES, language_for_path, resolve_language
from .parallel import ParallelSymbolExtractor, Progress
from .progress import ProgressBar

EXIT_USAGE = 2


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------- the parser


def _add_config_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("parallelism and limits (override RAGEX_* variables)")
    for setting in SETTINGS:
        group.add_argument(setting.flag, dest=f"cfg_{setting.name}", metavar="VALUE",
                           default=None, help=f"{setting.help} [{setting.env}]")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ragex", description="Fast, fault-tolerant, parallel code-symbol indexer.")
    parser.add_argument("--version", action="version", version=f"ragex {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log warnings and details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="print the symbols of files and directories",
                       description="Extract symbols from files and directories (walked "
                                   "recursively with ignore rules) and stream them.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    p.add_argument("--format", choices=("jsonl", "json", "table"), default="jsonl",
                   help="output format (default: jsonl, one symbol per line)")
    p.add_argument("--lang", action="append", default=[], metavar="L",
                   help="only this language (repeatable); forces it for named files")
    p.add_argument("--hidden", action="store_true", help="include hidden files and directories")
    p.add_argument("--no-ignore", action="store_true", help="do not apply ignore files")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on a terminal")
    _add_config_flags(p)

    p = sub.add_parser("config", help="print the effective configuration and its sources")
    p.add_argument("--json", action="store_true", help="JSON output")
    _add_config_flags(p)

    p = sub.add_parser("languages", help="list supported languages and extensions")
    p.add_argument("--json", action="store_true", help="JSON output")

    from . import cli_index  # the index commands live beside this module

    cli_index.add_commands(sub, _add_config_flags)
    return parser


def _config_flags(args: argparse.Namespace) -> dict:
    return {s.name: getattr(args, f"cfg_{s.name}", None) for s in SETTINGS}


# ------------------------------------------------------------------------- extract


def _extract_tasks(args: argparse.Namespace) -> list[ExtractionTask]:
    try:
        languages = {resolve_language(name) for name in args.lang} or None
    except ValueError as exc:
        raise UsageError(f"--lang: {exc}") from None
    tasks: list[ExtractionTask] = []
    for given in args.paths:
        if os.path.isdir(given):
            for found in discover(given, hidden=args.hidden, no_ignore=args.no_ignore,
                                  languages=languages):
                rel = os.path.normpath(os.path.join(given, found.rel_path)).replace(os.sep, "/")
                tasks.append(ExtractionTask(found.path, rel, file_size=found.size,
                                            language=found.language))
        elif os.path.exists(given):
            rel = os.path.normpath(given).replace(os.sep, "/")
            language = language_for_path(given)
            if languages and len(languages) == 1 and language not in languages:
                language = next(iter(languages))  # --lang forces a named file's language
            elif languages and language not in languages and is_supported_name(given):
                continue
            size = os.path.getsize(given)
            tasks.append(ExtractionTask(os.path.abspath(given), rel, file_size=size,
                                        language=language))
        else:
            raise UsageError(f"{given}: no such file or directory")
    return tasks


def _format_symbol_table(symbol) -> str:
    sig = symbol.signature or symbol.name
    return f"{symbol.path}:{symbol.start_line}\t{symbol.kind}\t{symbol.qualified_name}\t{sig}"


def cmd_extract(args: argparse.Namespace) -> int:
    tasks = _extract_tasks(args)
    config = load_config(len(tasks), _config_flags(args))
    out = sys.stdout
    bar = ProgressBar.for_stream(sys.stderr, enabled=not args.no_progress)
    started = time.perf_counter()
    counts = {"files": 0, "symbols": 0, "skipped": 0, "failed": 0}
    problems: list[ExtractionResult] = []
    collected = [] if args.format == "json" else None
    with ParallelSymbolExtractor(config) as extractor:
        for result in extractor.iter_extract(tasks, progress=bar.update if bar else None):
            counts["files"] += 1
            counts["symbols"] += len(result.symbols)
            if result.status == "skipped":
                counts["skipped"] += 1
                problems.append(result)
            elif result.status != "ok":
                counts["failed"] += 1
                problems.append(result)
            elif result.warning:
                problems.append(result)
            if collected is not None:
                collected.extend(s.to_dict() for s in result.symbols)
            elif args.format == "jsonl":
                for symbol in result.symbols:
                    out.write(json.dumps(symbol.to_dict(), ensure_ascii=False) + "\n")
            else:
                for symbol in result.symbols:
                    out.write(_format_symbol_table(symbol) + "\n")
    if bar:
        bar.close()
    if collected is not None:
        json.dump(collected, out, ensure_ascii=False, indent=1)
        out.write("\n")
    out.flush()
    print_problems((r.status if r.error else "warning", r.rel_path, r.error or r.warning)
                   for r in sorted(problems, key=lambda r: r.rel_path))
    wall = time.perf_counter() - started
    print(f"ragex: {counts['files']} files, {counts['symbols']} symbols, "
          f"{counts['skipped']} skipped, {counts['failed']} failed ({wall:.2f} s)",
          file=sys.stderr)
    return 0


def print_problems(rows: Iterable[tuple[str, str, str]], limit: int = 50,
                   more_hint: str = "") -> None:
    """One stderr line per (status, path, reason), at most `limit` of them."""
    rows = list(rows)
    for status, path, reason in rows[:limit]:
        print(f"ragex: {status}: {path}: {reason}", file=sys.stderr)
    if len(rows) > limit:
        print(f"ragex: ... and {len(rows) - limit} more{more_hint}", file=sys.stderr)


# -------------------------------------------------------------------------- config


def cmd_config(args: argparse.Namespace) -> int:
    config = load_config(None, _config_flags(args))
    rows = config.describe()
    if args.json:
        print(json.dumps({"settings": [{"variable": v, "flag": f, "value": val, "source": src}
                                       for v, f, val, src in rows],
                          "system": config.system}, indent=1))
        return 0
    width = max(len(r[0]) for r in rows)
    for variable, flag, value, source in rows:
        shown = "auto" if value is None else value
        print(f"{variable:<{width}}  {str(shown):<10}  {source}   ({flag})")
    print()
    for key, value in config.system.items():
        print(f"system.{key} = {value}")
    return 0


def cmd_languages(args: argparse.Namespace) -> int:
    rows = [{"name": s.name, "extensions": list(s.extensions), "interpreters": list(s.interpreters)}
            for s in LANGUAGES]
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        for row in rows:
            print(f"{row['name']:<11} {' '.join(row['extensions'])}"
                  + (f"   #! {' '.join(row['interpreters'])}" if row["interpreters"] else ""))
    return 0


COMMANDS = {"extract": cmd_extract, "config": cmd_config, "languages": cmd_languages}


def main(argv: Optional[list[str]] = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="ragex: %(levelname)s: %(message)s")
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from . import cli_index

    handler = COMMANDS.get(args.command) or cli_index.COMMANDS[args.command]
    try:
        return handler(args)
    except (UsageError, ConfigError, DiscoveryError, *cli_index.ERRORS) as exc:
        print(f"ragex {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `ragex extract . | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("ragex: interrupted", file=sys.stderr)
        return 130
