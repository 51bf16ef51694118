"""`ragex watch`: keep an index current until interrupted, one line per update."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from ..config import load_config, watch_settings
from ..front import Index
from ..watch import UpdateReport, Watcher
from .common import EXIT_OK, Command
from .flags import add_flags, config_flags, discovery_options


def _setup_watch(p: argparse.ArgumentParser) -> None:
    add_flags(p, "path_arg", "wait", "json", "index_dir", "which files", "settings")


def run_watch(args: argparse.Namespace) -> int:
    index = Index(args.path, args.index_dir, discovery_options(args),
                  load_config(None, config_flags(args)))
    settings = watch_settings()
    verbose = getattr(args, "verbose", False)

    def on_update(report: UpdateReport) -> None:
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False), flush=True)
        elif report.error or report.files_changed or report.reason == "start" or \
                (verbose and report.kind == "tree"):
            # (an update that changed nothing is never printed: a log written inside the
            # watched tree would otherwise print forever)
            print(report.line(), flush=True)

    def on_notice(text: str) -> None:
        print(f"ragex watch: {text}", file=sys.stderr, flush=True)

    stopping = threading.Event()

    def stop(signum, frame) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    watcher = Watcher(index, settings, on_update=on_update, on_notice=on_notice)
    try:
        watcher.start(wait=args.wait)  # WatcherBusy: another watcher (exit 3)
        while not stopping.wait(3600):
            pass
    finally:
        watcher.stop()
        index.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK


COMMANDS = (
    Command("watch", "keep the index current as files change, until interrupted",
            _setup_watch, run_watch,
            "Index PATH (default: .) as `ragex index` does, then keep the index current: "
            "file-system events feed incremental updates, usually within a second; a "
            "whole-tree check runs on start and every few minutes. Prints one line per "
            "update that changed files (-v: every whole-tree check too; --json: one JSON "
            "object per update). Stop with Ctrl-C."),
)
