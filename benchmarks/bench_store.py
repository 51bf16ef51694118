"""What the store costs the main process, without extraction: a built index's rows replayed.

    python benchmarks/bench_store.py INDEX_DIR              # e.g. one bench_index --keep left
    python benchmarks/bench_store.py INDEX_DIR --repeat 3 --commit-every 400

Reads every file's symbols, references and lexical rows from INDEX_DIR (once, into memory),
then writes them into a new index in a temporary directory the way a cold `ragex index`
does (`begin_bulk`, `put_file` per file, a commit every `--commit-every` files, `end_bulk`),
in a fresh child process per repeat, and prints the CPU seconds of the writes and commits
and of `end_bulk`. No worker runs: on two cores every one of these seconds is shared with
them in a real build (README, "Cold index: the main process").
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time


def load_rows(index_dir: str) -> list[tuple]:
    """Per file: (path, size, mtime_ns, hash, language, status, symbols, documents, refs),
    in the worker's formats (symbols as Symbol-field tuples, refs in Reference order,
    documents with the symbol's position in the file)."""
    from ragex.store import _LIST_INDEXES, _SYMBOL_COLUMNS

    conn = sqlite3.connect(f"file:{os.path.join(index_dir, 'index.db')}?mode=ro", uri=True)
    files = []
    for fid, path, size, mtime, digest, language, status in conn.execute(
            "SELECT id, path, size, mtime_ns, hash, language, status FROM files ORDER BY id"):
        rows = conn.execute(f"SELECT id, {', '.join(_SYMBOL_COLUMNS)} FROM symbols "
                            "WHERE file_id = ? ORDER BY id", (fid,)).fetchall()
        position = {row[0]: i for i, row in enumerate(rows)}
        symbols = []
        for row in rows:
            values = list(row[1:])
            for i in _LIST_INDEXES:
                values[i] = tuple(values[i].split("\x1f")) if values[i] else ()
            symbols.append(tuple(values))
        refs = conn.execute("SELECT name, kind, qualifier, alias, line, col FROM refs "
                            "WHERE file_id = ? ORDER BY line, col", (fid,)).fetchall()
        documents = [(position[r[0]], *r[1:]) for r in conn.execute(
            "SELECT symbol_id, chunk, start_line, end_line, name, scope, doc, sig, body "
            "FROM lex_docs WHERE file_id = ? ORDER BY id", (fid,))]
        files.append((path, size, mtime, digest, language, status, symbols, documents, refs))
    conn.close()
    return files


def replay(files: list[tuple], commit_every: int) -> dict:
    from ragex.store import IndexStore

    with tempfile.TemporaryDirectory(prefix="ragex-bench-store-") as work:
        store = IndexStore(work)
        started = time.process_time()
        store.begin_bulk()
        store.begin()
        for n, (path, size, mtime, digest, language, status, symbols, documents,
                refs) in enumerate(files, 1):
            store.put_file(path, size, mtime, digest, language, status, None, None, symbols,
                           fingerprint="replay", documents=documents, refs=refs)
            if n % commit_every == 0:
                store.commit()
                store.begin()
        store.commit()
        writes = time.process_time() - started
        store.end_bulk()
        end = time.process_time() - started - writes
        store.close()
    return {"writes_cpu_s": writes, "end_cpu_s": end, "total_cpu_s": writes + end}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("index_dir")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--commit-every", type=int, default=40,
                    help="files per commit (a cold build commits every 0.3 s or 500 files)")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._child:
        with open(args._child, "rb") as fh:
            files = pickle.load(fh)
        print(json.dumps(replay(files, args.commit_every)))
        return 0
    files = load_rows(args.index_dir)
    print(f"{len(files)} files, {sum(len(f[6]) for f in files):,} symbols, "
          f"{sum(len(f[8]) for f in files):,} references, "
          f"{sum(len(f[7]) for f in files):,} lexical rows", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as fh:
        pickle.dump(files, fh, pickle.HIGHEST_PROTOCOL)
    runs = []
    try:
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, os.path.abspath(__file__), args.index_dir,
                                  "--commit-every", str(args.commit_every), "--_child",
                                  fh.name], check=True, capture_output=True, text=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print({k: round(v, 2) for k, v in runs[-1].items()}, flush=True)
    finally:
        os.unlink(fh.name)
    print(f"median CPU s: writes and commits "
          f"{statistics.median(r['writes_cpu_s'] for r in runs):.2f}, end_bulk "
          f"{statistics.median(r['end_cpu_s'] for r in runs):.2f}, total "
          f"{statistics.median(r['total_cpu_s'] for r in runs):.2f}; load "
          f"{os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
