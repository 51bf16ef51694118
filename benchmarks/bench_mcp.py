"""How fast the MCP server answers over stdio, driven by the MCP SDK's own client.

    python benchmarks/bench_mcp.py                                   # stdlib, 3 repeats
    python benchmarks/bench_mcp.py --corpus linux --repeat 1 \\
        --root /tmp/linux-index/tree --index-dir /tmp/linux-index/index   # reuse an index

Against an existing index (built first with `ragex index ROOT --index-dir TMP --exclude
site-packages` unless `--index-dir` names one), each repeat starts
`python -m ragex mcp ROOT --index-dir D --exclude site-packages` as the SDK's
`stdio_client` does, twice: as a user runs it (a background warm re-index starts at once)
and with `--no-index`. Measured:

  first call     from process start to the answered `initialize`, and to the first
                 answered tool call (`index_status`)
  start-up job   (default start) how long the background re-index with nothing changed
                 takes (the job's own time, from index_status; it starts 0.3 s after the
                 first answered call)
  cold start     (unless --no-cold) the server on an empty index: the whole index is
                 built by its start-up job, while the client sends `search_symbols` calls
                 back to back; their round-trips (timed while the job runs), how many
                 found something, found nothing, had their scan cut (the answer's `note`)
                 or failed, and the job's time are reported
  round-trips    `search_symbols` p50 / p95 / max over `--calls` calls after the job is
                 done, each query set sent twice: the second pass is reported, the first
                 (index pages not yet in the OS page cache, which this VM keeps small)
                 next to it; names drawn from the index, and the same names with one typo, both
                 in the default auto mode (which fills `limit` tier by tier, so it reaches
                 the fuzzy tier whenever fewer than `limit` hits came before); next
                 to the same queries in-process through the library, so the difference is
                 the protocol and server overhead

Targets: round-trip p50 ≤ 20 ms; first call ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from bench_index import make_queries, percentile, sample_names  # noqa: E402

EXCLUDE = "site-packages"


def log(msg: str) -> None:
    print(f"[bench_mcp] {msg}", file=sys.stderr, flush=True)


def stats_ms(times: list[float]) -> dict:
    ms = [t * 1000 for t in times]
    return {"n": len(ms), "p50_ms": percentile(ms, 0.5), "p95_ms": percentile(ms, 0.95),
            "max_ms": max(ms) if ms else float("nan"), "mean_ms": statistics.fmean(ms)}


async def one_server(root: str, index_dir: str, queries: dict, no_index: bool,
                     workers: int, cold: bool = False) -> dict:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    args = ["-m", "ragex", "mcp", root, "--index-dir", index_dir, "--exclude", EXCLUDE]
    if no_index:
        args.append("--no-index")
    if workers:
        args += ["--workers", str(workers)]
    params = StdioServerParameters(command=sys.executable, args=args, env=dict(os.environ))
    variant = "--no-index" if no_index else "default (indexes on start)"
    if cold:
        variant = "cold: empty index (indexes on start)"
    out: dict = {"variant": variant, "load": os.getloadavg()[0]}
    errlog = open(os.devnull, "w")
    t0 = time.perf_counter()
    try:
        async with stdio_client(params, errlog=errlog) as (r, w):
            async with ClientSession(r, w) as session:
                await session.initialize()
                out["initialize_s"] = time.perf_counter() - t0
                result = await session.call_tool("index_status", {})
                out["first_call_s"] = time.perf_counter() - t0
                status = result.structured_content or {}
                out["first_status_state"] = status.get("index_state")
                # the start-up job begins 0.3 s after the first answered call: wait for it
                # to appear, then for it to end (warm: nothing changed; cold: everything),
                # answering search_symbols calls meanwhile on a cold start
                t1 = time.perf_counter()
                job_state, job, during = None, None, []
                answers = {"found": 0, "empty": 0, "cut": 0, "error": 0}
                names = queries["names (auto)"]
                while not no_index and time.perf_counter() - t1 < 3600:
                    status = (await session.call_tool("index_status", {})).structured_content
                    job = status.get("job")
                    job_state = job and job.get("state")
                    if job is None and time.perf_counter() - t1 > 5:
                        break  # no job came: reported as such
                    if job is not None and job_state != "running":
                        break
                    if cold and job_state == "running":  # timed only while the build runs
                        t = time.perf_counter()
                        res = await session.call_tool(
                            "search_symbols", {"query": names[len(during) % len(names)]})
                        during.append(time.perf_counter() - t)
                        content = res.structured_content or {}
                        cut = "scan stopped" in content.get("note", "")
                        answers["error" if res.is_error else "cut" if cut else
                                "found" if content.get("results") else "empty"] += 1
                    else:
                        await asyncio.sleep(0.05)
                out["job_wait_s"] = time.perf_counter() - t1 if not no_index else None
                out["job_state"] = job_state
                if job and job.get("summary"):
                    out["job_summary_seconds"] = job["summary"].get("seconds")
                    out["job_indexed"] = job["summary"].get("indexed")
                if cold:
                    out["during_job"] = stats_ms(during) if during else None
                    out["during_job_answers"] = answers
                for label, items in (() if cold else queries.items()):  # cold: measured above
                    for attempt in ("first pass", label):  # OS page cache cold, then warm
                        times, empty = [], 0
                        for query in items:
                            t = time.perf_counter()
                            res = await session.call_tool("search_symbols", {"query": query})
                            times.append(time.perf_counter() - t)
                            content = res.structured_content or {}
                            if res.is_error or not content.get("results"):
                                empty += 1
                        out[label if attempt == label else f"{label}, first pass"] = \
                            {**stats_ms(times), "empty": empty}
    finally:
        errlog.close()
    out["session_s"] = time.perf_counter() - t0
    return out


def in_process(index_dir: str, queries: dict) -> dict:
    from ragex.search import search_symbols
    from ragex.store import IndexStore

    store = IndexStore(index_dir, readonly=True)
    out = {}
    try:
        for label, items in queries.items():
            for _ in range(2):  # the second pass is reported, as for the server
                times = []
                for q in items:
                    t = time.perf_counter()
                    search_symbols(store, q, limit=21)  # what the service asks: limit + 1
                    times.append(time.perf_counter() - t)
            out[label] = stats_ms(times)
    finally:
        store.close()
    return out


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib", help="a corpus name from corpora.py")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--calls", type=int, default=200, help="search_symbols calls per kind")
    ap.add_argument("--root", help="the indexed root (default: the corpus)")
    ap.add_argument("--index-dir", help="an existing index of --root (default: build one)")
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--no-cold", action="store_true",
                    help="skip the cold start (a whole index built by the server; minutes "
                         "on the kernel)")
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers")
    args = ap.parse_args(argv)

    root = os.path.abspath(args.root or str(corpora.corpus_path(args.corpus)))
    tmp = None
    load_start = os.getloadavg()
    build = None
    if args.index_dir:
        index_dir = os.path.abspath(args.index_dir)
    else:
        tmp = tempfile.mkdtemp(prefix="ragex-bench-mcp-")
        index_dir = os.path.join(tmp, "index")
        log(f"building the index of {root} in {index_dir}")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ragex", "index", root, "--index-dir", index_dir,
                        "--exclude", EXCLUDE, "--json", "--no-progress"], check=True,
                       stdout=subprocess.DEVNULL)
        build = time.perf_counter() - t0
    try:
        from ragex.store import IndexStore

        rng = random.Random(args.seed)
        store = IndexStore(index_dir, readonly=True)
        names = sample_names(store, args.calls, rng)
        totals = store.conn.execute("SELECT count(*) FROM symbols").fetchone()[0]
        store.close()
        table = make_queries(names, rng)
        queries = {"names (auto)": [q for q, _ in table["exact"]],
                   "typo names (auto)": [q for q, _ in table["fuzzy"]]}
        runs = []
        for i in range(args.repeat):
            for no_index in (False, True):
                log(f"server run {i + 1}/{args.repeat} ({'--no-index' if no_index else 'default'})")
                runs.append(asyncio.run(one_server(root, index_dir, queries, no_index,
                                                   args.workers)))
            if not args.no_cold:
                log(f"server run {i + 1}/{args.repeat} (cold: empty index)")
                cold_dir = tempfile.mkdtemp(prefix="ragex-bench-mcp-cold-")
                try:
                    runs.append(asyncio.run(one_server(root, os.path.join(cold_dir, "index"),
                                                       queries, False, args.workers, cold=True)))
                finally:
                    shutil.rmtree(cold_dir, ignore_errors=True)
        local = in_process(index_dir, queries)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    load_end = os.getloadavg()

    def med(variant: str, key: str, sub: Optional[str] = None):
        vals = [r[key][sub] if sub else r[key] for r in runs
                if r["variant"] == variant and r.get(key) is not None]
        return statistics.median(vals) if vals else None

    print(f"\ncorpus `{args.corpus}`: root {root}, {totals:,} symbols in the index; "
          f"{args.calls} calls per query kind; median of {args.repeat}; Python "
          f"{platform.python_version()}, {os.cpu_count()} cores; load {load_start[0]:.2f} at "
          f"start, {load_end[0]:.2f} at end" + (f"; index built in {build:.1f} s" if build else "")
          + "\n")
    print("| server start | initialize s | first tool call s | target ≤ 1 s | start-up job s "
          "(its own time; per run: files extracted) | load |")
    print("|---|---:|---:|---|---:|---:|")
    variants = list(dict.fromkeys(r["variant"] for r in runs))
    for v in variants:
        first = med(v, "first_call_s")
        job = med(v, "job_summary_seconds")
        loads = [r["load"] for r in runs if r["variant"] == v]
        per_run = ", ".join(f"{r['job_summary_seconds']:.2f} s: {r.get('job_indexed')}"
                            for r in runs if r["variant"] == v
                            and r.get("job_summary_seconds") is not None)
        print(f"| {v} | {med(v, 'initialize_s'):.3f} | {first:.3f} | "
              f"{'yes' if first <= 1 else 'NO'} | "
              f"{'–' if job is None else f'{job:.2f} ({per_run})'} | "
              f"{statistics.median(loads):.2f} |")
    print("\n| search_symbols | server | p50 ms | p95 ms | max ms | empty | target p50 ≤ 20 ms "
          "| in-process p50 / p95 ms | first pass p50 / p95 ms |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|")
    for label in queries:
        for v in variants:
            if v.startswith("cold"):
                continue
            p50 = med(v, label, "p50_ms")
            first = f"{label}, first pass"
            print(f"| {label} | {v} | {p50:.2f} | {med(v, label, 'p95_ms'):.2f} | "
                  f"{med(v, label, 'max_ms'):.1f} | {med(v, label, 'empty'):.0f} | "
                  f"{'yes' if p50 <= 20 else 'NO'} | "
                  f"{local[label]['p50_ms']:.2f} / {local[label]['p95_ms']:.2f} | "
                  f"{med(v, first, 'p50_ms'):.2f} / {med(v, first, 'p95_ms'):.2f} |")
    cold_runs = [r for r in runs if r.get("during_job")]
    if cold_runs:
        v = cold_runs[0]["variant"]
        calls = sum(r["during_job"]["n"] for r in cold_runs)
        kinds = {k: sum(r["during_job_answers"][k] for r in cold_runs)
                 for k in ("found", "empty", "cut", "error")}
        p50, p95 = med(v, "during_job", "p50_ms"), med(v, "during_job", "p95_ms")
        print(f"| names (auto), while the cold index is built | {v} | {p50:.2f} | {p95:.2f} | "
              f"{med(v, 'during_job', 'max_ms'):.1f} | {kinds['empty']} | "
              f"{'yes' if p50 <= 20 else 'NO'} | – | {calls} calls: {kinds['found']} found, "
              f"{kinds['empty']} empty, {kinds['cut']} scans cut (note), "
              f"{kinds['error']} errors |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"corpus": args.corpus, "root": root, "repeat": args.repeat,
                       "calls": args.calls, "symbols": totals, "index_build_s": build,
                       "load_start": load_start, "load_end": load_end, "runs": runs,
                       "in_process": local, "python": platform.python_version()}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
