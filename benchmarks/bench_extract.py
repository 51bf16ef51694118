"""How fast ragex extracts, next to the bare tree-sitter floor and universal-ctags.

    python benchmarks/bench_extract.py                      # the stdlib corpus, 3 repeats
    python benchmarks/bench_extract.py --corpus go --repeat 5 --json go.json
    python benchmarks/bench_extract.py --corpus linux --every 25 --repeat 1   # a 1/25 sample

On one corpus, in one run, each measured `--repeat` times, round-robin (median reported;
the machine is noisy, ±15%):

  parse only   read + parse every file with tree-sitter (context: the cost of parsing)
  floor        read + parse + ragex's own query for that language run over the whole
               tree with `QueryCursor.matches`, building one tuple per capture (capture,
               name text, start line, end line): what a tree-sitter extractor pays that
               queries the whole tree (ragex's `Scan` languages, Python and C, do not:
               they skip function bodies that define nothing, so ragex can beat it)
  ragex        `extract_file(ExtractionTask(...))` per file, sequentially, in-process
  Scan off     the same with the query over the whole tree (for Python and C corpora):
               what the Scan saves, measured in the same run
  ctags        universal-ctags `--output-format=json --fields=+neKS` over the same file
               list (`-L`), output read from a pipe

All in one process, one core. Reports wall seconds, files/s, MB/s, symbols/s (floor:
definition matches; ragex: symbols; ctags: tags), ragex / floor and ragex / parse only.

    python benchmarks/bench_extract.py --languages objc,html,css,scss,markdown,vue,svelte

`--languages` prints one row per language instead, each on its own corpus: MB/s of parse
only, of the floor and of ragex, and ragex / floor. For a language whose files embed code
(HTML, Markdown, Vue, Svelte) the floor also runs the row's injection query and, for
each embedded region, parses it with its language's grammar and runs that language's query
(what any extractor that reads the embedded code pays).
`--phases` adds where ragex's own time goes (parse, scan, query, collecting the matches,
building the records), from one more pass.

    python benchmarks/bench_extract.py --cli --repeat 5          # whole `ragex extract`

`--cli` measures the whole `ragex extract` process instead, as a user runs it:
`python -m ragex extract ROOT --format jsonl --no-progress --workers N > FILE` (the
corpus's root, `--exclude site-packages`), with 1 worker and with 2, runs alternated
(`--repeat` each), medians; wall seconds, the main process's own CPU seconds (its
`getrusage` user + system, read by a small wrapper that runs the CLI in-process: the
workers' CPU is not in it) and the 2-worker speedup. Every run's output is checked: the
same lines, whatever the worker count.
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
from typing import Callable, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

CTAGS_LANG = {"python": "Python", "go": "Go", "rust": "Rust", "java": "Java", "c": "C",
              "cpp": "C++", "typescript": "TypeScript", "javascript": "JavaScript",
              "ruby": "Ruby", "php": "PHP"}


def list_files(corpus: str, language: Optional[str]) -> list[tuple[str, str, str]]:
    languages = [language] if language else list(corpora.LANGUAGES_OF[corpus])
    if corpus != "multi":
        languages = languages[:1]
    out = []
    for lang in languages:  # files ragex would skip as too large are left out of every row
        out += [(p, r, lang) for p, r in corpora.corpus_files(corpus, lang,
                                                              max_bytes=4 * 1024 * 1024)]
    return out


def run_parse_only(files, pool) -> int:
    import tree_sitter as ts

    parsers = {}
    for path, _, lang in files:
        parser = parsers.get(lang)
        if parser is None:
            parser = parsers[lang] = ts.Parser(pool.get(lang).language)
        with open(path, "rb") as fh:
            parser.parse(fh.read())
    return 0


def run_floor(files, pool) -> int:
    import tree_sitter as ts

    state = {}
    count = 0
    for path, _, lang in files:
        st = state.get(lang)
        if st is None:
            loaded = pool.get(lang)
            st = state[lang] = (ts.Parser(loaded.language), loaded.query)
        parser, query = st
        with open(path, "rb") as fh:
            source = fh.read()
        root = parser.parse(source).root_node
        rows = []
        for _pattern, caps in ts.QueryCursor(query).matches(root):
            for cap, nodes in caps.items():
                if cap.startswith("definition."):
                    count += 1
                for n in nodes:
                    text = source[n.start_byte:n.end_byte] if cap == "name" else None
                    rows.append((cap, text, n.start_point[0], n.end_point[0]))
    return count


def run_floor_embedded(files, pool) -> int:
    """The floor, plus what reading embedded code costs: the injection query, and each
    region parsed (included ranges) and queried with its own language's query."""
    import tree_sitter as ts

    from ragex.embedded import _ranges, regions
    from ragex.languages import language_from_tag
    from ragex.parser_pool import LanguageUnavailable

    count = 0
    for path, _, lang in files:
        loaded = pool.get(lang)
        with open(path, "rb") as fh:
            source = fh.read()
        root = loaded.parser.parse(source).root_node
        count += _tuples(loaded.query, root, source)
        if loaded.injections is None:
            continue
        for content, tag, whole in regions(loaded, root, source):
            inner = language_from_tag(tag)
            if inner is None:
                continue
            try:
                sub = pool.get(inner)
            except LanguageUnavailable:
                continue
            ranges = [content.range] if whole else _ranges(content)
            if ranges:
                tree = ts.Parser(sub.language, included_ranges=ranges).parse(source)
                count += _tuples(sub.query, tree.root_node, source)
    return count


def _tuples(query, root, source: bytes) -> int:
    import tree_sitter as ts

    count = 0
    rows = []
    for _pattern, caps in ts.QueryCursor(query).matches(root):
        for cap, nodes in caps.items():
            if cap.startswith("definition."):
                count += 1
            for n in nodes:
                text = source[n.start_byte:n.end_byte] if cap == "name" else None
                rows.append((cap, text, n.start_point[0], n.end_point[0]))
    return count


def by_language(languages: list[str], repeat: int) -> list[dict]:
    """One row per language, each on its own corpus: parse only, floor, ragex (MB/s)."""
    from ragex.parser_pool import SharedParserPool

    out = []
    for lang in languages:
        files = [(p, r, lang) for p, r in corpora.corpus_files(lang, lang,
                                                                 max_bytes=4 * 1024 * 1024)]
        size = sum(os.path.getsize(p) for p, _, _ in files)
        pool = SharedParserPool()
        pool.get(lang)
        for path, _, _ in files:
            with open(path, "rb") as fh:
                fh.read()
        run_ragex(files, pool)  # every embedded language loaded before timing
        floor = run_floor_embedded if pool.get(lang).injections is not None else run_floor
        results = measure([("parse only", run_parse_only, pool), ("floor", floor, pool),
                           ("ragex", run_ragex, pool)], files, repeat)
        row = {"language": lang, "corpus": lang, "files": len(files), "bytes": size,
               **{f"{k} MB/s": size / 1e6 / r["wall"] for k, r in results.items()},
               "ragex / floor": results["ragex"]["wall"] / results["floor"]["wall"],
               "ragex / parse only": results["ragex"]["wall"] / results["parse only"]["wall"],
               "symbols": results["ragex"]["symbols"], "results": results}
        out.append(row)
    print(f"\nper language, each on its own corpus; median of {repeat}; Python "
          f"{platform.python_version()}, {os.cpu_count()} cores\n")
    print("| language | files | MB | parse only MB/s | floor MB/s | ragex MB/s | symbols | "
          "ragex / floor | ragex / parse only |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in out:
        print(f"| {r['language']} | {r['files']} | {r['bytes'] / 1e6:.1f} | "
              f"{r['parse only MB/s']:.1f} | {r['floor MB/s']:.1f} | {r['ragex MB/s']:.1f} | "
              f"{r['symbols']:,} | {r['ragex / floor']:.2f} | {r['ragex / parse only']:.2f} |")
    return out


def run_ragex(files, pool) -> int:
    from ragex.extract import ExtractionTask, extract_file

    count = 0
    for path, rel, lang in files:
        res = extract_file(ExtractionTask(path, rel, language=lang), pool)
        count += len(res.symbols)
    return count


def phases(files, pool) -> dict[str, float]:
    """Where ragex's time goes, in CPU seconds per stage (one pass, after the timed rows).

    Uses the stages of `ragex.extract` directly, so it is approximate: no module names, no
    256 KB windows for big files, and the query runs twice (alone, then inside `_collect`,
    whose own share is what remains)."""
    import tree_sitter as ts

    from ragex import extract as ex

    spent = dict.fromkeys(["parse", "scan", "query", "collect matches", "records"], 0.0)
    clock = time.process_time
    for path, rel, lang in files:
        loaded = pool.get(lang)
        with open(path, "rb") as fh:
            source = fh.read()
        t0 = clock()
        root = loaded.parser.parse(source).root_node
        t1 = clock()
        starts = ex._scan_starts(loaded.scan, root, source) if loaded.scan else None
        t2 = clock()
        if starts is None:
            ts.QueryCursor(loaded.query).matches(root)
        else:
            list(ex._scan_matches(loaded.query, starts, loaded.scan.depth, 0, None))
        t3 = clock()
        notes: dict = {}
        defs = ex._collect(loaded, root, source, notes, starts=starts)
        t4 = clock()
        ex._resolve(defs, notes, loaded, source, rel, None, True)
        t5 = clock()
        spent["parse"] += t1 - t0
        spent["scan"] += t2 - t1
        spent["query"] += t3 - t2
        spent["collect matches"] += max(0.0, (t4 - t3) - (t3 - t2))
        spent["records"] += t5 - t4
    return spent


def make_ctags(files, root: str) -> Callable[[object], int]:
    groups: dict[str, list[str]] = {}
    for _, rel, lang in files:
        groups.setdefault(lang, []).append(rel)

    def run(_files, _pool) -> int:
        count = 0
        for lang, rels in groups.items():
            with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as fh:
                fh.write("\n".join(rels) + "\n")
                listing = fh.name
            try:
                proc = subprocess.run(
                    ["ctags", "--output-format=json", "--fields=+neKS",
                     f"--language-force={CTAGS_LANG[lang]}", "-L", listing, "-f", "-"],
                    cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
            finally:
                os.unlink(listing)
            count += proc.stdout.count(b"\n")
        return count

    return run


def measure(rows, files, repeat: int) -> dict:
    """Each row `repeat` times, round-robin (drift hits every row alike); medians."""
    runs: dict[str, dict] = {label: {"walls": [], "cpus": [], "counts": []}
                             for label, _, _ in rows}
    for i in range(repeat):
        for label, fn, pool in rows:
            print(f"measuring {label} ({i + 1}/{repeat}) ...", file=sys.stderr, flush=True)
            c0 = time.process_time()
            t0 = time.perf_counter()
            n = fn(files, pool)
            runs[label]["walls"].append(time.perf_counter() - t0)
            runs[label]["cpus"].append(time.process_time() - c0)
            runs[label]["counts"].append(n)
    return {label: {"wall": statistics.median(r["walls"]), "walls": r["walls"],
                    "cpu": statistics.median(r["cpus"]), "symbols": r["counts"][-1]}
            for label, r in runs.items()}


# Runs the CLI in this process and prints the process's own CPU seconds on stderr (last
# line) after the command's own output: what the main process spent, workers excluded.
_CLI_WRAPPER = """
import resource, sys
from ragex.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(f"main-cpu {ru.ru_utime + ru.ru_stime:.3f}", file=sys.stderr)
sys.exit(code)
"""


def run_cli(corpus: str, repeat: int, workers: tuple[int, ...] = (1, 2)) -> dict:
    """Whole `ragex extract --format jsonl` processes, `workers` alternated (see --cli)."""
    import hashlib

    root = str(corpora.corpus_path(corpus))
    out_dir = tempfile.mkdtemp(prefix="bench-extract-cli-")
    runs: dict[int, list[dict]] = {n: [] for n in workers}
    digests = set()
    try:
        for i in range(repeat):
            order = workers if i % 2 == 0 else tuple(reversed(workers))
            for n in order:
                out = os.path.join(out_dir, f"out-{n}.jsonl")
                cmd = [sys.executable, "-c", _CLI_WRAPPER, "extract", root, "--format", "jsonl",
                       "--no-progress", "--exclude", "site-packages", "--workers", str(n)]
                load = os.getloadavg()[0]
                print(f"measuring ragex extract --workers {n} ({i + 1}/{repeat}) ...",
                      file=sys.stderr, flush=True)
                with open(out, "wb") as fh:
                    t0 = time.perf_counter()
                    proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE, text=True)
                    wall = time.perf_counter() - t0
                if proc.returncode != 0:
                    raise SystemExit(f"ragex extract failed ({proc.returncode}): "
                                     f"{proc.stderr[-2000:]}")
                main_cpu = float(proc.stderr.strip().splitlines()[-1].split()[1])
                with open(out, "rb") as fh:
                    lines = sorted(fh.read().splitlines())
                digests.add(hashlib.sha256(b"\n".join(lines)).hexdigest())
                runs[n].append({"wall": wall, "main_cpu": main_cpu, "load": load,
                                "symbols": len(lines), "bytes": os.path.getsize(out)})
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    if len(digests) != 1:
        raise SystemExit("ragex extract printed different lines in different runs")
    return {n: {"wall": statistics.median(r["wall"] for r in rs),
                "main_cpu": statistics.median(r["main_cpu"] for r in rs), "runs": rs}
            for n, rs in runs.items()}


def print_cli(corpus: str, repeat: int, res: dict) -> None:
    one = res[1]["wall"]
    first = next(iter(res.values()))["runs"][0]
    print(f"\n`ragex extract {corpus} --format jsonl`, whole process; median of {repeat} runs "
          f"each, worker counts alternated; {first['symbols']:,} lines, "
          f"{first['bytes'] / 1e6:.1f} MB of output; Python {platform.python_version()}, "
          f"{os.cpu_count()} cores\n")
    print("| workers | wall s | speedup vs 1 worker | main process CPU s | load (1 min) |")
    print("|---:|---:|---:|---:|---|")
    for n, r in res.items():
        loads = ", ".join(f"{x['load']:.1f}" for x in r["runs"])
        print(f"| {n} | {r['wall']:.2f} | {one / r['wall']:.2f} | {r['main_cpu']:.2f} | {loads} |")
    if 2 in res:
        speedup = one / res[2]["wall"]
        print(f"\n2 workers vs 1: {speedup:.2f}× (target ≥ 1.75×: "
              f"{'met' if speedup >= 1.75 else 'not met'})")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib", help="a corpus name from corpora.py")
    ap.add_argument("--language", help="the corpus's language to use (default: its main one)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-ctags", action="store_true")
    ap.add_argument("--every", type=int, default=1, metavar="N",
                    help="take every Nth file of the sorted list (a sample of a big corpus)")
    ap.add_argument("--phases", action="store_true",
                    help="also print where ragex's time goes: parse, scan, query, collecting "
                         "matches, building records (CPU seconds, one extra pass)")
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers")
    ap.add_argument("--languages", metavar="L1,L2",
                    help="one row per language, each on its own corpus (see above)")
    ap.add_argument("--cli", action="store_true",
                    help="measure whole `ragex extract --format jsonl` processes, 1 worker "
                         "vs 2, alternated (see above)")
    args = ap.parse_args(argv)

    if args.cli:
        res = run_cli(args.corpus, args.repeat)
        print_cli(args.corpus, args.repeat, res)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump({"corpus": args.corpus, "repeat": args.repeat,
                           "python": platform.python_version(),
                           "cli": {str(n): r for n, r in res.items()}}, fh, indent=1)
        return 0
    if args.languages:
        rows_out = by_language([x for x in args.languages.split(",") if x], args.repeat)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(rows_out, fh, indent=1)
        return 0

    from ragex.parser_pool import SharedParserPool

    files = list_files(args.corpus, args.language)[::max(1, args.every)]
    root = str(corpora.corpus_path(args.corpus))
    size = sum(os.path.getsize(p) for p, _, _ in files)
    pool = SharedParserPool()
    for lang in sorted({lang for _, _, lang in files}):
        pool.get(lang)  # grammar + query compiled before timing
    for path, _, _ in files:  # warm the page cache: every row reads from memory
        with open(path, "rb") as fh:
            fh.read()

    rows = [("parse only", run_parse_only, pool),
            ("floor: parse + query + tuples", run_floor, pool),
            ("ragex extract_file, sequential", run_ragex, pool)]
    scanned = [lang for lang in sorted({lang for _, _, lang in files}) if pool.get(lang).scan]
    if scanned:  # the same extraction with the query run over the whole tree
        whole_tree = SharedParserPool()
        for lang in scanned:
            whole_tree.get(lang).scan = None
        rows.append(("ragex, whole-tree query (Scan off)", run_ragex, whole_tree))
    if not args.no_ctags:
        rows.append(("universal-ctags (json)", make_ctags(files, root), None))
    results = measure(rows, files, args.repeat)

    floor = results["floor: parse + query + tuples"]["wall"]
    langs = ", ".join(sorted({lang for _, _, lang in files}))
    print(f"\ncorpus `{args.corpus}` ({langs}): {len(files)} files, {size / 1e6:.1f} MB; "
          f"median of {args.repeat}; Python {platform.python_version()}, "
          f"{os.cpu_count()} cores\n")
    print("| what | wall s | files/s | MB/s | symbols | symbols/s | × floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, r in results.items():
        wall = r["wall"]
        syms = f"{r['symbols']:,}" if r["symbols"] else "–"
        rate = f"{r['symbols'] / wall:,.0f}" if r["symbols"] else "–"
        print(f"| {label} | {wall:.2f} | {len(files) / wall:,.0f} | {size / 1e6 / wall:.1f} | "
              f"{syms} | {rate} | {wall / floor:.2f} |")
    ratio = results["ragex extract_file, sequential"]["wall"] / floor
    over_parse = results["ragex extract_file, sequential"]["wall"] / results["parse only"]["wall"]
    print(f"\nragex / floor = {ratio:.2f}; ragex / parse only = {over_parse:.2f}")
    off = results.get("ragex, whole-tree query (Scan off)")
    if off:
        saved = 1 - results["ragex extract_file, sequential"]["wall"] / off["wall"]
        on_symbols = results["ragex extract_file, sequential"]["symbols"]
        same = "the same symbols" if off["symbols"] == on_symbols else \
            f"{on_symbols:,} symbols, {off['symbols']:,} with the Scan off"
        print(f"the Scan saves {saved:.0%} of ragex's time ({same})")
    spent = None
    if args.phases:
        print("measuring ragex's stages (one pass) ...", file=sys.stderr, flush=True)
        spent = phases(files, pool)
        total = sum(spent.values())
        print("\n| ragex stage (CPU s, one pass) | s | share |\n|---|---:|---:|")
        for stage, sec in spent.items():
            print(f"| {stage} | {sec:.2f} | {sec / total:.0%} |")
        print(f"| total | {total:.2f} | |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"corpus": args.corpus, "files": len(files), "bytes": size,
                       "repeat": args.repeat, "python": platform.python_version(),
                       "results": results, "ragex_over_floor": ratio, "phases": spent},
                      fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
