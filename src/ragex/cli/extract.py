"""Commands that need no index: `extract`, `config`, `languages`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from ..config import SETTINGS, describe_watch, load_config
from ..discover import DiscoveryOptions, discover, is_supported_name
from ..extract import ExtractionResult, ExtractionTask
from ..jsonl import JsonLines, encode_rows
from ..languages import (AMBIGUOUS_EXTENSIONS, LANGUAGES, language_for_path, query_files,
                         resolve_language)
from ..parallel import ParallelSymbolExtractor
from ..progress import ProgressBar
from .common import EXIT_OK, Command, UsageError, print_json, print_problems
from .flags import add_flags, config_flags, discovery_options


def _setup_extract(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    p.add_argument("--format", choices=("jsonl", "json", "table"), default="jsonl",
                   help="output format (default: jsonl, one symbol per line)")
    add_flags(p, "lang", "which files", "no_progress", "settings")


def _extract_tasks(args: argparse.Namespace) -> list[ExtractionTask]:
    """The files to extract: symbols only (the references, which no format prints, are
    not extracted: they were about 30% of a worker's CPU on the stdlib and on Go)."""
    try:
        languages = {resolve_language(name) for name in args.lang} or None
    except ValueError as exc:
        raise UsageError(f"--lang: {exc}") from None
    options = discovery_options(args) or DiscoveryOptions()
    tasks: list[ExtractionTask] = []
    for given in args.paths:
        if os.path.isdir(given):
            for found in discover(given, options, languages=languages):
                rel = os.path.normpath(os.path.join(given, found.rel_path)).replace(os.sep, "/")
                tasks.append(ExtractionTask(found.path, rel, file_size=found.size,
                                            language=found.language, references=False))
        elif os.path.exists(given):
            rel = os.path.normpath(given).replace(os.sep, "/")
            language = language_for_path(given)
            if languages and len(languages) == 1 and language not in languages:
                language = next(iter(languages))  # --lang forces a named file's language
            elif languages and language not in languages and is_supported_name(given):
                continue
            size = os.path.getsize(given)
            tasks.append(ExtractionTask(os.path.abspath(given), rel, file_size=size,
                                        language=language, references=False))
        else:
            raise UsageError(f"{given}: no such file or directory")
    return tasks


def _table_row(symbol) -> str:
    sig = symbol.signature or symbol.name
    return f"{symbol.path}:{symbol.start_line}\t{symbol.kind}\t{symbol.qualified_name}\t{sig}"


def _line_writer(out):
    """Writes UTF-8 JSON lines to `out`: to its binary buffer when it has one (no decoding
    and re-encoding of what the workers encoded), else as text."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        return lambda data: out.write(data.decode("utf-8"))
    out.flush()
    return buffer.write


def run_extract(args: argparse.Namespace) -> int:
    tasks = _extract_tasks(args)
    config = load_config(len(tasks), config_flags(args))
    out = sys.stdout
    bar = ProgressBar.for_stream(sys.stderr, enabled=not args.no_progress)
    started = time.perf_counter()
    counts = {"files": 0, "symbols": 0, "skipped": 0, "failed": 0}
    problems: list[ExtractionResult] = []
    collected = [] if args.format == "json" else None
    # JSON lines are built in the workers and written here unread (see `jsonl`)
    raw = "jsonl" if args.format == "jsonl" else False
    write_lines = _line_writer(out) if raw else None
    with ParallelSymbolExtractor(config) as extractor:
        for result in extractor.iter_extract(tasks, progress=bar.update if bar else None,
                                             raw=raw):
            counts["files"] += 1
            counts["symbols"] += result.symbol_count
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
            elif write_lines is not None:
                if result.rows:
                    rows = result.rows  # tuples when extracted on a cluster
                    write_lines(rows.data if isinstance(rows, JsonLines) else encode_rows(rows))
            else:
                for symbol in result.symbols:
                    out.write(_table_row(symbol) + "\n")
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
    return EXIT_OK


def run_config(args: argparse.Namespace) -> int:
    config = load_config(None, config_flags(args))
    rows = config.describe() + describe_watch()
    from ..semantic import describe_device

    semantic = describe_device()
    if args.json:
        print_json({"settings": [{"variable": v, "flag": f, "value": val, "source": src}
                                 for v, f, val, src in rows], "executor": config.executor,
                    "system": config.system, "semantic": semantic})
        return EXIT_OK
    width = max(len(r[0]) for r in rows)
    for setting, (variable, flag, value, source) in zip(SETTINGS, rows):
        shown = setting.unset if value is None else value
        print(f"{variable:<{width}}  {str(shown):<10}  {source}   ({flag})")
    print()
    print(f"executor: {config.executor}")
    print()
    for key, value in config.system.items():
        print(f"system.{key} = {value}")
    print()
    for key, value in semantic.items():
        print(f"semantic.{key} = {value}")
    return EXIT_OK


def language_rows() -> list[dict]:
    """One row per registry language: how its files are found and how they are read."""
    return [{"name": s.name, "extensions": list(s.extensions), "filenames": list(s.filenames),
             "interpreters": list(s.interpreters), "modes": list(s.modes),
             "aliases": list(s.aliases), "grammar": s.grammar[0].replace("_", "-"),
             "queries": list(query_files(s)), "embeds": bool(s.injections),
             "references": list(s.refs_query) or ("embedded code" if s.refs_embedded else
                                                  f"none: {s.refs_none}"),
             "shares": [ext for ext in s.extensions if ext in AMBIGUOUS_EXTENSIONS]}
            for s in LANGUAGES]


def run_languages(args: argparse.Namespace) -> int:
    rows = language_rows()
    if args.json:
        print_json(rows)
        return EXIT_OK
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        names = " ".join(row["extensions"] + row["filenames"])
        extra = []
        if row["interpreters"]:
            extra.append(f"#! {' '.join(row['interpreters'])}")
        if row["embeds"]:
            extra.append("+ embedded code")
        print(f"{row['name']:<{width}}  {names}" + "".join(f"   {e}" for e in extra))
    shared = "".join(f"; {ext} is {', '.join(names[:-1])} or {names[-1]} by its content"
                     for ext, names in AMBIGUOUS_EXTENSIONS.items())
    print(f"\n{len(rows)} languages; a file without a known name is detected from its #! line "
          f"or an Emacs/Vim modeline{shared} (--json adds modes, aliases, grammars and query "
          "files)")
    return EXIT_OK


COMMANDS = (
    Command("extract", "print the symbols of files and directories", _setup_extract,
            run_extract, "Extract symbols from files and directories (walked recursively "
                         "with the index's ignore rules) and stream them; no index needed."),
    Command("config", "print the effective configuration and its sources",
            lambda p: add_flags(p, "json", "settings"), run_config),
    Command("languages", "list supported languages, extensions, file names and #! "
                         "interpreters", lambda p: add_flags(p, "json"), run_languages),
)
