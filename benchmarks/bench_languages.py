"""Extraction speed per language, next to that language's tree-sitter floor: one table.

    python benchmarks/bench_languages.py                      # every language with a corpus
    python benchmarks/bench_languages.py kotlin swift --repeat 5
    python benchmarks/bench_languages.py --max-mb 2 --json langs.json

For each language, on its corpus (`benchmarks/corpora.py`; a corpus larger than
`--max-mb` is sampled evenly, every Nth file), in one process, one core, rows measured
round-robin `--repeat` times (median reported), as `bench_extract.py` measures them:

  parse only   read + parse every file with tree-sitter
  floor        read + parse + ragex's own query over the whole tree with
               `QueryCursor.matches`, one tuple per capture: what any tree-sitter
               extractor that queries the whole tree pays; for a host of embedded code
               (HTML, Markdown, Vue, Svelte) also its injection query, and each region
               parsed and queried with its own language's query
  ragex        `extract_file(ExtractionTask(..., references=False))` per file,
               sequentially, in-process: the definitions, as the floor's query finds
               them (the reference query of the rows that have one is a second query
               over the tree, measured by bench_refs.py)

Reports MB/s of each and ragex / floor (the target: at most 1.5), from the CPU time the
process spent (`time.process_time`): on a shared machine wall time also counts the waits
for a core, which differ from row to row; `--wall` reports wall time instead.

    python benchmarks/bench_languages.py protobuf toml --records

`--patterns` prints instead what each pattern of the definitions query costs: the query
over the sample's trees (`QueryCursor.matches`, best of 3 CPU times) with that pattern
disabled (`Query.disable_pattern`), against the whole query; the costliest first, with
the pattern's first line. (How Rust's attribute pattern was found: docs/languages-data.md.)

    python benchmarks/bench_languages.py rust toml --patterns

`--records` prints instead what building the records costs per definition (ragex's time
above the floor's query): `extract._resolve` timed over each file's parsed definitions
(best of 7, CPU time), as it runs, without the doc search (`docs=False`), and without the
signature too (`extract._signature` replaced by a stub for that row only).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_extract  # noqa: E402
import corpora  # noqa: E402

# language -> corpus (benchmarks/corpora.py): every registry row that has one. tsx and
# csharp have none here (no `.tsx` in the TypeScript package, no C# source package in
# Debian's main archive): their rows are measured by the fixture tests only.
CORPUS = {
    "python": "stdlib", "javascript": "javascript", "typescript": "typescript", "go": "go",
    "rust": "rust", "java": "java", "c": "c", "cpp": "cpp", "objc": "objc", "html": "html",
    "css": "css", "scss": "scss", "markdown": "markdown", "vue": "vue", "svelte": "svelte",
    "ruby": "ruby", "php": "php",
    "kotlin": "expo", "swift": "expo", "scala": "scala", "bash": "kernel-misc",
    "lua": "lua", "elixir": "elixir", "haskell": "haskell", "ocaml": "ocaml",
    "ocaml_interface": "ocaml", "zig": "zig", "dart": "dart", "julia": "julia",
    "perl": "perl", "powershell": "ansible", "sql": "sql", "hcl": "hcl",
    "dockerfile": "dockerfile", "make": "kernel-misc", "cmake": "cmake",
    "yaml": "kernel-misc", "toml": "toml", "json": "ansible", "r": "r", "protobuf": "protobuf",
}
NO_CORPUS = ("tsx", "csharp")


def run_definitions(files, pool) -> int:
    from ragex.extract import ExtractionTask, extract_file

    count = 0
    for path, rel, lang in files:
        task = ExtractionTask(path, rel, language=lang, references=False)
        count += len(extract_file(task, pool).symbols)
    return count


def record_costs(language: str, max_mb: float) -> dict:
    """µs per definition of building the records, in three variants (see `--records`)."""
    import time

    from ragex import extract as ex
    from ragex.parser_pool import SharedParserPool

    loaded = SharedParserPool().get(language)
    prepared = []
    for path, rel, _ in files_of(language, max_mb):
        with open(path, "rb") as fh:
            source = fh.read()
        masks = loaded.spec.parse_masks
        tree = loaded.parser.parse(ex._masked(source, masks) if masks else source)
        notes: dict = {}
        prepared.append((list(ex._definitions(loaded, tree.root_node, source, notes)), notes,
                         source, rel, tree))
    count = sum(len(defs) for defs, *_ in prepared) or 1

    def best(docs: bool) -> float:
        times = []
        for _ in range(7):
            started = time.process_time()
            for defs, notes, source, rel, _tree in prepared:
                ex._resolve(defs, notes, loaded, source, rel, None, docs)
            times.append(time.process_time() - started)
        return min(times) / count * 1e6

    row = {"language": language, "definitions": count, "all": best(True),
           "no doc": best(False)}
    signature = ex._signature
    ex._signature = lambda *args: ""
    try:
        row["no doc, no signature"] = best(False)
    finally:
        ex._signature = signature
    return row


# compiled queries are never freed (see parser_pool: py-tree-sitter 0.26.1 can crash
# freeing one that uses #set! with predicates)
_KEEP: list = []


def pattern_costs(language: str, max_mb: float, top: int) -> list[tuple[float, float, str]]:
    """The `top` costliest patterns of the row's definitions query on its sample: (CPU s
    saved with the pattern disabled, that as a share of the whole query, its first line)."""
    import time

    import tree_sitter as ts

    from ragex.parser_pool import SharedParserPool, query_text

    loaded = SharedParserPool().get(language)
    _KEEP.append(loaded)
    masks = loaded.spec.parse_masks
    from ragex.extract import _masked

    trees = []
    for path, _, _ in files_of(language, max_mb):
        with open(path, "rb") as fh:
            source = fh.read()
        trees.append(loaded.parser.parse(_masked(source, masks) if masks else source))
    text = query_text(loaded.spec)

    def best(query) -> float:
        times = []
        for _ in range(3):
            started = time.process_time()
            for tree in trees:
                ts.QueryCursor(query).matches(tree.root_node)
            times.append(time.process_time() - started)
        return min(times)

    whole = best(loaded.query) or 1e-9
    rows = []
    for i in range(loaded.query.pattern_count):
        query = ts.Query(loaded.language, text)
        _KEEP.append(query)
        query.disable_pattern(i)
        saved = whole - best(query)
        first = text[loaded.query.start_byte_for_pattern(i):].split("\n", 1)[0].strip()
        rows.append((saved, saved / whole, first[:90]))
    rows.sort(reverse=True)
    return rows[:top]


def files_of(language: str, max_mb: float) -> list[tuple[str, str, str]]:
    files = [(p, r, language) for p, r in corpora.corpus_files(
        CORPUS[language], language, max_bytes=4 * 1024 * 1024)]
    size = sum(os.path.getsize(p) for p, _, _ in files)
    if max_mb and size > max_mb * 1e6:
        step = size / (max_mb * 1e6)
        files = [files[int(i * step)] for i in range(int(len(files) / step))]
    return files


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("languages", nargs="*", help=f"default: {', '.join(CORPUS)}")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-mb", type=float, default=3.0,
                    help="sample a larger corpus down to about this many MB (0: all)")
    ap.add_argument("--wall", action="store_true", help="wall time instead of CPU time")
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--records", action="store_true",
                    help="print the cost of building the records per definition instead")
    ap.add_argument("--patterns", action="store_true",
                    help="print the costliest patterns of each definitions query instead")
    args = ap.parse_args(argv)
    if args.patterns:
        print("| language | pattern (first line) | CPU s saved without it | share of the query |")
        print("|---|---|---:|---:|")
        for language in args.languages or list(CORPUS):
            for saved, share, first in pattern_costs(language, args.max_mb, 3):
                print(f"| {language} | `{first}` | {saved:.4f} | {100 * share:.0f}% |",
                      flush=True)
        return 0
    if args.records:
        print("| language | definitions | µs per definition | without the doc search | "
              "without doc and signature |")
        print("|---|---:|---:|---:|---:|")
        for language in args.languages or list(CORPUS):
            r = record_costs(language, args.max_mb)
            print(f"| {language} | {r['definitions']:,} | {r['all']:.1f} | {r['no doc']:.1f} | "
                  f"{r['no doc, no signature']:.1f} |", flush=True)
        return 0
    clock = "wall" if args.wall else "cpu"

    from ragex.parser_pool import SharedParserPool

    rows = []
    # every pool stays alive: a compiled query must never be freed (py-tree-sitter 0.26.1
    # can crash freeing one that uses #any-of?/#eq? and #set!; see parser_pool)
    pools = []
    for language in args.languages or list(CORPUS):
        files = files_of(language, args.max_mb)
        size = sum(os.path.getsize(p) for p, _, _ in files)
        pool = SharedParserPool()
        pools.append(pool)
        pool.get(language)  # grammar + query compiled before timing
        for path, _, _ in files:  # warm the page cache
            with open(path, "rb") as fh:
                fh.read()
        run_definitions(files, pool)  # every embedded language loaded before timing
        # a host of embedded code (HTML, Markdown, Vue, Svelte): the floor also runs its
        # injection query and parses and queries each region with its own language
        floor = (bench_extract.run_floor_embedded if pool.get(language).injections is not None
                 else bench_extract.run_floor)
        measured = bench_extract.measure(
            [("parse", bench_extract.run_parse_only, pool),
             ("floor", floor, pool),
             ("ragex", run_definitions, pool)], files, args.repeat)
        row = {"language": language, "corpus": CORPUS[language], "files": len(files),
               "bytes": size, **{k: v[clock] for k, v in measured.items()},
               "symbols": measured["ragex"]["symbols"]}
        row["ratio"] = row["ragex"] / row["floor"]
        rows.append(row)
        print(f"{language}: {len(files)} files, {size / 1e6:.1f} MB, ragex / floor "
              f"{row['ratio']:.2f}", file=sys.stderr, flush=True)

    print(f"\nmedian of {args.repeat}, {clock} time; Python {platform.python_version()}, "
          f"one process\n")
    print("| language | corpus | files | MB | parse MB/s | floor MB/s | ragex MB/s | symbols | "
          "ragex × floor | ragex × parse |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        mb = r["bytes"] / 1e6
        print(f"| {r['language']} | {r['corpus']} | {r['files']} | {mb:.1f} | "
              f"{mb / r['parse']:.1f} | {mb / r['floor']:.1f} | {mb / r['ragex']:.1f} | "
              f"{r['symbols']:,} | {r['ratio']:.2f} | {r['ragex'] / r['parse']:.2f} |")
    worst = max(rows, key=lambda r: r["ratio"])
    print(f"\nworst ragex / floor: {worst['language']} {worst['ratio']:.2f}")
    over = [r["language"] for r in rows if r["ratio"] > 1.5]
    print(f"over 1.5x the floor: {', '.join(over) or 'none'}; no corpus: {', '.join(NO_CORPUS)}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"repeat": args.repeat, "python": platform.python_version(),
                       "rows": rows}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
