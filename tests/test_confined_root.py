"""ConfinedRoot: a file is opened only if its real path is inside the root, on real trees
with real symlinks, FIFOs and directories, and with swaps driven between two steps of
the walk (the races a path check followed by an open would lose)."""

import errno
import os

import pytest

from ragex.discover import ConfinedRoot, OutsideRoot, open_inside

SECRET = b"SECRET-FROM-OUTSIDE"


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def tree(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root / "a.py", b"A\n")
    write(root / "sub" / "b.py", b"B\n")
    write(outside / "secret.py", SECRET)
    write(outside / "sub" / "b.py", SECRET)
    links = {  # name in the root -> target, as written in the link
        "alias.py": "a.py",
        "abs_alias.py": str(root / "a.py"),
        "updown.py": "../root/a.py",
        "subl": "sub",
        "sub/back.py": "../a.py",
        "sub/deepback.py": "../sub/../a.py",
        "chain1.py": "chain2.py",
        "chain2.py": "alias.py",
        "up": "..",
        "abs_out.py": str(outside / "secret.py"),
        "rel_out.py": "../outside/secret.py",
        "outdir": "../outside",
        "abs_outdir": str(outside),
        "passwd.py": "/etc/passwd",
        "etc": "/etc",
        "zero.py": "/dev/zero",
        "chain_out.py": "chain_mid.py",
        "chain_mid.py": "rel_out.py",
        "sub/escape.py": "../../outside/secret.py",
        "subl_escape.py": "subl/escape.py",
        "loop.py": "loop.py",
        "dangling.py": "nowhere.py",
        "dangling_out.py": "/nonexistent/x.py",
    }
    for name, target in links.items():
        os.symlink(target, root / name)
    os.mkfifo(root / "fifo.py")
    return root, outside


INSIDE = {  # path -> the bytes it must give
    "a.py": b"A\n", "sub/b.py": b"B\n", "alias.py": b"A\n", "abs_alias.py": b"A\n",
    "updown.py": b"A\n", "subl/b.py": b"B\n", "sub/back.py": b"A\n",
    "sub/deepback.py": b"A\n", "chain1.py": b"A\n",
    "./a.py": b"A\n", "sub/./b.py": b"B\n", "sub/../a.py": b"A\n", "subl/../a.py": b"A\n",
}
REFUSED = {  # path -> the error it must give
    "abs_out.py": OutsideRoot, "rel_out.py": OutsideRoot, "outdir/secret.py": OutsideRoot,
    "abs_outdir/secret.py": OutsideRoot, "outdir/sub/b.py": OutsideRoot,
    "up/outside/secret.py": OutsideRoot, "passwd.py": OutsideRoot, "etc/passwd": OutsideRoot,
    "/etc/passwd": OutsideRoot, "zero.py": OutsideRoot, "chain_out.py": OutsideRoot,
    "sub/escape.py": OutsideRoot, "subl_escape.py": OutsideRoot,
    "../outside/secret.py": OutsideRoot, "sub/../../outside/secret.py": OutsideRoot,
    "up/root/outdir/secret.py": OutsideRoot, "dangling_out.py": OutsideRoot,
    "up/root/a.py": OutsideRoot, "up/root/subl/b.py": OutsideRoot,  # in, through out
    "loop.py": errno.ELOOP, "fifo.py": errno.EINVAL, "sub": errno.EINVAL, "": errno.EINVAL,
    "up": OutsideRoot, "missing.py": errno.ENOENT, "dangling.py": errno.ENOENT,
    "a.py/x": errno.ENOTDIR, "a\0.py": errno.EINVAL,
}


def check(confined, rel):
    if rel in INSIDE:
        fd = confined.open(rel)
        with os.fdopen(fd, "rb") as fh:
            assert fh.read() == INSIDE[rel], rel
        return
    expected = REFUSED[rel]
    with pytest.raises(OSError) as info:
        os.close(confined.open(rel))
    if isinstance(expected, int):
        assert info.value.errno == expected and not isinstance(info.value, OutsideRoot), rel
    else:
        assert isinstance(info.value, expected), (rel, info.value)


@pytest.mark.parametrize("rel", [*INSIDE, *REFUSED])
def test_each_path(tree, rel):
    root, _ = tree
    with ConfinedRoot(str(root)) as confined:
        check(confined, rel)


@pytest.mark.parametrize("keep_dirs", [0, 1, 32])
def test_the_same_answers_in_any_order_with_any_cache(tree, keep_dirs):
    root, _ = tree
    paths = sorted([*INSIDE, *REFUSED])
    with ConfinedRoot(str(root), keep_dirs=keep_dirs) as confined:
        for rel in paths + paths[::-1]:
            check(confined, rel)


def test_a_root_named_through_a_symlink(tree, tmp_path):
    root, _ = tree
    os.symlink(root, tmp_path / "root_alias")
    with ConfinedRoot(str(tmp_path / "root_alias")) as confined:
        for rel in [*INSIDE, *REFUSED]:
            check(confined, rel)


def test_follow_outside_follows_links_but_not_dotdot(tree):
    root, _ = tree
    with ConfinedRoot(str(root), follow_outside=True) as confined:
        for rel in ("abs_out.py", "rel_out.py", "outdir/secret.py", "sub/escape.py"):
            with os.fdopen(confined.open(rel), "rb") as fh:
                assert fh.read() == SECRET
        for rel in ("../outside/secret.py", "sub/../../outside/secret.py"):
            with pytest.raises(OutsideRoot):
                confined.open(rel)
        with pytest.raises(OSError) as info:
            confined.open("fifo.py")  # returns at once, no writer needed
        assert info.value.errno == errno.EINVAL


# ----------------------------------------------------------------- driven races


def swap_dir_for_link(directory, target):
    os.rename(directory, str(directory) + ".orig")
    os.symlink(target, directory)


@pytest.fixture
def hook_open(monkeypatch):
    """hook_open(name, action): run `action` once, just before os.open(name, ...)."""
    real_open = os.open

    def install(name, action):
        done = []

        def hooked(path, flags, mode=0o777, *, dir_fd=None):
            if path == name and not done:
                done.append(True)
                action()
            return real_open(path, flags, mode, dir_fd=dir_fd)

        monkeypatch.setattr(os, "open", hooked)

    return install


def test_directory_swapped_after_the_walk_entered_it(tree, hook_open):
    # the walk holds sub/ open: the swap cannot redirect the next step
    root, outside = tree
    hook_open("b.py", lambda: swap_dir_for_link(root / "sub", outside / "sub"))
    with os.fdopen(open_inside(str(root), "sub/b.py"), "rb") as fh:
        assert fh.read() == b"B\n"
    assert os.path.islink(root / "sub")  # the swap did happen


def test_directory_swapped_just_before_the_walk_enters_it(tree, hook_open):
    root, outside = tree
    hook_open("sub", lambda: swap_dir_for_link(root / "sub", outside / "sub"))
    with pytest.raises(OutsideRoot):
        open_inside(str(root), "sub/b.py")


def test_file_swapped_just_before_it_is_opened(tree, hook_open):
    root, outside = tree

    def swap():
        os.unlink(root / "a.py")
        os.symlink(outside / "secret.py", root / "a.py")

    hook_open("a.py", swap)
    with pytest.raises(OutsideRoot):
        open_inside(str(root), "a.py")


def test_a_link_retargeted_while_it_is_followed(tree, hook_open):
    # subl -> sub is read, then retargeted out before the walk opens what it named
    root, outside = tree

    def retarget():
        os.unlink(root / "subl")
        os.symlink(outside / "sub", root / "subl")
        swap_dir_for_link(root / "sub", outside / "sub")

    hook_open("sub", retarget)
    with pytest.raises(OutsideRoot):
        open_inside(str(root), "subl/b.py")


def test_a_fifo_swapped_in_does_not_block(tree, hook_open):
    root, _ = tree

    def swap():
        os.unlink(root / "a.py")
        os.mkfifo(root / "a.py")

    hook_open("a.py", swap)
    with pytest.raises(OSError) as info:
        open_inside(str(root), "a.py")
    assert info.value.errno == errno.EINVAL


def test_no_descriptor_is_left_open(tree):
    root, _ = tree
    before = len(os.listdir("/proc/self/fd"))
    for keep_dirs in (0, 2, 32):
        with ConfinedRoot(str(root), keep_dirs=keep_dirs) as confined:
            for rel in [*INSIDE, *REFUSED]:
                try:
                    os.close(confined.open(rel))
                except OSError:
                    pass
    assert len(os.listdir("/proc/self/fd")) == before
