"""Sources (`Index.definition`, `ragex show`, MCP `get_symbol`) are read only inside the
root: a file or a directory swapped after indexing for a symlink out of the root, for a
FIFO, a device or a directory, is refused with a reason, and nothing of it is returned;
links that stay inside the root keep working."""

import json
import os
import subprocess
import sys

import pytest

import ragex.discover as discover
from ragex.front import Index
from ragex.service import RagexService

SECRET = "SECRET_FROM_OUTSIDE"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def source(name):
    return f"def fn_{name}():\n    return '{name} inside'\n"


def leak(name):  # the same lines, outside: a read that followed the swap returns these
    return f"def fn_{name}():\n    return '{SECRET}'\n"


def link(path, target):
    if os.path.isdir(path) and not os.path.islink(path):
        os.rename(path, path.parent / f".{path.name}.orig")  # hidden: not indexed
    elif os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)


# name -> how its file is changed after indexing (root, outside, path of its file)
SWAPS = {
    "file_abs_link": lambda r, o, p: link(p, o / p.name),
    "file_rel_link": lambda r, o, p: link(p, os.path.relpath(o / p.name, p.parent)),
    "file_passwd": lambda r, o, p: link(p, "/etc/passwd"),
    "file_zero": lambda r, o, p: link(p, "/dev/zero"),
    "file_chain_out": lambda r, o, p: (link(r / "mid.py", o / p.name), link(p, "mid.py")),
    "file_fifo": lambda r, o, p: (os.unlink(p), os.mkfifo(p)),
    "file_dir": lambda r, o, p: (os.unlink(p), os.mkdir(p)),
    "file_gone": lambda r, o, p: os.unlink(p),
    "parent_abs_link": lambda r, o, p: link(p.parent, o / p.parent.name),
    "parent_rel_link": lambda r, o, p: link(p.parent, f"../outside/{p.parent.name}"),
    "grandparent_link": lambda r, o, p: link(p.parent.parent, o / p.parent.parent.name),
    "parent_dot_link": lambda r, o, p: link(p.parent, "."),  # the root itself: still in
    "parent_dotdot_link": lambda r, o, p: link(p.parent, ".."),  # the root's parent
    "file_inside_link": lambda r, o, p: link(p, r / "copies" / p.name),
    "parent_inside_link": lambda r, o, p: link(p.parent, r / "copies"),
}
WHERE = {  # the file of each name, if not <name>.py at the root
    "parent_abs_link": "pa/parent_abs_link.py", "parent_rel_link": "pr/parent_rel_link.py",
    "grandparent_link": "g/e/grandparent_link.py", "parent_dot_link": "pd/parent_dot_link.py",
    "parent_dotdot_link": "pdd/parent_dotdot_link.py",
    "parent_inside_link": "pi/parent_inside_link.py",
}
REFUSED = {  # name -> words of the reason
    "file_abs_link": "outside", "file_rel_link": "outside", "file_passwd": "outside",
    "file_zero": "outside", "file_chain_out": "outside", "file_fifo": "not a regular file",
    "file_dir": "not a regular file", "file_gone": "No such file",
    "parent_abs_link": "outside", "parent_rel_link": "outside",
    "grandparent_link": "outside", "parent_dot_link": "No such file",
    "parent_dotdot_link": "outside",
}
KEPT = {"file_inside_link", "parent_inside_link"}


@pytest.fixture(scope="module")
def swapped(tmp_path_factory):
    base = tmp_path_factory.mktemp("swapped")
    root, outside = base / "root", base / "outside"
    for name in SWAPS:
        rel = WHERE.get(name, f"{name}.py")
        write(root / rel, source(name))
        write(outside / rel, leak(name))  # the same path below the outside tree
        write(outside / os.path.basename(rel), leak(name))
        write(root / "copies" / os.path.basename(rel), source(name))  # an inside twin
    write(root / ".ragexignore", "copies/\n")
    index = Index(str(root))
    index.update()
    for name, swap in SWAPS.items():
        swap(root, outside, root / WHERE.get(name, f"{name}.py"))
    yield root, index
    index.close()


def assert_no_leak(payload):
    text = json.dumps(payload)
    assert SECRET not in text and "root:x:0:0" not in text, text


@pytest.mark.parametrize("name", sorted(SWAPS))
def test_front(swapped, name):
    _, index = swapped
    answer = index.definition(f"fn_{name}")
    (item,) = answer.items
    assert_no_leak(answer.to_dict())
    if name in KEPT:
        assert item.code == source(name).rstrip("\n") and item.code_error is None
    else:
        assert item.code is None and REFUSED[name] in item.code_error, item.code_error


def test_service_get_symbol(swapped):
    root, _ = swapped
    service = RagexService(str(root))
    try:
        for name in SWAPS:
            reply = service.get_symbol(f"fn_{name}")
            assert_no_leak(reply)
            (item,) = reply["results"]
            assert ("code" in item) == (name in KEPT), item
    finally:
        service.index.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SWAPS))
def test_cli_show_in_a_real_process(swapped, name):
    root, _ = swapped
    for extra in (["--json"], []):
        out = subprocess.run([sys.executable, "-m", "ragex", "show", f"fn_{name}", *extra],
                             cwd=root,
                             capture_output=True, text=True, timeout=60)  # a FIFO: no hang
        assert out.returncode == 0, out.stderr
        assert SECRET not in out.stdout and "root:x:0:0" not in out.stdout
        if name not in KEPT:
            assert REFUSED[name] in out.stdout


def test_a_directory_swapped_while_the_source_is_read(tmp_path, monkeypatch):
    # the walk has opened pkg/ when pkg/ is swapped for a link out: the read still
    # comes from the directory it opened, inside the root
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root / "pkg" / "mod.py", source("target"))
    write(outside / "pkg" / "mod.py", leak("target"))
    index = Index(str(root))
    index.update()
    real_open = os.open
    swapped = []

    def hooked(path, flags, mode=0o777, *, dir_fd=None):
        if path == "mod.py" and not swapped:
            swapped.append(True)
            link(root / "pkg", outside / "pkg")
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(discover.os, "open", hooked)
    (item,) = index.definition("fn_target").items
    index.close()
    assert swapped and item.code == source("target").rstrip("\n")


def test_a_long_definition_is_cut_without_reading_the_whole_file(tmp_path):
    root = tmp_path / "root"
    body = "".join(f"    x{i} = {i}\n" for i in range(20000))
    write(root / "big.py", "def fn_big():\n" + body + "\n\ndef fn_after():\n    pass\n")
    index = Index(str(root))
    index.update()
    (item,) = index.definition("fn_big").items
    (after,) = index.definition("fn_after").items
    index.close()
    assert item.code.startswith("def fn_big():\n    x0 = 0\n")
    assert item.code.endswith(f"… (truncated at {index.limits.max_code_bytes} bytes)")
    assert after.code == "def fn_after():\n    pass"


@pytest.mark.parametrize("stored", ["../outside/mod.py", "/etc/passwd",
                                    "pkg/../../outside/mod.py", "link_out/mod.py"])
def test_a_poisoned_index_cannot_name_a_file_outside(tmp_path, stored):
    # an index written by someone else (a `.ragex/` shipped in a repository) holds paths
    # out of the root: reading goes through the root all the same
    import sqlite3

    from ragex.store import DB_NAME

    root, outside = tmp_path / "root", tmp_path / "outside"
    write(root / "pkg" / "mod.py", source("poisoned"))
    write(outside / "mod.py", leak("poisoned"))
    os.symlink(outside, root / "link_out")
    index = Index(str(root))
    index.update()
    with sqlite3.connect(os.path.join(index.index_dir, DB_NAME)) as db:
        for table in ("files", "symbols"):
            db.execute(f"UPDATE {table} SET path = ? WHERE path = 'pkg/mod.py'", (stored,))
    index.reopen()
    (item,) = index.definition("fn_poisoned").items
    index.close()
    assert item.code is None and "outside" in item.code_error
    assert_no_leak(item.to_dict())
