"""grep (`Index.grep`, `ragex grep`, MCP `search_code`) reads only the index's file set,
and only inside the root: on a real tree holding symlinks out of it (to a file, to a
directory, to /etc), files that are not code, ignored and hidden files, with every kind of
path glob, with context lines, and with files swapped after they were listed or opened."""

import asyncio
import json
import os
import subprocess
import sys

import pytest

import ragex.search as search
from ragex.discover import DiscoveryOptions, discover
from ragex.front import Index
from ragex.search import path_matcher
from ragex.service import RagexService

SECRET = "SECRET_FROM_OUTSIDE"
PASSWD_LINE = "root:x:0:0"  # /etc/passwd's first line on any Linux


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def make_tree(base):
    root, outside = base / "root", base / "outside"
    write(outside / "secret.py", f"# MARK {SECRET}\nLEAK = '{SECRET}'\n# MARK {SECRET}\n")
    write(outside / "sub" / "b.py", f"# MARK {SECRET}\n")
    write(root / "a.py", "def inside():\n    return 'MARK a'\n\n\n# MARK again\nX = 1\n")
    write(root / "sub" / "b.py", "def in_sub():\n    return 'MARK b'\n")
    write(root / "script", "#!/usr/bin/env python3\n# MARK script\n")
    write(root / "plain", "MARK plain, no #! line\n")
    write(root / "notes.txt", "MARK notes\n")
    write(root / "README.txt", "MARK readme\n")
    write(root / ".hidden.py", "MARK hidden\n")
    write(root / "ignored" / "x.py", "MARK ignored\n")
    write(root / ".gitignore", "ignored/\n")
    (root / "bin.py").write_bytes(b"MARK\0binary\n")
    for name, target in {
        "alias.py": "a.py", "subl": "sub",
        "passwd_link.txt": "/etc/passwd", "pw.py": "/etc/passwd", "etc_link": "/etc",
        "out.py": str(outside / "secret.py"), "rel_out.py": "../outside/secret.py",
        "outdir": "../outside", "up": "..", "chain.py": "mid.txt",
        "mid.txt": "../outside/secret.py",
    }.items():
        os.symlink(target, root / name)
    return root, outside


ADMITTED = {"a.py", "alias.py", "sub/b.py", "subl/b.py", "script", "bin.py"}
MARKED = ADMITTED - {"bin.py"}  # a binary file gives no hits, as in ripgrep's own walk


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root, outside = make_tree(tmp_path_factory.mktemp("grep"))
    index = Index(str(root))
    index.update()
    yield root, index
    index.close()


def assert_confined(payload, allowed=MARKED):
    text = json.dumps(payload)
    assert SECRET not in text and PASSWD_LINE not in text, text[:2000]
    hits = payload if isinstance(payload, list) else payload["results"]
    assert {h["path"] for h in hits} <= allowed, hits


def test_discovery_admits_what_the_tests_assume(tree):
    root, _ = tree
    assert {f.rel_path for f in discover(str(root))} == ADMITTED


CASES = [  # (pattern, options, the paths hit)
    ("MARK", {}, MARKED),
    ("MARK", {"context": 3}, MARKED),
    ("mark", {"ignore_case": True, "context": 10}, MARKED),
    ("MARK", {"regex": False}, MARKED),
    (SECRET, {"context": 5}, set()),
    ("root:.*:0:0", {"context": 5}, set()),
    ("daemon|nologin|bin/bash", {}, set()),
    (".", {"limit": 1000, "context": 10}, MARKED),
    ("MARK", {"path_glob": "*.py"}, {"a.py", "alias.py", "sub/b.py", "subl/b.py"}),
    ("MARK", {"path_glob": "*.txt"}, set()),
    ("MARK", {"path_glob": "*.md"}, set()),
    ("MARK", {"path_glob": "ignored/*"}, set()),
    ("MARK", {"path_glob": "ignored/x.py"}, set()),
    ("MARK", {"path_glob": ".hidden.py"}, set()),
    ("MARK", {"path_glob": "plain"}, set()),
    ("MARK", {"path_glob": "../**"}, set()),
    ("MARK", {"path_glob": "../outside/*"}, set()),
    ("MARK", {"path_glob": "/etc/*"}, set()),
    ("MARK", {"path_glob": "/etc/passwd"}, set()),
    ("root", {"path_glob": "etc_link/*"}, set()),
    ("root", {"path_glob": "etc_link/**"}, set()),
    ("root", {"path_glob": "passwd_link.txt"}, set()),
    ("root", {"path_glob": "pw.py"}, set()),
    ("MARK", {"path_glob": "outdir/*"}, set()),
    ("MARK", {"path_glob": "up/**"}, set()),
    ("MARK", {"path_glob": "**/secret.py"}, set()),
    ("MARK", {"path_glob": "{a,../outside/secret}.py"}, {"a.py"}),
    ("MARK", {"path_glob": "out.py"}, set()),
    ("MARK", {"path_glob": "chain.py"}, set()),
    ("MARK", {"path_glob": "**"}, MARKED),
    ("MARK", {"path_glob": "/**"}, MARKED),
    ("MARK", {"path_glob": "*"}, MARKED),
    ("MARK", {"path_glob": "*/b.py"}, {"sub/b.py", "subl/b.py"}),
    ("MARK", {"path_glob": "sub/"}, {"sub/b.py"}),
    ("MARK", {"path_glob": "sub"}, {"sub/b.py", "subl/b.py"}),  # a word: anywhere
    ("MARK", {"path_glob": "!*.py"}, {"script"}),
    ("MARK", {"path_glob": "{a,alias}.py"}, {"a.py", "alias.py"}),
    ("MARK", {"path_glob": ".."}, set()),
    ("MARK", {"path_glob": "/"}, MARKED),
]


@pytest.mark.parametrize("pattern,options,expected", CASES,
                         ids=[f"{p}-{o}" for p, o, _ in CASES])
def test_front(tree, pattern, options, expected):
    _, index = tree
    answer = index.grep(pattern, **options)
    payload = answer.to_dict()
    assert_confined(payload)
    assert {h["path"] for h in payload["results"]} == expected
    if options.get("context"):
        for hit in payload["results"]:
            assert len(hit["before"]) <= options["context"]


def test_context_lines_come_from_the_file_hit(tree):
    _, index = tree
    hits = {h.path: h for h in index.grep("MARK again", context=2).items}
    assert hits["a.py"].before == ["", ""] and hits["a.py"].after == ["X = 1"]
    assert hits["alias.py"].before == ["", ""]


@pytest.mark.slow
def test_service_search_code(tree):
    root, _ = tree
    service = RagexService(str(root))
    try:
        for pattern, options, expected in CASES:
            options = {k: v for k, v in options.items() if k != "ignore_case"}
            reply = service.search_code(pattern, **options)
            assert_confined(reply)
            if "ignore_case" not in options:
                assert {h["path"] for h in reply["results"]} <= expected
    finally:
        service.index.close()


@pytest.mark.parametrize("argv", [
    ["MARK"], ["-C", "10", "."], ["-i", "-C", "5", "root|secret"], ["-F", SECRET],
    ["--path", "../**", "MARK"], ["--path", "/etc/*", "root"], ["--path", "etc_link", "root"],
    ["--path", "*.txt", "MARK"], ["--path", "outdir/*", "MARK"], ["--limit", "1000", "."],
])
@pytest.mark.slow
def test_cli_in_a_real_process(tree, argv):
    root, _ = tree
    out = subprocess.run([sys.executable, "-m", "ragex", "grep", "--json", *argv], cwd=root,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode in (0, 1), out.stderr
    hits = [json.loads(line) for line in out.stdout.splitlines()]
    assert_confined(hits)
    text = subprocess.run([sys.executable, "-m", "ragex", "grep", *argv], cwd=root,
                          capture_output=True, text=True, timeout=60).stdout
    assert SECRET not in text and PASSWD_LINE not in text


@pytest.mark.slow
def test_mcp_server_in_a_real_process(tree):
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    root, _ = tree

    async def scenario():
        params = StdioServerParameters(command=sys.executable,
                                       args=["-m", "ragex", "mcp", str(root)],
                                       env=dict(os.environ))
        async with stdio_client(params) as (r, w):
            async with ClientSession(r, w) as session:
                await session.initialize()
                for pattern, options, expected in CASES:
                    options = {k: v for k, v in options.items() if k != "ignore_case"}
                    result = await session.call_tool(
                        "search_code", {"pattern": pattern, **options})
                    assert not result.is_error, result.content
                    assert_confined(result.structured_content)

    asyncio.run(asyncio.wait_for(scenario(), timeout=120))


def test_before_any_index(tmp_path):
    root, _ = make_tree(tmp_path)
    answer = Index(str(root)).grep("MARK", context=3)
    assert_confined(answer.to_dict())
    assert {h.path for h in answer.items} == MARKED and answer.index_state == "not indexed yet"


@pytest.mark.parametrize("options,expected", [
    (DiscoveryOptions(include=("sub/**",)), {"sub/b.py"}),
    (DiscoveryOptions(exclude=("sub*",)), {"a.py", "alias.py", "script"}),
    (DiscoveryOptions(hidden=True), MARKED | {".hidden.py"}),
    (DiscoveryOptions(no_ignore=True), MARKED | {"ignored/x.py"}),
])
def test_the_index_discovery_options_choose_the_files(tree, options, expected):
    root, _ = tree
    answer = Index(str(root), discovery=options).grep("MARK")
    assert_confined(answer.to_dict(), expected)
    assert {h.path for h in answer.items} == expected


def test_follow_outside_is_the_users_choice_and_the_same_rule_as_discovery(tree):
    root, _ = tree
    options = DiscoveryOptions(follow_outside=True)
    admitted = {f.rel_path for f in discover(str(root), options)}
    hits = Index(str(root), discovery=options).grep(SECRET).items
    assert {"out.py", "rel_out.py", "chain.py", "outdir/secret.py", "outdir/sub/b.py",
            "up/outside/secret.py"} <= {h.path for h in hits} <= admitted


def test_a_file_that_cannot_be_read_is_named_in_a_note(tree, monkeypatch):
    _, index = tree
    real = search.ConfinedRoot.open

    def failing(self, rel):
        if rel == "sub/b.py":
            raise OSError(5, "Input/output error", rel)
        return real(self, rel)

    monkeypatch.setattr(search.ConfinedRoot, "open", failing)
    answer = index.grep("MARK")
    assert "sub/b.py" not in {h.path for h in answer.items}
    assert answer.notes == ["1 files not searched: sub/b.py (Input/output error)"]


# -------------------------------------------------------- files swapped meanwhile


@pytest.fixture
def fresh(tmp_path):
    root, outside = make_tree(tmp_path)
    index = Index(str(root))
    index.update()
    yield root, outside, index
    index.close()


def swap_out(root, outside):
    """a.py becomes a link to the outside secret, sub/ a link to the outside sub/ (the
    originals stay in the root, hidden)."""
    os.rename(root / "a.py", root / ".a.py.orig")
    os.symlink(outside / "secret.py", root / "a.py")
    os.rename(root / "sub", root / ".sub.orig")
    os.symlink(outside / "sub", root / "sub")


def test_files_swapped_after_indexing(fresh):
    root, outside, index = fresh
    swap_out(root, outside)
    answer = index.grep("MARK", context=3)
    assert_confined(answer.to_dict())
    assert {h.path for h in answer.items} == {"script"}  # alias.py and subl/ lead out now


def test_files_swapped_after_the_listing(fresh, monkeypatch):
    root, outside, index = fresh
    real = search.named_files

    def listed_then_swapped(*args, **kwargs):
        files = list(real(*args, **kwargs))
        swap_out(root, outside)
        return files

    monkeypatch.setattr(search, "named_files", listed_then_swapped)
    answer = index.grep("MARK", context=3)
    assert_confined(answer.to_dict())
    assert {h.path for h in answer.items} == {"script"}


def test_files_swapped_after_they_were_opened(fresh, monkeypatch):
    # ripgrep reads the files opened inside the root, not their paths: a swap after the
    # open changes nothing it sees, nor the context lines
    root, outside, index = fresh
    real = search._open_batch

    def opened_then_swapped(*args, **kwargs):
        opened = real(*args, **kwargs)
        swap_out(root, outside)
        return opened

    monkeypatch.setattr(search, "_open_batch", opened_then_swapped)
    answer = index.grep("MARK", context=3)
    assert_confined(answer.to_dict())
    assert {h.path for h in answer.items} == MARKED
    a = [h for h in answer.items if h.path == "a.py"][0]
    assert a.text == "    return 'MARK a'" and a.after == ["", "", "# MARK again"]


# ------------------------------------------------------------------ path globs

GLOB_TREE = ["a.py", "b.pyi", "top.txt", "email/__init__.py", "email/mime/text.py",
             "email/mime/deep/x.py", "json/decoder.py", "json/tool.py", "src/a.py",
             "src/lib/b.py", "test_x.py", "tests/test_y.py", "x/test_z/q.py"]
GLOBS = ["*.py", "email/*", "email/**", "email/**/*.py", "**/mime/*.py", "json/*.py",
         "/json/*.py", "!*.py", "!email/**", "*/__init__.py", "test_*", "test_*.py",
         "**/test_*", "**/*", "*", "e*/*.py", "json/d*", "[ej]*/__init__.py",
         "{json,email}/*.py", "src/**/*.py", "**/*.py", "*.{py,pyi}", "?.py",
         "[!a-s]*.py", "src/**", "**/deep/**", "email/**/x.py", "*/*/*.py"]


@pytest.mark.parametrize("glob", GLOBS)
def test_path_globs_pick_what_ripgrep_picks(tmp_path, glob):
    from ragex.discover import ripgrep_binary

    for rel in GLOB_TREE:
        write(tmp_path / rel, "x\n")
    listed = subprocess.run([ripgrep_binary(), "--files", "--no-config", "--glob", glob],
                            cwd=tmp_path, capture_output=True, text=True).stdout.split()
    mine = path_matcher(glob)
    assert sorted(p for p in GLOB_TREE if mine(p)) == sorted(listed)


# ---------------------------------------------------------- open-file limits

MANY = 300


@pytest.fixture(scope="module")
def many_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("many")
    for i in range(MANY):
        write(root / f"d{i % 7}" / f"m{i}.py", f"# MARK {i}\nX = {i}\n")
    return root


@pytest.mark.parametrize("script", [
    # a low limit: small batches
    "resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))",
    # batches larger than the limit allows: open(2) says EMFILE mid-batch
    "resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard)); search._batch_size = lambda: 4096",
])
def test_every_file_is_searched_under_a_low_open_file_limit(many_files, script):
    program = ("import resource, sys\nimport ragex.search as search\n"
               "from ragex.front import Index\n"
               "hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]\n"
               f"{script}\n"
               "answer = Index(sys.argv[1]).grep('MARK', limit=1000, context=1)\n"
               "print(len({h.path for h in answer.items}), len(answer.items), answer.notes)\n")
    out = subprocess.run([sys.executable, "-c", program, str(many_files)], capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.split(maxsplit=2) == [str(MANY), str(MANY), "[]\n"], out.stderr
