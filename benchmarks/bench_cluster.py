"""Extraction on a Dask cluster next to the local pool, on one corpus; and on test hosts.

    python benchmarks/bench_cluster.py                          # stdlib: 2 local workers vs --cluster local:2
    python benchmarks/bench_cluster.py --workers 1,2 --repeat 3
    python benchmarks/bench_cluster.py --corpus linux --every 10
    python benchmarks/bench_cluster.py --corpus linux --steps warm   # the warm runs only
    python benchmarks/bench_cluster.py --netns 2                # root: 2 workers on hosts of their own

The corpus's files (`corpora.corpus_files`, every `--every`th) are copied into a fresh tree
first, so every mode and the indexer see the same files. Each mode runs in a fresh
Python process (round-robin over `--repeat`), in three steps on one extractor:

  cold     the first run: the local pool starts (forkserver, workers), or ragex starts
           `LocalCluster` (Dask workers, ragex's plugin and pools in them)
  warm     a second run on the started pool or cluster: the steady state
  index    `CodeIndexer` on a fresh index with that extractor: what the client does
           when it also stores (SQLite) every result

and, for the cluster, `content`: a warm run with `--cluster-files content` (every file
read by the client, sent, hash checked). Reported per step: wall, files/s, the client's
CPU (this process, all its threads but the benchmark's own sampling: for
`--cluster local:N` that includes the scheduler and the nannies), per file and as a share of one core, the CPU of every process (client
plus its descendants, sampled with psutil every 0.1 s: a process that exits keeps what
it had used at its last sample), and the symbols found (they must agree across modes).

`--netns N` (root): the client and the scheduler on one test host and N Dask workers on N
others (network namespaces on a private subnet, `tests/hosts.py`), the tree hidden from the
workers: ragex detects it and ships content. Reported: wall, bytes shipped, bytes received
on the workers' links. `--simulate` prints the efficiency model of docs/cluster.md from
this run's measured figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import corpora  # noqa: E402

TARGET_OVERHEAD = 0.15  # the cluster path's wall over the local pool's, warm
STEPS = ("cold", "warm", "content", "index")


# --------------------------------------------------------------------- one mode (child)


class _CpuSampler:
    """CPU seconds of this process's descendants, sampled every 0.1 s: a process that
    exits meanwhile (a recycled pool worker) keeps what it had used at its last sample."""

    def __init__(self) -> None:
        import psutil

        self.psutil = psutil
        self.last: dict = {}  # (pid, create_time) -> CPU seconds at the last sample
        self.first: dict = {}  # the same, when first seen
        self.stop = threading.Event()
        self.own = 0.0  # CPU seconds of the sampling thread itself
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for child in self.psutil.Process().children(recursive=True):
            try:
                key = (child.pid, child.create_time())
                t = child.cpu_times()
            except self.psutil.Error:
                continue
            self.last[key] = t.user + t.system
            self.first.setdefault(key, self.last[key])

    def _run(self) -> None:
        started = time.thread_time()
        while not self.stop.wait(0.1):
            self._sample()
        # the sampling's own CPU (psutil over every descendant, ten times a second: more
        # processes on a cluster) is the benchmark's, not ragex's: taken off the client's
        self.own = time.thread_time() - started

    def __enter__(self) -> "_CpuSampler":
        self._sample()
        self.started = dict(self.last)  # what the processes alive at the start had used
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()

    def seconds(self) -> float:
        return sum(cpu - self.started.get(key, 0.0) for key, cpu in self.last.items())


def _timed(label: str, run) -> dict:
    own0 = time.process_time()
    t0 = time.perf_counter()
    with _CpuSampler() as others:
        files, symbols, extra = run()
    wall = time.perf_counter() - t0
    client = time.process_time() - own0 - others.own
    total = client + others.seconds()
    return {"step": label, "wall": wall, "files": files, "symbols": symbols,
            "client_cpu": client, "all_cpu": total, "load": os.getloadavg()[0], **extra}


def child(spec: dict) -> list[dict]:
    from ragex.config import load_config
    from ragex.discover import discover
    from ragex.extract import ExtractionTask
    from ragex.indexer import CodeIndexer
    from ragex.parallel import ParallelSymbolExtractor

    tree = spec["tree"]
    tasks = [ExtractionTask(f.path, f.rel_path, file_size=f.size, language=f.language)
             for f in discover(tree)]
    if spec["kind"] == "local":
        flags = {"use_parallel": True, "max_workers": spec["workers"]}
    elif spec["kind"] == "dask":
        flags = {"cluster": f"local:{spec['workers']}"}
    else:
        flags = {"scheduler": spec["address"]}
    extractor = ParallelSymbolExtractor(load_config(flags=flags))

    def extract(ex=None):
        def go():
            n = s = 0
            for result in (ex or extractor).iter_extract(
                    [ExtractionTask(t.file_path, t.rel_path, file_size=t.file_size,
                                    language=t.language) for t in tasks], raw=True):
                n += 1
                s += result.symbol_count
            st = (ex or extractor).last_stats
            return n, s, _stats(st)
        return go

    wanted = spec.get("steps") or STEPS
    steps = []
    if "cold" in wanted:
        steps.append(_timed("cold", extract()))
    else:  # started, not measured: the pool or cluster, on every 10th file
        sample = tasks[::10]
        list(extractor.iter_extract([ExtractionTask(t.file_path, t.rel_path,
                                                    file_size=t.file_size,
                                                    language=t.language) for t in sample],
                                    raw=True))
    if "warm" in wanted:
        steps.append(_timed("warm", extract()))
        if spec["kind"] == "dask":
            steps[-1]["round_trip"] = _round_trip(extractor, tree)
    if spec["kind"] != "local" and "content" in wanted:
        address = extractor.last_stats.executor
        content = ParallelSymbolExtractor(load_config(flags={"scheduler": address,
                                                             "cluster_files": "content"}))
        steps.append(_timed("content", extract(content)))
        content.close()

    def index():
        directory = tempfile.mkdtemp(prefix="ragex-bench-index-")
        try:
            summary = CodeIndexer(tree, directory, extractor=extractor).index_codebase()
            st = summary.extraction
            return summary.indexed + summary.skipped + summary.failed, \
                summary.symbols_added, _stats(st)
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    if "index" in wanted:
        steps.append(_timed("index", index))
    extractor.close()
    return steps


def _round_trip(extractor, tree: str, count: int = 20) -> float:
    """Median seconds of one batch of one tiny file, sent and back, on the warm cluster."""
    from ragex.cluster_worker import ClusterBatch, extract_batch
    from ragex.config import debug_environment
    from ragex.extract import ExtractionTask

    backend = extractor._cluster
    client = backend.client()
    path = os.path.join(tree, "ragex_round_trip.py")
    with open(path, "w") as fh:
        fh.write("x = 1\n")
    times = []
    try:
        for i in range(count):
            batch = ClusterBatch(i, [ExtractionTask(path, "ragex_round_trip.py", file_size=6,
                                                    language="python")],
                                 debug_environment(), ())
            t0 = time.perf_counter()
            client.submit(extract_batch, backend.plugin_name, batch, None, pure=False).result()
            times.append(time.perf_counter() - t0)
    finally:
        os.unlink(path)
    return statistics.median(times)


def _stats(st) -> dict:
    d = st if isinstance(st, dict) else st.__dict__
    keep = ("mode", "workers", "dask_workers", "files_mode", "batches", "bytes_shipped",
            "cluster_start_seconds", "client_cpu_seconds", "client_cpu_share",
            "worker_seconds", "batches_split")
    return {k: d[k] for k in keep if k in d}


def run_child(spec: dict, prefix: Optional[list] = None) -> list[dict]:
    argv = [*(prefix or []), sys.executable, __file__, "--child", json.dumps(spec)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"mode {spec} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the parent


def build_tree(corpus: str, every: int, into: Path) -> tuple[int, int]:
    files = corpora.corpus_files(corpus, max_bytes=4 * 1024 * 1024)[::max(1, every)]
    size = 0
    for path, rel in files:
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        size += os.path.getsize(path)
    return len(files), size


def fmt_row(name: str, step: dict, base: Optional[dict]) -> str:
    files = step["files"]
    ratio = f"{step['wall'] / base['wall']:.2f}" if base else "–"
    return (f"| {name} | {step['step']} | {step['wall']:.2f} | {ratio} | "
            f"{files / step['wall']:.0f} | {step['client_cpu']:.2f} | "
            f"{1000 * step['client_cpu'] / max(1, files):.2f} | "
            f"{step['client_cpu'] / step['wall']:.0%} | {step['all_cpu']:.2f} | "
            f"{step['client_cpu'] / max(1e-9, step['all_cpu']):.0%} | {step['symbols']} | "
            f"{step['load']:.1f} |")


def _step(steps: list[dict], name: str) -> Optional[dict]:
    return next((s for s in steps if s["step"] == name), None)


def median_steps(runs: list[list[dict]]) -> list[dict]:
    out = []
    for i, first in enumerate(runs[0]):
        row = dict(first)
        for key in ("wall", "client_cpu", "all_cpu", "load", "round_trip"):
            if key in first:
                row[key] = statistics.median(r[i][key] for r in runs)
        out.append(row)
    return out


def compare(args, tree: Path) -> dict:
    counts = [int(n) for n in args.workers.split(",")]
    modes = [("local", n) for n in counts] + [("dask", n) for n in counts]
    runs: dict = {m: [] for m in modes}
    for _ in range(args.repeat):
        for kind, n in modes:
            runs[(kind, n)].append(run_child({"kind": kind, "workers": n, "tree": str(tree),
                                              "steps": args.steps}))
    results = {f"{k} {n}": median_steps(v) for (k, n), v in runs.items()}
    print("| mode | step | wall s | × local | files/s | client CPU s | client ms/file | "
          "client, of 1 core | all CPU s | client, of all CPU | symbols | load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind, n in modes:
        name = f"{n} local workers" if kind == "local" else f"--cluster local:{n}"
        base = results.get(f"local {n}") if kind == "dask" else None
        for step in results[f"{kind} {n}"]:
            match = None
            if base:
                match = _step(base, step["step"]) or _step(base, "warm")
            print(fmt_row(name, step, match))
    print()
    for n in counts:
        local, dask = results[f"local {n}"], results[f"dask {n}"]
        if _step(dask, "warm"):
            lw, dw = _step(local, "warm"), _step(dask, "warm")
            warm = dw["wall"] / lw["wall"] - 1
            verdict = "met" if warm <= TARGET_OVERHEAD else "NOT met"
            cpu = dw["all_cpu"] / lw["all_cpu"] - 1
            print(f"- {n} workers: cluster path overhead, warm {warm:+.0%} of the local "
                  f"pool's wall (target ≤ {TARGET_OVERHEAD:.0%}: {verdict}), {cpu:+.0%} of its "
                  "CPU (all processes)")
            if "round_trip" in dw:
                print(f"  one batch of one tiny file, sent and back on the warm cluster: "
                      f"{dw['round_trip'] * 1000:.1f} ms")
        if _step(dask, "cold"):
            cold = _step(dask, "cold")["wall"] / _step(local, "cold")["wall"] - 1
            start = _step(dask, "cold").get("cluster_start_seconds", 0.0)
            print(f"  cold {cold:+.0%}, of which starting the cluster {start:.2f} s")
        symbols = {s["symbols"] for s in local if s["step"] in ("cold", "warm")} | \
            {s["symbols"] for s in dask}
        print(f"  symbols agree across steps: {'yes' if len(symbols) == 1 else symbols}")
    if len(counts) > 1 and _step(results[f"dask {counts[0]}"], "warm"):
        one = _step(results[f"dask {counts[0]}"], "warm")["wall"]
        for n in counts[1:]:
            speedup = one * counts[0] / _step(results[f"dask {n}"], "warm")["wall"]
            print(f"- --cluster local:{n} vs local:{counts[0]}: speedup {speedup / counts[0]:.2f}×"
                  f" per {counts[0]} worker(s), efficiency {speedup / n:.0%}")
    return results


def netns(args, tree: Path) -> dict:
    import hosts

    why = hosts.available()
    if why:
        raise SystemExit(f"--netns: {why}")
    names = ["client"] + [f"w{i + 1}" for i in range(args.netns)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    local = run_child({"kind": "local", "workers": args.netns, "tree": str(tree)})
    with hosts.Hosts(names) as h:
        client = h.address["client"]
        address = f"tcp://{client}:8786"
        h.popen("client", [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host",
                           client, "--port", "8786", "--dashboard-address", f"{client}:0"],
                **quiet)
        for name in names[1:]:
            h.popen(name, [sys.executable, "-m", "distributed.cli.dask_worker", address,
                           "--host", h.address[name], "--nthreads", "1", "--no-dashboard",
                           "--dashboard-address", f"{h.address[name]}:0"],
                    hide=(str(tree),), **quiet)
        wait = subprocess.run(h.command("client", [
            sys.executable, "-c", "from distributed import Client; "
            f"c = Client('{address}', timeout=60); c.wait_for_workers({args.netns}, "
            "timeout=120); c.close()"]), capture_output=True, text=True)
        if wait.returncode != 0:
            raise SystemExit(f"the namespaced cluster did not start: {wait.stderr[-2000:]}")
        before = [h.traffic(n)[0] for n in names[1:]]
        steps = run_child({"kind": "scheduler", "address": address, "tree": str(tree)},
                          prefix=["ip", "netns", "exec", h.netns["client"]])
        received = sum(h.traffic(n)[0] - b for n, b in zip(names[1:], before))
    print("| where | step | wall s | × local | files/s | files sent as | MB shipped | symbols |")
    print("|---|---|---:|---:|---:|---|---:|---:|")
    for step in steps:
        if step["step"] not in ("cold", "warm"):
            continue
        base = next(b for b in local if b["step"] == step["step"])
        print(f"| {args.netns} namespaced workers | {step['step']} | {step['wall']:.2f} | "
              f"{step['wall'] / base['wall']:.2f} | {step['files'] / step['wall']:.0f} | "
              f"{step.get('files_mode')} | {step.get('bytes_shipped', 0) / 1e6:.1f} | "
              f"{step['symbols']} |")
    print(f"\nbytes received on the workers' links over the client's whole run (cold, warm, "
          f"content, index): {received / 1e6:.1f} MB; symbols of the local pool: "
          f"{local[1]['symbols']}")
    return {"local": local, "netns": steps, "received": received}


def simulate(results: dict, counts: list[int]) -> None:
    """Efficiency per added worker process, from this run's measured figures (a model)."""
    n = counts[-1]
    dask = results[f"dask {n}"]
    warm, index = _step(dask, "warm"), _step(dask, "index")
    if warm is None or index is None:
        print("\n--simulate needs the warm and index steps")
        return
    # files/s of one worker process on a core of its own: the workers' side of the CPU
    # (ragex's pool and the Dask worker around it), not the wall of a shared machine
    rate = warm["files"] / max(1e-9, warm["all_cpu"] - warm["client_cpu"])
    client_per_file = index["client_cpu"] / index["files"]  # storing included
    per_batch = warm.get("round_trip", 0.0)
    from ragex.cluster import _BATCH_SECONDS as batch_s  # one process's work per batch
    print(f"\nmodel inputs: {rate:.0f} files/s per worker process (per CPU second of the "
          f"workers), client {client_per_file * 1000:.2f} ms CPU per file (indexing), "
          f"{per_batch * 1000:.1f} ms per batch round trip, {batch_s:.2f} s per batch")
    print("\n| worker processes | files/s | efficiency | bound by |")
    print("|---:|---:|---:|---|")
    for workers in (1, 2, 4, 8, 16, 32, 64, 128, 256):
        cluster = workers * rate * batch_s / (batch_s + per_batch)
        client = 1.0 / client_per_file
        got = min(cluster, client)
        print(f"| {workers} | {got:.0f} | {got / (workers * rate):.0%} | "
              f"{'the client (one core storing)' if client < cluster else 'the workers'} |")


def _steps(text: str) -> list[str]:
    steps = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in steps if s not in STEPS]
    if bad or not steps:
        raise argparse.ArgumentTypeError(f"--steps {text!r}: give some of {','.join(STEPS)}")
    return steps


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib", help="a corpora.py name (default stdlib)")
    ap.add_argument("--every", type=int, default=1, metavar="N",
                    help="every Nth file of the corpus (a sample of a big one)")
    ap.add_argument("--workers", default="2", metavar="N,N",
                    help="worker processes to compare, e.g. 1,2 (default 2)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per mode (medians)")
    ap.add_argument("--netns", type=int, default=0, metavar="N",
                    help="also run on N Dask workers on test hosts (root)")
    ap.add_argument("--steps", type=_steps, default=list(STEPS), metavar="S,S",
                    help=f"steps to measure, of {','.join(STEPS)} (default all; without "
                    "cold, the pool or cluster starts on every 10th file, unmeasured)")
    ap.add_argument("--simulate", action="store_true",
                    help="print the efficiency model from the measured figures")
    ap.add_argument("--json", metavar="FILE", help="write every measurement here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    with tempfile.TemporaryDirectory(prefix="ragex-bench-cluster-") as tmp:
        tree = Path(tmp) / "tree"
        count, size = build_tree(args.corpus, args.every, tree)
        print(f"corpus {args.corpus} (every {args.every}): {count} files, {size / 1e6:.1f} MB, "
              f"copied to {tree}; {os.cpu_count()} CPUs; "
              f"{time.strftime('%Y-%m-%d %H:%M')}\n")
        out: dict = {"corpus": args.corpus, "every": args.every, "files": count, "bytes": size}
        out["compare"] = compare(args, tree)
        if args.simulate:
            simulate(out["compare"], [int(n) for n in args.workers.split(",")])
        if args.netns:
            print()
            out["netns"] = netns(args, tree)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
