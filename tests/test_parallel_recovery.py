"""The recovery table of the design, each row with a real fault in a real worker process.

Faults are injected with RAGEX_DEBUG_FAULT (see ragex/faults.py): the worker really
raises, really gets SIGKILL or SIGSEGV, really hangs, really allocates. Nothing is mocked;
the production pool code runs.
"""

import os
import signal
import threading
import time

import pytest

from conftest import FIXTURES
from ragex.config import load_config
from ragex.parallel import ParallelSymbolExtractor, make_tasks


def make_corpus(tmp_path, count=30):
    paths = []
    for i in range(count):
        path = tmp_path / f"mod{i:02d}.py"
        path.write_text(f"def f{i}(x):\n    return x\n\nclass C{i}:\n    def m(self):\n        pass\n")
        paths.append(str(path))
    return paths


def run(tmp_path, paths, **flags):
    settings = {"use_parallel": True, "max_workers": 2, "max_batch_size": 8}
    settings.update(flags)
    config = load_config(flags=settings, environ={})
    with ParallelSymbolExtractor(config) as extractor:
        results = list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        stats = extractor.last_stats
    by_path = {}
    for result in results:
        assert result.rel_path not in by_path, f"{result.rel_path} reported twice"
        by_path[result.rel_path] = result
    assert sorted(by_path) == sorted(os.path.relpath(p, tmp_path) for p in paths)
    return by_path, stats


def assert_others_ok(by_path, culprit):
    for rel, result in by_path.items():
        if rel != culprit:
            assert result.status == "ok", (rel, result.status, result.error)
            assert [s.name for s in result.symbols if s.kind == "function"]


def test_clean_run_uses_workers(tmp_path):
    by_path, stats = run(tmp_path, make_corpus(tmp_path))
    assert stats.mode == "parallel" and stats.workers == 2
    assert all(r.status == "ok" for r in by_path.values())
    assert stats.worker_restarts == 0


def test_file_that_raises_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "raise:mod07.py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path))
    assert by_path["mod07.py"].status == "failed"
    assert "injected fault" in by_path["mod07.py"].error
    assert stats.worker_restarts == 0
    assert_others_ok(by_path, "mod07.py")


@pytest.mark.parametrize("action, words", [("crash", "SIGKILL"), ("segv", "SIGSEGV"),
                                           ("exit", "exited with status 3")])
def test_worker_death_isolates_the_culprit(tmp_path, monkeypatch, action, words):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", f"{action}:mod11.py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path))
    culprit = by_path["mod11.py"]
    assert culprit.status == "failed"
    assert words in culprit.error and "retried alone" in culprit.error
    assert stats.worker_restarts == 2  # the first death, then its retry alone
    assert_others_ok(by_path, "mod11.py")


@pytest.mark.slow
def test_hanging_file_times_out(tmp_path, monkeypatch):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "hang:mod03.py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path), process_timeout_seconds=1.0)
    culprit = by_path["mod03.py"]
    assert culprit.status == "timeout"
    assert "longer than 1.0 s" in culprit.error
    assert stats.worker_restarts == 1  # a hang is not retried: it would hang again
    assert_others_ok(by_path, "mod03.py")


def test_loading_a_grammar_is_not_charged_to_the_file(tmp_path):
    # ObjC's queries take over a second of CPU to compile (many on a loaded machine): a
    # file's deadline counts its extraction, not the worker's first load of its language
    shape = FIXTURES / "objc" / "Shape.m"
    paths = []
    for i in range(4):
        path = tmp_path / f"shape{i}.m"
        path.write_bytes(shape.read_bytes())
        paths.append(str(path))
    by_path, stats = run(tmp_path, paths, process_timeout_seconds=0.3, max_batch_size=1)
    assert {rel: r.status for rel, r in by_path.items()} == {
        f"shape{i}.m": "ok" for i in range(4)}
    assert stats.worker_restarts == 0


@pytest.mark.slow
def test_memory_hog_is_recycled(tmp_path, monkeypatch):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "oom:mod05.py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path), worker_memory_limit_mb=200)
    culprit = by_path["mod05.py"]
    assert culprit.status == "failed"
    assert "memory" in culprit.error.lower()
    assert stats.worker_restarts >= 1
    assert_others_ok(by_path, "mod05.py")


@pytest.mark.slow
def test_worker_that_kept_memory_is_replaced_between_batches(tmp_path, monkeypatch):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "leak:mod0[0-4].py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path), max_batch_size=2)
    assert all(r.status == "ok" for r in by_path.values())  # nothing lost, nothing failed
    assert stats.worker_recycles >= 1  # the worker that kept 96 MB was replaced...
    assert stats.worker_restarts == 0  # ...as a healthy worker, not after a fault
    assert stats.worker_peak_rss_mb < 96 * 5  # and no worker accumulated five leaks


def test_many_failures_degrade_but_still_isolate(tmp_path, monkeypatch):
    paths = make_corpus(tmp_path, 40)
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "exit:mod1*.py")  # ten crashing files
    by_path, stats = run(tmp_path, paths)
    assert stats.degraded
    failed = sorted(r for r, res in by_path.items() if res.status == "failed")
    assert failed == [f"mod1{i}.py" for i in range(10)]
    assert sum(r.status == "ok" for r in by_path.values()) == 30


def test_broken_grammar_skips_that_language_only(tmp_path, monkeypatch):
    paths = make_corpus(tmp_path, 10)
    go = tmp_path / "main.go"
    go.write_text("package main\n\nfunc main() {}\n")
    monkeypatch.setenv("RAGEX_DEBUG_BREAK_GRAMMAR", "go")
    by_path, _ = run(tmp_path, paths + [str(go)])
    assert by_path["main.go"].status == "skipped"
    assert "language go unavailable" in by_path["main.go"].error
    assert_others_ok(by_path, "main.go")


@pytest.mark.slow
def test_bad_files_each_get_a_reason(tmp_path):
    paths = make_corpus(tmp_path, 5)
    (tmp_path / "binary.py").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "latin1.py").write_bytes(b'def greet():\n    """caf\xe9"""\n')
    (tmp_path / "broken.py").write_text("def ok():\n    pass\n\ndef broken(:\n")
    (tmp_path / "huge.py").write_bytes(b"x = 1\n" * 300_000)
    minified = tmp_path / "min.js"
    minified.write_text("function a(){return 1};" + "var b=" + "1+" * 400_000 + "1;\n")
    gone = tmp_path / "gone.py"
    gone.write_text("x = 1\n")
    extra = [str(tmp_path / n) for n in
             ("binary.py", "empty.py", "latin1.py", "broken.py", "huge.py", "min.js")]
    tasks_paths = paths + extra + [str(gone)]
    config = load_config(flags={"use_parallel": True, "max_workers": 2,
                                "max_file_bytes": 1_000_000}, environ={})
    with ParallelSymbolExtractor(config) as extractor:
        tasks = make_tasks(tasks_paths, str(tmp_path))
        gone.unlink()
        results = {r.rel_path: r for r in extractor.iter_extract(tasks)}
    assert results["binary.py"].status == "skipped" and "binary" in results["binary.py"].error
    assert results["empty.py"].status == "ok"
    assert results["latin1.py"].status == "ok"
    assert "invalid UTF-8" in results["latin1.py"].warning
    greet = [s for s in results["latin1.py"].symbols if s.kind == "function"]
    assert [(s.name, s.doc) for s in greet] == [("greet", "caf\ufffd")]
    assert results["broken.py"].status == "ok" and "syntax" in results["broken.py"].warning
    assert "ok" in [s.name for s in results["broken.py"].symbols]
    assert results["huge.py"].status == "skipped" and "too large" in results["huge.py"].error
    assert results["min.js"].status == "ok"
    assert results["gone.py"].status == "failed" and "vanished" in results["gone.py"].error


def test_pool_is_reused_across_calls(tmp_path):
    paths = make_corpus(tmp_path)
    config = load_config(flags={"use_parallel": True, "max_workers": 2}, environ={})
    with ParallelSymbolExtractor(config) as extractor:
        list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        pids = [w.proc.pid for w in extractor.start().workers]
        list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        assert [w.proc.pid for w in extractor.start().workers] == pids
    for pid in pids:  # closed: the workers are gone
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_worker_that_never_begins_its_batch_is_replaced(tmp_path, monkeypatch):
    """A live worker that never reads its request (here really stopped with SIGSTOP
    between two runs): no file deadline runs while it shows idle, so without a start
    deadline the run would wait forever. Its batch goes back to the queue, no file fails."""
    from ragex import supervisor

    monkeypatch.setattr(supervisor, "BATCH_START_SECONDS", 2.0)
    paths = make_corpus(tmp_path)
    config = load_config(flags={"use_parallel": True, "max_workers": 2, "max_batch_size": 8},
                         environ={})
    with ParallelSymbolExtractor(config) as extractor:
        list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        stopped = [w.proc.pid for w in extractor.start().workers]
        for pid in stopped:
            os.kill(pid, signal.SIGSTOP)
        try:
            results = list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        finally:
            for pid in stopped:
                try:
                    os.kill(pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
        stats = extractor.last_stats
        assert sorted(r.rel_path for r in results) == sorted(
            os.path.relpath(p, tmp_path) for p in paths)
        assert all(r.status == "ok" for r in results)
        assert stats.worker_restarts >= 1  # (each stopped worker that was sent a batch)


def test_results_stream_before_the_run_ends(tmp_path):
    paths = make_corpus(tmp_path, 60)
    config = load_config(flags={"use_parallel": True, "max_workers": 2, "max_batch_size": 4},
                         environ={})
    seen_progress = []
    with ParallelSymbolExtractor(config) as extractor:
        iterator = extractor.iter_extract(make_tasks(paths, str(tmp_path)),
                                          progress=seen_progress.append)
        first = next(iterator)
        assert first.status == "ok"
        remaining = list(iterator)
    assert len(remaining) == 59
    final = seen_progress[-1]
    assert final.files_done == final.files_total == 60
    assert final.symbols == sum(len(r.symbols) for r in remaining + [first])
    assert len(final.workers) == 2


def test_few_files_need_no_pool(tmp_path):
    paths = make_corpus(tmp_path, 3)
    config = load_config(file_count=3, environ={})
    with ParallelSymbolExtractor(config) as extractor:
        results = list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        assert extractor.last_stats.mode == "one worker (few files)"
        assert extractor._pool is None  # no pool start-up: a one-off worker, closed
    assert len(results) == 3
    in_process = load_config(flags={"use_parallel": "false"}, environ={})
    with ParallelSymbolExtractor(in_process) as extractor:  # asked for: in-process
        assert len(list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))) == 3
        assert extractor.last_stats.mode == "sequential"


def test_async_api_streams_every_file(tmp_path):
    import asyncio

    paths = make_corpus(tmp_path, 30)
    config = load_config(flags={"use_parallel": True, "max_workers": 2}, environ={})

    async def scenario(extractor):
        results = await extractor.extract_symbols_parallel(paths, str(tmp_path))
        symbols = await extractor.extract_symbols_from_files(paths[:2], str(tmp_path))
        return results, symbols

    with ParallelSymbolExtractor(config) as extractor:
        results, symbols = asyncio.run(scenario(extractor))
    assert sorted(r.rel_path for r in results) == sorted(os.path.basename(p) for p in paths)
    assert [s.qualified_name for s in symbols if s.kind == "function"] == ["mod00.f0", "mod01.f1"]


def test_abandoned_run_leaves_a_working_pool(tmp_path):
    paths = make_corpus(tmp_path, 60)
    config = load_config(flags={"use_parallel": True, "max_workers": 2, "max_batch_size": 4},
                         environ={})
    with ParallelSymbolExtractor(config) as extractor:
        iterator = extractor.iter_extract(make_tasks(paths, str(tmp_path)))
        next(iterator)
        iterator.close()  # the caller stops mid-run (an exception, Ctrl-C)
        results = list(extractor.iter_extract(make_tasks(paths, str(tmp_path))))
        assert extractor.last_stats.worker_restarts == 0
    assert sorted(r.rel_path for r in results) == sorted(os.path.basename(p) for p in paths)
    assert all(r.status == "ok" for r in results)


@pytest.mark.slow
def test_spawn_start_method_works(tmp_path, monkeypatch):
    monkeypatch.setenv("RAGEX_START_METHOD", "spawn")  # the default off Linux
    by_path, stats = run(tmp_path, make_corpus(tmp_path, 30))
    assert stats.mode == "parallel" and all(r.status == "ok" for r in by_path.values())


@pytest.mark.slow
@pytest.mark.parametrize("fault, status, words", [
    ("hang", "timeout", "longer than 1.0 s"),
    ("oom", "failed", "memory"),
    ("crash", "failed", "SIGKILL"),
])
def test_an_incremental_update_of_few_files_is_protected_too(tmp_path, monkeypatch, fault,
                                                             status, words):
    """A one-file update (what an editor's save and the MCP server do all day) runs in a
    worker of its own in auto mode: a file that hangs, blows its memory or crashes the
    parser is stopped and recorded, and the index goes on."""
    from ragex.front import Index

    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("def a():\n    pass\n")
    (root / "b.py").write_text("def b():\n    pass\n")
    config = load_config(environ={}, flags={"process_timeout_seconds": "1",
                                            "worker_memory_limit_mb": "200"})
    index = Index(str(root), config=config)
    assert index.update().indexed == 2
    (root / "bad.py").write_text("def bad():\n    pass\n")
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", f"{fault}:bad.py")
    started = time.monotonic()
    summary = index.update()
    assert time.monotonic() - started < 15
    assert summary.extraction["mode"] == "one worker (few files)"
    [problem] = summary.problems
    assert problem["path"] == "bad.py" and problem["status"] == status
    assert words.lower() in problem["reason"].lower()
    assert index.search("b").items[0].symbol.path == "b.py"  # the rest still answers
    index.close()


@pytest.mark.slow
def test_a_worker_inside_a_hang_dies_with_its_killed_main_process(tmp_path):
    # a worker stuck in a grammar never reads its pipe again: without PR_SET_PDEATHSIG
    # (and the forkserver's "alive" pipe closed in workers) it spun on, orphaned
    import subprocess
    import sys

    import psutil

    (tmp_path / "a.py").write_text("def a():\n    pass\n" * 50)
    (tmp_path / "zz.py").write_text("z = 1\n")  # after a.py in the same batch: it hangs
    main = subprocess.Popen(
        [sys.executable, "-m", "ragex", "extract", str(tmp_path), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "RAGEX_DEBUG_FAULT": "hang:zz.py", "RAGEX_USE_PARALLEL": "true",
             "RAGEX_MAX_WORKERS": "1", "RAGEX_PROCESS_TIMEOUT_SECONDS": "120"})
    try:
        assert '"name": "a"' in main.stdout.readline()  # a.py is out: zz.py is next
        time.sleep(0.5)
        family = psutil.Process(main.pid).children(recursive=True)
        assert family, "no worker process"
    finally:
        main.kill()
        main.wait()
    gone, alive = psutil.wait_procs(family, timeout=10)
    for process in alive:  # leave nothing behind, whatever the outcome
        process.kill()
    assert not alive, [(p.pid, p.cmdline()[-1][:60]) for p in alive]


# A batch ahead: with tiny batches of tiny files each busy worker gets its next batch
# while it works on the current one. Whatever happens to the worker, that batch was never
# begun: it goes back to the queue, no file charged, every file reported once (`run`).
AHEAD = {"max_batch_size": 2, "target_batch_time": 0.0001}


@pytest.mark.parametrize("action", ["crash", "exit"])
def test_a_batch_sent_ahead_survives_its_workers_death(tmp_path, monkeypatch, action):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", f"{action}:mod2[0-4].py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path, 60), **AHEAD)
    assert stats.batches_ahead > 0
    failed = sorted(r for r, res in by_path.items() if res.status == "failed")
    assert failed == [f"mod2{i}.py" for i in range(5)]
    assert sum(r.status == "ok" for r in by_path.values()) == 55


@pytest.mark.slow
def test_a_batch_sent_ahead_survives_a_hang(tmp_path, monkeypatch):
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "hang:mod31.py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path, 60), process_timeout_seconds=1.0,
                         **AHEAD)
    assert stats.batches_ahead > 0
    assert by_path["mod31.py"].status == "timeout"
    assert_others_ok(by_path, "mod31.py")


@pytest.mark.slow
def test_a_retiring_worker_leaves_its_batch_ahead_to_another(tmp_path, monkeypatch):
    # a worker that kept memory exits after its batch, before reading the one sent ahead
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "leak:mod1[0-4].py")
    by_path, stats = run(tmp_path, make_corpus(tmp_path, 60), **AHEAD)
    assert stats.batches_ahead > 0
    assert all(r.status == "ok" for r in by_path.values())
    assert stats.worker_recycles >= 1 and stats.worker_restarts == 0


def test_the_main_process_reads_which_file_of_which_batch():
    import multiprocessing

    from ragex.worker import WorkerSlots

    slots = WorkerSlots(multiprocessing.get_context("fork"))
    assert slots.file_index(7) == WorkerSlots.IDLE and not slots.busy
    slots.begin_file(7, 3, time.monotonic())
    assert slots.file_index(7) == 3 and slots.busy
    assert slots.file_index(8) == WorkerSlots.IDLE  # the batch ahead is not begun
    slots.begin_file(8, 0, time.monotonic())
    assert slots.file_index(7) == WorkerSlots.IDLE and slots.file_index(8) == 0
    slots.set_idle()
    assert slots.file_index(8) == WorkerSlots.IDLE


def test_files_in_flight_are_handed_on_when_the_pool_breaks(tmp_path, monkeypatch):
    # the run is abandoned (PoolBroken) while workers hold a batch and a batch ahead: the
    # in-process fallback extracts every file they had not reported
    from ragex.supervisor import PoolBroken, SupervisedRun

    original, calls = SupervisedRun._supervise, {"n": 0}

    def supervise(self, busy):
        calls["n"] += 1
        if calls["n"] == 3 and any(w.batch or w.ahead for w in busy):
            raise PoolBroken("broken on purpose")
        yield from original(self, busy)

    monkeypatch.setattr(SupervisedRun, "_supervise", supervise)
    by_path, stats = run(tmp_path, make_corpus(tmp_path, 60), **AHEAD)
    assert all(r.status == "ok" for r in by_path.values())  # `run`: each once, none lost
    assert stats.mode == "sequential (worker pool broken)"


def test_a_request_too_big_for_the_socket_waits_for_an_idle_worker(tmp_path, monkeypatch):
    # a batch ahead whose request would not fit in a quarter of the worker's socket is
    # not sent ahead (a blocking send to a busy worker could deadlock both ends)
    from ragex import supervisor

    monkeypatch.setattr(supervisor, "SOCKET_BUFFER_BYTES", 4096)  # the kernel's floor
    deep = tmp_path / ("d" * 200) / ("e" * 200)
    deep.mkdir(parents=True)
    paths = make_corpus(deep, 300)
    done = []  # (in a thread: a regression would hang, not fail)
    thread = threading.Thread(target=lambda: done.append(
        run(tmp_path, paths, max_batch_size=64, target_batch_time=0.0001)), daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert done, "the run hung: a batch sent ahead blocked on a full socket"
    by_path, stats = done[0]
    assert all(r.status == "ok" for r in by_path.values())
    assert stats.batches_ahead == 0


def test_a_one_off_worker_is_not_charged_for_what_it_inherited(tmp_path, monkeypatch):
    # a one-off worker is a plain fork of this process: its RSS starts with this process's
    # pages (a library user's loaded model). Only what it adds counts against its limit:
    # a file that hangs in it (polled for a second) is a timeout, not a memory fault.
    from ragex.front import Index

    held = bytearray(260 * 1024 * 1024)  # touched: resident, shared with the fork
    held[::4096] = b"\x01" * len(held[::4096])
    root = tmp_path / "proj"
    root.mkdir()
    (root / "a.py").write_text("def a():\n    pass\n")
    config = load_config(environ={}, flags={"worker_memory_limit_mb": "200",
                                            "process_timeout_seconds": "1"})
    index = Index(str(root), config=config)
    try:
        index.update()
        (root / "bad.py").write_text("def bad():\n    pass\n")
        monkeypatch.setenv("RAGEX_DEBUG_FAULT", "hang:bad.py")
        summary = index.update()
        assert summary.extraction["mode"] == "one worker (few files)"
        [problem] = summary.problems
        assert problem["status"] == "timeout", problem["reason"]
    finally:
        index.close()
        del held
