"""No traceback reaches a user: every command, run with hostile arguments, answers with a
clear line and an exit code (the real CLI in a subprocess, so nothing is caught for it)."""

import os
import signal
import subprocess
import sys
import time

import pytest

BIG = "9" * 40
HOSTILE = [
    # (arguments, exit codes accepted, words the error must hold)
    (["index", "/nonexistent/dir"], {2}, "no such directory"),
    (["index", ".", "--workers", "lots"], {2}, "--workers='lots' is invalid"),
    (["index", ".", "--workers", "0"], {2}, "max workers"),
    (["index", ".", "--timeout", "nan"], {2}, "timeout"),
    (["index", ".", "--max-file-bytes", BIG], {0, 2}, ""),
    (["index", ".", "--wait", "nan"], {0, 2}, ""),
    (["index", ".", "--include", "[", "--no-progress"], {0, 2}, ""),
    (["status", "/nonexistent"], {2}, "no"),
    (["symbols", "x", "--limit", "1e20"], {2}, "invalid int"),
    (["symbols", "x", "--limit", BIG], {0, 1}, ""),
    (["symbols", "x", "--limit", "-5"], {2}, "limit"),
    (["symbols", ""], {2}, "empty"),
    (["symbols", "x", "--kind", ","], {2}, "kind"),
    (["symbols", "x", "--lang", "klingon"], {2}, "unknown language"),
    (["symbols", "x", "--path", "[[["], {0, 1}, ""),
    (["symbols", "a" * 100_000], {1}, ""),
    (["symbols", "\udcff"], {0, 1, 2}, ""),
    (["show", BIG], {1}, "no definition"),
    (["show", "-1"], {1}, "no definition"),
    (["show", "x", "--limit", "0"], {2}, "limit"),
    (["outline", "../../etc/passwd"], {2}, "outside"),
    (["outline", "/etc/passwd"], {2}, "outside"),
    (["outline", "nothing.py"], {2}, "not in the index"),
    (["outline", "a.py", "--depth", "0"], {2}, "depth"),
    (["outline", "a.py", "--offset", "-1"], {2}, "offset"),
    (["grep", "("], {2}, "bad pattern"),
    (["grep", ""], {2}, "empty"),
    (["grep", "x", "-C", BIG], {0, 1}, ""),
    (["grep", "x", "--limit", "0"], {2}, "limit"),
    (["tags", "-o", "/nonexistent/dir/tags"], {2}, "/nonexistent/dir"),
    (["extract", "/nonexistent.py"], {2}, "no such file"),
    (["extract", ".", "--lang", "klingon"], {2}, "unknown language"),
    (["mcp", "/nonexistent"], {2}, "no such directory"),
    (["mcp", ".", "--http", "--port", "99999"], {2}, "port"),
    (["config", "--workers", "-1"], {2}, "max workers"),
    (["nosuchcommand"], {2}, "invalid choice"),
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "a.py").write_text("def alpha():\n    return 1\n")
    subprocess.run([sys.executable, "-m", "ragex", "index", str(root), "--no-progress"],
                   check=True, capture_output=True)
    return root


def _run(args, cwd, timeout=60):
    env = dict(os.environ, PYTHONIOENCODING="utf-8:surrogateescape")
    return subprocess.run([sys.executable, "-m", "ragex", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.slow
@pytest.mark.parametrize("args, codes, words", HOSTILE, ids=lambda v: str(v)[:40])
def test_hostile_arguments_get_a_clear_line(project, args, codes, words):
    proc = _run(args, project)
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert proc.returncode in codes, (proc.returncode, err)
    if words:
        assert words.lower() in err.lower(), err
    # one line, or argparse's usage lines and then one line
    lines = err.splitlines()
    assert len(lines) <= 2 or lines[0].startswith("usage: "), err


@pytest.mark.slow
def test_killing_the_indexer_leaves_no_worker_noise(tmp_path):
    """Workers of a killed (Ctrl-C'd) `ragex index` print nothing, not a BrokenPipeError."""
    root = tmp_path / "many"
    root.mkdir()
    for i in range(400):
        (root / f"m{i}.py").write_text("".join(f"def f{j}(x):\n    return x\n" for j in range(200)))
    proc = subprocess.Popen([sys.executable, "-m", "ragex", "index", str(root), "--workers", "2",
                             "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    db = root / ".ragex" / "index.db"
    while time.monotonic() < deadline and not db.exists():
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "BrokenPipeError" not in text, text
