"""The vector tier's graph (ragex.ann) against exact search: build time, memory, query
time and recall@10, at a size exact search no longer suits.

    python benchmarks/bench_ann.py                        # 1M synthetic vectors
    python benchmarks/bench_ann.py --synthetic 200000
    python benchmarks/bench_ann.py --vectors INDEX_DIR    # an embedded index's vectors

Synthetic: unit vectors of 384 dimensions around 4,000 random centres (clustered, as
embeddings of code are), queries = 200 of them moved by noise. `--vectors`: the real
vectors of an index (`ragex embed` wrote them to INDEX_DIR/vectors.db); 200 of them are
held out as the queries and the graph holds the rest. Exact = numpy over float32 (as
`semantic.VectorSearch` below `ann.EXACT_MAX`); graph = usearch built with ragex's own
settings (`ann._new_graph`: int8, cosine, `ann.EXPANSION_SEARCH`), 2 threads to build,
one to search. recall@10 = the share of exact search's 10 nearest the graph returns.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))
from ragex import ann  # noqa: E402
from ragex.semantic import DIMENSION, VECTORS_DB  # noqa: E402

QUERIES = 200


def synthetic(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4000, DIMENSION)).astype(np.float32)
    data = np.empty((n, DIMENSION), dtype=np.float32)
    for lo in range(0, n, 100_000):  # (in parts: flat memory)
        hi = min(n, lo + 100_000)
        part = centres[rng.integers(0, len(centres), hi - lo)]
        data[lo:hi] = part + 0.6 * rng.normal(size=part.shape).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    queries = data[rng.integers(0, n, QUERIES)] + 0.05 * rng.normal(
        size=(QUERIES, DIMENSION)).astype(np.float32)
    return data, queries / np.linalg.norm(queries, axis=1, keepdims=True)


def real(index_dir: str, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    path = os.path.join(index_dir, VECTORS_DB)
    if not os.path.isfile(path):
        sys.exit(f"bench_ann: no {VECTORS_DB} in {index_dir}: run `ragex embed` on that index")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    data = ann.as_matrix((r[0] for r in conn.execute("SELECT vec FROM vectors")), DIMENSION)
    if len(data) <= QUERIES + 10:
        sys.exit(f"bench_ann: {len(data)} vectors in {path}: {QUERIES} are held out as "
                 "queries; embed more")
    held = np.random.default_rng(seed).choice(len(data), QUERIES, replace=False)
    rest = np.ones(len(data), dtype=bool)
    rest[held] = False
    return data[rest], data[held]


def percentiles(times: list[float]) -> str:
    times = sorted(times)
    return f"{statistics.median(times) * 1000:.2f} / {times[int(len(times) * 0.95)] * 1000:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="vectors to make")
    parser.add_argument("--vectors", metavar="INDEX_DIR", help="use an index's real vectors")
    args = parser.parse_args()
    if not args.vectors and args.synthetic <= 10 * QUERIES:
        parser.error(f"--synthetic {args.synthetic}: give more than {10 * QUERIES} vectors")
    data, queries = real(args.vectors) if args.vectors else synthetic(args.synthetic)
    what = f"{args.vectors} (real)" if args.vectors else "synthetic"
    print(f"{len(data):,} vectors ({what}), {len(queries)} queries", flush=True)

    exact_times, truth = [], []
    for q in queries:
        t = time.perf_counter()
        scores = np.einsum("ij,j->i", data, q)
        top = np.argpartition(-scores, 9)[:10]
        exact_times.append(time.perf_counter() - t)
        truth.append(set(int(i) for i in top))

    graph = ann._new_graph(DIMENSION)
    t, cpu = time.perf_counter(), time.process_time()
    graph.add(np.arange(len(data), dtype=np.uint64), data, threads=2)
    build_s, build_cpu = time.perf_counter() - t, time.process_time() - cpu
    graph_times, found = [], 0
    for q, best in zip(queries, truth):
        t = time.perf_counter()
        keys = graph.search(q, 10).keys
        graph_times.append(time.perf_counter() - t)
        found += len(best & set(int(k) for k in keys))
    print()
    print("| search | vectors | build s (CPU s) | memory MB | query p50 / p95 ms | recall@10 |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| exact, numpy float32 | {len(data):,} | – | {data.nbytes / 1e6:,.0f} | "
          f"{percentiles(exact_times)} | 1.000 |")
    print(f"| graph, usearch int8 (ragex.ann) | {len(data):,} | {build_s:.1f} ({build_cpu:.1f}) "
          f"| {graph.memory_usage / 1e6:,.0f} | {percentiles(graph_times)} | "
          f"{found / (10 * len(queries)):.3f} |")
    print(f"\nload average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
