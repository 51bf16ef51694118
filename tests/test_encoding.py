"""A file that declares its encoding is read in it: Python's PEP 263 cookie (and a UTF-8
byte-order mark), Ruby's magic comment, PHP's `declare(encoding=...)`. Ground truth:
Python's own `tokenize.detect_encoding` and `ast` (which honour the cookie), and Ruby
itself where it is installed.
"""

import ast
import codecs
import io
import itertools
import os
import shutil
import subprocess
import sysconfig
import tokenize

import pytest

from ragex.extract import ExtractionTask, extract_file
from ragex.languages import BY_NAME

BOM = codecs.BOM_UTF8


def extract(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return extract_file(ExtractionTask(str(path), name))


def defs(result):
    return [s for s in result.symbols if s.kind not in ("module", "import")]


def test_latin1_cookie(tmp_path):
    data = "# -*- coding: latin-1 -*-\ndef café():\n    'où'\n".encode("latin-1")
    result = extract(tmp_path, "m.py", data)
    assert (result.status, result.warning) == ("ok", None)
    [symbol] = defs(result)
    assert (symbol.name, symbol.doc, symbol.signature) == ("café", "où", "def café()")
    # positions as `ast` gives them: it reads the cookie, and counts UTF-8 bytes
    node = ast.parse(data).body[0]
    assert node.name == "café"
    assert (symbol.start_line, symbol.start_col, symbol.end_line, symbol.end_col) == \
        (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)
    assert (symbol.name_col, symbol.name_end_col) == (4, 4 + len("café".encode()))


def test_cp1252_cookie_on_line_two_below_a_shebang(tmp_path):
    text = ('#!/usr/bin/env python3\n# vim: set fileencoding=cp1252 :\n'
            'class Café:\n    """“quoted” costs 5 €"""\n')
    data = text.encode("cp1252")
    result = extract(tmp_path, "m.py", data)
    assert (result.status, result.warning) == ("ok", None)
    [symbol] = defs(result)
    node = ast.parse(data).body[0]
    assert (symbol.name, symbol.doc) == (node.name, ast.get_docstring(node)) == \
        ("Café", "“quoted” costs 5 €")
    assert (symbol.end_line, symbol.end_col) == (node.end_lineno, node.end_col_offset)


@pytest.mark.parametrize("cookie", ["", "# -*- coding: utf-8 -*-\n"])
def test_utf8_with_byte_order_mark(tmp_path, cookie):
    data = BOM + (cookie + "def café(): pass\n").encode("utf-8")
    result = extract(tmp_path, "m.py", data)
    assert (result.status, result.warning) == ("ok", None)
    assert [s.name for s in defs(result)] == ["café"]


def test_byte_order_mark_wins_over_another_cookie(tmp_path):
    # Python refuses such a file; ragex reads it as the mark says, and says so
    data = BOM + "# coding: latin-1\ndef café(): pass\n".encode("utf-8")
    result = extract(tmp_path, "m.py", data)
    assert [s.name for s in defs(result)] == ["café"]
    assert "latin-1" in result.warning and "byte-order mark" in result.warning


def test_unknown_codec_falls_back_to_utf8_with_a_warning(tmp_path):
    data = "# coding: uft-8\ndef café(): pass\n".encode("latin-1")
    result = extract(tmp_path, "m.py", data)
    assert result.status == "ok"
    assert [s.name for s in defs(result)] == ["caf"]  # as without a cookie
    assert "'uft-8'" in result.warning and "invalid UTF-8" in result.warning


@pytest.mark.parametrize("cookie", ["rot13", "utf-16"])  # not text, not ASCII-compatible
def test_unusable_codec_is_named(tmp_path, cookie):
    result = extract(tmp_path, "m.py", f"# coding: {cookie}\ndef f(): pass\n".encode())
    assert [s.name for s in defs(result)] == ["f"]
    assert repr(cookie) in result.warning


def test_text_that_does_not_decode_as_declared(tmp_path):
    data = "# coding: ascii\ndef café(): pass\n".encode("utf-8")
    result = extract(tmp_path, "m.py", data)
    assert [s.name for s in defs(result)] == ["café"]  # read as UTF-8
    assert "not ascii as declared" in result.warning


def test_cookie_below_code_is_no_cookie(tmp_path):
    # PEP 263: line 2 counts only below a blank or comment line
    data = "x = 1\n# coding: latin-1\ndef café(): pass\n".encode("latin-1")
    result = extract(tmp_path, "m.py", data)
    assert "invalid UTF-8" in result.warning


@pytest.mark.slow
def test_ruby_magic_comment(tmp_path):
    data = "# encoding: ISO-8859-1\nclass Café\n  def já; end\nend\n".encode("latin-1")
    result = extract(tmp_path, "m.rb", data)
    assert (result.status, result.warning) == ("ok", None)
    assert [(s.name, s.qualified_name) for s in defs(result)] == \
        [("Café", "Café"), ("já", "Café.já")]


@pytest.mark.slow
def test_ruby_magic_comment_below_a_shebang_only(tmp_path):
    text = "#!/usr/bin/env ruby\n# -*- coding: windows-1252 -*-\ndef café\nend\n"
    result = extract(tmp_path, "a.rb", text.encode("cp1252"))
    assert result.warning is None and [s.name for s in defs(result)] == ["café"]
    text = "# a comment\n# -*- coding: windows-1252 -*-\ndef café\nend\n"
    result = extract(tmp_path, "b.rb", text.encode("cp1252"))
    assert "invalid UTF-8" in result.warning


def test_php_declare_encoding(tmp_path):
    data = "<?php\ndeclare(encoding='ISO-8859-1');\nfunction café() {}\n".encode("latin-1")
    result = extract(tmp_path, "m.php", data)
    assert (result.status, result.warning) == ("ok", None)
    assert [s.name for s in defs(result)] == ["café"]


def test_languages_without_a_declaration_stay_utf8(tmp_path):
    # a cookie-like comment means nothing in C: the bytes are read as UTF-8
    data = "// -*- coding: latin-1 -*-\nint café(void);\nint f(void) { return 0; }\n"
    result = extract(tmp_path, "m.c", data.encode("latin-1"))
    assert "invalid UTF-8" in result.warning


# ------------------------------------------------- the row's cookie against the reference

FIRST_LINES = ["", "#!/usr/bin/env python3", "# a comment", "x = 1", "   ", "\f", "\t"]
PY_COOKIES = ["# -*- coding: latin-1 -*-", "# vim: set fileencoding=cp1252 :", "#coding=koi8-r",
              "x = 1  # coding: latin-1", "# no cookie", "   # coding: cp1252",
              "# This Python file uses the following encoding: iso-8859-15",
              "# coding = latin-1", "# Coding: latin-1", "#!coding:latin-1"]


def row_codec(language, data):
    match = BY_NAME[language].encoding_cookie.match(data)
    return codecs.lookup(match.group(1).decode()).name if match else "utf-8"


def test_python_cookie_agrees_with_tokenize():
    heads = []
    for first, cookie, eol in itertools.product(FIRST_LINES, PY_COOKIES, ["\n", "\r\n"]):
        heads += [first + eol + cookie + eol + "pass" + eol, cookie + eol + first + eol,
                  cookie + eol + "# coding: cp1253" + eol]
    for head in heads:
        data = head.encode()
        want = codecs.lookup(tokenize.detect_encoding(io.BytesIO(data).readline)[0]).name
        assert row_codec("python", data) == want, head


def test_python_cookie_agrees_with_tokenize_on_the_stdlib():
    root = sysconfig.get_paths()["stdlib"]
    declared = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("site-packages", "__pycache__")]
        for name in files:
            if not name.endswith(".py"):
                continue
            with open(os.path.join(directory, name), "rb") as fh:
                head = fh.read(8192)
            try:
                want = tokenize.detect_encoding(io.BytesIO(head).readline)[0]
            except SyntaxError:
                continue  # a broken cookie on purpose (test/tokenizedata/bad_coding.py)
            start = len(BOM) if head.startswith(BOM) else 0
            got = row_codec("python", head[start:])
            assert got == codecs.lookup(want.replace("-sig", "")).name, name
            if got != "utf-8":
                declared.append(os.path.join(directory, name))
    assert len(declared) >= 4  # latin-1, koi8-r, cp1252 test modules
    for path in declared:
        result = extract_file(ExtractionTask(path, os.path.basename(path), language="python"))
        assert (result.status, result.warning) == ("ok", None), path


RB_COOKIES = ["# encoding: ISO-8859-1", "# -*- coding: Windows-1252 -*-", "#coding:EUC-JP",
              "# vim: set fileencoding=koi8-r :", "# CODING: iso-8859-15", "# no cookie",
              "x = 1 # coding: ISO-8859-1", "   # encoding: ISO-8859-2",
              "# coding = ISO-8859-5", "# encoding : ISO-8859-7",
              "# -*- mode: ruby; coding: iso-8859-9 -*-"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ruby") is None, reason="ruby is not installed")
def test_ruby_magic_comment_agrees_with_ruby(tmp_path):
    heads = []
    for first, cookie, eol in itertools.product(["", "#!/usr/bin/env ruby", "# a comment",
                                                 "x = 1"], RB_COOKIES, ["\n", "\r\n"]):
        heads += [first + eol + cookie + eol, cookie + eol + first + eol]
    paths = []
    for i, head in enumerate(heads):
        paths.append(tmp_path / f"h{i}.rb")
        paths[-1].write_text(head + "puts __ENCODING__\n", newline="")
    out = subprocess.run(["ruby", "-e", "ARGV.each { |f| load f }", *map(str, paths)],
                         capture_output=True, text=True, check=True).stdout.split()
    assert len(out) == len(heads)
    for head, ruby_says in zip(heads, out):
        assert row_codec("ruby", head.encode()) == codecs.lookup(ruby_says).name, head


def test_shown_source_is_decoded_as_the_file_declares(tmp_path):
    """`ragex show` / get_symbol decode the source with the file's coding cookie."""
    from ragex.config import load_config
    from ragex.front import Index

    root = tmp_path / "proj"
    root.mkdir()
    (root / "latin.py").write_bytes("# -*- coding: latin-1 -*-\ndef café():\n    return 'olé'\n"
                                    .encode("latin-1"))
    index = Index(str(root), config=load_config(environ={}, flags={"use_parallel": "false"}))
    index.update()
    [found] = index.definition("café").items
    assert found.code == "def café():\n    return 'olé'"
    index.close()
