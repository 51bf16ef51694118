"""What language detection costs the walk: `discover()` with modelines read, and without.

    python benchmarks/bench_detect.py                  # the stdlib corpus, 7 repeats
    python benchmarks/bench_detect.py --corpus markdown --repeat 5

Discovery names a file by its name when it can and opens only files without an
extension (docs/languages.md, "Detection"): for their `#!` line, and, when they have
none, for an Emacs or Vim modeline in their first or last lines. This times `discover()`
over a corpus with that rule, and in the same run with the `#!` line alone (the rule
before modelines), alternating the two (median of `--repeat`), and counts the files each
opens and the files each finds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)

    from ragex import discover as disc
    from ragex.languages import language_from_shebang

    with_modelines = disc._sniff
    opened = {"modelines": 0, "#! only": 0}

    def shebang_only(path: str, size: int):
        opened["#! only"] += 1
        try:
            with open(path, "rb") as fh:
                head = fh.read(256)
        except OSError:
            return None
        return language_from_shebang(head) if head.startswith(b"#!") else None

    def counted(path: str, size: int):
        opened["modelines"] += 1
        return with_modelines(path, size)

    root = str(corpora.corpus_path(args.corpus))
    walls: dict[str, list[float]] = {"modelines": [], "#! only": []}
    found: dict[str, int] = {}
    for _ in range(args.repeat):
        for label, sniff in (("modelines", counted), ("#! only", shebang_only)):
            disc._sniff = sniff
            started = time.perf_counter()
            found[label] = sum(1 for _ in disc.discover(root))
            walls[label].append(time.perf_counter() - started)
    disc._sniff = with_modelines
    print(f"discover() over {root}, median of {args.repeat} (alternated):\n")
    print("| rule for files without an extension | wall s | files found | files opened |")
    print("|---|---:|---:|---:|")
    for label in walls:
        print(f"| {label} | {statistics.median(walls[label]):.3f} | {found[label]:,} | "
              f"{opened[label] // args.repeat:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
