"""How fast CodeIndexer builds, updates and answers from an index, next to `ctags -R`.

    python benchmarks/bench_index.py                              # stdlib, 3 repeats
    python benchmarks/bench_index.py --corpus linux --repeat 1 --keep /tmp/linux-index

The corpus is first copied to a temp directory (files are changed below, and the stdlib is
the live interpreter's): the stdlib without `site-packages` and `__pycache__`; large
corpora (linux) as a tree of hard links (`cp -al`, seconds, same filesystem) in which a
changed file is written as a new file and renamed over its link, so the corpus itself is
never modified. (In the linux copy, Debian's top-level `.gitignore` rule `/*`, which would
hide the whole tree from ragex, is dropped: see `drop_debian_ignore`.) ragex always gets `--exclude site-packages`; ctags `--exclude=site-packages`.

Measured, each `--repeat` times (median), whole processes unless said:

  ctags -R          `ctags -R --languages=<ragex's> --fields=+neKS -f TMP/tags TREE`
  extraction        parallel extraction alone of the same file set (ragex's discovery), in a
                    fresh process: bench_parallel's `raw=True` mode (the indexer's), pool
                    start-up included
  cold index        `python -m ragex index TREE --index-dir NEW --json --no-progress`; its
                    main process's CPU seconds too (next to extraction's): on two cores every
                    CPU second the main process spends is one a worker does not get
  warm re-index     the same with nothing changed
  1 / 100 changed   after changing the content of 1 / 100 files (a comment appended)
  ragex symbols     `python -m ragex symbols NAME --root TREE --index-dir D` (names from
                    the index); next to `python -c pass` and the bare import of the CLI
  library queries   in-process `search_symbols(store, q, match=M)` over `--queries` queries
                    drawn from the index: exact (a name), prefix (its first 2/3), substring
                    (its middle), fuzzy (one typo), auto (the typo query, default mode):
                    p50 / p95 / max ms and how often the name drawn was found; and
                    `Index.definition(name)` (get_symbol, `ragex show`) of each name
  index size        the index directory on disk, next to ctags's tags file
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_parallel  # noqa: E402
import corpora  # noqa: E402

CTAGS_LANGUAGES = "Python,C,C++,Go,Rust,Java,JavaScript,TypeScript,Ruby,PHP"
EXCLUDE = "site-packages"


def log(msg: str) -> None:
    print(f"[bench_index] {msg}", file=sys.stderr, flush=True)


def load() -> float:
    return os.getloadavg()[0]


def prepare_tree(corpus: str, work: str) -> str:
    src = str(corpora.corpus_path(corpus))
    dst = os.path.join(work, "tree")
    if os.stat(src).st_dev == os.stat(work).st_dev and corpus in ("linux", "c", "java"):
        log(f"hard-linking {src} -> {dst}")
        subprocess.run(["cp", "-al", src, dst], check=True)
    else:
        log(f"copying {src} -> {dst}")
        shutil.copytree(src, dst, symlinks=True,
                        ignore=shutil.ignore_patterns("site-packages", "__pycache__", ".ragex"))
    drop_debian_ignore(dst)
    return dst


def drop_debian_ignore(tree: str) -> None:
    """Debian's linux-source tree ends its top .gitignore with `/*` + `!/debian/` (ignore
    everything at the top: packaging), so ragex, which honours .gitignore outside git too,
    would index 0 files. The copy gets the file without those two lines (a new file renamed
    over the link; the corpus is untouched); the kernel's own rules stay."""
    path = os.path.join(tree, ".gitignore")
    if not os.path.isfile(path):
        return
    with open(path) as fh:
        lines = fh.read().splitlines(keepends=True)
    kept = [ln for ln in lines if ln.strip() not in ("/*", "!/debian/")]
    if len(kept) != len(lines):
        log("dropping Debian's top-level `/*` rule from the copy's .gitignore")
        with open(path + ".tmp", "w") as fh:
            fh.writelines(kept)
        os.replace(path + ".tmp", path)


def ragex_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ragex", *args]


LAST_CPU = [0.0]  # CPU seconds of the last `timed` command's own process (see timed)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds and the finished process; its CPU seconds in LAST_CPU (the process
    and the children it waited for: for `ragex index`, the main process without its
    workers, whose forkserver is never waited for)."""
    cpu = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    LAST_CPU[0] = children_cpu() - cpu
    return time.perf_counter() - t0, proc


def run_index(tree: str, index_dir: str, workers: int) -> tuple[float, dict]:
    cmd = ragex_cmd("index", tree, "--index-dir", index_dir, "--json", "--no-progress",
                    "--exclude", EXCLUDE)
    if workers:
        cmd += ["--workers", str(workers)]
    wall, proc = timed(cmd)
    if proc.returncode != 0:
        raise SystemExit(f"ragex index failed ({proc.returncode}): {proc.stderr[-3000:]}")
    summary = json.loads(proc.stdout)
    summary["main_cpu"] = LAST_CPU[0]
    return wall, summary


def rebuilt(summary: dict, res: dict) -> bool:
    """True if this run re-extracted everything because the extractor fingerprint changed
    (someone edited ragex's queries or extract.py meanwhile): the run is not the one we
    meant to measure, so it is noted and measured again."""
    if not summary.get("full_rebuild"):
        return False
    log(f"full rebuild ({summary['indexed']} files in {summary['seconds']:.1f} s): the "
        "extractor fingerprint changed (ragex's source edited meanwhile); measuring again")
    res.setdefault("fingerprint_rebuilds", []).append(
        {"indexed": summary["indexed"], "seconds": summary["seconds"], "at": time.time()})
    return True


def dir_bytes(path: str) -> int:
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total


def change_file(path: str, token: str) -> None:
    """Append a comment; written as a new file renamed over the old one (hard-link safe)."""
    with open(path, "rb") as fh:
        data = fh.read()
    comment = f"# ragex-bench {token}\n" if path.endswith((".py", ".rb")) else \
        f"/* ragex-bench {token} */\n"
    tmp = path + ".ragex-bench-tmp"
    with open(tmp, "wb") as fh:
        fh.write(data + (b"" if data.endswith(b"\n") or not data else b"\n") + comment.encode())
    os.replace(tmp, path)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def sample_names(store, count: int, rng: random.Random, min_len: int = 5) -> list[str]:
    top = store.conn.execute("SELECT max(id) FROM symbols").fetchone()[0] or 0
    names: list[str] = []
    seen = set()
    tries = 0
    while len(names) < count and tries < 50:
        tries += 1
        ids = [rng.randint(1, top) for _ in range(count * 4)]
        rows = store.conn.execute(
            f"SELECT name FROM symbols WHERE kind != 'import' AND id IN "
            f"({','.join(map(str, ids))})").fetchall()
        for (name,) in rows:
            if name and len(name) >= min_len and name.isidentifier() and name not in seen:
                seen.add(name)
                names.append(name)
    rng.shuffle(names)
    return names[:count]


def typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("sub", "swap", "drop"))
    if kind == "swap" and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == "drop":
        return name[:i] + name[i + 1:]
    letters = [c for c in "etaoinsrhl" if c != name[i].lower()]
    return name[:i] + rng.choice(letters) + name[i + 1:]


def make_queries(names: list[str], rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """mode -> [(query, the name drawn)]."""
    out = {"exact": [], "prefix": [], "substring": [], "fuzzy": [], "auto (typo)": []}
    for name in names:
        n = len(name)
        out["exact"].append((name, name))
        out["prefix"].append((name[:max(3, (2 * n) // 3)], name))
        start = n // 4
        out["substring"].append((name[start:start + max(3, n // 2)], name))
        t = typo(name, rng)
        out["fuzzy"].append((t, name))
        out["auto (typo)"].append((t, name))
    return out


def found(mode: str, query: str, name: str, hits) -> bool:
    names = [h.symbol.name for h in hits]
    if mode == "exact" or mode.startswith(("fuzzy", "auto")):
        return any(n.lower() == name.lower() for n in names)
    if mode == "prefix":
        return bool(names) and all(
            n.lower().startswith(query.lower()) or h.symbol.qualified_name.lower().startswith(
                query.lower()) for n, h in zip(names, hits))
    return any(query.lower() in n.lower() or query.lower() in h.symbol.qualified_name.lower()
               for n, h in zip(names, hits))


def library_latency(index_dir: str, queries: int, seed: int,
                    root: Optional[str] = None) -> tuple[dict, list[str]]:
    from ragex.search import search_symbols
    from ragex.store import IndexStore

    rng = random.Random(seed)
    store = IndexStore(index_dir, readonly=True)
    try:
        names = sample_names(store, queries, rng)
        table = make_queries(names, rng)
        for q, _ in table["exact"][:20]:  # warm the page cache / sqlite cache
            search_symbols(store, q, match="exact")
        out = {}
        for mode, items in table.items():
            match = "auto" if mode.startswith("auto") else mode
            times, hits_found = [], 0
            for query, name in items:
                t0 = time.perf_counter()
                hits = search_symbols(store, query, match=match)
                times.append((time.perf_counter() - t0) * 1000)
                hits_found += found(mode, query, name, hits)
            out[mode] = {"n": len(items), "p50_ms": percentile(times, 0.5),
                         "p95_ms": percentile(times, 0.95), "max_ms": max(times),
                         "found": hits_found / max(1, len(items)),
                         "slowest": sorted(zip(times, (q for q, _ in items)))[-3:]}
        if root:  # get_symbol / `ragex show`: the definitions of a name, with their source
            from ragex.front import Index

            index = Index(root, index_dir=index_dir)
            times, hits_found = [], 0
            for name in names:
                t0 = time.perf_counter()
                answer = index.definition(name)
                times.append((time.perf_counter() - t0) * 1000)
                hits_found += bool(answer.items)
            index.close()
            out["definition (get_symbol)"] = {
                "n": len(names), "p50_ms": percentile(times, 0.5),
                "p95_ms": percentile(times, 0.95), "max_ms": max(times),
                "found": hits_found / max(1, len(names)),
                "slowest": sorted(zip(times, names))[-3:]}
        return out, names
    finally:
        store.close()


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib", help="a corpus name from corpora.py")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=0, help="ragex --workers (default: auto)")
    ap.add_argument("--queries", type=int, default=200, help="library queries per match mode")
    ap.add_argument("--symbols-runs", type=int, default=10,
                    help="`ragex symbols` processes (each a different name)")
    ap.add_argument("--no-ctags", action="store_true")
    ap.add_argument("--no-extraction", action="store_true",
                    help="skip the extraction-alone measurement")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep the tree and the index in DIR (DIR/tree, DIR/index) for bench_mcp")
    ap.add_argument("--reuse", metavar="DIR",
                    help="a DIR left by --keep: skip ctags, extraction and the cold index and "
                         "measure the rest on DIR/tree and DIR/index")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers")
    args = ap.parse_args(argv)

    if args.reuse:
        work = os.path.abspath(args.reuse)
        args.no_ctags = args.no_extraction = True
    elif args.keep:
        os.makedirs(args.keep, exist_ok=False)
        work = os.path.abspath(args.keep)
    else:
        work = tempfile.mkdtemp(prefix="ragex-bench-index-")
    rows: list[dict] = []
    res: dict = {"corpus": args.corpus, "repeat": args.repeat, "python": platform.python_version(),
                 "load_start": os.getloadavg()}

    def row(what: str, walls: list[float], note: str = "", target: Optional[float] = None,
            extra: Optional[dict] = None) -> dict:
        r = {"what": what, "wall": statistics.median(walls), "walls": walls, "note": note,
             "target": target, "load": load(), **(extra or {})}
        rows.append(r)
        log(f"{what}: {r['wall']:.3f} s {walls}")
        return r

    try:
        tree = os.path.join(work, "tree") if args.reuse else prepare_tree(args.corpus, work)
        index_dir = os.path.join(work, "index")
        from ragex.discover import DiscoveryOptions
        from ragex.indexer import CodeIndexer

        found_files = CodeIndexer(tree, index_dir, discovery=DiscoveryOptions(
            exclude=(EXCLUDE,))).find_code_files()
        if not found_files:
            raise SystemExit(f"ragex discovers no files in {tree}: check its ignore files")
        size = sum(f.size for f in found_files)
        res.update(files=len(found_files), bytes=size, tree=tree)
        for f in found_files:  # warm the page cache
            with open(f.path, "rb") as fh:
                fh.read()
        log(f"{len(found_files)} files, {size / 1e6:.1f} MB in {tree}")

        # ctags -R
        if not args.no_ctags:
            tags = os.path.join(work, "tags")
            walls = []
            for _ in range(args.repeat):
                wall, proc = timed(["ctags", "-R", f"--languages={CTAGS_LANGUAGES}",
                                    f"--exclude={EXCLUDE}", "--exclude=.ragex", "--fields=+neKS",
                                    "-f", tags, tree])
                walls.append(wall)
            with open(tags, "rb") as fh:
                tag_lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
            res["ctags_tags"] = tag_lines
            res["ctags_bytes"] = os.path.getsize(tags)
            row("ctags -R (whole process)", walls, f"{tag_lines:,} tag lines")
            os.unlink(tags)

        # extraction alone, same files, fresh process
        extraction = None
        if not args.no_extraction:
            spec = [(f.path, f.rel_path, f.language, f.size) for f in found_files]
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
                json.dump({"tasks": spec, "root": tree}, fh)
                files_json = fh.name
            workers = args.workers or bench_parallel.usable_cpus()
            runs = [bench_parallel.run_child("raw", files_json, workers)
                    for _ in range(args.repeat)]
            os.unlink(files_json)
            totals = [r["wall"] + (r["startup"] or 0) for r in runs]
            extraction = row(f"parallel extraction alone ({workers} workers, start-up incl.)",
                             totals, f"{runs[-1]['symbols']:,} symbols; pool start-up "
                             f"{statistics.median(r['startup'] for r in runs):.3f} s; main "
                             f"process CPU {statistics.median(r['main_cpu'] for r in runs):.2f} s",
                             extra={"runs": runs})

        # cold
        walls, summaries = [], []
        for i in range(0 if args.reuse else args.repeat):
            if os.path.isdir(index_dir):
                shutil.rmtree(index_dir)
            wall, summary = run_index(tree, index_dir, args.workers)
            walls.append(wall)
            summaries.append(summary)
        summary = summaries[-1] if summaries else None
        res["cold_summary"] = summary
        cold = summary and row("cold `ragex index` (whole process)", walls,
                   f"{summary['indexed']} files, {summary['total_symbols']:,} symbols; in-process "
                   f"{summary['seconds']:.2f} s; extraction stats wall "
                   f"{summary['extraction'].get('wall_seconds', 0):.2f} s; main process CPU "
                   f"{statistics.median(s['main_cpu'] for s in summaries):.2f} s",
                   extra={"in_process": [s["seconds"] for s in summaries]})
        if extraction and cold:
            ratio = cold["wall"] / extraction["wall"]
            res["cold_over_extraction"] = ratio
            rows.append({"what": "cold index / extraction", "ratio": ratio, "target": 1.10,
                         "load": load()})

        # warm
        walls, ins = [], []
        for _ in range(max(3, args.repeat)):
            for attempt in range(4):
                wall, s = run_index(tree, index_dir, args.workers)
                if not rebuilt(s, res):
                    break
            assert s["indexed"] == 0, s
            walls.append(wall)
            ins.append(s["seconds"])
        row("warm re-index, nothing changed", walls,
            f"in-process {statistics.median(ins):.3f} s; unchanged {s['unchanged']}",
            target=3.0 if args.corpus == "linux" else 0.3, extra={"in_process": ins})

        # changed files
        main_lang = corpora.LANGUAGES_OF.get(args.corpus, ("python",))[0]
        candidates = [f for f in found_files if f.language == main_lang] or found_files
        rng = random.Random(args.seed)
        picks = rng.sample(candidates, min(len(candidates), 100 * args.repeat + args.repeat))
        for count, target in ((1, 0.5), (100, None)):
            walls, ins = [], []
            for i in range(args.repeat):
                chosen, picks = picks[:count], picks[count:]
                for attempt in range(4):
                    for f in chosen:
                        change_file(f.path, f"{count}-{i}-{time.time_ns()}")
                    wall, s = run_index(tree, index_dir, args.workers)
                    if not rebuilt(s, res):
                        break
                # a changed file reached through symlinks too (the kernel has some) counts
                # once per path: more than `count` re-extracted is expected, fewer is not
                assert s["indexed"] + s["failed"] + s["skipped"] >= count, s
                walls.append(wall)
                ins.append(s["seconds"])
            row(f"re-index after changing {count} file{'s' if count > 1 else ''}", walls,
                f"in-process {statistics.median(ins):.3f} s; re-extracted {s['indexed']}; mode "
                f"{s['extraction'].get('mode')}", target=target, extra={"in_process": ins})

        # ragex symbols, whole process
        from ragex.store import IndexStore

        store = IndexStore(index_dir, readonly=True)
        names = sample_names(store, args.symbols_runs, random.Random(args.seed + 1))
        store.close()
        walls, codes = [], []
        for name in names:
            wall, proc = timed(ragex_cmd("symbols", name, "--root", tree, "--index-dir",
                                         index_dir))
            walls.append(wall)
            codes.append(proc.returncode)
        row("`ragex symbols NAME` (whole process)", walls,
            f"{len(names)} names, exit codes {sorted(set(codes))}; max {max(walls):.3f} s",
            target=0.25)
        walls = [timed([sys.executable, "-c", "pass"])[0] for _ in range(5)]
        row("baseline: `python -c pass`", walls)
        walls = [timed([sys.executable, "-c", "import ragex.cli, ragex.front, ragex.search"])[0]
                 for _ in range(5)]
        row("baseline: `python -c 'import ragex.cli, ragex.front, ragex.search'`", walls)
        walls = [timed(ragex_cmd("--version"))[0] for _ in range(5)]
        row("baseline: `python -m ragex --version`", walls)

        # library latency
        log("library queries ...")
        lib, _ = library_latency(index_dir, args.queries, args.seed, tree)
        res["library"] = lib
        res["index_bytes"] = dir_bytes(index_dir)
    finally:
        res["rows"] = rows
        res["load_end"] = os.getloadavg()
        if not (args.keep or args.reuse):
            shutil.rmtree(work, ignore_errors=True)

    # ---------------------------------------------------------------- the tables
    print(f"\ncorpus `{args.corpus}`: {res['files']} files, {res['bytes'] / 1e6:.1f} MB (ragex's "
          f"discovery, {EXCLUDE} excluded); median of {args.repeat}; Python "
          f"{platform.python_version()}, {os.cpu_count()} cores; load "
          f"{res['load_start'][0]:.2f} at start, {res['load_end'][0]:.2f} at end\n")
    print("| what | wall s | runs | target | met | load | notes |")
    print("|---|---:|---|---:|---|---:|---|")
    for r in rows:
        if "ratio" in r:
            ok = r["ratio"] <= r["target"]
            print(f"| {r['what']} | {r['ratio']:.2f}× | | ≤ {r['target']}× | "
                  f"{'yes' if ok else 'NO'} | {r['load']:.2f} | |")
            continue
        target = r.get("target")
        met = "–" if target is None else ("yes" if r["wall"] <= target else "NO")
        runs = ", ".join(f"{w:.2f}" for w in r["walls"]) if len(r["walls"]) <= 10 else \
            f"{len(r['walls'])} runs"
        print(f"| {r['what']} | {r['wall']:.3f} | {runs} | "
              f"{'' if target is None else f'≤ {target}'} | {met} | {r['load']:.2f} | "
              f"{r.get('note', '')} |")
    lib = res.get("library", {})
    if lib:
        print(f"\nlibrary `search_symbols(store, q, match=M)`, {args.queries} queries per mode "
              "(names drawn from the index; target p95 ≤ 10 ms):\n")
        print("| match | queries | p50 ms | p95 ms | max ms | found | met |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for mode, r in lib.items():
            target = 50 if mode.startswith("definition") else 10  # (get_symbol: issue 18)
            print(f"| {mode}{'' if target == 10 else f' (target p95 ≤ {target} ms)'} | "
                  f"{r['n']} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
                  f"{r['max_ms']:.1f} | {r['found'] * 100:.0f}% | "
                  f"{'yes' if r['p95_ms'] <= target else 'NO'} |")
        slow = max(lib.items(), key=lambda kv: kv[1]["max_ms"])
        print(f"\nslowest queries ({slow[0]}): "
              + ", ".join(f"{q!r} {t:.1f} ms" for t, q in slow[1]["slowest"]))
    if "index_bytes" in res:
        tags = res.get("ctags_bytes")
        print(f"\nindex size on disk: {res['index_bytes'] / 1e6:.1f} MB"
              + (f" (ctags tags file: {tags / 1e6:.1f} MB)" if tags else ""))
    for r in res.get("fingerprint_rebuilds", []):
        print(f"\nnote: a run re-extracted all {r['indexed']} files ({r['seconds']:.1f} s) because "
              "ragex's extractor fingerprint changed mid-benchmark (its queries or extract.py "
              "were edited); that run was discarded and measured again")
    if args.keep:
        print(f"\nkept: tree {os.path.join(work, 'tree')}, index {os.path.join(work, 'index')}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
