"""Ground truth: on the whole standard library, a signature is the header, as `ast` and
`tokenize` delimit it: no comment, no body statement.

For every class and function `ast` finds, the header is the source from the definition's
start (decorators excluded) to its first body statement (or to the `@` of that statement's
first decorator), less its comments (`tokenize`'s COMMENT tokens) and line continuations,
whitespace runs collapsed to one space (in a string default too: a signature is one
line), without the closing `:`. ragex's signature must equal it (one cut at 300
characters: its prefix). No other signature (variables, constants, imports) may hold a
COMMENT token either.
"""

import ast
import io
import os
import sysconfig
import tokenize
import warnings

import pytest

from ragex.extract import ExtractionTask, extract_file

DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
CODE_KINDS = {"class", "function", "method", "constructor", "property"}


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    out = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "site-packages" and d != "__pycache__")
        out += [os.path.join(directory, f) for f in sorted(files) if f.endswith(".py")]
    return root, out


def header_source(lines: list[bytes], node) -> str:
    """The text of `node` from its start to its first body statement."""
    first = node.body[0]
    end_row, end_col = first.lineno, first.col_offset  # ast columns are UTF-8 byte offsets
    if getattr(first, "decorator_list", None):  # the statement starts at its first `@`
        end_row = first.decorator_list[0].lineno
        end_col = lines[end_row - 1].rfind(b"@", 0, first.decorator_list[0].col_offset)
    row, col = node.lineno, node.col_offset
    if row == end_row:
        raw = lines[row - 1][col:end_col]
    else:
        raw = lines[row - 1][col:] + b"".join(lines[row:end_row - 1]) + \
            lines[end_row - 1][:end_col]
    return raw.decode("utf-8")


def comments(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) of every COMMENT token of `text`: (row, column), as tokenize gives them."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found.append((token.start, token.end))
    except (tokenize.TokenError, SyntaxError):
        pass  # a header or a first line is not a whole statement: its end is no error
    return found


def expected_signature(header: str) -> str:
    lines = header.splitlines(keepends=True)
    for (row, col), (_, end_col) in reversed(comments(header)):
        lines[row - 1] = lines[row - 1][:col] + " " + lines[row - 1][end_col:]
    text = " ".join("".join(lines).replace("\\\n", " ").split())
    assert text.endswith(":"), header
    return text[:-1].rstrip()


def signature_matches(signature: str, expected: str) -> bool:
    if signature.endswith("…"):  # cut at the length limit
        return expected.startswith(signature[:-1])
    return signature == expected


@pytest.mark.slow
def test_stdlib_signatures_are_headers_without_comments():
    root, files = stdlib_files()
    assert len(files) > 1000
    compared = 0
    wrong: list[tuple[str, int, str, str]] = []
    commented: list[tuple[str, int, str]] = []
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
        if result.warning:
            continue  # the grammar's own failures (test_groundtruth_python)
        at = {(s.start_line, s.start_col): s for s in result.symbols if s.kind in CODE_KINDS}
        # ast's columns count the text in UTF-8, whatever the file's coding cookie says
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        lines = data.decode(encoding).encode("utf-8").splitlines(keepends=True)
        for node in ast.walk(tree):
            if not isinstance(node, DEFS):
                continue
            symbol = at[(node.lineno, node.col_offset)]
            expected = expected_signature(header_source(lines, node))
            compared += 1
            if not signature_matches(symbol.signature, expected):
                wrong.append((rel, node.lineno, symbol.signature, expected))
        for symbol in result.symbols:
            signature = symbol.signature
            if symbol.kind not in CODE_KINDS and "#" in signature and \
                    not signature.endswith("…") and comments(signature + "\n"):
                commented.append((rel, symbol.start_line, signature))
    assert compared > 70_000
    assert wrong == []
    assert commented == []
