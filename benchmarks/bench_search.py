"""How well natural-language search finds code: docstring -> function, as CodeSearchNet.

    python benchmarks/bench_search.py                          # stdlib, every tier
    python benchmarks/bench_search.py --corpus go --tiers lexical
    python benchmarks/bench_search.py --corpus stdlib,go --max-queries 1000
    python benchmarks/bench_search.py --latency IDX --root TREE --tiers lexical  # times only

The task (ground truth written by the corpus's authors, not here): each documented
function or method of the corpus is a document *with its doc removed*; the first line (Go:
first sentence, the function's own name taken out) of its doc is the query; a query is
answered when the function is among the results.

  stdlib  the running interpreter's standard library (no test directories): top-level
          functions and methods of top-level classes with a docstring whose first line has
          3+ words; written to a temp tree with only those definitions (methods inside
          their class), docstrings removed, so the candidates are exactly the task's
  go      Go's standard library (Debian golang-src, via corpora.py; no _test.go files):
          every file kept, the `//` doc comment above each `func` removed; every function
          and method of the corpus is a candidate

Queries whose text is shared by two functions are dropped. The tree is indexed by the real
pipeline (`Index.update`), embedded by the real job (`Index.embed`, when the
ragex[semantic] extra is installed), and asked through `Index.search_text(query,
mode=TIER, kind="function,method", limit=10)`. Printed per tier: MRR@10, recall@1,
recall@10, query p50/p95 ms (wall, and CPU of the process: the machine may be
loaded); and the index time, index and vector sizes, embedding
throughput.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

from ragex.config import load_config  # noqa: E402
from ragex.front import Index  # noqa: E402
from ragex.search import QueryError  # noqa: E402

TIERS = ("lexical", "semantic", "hybrid")
TEST_DIRS = {"test", "tests", "idle_test"}


def log(msg: str) -> None:
    print(f"[bench_search] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the tasks


def _first_line(doc: str) -> str:
    return doc.strip().splitlines()[0].strip() if doc and doc.strip() else ""


def build_python(src: Path, out: Path) -> list[tuple[str, str, int]]:
    """Write the stdlib task's tree under `out`; (query, path, def line) per function."""
    tasks: list[tuple[str, str, int]] = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if "site-packages" in rel.parts or TEST_DIRS & set(rel.parts[:-1]):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (UnicodeDecodeError, SyntaxError, ValueError):
            continue
        lines = text.splitlines()
        chunks: list[str] = []
        line_no = 1  # of the next line written

        def emit(node, indent: str) -> None:
            nonlocal line_no
            doc = ast.get_docstring(node, clean=True)
            query = _first_line(doc or "")
            if len(query.split()) < 3:
                return
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            body = node.body[0]
            skip = range(body.lineno, body.end_lineno + 1)
            kept = [lines[i - 1] for i in range(first, node.end_lineno + 1) if i not in skip]
            if len(node.body) == 1:  # the docstring was the whole body
                kept.append(" " * (body.col_offset) + "pass")
            base = min((len(k) - len(k.lstrip()) for k in kept if k.strip()), default=0)
            source = [indent + k[base:] if k.strip() else "" for k in kept]
            def_line = line_no + (node.lineno - first)
            tasks.append((query, rel.as_posix(), def_line))
            chunks.extend(source + [""])
            line_no += len(source) + 1

        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                emit(node, "")
            elif isinstance(node, ast.ClassDef):
                methods = [n for n in node.body
                           if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
                if not methods:
                    continue
                chunks.append(f"class {node.name}:")
                line_no += 1
                before = len(tasks)
                for method in methods:
                    emit(method, "    ")
                if len(tasks) == before:
                    chunks.append("    pass")
                    line_no += 1
                chunks.append("")
                line_no += 1
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(chunks) + "\n", encoding="utf-8")
    return tasks


_GO_FUNC = re.compile(r"^func (?:\([^)]*\)\s*)?([A-Za-z_][A-Za-z0-9_]*)")


def build_go(src: Path, out: Path) -> list[tuple[str, str, int]]:
    """Write the Go task's tree under `out`; (query, path, func line) per function."""
    tasks: list[tuple[str, str, int]] = []
    for path in sorted(src.rglob("*.go")):
        rel = path.relative_to(src)
        if path.name.endswith("_test.go") or "testdata" in rel.parts:
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        kept: list[str] = []
        comment: list[str] = []
        for line in lines:
            if line.startswith("//") and not line.startswith("//go:"):
                comment.append(line)
                continue
            match = _GO_FUNC.match(line)
            if match and comment:
                name = match.group(1)
                doc = " ".join(c[2:].strip() for c in comment)
                sentence = doc.split(". ")[0].rstrip(".")
                words = [w for w in sentence.split() if w.strip(",;:") != name]
                if words and words[0].lower() in ("a", "an", "the"):
                    pass
                if len(words) >= 3:
                    tasks.append((" ".join(words), rel.as_posix(), len(kept) + 1))
                comment = []  # the doc comment is removed
            else:
                kept += comment
                comment = []
            kept.append(line)
        kept += comment
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return tasks


def unique(tasks: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for query, _, _ in tasks:
        counts[query] = counts.get(query, 0) + 1
    return [t for t in tasks if counts[t[0]] == 1]


# --------------------------------------------------------------- measuring


def evaluate(index: Index, tasks, tier: str) -> dict:
    ranks, times, cpu = [], [], []
    for query, path, line in tasks:
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            answer = index.search_text(query, mode=tier, kind="function,method", limit=10)
            found = [(h.symbol.path, h.symbol.start_line) for h in answer.items]
        except QueryError:
            found = []
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        ranks.append(found.index((path, line)) + 1 if (path, line) in found else None)
    n = len(ranks)
    times.sort()
    cpu.sort()
    return {"tier": tier, "queries": n,
            "mrr10": sum(1 / r for r in ranks if r) / n,
            "r1": sum(1 for r in ranks if r == 1) / n,
            "r10": sum(1 for r in ranks if r) / n,
            "p50_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))],
            "cpu_p50_ms": statistics.median(cpu), "cpu_p95_ms": cpu[int(0.95 * (len(cpu) - 1))]}


def dir_mb(path: str, prefix: str) -> float:
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path)
               if f.startswith(prefix)) / 1e6


def run(corpus: str, tiers: list[str], max_queries: int, workdir: str) -> dict:
    src = corpora.build_stdlib() if corpus == "stdlib" else corpora.build_go()
    tree = Path(workdir) / corpus
    log(f"{corpus}: writing the task's tree from {src}")
    tasks = (build_python if corpus == "stdlib" else build_go)(Path(src), tree)
    tasks = unique(tasks)
    if max_queries and len(tasks) > max_queries:
        tasks = tasks[::len(tasks) // max_queries + 1]
    log(f"{corpus}: {len(tasks)} queries")
    index = Index(str(tree), config=load_config())
    started = time.perf_counter()
    summary = index.update()
    result = {"corpus": corpus, "files": summary.total_files, "symbols": summary.total_symbols,
              "queries": len(tasks), "index_seconds": round(time.perf_counter() - started, 2),
              "index_mb": round(dir_mb(index.index_dir, "index.db"), 1), "rows": []}
    if any(t != "lexical" for t in tiers):
        from ragex.semantic import missing_extra

        reason = missing_extra()
        if reason:
            log(f"semantic and hybrid skipped: {reason}")
            tiers = [t for t in tiers if t == "lexical"]
        else:
            log(f"{corpus}: embedding")
            report = index.embed()
            result.update(embedded=report.done, embed_seconds=round(report.seconds, 1),
                          embed_per_second=round(report.rate, 1), device=report.device,
                          vectors_mb=round(dir_mb(index.index_dir, "vectors.db"), 1))
    for tier in tiers:
        log(f"{corpus}: asking {tier}")
        result["rows"].append(evaluate(index, tasks, tier))
    index.close()
    return result


def latency(root: str, index_dir: str, tiers: list[str], count: int) -> dict:
    """Query times on an index already built (e.g. the kernel's): the queries are the
    first lines of the doc comments of every k-th documented function (docs kept, so
    only the times mean anything here, not the ranks)."""
    index = Index(root, index_dir=index_dir)
    store = index.store()
    docs = [d for (d,) in store.conn.execute(
        "SELECT doc FROM symbols WHERE kind IN ('function', 'method') AND doc != ''")]
    queries = [q for q in (_first_line(d.strip("/*# \n")) for d in docs[::max(1, len(docs)
                                                                                // count)])
               if len(q.split()) >= 3][:count]
    log(f"{index_dir}: {len(docs)} documented functions, {len(queries)} queries")
    result = {"corpus": index_dir, "queries": len(queries), "rows": []}
    for tier in tiers:
        log(f"asking {tier}")
        index.search_text(queries[0], mode=tier, limit=10)  # loads the model, the vectors
        row = evaluate(index, [(q, "", 0) for q in queries], tier)
        row.update(mrr10=float("nan"), r1=float("nan"), r10=float("nan"))
        result["rows"].append(row)
    index.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="stdlib", help="stdlib, go, or both: stdlib,go")
    parser.add_argument("--tiers", default=",".join(TIERS))
    parser.add_argument("--max-queries", type=int, default=0, help="sample this many")
    parser.add_argument("--keep", help="build the trees and indexes here (kept)")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--latency", metavar="INDEX_DIR",
                        help="only time queries on this index (of --root), e.g. the "
                             "kernel's; no task is built")
    parser.add_argument("--root", help="with --latency: the indexed tree")
    parser.add_argument("--max-tokens", type=int,
                        help="cut the embedded texts here instead of semantic.MAX_TOKENS "
                             "(to measure truncation; use its own --keep directory)")
    parser.add_argument("--postings-budget", type=int,
                        help="lexical.POSTINGS_BUDGET for this run (0: none), to measure "
                             "what the budget costs in quality and saves in time")
    args = parser.parse_args()
    if args.postings_budget is not None:
        from ragex import lexical

        lexical.POSTINGS_BUDGET = args.postings_budget or 1 << 62
    if args.max_tokens:
        from ragex import semantic

        semantic.MAX_TOKENS = args.max_tokens
    tiers = [t for t in args.tiers.split(",") if t]
    results = []
    if args.latency:
        if not args.root:
            parser.error("--latency needs --root, the tree the index is of")
        results.append(latency(args.root, args.latency, tiers, args.max_queries or 300))
    else:
        with tempfile.TemporaryDirectory(prefix="bench_search_") as tmp:
            for corpus in args.corpus.split(","):
                results.append(run(corpus, tiers, args.max_queries, args.keep or tmp))
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs\n")
    print("| corpus | tier | queries | MRR@10 | recall@1 | recall@10 | p50 ms | p95 ms | "
          "CPU p50 ms | CPU p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for row in r["rows"]:
            print(f"| {r['corpus']} | {row['tier']} | {row['queries']} | {row['mrr10']:.3f} | "
                  f"{row['r1']:.3f} | {row['r10']:.3f} | {row['p50_ms']:.1f} | "
                  f"{row['p95_ms']:.1f} | {row['cpu_p50_ms']:.1f} | {row['cpu_p95_ms']:.1f} |")
    print("\n| corpus | files | symbols | index s | index MB | embedded | embed s | "
          "per s | device | vectors MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if "files" not in r:
            continue
        print(f"| {r['corpus']} | {r['files']} | {r['symbols']} | {r['index_seconds']} | "
              f"{r['index_mb']} | {r.get('embedded', '-')} | {r.get('embed_seconds', '-')} | "
              f"{r.get('embed_per_second', '-')} | {r.get('device', '-')} | "
              f"{r.get('vectors_mb', '-')} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
