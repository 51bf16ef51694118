"""`ragex watch` as a real process: its output, `ragex status` from another process, two
watchers, kill -9 mid-update, files that vanish or cannot be read mid-update, and the
inotify watch limit (in a user namespace of its own, so nothing else is affected)."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from test_index import _consistent
from test_recheck import clean_rows, index_rows, write
from test_watch import DEADLINE, wait_for

pytestmark = pytest.mark.slow  # every test runs ragex processes with worker pools

RAGEX = [sys.executable, "-m", "ragex"]


class WatchProcess:
    """`ragex watch ROOT` running, its stdout read line by line."""

    def __init__(self, root, *extra, env=None, prefix=()):
        self.proc = subprocess.Popen([*prefix, *RAGEX, "watch", str(root), *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        os.set_blocking(self.proc.stdout.fileno(), False)
        os.set_blocking(self.proc.stderr.fileno(), False)
        self.buffer = b""
        self.lines = []
        self.errors = b""

    def stderr(self):
        chunk = self.proc.stderr.read()
        if chunk:
            self.errors += chunk
        return self.errors.decode()

    def read_lines(self):
        chunk = self.proc.stdout.read()
        if chunk:
            self.buffer += chunk
            *done, self.buffer = self.buffer.split(b"\n")
            self.lines += [line.decode() for line in done]
        return self.lines

    def wait_line(self, pattern, after=0, timeout=DEADLINE):
        def seen():
            return [line for line in self.read_lines()[after:] if re.search(pattern, line)]
        return wait_for(seen, timeout, f"a line like {pattern!r} (got {self.lines})")[0]

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        self.proc.wait(timeout=30)
        return self.proc.returncode


def status_json(root):
    out = subprocess.run([*RAGEX, "status", str(root), "--json"], stdout=subprocess.PIPE,
                         check=True).stdout
    return json.loads(out)


def watch_json(root):
    try:
        with open(root / ".ragex" / "watch.json") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def make_repo(root, files=30):
    for i in range(files):
        write(root, f"pkg/m{i}.py", f"def func_{i}():\n    pass\n")
    return root


def test_watch_prints_a_line_per_update_and_others_see_it(tmp_path):
    root = make_repo(tmp_path / "repo")
    watcher = WatchProcess(root)
    try:
        first = watcher.wait_line(r"checked the tree \(start\)")
        assert re.search(r"30 files changed \(30 indexed\), \+60 -0 symbols, [\d.]+ s$", first)
        write(root, "pkg/m1.py", "def one():\n    pass\n\ndef two():\n    pass\n")
        line = watcher.wait_line(r"updated:")
        assert re.fullmatch(r"\d\d:\d\d:\d\d  updated: 1 files changed \(1 indexed\), "
                            r"\+3 -2 symbols, \d+\.\d\d s", line), line
        status = status_json(root)
        assert status["watch"]["pid"] == watcher.proc.pid
        assert status["index_state"].startswith(
            f"complete; watched (file events, pid {watcher.proc.pid}): caught up")
        text = subprocess.run([*RAGEX, "status", str(root)], stdout=subprocess.PIPE,
                              text=True).stdout
        assert f"state  complete; watched (file events, pid {watcher.proc.pid})" in text
        symbols = subprocess.run([*RAGEX, "symbols", "two"], cwd=root,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert symbols.stdout.startswith("pkg/m1.py:4\tfunction") and symbols.stderr == ""

        second = subprocess.run([*RAGEX, "watch", str(root)], stderr=subprocess.PIPE,
                                text=True, timeout=60)
        assert second.returncode == 3
        assert f"another ragex watcher (pid {watcher.proc.pid}) keeps the index" in \
            second.stderr
        assert watcher.stop() == 0
        assert len(watcher.read_lines()) == 2  # nothing but the two updates
        assert watcher.stderr() == ""
        assert status_json(root)["watch"] is None
        assert status_json(root)["index_state"] == "complete"
    finally:
        watcher.stop(signal.SIGKILL)


def test_kill_9_mid_update_leaves_a_consistent_index_and_the_next_start_catches_up(tmp_path):
    root = make_repo(tmp_path / "repo", files=10)
    # the update hangs on one file (in a worker) after others are stored: killed midway
    env = {"RAGEX_DEBUG_FAULT": "hang:slow*.py", "RAGEX_PROCESS_TIMEOUT_SECONDS": "60"}
    watcher = WatchProcess(root, "--workers", "1", env=env)
    try:
        watcher.wait_line(r"checked the tree \(start\)")
        for i in range(40):
            write(root, f"pkg/new{i}.py", f"def new_{i}():\n    pass\n")
        write(root, "pkg/zz/slow1.py", "def slow():\n    pass\n")

        wait_for(lambda: (watch_json(root) or {}).get("updating"), what="an update running")
        time.sleep(0.5)  # (not a wait for anything: the kill lands mid-extraction)
        watcher.stop(signal.SIGKILL)  # the watcher and its worker, at once
        files, bad = _consistent(root / ".ragex" / "index.db")
        assert bad == [] and files >= 10
        status = status_json(root)
        assert status["watch"] is None and status["index_state"] == "complete"

        os.remove(root / "pkg/zz/slow1.py")
        write(root, "pkg/m3.py", "def changed_while_down():\n    pass\n")
        (root / "pkg/m4.py").unlink()
        again = WatchProcess(root)
        try:
            again.wait_line(r"checked the tree \(start\)")
            assert index_rows(root / ".ragex") == clean_rows(root, tmp_path)
        finally:
            assert again.stop() == 0
    finally:
        watcher.stop(signal.SIGKILL)


def _unprivileged():
    """A command prefix that takes away root's power to read any file."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root: needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    return ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")


def test_files_that_vanish_or_cannot_be_read_mid_update(tmp_path):
    root = make_repo(tmp_path / "repo", files=3)
    env = {"RAGEX_DEBUG_FAULT": "hang:a_slow.py", "RAGEX_PROCESS_TIMEOUT_SECONDS": "2"}
    watcher = WatchProcess(root, "--workers", "1", "--json", env=env, prefix=_unprivileged())
    try:
        watcher.wait_line(r'"reason": "start"')
        os.chmod(root / "pkg/m1.py", 0)  # unreadable from now on
        # the worker hangs on the biggest file first (then is killed at its deadline):
        # the other file of the update is deleted meanwhile
        write(root, "pkg/a_slow.py", "def slow():\n    pass\n" + "#" * 4000)
        write(root, "pkg/victim.py", "def victim():\n    pass\n")
        wait_for(lambda: (watch_json(root) or {}).get("updating")
                 and watch_json(root)["pending"] >= 2, what="the update of both running")
        # it rechecks both paths at once, then its worker hangs on a_slow.py for 2 s:
        # victim.py goes away in that window
        time.sleep(0.5)
        os.remove(root / "pkg/victim.py")
        reports = []

        def problems():
            reports[:] = [json.loads(line) for line in watcher.read_lines()]
            return {p["path"]: p for r in reports for p in r.get("problems", [])}
        wait_for(lambda: {"pkg/a_slow.py", "pkg/victim.py", "pkg/m1.py"} <= set(problems()),
                 what="the three problems reported")
        found = problems()
        assert found["pkg/a_slow.py"]["status"] == "timeout"
        assert found["pkg/victim.py"]["reason"].startswith("vanished")
        assert found["pkg/m1.py"]["reason"].startswith("unreadable: Permission denied")
        wait_for(lambda: "pkg/victim.py" not in [r[0] for r in index_rows(root / ".ragex")[0]],
                 what="the vanished file removed")
        rows = {r[0]: r for r in index_rows(root / ".ragex")[0]}
        assert rows["pkg/m1.py"][4] == "failed" and rows["pkg/a_slow.py"][4] == "timeout"
        os.chmod(root / "pkg/m1.py", 0o644)  # readable again: indexed again
        wait_for(lambda: {r[0]: r for r in index_rows(root / ".ragex")[0]}["pkg/m1.py"][4]
                 == "ok", what="m1 readable again")
    finally:
        os.chmod(root / "pkg/m1.py", 0o644)
        watcher.stop(signal.SIGKILL)


def _in_user_namespace(max_watches):
    """A prefix running the command in a user namespace of its own with a low inotify
    watch limit (the limit is per user namespace: the machine's stays as it is)."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux) for a user namespace")
    probe = subprocess.run(["unshare", "-U", "-r", "sh", "-c",
                            f"echo {max_watches} > /proc/sys/user/max_inotify_watches"],
                           stderr=subprocess.PIPE)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces unavailable here: {probe.stderr.decode().strip()}")
    return ("unshare", "-U", "-r", "sh", "-c",
            f'echo {max_watches} > /proc/sys/user/max_inotify_watches && exec "$@"', "sh")


@pytest.mark.parametrize("when", ["at start", "later"])
def test_the_inotify_watch_limit_falls_back_to_polling_and_says_so_once(tmp_path, when):
    root = make_repo(tmp_path / "repo", files=3)
    for i in range(3):
        write(root, f"dirs/d{i}/x.py", f"def x{i}():\n    pass\n")
    # the root and its directories take 8 watches; "later": new directories pass the limit
    limit = 4 if when == "at start" else 12
    env = {"RAGEX_WATCH_POLL_SECONDS": "0.3"}
    watcher = WatchProcess(root, env=env, prefix=_in_user_namespace(limit))
    try:
        watcher.wait_line(r"checked the tree \(start\)")
        if when == "later":
            for i in range(8):
                write(root, f"more/e{i}/y.py", f"def y{i}():\n    pass\n")
        wait_for(lambda: "limit on inotify watches" in watcher.stderr(), what="the notice")
        write(root, "pkg/m1.py", "def polled():\n    pass\n")
        wait_for(lambda: "pkg/m1.py" in [s[0] for s in index_rows(root / ".ragex")[1]
                                          if s[1] == "m1.polled"], what="the polled change")
        assert "polling every" in status_json(root)["index_state"]
        watcher.stop()
        notice = watcher.stderr()
        assert notice.count("limit on inotify watches") == 1, notice
        assert "polling instead" in notice
    finally:
        watcher.stop(signal.SIGKILL)
