"""A signature ends where the header ends, in every language: a comment between the header
and the body, or after the header on its line, is not part of it. Nor is a comment inside
the header (a parameter list): it reads as one space, as a C compiler reads it, since on
one line a line comment would swallow the rest of the header.

The Python standard library's ground truth is in test_groundtruth_signatures.py.
"""

import pytest

from ragex.extract import extract_source

CASES = {
    "python": (
        "def f(a,  # first\n"
        "      b):  # the header's line\n"
        "    # before the body\n"
        "    return a\n"
        "class A:  # k\n"
        "    def m(self): pass  # after a one-line body\n",
        [("f", "def f(a, b)"), ("A", "class A"), ("m", "def m(self)")],
    ),
    "javascript": (
        "function f(a, /* x */ b) // c\n"
        "{\n  return a;\n}\n"
        "class A // k\n"
        "{\n  m(x) /* y */ { }\n}\n"
        "const g = (a) => // z\n  a;\n",
        [("f", "function f(a, b)"), ("A", "class A"), ("m", "m(x)"),
         ("g", "const g = (a) =>")],
    ),
    "typescript": (
        "function f(a: number /* x */): number // c\n"
        "{\n  return a;\n}\n"
        "interface I // k\n{\n  x: number;\n}\n"
        "class A /* k */ {\n  m(x: string): void // y\n  { }\n}\n",
        [("f", "function f(a: number ): number"), ("I", "interface I"), ("A", "class A"),
         ("m", "m(x: string): void")],
    ),
    "go": (
        "package p\n\n"
        "func f(a int /* x */) int /* c */ {\n  return a\n}\n"
        "type T struct /* k */ {\n  x int\n}\n",
        [("f", "func f(a int ) int"), ("T", "type T struct")],
    ),
    "rust": (
        "fn f(a: i32 /* x */) -> i32 // c\n{\n  a\n}\n"
        "struct S // k\n{\n  x: i32,\n}\n"
        "impl S /* i */ {\n  fn m(&self) // y\n  {}\n}\n",
        [("f", "fn f(a: i32 ) -> i32"), ("S", "struct S"), ("S", "impl S"),
         ("m", "fn m(&self)")],
    ),
    "java": (
        "class A // k\n{\n"
        "  int m(int x /* y */) // c\n  {\n    return x;\n  }\n"
        "}\n",
        [("A", "class A"), ("m", "int m(int x )")],
    ),
    "c": (
        "int f(int a /* x */) // c\n{\n  return a;\n}\n"
        "struct S /* k */ {\n  int x;\n};\n",
        [("f", "int f(int a )"), ("S", "struct S")],
    ),
    "cpp": (
        "int f(int a) // c\n{\n  return a;\n}\n"
        "class A // k\n{\n  void m() /* y */ {}\n};\n"
        "namespace N // n\n{\n}\n",
        [("f", "int f(int a)"), ("A", "class A"), ("m", "void m()"), ("N", "namespace N")],
    ),
    "csharp": (
        "class A // k\n{\n"
        "  int M(int x /* y */) // c\n  {\n    return x;\n  }\n"
        "}\n",
        [("A", "class A"), ("M", "int M(int x )")],
    ),
    "ruby": (
        "def f(a, b) # c\n  a\nend\n"
        "class A # k\n"
        "  # before the body\n"
        "  def m x # y\n  end\n"
        "end\n"
        "module M # m\nend\n"
        "def g(a, # x\n      b) # c\nend\n",
        [("f", "def f(a, b)"), ("A", "class A"), ("m", "def m x"), ("M", "module M"),
         ("g", "def g(a, b)")],
    ),
    "php": (
        "<?php\n"
        "function f($a /* x */) // c\n{\n  return $a;\n}\n"
        "class A # k\n{\n"
        "  function m($x) # y\n  {}\n"
        "}\n",
        [("f", "function f($a )"), ("A", "class A"), ("m", "function m($x)")],
    ),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_comment_between_header_and_body_is_not_in_signature(extract, language):
    source, want = CASES[language]
    names = {name for name, _ in want}
    got = [(s.name, s.signature) for s in extract(language, source) if s.name in names]
    assert got == want


def test_comment_before_the_body_of_a_value(extract):
    # a value's signature is its first line: a comment ending that line is not in it
    symbols = extract("python", "FORMATS = [1,  # protocol 0\n           2]\n")
    assert [s.signature for s in symbols if s.name == "FORMATS"] == ["FORMATS = [1"]


def test_comment_marks_inside_strings_stay(extract):
    # the comment marks are only a hint: what the grammar reads as a string is kept
    symbols = extract("python", "def f(a='#', b=\"//\"):  # c\n    pass\n")
    assert [s.signature for s in symbols if s.name == "f"] == ["def f(a='#', b=\"//\")"]


def test_line_continuation_is_dropped(extract):
    symbols = extract("python", "def f(a, \\\n      b):\n    pass\n")
    assert [s.signature for s in symbols if s.name == "f"] == ["def f(a, b)"]
