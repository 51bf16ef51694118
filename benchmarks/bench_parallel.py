"""How fast ParallelSymbolExtractor extracts a corpus with 1..N worker processes, next to
the in-process sequential path and universal-ctags.

    python benchmarks/bench_parallel.py                          # stdlib, 3 repeats
    python benchmarks/bench_parallel.py --corpus linux --repeat 1 --json linux.json
    python benchmarks/bench_parallel.py --workers 2 --modes 1,N,ctags

On one corpus (the same file list as bench_extract.py: `corpora.corpus_files`), each mode
runs `--repeat` times (round-robin over the modes, so load drift hits all of them), every
time in a fresh Python subprocess so that the main process's peak RSS
(`getrusage(RUSAGE_SELF).ru_maxrss`) belongs to that mode alone:

  sequential    `iter_extract` with use_parallel=False: in-process, one core
  1 worker      the worker pool with max_workers=1 (pool started before timing)
  N workers     max_workers=N (default: usable CPUs as ragex detects them)
  N, raw        the same, `iter_extract(raw=True)` as the indexer calls it (tuples, no
                Symbol objects built in the main process)
  ctags         universal-ctags `--output-format=json --fields=+neKS -L list`, its output
                read from a pipe in chunks (counted, never kept)

Results are consumed streaming (symbols counted, nothing kept). The page cache is warmed
first. Reported (medians): wall seconds of the extraction (pool already started), files/s,
MB/s, speedup vs 1 worker, parallel efficiency (speedup / workers), time to the first
result (RunStats.first_result_seconds), pool start-up (`extractor.start()`), worker peak RSS
(max of RunStats.worker_peak_rss_mb, a 50 ms psutil sampling of the worker pids, and
RUSAGE_CHILDREN after the pool and the forkserver have exited; for ctags: its own peak),
main-process peak RSS, and the 1-minute load average when the mode started.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

CTAGS_LANG = {"python": "Python", "go": "Go", "rust": "Rust", "java": "Java", "c": "C",
              "cpp": "C++", "typescript": "TypeScript", "javascript": "JavaScript",
              "ruby": "Ruby", "php": "PHP"}

TARGETS = {"speedup_2": 1.8, "stdlib_wall": 1.8, "first_result": 0.5, "worker_mb": 100.0,
           "startup": 1.0, "linux_vs_ctags": 1.2}


def list_files(corpus: str, language: Optional[str] = None) -> list[tuple[str, str, str]]:
    languages = [language] if language else list(corpora.LANGUAGES_OF[corpus])
    if corpus != "multi":
        languages = languages[:1]
    out = []
    for lang in languages:
        out += [(p, r, lang) for p, r in corpora.corpus_files(corpus, lang)]
    return out


def usable_cpus() -> int:
    from ragex.config import load_config

    return int(load_config().system["usable_cpus"])


# --------------------------------------------------------------------- one mode (child)


def _maxrss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


class _Sampler:
    """Polls the RSS of the pool's worker processes (pids re-read: restarts happen)."""

    def __init__(self, extractor, every: float = 0.05) -> None:
        self.extractor = extractor
        self.every = every
        self.peak_mb = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        procs: dict[int, object] = {}
        while not self._stop.is_set():
            pool = self.extractor._pool
            for worker in (pool.workers if pool is not None else []):
                pid = worker.proc.pid
                if pid is None:  # a replacement not started yet: psutil.Process(None)
                    continue     # would be this process itself
                try:
                    proc = procs.get(pid) or procs.setdefault(pid, psutil.Process(pid))
                    self.peak_mb = max(self.peak_mb, proc.memory_info().rss / 1048576)
                    self.samples += 1
                except Exception:  # gone, or between restarts
                    pass
            self._stop.wait(self.every)

    def __enter__(self) -> "_Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _stop_forkserver() -> None:
    """Let the forkserver (the workers' parent) exit and reap it: RUSAGE_CHILDREN then
    holds the largest of it and the workers it reaped."""
    try:
        from multiprocessing import forkserver

        server = forkserver._forkserver
        if getattr(server, "_forkserver_pid", None):
            time.sleep(0.3)  # let it reap the workers first
            server._stop()
    except Exception:
        pass


def run_extraction(tasks_spec: list, workers: int, raw: bool = False,
                   sample: bool = True) -> dict:
    """Extract `tasks_spec` [(path, rel, lang, size)] in this process; workers=0: sequential."""
    from ragex.config import load_config
    from ragex.extract import ExtractionTask
    from ragex.parallel import ParallelSymbolExtractor

    tasks = [ExtractionTask(p, r, file_size=size, language=lang) for p, r, lang, size in tasks_spec]
    if workers == 0:
        config = load_config(flags={"use_parallel": False})
    else:
        config = load_config(flags={"use_parallel": True, "max_workers": workers})
    base_rss = _maxrss_mb(resource.RUSAGE_SELF)
    load = os.getloadavg()[0]
    extractor = ParallelSymbolExtractor(config)
    startup = None
    if workers:
        t0 = time.perf_counter()
        extractor.start()
        startup = time.perf_counter() - t0
    symbols = files = ok = 0
    busy = 0.0
    sampler = _Sampler(extractor) if (workers and sample) else None
    if sampler:
        sampler.__enter__()
    c0 = time.process_time()
    t0 = time.perf_counter()
    first = None
    for result in extractor.iter_extract(tasks, raw=raw):
        if first is None:
            first = time.perf_counter() - t0
        files += 1
        ok += result.status == "ok"
        symbols += result.symbol_count
        busy += result.processing_time
    wall = time.perf_counter() - t0
    main_cpu = time.process_time() - c0
    if sampler:
        sampler.__exit__()
    stats = extractor.last_stats
    extractor.close()
    if workers:
        _stop_forkserver()
    out = {"wall": wall, "main_cpu": main_cpu, "busy": busy, "files": files, "ok": ok, "symbols": symbols,
           "startup": startup, "first_result": stats.first_result_seconds or first,
           "first_result_iter": first, "mode": stats.mode, "workers": stats.workers,
           "restarts": stats.worker_restarts, "degraded": stats.degraded,
           "stats_worker_peak_mb": stats.worker_peak_rss_mb or None,
           "sampled_worker_peak_mb": (sampler.peak_mb or None) if sampler else None,
           "children_maxrss_mb": _maxrss_mb(resource.RUSAGE_CHILDREN) if workers else None,
           "main_base_rss_mb": base_rss, "main_peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF),
           "load": load}
    peaks = [v for v in (out["stats_worker_peak_mb"], out["sampled_worker_peak_mb"],
                         out["children_maxrss_mb"]) if v]
    out["worker_peak_mb"] = max(peaks) if peaks else None
    return out


def run_ctags(tasks_spec: list, root: str) -> dict:
    groups: dict[str, list[str]] = {}
    for _, rel, lang, _ in tasks_spec:
        groups.setdefault(lang, []).append(rel)
    base_rss = _maxrss_mb(resource.RUSAGE_SELF)
    load = os.getloadavg()[0]
    count = 0
    t0 = time.perf_counter()
    for lang, rels in groups.items():
        with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as fh:
            fh.write("\n".join(rels) + "\n")
            listing = fh.name
        try:
            proc = subprocess.Popen(
                ["ctags", "--output-format=json", "--fields=+neKS",
                 f"--language-force={CTAGS_LANG[lang]}", "-L", listing, "-f", "-"],
                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            assert proc.stdout is not None
            while True:
                chunk = proc.stdout.read(1 << 20)
                if not chunk:
                    break
                count += chunk.count(b"\n")
            proc.wait()
        finally:
            os.unlink(listing)
    wall = time.perf_counter() - t0
    return {"wall": wall, "files": len(tasks_spec), "symbols": count, "startup": None,
            "first_result": None, "worker_peak_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),
            "main_base_rss_mb": base_rss, "main_peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF),
            "load": load, "workers": None}


def child_main(args) -> int:
    with open(args.child_files) as fh:
        spec = json.load(fh)
    tasks, root = spec["tasks"], spec["root"]
    if args.child == "ctags":
        out = run_ctags(tasks, root)
    else:
        workers = 0 if args.child == "sequential" else args.workers
        out = run_extraction(tasks, workers, raw=args.child == "raw")
    sys.stdout.write("\n" + json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


# --------------------------------------------------------------------------- driver


def run_child(mode: str, files_json: str, workers: int) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--_child", mode, "--_files", files_json,
           "--workers", str(workers)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict]) -> dict:
    """Median of every numeric field (keeps the list of walls)."""
    out = dict(runs[-1])
    for key, value in runs[-1].items():
        values = [r[key] for r in runs if isinstance(r.get(key), (int, float))
                  and not isinstance(r.get(key), bool)]
        if values and len(values) == len(runs):
            out[key] = statistics.median(values)
    out["walls"] = [r["wall"] for r in runs]
    out["loads"] = [r["load"] for r in runs]
    return out


def fmt(value, spec: str = ".2f", dash: str = "–") -> str:
    return dash if value is None else format(value, spec)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib", help="a corpus name from corpora.py")
    ap.add_argument("--language", help="the corpus's language to use (default: its main one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=0, help="N (default: usable CPUs)")
    ap.add_argument("--modes", default="sequential,1,N,raw,ctags",
                    help="comma-separated subset of sequential,1,N,raw,ctags")
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers")
    ap.add_argument("--_child", dest="child", help=argparse.SUPPRESS)
    ap.add_argument("--_files", dest="child_files", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args)

    workers = args.workers or usable_cpus()
    files = list_files(args.corpus, args.language)
    root = str(corpora.corpus_path(args.corpus))
    spec = [(p, r, lang, os.path.getsize(p)) for p, r, lang in files]
    size = sum(s for *_, s in spec)
    for path, *_ in spec:  # warm the page cache: every mode reads from memory
        with open(path, "rb") as fh:
            fh.read()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump({"tasks": spec, "root": root}, fh)
        files_json = fh.name

    wanted = [m.strip() for m in args.modes.split(",") if m.strip()]
    labels = {"sequential": "sequential, in-process", "1": "1 worker",
              "N": f"{workers} workers", "raw": f"{workers} workers, raw=True (indexer path)",
              "ctags": "universal-ctags (json, -L)"}
    child_mode = {"sequential": "sequential", "1": "pool", "N": "pool", "raw": "raw",
                  "ctags": "ctags"}
    child_workers = {"sequential": 0, "1": 1, "N": workers, "raw": workers, "ctags": 0}
    results: dict[str, dict] = {}
    load_start = os.getloadavg()
    runs: dict[str, list] = {mode: [] for mode in wanted}
    try:
        # round-robin (repeat outside, modes inside): a change in the machine's load hits
        # every mode alike instead of whichever mode happened to run then
        for i in range(args.repeat):
            for mode in wanted:
                print(f"measuring {labels[mode]} ({i + 1}/{args.repeat}) ...", file=sys.stderr,
                      flush=True)
                runs[mode].append(run_child(child_mode[mode], files_json, child_workers[mode]))
        for mode in wanted:
            results[mode] = median_of(runs[mode])
            results[mode]["label"] = labels[mode]
            results[mode]["n_workers"] = child_workers[mode]
    finally:
        os.unlink(files_json)
    load_end = os.getloadavg()

    base = results.get("1", {}).get("wall")
    langs = ", ".join(sorted({lang for _, _, lang in files}))
    print(f"\ncorpus `{args.corpus}` ({langs}): {len(files)} files, {size / 1e6:.1f} MB; "
          f"median of {args.repeat}, each in a fresh process; Python "
          f"{platform.python_version()}, {os.cpu_count()} cores, {workers} usable; load "
          f"{load_start[0]:.2f} at start, {load_end[0]:.2f} at end\n")
    print("| mode | wall s | files/s | MB/s | symbols | speedup vs 1 worker | efficiency | "
          "extraction s | first result s | start-up s | worker peak MB | main peak MB | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode, r in results.items():
        wall = r["wall"]
        n = r["n_workers"]
        speed = base / wall if base else None
        eff = speed / n if (speed and n and mode != "ctags") else None
        print(f"| {r['label']} | {wall:.2f} | {len(files) / wall:,.0f} | {size / 1e6 / wall:.1f} "
              f"| {r['symbols']:,} | {fmt(speed)} | {fmt(eff)} | {fmt(r.get('busy'))} "
              f"| {fmt(r['first_result'], '.3f')} "
              f"| {fmt(r['startup'], '.3f')} | {fmt(r['worker_peak_mb'], '.0f')} "
              f"| {r['main_peak_rss_mb']:.0f} | {r['load']:.2f} |")

    # targets
    checks = []
    par = results.get("N") or results.get("raw")
    if "1" in results:
        two = results["N"] if ("N" in results and workers == 2) else None
        if two:
            sp = base / two["wall"]
            checks.append(("2 workers ≥ 1.8× 1 worker", f"{sp:.2f}×", sp >= TARGETS["speedup_2"]))
        elif "N" in results:
            sp = base / results["N"]["wall"]
            checks.append((f"{workers} workers vs 1 worker (2-worker target 1.8×)",
                           f"{sp:.2f}×", None))
    if par:
        if args.corpus == "stdlib":
            total = par["wall"] + (par["startup"] or 0)
            checks.append(("stdlib parallel ≤ 1.8 s", f"{par['wall']:.2f} s "
                           f"({total:.2f} s with start-up)", par["wall"] <= TARGETS["stdlib_wall"]))
        checks.append(("first result ≤ 0.5 s", f"{fmt(par['first_result'], '.3f')} s",
                       (par["first_result"] or 9e9) <= TARGETS["first_result"]))
        checks.append(("worker peak ≤ 100 MB", f"{fmt(par['worker_peak_mb'], '.0f')} MB",
                       (par["worker_peak_mb"] or 0) <= TARGETS["worker_mb"]))
        checks.append(("pool start-up ≤ 1 s", f"{fmt(par['startup'], '.3f')} s",
                       (par["startup"] or 0) <= TARGETS["startup"]))
        if args.corpus == "linux" and "ctags" in results:
            ratio = par["wall"] / results["ctags"]["wall"]
            checks.append(("kernel: parallel ≤ 1.2× ctags wall", f"{ratio:.2f}×",
                           ratio <= TARGETS["linux_vs_ctags"]))
    one, many = results.get("1", {}).get("busy"), (results.get("N") or {}).get("busy")
    if one and many:
        print(f"\nextraction s = the sum of every file's extraction time, measured where it ran: "
              f"with {workers} workers the same files took {many / one:.2f}× the time they take "
              "with 1 worker (cores competing for caches and memory); the rest of the gap to "
              "a perfect speedup is idle workers")
    if checks:
        print("\n| target | measured | met |\n|---|---|---|")
        for name, value, ok in checks:
            print(f"| {name} | {value} | {'–' if ok is None else ('yes' if ok else 'NO')} |")
    if par:
        print(f"\nworker peak sources ({par['label']}): RunStats {fmt(par.get('stats_worker_peak_mb'), '.0f')} MB, "
              f"psutil sampling {fmt(par.get('sampled_worker_peak_mb'), '.0f')} MB, "
              f"RUSAGE_CHILDREN {fmt(par.get('children_maxrss_mb'), '.0f')} MB; main process "
              f"CPU {fmt(par.get('main_cpu'))} s over {par['wall']:.2f} s wall; main RSS before "
              f"the run {par['main_base_rss_mb']:.0f} MB")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"corpus": args.corpus, "files": len(files), "bytes": size,
                       "repeat": args.repeat, "workers": workers,
                       "python": platform.python_version(), "load_start": load_start,
                       "load_end": load_end, "results": results,
                       "targets": [{"target": n, "measured": v, "met": ok}
                                   for n, v, ok in checks]}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
