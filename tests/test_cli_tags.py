"""`ragex tags -o PATH` writes where ctags users expect it to, through the real CLI: stdout,
a regular file replaced at once, a symlink's target, a FIFO and a device written as
streams, a directory refused with one line; never a temporary left behind; and paths
relative to the tags file's directory, which real vim follows."""

import os
import shutil
import stat
import subprocess
import sys
import threading

import pytest

import ragex.front as front
from ragex.cli import main


def write(root, rel, text):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    write(root, "shop/cart.py", "class Cart:\n    def add_item(self):\n        pass\n\n\n"
                                "def make_carts():\n    return [Cart()]\n")
    write(root, "svc/main.go", "package svc\n\nfunc Serve() error { return nil }\n")
    (root / "out").mkdir()
    monkeypatch.chdir(root)
    assert main(["index", ".", "--no-progress"]) == 0
    return root


def tag_lines(text):
    return [line.split("\t") for line in text.splitlines() if not line.startswith("!_TAG_")]


def paths_in(text):
    return {fields[0]: fields[1] for fields in tag_lines(text)}


def assert_paths_resolve(tags_file, text, root):
    """Every path, read from the tags file's directory, is the indexed file it names."""
    base = os.path.dirname(os.path.abspath(tags_file))
    for name, path, address, *_ in tag_lines(text):
        full = os.path.realpath(os.path.join(base, path))
        assert full.startswith(str(root) + os.sep) and os.path.isfile(full), (name, path)
        line = int(address.split(";")[0])
        if "kind:module" not in _:
            assert name in open(full).read().splitlines()[line - 1], (name, path, line)


def leftovers(*directories):
    return [name for d in directories for name in os.listdir(d) if name.endswith(".tmp")]


EXPECTED_FROM_ROOT = {"Cart": "shop/cart.py", "make_carts": "shop/cart.py",
                      "Serve": "svc/main.go"}


@pytest.mark.parametrize("cwd,output,expected", [
    (".", "tags", EXPECTED_FROM_ROOT),
    (".", "out/tags", {"Cart": "../shop/cart.py", "Serve": "../svc/main.go"}),
    (".", "shop/tags", {"Cart": "cart.py", "Serve": "../svc/main.go"}),
    ("shop", "tags", {"Cart": "cart.py", "Serve": "../svc/main.go"}),
    ("shop", "../tags", EXPECTED_FROM_ROOT),
    ("shop", "../svc/tags", {"Cart": "../shop/cart.py", "Serve": "main.go"}),
    ("svc", "../out/tags", {"Cart": "../shop/cart.py", "Serve": "../svc/main.go"}),
])
def test_paths_are_relative_to_the_tags_files_directory(project, monkeypatch, cwd, output,
                                                         expected):
    monkeypatch.chdir(project / cwd)
    assert main(["tags", "-o", output]) == 0
    text = open(output).read()
    assert paths_in(text).items() >= expected.items()
    assert_paths_resolve(output, text, project)
    assert not leftovers(os.path.dirname(os.path.abspath(output)))


@pytest.mark.parametrize("cwd", [".", "shop", "out"])
def test_stdout_paths_are_relative_to_the_current_directory(project, monkeypatch, capsys,
                                                            cwd):
    monkeypatch.chdir(project / cwd)
    assert main(["tags", "-o", "-"]) == 0
    text = capsys.readouterr().out
    assert_paths_resolve("./tags", text, project)


def test_a_tags_file_outside_the_root(project, tmp_path):
    elsewhere = tmp_path / "elsewhere" / "deep"
    elsewhere.mkdir(parents=True)
    assert main(["tags", "-o", str(elsewhere / "tags")]) == 0
    text = (elsewhere / "tags").read_text()
    assert paths_in(text)["Cart"] == "../../proj/shop/cart.py"
    assert_paths_resolve(elsewhere / "tags", text, project)


def test_real_vim_jumps_from_a_subdirectory(project, monkeypatch, tmp_path):
    vim = shutil.which("vim")
    if vim is None:
        pytest.skip("no vim")
    monkeypatch.chdir(project / "shop")
    assert main(["tags"]) == 0
    for tag, file, line in [("make_carts", project / "shop/cart.py", 6),
                            ("Serve", project / "svc/main.go", 3)]:
        result = tmp_path / f"{tag}.txt"
        subprocess.run([vim, "-Nu", "NONE", "-i", "NONE", "-es", "-c", "set tags=./tags",
                        "-c", f"tag {tag}", "-c",
                        f"call writefile([expand('%:p'), line('.')], '{result}')",
                        "-c", "qa!"], timeout=30, capture_output=True)
        assert result.read_text().splitlines() == [str(file), str(line)]


# ----------------------------------------------------------------- where it lands


def test_a_regular_file_is_replaced_keeping_its_mode(project):
    target = project / "tags"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    inode = os.stat(target).st_ino
    assert main(["tags", "-o", "tags"]) == 0
    st = os.stat(target)
    assert stat.S_IMODE(st.st_mode) == 0o640 and st.st_ino != inode  # replaced at once
    assert "Cart\tshop/cart.py" in target.read_text()


def test_a_new_file_gets_the_umask_mode(project):
    old = os.umask(0o027)
    try:
        assert main(["tags", "-o", "new_tags"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(project / "new_tags").st_mode) == 0o640


@pytest.mark.parametrize("link_target", ["out/real_tags", "out/missing_tags"])
def test_a_symlink_has_its_target_written(project, link_target):
    if link_target == "out/real_tags":
        (project / link_target).write_text("old\n")
    os.symlink(link_target, project / "tags")
    assert main(["tags", "-o", "tags"]) == 0
    assert os.path.islink(project / "tags")
    assert os.readlink(project / "tags") == link_target
    text = (project / link_target).read_text()
    assert paths_in(text)["Cart"] == "shop/cart.py"  # relative to where the link is
    assert not leftovers(project, project / "out")


def test_a_fifo_is_written_as_a_stream(project):
    fifo = project / "tags.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    try:
        assert main(["tags", "-o", str(fifo)]) == 0
    finally:
        reader.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert paths_in(received[0])["Cart"] == "shop/cart.py"
    assert not leftovers(project)


def test_a_device_node_stays_a_device(project):
    node = project / "out" / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("mknod needs root")
    assert main(["tags", "-o", str(node)]) == 0
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert os.listdir(project / "out") == ["null"]


@pytest.fixture
def dev_guard():
    """Puts /dev/null and /dev/stdout back if a test broke them (the bug this file tests
    did, as root: it renamed a regular file over them)."""
    yield
    broken = []
    if not stat.S_ISCHR(os.lstat("/dev/null").st_mode):
        os.unlink("/dev/null")
        os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.chmod("/dev/null", 0o666)
        broken.append("/dev/null")
    if not os.path.islink("/dev/stdout"):
        os.unlink("/dev/stdout")
        os.symlink("/proc/self/fd/1", "/dev/stdout")
        broken.append("/dev/stdout")
    if broken:
        pytest.fail(f"{broken} were replaced by regular files (restored)")


def test_dev_null_stays_a_device(project, capsys, dev_guard):
    if not os.access("/dev", os.W_OK):
        pytest.skip("/dev is not writable here: nothing could replace /dev/null")
    assert main(["tags", "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert "wrote" in capsys.readouterr().err
    assert not [n for n in os.listdir("/dev") if n.startswith(".null.")]


def test_dev_stdout_in_a_real_process(project, dev_guard):
    out = subprocess.run([sys.executable, "-m", "ragex", "tags", "-o", "/dev/stdout"],
                         cwd=project / "shop", capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert paths_in(out.stdout)["Cart"] == "cart.py"


@pytest.mark.parametrize("output", ["out", "out/", "dirlink", "."])
def test_a_directory_is_one_clear_error(project, capsys, output):
    os.symlink("out", project / "dirlink")
    before = sorted(os.listdir(project)), sorted(os.listdir(project / "out"))
    assert main(["tags", "-o", output]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a directory" in err and "Traceback" not in err
    assert (sorted(os.listdir(project)), sorted(os.listdir(project / "out"))) == before


def test_a_directory_in_a_real_process(project):
    out = subprocess.run([sys.executable, "-m", "ragex", "tags", "-o", "out"], cwd=project,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.startswith("ragex tags: error: -o out: is a directory")
    assert out.stderr.count("\n") == 1


def test_a_missing_directory_is_one_clear_error(project, capsys):
    assert main(["tags", "-o", "nowhere/tags"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No such file or directory" in err
    assert not os.path.exists(project / "nowhere")


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(project, monkeypatch):
    (project / "tags").write_text("old\n")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(front, "write_tags", broken)
    assert main(["tags", "-o", "tags"]) == 2
    assert (project / "tags").read_text() == "old\n"
    assert not leftovers(project)


def test_paths_a_tags_file_cannot_hold_are_left_out_and_named(project, capsys):
    write(project, "odd\tname.py", "def odd():\n    pass\n")
    write(project, "line\nbreak.py", "def broken_line():\n    pass\n")
    assert main(["index", ".", "--no-progress"]) == 0
    capsys.readouterr()
    assert main(["tags", "-o", "tags"]) == 0
    err = capsys.readouterr().err
    assert "2 files left out" in err and "'odd\\tname.py'" in err
    lines = tag_lines((project / "tags").read_text())
    assert all(len(fields) >= 4 and fields[2].endswith(';"') for fields in lines)
    assert not {"odd", "broken_line"} & {fields[0] for fields in lines}


def test_a_default_tags_link_out_of_the_root_is_written_only_when_named(project, tmp_path,
                                                                         capsys):
    # `tags` may come with a cloned tree, planted to overwrite a file of whoever runs this
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    os.symlink(victim, project / "tags")
    assert main(["tags"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "outside the root" in err and "-o tags" in err
    assert victim.read_text() == "precious\n"
    assert main(["tags", "-o", "tags"]) == 0  # named: the user's choice
    assert "Cart\tshop/cart.py" in victim.read_text() and os.path.islink(project / "tags")


def test_a_default_tags_link_inside_the_root_is_written_through(project):
    os.symlink("out/real_tags", project / "tags")
    assert main(["tags"]) == 0
    assert "Cart\tshop/cart.py" in (project / "out" / "real_tags").read_text()
