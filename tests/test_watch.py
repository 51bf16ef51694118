"""The watcher: real file-system events on real trees keep a real index current.

Every scenario ends by comparing the watched index with an index built afresh of the
tree as it is (`test_recheck.clean_rows`): the whole walk is the ground truth. Waits poll
the index with a deadline; a "barrier" (a file rewritten with a new definition, then
found) proves that the events before it were handled."""

import fcntl
import os
import shutil
import subprocess
import time

import pytest

from ragex import watch as watch_module
from ragex.config import WatchSettings, load_config
from ragex.discover import DiscoveryOptions
from ragex.front import Index
from ragex.watch import Watcher
from ragex.watch_state import WatcherBusy, describe, read_state

from test_recheck import clean_rows, index_rows, write

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": False})
FAST = WatchSettings(debounce_ms=20, max_batch_ms=300)
DEADLINE = 20.0


def wait_for(predicate, timeout=DEADLINE, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"{what} did not happen within {timeout} s")


class Live:
    """A watched tree: the root, its Index and Watcher, what the watcher reported."""

    def __init__(self, root, tmp_path, settings=FAST, options=DiscoveryOptions()):
        self.root, self.tmp_path, self.options = root, tmp_path, options
        self.index = Index(str(root), discovery=options, config=SEQUENTIAL)
        self.reports, self.notices = [], []
        self.watcher = Watcher(self.index, settings, on_update=self.reports.append,
                               on_notice=self.notices.append)
        self.barriers = 0

    def start(self, **kw):
        self.watcher.start(**kw)
        assert self.watcher.wait_caught_up(DEADLINE), "the start check did not finish"
        return self

    def found(self, name):
        return [h.symbol.path for h in self.index.search(name, match="exact").items]

    def barrier(self):
        """Returns once every event before it has been handled."""
        self.barriers += 1
        name = f"barrier_{self.barriers}"
        write(self.root, "barrier.py", f"def {name}():\n    pass\n")
        wait_for(lambda: self.found(name), what=f"{name} indexed")

    def settled_equal(self, timeout=DEADLINE):
        """Wait until the index equals a fresh index of the tree."""
        deadline = time.monotonic() + timeout
        while True:
            self.watcher.wait_caught_up(max(0.1, deadline - time.monotonic()))
            got, want = index_rows(self.index.index_dir), clean_rows(self.root, self.tmp_path,
                                                                    self.options)
            if got == want:
                return
            if time.monotonic() > deadline:
                assert got == want
            time.sleep(0.1)

    def paths(self):
        return [row[0] for row in index_rows(self.index.index_dir)[0]]


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    for i in range(6):
        write(root, f"pkg/m{i}.py", f"def func_{i}():\n    pass\n")
    write(root, "build/out.py")
    write(root, ".gitignore", "build/\n*.tmp.py\n")
    return root


@pytest.fixture
def live(repo, tmp_path):
    live = Live(repo, tmp_path)
    yield live
    live.watcher.stop()
    live.index.close()


def test_an_edit_is_searchable_and_the_state_says_watched(live):
    live.start()
    assert live.reports[0].kind == "tree" and live.reports[0].reason == "start"
    state = live.index.index_state()
    assert state.startswith("complete; watched (file events, pid ") and "caught up" in state
    write(live.root, "pkg/m1.py", "def parse_config():\n    pass\n")
    assert wait_for(lambda: live.found("parse_config")) == ["pkg/m1.py"]
    assert live.found("func_1") == []
    status = live.index.status()
    assert status["watch"]["pid"] == os.getpid() and status["watch"]["mode"] == "events"
    live.watcher.stop()
    assert live.index.index_state() == "complete"
    assert not os.path.exists(os.path.join(live.index.index_dir, "watch.json"))


def test_editors_save_patterns(live):
    live.start()
    pkg = live.root / "pkg"
    # vim: a probe file "4913", a swap file, the original renamed to a backup, a new write
    (pkg / "4913").write_text("")
    (pkg / "4913").unlink()
    (pkg / ".m1.py.swp").write_bytes(b"\0swap")
    os.rename(pkg / "m1.py", pkg / "m1.py~")
    (pkg / "m1.py").write_text("def vim_saved():\n    pass\n")
    (pkg / "m1.py~").unlink()
    (pkg / ".m1.py.swp").unlink()
    # write to a temporary file, then rename it over the file (VS Code, sed -i, ...)
    (pkg / "m2.py.tmp.1234").write_text("def atomic_saved():\n    pass\n")
    os.replace(pkg / "m2.py.tmp.1234", pkg / "m2.py")
    # JetBrains' safe write; emacs' lock link and autosave file
    (pkg / "m3.py___jb_tmp___").write_text("def jetbrains_saved():\n    pass\n")
    os.rename(pkg / "m3.py", pkg / "m3.py___jb_old___")
    os.rename(pkg / "m3.py___jb_tmp___", pkg / "m3.py")
    (pkg / "m3.py___jb_old___").unlink()
    os.symlink("user@host.1234:1", pkg / ".#m4.py")
    (pkg / "#m4.py#").write_text("def autosaved():\n    pass\n")
    live.barrier()
    assert live.found("vim_saved") == ["pkg/m1.py"]
    assert live.found("atomic_saved") == ["pkg/m2.py"]
    assert live.found("jetbrains_saved") == ["pkg/m3.py"]
    assert live.found("autosaved") == []
    live.settled_equal()


def test_files_and_directories_moved_in_out_and_within(live, tmp_path):
    live.start()
    outside = tmp_path / "outside"
    write(outside, "incoming.py", "def came_in():\n    pass\n")
    write(outside, "tree/a/b.py", "def tree_came_in():\n    pass\n")
    os.rename(outside / "incoming.py", live.root / "pkg/incoming.py")  # a file moved in
    os.rename(outside / "tree", live.root / "moved_tree")  # a directory moved in
    os.rename(live.root / "pkg/m0.py", outside / "m0.py")  # a file moved out
    os.rename(live.root / "pkg/m1.py", live.root / "pkg/renamed.py")  # within
    live.barrier()
    assert live.found("came_in") == ["pkg/incoming.py"]
    assert live.found("tree_came_in") == ["moved_tree/a/b.py"]
    assert live.found("func_0") == [] and live.found("func_1") == ["pkg/renamed.py"]
    os.rename(live.root / "pkg", live.root / "lib")  # a directory renamed
    live.barrier()
    assert live.found("func_2") == ["lib/m2.py"]
    shutil.rmtree(live.root / "lib")  # a directory deleted
    os.rename(live.root / "moved_tree", outside / "gone_tree")  # a directory moved out
    live.settled_equal()
    assert live.paths() == ["barrier.py"]


def test_ignore_file_edits_reevaluate_the_file_set(live):
    live.start()
    write(live.root, ".gitignore", "build/\n*.tmp.py\npkg/m2.py\n")
    wait_for(lambda: live.found("func_2") == [], what="m2 dropped")
    assert any(r.kind == "tree" for r in live.reports[1:])
    write(live.root, ".gitignore", "*.tmp.py\n")  # build/ is code again
    wait_for(lambda: live.found("f_out") == ["build/out.py"], what="build/ indexed")
    write(live.root, "pkg/.ragexignore", "m3.py\n")
    wait_for(lambda: live.found("func_3") == [], what="m3 dropped")
    live.settled_equal()


def test_changes_in_the_index_and_in_ignored_directories_do_no_work(live):
    live.start()
    batches = live.watcher.event_batches
    updated = []  # the paths of every update from here on
    update_paths = live.index.update_paths
    live.index.update_paths = lambda paths, **kw: updated.append(paths) or \
        update_paths(paths, **kw)
    for i in range(30):
        write(live.root, f"build/gen{i}.py")  # build/ is ignored
        write(live.root, f"build/deep/gen{i}.py")
    (live.root / ".ragex" / "scratch").write_text("x")  # the index's own directory
    for i in range(5):  # files that cannot be code: a log written here, a swap file
        (live.root / "watch.log").write_text(f"line {i}\n")
        (live.root / "pkg" / ".m0.py.swp").write_bytes(b"\0" * i)
    write(live.root, "pkg/x.tmp.py")  # an ignored file in a watched directory: one listing
    wait_for(lambda: live.watcher.event_batches > batches, what="the events arrived")
    live.barrier()
    assert {p for paths in updated for p in paths} <= {"barrier.py", "pkg/x.tmp.py"}
    live.settled_equal()


def git(root, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_git_checkout_and_stash_of_many_files(tmp_path):
    root = tmp_path / "repo"
    for i in range(300):
        write(root, f"src/d{i % 7}/m{i}.py", f"def base_{i}():\n    pass\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "other")
    for i in range(0, 300, 2):
        write(root, f"src/d{i % 7}/m{i}.py", f"def other_{i}():\n    pass\n")
    for i in range(1, 41, 2):
        (root / f"src/d{i % 7}/m{i}.py").unlink()
    for i in range(30):
        write(root, f"src/new/n{i}.py", f"def added_{i}():\n    pass\n")
    os.rename(root / "src/d6", root / "src/d6_renamed")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "other")
    git(root, "checkout", "-q", "main")
    live = Live(root, tmp_path)
    try:
        live.start()
        git(root, "checkout", "-q", "other")
        live.settled_equal()
        assert live.found("other_0") == ["src/d0/m0.py"]
        git(root, "checkout", "-q", "main")
        live.settled_equal()
        for i in range(50):
            write(root, f"src/d{i % 7}/m{i}.py", f"def stashed_{i}():\n    pass\n")
        live.settled_equal()
        git(root, "stash", "-q")
        live.settled_equal()
        assert live.found("stashed_0") == [] and live.found("base_0") == ["src/d0/m0.py"]
        git(root, "stash", "pop", "-q")
        live.settled_equal()
    finally:
        live.watcher.stop()


@pytest.mark.slow
def test_a_burst_is_checked_as_a_whole_tree(live, monkeypatch):
    monkeypatch.setattr(watch_module, "BURST_PATHS", 40)
    live.start()
    # another writer holds the index meanwhile: the watcher's changes pile up, then go at once
    with open(os.path.join(live.index.index_dir, "index.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for i in range(60):  # (in a watched directory: a new one is one event, at first)
            write(live.root, f"pkg/b{i}.py", f"def burst_{i}():\n    pass\n")
        wait_for(lambda: live.watcher.state()["pending"] >= 60, what="the changes pending")
        state = live.index.index_state()
        assert "pending" in state or "checking the whole tree (burst of" in state, state
        fcntl.flock(lock, fcntl.LOCK_UN)
    live.settled_equal()
    assert any(r.reason.startswith("burst of ") and r.kind == "tree" for r in live.reports)


@pytest.mark.slow
def test_a_file_rewritten_100_times_in_a_second_ends_with_its_last_content(live):
    live.start()
    path = live.root / "pkg" / "hot.py"
    for i in range(100):  # sizes alternate: some rewrites keep size and mtime tick
        path.write_text(f"def hot_{i % 10}_{i // 10}():\n    pass\n" + "#" * (i % 2))
        time.sleep(0.008)
    path.write_text("def hot_final():\n    pass\n")
    wait_for(lambda: live.found("hot_final"), what="the last content")
    live.barrier()
    assert [s for s in index_rows(live.index.index_dir)[1] if s[0] == "pkg/hot.py"] == [
        ("pkg/hot.py", "hot", "module", 1, 3, ""),
        ("pkg/hot.py", "hot.hot_final", "function", 1, 2, "def hot_final()")]
    live.settled_equal()


@pytest.mark.slow
def test_polling_when_events_are_unavailable(repo, tmp_path):
    live = Live(repo, tmp_path, WatchSettings(polling=True, poll_seconds=0.2))
    try:
        live.start()
        assert live.watcher.mode == "polling"
        assert len(live.notices) == 1 and "polling instead" in live.notices[0]
        assert "polling every" in live.index.index_state()
        write(repo, "pkg/m1.py", "def polled():\n    pass\n")
        wait_for(lambda: live.found("polled"), what="the polled change")
        assert len(live.notices) == 1  # said once
    finally:
        live.watcher.stop()


@pytest.mark.slow
def test_a_second_watcher_refuses_or_stands_by(repo, tmp_path):
    first = Live(repo, tmp_path).start()
    second = Live(repo, tmp_path)
    try:
        with pytest.raises(WatcherBusy, match=f"pid {os.getpid()}"):
            second.watcher.start()
        second.watcher.start(standby=True)
        assert second.watcher.mode == "standby"
        assert f"watched (file events, pid {os.getpid()})" in second.index.index_state()
        write(repo, "pkg/m1.py", "def seen_by_the_first():\n    pass\n")
        wait_for(lambda: second.found("seen_by_the_first"), what="the first watcher's update")
        first.watcher.stop()
        wait_for(lambda: second.watcher.mode == "events", what="the second taking over")
        write(repo, "pkg/m2.py", "def seen_by_the_second():\n    pass\n")
        wait_for(lambda: second.found("seen_by_the_second"), what="the second's update")
        second.settled_equal()
    finally:
        first.watcher.stop()
        second.watcher.stop()


def test_describe_says_how_current_the_index_is():
    now = 1000.0
    base = {"pid": 7, "mode": "events", "caught_up": 998.0, "pending": 0}
    assert describe(base, now) == "watched (file events, pid 7): caught up 2.0 s ago"
    assert describe({**base, "pending": 3, "updating": True}, now) == (
        "watched (file events, pid 7): 3 changed paths pending, updating (last caught up "
        "2.0 s ago): answers may miss them")
    assert describe({**base, "mode": "polling", "poll_seconds": 2, "caught_up": None}, now) \
        == "watched (polling every 2 s, pid 7): not caught up yet"
    assert "checking the whole tree (start" in describe({**base, "checking": "start"}, now)


def test_no_watcher_reads_as_none(tmp_path):
    assert read_state(str(tmp_path)) is None
    (tmp_path / "watch.lock").write_text("12345")  # left by a watcher killed with -9
    (tmp_path / "watch.json").write_text('{"pid": 12345, "mode": "events"}')
    assert read_state(str(tmp_path)) is None


@pytest.mark.slow
def test_the_worker_pool_stops_when_idle_and_comes_back_on_demand(repo):
    config = load_config(environ={}, flags={"use_parallel": True, "max_workers": 1})
    index = Index(str(repo), config=config)
    watcher = Watcher(index, WatchSettings(debounce_ms=20, pool_idle_seconds=0.5))
    try:
        watcher.start()
        assert watcher.wait_caught_up(DEADLINE)
        extractor = index.indexer.extractor
        assert extractor.pool_running  # warm for the first edit
        wait_for(lambda: not extractor.pool_running, what="the idle pool stopped")
        write(repo, "pkg/m1.py", "def after_idle():\n    pass\n")
        wait_for(lambda: index.search("after_idle", match="exact").items, what="the edit")
        assert extractor.pool_running and watcher.last.summary.extraction["mode"] == "parallel"
    finally:
        watcher.stop()
        index.indexer.extractor.close()
