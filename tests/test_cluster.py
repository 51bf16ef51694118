"""Extraction on a Dask cluster: the same results as the local pool, nothing lost.

Every test runs a real Dask cluster on 127.0.0.1: one started by ragex itself
(`--cluster local:2`, a LocalCluster of two worker processes) shared by the module, or,
for the scheduler's loss, a `dask scheduler` and a `dask worker` in processes of their
own. Faults are real: a Dask worker process gets SIGKILL from outside, files hang and
crash inside ragex's pools on the workers (RAGEX_DEBUG_FAULT), the scheduler is killed
mid-run. The ground truth is the local pool's output on the same files.
"""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

import psutil
import pytest

import ragex.cluster
from ragex.cli import main
from ragex.config import load_config
from ragex.discover import discover
from ragex.extract import ExtractionTask
from ragex.parallel import ParallelSymbolExtractor, shared_extractor

pytestmark = pytest.mark.slow  # a cluster takes 1-2 s to start on two busy cores

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
STDLIB = Path(sysconfig.get_paths()["stdlib"])
LOOPBACK = {"127.0.0.1", "::1"}


def build_tree(root: Path) -> Path:
    """A tree that exercises what a worker must get right without the client's files:
    every language fixture, stdlib packages (module names come from `__init__.py`
    files), a script known by its `#!` line only, a latin-1 file with a coding cookie,
    a binary file, an empty file, and a C++ header named `.h`."""
    shutil.copytree(FIXTURES, root / "fixtures",
                    ignore=shutil.ignore_patterns("*.expected"))
    for package in ("json", "email", "concurrent"):
        shutil.copytree(STDLIB / package, root / "lib" / package,
                        ignore=shutil.ignore_patterns("__pycache__", "test*"))
    for module in ("argparse.py", "textwrap.py", "fractions.py"):
        shutil.copy(STDLIB / module, root / "lib" / module)
    (root / "bin").mkdir()
    (root / "bin" / "deploy").write_text("#!/usr/bin/env python3\ndef main():\n    pass\n")
    (root / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\ndef caf\xe9():\n    pass\n")
    (root / "blob.py").write_bytes(b"def x():\n\0\0\0 pass\n")
    (root / "empty.py").write_text("")
    (root / "shapes.h").write_text("namespace geo {\nclass Shape {\n public:\n"
                                   "  virtual double area() const = 0;\n};\n}\n")
    return root


def tasks_of(root: Path) -> list[ExtractionTask]:
    return [ExtractionTask(f.path, f.rel_path, file_size=f.size, language=f.language)
            for f in discover(str(root))]


def outcome(results) -> dict:
    """{rel_path: everything a result says}, asserting each file came once."""
    out = {}
    for r in results:
        assert r.rel_path not in out, f"{r.rel_path} came back twice"
        out[r.rel_path] = (r.file_path, r.status, r.error, r.warning, r.language, r.size,
                           r.mtime_ns, r.content_hash, [tuple(s) for s in r.symbols])
    return out


def local_outcome(tasks, **flags) -> dict:
    config = load_config(flags={"use_parallel": True, "max_workers": 2, **flags})
    with ParallelSymbolExtractor(config) as extractor:
        return outcome(extractor.iter_extract(tasks))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    return build_tree(tmp_path_factory.mktemp("cluster") / "tree")


@pytest.fixture(scope="module")
def expected(tree):
    return local_outcome(tasks_of(tree))


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory):
    """Work for a few seconds: a worker can be killed while its batches run."""
    root = build_tree(tmp_path_factory.mktemp("cluster") / "big")
    for package in ("asyncio", "xml", "multiprocessing", "unittest", "logging"):
        shutil.copytree(STDLIB / package, root / "lib" / package,
                        ignore=shutil.ignore_patterns("__pycache__", "test*"))
    return root


@pytest.fixture(scope="module")
def big_expected(big_tree):
    return local_outcome(tasks_of(big_tree))


@pytest.fixture(scope="module")
def local_cluster():
    """An extractor on `--cluster local:2`: ragex starts the cluster (kept for the module)."""
    extractor = ParallelSymbolExtractor(load_config(flags={"cluster": "local:2"}))
    yield extractor
    extractor.close()


@pytest.fixture(scope="module")
def address(local_cluster, tree):
    """The scheduler address of the module's cluster, once it runs."""
    list(local_cluster.iter_extract(tasks_of(tree)[:3]))
    return local_cluster.last_stats.executor


def on_scheduler(address: str, **flags) -> ParallelSymbolExtractor:
    return ParallelSymbolExtractor(load_config(flags={"scheduler": address, **flags}))


@pytest.fixture
def inspector(address):
    """The test's own client of the module's cluster, to look at it and to kill workers."""
    import distributed

    client = distributed.Client(address, set_as_default=False, timeout=10)
    yield client
    client.close()


def test_local_cluster_extracts_what_the_local_pool_does(local_cluster, tree, expected):
    got = outcome(local_cluster.iter_extract(tasks_of(tree)))
    assert got == expected
    stats = local_cluster.last_stats
    assert stats.mode == "dask (paths)" and stats.files_mode == "paths"
    assert stats.dask_workers == 2 and stats.workers == 2
    assert stats.batches >= 2 and stats.worker_seconds > 0
    assert expected["bin/deploy"][4] == "python" and expected["shapes.h"][4] == "cpp"
    assert expected["blob.py"][1] == "skipped"


def test_content_shipped_from_the_client_extracts_the_same(address, tree, expected):
    with on_scheduler(address, cluster_files="content") as extractor:
        got = outcome(extractor.iter_extract(tasks_of(tree)))
        stats = extractor.last_stats
    assert got == expected  # module names, mtimes and hashes too, though no path was read
    assert stats.files_mode == "content" and stats.files_reason == "--cluster-files content"
    assert stats.bytes_shipped == sum(v[5] for v in expected.values())


def test_shipped_content_is_checked_against_the_hash_of_what_was_extracted(
        address, tree, monkeypatch):
    monkeypatch.setattr(ragex.cluster, "content_hash", lambda data: "0" * 32)
    with on_scheduler(address, cluster_files="content") as extractor:
        got = outcome(extractor.iter_extract(tasks_of(tree)[:5]))
    assert len(got) == 5
    for path, value in got.items():
        assert value[1] == "failed" and "arrived changed" in value[2], path
        assert value[8] == []  # nothing of a mismatched file is kept


def test_the_cluster_listens_on_loopback_only(local_cluster, address):
    me = psutil.Process()
    processes = [me] + me.children(recursive=True)
    listening, peers = [], []
    for proc in processes:
        try:
            connections = proc.net_connections(kind="inet")
        except psutil.NoSuchProcess:
            continue
        for c in connections:
            if c.status == psutil.CONN_LISTEN:
                listening.append((proc.pid, c.laddr.ip, c.laddr.port))
            elif c.raddr:
                peers.append((proc.pid, c.raddr.ip))
    # the scheduler and two nannies in this process, two workers in theirs (and more)
    assert len(listening) >= 5, listening
    assert {ip for _, ip, _ in listening} <= LOOPBACK, listening
    assert {ip for _, ip in peers} <= LOOPBACK, peers
    scheduler_port = int(address.rsplit(":", 1)[1])
    assert (me.pid, "127.0.0.1", scheduler_port) in listening


def kill_busy_worker_once(inspector, killed: dict):
    """A progress callback: SIGKILL the process of a Dask worker running a ragex batch."""

    def kill(progress):
        if killed or progress.files_done == 0:
            return
        busy = [w for w, keys in inspector.processing().items()
                if any(str(k).startswith("ragex-batch-") for k in keys)]
        if not busy:
            return
        pid = inspector.run(os.getpid, workers=[busy[0]])[busy[0]]
        children = psutil.Process(pid).children(recursive=True)
        os.kill(pid, signal.SIGKILL)
        killed.update(address=busy[0], children=children)

    return kill


def test_a_dask_worker_killed_mid_run_loses_and_repeats_nothing(address, inspector, big_tree,
                                                                  big_expected):
    killed: dict = {}
    with on_scheduler(address) as extractor:
        got = outcome(extractor.iter_extract(tasks_of(big_tree),
                                             progress=kill_busy_worker_once(inspector, killed)))
        stats = extractor.last_stats
    assert killed, "the run ended before a busy worker could be killed"
    assert got == big_expected  # its batches ran again elsewhere, each came back once
    assert stats.batches_split == 0  # the scheduler rescheduled them: nothing to split
    # the dead worker's ragex processes (its forkserver and pool) do not outlive it
    gone, alive = psutil.wait_procs(killed["children"], timeout=10)
    assert not alive, alive
    inspector.wait_for_workers(2, timeout=30)  # its nanny starts a new one


def test_batches_whose_workers_keep_dying_are_split_and_still_all_come_back(
        address, inspector, big_tree, big_expected):
    # as if each batch of the killed worker had already killed Dask's allowed number of
    # workers: the scheduler gives up on it (KilledWorker) and ragex resends it in halves
    def allowed_failures(value, dask_scheduler=None):
        previous, dask_scheduler.allowed_failures = dask_scheduler.allowed_failures, value
        return previous

    previous = inspector.run_on_scheduler(allowed_failures, 0)
    try:
        killed: dict = {}
        with on_scheduler(address) as extractor:
            got = outcome(extractor.iter_extract(
                tasks_of(big_tree), progress=kill_busy_worker_once(inspector, killed)))
            stats = extractor.last_stats
    finally:
        inspector.run_on_scheduler(allowed_failures, previous)
    assert killed, "the run ended before a busy worker could be killed"
    assert got == big_expected
    assert stats.batches_split >= 1
    inspector.wait_for_workers(2, timeout=30)


def test_hangs_and_crashes_on_the_cluster_end_as_they_do_locally(address, tmp_path,
                                                                   monkeypatch):
    for name in ("good", "hang", "crash", "raises", "hog", "other"):
        (tmp_path / f"{name}.py").write_text(f"def {name}():\n    return 1\n")
    monkeypatch.setenv("RAGEX_DEBUG_FAULT",
                       "hang:hang.py,crash:crash.py,raise:raises.py,oom:hog.py")
    limits = {"process_timeout_seconds": "2", "worker_memory_limit_mb": "300"}
    tasks = tasks_of(tmp_path)
    local = local_outcome(tasks, **limits)
    with on_scheduler(address, **limits) as extractor:
        remote = outcome(extractor.iter_extract(tasks_of(tmp_path)))
        stats = extractor.last_stats
    def reasons(by_path):  # the RSS a memory fault was caught at varies from run to run
        return {path: (v[1], v[2] and re.sub(r"RSS \d+ MiB", "RSS n MiB", v[2]))
                for path, v in by_path.items()}

    statuses = reasons(remote)
    assert statuses == reasons(local)
    assert statuses["hang.py"][0] == "timeout" and statuses["crash.py"][0] == "failed"
    assert statuses["raises.py"][0] == "failed" and statuses["hog.py"][0] == "failed"
    assert "memory" in statuses["hog.py"][1] and "SIGKILL" in statuses["crash.py"][1]
    assert statuses["good.py"] == ("ok", None) and statuses["other.py"] == ("ok", None)
    assert stats.worker_restarts >= 3  # the hang, the crash twice, the memory blow-up


def test_the_library_front_and_the_mcp_service_extract_on_the_cluster_of_their_config(
        address, tree, tmp_path):
    from ragex.front import Index
    from ragex.service import RagexService

    config = load_config(flags={"scheduler": address})
    index = Index(str(tree), str(tmp_path / "front"), config=config)
    summary = index.update()
    assert summary.extraction["files_mode"] == "paths"
    assert summary.extraction["executor"] == address
    assert summary.indexed + summary.skipped == summary.discovered > 50
    service = RagexService(str(tree), str(tmp_path / "mcp"), config=config)
    job = service.start_index()
    try:
        assert job.done.wait(120) and job.state == "done", job.error
    finally:
        shared_extractor().close()  # the process-wide extractor both used: off the cluster
    assert index_rows(tmp_path / "mcp") == index_rows(tmp_path / "front")


def test_ragex_config_shows_the_executor(capsys):
    assert main(["config", "--cluster", "local:3"]) == 0
    out = capsys.readouterr().out
    assert "RAGEX_CLUSTER" in out and "local:3" in out
    assert "executor: Dask cluster of 3 worker processes" in out
    assert main(["config", "--json", "--scheduler", "10.1.2.3:8786"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["executor"].startswith("Dask cluster at tcp://10.1.2.3:8786")
    assert main(["config"]) == 0
    assert "executor: local pool of" in capsys.readouterr().out


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ragex.cluster, "CONNECT_SECONDS", 1.0)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "a.py").write_text("def a(): pass\n")
    code = main(["index", str(tmp_path), "--no-progress", "--scheduler",
                 f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err
    assert "Traceback" not in err


def _ragex(*args, env=None, **kwargs):
    return subprocess.run([sys.executable, "-m", "ragex", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300,
                          **kwargs)


def index_rows(index_dir: Path) -> tuple[list, list]:
    """Every file row and every symbol row of an index, without row ids."""
    db = sqlite3.connect(f"file:{index_dir / 'index.db'}?mode=ro", uri=True)
    files = db.execute("SELECT path, size, mtime_ns, hash, language, status, reason, "
                       "warning, symbol_count FROM files ORDER BY path").fetchall()
    columns = [c[1] for c in db.execute("PRAGMA table_info(symbols)")
               if c[1] not in ("id", "file_id")]
    symbols = db.execute(f"SELECT f.path, {', '.join('s.' + c for c in columns)} FROM "
                         "symbols s JOIN files f ON f.id = s.file_id").fetchall()
    db.close()
    return files, sorted(symbols, key=repr)


def test_ragex_index_on_a_local_cluster_writes_the_same_index(tree, tmp_path):
    on_cluster = _ragex("index", str(tree), "--index-dir", str(tmp_path / "dask"),
                        "--cluster", "local:2", "--no-progress")
    assert on_cluster.returncode == 0, on_cluster.stderr
    assert "extracted on the Dask cluster at tcp://127.0.0.1:" in on_cluster.stdout
    assert "files sent as paths" in on_cluster.stdout
    assert "Traceback" not in on_cluster.stderr
    local = _ragex("index", str(tree), "--index-dir", str(tmp_path / "local"),
                   "--no-progress")
    assert local.returncode == 0, local.stderr
    assert index_rows(tmp_path / "dask") == index_rows(tmp_path / "local")


def test_without_dask_the_cluster_flags_say_what_to_install(tmp_path):
    run = ["-c", "import sys; sys.modules['distributed'] = None; "
                 "from ragex.cli import main; sys.exit(main(sys.argv[1:]))"]
    for args, env, named in [
        (["config", "--cluster", "local:2"], {}, "--cluster"),
        (["index", str(tmp_path), "--scheduler", "tcp://127.0.0.1:8786"], {}, "--scheduler"),
        (["extract", str(tmp_path)], {"RAGEX_SCHEDULER": "tcp://10.0.0.5:8786"},
         "RAGEX_SCHEDULER"),
    ]:
        done = subprocess.run([sys.executable, *run, *args], capture_output=True, text=True,
                              env={**os.environ, **env}, timeout=60)
        assert done.returncode == 2, done.stderr
        assert f"{named} needs Dask distributed, which is not installed: pip install " \
               "'ragex[dask]'" in done.stderr
        assert "Traceback" not in done.stderr
    plain = subprocess.run([sys.executable, *run, "config"], capture_output=True, text=True,
                           timeout=60)
    assert plain.returncode == 0 and "executor: local pool" in plain.stdout


# ------------------------------------------------------------ the scheduler goes away


def _dask(*args, env=None, module=True):
    return subprocess.Popen([sys.executable, *(["-m"] if module else []), *args],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env={**os.environ, "DASK_LOGGING__DISTRIBUTED": "error",
                                 **(env or {})})


def _committed(index_dir: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{index_dir / 'index.db'}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        family = [psutil.Process(proc.pid)]
        family += family[0].children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for p in family:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)


def test_losing_the_scheduler_mid_run_keeps_the_index_and_the_next_run_resumes(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    for i in range(400):
        (root / f"m{i:03d}.py").write_text(f"def f{i}(x):\n    return x\n\n"
                                           f"class C{i}:\n    def m(self):\n        pass\n")
    (root / "zz.py").write_text("z = 1\n")  # the smallest file: the last batch, it hangs
    scheduler_file = tmp_path / "scheduler.json"
    scheduler = _dask("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                      "0", "--no-dashboard", "--scheduler-file", str(scheduler_file))
    worker = None
    indexer = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert scheduler_file.exists(), "the scheduler did not start"
        worker = _dask("distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                       "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard")
        index_dir = tmp_path / "index"
        indexer = subprocess.Popen(
            [sys.executable, "-m", "ragex", "index", str(root), "--index-dir",
             str(index_dir), "--scheduler", str(scheduler_file), "--no-progress"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "RAGEX_DEBUG_FAULT": "hang:zz.py",
                 "RAGEX_PROCESS_TIMEOUT_SECONDS": "120"})
        # wait until the run stands on the hanging file with the rest committed
        last, steady_since = -1, time.monotonic()
        while time.monotonic() < deadline + 60:
            time.sleep(0.2)
            count = _committed(index_dir)
            if count != last:
                last, steady_since = count, time.monotonic()
            elif count > 0 and time.monotonic() - steady_since > 1.5:
                break
            assert indexer.poll() is None, indexer.communicate()
        assert 0 < last < 401
        scheduler.kill()
        out, err = indexer.communicate(timeout=60)
        assert indexer.returncode == 2, (out, err)
        assert "lost the Dask scheduler at tcp://127.0.0.1:" in err
        assert "`ragex index` resumes where it stopped" in err
        assert "Traceback" not in err
        assert _committed(index_dir) == last  # the committed index is intact
        status = _ragex("status", str(root), "--index-dir", str(index_dir), "--json")
        assert json.loads(status.stdout)["index_state"].startswith("partial")
        resumed = _ragex("index", str(root), "--index-dir", str(index_dir), "--json")
        summary = json.loads(resumed.stdout)
        assert summary["unchanged"] == last and summary["indexed"] == 401 - last
        fresh = _ragex("index", str(root), "--index-dir", str(tmp_path / "fresh"))
        assert fresh.returncode == 0, fresh.stderr
        assert index_rows(index_dir) == index_rows(tmp_path / "fresh")
    finally:
        if indexer is not None and indexer.poll() is None:
            indexer.kill()
        for proc in (worker, scheduler):
            if proc is not None:
                _kill_tree(proc)


def test_a_worker_killed_while_a_file_hangs_leaves_no_process_behind(address, inspector,
                                                                     tmp_path, monkeypatch):
    for i in range(60):
        (tmp_path / f"m{i:02d}.py").write_text(f"def f{i}():\n    return {i}\n" * 20)
    (tmp_path / "zz.py").write_text("z = 1\n")  # the smallest: in the last batch
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "hang:zz.py")
    limits = {"process_timeout_seconds": "6"}
    killed: dict = {}

    def kill_the_worker_stuck_on_the_hang():
        deadline = time.monotonic() + 60
        since = None
        while time.monotonic() < deadline and not killed:
            time.sleep(0.2)
            busy = [(w, k) for w, keys in inspector.processing().items() for k in keys
                    if str(k).startswith("ragex-batch-")]
            if len(busy) != 1:
                since = None
                continue
            since = since or time.monotonic()
            if time.monotonic() - since > 1.0:  # one batch left, for a while: the hang
                worker = busy[0][0]
                pid = inspector.run(os.getpid, workers=[worker])[worker]
                children = psutil.Process(pid).children(recursive=True)
                os.kill(pid, signal.SIGKILL)
                killed.update(children=children)

    killer = threading.Thread(target=kill_the_worker_stuck_on_the_hang, daemon=True)
    killer.start()
    with on_scheduler(address, **limits) as extractor:
        got = outcome(extractor.iter_extract(tasks_of(tmp_path)))
    killer.join()
    assert killed, "no worker was seen stuck on the hanging file"
    assert got["zz.py"][1] == "timeout"  # rerun elsewhere, it hung there too: stopped
    assert all(v[1] == "ok" for path, v in got.items() if path != "zz.py")
    # the dead worker's pool process was inside the hang: it must not live on, orphaned
    gone, alive = psutil.wait_procs(killed["children"], timeout=10)
    assert not alive, [(p.pid, p.ppid(), p.cmdline()[-3:]) for p in alive]
    inspector.wait_for_workers(2, timeout=30)


def test_a_scheduler_or_a_worker_without_ragex_is_one_clear_error(tmp_path):
    (tmp_path / "a.py").write_text("def a(): pass\n")
    without_ragex = ["-c", "import runpy, sys; sys.modules['ragex'] = None; "
                           "runpy.run_module(sys.argv.pop(1), run_name='__main__')"]
    for missing_on, words in [("scheduler", "cannot load ragex"),
                              ("worker", "ragex cannot run on the Dask workers")]:
        scheduler_file = tmp_path / f"{missing_on}.json"
        scheduler_args = ("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                          "0", "--no-dashboard", "--scheduler-file", str(scheduler_file))
        # no nanny: the worker runs in the process that lacks ragex, not in a fresh child
        worker_args = ("distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                       "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                       "--no-nanny")
        scheduler = worker = None
        try:
            scheduler = _dask(*(without_ragex if missing_on == "scheduler" else ["-m"]),
                              *scheduler_args, module=False)
            deadline = time.monotonic() + 60
            while not scheduler_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            worker = _dask(*(without_ragex if missing_on == "worker" else ["-m"]),
                           *worker_args, module=False)
            run = _ragex("index", str(tmp_path), "--index-dir", str(tmp_path / missing_on),
                         "--scheduler", str(scheduler_file), "--no-progress")
        finally:
            for proc in (worker, scheduler):
                if proc is not None:
                    _kill_tree(proc)
        assert run.returncode == 2, run.stderr
        assert words in run.stderr and "install the same ragex" in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


def test_a_cluster_left_without_workers_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(ragex.cluster, "WORKERS_SECONDS", 3.0)
    monkeypatch.setenv("RAGEX_DEBUG_FAULT", "hang:zz.py")
    for i in range(200):
        (tmp_path / f"m{i:03d}.py").write_text(f"def f{i}():\n    return {i}\n")
    (tmp_path / "zz.py").write_text("z = 1\n")  # in the last batch: the run waits on it
    # beside the tree, not in it: a .json file is code to extract too
    scheduler_file = tmp_path.parent / f"{tmp_path.name}-scheduler.json"
    scheduler = _dask("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                      "0", "--no-dashboard", "--scheduler-file", str(scheduler_file))
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        worker = _dask("distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file),
                       "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard",
                       "--no-nanny")  # no nanny: once killed, no worker comes back
        got = []
        with on_scheduler(str(scheduler_file), process_timeout_seconds="120") as extractor:
            with pytest.raises(ragex.cluster.ClusterError) as error:
                for result in extractor.iter_extract(tasks_of(tmp_path)):
                    got.append(result.rel_path)
                    if len(got) == 1:
                        _kill_tree(worker)  # the only worker, in the middle of the run
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                _kill_tree(proc)
    message = str(error.value)
    assert "has had no worker for 3 s" in message and "start workers and run again" in message
    assert f"{201 - len(got)} of 201 files were not extracted" in message
    assert len(set(got)) == len(got) < 201


def test_the_mcp_server_indexes_on_a_local_cluster_over_stdio(tree):
    # the server speaks MCP on stdout: no process of the cluster may write a byte to it
    import asyncio

    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def scenario():
        params = StdioServerParameters(command=sys.executable,
                                       args=["-m", "ragex", "mcp", str(tree), "--cluster",
                                             "local:2", "--index-dir", str(tree.parent / "mcp")],
                                       env=dict(os.environ))
        async with stdio_client(params) as (r, w):
            async with ClientSession(r, w) as session:
                await session.initialize()
                result = await session.call_tool("index_codebase", {"wait_seconds": 120})
                assert not result.is_error, result.content[0].text
                status = (await session.call_tool("index_status", {})).structured_content
                assert status["job"]["state"] == "done", status["job"]
                found = (await session.call_tool(
                    "search_symbols", {"query": "JSONDecoder"})).structured_content
                return status, found

    status, found = asyncio.run(asyncio.wait_for(scenario(), timeout=180))
    local = local_outcome(tasks_of(tree))
    assert status["index"]["files"] == len(local)
    assert status["index"]["symbols"] == sum(len(v[8]) for v in local.values())
    assert found["results"][0]["qualified_name"] == "json.decoder.JSONDecoder"
