"""Which language a file is: by name, `#!` line, editor modeline, and `.h` by content.

docs/languages.md ("Detection") states the rules; discovery reads the content of a file
only when its name has no extension (an unknown extension is never read).
"""

import json
import subprocess
import sys

import pytest

import ragex.languages as languages
from ragex.discover import discover, is_supported_name
from ragex.extract import ExtractionTask, extract_file
from ragex.languages import (language_by_name, language_for_path, language_from_modeline,
                             language_from_shebang, language_from_tag)


@pytest.mark.parametrize("line, language", [
    (b"#!/usr/bin/env python3\n", "python"),
    (b"#!/usr/bin/python3.11 -u\n", "python"),
    (b"#! /usr/local/bin/node --harmony\n", "javascript"),
    (b"#!/usr/bin/env -S deno run --allow-net\n", "javascript"),
    (b"#!/usr/bin/env -Sdeno run\n", "javascript"),
    (b"#!/usr/bin/env --split-string=ruby -w\n", "ruby"),
    (b"#!/usr/bin/env -i python3\n", "python"),
    (b"#!/usr/bin/env -u PYTHONPATH python3\n", "python"),
    (b"#!/usr/bin/env --ignore-environment NODE_ENV=production node\n", "javascript"),
    (b"#!/usr/bin/env -S cargo +nightly -Zscript\n", "rust"),
    (b"#!/usr/bin/env\n", None),
    (b"#!/usr/bin/env -i\n", None),
    (b"#!/bin/unknown-shell\n", None),
    (b"print('no #! line')\n", None),
])
def test_shebang(line, language):
    assert language_from_shebang(line) == language


def test_shebang_interpreters_are_matched_in_any_case(monkeypatch):
    """A row may list `Rscript`: the #! line's program is matched case-insensitively."""
    monkeypatch.setitem(languages.BY_INTERPRETER, "rscript", "python")
    assert language_from_shebang(b"#!/usr/bin/env Rscript\n") == "python"


@pytest.mark.parametrize("head, tail, language", [
    (b"# -*- mode: ruby -*-\n", None, "ruby"),
    (b"# -*- Mode: Python; coding: utf-8 -*-\nx = 1\n", None, "python"),
    (b"// -*- C++ -*-\nint x;\n", None, "cpp"),
    (b"#!/bin/sh\n# -*- mode: python -*-\n", None, "python"),
    (b"/* -*- mode: js2; indent-tabs-mode: nil -*- */\n", None, "javascript"),
    (b"; -*- mode: typescript-ts -*-\n", None, "typescript"),
    (b"x\n", b"x\n# Local Variables:\n# mode: ruby\n# End:\n", "ruby"),
    (b"x\n", b"code\n# vim: set ft=python ts=4 sw=4:\n", "python"),
    (b"// vi: ft=javascript\n", None, "javascript"),
    (b"/* vim: set filetype=objc: */\n", None, "objc"),
    (b"# ex: syntax=ruby\n", None, "ruby"),
    (b"x\n", b"// vim: ft=typescriptreact\n", "tsx"),
    # not modelines: no file type named, a word that merely contains `vi:`, an unknown mode
    (b"# see the vim: editor for this\n", None, None),
    (b"navi: ft=python\n", None, None),
    (b"# -*- mode: fundamental -*-\n", None, None),
    (b"x = 1  # -*- not on the first line\n", b"", None),
])
def test_modeline(head, tail, language):
    assert language_from_modeline(head, tail) == language


def test_an_emacs_modeline_counts_only_on_the_first_line_or_below_a_shebang():
    assert language_from_modeline(b"x = 1\n# -*- mode: ruby -*-\n") is None


@pytest.mark.parametrize("path, head, language", [
    ("include/list.h", b"struct node { int v; };\n", "c"),
    ("include/list.h", b"namespace util {\nclass List;\n}\n", "cpp"),
    ("include/Shape.h", b"#import <Foundation/Foundation.h>\n@interface Shape : NSObject\n@end\n",
     "objc"),
    ("include/Shape.h", b"@protocol Drawable\n- (void)draw;\n@end\n", "objc"),
    ("include/Shape.h", b"NS_ASSUME_NONNULL_BEGIN\nint f(void);\n", "objc"),
    # the earliest hint wins: C++ code first, an Objective-C word later in a comment
    ("x.h", b"template <class T> struct A;\n// like @interface in ObjC\n", "cpp"),
    ("x.h", b"#import <Cocoa/Cocoa.h>\nclass_addMethod(x);\n", "objc"),
    # a modeline names one of the candidates: it decides
    ("x.h", b"// -*- C++ -*-\nint f(void);\n", "cpp"),
    ("x.h", b"/* vim: set ft=objc: */\nint f(void);\n", "objc"),
    ("x.h", b"/* -*- mode: c -*- */\nclass X {};\n", "c"),
    # a modeline naming a language that is no candidate does not
    ("x.h", b"// -*- mode: python -*-\nint f(void);\n", "c"),
    ("x.h", None, "c"),  # no content: the first row that lists `.h`
])
def test_an_extension_shared_by_several_rows_is_decided_by_content(path, head, language):
    assert language_for_path(path, head) == language


def test_extract_file_reads_a_header_as_its_content_says(tmp_path):
    header = tmp_path / "Shape.h"
    header.write_text("@interface Shape : NSObject\n- (void)draw;\n@end\n")
    result = extract_file(ExtractionTask(str(header), "Shape.h", language="c"))
    assert result.language == "objc"  # discovery said C by the extension; the content decides
    assert [s.qualified_name for s in result.symbols] == ["Shape", "Shape.draw"]


def test_extract_file_reads_a_modeline_at_the_end_of_an_extensionless_file(tmp_path):
    script = tmp_path / "tool"
    script.write_text("def main():\n    pass\n" + "\n" * 300 + "# vim: set ft=python:\n")
    result = extract_file(ExtractionTask(str(script), "tool"))
    assert (result.status, result.language) == ("ok", "python")
    assert [s.name for s in result.symbols if s.kind == "function"] == ["main"]


def test_exact_file_names_come_before_extensions(monkeypatch):
    monkeypatch.setitem(languages.BY_FILENAME, "CMakeLists.txt", "ruby")
    monkeypatch.setitem(languages.BY_FILENAME, ".bashrc", "ruby")
    assert language_by_name("src/CMakeLists.txt") == "ruby"
    assert language_by_name("notes.txt") is None
    assert language_by_name("home/.bashrc") == "ruby"
    assert is_supported_name("src/CMakeLists.txt") is True


def test_file_name_patterns_come_after_extensions(monkeypatch):
    rows = (languages.LanguageSpec("docker", (), ("m", "f"), "x.scm",
                                   filenames=("Dockerfile", "Dockerfile.*", "*.dockerimage")),
            languages.LanguageSpec("make", (), ("m", "f"), "x.scm",
                                   filenames=("Makefile", "GNUmakefile", "[Mm]akefile.*")))
    exact, globs = languages.filename_tables(rows)
    assert exact == {"Dockerfile": "docker", "Makefile": "make", "GNUmakefile": "make"}
    monkeypatch.setattr(languages, "BY_FILENAME", {**languages.BY_FILENAME, **exact})
    monkeypatch.setattr(languages, "_FILENAME_GLOBS", globs)
    assert language_by_name("ci/Dockerfile") == "docker"
    assert language_by_name("ci/Dockerfile.dev") == "docker"
    assert language_by_name("ci/api.dockerimage") == "docker"
    assert language_by_name("ci/Dockerfile.py") == "python"  # a known extension first
    assert language_by_name("makefile.inc") == "make"
    assert language_by_name("Dockerfilex") is None
    assert is_supported_name("ci/Dockerfile.dev") is True


@pytest.mark.parametrize("tag, language", [
    ("python", "python"), ("py", "python"), ("{.python}", "python"), ("js title=x", "javascript"),
    ("ts", "typescript"), ("TypeScript", "typescript"), ("c++", "cpp"), ("objective-c", "objc"),
    ("text/javascript", "javascript"), ("application/javascript", "javascript"),
    ("text/typescript", "typescript"), ("text/x-scss", "scss"), ("module", None),
    ("text/template", None), ("", None), ("console", None),
])
def test_how_embedded_code_names_its_language(tag, language):
    assert language_from_tag(tag) == language


@pytest.fixture
def tree(tmp_path):
    files = {
        "bin/tool": "#!/usr/bin/env -S python3 -u\ndef main(): pass\n",
        "bin/legacy": "# -*- mode: ruby -*-\ndef main; end\n",
        "bin/tail-moded": "x = 1\n" + "y = 2\n" * 600 + "# vim: set ft=python:\n",
        "bin/plain": "just text\n",
        "notes.script": "# -*- mode: python -*-\ndef hidden(): pass\n",  # unknown extension
        "include/Shape.h": "@interface Shape : NSObject\n@end\n",
        "include/list.h": "struct node { int v; };\n",
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_discover_reads_extensionless_files_only(tree):
    found = {f.rel_path: f.language for f in discover(str(tree))}
    assert found["bin/tool"] == "python"  # #! with env -S
    assert found["bin/legacy"] == "ruby"  # an Emacs modeline
    assert found["bin/tail-moded"] == "python"  # a Vim modeline in the last lines
    assert "bin/plain" not in found
    assert "notes.script" not in found  # an unknown extension is not read
    assert found["include/Shape.h"] == found["include/list.h"] == "c"  # refined at extraction


def test_discover_keeps_headers_for_every_language_that_shares_their_extension(tree):
    for language in ("c", "cpp", "objc"):
        found = {f.rel_path for f in discover(str(tree), languages={language})}
        assert {"include/Shape.h", "include/list.h"} <= found, language


def test_ragex_languages_lists_every_row_with_its_names(tree):
    out = subprocess.run([sys.executable, "-m", "ragex", "languages", "--json"],
                         capture_output=True, text=True, check=True).stdout
    rows = {row["name"]: row for row in json.loads(out)}
    assert set(rows) == set(languages.BY_NAME)
    assert rows["ruby"]["filenames"][:2] == ["Rakefile", "Gemfile"]
    assert "python3" in rows["python"]["interpreters"]
    assert rows["cpp"]["queries"] == ["c_family.scm", "cpp.scm"]
    assert rows["objc"]["shares"] == [".h"] and rows["vue"]["embeds"] is True
    assert rows["scss"]["grammar"] == "tree-sitter-scss"
    text = subprocess.run([sys.executable, "-m", "ragex", "languages"], capture_output=True,
                          text=True, check=True).stdout
    assert any(line.startswith("markdown ") and ".md" in line and "embedded" in line
               for line in text.splitlines())
    assert ".h is c, cpp or objc by its content" in text
