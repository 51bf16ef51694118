"""Every command-line flag of `ragex`, defined once with its help text beside it.

A command names the flags it takes (`FLAGS` keys) and the option groups it shares with
other commands (`GROUPS`); `add_flags` puts them on its parser. The settings that have a
`RAGEX_*` variable come from `config.SETTINGS`, so their flag, variable and help are
defined in one place too. Turning parsed flags into library objects (`discovery_options`,
`config_flags`) happens here as well.

Not for: what a command does (the command modules) or validating settings (config).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any, Optional

from ..config import SETTINGS
from ..discover import DiscoveryOptions
from ..search import MATCH_MODES
from ..reference import REF_KINDS
from ..symbol import KINDS


@dataclass(frozen=True)
class Flag:
    names: tuple[str, ...]
    help: str
    options: dict[str, Any] = field(default_factory=dict)  # argparse keywords


FLAGS: dict[str, Flag] = {
    # output
    "json": Flag(("--json",), "JSON output (paths relative to the root)",
                 {"action": "store_true"}),
    "no_progress": Flag(("--no-progress",), "no progress bar on a terminal",
                        {"action": "store_true"}),
    # where the index is
    "root": Flag(("--root",), "root of the indexed codebase (default: the nearest directory "
                              "at or above the current one holding a .ragex/ index)",
                 {"default": None, "metavar": "DIR"}),
    "index_dir": Flag(("--index-dir",), "where the index lives (default <root>/.ragex) "
                                        "[RAGEX_INDEX_DIR]", {"default": None, "metavar": "DIR"}),
    "path_arg": Flag(("path",), "root of the codebase (default: .)",
                     {"nargs": "?", "default": "."}),
    "wait": Flag(("--wait",), "wait up to SECONDS for another process writing (index) or "
                              "watching (watch) the same index to finish",
                 {"type": float, "default": 0.0, "metavar": "SECONDS"}),
    # which files
    "include": Flag(("--include",), "only files matching GLOB (gitignore syntax; repeatable)",
                    {"action": "append", "default": [], "metavar": "GLOB"}),
    "exclude": Flag(("--exclude",), "leave out files matching GLOB (repeatable)",
                    {"action": "append", "default": [], "metavar": "GLOB"}),
    "hidden": Flag(("--hidden",), "include hidden files and directories",
                   {"action": "store_true"}),
    "no_ignore": Flag(("--no-ignore",),
                      "do not apply .gitignore/.ignore/.rgignore/.ragexignore files",
                      {"action": "store_true"}),
    "follow_outside": Flag(("--follow-outside",),
                           "follow symlinks that lead outside the root",
                           {"action": "store_true"}),
    "forget_file_set": Flag(("--forget-file-set",),
                            "the index remembers the flags above (and --max-file-bytes) "
                            "from the run that gave them: use the defaults instead",
                            {"action": "store_true"}),
    # query filters
    "kind": Flag(("--kind",), f"only these kinds (comma-separated): {', '.join(KINDS)}",
                 {"metavar": "KINDS"}),
    "lang": Flag(("--lang",), "only this language (repeatable; names and aliases as in "
                              "`ragex languages`); `extract` forces a single one on the "
                              "files it names", {"action": "append", "default": [],
                                                 "metavar": "LANG"}),
    "path_glob": Flag(("--path",), "only paths matching GLOB (relative to the current "
                                   "directory; a word without wildcards matches anywhere)",
                      {"dest": "path_glob", "metavar": "GLOB"}),
    "limit": Flag(("--limit",), "most results (default %(default)s)",
                  {"type": int, "default": 20, "metavar": "N"}),
    "offset": Flag(("--offset",), "skip this many results (the next page of a cut answer)",
                   {"type": int, "default": 0, "metavar": "N"}),
    "depth": Flag(("--depth",), "levels of nesting to show (1: top level only)",
                  {"type": int, "default": None, "metavar": "N"}),
    # references (refs, callers, callees)
    "ref_kind": Flag(("--kind",), f"only these reference kinds (comma-separated): "
                                  f"{', '.join(REF_KINDS)}", {"metavar": "KINDS"}),
    "call_depth": Flag(("--depth",), "levels of calls to follow, 1 to 5 (default 1)",
                       {"type": int, "default": 1, "metavar": "N"}),
}

# Flags several commands share, by group
GROUPS: dict[str, tuple[str, ...]] = {
    "index location": ("root", "index_dir"),
    "which files": ("include", "exclude", "hidden", "no_ignore", "follow_outside"),
    "remembered files": ("include", "exclude", "hidden", "no_ignore", "follow_outside",
                         "forget_file_set"),
    "filters": ("kind", "lang", "path_glob"),
}


def add_flags(parser: argparse.ArgumentParser, *names: str, **defaults: Any) -> None:
    """Add the named flags (keys of FLAGS) and groups (keys of GROUPS) to `parser`;
    `defaults` overrides a flag's default for this command (e.g. limit=200)."""
    for name in names:
        if name in GROUPS:
            group = parser.add_argument_group(name)
            for member in GROUPS[name]:
                _add(group, member, defaults)
        elif name == "settings":
            add_setting_flags(parser)
        else:
            _add(parser, name, defaults)


def _add(parser, name: str, defaults: dict) -> None:
    flag = FLAGS[name]
    options = dict(flag.options)
    if name in defaults:
        options["default"] = defaults[name]
    if flag.names[0].startswith("-") and "dest" not in options:
        options["dest"] = name
    parser.add_argument(*flag.names, help=flag.help, **options)


def add_setting_flags(parser: argparse.ArgumentParser) -> None:
    """One flag per `RAGEX_*` setting of `config.SETTINGS` (flag, variable and help there)."""
    group = parser.add_argument_group("parallelism and limits (override RAGEX_* variables)")
    for setting in SETTINGS:
        group.add_argument(setting.flag, dest=f"cfg_{setting.name}", metavar="VALUE",
                           default=None, help=f"{setting.help} [{setting.env}]")


def config_flags(args: argparse.Namespace) -> dict:
    """The settings given as flags, for `config.load_config(flags=...)`."""
    return {s.name: getattr(args, f"cfg_{s.name}", None) for s in SETTINGS}


def discovery_options(args: argparse.Namespace) -> Optional[DiscoveryOptions]:
    """The "which files" flags as options; None when none was given (an index then keeps
    the file set it remembers)."""
    options = DiscoveryOptions(hidden=args.hidden, no_ignore=args.no_ignore,
                               include=tuple(args.include), exclude=tuple(args.exclude),
                               follow_outside=args.follow_outside)
    if options == DiscoveryOptions() and not getattr(args, "forget_file_set", False):
        return None
    return options
