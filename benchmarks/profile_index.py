"""Where the main process of a cold `ragex index` spends its time, by phase.

    python benchmarks/profile_index.py TREE              # py-spy must be installed
    python benchmarks/profile_index.py TREE --raw FILE   # keep py-spy's samples

Runs `python -m ragex index TREE` into a new temporary index under `py-spy record` (the
main process only: workers are other processes), then charges each sample to the first
phase below that a frame of its stack matches, from the innermost frame out, and prints
each phase's share of the samples in which the process was not waiting for its workers,
with that share of the process's CPU seconds (its own getrusage at exit).

Not for: the workers' time (bench_extract.py --phases) or whole-process walls
(bench_index.py).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile

# (phase, substrings of a py-spy frame "function (file:line)"), innermost match wins
PHASES = [
    ("end: name indexes (symbols, references), names and their trigram index",
     ["IndexStore.end_bulk"]),
    ("lexical FTS (every 20,000 rows, the last ones at the end)", ["index_rows"]),
    ("commit (pages written to the WAL)", ["IndexStore.commit"]),
    ("insert references", ["_put_refs"]),
    ("insert lexical rows", ["put_documents"]),
    ("insert symbols and the file's row", ["IndexStore.put_file"]),
    ("receive and unpickle results", ["_ConnectionBase.recv", "Connection._recv"]),
    ("waiting for workers", ["select", "wait (connection", "_poll"]),
    ("supervision (deadlines, memory, batches)", ["SupervisedRun", "_Worker", "WorkerPool"]),
    ("discovery and plan", ["find_code_files", "_plan", "discover", "file_rows",
                            "extractor_fingerprints"]),
    ("start-up (imports, pool)", ["_find_and_load", "ensure_alive", "start"]),
]
WAITING = "waiting for workers"

_CHILD = """import resource, runpy, sys
sys.argv = ["ragex", *sys.argv[1:]]
try:
    runpy.run_module("ragex", run_name="__main__")
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print("MAIN_CPU", usage.ru_utime + usage.ru_stime, file=sys.stderr)
"""


def phase_of(stack: str) -> str:
    for frame in reversed(stack.split(";")):
        for phase, parts in PHASES:
            if any(part in frame for part in parts):
                return phase
    return "other"


def breakdown(raw_path: str) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    with open(raw_path) as fh:
        for line in fh:
            stack, _, n = line.rstrip().rpartition(" ")
            if stack and n.isdigit():
                counts[phase_of(stack)] += int(n)
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tree")
    ap.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    ap.add_argument("--raw", help="keep py-spy's collapsed stacks in this file")
    args = ap.parse_args(argv)
    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.path.exists(spy):
        raise SystemExit("py-spy is not installed: pip install py-spy")
    with tempfile.TemporaryDirectory(prefix="ragex-profile-") as work:
        raw = args.raw or os.path.join(work, "samples.txt")
        cmd = [spy, "record", "-r", str(args.rate), "-f", "raw", "-o", raw, "--",
               sys.executable, "-c", _CHILD, "index", os.path.abspath(args.tree),
               "--index-dir", os.path.join(work, "index"), "--json", "--no-progress"]
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {proc.stderr[-2000:]}")
        cpu = float(next(line.split()[1] for line in proc.stderr.splitlines()
                         if line.startswith("MAIN_CPU")))
        counts = breakdown(raw)
    busy = sum(n for phase, n in counts.items() if phase != WAITING) or 1
    print(f"main process CPU {cpu:.2f} s; {busy} samples busy, {counts[WAITING]} waiting; "
          f"load {os.getloadavg()[0]:.1f}\n")
    print("| phase | share of busy samples | ≈ CPU s |\n|---|---:|---:|")
    for phase, n in counts.most_common():
        if phase != WAITING:
            print(f"| {phase} | {n / busy * 100:.0f}% | {n / busy * cpu:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
