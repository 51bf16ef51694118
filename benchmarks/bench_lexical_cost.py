"""What the lexical search tier costs a cold index: CPU seconds with and without it.

    python benchmarks/bench_lexical_cost.py            # both, the stdlib, sequential
    python benchmarks/bench_lexical_cost.py --without  # only the index without the tier

Indexes the running interpreter's standard library (site-packages and tests included: the
directory as it is) sequentially (`use_parallel=false`: all the work in this process, so
its CPU time is the whole cost) into a temporary index directory, once with the tier and
once without it (its documents not built: `lexical.documents` answers nothing), each in a
fresh child process. Prints CPU seconds, wall seconds and their ratio; CPU is what to
compare on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def one(without: bool) -> dict:
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
        index = Index(str(src), config=load_config(flags={"use_parallel": "false"}))
        summary = index.update()
        result = {"tier": not without, "cpu_s": round(time.process_time() - cpu, 1),
                  "wall_s": round(time.perf_counter() - wall, 1),
                  "files": summary.total_files, "symbols": summary.total_symbols,
                  "index_mb": round(os.path.getsize(os.path.join(tmp, "index.db")) / 1e6, 1)}
        index.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--without", action="store_true", help="only the index without it")
    parser.add_argument("--child", choices=("with", "without"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one(args.child == "without")))
        return 0
    rows = []
    for mode in (["without"] if args.without else ["without", "with"]):
        out = subprocess.run([sys.executable, __file__, "--child", mode], check=True,
                             capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    if len(rows) == 2:
        print(f"load average {os.getloadavg()[0]:.1f}; with / without the tier: CPU "
              f"{rows[1]['cpu_s'] / rows[0]['cpu_s']:.2f}x, wall "
              f"{rows[1]['wall_s'] / rows[0]['wall_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
