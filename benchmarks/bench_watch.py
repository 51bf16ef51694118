"""How fast and how quietly a watched index follows its working tree.

    python benchmarks/bench_watch.py                            # stdlib
    python benchmarks/bench_watch.py --corpus linux --edits 30  # the kernel (tens of minutes)
    python benchmarks/bench_watch.py --corpus linux --no-switch  # edits and idle only

The corpus is copied to a temporary directory (`bench_index.prepare_tree`: hard links for
linux, Debian's `/*` ignore rule dropped) and made a git repository: commit `base`, and a
branch `switch` whose one commit touches `--switch-files` files (default 1000: 90% get a
new function appended, 5% are deleted, 5% are new files). Every file write below is a new
file renamed over the old one (as editors save; a hard-linked corpus stays untouched).

  ragex index       `python -m ragex index TREE --index-dir D --exclude site-packages`
                    after `git checkout switch` (and back): the time `ragex index` takes
                    for those changes; clean indexes of both branches are built too, in
                    fresh index directories (the ground truth below)
  branch switch     with `ragex mcp TREE --index-dir D` serving (it watches by default),
                    `git checkout switch` (then back to base): from the start of the
                    checkout to the watcher's last update once it has been quiet for 2 s;
                    then the watched index is compared with the clean index of that branch
                    (files: size, hash, status, symbol count; symbols: name, kind, lines,
                    signature, unless --no-symbol-compare). Target: ≤ 2 × `ragex index`
  edit → searchable `--edits` times: a new function appended to a random file (one
                    whose new content ragex's extractor reads as defining it: not a C
                    fragment file), then `search_symbols` (exact) sent until it returns the
                    new definition in that file; from the start of the write to that answer. Meanwhile another task sends
                    `search_symbols` calls back to back on the same session (the server is
                    serving other calls). Targets p50 ≤ 0.3 s, p95 ≤ 1 s
  idle              `--idle` seconds with nothing changing: CPU time (user + system) of the
                    server process and all its children (worker pool), by psutil, as a
                    share of one core; the same for `python -m ragex watch TREE` alone.
                    Target < 1%
  memory            RSS of the server process and of its children (the worker pool and
                    the forkserver), at idle and at their peak during the branch switches
                    (sampled every 0.1 s)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402
from bench_index import EXCLUDE, percentile, prepare_tree, ragex_cmd, sample_names  # noqa: E402

import psutil  # noqa: E402


def log(msg: str) -> None:
    print(f"[bench_watch] {msg}", file=sys.stderr, flush=True)


def git(tree: str, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost",
                    "-c", "core.autocrlf=false", "-c", "gc.auto=0", *args], cwd=tree,
                   check=True, stdout=subprocess.DEVNULL)


def replace_file(path: str, data: bytes) -> None:
    """Write as editors save: a new file renamed over the old one."""
    tmp = path + ".ragex-bench-tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def definition(path: str, name: str) -> bytes:
    if path.endswith((".c", ".h")):
        return f"\nint {name}(void) {{ return 0; }}\n".encode()
    if path.endswith(".go"):
        return f"\nfunc {name}() {{}}\n".encode()
    return f"\n\ndef {name}():\n    return 0\n".encode()


def definable(data: bytes, rel: str, name: str) -> bool:
    """Whether ragex's extractor finds `name` defined in `data` (not every file can take a
    definition at its end: a C fragment included into an array, a file ending inside a
    macro)."""
    from ragex.extract import extract_source
    from ragex.languages import language_for_path

    language = language_for_path(rel, data[:4096])
    if language is None:
        return False
    symbols, _ = extract_source(data, language, rel)
    return any(s.name == name for s in symbols)


def code_files(tree: str, index_dir: str) -> list[str]:
    conn = sqlite3.connect(f"file:{index_dir}/index.db?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute(
            "SELECT path FROM files WHERE status = 'ok' ORDER BY path")]
    finally:
        conn.close()


def make_branch(tree: str, files: list[str], count: int, rng: random.Random) -> dict:
    """Commit `base`, then a branch `switch` touching `count` files."""
    t0 = time.perf_counter()
    git(tree, "init", "-q", "-b", "base")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "base")
    git(tree, "checkout", "-q", "-b", "switch")
    chosen = rng.sample(files, min(count, len(files)))
    deleted = chosen[:count // 20]
    added = count // 20
    modified = chosen[len(deleted):count - added]
    for i, rel in enumerate(modified):
        path = os.path.join(tree, rel)
        with open(path, "rb") as fh:
            data = fh.read()
        replace_file(path, data + definition(rel, f"ragex_switch_{i}"))
    for rel in deleted:
        os.remove(os.path.join(tree, rel))
    ext = os.path.splitext(files[0])[1] or ".py"
    for i in range(added):
        rel = f"ragex_bench_new/n{i}{ext}"
        os.makedirs(os.path.join(tree, "ragex_bench_new"), exist_ok=True)
        replace_file(os.path.join(tree, rel), definition(rel, f"ragex_new_{i}").lstrip())
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "switch")
    git(tree, "checkout", "-q", "base")
    return {"modified": len(modified), "deleted": len(deleted), "added": added,
            "git_seconds": time.perf_counter() - t0}


def run_index(tree: str, index_dir: str) -> tuple[float, dict]:
    t0 = time.perf_counter()
    proc = subprocess.run(ragex_cmd("index", tree, "--index-dir", index_dir, "--json",
                                    "--no-progress", "--exclude", EXCLUDE),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"ragex index failed: {proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout)


def index_content(index_dir: str, symbols: bool) -> tuple:
    conn = sqlite3.connect(f"file:{index_dir}/index.db?mode=ro", uri=True)
    try:
        files = sorted(conn.execute("SELECT path, size, hash, language, status, reason, "
                                    "symbol_count FROM files"))
        if not symbols:
            return files, conn.execute("SELECT count(*) FROM symbols").fetchone()[0]
        rows = sorted(conn.execute(
            "SELECT f.path, s.qualified_name, s.kind, s.start_line, s.end_line, "
            "s.start_byte, s.end_byte, s.signature FROM symbols s "
            "JOIN files f ON f.id = s.file_id"))
        return files, rows
    finally:
        conn.close()


def difference(got: tuple, want: tuple) -> str:
    gf, wf = {r[0]: r for r in got[0]}, {r[0]: r for r in want[0]}
    missing, extra = sorted(set(wf) - set(gf)), sorted(set(gf) - set(wf))
    changed = sorted(p for p in set(gf) & set(wf) if gf[p] != wf[p])
    return (f"{len(missing)} files missing {missing[:3]}, {len(extra)} extra {extra[:3]}, "
            f"{len(changed)} differ {changed[:3]}")


def watch_state(index_dir: str) -> Optional[dict]:
    try:
        with open(os.path.join(index_dir, "watch.json")) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def wait_quiet(index_dir: str, since: float, quiet: float = 2.0, timeout: float = 3600
               ) -> Optional[dict]:
    """The watcher's state once it caught up after `since` and did nothing for `quiet` s."""
    deadline = time.monotonic() + timeout
    last_key, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = watch_state(index_dir) or {}
        key = (state.get("updates"), state.get("caught_up"), state.get("pending"),
               state.get("updating"), state.get("checking"))
        if key != last_key:
            last_key, stable_since = key, time.monotonic()
        done = (state.get("caught_up") or 0) >= since and not state.get("pending") \
            and not state.get("updating") and not state.get("checking")
        if done and time.monotonic() - stable_since >= quiet:
            return state
        time.sleep(0.05)
    return None


class Sampler:
    """Peak RSS of a process and of its children, every 0.1 s, while running."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak_main = self.peak_children = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            main, children = rss(self.proc)
            self.peak_main = max(self.peak_main, main)
            self.peak_children = max(self.peak_children, children)


def rss(proc: psutil.Process) -> tuple[int, int]:
    try:
        main = proc.memory_info().rss
    except psutil.Error:
        return 0, 0
    children = 0
    for child in proc.children(recursive=True):
        try:
            children += child.memory_info().rss
        except psutil.Error:
            pass
    return main, children


def cpu_seconds(proc: psutil.Process) -> float:
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def idle_cpu(proc: psutil.Process, seconds: float) -> dict:
    """CPU share of one core used by `proc` and its children over `seconds`."""
    before, t0 = cpu_seconds(proc), time.perf_counter()
    pids_before = {p.pid for p in proc.children(recursive=True)}
    time.sleep(seconds)
    after, wall = cpu_seconds(proc), time.perf_counter() - t0
    pids_after = {p.pid for p in proc.children(recursive=True)}
    main, children = rss(proc)
    return {"cpu_seconds": after - before, "wall": wall,
            "percent": 100 * (after - before) / wall, "children": len(pids_after),
            "children_changed": pids_before != pids_after,
            "rss_main_mb": main / 2**20, "rss_children_mb": children / 2**20}


def server_process() -> psutil.Process:
    for child in psutil.Process().children(recursive=True):
        try:
            if "mcp" in child.cmdline() and "ragex" in " ".join(child.cmdline()):
                return child
        except psutil.Error:
            pass
    raise SystemExit("the ragex mcp process was not found among this process's children")


async def serve_and_measure(tree: str, index_dir: str, args, clean: dict, names: list[str],
                            files: list[str], rng: random.Random) -> dict:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "ragex", "mcp", tree, "--index-dir", index_dir, "--exclude", EXCLUDE],
        env=dict(os.environ))
    out: dict = {}
    errlog = open(os.path.join(os.path.dirname(index_dir), "server.log"), "w")
    try:
        async with stdio_client(params, errlog=errlog) as (r, w):
            async with ClientSession(r, w) as session:
                await session.initialize()
                t0 = time.time()
                await session.call_tool("index_status", {})  # starts the watcher's check
                state = await asyncio.to_thread(wait_quiet, index_dir, t0, 1.0)
                out["start_check_s"] = (state or {}).get("caught_up", t0) - t0
                server = server_process()
                log(f"server pid {server.pid}: start check done in "
                    f"{out['start_check_s']:.2f} s")

                # ---- branch switches
                switches = []
                with Sampler(server.pid) as sampler:
                    for branch in () if args.no_switch else ("switch", "base"):
                        t_start = time.time()
                        git(tree, "checkout", "-q", branch)
                        t_git = time.time() - t_start
                        state = await asyncio.to_thread(wait_quiet, index_dir, t_start, 2.0)
                        if state is None:
                            switches.append({"branch": branch, "error": "never caught up"})
                            continue
                        seconds = state["caught_up"] - t_start
                        got = index_content(index_dir, not args.no_symbol_compare)
                        equal = got == clean[branch]
                        switches.append({"branch": branch, "seconds": seconds,
                                         "git_checkout_s": t_git, "equal": equal,
                                         "difference": None if equal else
                                         difference(got, clean[branch]),
                                         "last_update": state.get("last_update")})
                        log(f"switch to {branch}: caught up {seconds:.2f} s after the "
                            f"checkout began (git took {t_git:.2f} s); equal to a clean "
                            f"index: {equal}")
                out["switches"] = switches
                out["peak_rss_main_mb"] = sampler.peak_main / 2**20
                out["peak_rss_children_mb"] = sampler.peak_children / 2**20

                # ---- edits, while other calls are served
                stop = asyncio.Event()
                others: list[float] = []

                async def other_calls() -> None:
                    k = 0
                    while not stop.is_set():
                        t = time.perf_counter()
                        await session.call_tool("search_symbols",
                                                {"query": names[k % len(names)]})
                        others.append(time.perf_counter() - t)
                        k += 1

                background = asyncio.create_task(other_calls())
                latencies, misses, unparsable = [], 0, 0
                run = int(time.time())  # names no earlier run (--reuse) left in the tree
                for i in range(args.edits):
                    name = f"ragex_edit_{run}_{i}_{rng.randrange(10**6)}"
                    while True:  # a file where the appended definition is one (not in a
                        rel = rng.choice(files)  # fragment file tree-sitter reads otherwise)
                        path = os.path.join(tree, rel)
                        with open(path, "rb") as fh:
                            data = fh.read() + definition(rel, name)
                        if definable(data, rel, name):
                            break
                        unparsable += 1
                    t = time.perf_counter()
                    await asyncio.to_thread(replace_file, path, data)
                    while True:
                        res = await session.call_tool("search_symbols",
                                                      {"query": name, "match": "exact"})
                        hits = (res.structured_content or {}).get("results") or []
                        if rel in [h["path"] for h in hits]:
                            latencies.append(time.perf_counter() - t)
                            break
                        if time.perf_counter() - t > 30:
                            misses += 1
                            break
                    await asyncio.sleep(args.pause)
                stop.set()
                await background
                out["edits"] = {"n": len(latencies), "misses": misses,
                                "files_passed_over": unparsable,
                                "p50_s": percentile(latencies, 0.5),
                                "p95_s": percentile(latencies, 0.95),
                                "max_s": max(latencies) if latencies else None,
                                "other_calls": len(others),
                                "other_p50_ms": percentile(others, 0.5) * 1000,
                                "other_p95_ms": percentile(others, 0.95) * 1000}
                log(f"edits: p50 {out['edits']['p50_s']:.3f} s, p95 "
                    f"{out['edits']['p95_s']:.3f} s ({len(others)} other calls meanwhile)")

                # ---- idle
                await asyncio.to_thread(wait_quiet, index_dir, 0, 1.0)
                if args.idle:
                    log(f"idle: {args.idle:g} s of nothing (ragex mcp)")
                    before = await embedding_state(session)
                    out["idle_mcp"] = await asyncio.to_thread(idle_cpu, server, args.idle)
                    after = await embedding_state(session)
                    if before and before.get("state") == "embedding":
                        # the one-time pass of the [semantic] extra: work, not idling
                        out["idle_mcp"]["embedding"] = {
                            "state": after.get("state"), "total": after.get("total"),
                            "embedded": (after.get("embedded") or 0)
                            - (before.get("embedded") or 0)}
    finally:
        errlog.close()
    return out


async def embedding_state(session) -> dict:
    """The server's background embedding (the `[semantic]` extra), from index_status."""
    res = await session.call_tool("index_status", {})
    return (res.structured_content or {}).get("embedding") or {}


def idle_cli(tree: str, index_dir: str, seconds: float) -> dict:
    proc = subprocess.Popen(ragex_cmd("watch", tree, "--index-dir", index_dir, "--exclude",
                                      EXCLUDE), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        t0 = time.time()
        if wait_quiet(index_dir, t0, 1.0, timeout=600) is None:
            return {"error": "the watcher never caught up"}
        log(f"idle: {seconds:g} s of nothing (ragex watch)")
        return idle_cpu(psutil.Process(proc.pid), seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="stdlib", help="a corpus name from corpora.py")
    ap.add_argument("--switch-files", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--pause", type=float, default=0.3, help="seconds between two edits")
    ap.add_argument("--idle", type=float, default=60.0, help="seconds of idle measured")
    ap.add_argument("--no-symbol-compare", action="store_true",
                    help="compare files and symbol counts only (the kernel: 5 M symbols)")
    ap.add_argument("--no-switch", action="store_true",
                    help="skip the branch switches (and their clean indexes): edits and idle only")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and leave it")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: the tree and index an earlier run left in DIR, brought "
                         "up to date (no copy, no cold index)")
    ap.add_argument("--json", metavar="FILE", help="write the raw numbers")
    args = ap.parse_args(argv)
    if args.reuse and not (args.keep and os.path.isdir(os.path.join(args.keep, "tree"))):
        ap.error("--reuse needs --keep DIR where an earlier run left its tree")
    if shutil.which("git") is None:
        raise SystemExit("git is needed (apt-get install git)")
    rng = random.Random(args.seed)
    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="ragex-watch-")
    os.makedirs(work, exist_ok=True)
    load_start = os.getloadavg()
    res: dict = {"corpus": args.corpus, "python": platform.python_version(),
                 "cores": os.cpu_count()}
    try:
        tree = os.path.join(work, "tree") if args.reuse else prepare_tree(args.corpus, work)
        res["reused"] = bool(args.reuse)
        index_dir = os.path.join(work, "index")
        log("indexing the tree (the watched index)")
        res["cold_index_s"], summary = run_index(tree, index_dir)
        files = code_files(tree, index_dir)
        res["files"], res["symbols"] = summary["total_files"], summary["total_symbols"]
        res["index_s"] = {}
        clean = {}
        if not args.no_switch:
            log(f"git repository with a branch touching {args.switch_files} files")
            res["branch"] = make_branch(tree, files, args.switch_files, rng)
        for branch in () if args.no_switch else ("switch", "base"):
            git(tree, "checkout", "-q", branch)
            wall, summary = run_index(tree, index_dir)
            res["index_s"][branch] = {"wall": wall, "indexed": summary["indexed"],
                                      "removed": summary["removed"],
                                      "seconds": summary["seconds"]}
            log(f"ragex index after checkout {branch}: {wall:.2f} s "
                f"({summary['indexed']} indexed, {summary['removed']} removed)")
            clean_dir = os.path.join(work, f"clean-{branch}")
            shutil.rmtree(clean_dir, ignore_errors=True)
            run_index(tree, clean_dir)
            clean[branch] = index_content(clean_dir, not args.no_symbol_compare)
            shutil.rmtree(clean_dir, ignore_errors=True)
        from ragex.store import IndexStore

        store = IndexStore(index_dir, readonly=True)
        names = sample_names(store, 200, rng)
        store.close()
        files = code_files(tree, index_dir)
        res.update(asyncio.run(serve_and_measure(tree, index_dir, args, clean, names, files,
                                                 rng)))
        if args.idle:
            res["idle_watch"] = idle_cli(tree, index_dir, args.idle)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    res["load"] = [load_start[0], os.getloadavg()[0]]
    report(res, args)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=1, default=str)
    return 0


def report(res: dict, args) -> None:
    b = res.get("branch")
    print(f"\ncorpus `{res['corpus']}`: {res['files']:,} files, {res['symbols']:,} symbols; "
          f"{'`ragex index` of the reused tree' if res.get('reused') else 'cold `ragex index`'} "
          f"{res['cold_index_s']:.1f} s; Python {res['python']}, "
          f"{res['cores']} cores; load {res['load'][0]:.2f} at start, {res['load'][1]:.2f} "
          f"at end\n")
    print("| what | measured | target |")
    print("|---|---:|---|")
    e = res.get("edits") or {}
    if e.get("n"):
        met = "met" if e["p50_s"] <= 0.3 and e["p95_s"] <= 1 else "NOT met"
        missed = f"; {e['misses']} never found" if e.get("misses") else ""
        print(f"| edit → searchable over MCP, p50 / p95 / max ({e['n']} edits; "
              f"{e['other_calls']} other `search_symbols` served meanwhile, p50 "
              f"{e['other_p50_ms']:.1f} ms) | {e['p50_s']:.3f} / {e['p95_s']:.3f} / "
              f"{e['max_s']:.3f} s | p50 ≤ 0.3 s, p95 ≤ 1 s: {met}{missed} |")
    for s in res.get("switches", []):
        touched = f"{b['modified']} changed, {b['deleted']} deleted, {b['added']} added"
        ref = res["index_s"][s["branch"]]["wall"]
        if "error" in s:
            print(f"| branch switch to `{s['branch']}` | {s['error']} | |")
            continue
        ratio = s["seconds"] / ref
        print(f"| `git checkout {s['branch']}` ({touched}) → watched index equal to a clean "
              f"index: {s['equal']} | {s['seconds']:.2f} s (`ragex index` of the same "
              f"change: {ref:.2f} s; **{ratio:.2f}×**) | ≤ 2×: "
              f"{'met' if ratio <= 2 and s['equal'] else 'NOT met'} |")
    for key, what in (("idle_mcp", "`ragex mcp` (watching) and its children"),
                      ("idle_watch", "`ragex watch` and its children")):
        i = res.get(key)
        if i and "percent" in i and i.get("embedding"):
            e = i["embedding"]
            print(f"| CPU over {i['wall']:.0f} s with no file changing: {what}, during the "
                  f"one-time background embedding of the `[semantic]` extra ({e['embedded']} "
                  f"of {e['total']} definitions embedded in these seconds; set "
                  f"RAGEX_EMBED_IN_BACKGROUND=false for the idle figure) | "
                  f"{i['percent']:.2f}% of a core ({i['cpu_seconds']:.2f} s) | not idle |")
        elif i and "percent" in i:
            print(f"| idle CPU over {i['wall']:.0f} s: {what} | {i['percent']:.2f}% of a "
                  f"core ({i['cpu_seconds']:.2f} s) | < 1%: "
                  f"{'met' if i['percent'] < 1 else 'NOT met'} |")
    i = res.get("idle_mcp") or {}
    if i:
        print(f"| memory of `ragex mcp` at idle: the server / its {i['children']} children "
              f"(worker pool, forkserver) | {i['rss_main_mb']:.0f} / "
              f"{i['rss_children_mb']:.0f} MB RSS | reported |")
    if res.get("peak_rss_main_mb"):
        print(f"| peak during the branch switches: the server / its children | "
              f"{res['peak_rss_main_mb']:.0f} / {res['peak_rss_children_mb']:.0f} MB RSS | "
              f"reported |")
    i = res.get("idle_watch") or {}
    if i and "rss_main_mb" in i:
        print(f"| memory of `ragex watch` at idle: the process / its {i['children']} "
              f"children | {i['rss_main_mb']:.0f} / {i['rss_children_mb']:.0f} MB RSS | "
              f"reported |")
    print(f"\nstart check of the server (nothing changed): {res.get('start_check_s', 0):.2f} s"
          + (f"; git set-up {b['git_seconds']:.1f} s" if b else ""))


if __name__ == "__main__":
    sys.exit(main())
