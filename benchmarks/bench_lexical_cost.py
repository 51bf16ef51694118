"""What the lexical search tier costs a cold index: CPU seconds with and without it.

    python benchmarks/bench_lexical_cost.py            # both, the stdlib, sequential
    python benchmarks/bench_lexical_cost.py --without  # only the index without the tier
    python benchmarks/bench_lexical_cost.py --workers 2 --repeat 3  # as `ragex index` runs

Indexes the running interpreter's standard library (site-packages and tests included: the
directory as it is) sequentially (`use_parallel=false`: all the work in this process, so
its CPU time is the whole cost) into a temporary index directory, once with the tier and
once without it (its documents not built: `lexical.documents` answers nothing), each in a
fresh child process. Prints CPU seconds, wall seconds and their ratio; CPU is what to
compare on a loaded machine.

`--workers N` builds as `ragex index` does, with N worker processes (started by fork, so
that the tier is left out in them too; CPU then counts the workers), the two variants
alternated `--repeat` times, medians: the wall time a user waits.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def one(without: bool, workers: int = 0) -> dict:
    import corpora
    from ragex import extract, lexical
    from ragex.config import load_config
    from ragex.front import Index

    if without:
        extract.lexical.documents = lexical.documents = lambda symbols, source: []
    src = corpora.build_stdlib()
    with tempfile.TemporaryDirectory(prefix="lexcost_") as tmp:
        os.environ["RAGEX_INDEX_DIR"] = tmp
        cpu, wall = time.process_time(), time.perf_counter()
        flags = {"use_parallel": "false"} if not workers else {"max_workers": str(workers)}
        if workers:
            os.environ["RAGEX_START_METHOD"] = "fork"
        index = Index(str(src), config=load_config(flags=flags))
        summary = index.update()
        index.close()
        result = {"tier": not without, "cpu_s": round(time.process_time() - cpu, 1),
                  "extraction_s": round(summary.extraction.get("wall_seconds") or 0, 1),
                  "wall_s": round(time.perf_counter() - wall, 1),
                  "files": summary.total_files, "symbols": summary.total_symbols,
                  "index_mb": round(os.path.getsize(os.path.join(tmp, "index.db")) / 1e6, 1)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--without", action="store_true", help="only the index without it")
    parser.add_argument("--workers", type=int, default=0,
                        help="build with this many worker processes (default: sequential)")
    parser.add_argument("--repeat", type=int, default=1, help="alternate the two this often")
    parser.add_argument("--child", choices=("with", "without"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one(args.child == "without", args.workers)))
        return 0
    modes = ["without"] if args.without else ["without", "with"]
    runs: dict[str, list[dict]] = {m: [] for m in modes}
    for _ in range(args.repeat):
        for mode in modes:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            out = subprocess.run([sys.executable, __file__, "--child", mode,
                                  "--workers", str(args.workers)], check=True,
                                 capture_output=True, text=True).stdout
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            runs[mode].append(json.loads(out.strip().splitlines()[-1]))
            # the whole child process tree (its workers included), not only the child
            runs[mode][-1]["cpu_s"] = round(after.ru_utime + after.ru_stime
                                            - before.ru_utime - before.ru_stime, 1)
            print(runs[mode][-1], flush=True)
    rows = [{k: statistics.median(r[k] for r in runs[m]) for k in ("cpu_s", "wall_s")}
            for m in modes]
    if len(rows) == 2:
        print(f"load average {os.getloadavg()[0]:.1f}; {args.workers or 'no'} workers; with / "
              f"without the tier (medians of {args.repeat}): CPU "
              f"{rows[1]['cpu_s'] / rows[0]['cpu_s']:.2f}x, wall "
              f"{rows[1]['wall_s'] / rows[0]['wall_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
