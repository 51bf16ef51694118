"""Recheck and CodeIndexer.update_paths: changed paths judged as the whole walk judges them.

The ground truth is ragex's whole walk (ripgrep's own): after random changes to trees with
nested ignore files of every kind, an index updated path by path holds exactly the files
and symbols of an index built afresh."""

import os
import random
import shutil
import sqlite3

import pytest

from ragex.config import load_config
from ragex.discover import DiscoveryOptions, discover
from ragex.indexer import CodeIndexer
from ragex.recheck import WalkMap, recheck

SEQUENTIAL = load_config(environ={}, flags={"use_parallel": False})


def write(root, rel, text=None):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    name = rel.rsplit("/", 1)[-1].split(".")[0].replace("-", "_") or "x"
    path.write_text(text if text is not None else f"def f_{name}():\n    return 1\n")
    return path


def index_rows(index_dir):
    """Everything the index says about files and symbols, ids left out."""
    conn = sqlite3.connect(f"file:{index_dir}/index.db?mode=ro", uri=True)
    try:
        files = sorted(conn.execute("SELECT path, size, hash, language, status, reason, "
                                    "symbol_count FROM files"))
        symbols = sorted(conn.execute(
            "SELECT f.path, s.qualified_name, s.kind, s.start_line, s.end_line, s.signature "
            "FROM symbols s JOIN files f ON f.id = s.file_id"))
    finally:
        conn.close()
    return files, symbols


def clean_rows(root, tmp_path, options=DiscoveryOptions(), name="clean"):
    index_dir = tmp_path / name
    shutil.rmtree(index_dir, ignore_errors=True)
    CodeIndexer(str(root), str(index_dir), SEQUENTIAL, options).index_codebase()
    return index_rows(index_dir)


NAMES = ["a", "b", "gen", "build", ".hid", "keep", "src", "x-1", "lib.d"]
FILES = ["m.py", "n.go", "t.txt", "keep.py", "skip.py", ".dot.py", "run", "z.gen.py",
         "__init__.py"]
RULES = ["*.go", "build/", "/keep.py", "!keep.py", "gen/*", "!gen/keep.py", "*.gen.py",
         "b/", "**/x-1/*.py", "skip.py", "lib.d/", "/a/m.py", "src/**/n.go"]
RULE_FILES = [".gitignore", ".ignore", ".rgignore", ".ragexignore"]


def random_dir(rng, depth=3):
    return "/".join(rng.choice(NAMES) for _ in range(rng.randint(0, depth)))


def random_file(rng):
    directory = random_dir(rng)
    return f"{directory}/{rng.choice(FILES)}".lstrip("/")


def populate(root, rng, files=40, rule_files=6, links=2):
    for _ in range(files):
        rel = random_file(rng)
        if rel.endswith("run"):
            write(root, rel, "#!/usr/bin/env python3\ndef script():\n    pass\n")
        else:
            write(root, rel)
    for _ in range(rule_files):
        rel = f"{random_dir(rng, 2)}/{rng.choice(RULE_FILES)}".lstrip("/")
        write(root, rel, "\n".join(rng.sample(RULES, rng.randint(1, 3))) + "\n")
    directories = sorted({os.path.dirname(f) for f in existing(root)} - {""})
    for i in range(links if directories else 0):  # directory symlinks inside the root
        link = root / f"{random_dir(rng, 1)}/link{i}".lstrip("/")
        if not link.parent.is_dir() or os.path.lexists(link):
            continue
        os.symlink(os.path.relpath(root / rng.choice(directories), link.parent), link)


def existing(root):
    out = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".ragex"]
        for f in files:
            if not os.path.islink(os.path.join(directory, f)):  # (a link left dangling)
                out.append(os.path.relpath(os.path.join(directory, f), root).replace(os.sep, "/"))
    return sorted(out)


def mutate(root, rng, changes=12):
    """Random changes of code files (not of ignore files); the paths an event would name."""
    hints = set()
    for _ in range(changes):
        action = rng.choice(["add", "add", "edit", "delete", "move", "mkdir", "rmdir", "mvdir",
                             "redo"])
        files = [f for f in existing(root) if f.rsplit("/", 1)[-1] not in RULE_FILES]
        if action == "add" or not files:
            rel = random_file(rng)
            if (root / rel).is_dir():
                continue
            write(root, rel, f"def added_{rng.randint(0, 999)}():\n    pass\n")
            hints.add(rel)
        elif action == "edit":
            rel = rng.choice(files)
            write(root, rel, f"class Edited{rng.randint(0, 999)}:\n    pass\n")
            hints.add(rel)
        elif action == "delete":
            rel = rng.choice(files)
            (root / rel).unlink()
            hints.add(rel)
        elif action == "move":
            rel, dest = rng.choice(files), random_file(rng)
            if (root / dest).exists():
                continue
            (root / dest).parent.mkdir(parents=True, exist_ok=True)
            os.rename(root / rel, root / dest)
            hints |= {rel, dest}
        elif action == "mkdir":
            top = f"{random_dir(rng, 2)}/{rng.choice(NAMES)}new".lstrip("/")
            for f in rng.sample(FILES, 3):
                if not (root / top).is_file():
                    write(root, f"{top}/sub/{f}")
            hints.add(top)  # an event names the new directory (and maybe what is inside)
        else:
            directories = sorted({os.path.dirname(f) for f in files} - {""})
            if not directories:
                continue
            victim = rng.choice(directories)
            if action == "rmdir":
                shutil.rmtree(root / victim)
                hints.add(victim)  # a directory moved away names only itself
            elif action == "redo":  # replaced by another directory of the same name
                shutil.rmtree(root / victim)
                write(root, f"{victim}/{rng.choice(FILES)}")
                hints.add(victim)
            else:
                dest = f"{rng.choice(NAMES)}moved"
                if (root / dest).exists():
                    continue
                os.rename(root / victim, root / dest)
                hints |= {victim, dest}
    return hints


OPTIONS = [DiscoveryOptions(), DiscoveryOptions(hidden=True),
           DiscoveryOptions(exclude=("a/**",)), DiscoveryOptions(include=("*.py",)),
           DiscoveryOptions(no_ignore=True)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_updates_path_by_path_equal_a_fresh_index(tmp_path, seed):
    rng = random.Random(seed)
    root = tmp_path / "repo"
    populate(root, rng)
    options = OPTIONS[seed % len(OPTIONS)]
    indexer = CodeIndexer(str(root), config=SEQUENTIAL, discovery=options)
    indexer.index_codebase()
    for step in range(3):
        hints = mutate(root, rng)
        summary = indexer.update_paths(sorted(hints))
        assert not summary.notes, "no ignore file changed: no whole walk"
        assert index_rows(root / ".ragex") == clean_rows(root, tmp_path, options), \
            f"seed {seed} step {step}: {sorted(hints)}"


def test_a_change_in_an_ignored_directory_needs_no_walk(tmp_path):
    root = tmp_path / "repo"
    write(root, "src/m.py")
    write(root, ".gitignore", "build/\n")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    assert "build" not in indexer.current_walk_map().pruned  # not there yet: nothing to pass over
    write(root, "build/out.py")
    write(root, "build/deep/more.py")
    summary = indexer.update_paths(["build", "build/out.py", "build/deep/more.py"])
    assert summary.total_files == 1 and "build" in indexer.walk_map.pruned
    write(root, "build/later.py")
    write(root, ".hidden/h.py")
    store = indexer.open_store()
    checked = recheck(str(root), ["build/later.py", "build/deep/more.py", ".ragex/index.db"],
                      indexer.discovery, indexer.walk_map,
                      indexed=lambda rel: store.file_row(rel) is not None,
                      indexed_under=store.paths_under, inner=".ragex")
    store.close()
    assert (checked.walks, checked.found, checked.gone) == (0, [], set())
    assert checked.passed == 3


@pytest.mark.slow
def test_an_ignore_file_that_changed_walks_everything(tmp_path):
    root = tmp_path / "repo"
    write(root, "src/m.py")
    write(root, "src/gen.py")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    for rule_file in ("src/.gitignore", ".ignore", ".rgignore", ".ragexignore"):
        write(root, rule_file, "gen.py\n")
        summary = indexer.update_paths([rule_file])
        assert summary.notes and summary.removed == 1, rule_file
        assert [f[0] for f in index_rows(root / ".ragex")[0]] == ["src/m.py"]
        (root / rule_file).unlink()
        summary = indexer.update_paths([rule_file])
        assert summary.indexed == 1
    os.makedirs(root / ".git/info")
    write(root, ".git/info/exclude", "src/gen.py\n")
    assert indexer.update_paths([".git/info/exclude"]).removed == 1


def test_a_same_size_rewrite_within_the_clock_tick_is_seen(tmp_path):
    root = tmp_path / "repo"
    path = write(root, "m.py", "def aaaa():\n    pass\n")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    before = os.stat(path)
    path.write_text("def bbbb():\n    pass\n")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime too
    summary = indexer.update_paths(["m.py"])
    assert summary.indexed == 1
    assert [s[1] for s in index_rows(root / ".ragex")[1]] == ["m", "m.bbbb"]
    assert indexer.update_paths(["m.py"]).unchanged == 1  # same content: nothing to do


def test_links_out_of_the_root_are_refused_path_by_path(tmp_path):
    root = tmp_path / "repo"
    write(root, "m.py")
    write(tmp_path, "outside/secret.py", "TOKEN = 1\n")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    os.symlink(tmp_path / "outside/secret.py", root / "link.py")
    os.symlink(tmp_path / "outside", root / "linkdir")
    summary = indexer.update_paths(["link.py", "linkdir"])
    assert summary.total_files == 1 and summary.indexed == 0
    (root / "m.py").unlink()
    os.symlink(tmp_path / "outside/secret.py", root / "m.py")  # an indexed file turns into one
    assert indexer.update_paths(["m.py"]).removed == 1


def test_ignore_files_above_the_root_do_not_apply(tmp_path):
    outer = tmp_path / "outer"
    root = outer / "repo"
    write(outer, ".gitignore", "repo/new/\n*.gen.py\n")  # above the root: not ragex's rules
    write(root, "m.py")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    write(root, "new/n.py")
    write(root, "x.gen.py")
    summary = indexer.update_paths(["new", "x.gen.py"])
    assert summary.indexed == 2
    assert index_rows(root / ".ragex") == clean_rows(root, tmp_path)


def test_walk_map_from_the_index_when_no_walk_ran(tmp_path):
    root = tmp_path / "repo"
    write(root, "pkg/m.py")
    CodeIndexer(str(root), config=SEQUENTIAL).index_codebase()
    fresh = CodeIndexer(str(root), config=SEQUENTIAL)  # another process: no walk yet
    write(root, "pkg/n.py")
    assert fresh.update_paths(["pkg/n.py"]).indexed == 1
    assert isinstance(fresh.walk_map, WalkMap)


def test_recheck_of_a_deleted_directory_removes_what_was_below(tmp_path):
    root = tmp_path / "repo"
    for rel in ("lib.d/a.py", "lib.d/b/c.py", "lib.dx/keep.py"):
        write(root, rel)
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    shutil.rmtree(root / "lib.d")
    summary = indexer.update_paths(["lib.d"])  # a name that is not code, gone: a directory
    assert summary.removed == 2
    assert [f[0] for f in index_rows(root / ".ragex")[0]] == ["lib.dx/keep.py"]


def test_discover_listed_judges_given_paths(tmp_path):
    root = tmp_path / "repo"
    write(root, "a.py")
    write(root, "notes.txt")
    write(root, "run", "#!/usr/bin/awk -f\nBEGIN {}\n")
    found = [f.rel_path for f in discover(str(root), listed=["a.py", "notes.txt", "run",
                                                             "gone.py"])]
    assert found == ["a.py"]


@pytest.mark.parametrize("how", ["whole run", "path by path"])
def test_a_package_that_comes_or_goes_renames_the_modules_below(tmp_path, how):
    root = tmp_path / "repo"
    write(root, "pkg/sub/__init__.py", "")
    write(root, "pkg/sub/m.py", "def f():\n    pass\n")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()

    def update(path):
        return indexer.index_codebase() if how == "whole run" else indexer.update_paths([path])

    def names():
        return [s[1] for s in index_rows(root / ".ragex")[1] if s[0] == "pkg/sub/m.py"]

    assert names() == ["sub.m", "sub.m.f"]
    write(root, "pkg/__init__.py", "")
    assert update("pkg/__init__.py").indexed == 3  # the new package and the two modules below
    assert names() == ["pkg.sub.m", "pkg.sub.m.f"]
    (root / "pkg/__init__.py").unlink()
    update("pkg/__init__.py")
    assert names() == ["sub.m", "sub.m.f"]
    assert index_rows(root / ".ragex") == clean_rows(root, tmp_path)


def test_a_file_below_a_directory_symlink_is_updated_under_each_path(tmp_path):
    root = tmp_path / "repo"
    write(root, "real/sub/m.py", "def old():\n    pass\n")
    os.symlink("real", root / "alias")
    os.makedirs(root / "deep")
    os.symlink("../real/sub", root / "deep/sub_alias")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    paths = ["alias/sub/m.py", "deep/sub_alias/m.py", "real/sub/m.py"]
    assert [f[0] for f in index_rows(root / ".ragex")[0]] == paths
    write(root, "real/sub/m.py", "def new():\n    pass\n")  # an event names the real path
    assert indexer.update_paths(["real/sub/m.py"]).indexed == 3
    write(root, "real/sub/n.py")
    assert indexer.update_paths(["real/sub/n.py"]).indexed == 3
    (root / "real/sub/m.py").unlink()
    assert indexer.update_paths(["alias/sub/m.py"]).removed == 3  # or the link's path
    assert index_rows(root / ".ragex") == clean_rows(root, tmp_path)
    fresh = CodeIndexer(str(root), config=SEQUENTIAL)  # another process: links from the index
    write(root, "real/sub/n.py", "def again():\n    pass\n")
    assert fresh.update_paths(["real/sub/n.py"]).indexed == 3


def test_a_package_whose_init_the_rules_leave_out_renames_the_modules_all_the_same(tmp_path):
    root = tmp_path / "repo"
    write(root, "pkg/m.py", "def f():\n    pass\n")
    write(root, ".gitignore", "__init__.py\n")
    indexer = CodeIndexer(str(root), config=SEQUENTIAL)
    indexer.index_codebase()
    write(root, "pkg/__init__.py", "")  # not indexed, yet pkg/ is a package now
    assert indexer.update_paths(["pkg/__init__.py"]).indexed == 1
    assert index_rows(root / ".ragex") == clean_rows(root, tmp_path)
    assert indexer.update_paths(["pkg/__init__.py"]).indexed == 0  # named right already
