"""Cold `ragex index` next to its peers, side by side in one run, whole processes.

    python benchmarks/bench_peers.py                              # stdlib go multi, 3 pairs
    python benchmarks/bench_peers.py --corpus stdlib --corpus go --repeat 5
    flock /work/results/kernel.lock python benchmarks/bench_peers.py --corpus linux --repeat 1

Peers:

  code-index-mcp   PyPI `code-index-mcp` (pinned below), installed by this script into its
                   own virtual environment under `benchmarks/.cache/peers/` (gitignored;
                   pip reaches PyPI once, then the environment is reused). Its index build
                   is driven the way its MCP tool `build_deep_index` drives it
                   (`IndexManagementService.rebuild_deep_index`: the SQLite index
                   manager's `set_project_path(root, excludes)`, then
                   `refresh_index(max_workers, timeout)` with the tool's defaults, None and
                   None: min(4, CPUs) threads, a timeout of 0.5 s per file capped at 600 s),
                   in a fresh process whose temporary directory (where it keeps its index)
                   is new and empty: a cold build each time.
  ctags            universal-ctags `ctags -R --fields=+neKS` over the same tree, as
                   `bench_index.py` runs it (`--languages=` the ten main languages).
  ragex            `python -m ragex index TREE --index-dir NEW --json --no-progress`, a new
                   index directory each time (cold); `--workers` as configured (default:
                   what ragex detects, 2 here).

Each corpus of `corpora.py` is copied first, as `bench_index.py` does (the stdlib without
`site-packages`; the kernel as hard links, with Debian's top-level `/*` ignore rule dropped
so that ignore-aware walkers see its sources). The page cache is warmed by reading every
file once. Then `--repeat` rounds, each running every tool once, the order rotated from
round to round (drift hits every tool alike); medians of the walls. Printed: one Markdown
table per run, wall seconds, files and symbols each tool reports, and ratios to ragex; the
1-minute load average at each measurement (the machine is shared: say it with the
figures). `--json FILE` writes the raw numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_index  # noqa: E402
import corpora  # noqa: E402

CODE_INDEX_MCP = "code-index-mcp==2.17.1"
CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache")
PEERS = os.path.join(CACHE, "peers")
DEFAULT_CORPORA = ("stdlib", "go", "multi")

# Run with the peer's interpreter: what `build_deep_index` does, with the tool's defaults.
CODE_INDEX_DRIVER = r'''
import json, sys, time
started = time.perf_counter()
from code_index_mcp.indexing import get_index_manager

root = sys.argv[1]
manager = get_index_manager()
if not manager.set_project_path(root, []):
    sys.exit("set_project_path failed")
ok = manager.refresh_index(max_workers=None, timeout=None)
stats = manager.get_index_stats()
build = getattr(manager, "_last_build_stats", {}) or {}
print(json.dumps({"ok": bool(ok), "files": stats.get("indexed_files", 0),
                  "symbols": stats.get("total_symbols", 0),
                  "timed_out": bool(build.get("timed_out")),
                  "total_files": build.get("total_files"),
                  "seconds_in_process": time.perf_counter() - started}))
'''


def log(msg: str) -> None:
    print(f"[bench_peers] {msg}", file=sys.stderr, flush=True)


def peer_python() -> str:
    """The code-index-mcp environment's interpreter, created on the first run."""
    venv = os.path.join(PEERS, "code-index-mcp")
    python = os.path.join(venv, "bin", "python")
    marker = os.path.join(venv, ".installed")
    if os.path.exists(marker) and open(marker).read().strip() == CODE_INDEX_MCP:
        return python
    os.makedirs(PEERS, exist_ok=True)
    if not os.path.exists(python):
        log(f"creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    log(f"pip install {CODE_INDEX_MCP} into {venv}")
    subprocess.run([python, "-m", "pip", "install", "-q", CODE_INDEX_MCP], check=True)
    with open(marker, "w") as fh:
        fh.write(CODE_INDEX_MCP + "\n")
    return python


def timed(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    return time.perf_counter() - t0, proc


def run_ragex(tree: str, work: str, workers: Optional[int]) -> dict:
    index_dir = tempfile.mkdtemp(prefix="ragex-index-", dir=work)
    try:
        wall, summary = bench_index.run_index(tree, index_dir, workers or 0)
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    return {"wall": wall, "files": summary.get("total_files"),
            "symbols": summary.get("total_symbols"), "failed": summary.get("failed"),
            "skipped": summary.get("skipped"),
            "problems": [f"{p['status']}: {p['path']}: {p['reason']}"
                         for p in summary.get("problems", [])][:20]}


def run_code_index_mcp(python: str, tree: str, work: str) -> dict:
    tmp = tempfile.mkdtemp(prefix="cim-tmp-", dir=work)  # its index lives in TMPDIR
    try:
        wall, proc = timed([python, "-c", CODE_INDEX_DRIVER, tree],
                           env=dict(os.environ, TMPDIR=tmp, PYTHONPATH=""), cwd=tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"code-index-mcp failed ({proc.returncode}): {proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": wall, **out}


def run_ctags(tree: str, work: str) -> dict:
    tags = os.path.join(work, "tags")
    wall, proc = timed(["ctags", "-R", f"--languages={bench_index.CTAGS_LANGUAGES}", "--exclude=site-packages",
                        "--exclude=.ragex", "--fields=+neKS", "-f", tags, tree])
    if proc.returncode != 0:
        raise SystemExit(f"ctags failed ({proc.returncode}): {proc.stderr[-2000:]}")
    with open(tags, "rb") as fh:
        lines = sum(c.count(b"\n") for c in iter(lambda: fh.read(1 << 20), b""))
    os.unlink(tags)
    return {"wall": wall, "symbols": lines, "files": None}


def measure_corpus(corpus: str, args, python: Optional[str]) -> dict:
    work = tempfile.mkdtemp(prefix=f"peers-{corpus}-", dir=args.work)
    try:
        tree = bench_index.prepare_tree(corpus, work)
        files = 0
        for d, _, names in os.walk(tree):  # warm the page cache
            for name in names:
                path = os.path.join(d, name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as fh:
                        while fh.read(1 << 20):
                            pass
                    files += 1
        log(f"{corpus}: {files} files in {tree}")
        tools = ["ragex"]
        if python:
            tools.append("code-index-mcp")
        if args.ctags == "all" or (args.ctags == "kernel" and corpus == "linux"):
            tools.append("ctags")
        runs: dict[str, list[dict]] = {t: [] for t in tools}
        for i in range(args.repeat):
            order = tools[i % len(tools):] + tools[:i % len(tools)]
            for tool in order:
                log(f"{corpus}: {tool} ({i + 1}/{args.repeat}) ...")
                load = os.getloadavg()[0]
                if tool == "ragex":
                    r = run_ragex(tree, work, args.workers)
                elif tool == "code-index-mcp":
                    r = run_code_index_mcp(python, tree, work)
                else:
                    r = run_ctags(tree, work)
                r["load"] = load
                runs[tool].append(r)
                failed = f", {r['failed']} failed" if r.get("failed") else ""
                log(f"{corpus}: {tool} {r['wall']:.2f} s, {r.get('files')} files{failed}, "
                    f"{r.get('symbols')} symbols, load {load:.1f}")
                for problem in r.get("problems", [])[:5]:
                    log(f"  {problem}")
        return {"corpus": corpus, "files_in_tree": files,
                "tools": {t: {"wall": statistics.median(r["wall"] for r in rs), "runs": rs}
                          for t, rs in runs.items()}}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_table(results: list[dict], repeat: int) -> None:
    print(f"\ncold index, whole processes; median of {repeat} round(s), tools rotated each "
          f"round; Python {platform.python_version()}, {os.cpu_count()} cores\n")
    print("| corpus | tool | wall s | files | symbols | × ragex wall | load |")
    print("|---|---|---:|---:|---:|---:|---|")
    for res in results:
        ragex = res["tools"]["ragex"]["wall"]
        for tool, t in res["tools"].items():
            last = t["runs"][-1]
            note = ""
            if last.get("timed_out"):
                note = f" (timed out: {last.get('files')} of {last.get('total_files')} files)"
            files = f"{last['files']:,}" if last.get("files") is not None else "–"
            loads = ", ".join(f"{r['load']:.1f}" for r in t["runs"])
            print(f"| {res['corpus']} | {tool}{note} | {t['wall']:.2f} | {files} | "
                  f"{last.get('symbols') or 0:,} | {t['wall'] / ragex:.2f} | {loads} |")
    print()
    for res in results:
        tools = res["tools"]
        ragex = tools["ragex"]["wall"]
        if "code-index-mcp" in tools:
            ratio = tools["code-index-mcp"]["wall"] / ragex
            verdict = "met" if ratio >= 1.5 else "not met"
            said = f"{ratio:.2f}× faster" if ratio >= 1 else f"{1 / ratio:.2f}× slower"
            print(f"{res['corpus']}: code-index-mcp wall / ragex wall = {ratio:.2f}: ragex "
                  f"is {said} (target: ≥ 1.5× faster: {verdict})")
        if "ctags" in tools:
            print(f"{res['corpus']}: ragex wall = {ragex / tools['ctags']['wall']:.2f}× "
                  f"ctags' (moonshot on the kernel: ≤ 1.2×)")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", help="a corpus of corpora.py (repeatable; "
                    f"default: {' '.join(DEFAULT_CORPORA)}; `linux` is the whole kernel)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (median reported)")
    ap.add_argument("--workers", type=int, help="ragex --workers (default: ragex's own)")
    ap.add_argument("--ctags", choices=("kernel", "all", "none"), default="all",
                    help="where to run universal-ctags too (default: every corpus)")
    ap.add_argument("--no-code-index-mcp", action="store_true")
    ap.add_argument("--work", default=os.path.join(CACHE, "work"),
                    help="where the copies and indexes go (default: benchmarks/.cache/work; "
                         "the kernel's hard-link copy needs the corpus's file system)")
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error(f"--repeat: {args.repeat} is not a positive number")
    names = args.corpus or list(DEFAULT_CORPORA)
    for name in names:
        if name not in corpora.BUILDERS:
            ap.error(f"--corpus: {name!r} is not a corpus of corpora.py")
    os.makedirs(args.work, exist_ok=True)
    python = None if args.no_code_index_mcp else peer_python()
    results = [measure_corpus(name, args, python) for name in names]
    print_table(results, args.repeat)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"python": platform.python_version(), "repeat": args.repeat,
                       "peer": CODE_INDEX_MCP, "results": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
