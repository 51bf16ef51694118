"""The `ragex` command: a thin layer of subcommands over the library front.

Each subcommand parses its flags (`flags`: every flag defined once), asks the library
(`ragex.front.Index`, or the extractor for `extract`) and prints. Errors a user can act on
are one line on stderr and an exit code from the table in `common`; nothing here holds
logic a Python caller cannot reach through the library.

Layout: `flags` (the flags), `common` (exit codes, paths, printing), and one module per
family of commands: `extract` (no index needed), `index` (build and serve), `watch` (keep
it current), `query` (ask the index), `refs` (references and call hierarchies).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Optional

from .. import __version__
from ..cluster import ClusterError
from ..config import ConfigError
from ..discover import DiscoveryError
from ..indexer import IndexBusy
from ..search import QueryError
from ..semantic import SemanticUnavailable
from ..store import IndexUnavailable
from . import extract, index, query, refs, watch
from .common import (EXIT_BUSY, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, Command, UsageError,
                     print_problems)

COMMANDS: tuple[Command, ...] = (extract.COMMANDS + index.COMMANDS + watch.COMMANDS
                                  + query.COMMANDS + refs.COMMANDS)
# errors a user can act on: one line, no traceback
USER_ERRORS = (UsageError, ConfigError, DiscoveryError, IndexUnavailable, QueryError,
               SemanticUnavailable, ClusterError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ragex", description="Fast, fault-tolerant, parallel code-symbol indexer.")
    parser.add_argument("--version", action="version", version=f"ragex {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log warnings and details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help,
                           description=command.description or command.help)
        command.setup(p)
        p.set_defaults(run=command.run)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="ragex: %(levelname)s: %(message)s")
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return args.run(args)
    except USER_ERRORS as exc:
        print(f"ragex {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except IndexBusy as exc:
        print(f"ragex {args.command}: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except BrokenPipeError:  # `ragex extract . | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except KeyboardInterrupt:
        print("ragex: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


__all__ = ["COMMANDS", "build_parser", "main", "print_problems"]
