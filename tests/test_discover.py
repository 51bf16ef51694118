"""Discovery: the file list equals ripgrep's on real trees with nested ignore files."""

import os
import subprocess

import pytest

from ragex.discover import DiscoveryOptions, discover, is_supported_name, list_files, ripgrep_binary


def write(root, rel, text="x = 1\n"):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "repo"
    for rel in ["a.py", "b.js", "keep.log", "build/out.py", "src/main.go", "src/gen/x_pb.py",
                "src/gen/keep_pb.py", "src/deep/n.rs", "src/deep/skip.rs", "docs/readme.txt",
                ".hidden/h.py", ".config.py", "node_modules/pkg/index.js", "vendor/v.c",
                "src/deep/deeper/t.ts", "src/deep/deeper/t.test.ts", "tools/run",
                "anchored/x.py", "sub/anchored/x.py", "local/only.py"]:
        write(root, rel)
    write(root, ".gitignore", "build/\n*.log\nnode_modules\n/anchored/\n")
    write(root, "src/.gitignore", "gen/*\n!gen/keep_pb.py\n")
    write(root, "src/deep/.ignore", "skip.rs\n")
    write(root, "src/deep/deeper/.rgignore", "*.test.ts\n")
    write(root, ".git/info/exclude", "local/\n")
    write(root, "tools/run", "#!/usr/bin/env python3\nprint(1)\n")
    return root


def rg_files(root, *extra):
    out = subprocess.run([ripgrep_binary(), "--files", "--no-config", *extra], cwd=root,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    return sorted(p for p in out.splitlines() if p)


def test_equals_ripgrep_outside_git(tree):
    assert list_files(str(tree)) == rg_files(tree, "--no-require-git")


def test_equals_ripgrep_inside_git(tree):
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    write(tree, ".git/info/exclude", "local/\n")
    expected = rg_files(tree)
    assert list_files(str(tree)) == expected
    assert "local/only.py" not in expected  # .git/info/exclude applied
    for gone in ("build/out.py", "keep.log", "node_modules/pkg/index.js", "src/gen/x_pb.py",
                 "src/deep/skip.rs", "src/deep/deeper/t.test.ts", "anchored/x.py",
                 ".hidden/h.py", ".config.py"):
        assert gone not in expected
    for kept in ("src/gen/keep_pb.py", "sub/anchored/x.py", "src/deep/deeper/t.ts"):
        assert kept in expected


def test_discover_keeps_code_and_scripts(tree):
    found = {f.rel_path: f.language for f in discover(str(tree))}
    assert found["a.py"] == "python" and found["b.js"] == "javascript"
    assert found["tools/run"] == "python"  # by its #! line
    assert "docs/readme.txt" not in found
    assert all(is_supported_name(p) is not False for p in found)


def test_ragexignore_root_and_nested(tree):
    write(tree, ".ragexignore", "vendor/\n")
    write(tree, "src/.ragexignore", "main.go\n")
    found = {f.rel_path for f in discover(str(tree))}
    assert "vendor/v.c" not in found and "src/main.go" not in found
    assert "a.py" in found
    assert "vendor/v.c" in {f.rel_path for f in discover(str(tree), DiscoveryOptions(no_ignore=True))}


def test_include_exclude_hidden(tree):
    only_rs = {f.rel_path for f in discover(str(tree), DiscoveryOptions(include=["*.rs"]))}
    assert only_rs == {"src/deep/n.rs"}
    no_src = {f.rel_path for f in discover(str(tree), DiscoveryOptions(exclude=["src/**"]))}
    assert not any(p.startswith("src/") for p in no_src)
    hidden = {f.rel_path for f in discover(str(tree), DiscoveryOptions(hidden=True))}
    assert ".hidden/h.py" in hidden and ".config.py" in hidden


def test_symlinks_loops_and_escapes(tmp_path):
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    write(root, "in.py")
    write(outside, "secret.py")
    os.symlink(root, root / "loop")  # a loop back to the root
    os.symlink(outside, root / "out")
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(root / "in.py", root / "alias.py")
    found = {f.rel_path for f in discover(str(root))}
    assert found == {"in.py", "alias.py"}
    with_outside = {f.rel_path for f in discover(str(root), DiscoveryOptions(follow_outside=True))}
    assert {"out/secret.py", "link.py"} <= with_outside


def test_missing_root_is_a_clear_error(tmp_path):
    from ragex.discover import DiscoveryError

    with pytest.raises(DiscoveryError, match="not a directory"):
        list_files(str(tmp_path / "nope"))


def test_what_the_walk_passes_over_is_reported(tmp_path):
    root = tmp_path / "root"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "ok.py").write_text("x = 1\n")
    os.mkfifo(root / "pkg" / "pipe.py")
    os.mkfifo(root / "not_code.txt")  # not a code file name: not worth a line
    os.symlink("..", root / "pkg" / "loop")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("y = 2\n")
    os.symlink(outside, root / "elsewhere")
    os.symlink(outside / "secret.py", root / "secret_link.py")
    problems = []
    found = {f.rel_path for f in discover(str(root), problems=problems)}
    assert found == {"pkg/ok.py"}
    reasons = {p.path: p.reason for p in problems}
    assert reasons.keys() == {"pkg/pipe.py", "pkg/loop", "elsewhere", "secret_link.py"}
    assert reasons["pkg/pipe.py"].startswith("not a regular file")
    assert reasons["pkg/loop"].startswith("symlink loop")
    assert reasons["elsewhere"].startswith("symlink leads outside the root")

    from ragex.config import load_config
    from ragex.front import Index

    index = Index(str(root), config=load_config(environ={}, flags={"use_parallel": "false"}))
    summary = index.update()
    assert {p["path"] for p in summary.problems} == set(reasons)
    status = index.status()
    assert {p["path"]: p["reason"] for p in status["problems"]} == reasons
    index.close()


def test_a_ragexignore_applies_below_directories_without_files_of_their_own(tmp_path):
    root = tmp_path / "repo"
    write(root, "pkg/sub/gen/x.py")
    write(root, "pkg/sub/keep.py")
    write(root, "pkg/.ragexignore", "sub/gen/\n")  # pkg/ holds no file of its own
    assert list_files(str(root)) == ["pkg/sub/keep.py"]


def test_hidden_never_reaches_into_git(tmp_path):
    root = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root, ".git/hooks/check.py")
    write(root, ".github/workflow.py")
    assert list_files(str(root), DiscoveryOptions(hidden=True)) == [".github/workflow.py"]


def test_a_focused_walk_judges_paths_as_the_whole_walk(tmp_path):
    from ragex.discover import walk

    root = tmp_path / "repo"
    for rel in ("src/a.py", "src/a.gen.py", "src/deep/b.py", "src/skip/c.py", "other/d.py",
                "gen/a/x.py", "gen/b.py", "x-1/x-1/build/keep.py", "x-1/y.py", "top.py",
                "we[ir]d*/w.py"):
        write(root, rel)
    write(root, ".gitignore", "*.gen.py\ngen/*\n**/x-1/*.py\n")
    write(root, "src/.ignore", "skip/\n")
    write(tmp_path / ".gitignore", "repo/other/\n")  # above the root: not ragex's rules
    whole, _ = walk(str(root))
    for subtrees, listings in ([["src/deep", "other"], ["src"]], [["gen"], ["x-1/x-1/build"]],
                               [["x-1"], []], [[], [""]], [["we[ir]d*"], ["gen/a"]]):
        ignored = []
        listed, _ = walk(str(root), ignored=ignored, subtrees=subtrees, listings=listings)
        wanted = [p for p in whole
                  if any(p.startswith(d + "/") for d in subtrees)
                  or p.rpartition("/")[0] in listings]
        assert [p for p in listed if p in wanted] == wanted, (subtrees, listings)
        assert set(listed) <= set(whole)
    ignored = []
    walk(str(root), ignored=ignored, subtrees=["src"], listings=["gen"])
    assert {"src/a.gen.py", "src/skip", "gen/b.py"} <= set(ignored)
    assert not {"other", "gen/a"} & set(ignored)  # left out to focus the walk, not by a rule
