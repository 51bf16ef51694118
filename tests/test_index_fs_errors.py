"""What the file system refuses: one clear line naming the path and what to do, and the
index as last committed keeps answering.

Real faults, one table: the real CLI in a subprocess, as the unprivileged user `nobody`
where permissions matter (root ignores them), against real read-only directories and
files, a real read-only mount and a real full file system (small tmpfs mounts).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Callable, Optional

import pytest

pytestmark = pytest.mark.slow  # real subprocesses, as another user, on real mounts

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _works(cmd) -> Optional[str]:
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    except OSError as exc:
        return str(exc)
    return None if proc.returncode == 0 else proc.stderr.decode(errors="replace").strip()


def _why_not_as_nobody() -> Optional[str]:
    if os.geteuid() != 0:
        return "permission cases run the CLI as `nobody`, which needs root to switch to"
    if not shutil.which("setpriv"):
        return "permission cases need setpriv (util-linux) to run the CLI as `nobody`"
    problem = _works(NOBODY + [sys.executable, "-c", "import ragex"])
    return f"`nobody` cannot run this Python and ragex: {problem}" if problem else None


def _why_no_mount() -> Optional[str]:
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root"
    target = tempfile.mkdtemp(prefix="ragex-mount-probe-")
    try:
        problem = _works(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", target])
        if problem is None:
            subprocess.run(["umount", target], check=True)
        return f"cannot mount a tmpfs here: {problem}" if problem else None
    finally:
        os.rmdir(target)


class Place:
    """A tree of 3 files and its index, under a directory `nobody` can reach."""

    def __init__(self) -> None:
        self.base = tempfile.mkdtemp(prefix="ragex-fs-", dir="/tmp")
        os.chmod(self.base, 0o755)
        self.tree = os.path.join(self.base, "tree")
        self.index = os.path.join(self.base, "index")
        self.mounts: list[str] = []
        os.mkdir(self.tree)
        for i in (1, 2, 3):
            with open(os.path.join(self.tree, f"m{i}.py"), "w") as fh:
                fh.write(f"def f{i}():\n    pass\n")

    def path(self, *parts) -> str:
        return os.path.join(self.base, *parts)

    def build(self, index_dir: Optional[str] = None) -> None:
        proc = ragex("index", self.tree, "--index-dir", index_dir or self.index)
        assert proc.returncode == 0, proc.stderr

    def mount_tmpfs(self, name: str, size: str) -> str:
        target = self.path(name)
        os.mkdir(target)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                        target], check=True)
        self.mounts.append(target)
        return target

    def more_files(self, count: int) -> None:
        """Enough new definitions that their index no longer fits in a small disk."""
        os.makedirs(os.path.join(self.tree, "more"))
        for i in range(count):
            with open(os.path.join(self.tree, "more", f"g{i}.py"), "w") as fh:
                fh.write("".join(f"def g_{i}_{j}(a):\n    return a\n\n" for j in range(30)))

    def clean(self) -> None:
        for target in reversed(self.mounts):
            subprocess.run(["umount", "-l", target], check=False)
        subprocess.run(["chmod", "-R", "u+rwX", self.base], check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def ragex(*args, as_nobody: bool = False):
    cmd = [sys.executable, "-m", "ragex", *map(str, args)]
    if args and args[0] == "index":
        cmd.append("--no-progress")
    return subprocess.run((NOBODY if as_nobody else []) + cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, cwd="/tmp",
                          env={**os.environ, "HOME": "/tmp"})


@dataclass
class Case:
    """`args` (a `ragex` command line), set up by `arrange(place)`, exits with `code`
    and one stderr line naming `path` and saying `says`; the index at `answers` (if
    any) then still answers a query, and still holds the 3 files."""

    id: str
    arrange: Callable[[Place], tuple]  # -> (args, path named, index that answers)
    code: int
    says: str
    as_nobody: bool = False
    mounts: bool = False


def _read_only_index(place):
    place.build()
    os.chmod(place.index, 0o555)
    for name in os.listdir(place.index):
        os.chmod(os.path.join(place.index, name), 0o444)
    return ("index", place.tree, "--index-dir", place.index), place.index, place.index


def _directory_not_writable(place):
    place.build()
    for name in os.listdir(place.index):  # the files are writable, their directory not
        os.chmod(os.path.join(place.index, name), 0o666)
    os.chmod(place.index, 0o555)
    db = os.path.join(place.index, "index.db")
    return ("index", place.tree, "--index-dir", place.index), db, place.index


def _database_read_only(place):
    place.build()
    os.chmod(place.index, 0o777)
    os.chmod(os.path.join(place.index, "index.lock"), 0o666)
    db = os.path.join(place.index, "index.db")
    os.chmod(db, 0o444)
    return ("index", place.tree, "--index-dir", place.index), db, place.index


def _new_index_under_unwritable_parent(place):
    os.mkdir(place.path("locked"), 0o555)
    new = place.path("locked", "index")
    return ("index", place.tree, "--index-dir", new), new, None


def _read_only_mount(place):
    mount = place.mount_tmpfs("ro", "4m")
    index = os.path.join(mount, "index")
    place.build(index)
    subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
    return ("index", place.tree, "--index-dir", index), index, index


def _disk_full(place):
    index = os.path.join(place.mount_tmpfs("small", "1m"), "index")
    place.build(index)  # ~64 KB
    place.more_files(300)  # ~3 MB of index more
    db = os.path.join(index, "index.db")
    return ("index", place.tree, "--index-dir", index), db, index


def _index_dir_is_a_file(place, command):
    with open(place.path("a-file"), "w") as fh:
        fh.write("not a directory\n")
    target = ("index", place.tree) if command == "index" else ("symbols", "f1", "--root",
                                                                 place.tree)
    return (*target, "--index-dir", place.path("a-file")), place.path("a-file"), None


def _index_db_is_a_directory(place, command):
    os.makedirs(place.path("odd", "index.db"))
    target = ("index", place.tree) if command == "index" else ("status",)
    db = place.path("odd", "index.db")
    return (*target, "--index-dir", place.path("odd")), db, None


def _root_unreadable(place):
    place.build()
    os.chmod(place.tree, 0o000)
    return ("index", place.tree, "--index-dir", place.index), place.tree, place.index


def _root_not_a_directory(place):
    place.build()
    return (("index", os.path.join(place.tree, "m1.py"), "--index-dir", place.index),
            os.path.join(place.tree, "m1.py"), place.index)


CASES = [
    Case("read-only index", _read_only_index, 2, "permission denied", as_nobody=True),
    Case("index directory not writable", _directory_not_writable, 2,
         "permission denied on the directory", as_nobody=True),
    Case("index.db read-only", _database_read_only, 2, "permission denied", as_nobody=True),
    Case("new index under an unwritable directory", _new_index_under_unwritable_parent, 2,
         "permission denied on the directory", as_nobody=True),
    Case("read-only mount", _read_only_mount, 2, "mounted read-only", mounts=True),
    Case("disk full", _disk_full, 2, "the disk is full", mounts=True),
    Case("index dir is a file (index)", lambda p: _index_dir_is_a_file(p, "index"), 2,
         "is a file, not a directory"),
    Case("index dir is a file (query)", lambda p: _index_dir_is_a_file(p, "symbols"), 2,
         "is a file, not a directory"),
    Case("index.db is a directory (index)", lambda p: _index_db_is_a_directory(p, "index"), 2,
         "is a directory, not a ragex index"),
    Case("index.db is a directory (status)", lambda p: _index_db_is_a_directory(p, "status"),
         2, "is a directory, not a ragex index"),
    Case("root unreadable", _root_unreadable, 2, "cannot read the root", as_nobody=True),
    Case("root not a directory", _root_not_a_directory, 2, "not a directory"),
]


@pytest.fixture
def place():
    p = Place()
    yield p
    p.clean()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_one_clear_line_and_the_index_keeps_answering(case, place):
    if case.as_nobody and _why_not_as_nobody():
        pytest.skip(_why_not_as_nobody())
    if case.mounts and _why_no_mount():
        pytest.skip(_why_no_mount())
    args, named, answering = case.arrange(place)
    proc = ragex(*args, as_nobody=case.as_nobody)
    assert proc.returncode == case.code, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith(f"ragex {args[0]}: error: "), line
    assert named in line and case.says in line, line
    assert "--rebuild" not in line and "corrupt" not in line  # never the wrong advice
    if answering is None:
        assert "still answer" not in line  # there is no index to answer
        return
    found = ragex("symbols", "f1", "--root", place.tree, "--index-dir", answering,
                  as_nobody=case.as_nobody)
    # answering; at most a note that the failed run left the index as it was, unfinished
    assert found.returncode == 0 and all(
        line.startswith("ragex symbols: note: the index is partial")
        for line in found.stderr.splitlines()), found.stderr
    assert found.stdout.startswith("m1.py:1\tfunction\tm1.f1"), found.stdout
    status = ragex("status", "--json", "--index-dir", answering, as_nobody=case.as_nobody)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["by_language"]["python"]["ok"]["files"] >= 3


def test_a_read_only_index_answers_every_query(place):
    """The queries themselves, on an index whose directory and files are read-only."""
    if _why_not_as_nobody():
        pytest.skip(_why_not_as_nobody())
    _read_only_index(place)
    root = ("--root", place.tree, "--index-dir", place.index)
    for query in (("symbols", "f2", *root), ("outline", "m3.py", *root),
                  ("show", "f1", *root), ("status", "--index-dir", place.index)):
        answer = ragex(*query, as_nobody=True)
        assert answer.returncode == 0 and answer.stderr == "", (query, answer.stderr)
    assert "state  complete" in ragex("status", "--index-dir", place.index).stdout


def test_an_mcp_server_on_a_read_only_index_answers_and_says_why_it_cannot_index(place):
    if _why_not_as_nobody():
        pytest.skip(_why_not_as_nobody())
    import asyncio

    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    _read_only_index(place)
    params = StdioServerParameters(
        command=NOBODY[0], args=[*NOBODY[1:], sys.executable, "-m", "ragex", "mcp",
                                 place.tree, "--index-dir", place.index, "--no-index"],
        env={**os.environ, "HOME": "/tmp"}, cwd="/tmp")

    async def session():
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as s:
                await s.initialize()
                before = await s.call_tool("search_symbols", {"query": "f1"})
                job = await s.call_tool("index_codebase", {"wait_seconds": 30})
                after = await s.call_tool("search_symbols", {"query": "f2"})
                return before, job, after

    before, job, after = asyncio.run(asyncio.wait_for(session(), timeout=120))
    assert [r["name"] for r in before.structured_content["results"]] == ["f1"]
    assert job.structured_content["state"] == "failed"
    assert job.structured_content["error"].startswith(
        f"cannot write the index at {place.index}: permission denied")
    assert [r["name"] for r in after.structured_content["results"]] == ["f2"]
