"""Ground truth: on the whole standard library, ragex finds exactly what `ast` finds.

Every class, function and method (async, nested and decorated included), compared by
qualified name and line, for every `.py` file of the running interpreter's standard
library that `ast` parses (site-packages excluded).
"""

import ast
import os
import sysconfig
import warnings

import pytest

from ragex.extract import ExtractionTask, extract_file

CODE_KINDS = {"class", "function", "method", "constructor", "property"}
# Files where tree-sitter-python itself reports a syntax error on valid code: the
# grammar's limitation, not the extractor's. Listed in docs/accuracy.md.
MAX_GRAMMAR_FAILURES = 2

pytestmark = pytest.mark.slow  # the whole standard library: tens of seconds


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    out = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "site-packages" and d != "__pycache__")
        out += [os.path.join(directory, f) for f in sorted(files) if f.endswith(".py")]
    return root, out


def ast_definitions(tree, module):
    found = set()

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualified = f"{prefix}.{child.name}"
                found.add((qualified, child.lineno))
                walk(child, qualified)
            else:
                walk(child, prefix)

    walk(tree, module)
    return found


def test_stdlib_matches_ast():
    root, files = stdlib_files()
    assert len(files) > 1000
    compared = 0
    grammar_failures = []
    mismatches = []
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes in old test files
                tree = ast.parse(data)
        except (SyntaxError, ValueError):
            continue  # Python 2 fixtures and deliberately broken files
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        result = extract_file(ExtractionTask(path, rel, language="python"))
        assert result.status == "ok", (rel, result.error)
        module = next(s.qualified_name for s in result.symbols if s.kind == "module")
        want = ast_definitions(tree, module)
        got = {(s.qualified_name, s.start_line) for s in result.symbols if s.kind in CODE_KINDS}
        compared += 1
        if want != got:
            if result.warning:
                grammar_failures.append(rel)
            else:
                mismatches.append((rel, sorted(want - got)[:5], sorted(got - want)[:5]))
    assert compared > 1700
    assert mismatches == []
    assert len(grammar_failures) <= MAX_GRAMMAR_FAILURES, grammar_failures
