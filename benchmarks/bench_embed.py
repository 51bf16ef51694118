"""How long embedding an index takes on this machine: texts per second by setting.

    ragex index /usr/lib/python3.11 --exclude site-packages --index-dir IDX
    python benchmarks/bench_embed.py IDX                      # the default settings
    python benchmarks/bench_embed.py IDX --sample 400 --tokens 128,64 --batch 32 \\
        --threads 2 --spinning on,off

What the vector tier would embed of the index (`semantic.embed_plan`: how many
definitions, how many left out and why), then, for each setting, the same fixed sample
of those texts (every k-th, so long and short alike) embedded by `semantic.Embedder`:
CPU seconds of the process and wall seconds, texts per CPU-second and per wall second,
and the projected time for the whole index on the cores given (`--cores`, default 2):
count / (per CPU-second × cores), which assumes the cores free; the wall rate under
the load of the moment is printed beside it with the load average. Nothing is written
to the index.

    python benchmarks/bench_embed.py IDX --symbol-latency ROOT   # the MCP server's case

`--symbol-latency ROOT` (ROOT: the tree IDX indexes) times instead what a background
embedding pass does to symbol search in the same process, as the MCP server runs it (one
inference thread at the lowest priority, batches of `service.BACKGROUND_EMBED_BATCH`):
`search_symbols` of 200 names drawn from the index (auto match, 5 ms apart), p50 / p95
ms, alone, while the pass embeds, and alone again. The pass works on a copy of IDX with
no vectors (a temporary directory); IDX itself is not touched.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time

from ragex import semantic


def log(msg: str) -> None:
    print(f"[bench_embed] {msg}", file=sys.stderr, flush=True)


def sample_texts(conn: sqlite3.Connection, size: int) -> tuple[int, list[str]]:
    """(how many definitions the tier embeds, every k-th of their texts: `size` of them)."""
    rows = [sid for sid, _ in semantic._wanted_hashes(conn)]
    step = max(1, len(rows) // size)
    picked = rows[::step][:size]
    texts = semantic._texts(conn, picked)
    return len(rows), [texts[sid] for sid in picked if sid in texts]


def measure(texts: list[str], tokens: int, batch: int, threads: int, spinning: bool) -> dict:
    semantic.MAX_TOKENS = tokens  # read by the Embedder when it loads
    model = semantic.Embedder(device="cpu", threads=threads, spinning=spinning)
    model.batch = batch
    model.embed(texts[:batch])  # warm up: first-run allocations
    wall, cpu = time.perf_counter(), time.process_time()
    model.embed(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"tokens": tokens, "batch": batch, "threads": threads, "spinning": spinning,
            "texts": len(texts), "cpu_s": cpu, "wall_s": wall,
            "per_cpu_s": len(texts) / cpu, "per_wall_s": len(texts) / wall,
            "load": os.getloadavg()[0]}


def symbol_latency(index_dir: str, root: str, queries: int = 200) -> int:
    import random
    import shutil
    import statistics
    import tempfile
    import threading

    from ragex.front import Index
    from ragex.search import search_symbols
    from ragex.service import BACKGROUND_EMBED_BATCH

    with tempfile.TemporaryDirectory(prefix="bench_embed_") as work:
        copy = os.path.join(work, "index")
        shutil.copytree(index_dir, copy, ignore=shutil.ignore_patterns("vectors*"))
        index = Index(root, index_dir=copy)
        store = index.store()
        names = [n for (n,) in store.conn.execute("SELECT name FROM names ORDER BY id")]
        picked = random.Random(2).sample(names, min(queries, len(names)))

        def timed() -> tuple[float, float]:
            times = []
            for name in picked:
                started = time.perf_counter()
                search_symbols(store, name, match="auto", limit=20)
                times.append((time.perf_counter() - started) * 1000)
                time.sleep(0.005)
            times.sort()
            return statistics.median(times), times[int(0.95 * (len(times) - 1))]

        def embed() -> None:  # as RagexService._run_embedding runs it
            try:
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
            except (AttributeError, OSError):
                pass
            index.embed(stop=stop, threads=1, batch=BACKGROUND_EMBED_BATCH,
                        max_todo=10 ** 9)

        rows = [("alone", timed())]
        stop = threading.Event()
        thread = threading.Thread(target=embed, daemon=True)
        thread.start()
        time.sleep(3)  # the model loaded, the pass under way
        rows.append(("while a background pass embeds", timed()))
        stop.set()
        thread.join(60)
        log(f"pass stopped: {not thread.is_alive()}")
        rows.append(("alone again", timed()))
        embedded = sqlite3.connect(os.path.join(copy, semantic.VECTORS_DB)).execute(
            "SELECT count(*) FROM vectors").fetchone()[0]
        index.close()
    base = rows[0][1]
    print(f"symbol search, {len(picked)} names, load {os.getloadavg()[0]:.1f}; "
          f"{embedded} vectors embedded meanwhile\n")
    print("| | p50 ms | p95 ms | p50 × alone | p95 × alone |")
    print("|---|---:|---:|---:|---:|")
    for label, (p50, p95) in rows:
        print(f"| {label} | {p50:.2f} | {p95:.2f} | {p50 / base[0]:.2f} | {p95 / base[1]:.2f} |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index_dir", help="a ragex index directory (holds index.db)")
    parser.add_argument("--sample", type=int, default=400, help="texts embedded per setting")
    parser.add_argument("--tokens", default=str(semantic.MAX_TOKENS))
    parser.add_argument("--batch", default="32")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--spinning", default="off", help="off (the default), on, or on,off")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--symbol-latency", metavar="ROOT",
                        help="time symbol search while a background pass embeds (see above)")
    args = parser.parse_args()
    if args.symbol_latency:
        return symbol_latency(args.index_dir, args.symbol_latency)
    path = os.path.join(args.index_dir, "index.db")
    if not os.path.isfile(path):
        raise SystemExit(f"no index at {path}: build one with `ragex index ... --index-dir`")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    plan = semantic.embed_plan(conn)
    print("what the tier embeds: " + ", ".join(f"{k} {v:,}" for k, v in plan.items()))
    count, texts = sample_texts(conn, args.sample)
    log(f"{count:,} definitions to embed; sample of {len(texts)}")
    print(f"\n| tokens | batch | threads | spinning | texts | CPU s | wall s | per CPU-s | "
          f"per wall s | load | projected min on {args.cores} cores |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for tokens in [int(t) for t in args.tokens.split(",")]:
        for batch in [int(b) for b in args.batch.split(",")]:
            for threads in [int(t) for t in args.threads.split(",")]:
                for spin in args.spinning.split(","):
                    r = measure(texts, tokens, batch, threads, spin == "on")
                    minutes = count / (r["per_cpu_s"] * args.cores) / 60
                    print(f"| {tokens} | {batch} | {threads} | {spin} | {r['texts']} | "
                          f"{r['cpu_s']:.1f} | {r['wall_s']:.1f} | {r['per_cpu_s']:.1f} | "
                          f"{r['per_wall_s']:.1f} | {r['load']:.1f} | {minutes:.1f} |",
                          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
