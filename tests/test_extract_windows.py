"""A big file is queried window by window (bounded memory); the symbols must not change.

Windowing only starts above 2 * WINDOW_BYTES, so these tests shrink the window until
every fixture and many real files are cut in dozens of places, and compare symbol for
symbol with the whole-file query.
"""

import importlib
import os
import sysconfig

import pytest

from ragex import extract as ex

LANGUAGES = {  # the fixture module of each language test, and its source's language
    "test_lang_c": "c", "test_lang_cpp": "cpp", "test_lang_csharp": "csharp",
    "test_lang_go": "go", "test_lang_java": "java", "test_lang_javascript": "javascript",
    "test_lang_php": "php", "test_lang_python": "python", "test_lang_ruby": "ruby",
    "test_lang_rust": "rust", "test_lang_typescript": "typescript",
}


def _extract(source: bytes, language: str, window: int, monkeypatch):
    monkeypatch.setattr(ex, "WINDOW_BYTES", window)
    module = "m" if language == "python" else None
    symbols, _ = ex.extract_source(source, language, "fixture", module=module)
    return symbols


@pytest.mark.parametrize("module_name", sorted(LANGUAGES))
@pytest.mark.parametrize("pieces", [3, 12, 40])
def test_fixtures_equal_in_windows(module_name, pieces, monkeypatch):
    module = importlib.import_module(module_name)
    source = module.SOURCE.encode()
    window = len(source) // pieces
    whole = _extract(source, LANGUAGES[module_name], 1 << 30, monkeypatch)
    cut = _extract(source, LANGUAGES[module_name], window, monkeypatch)
    assert cut == whole
    root = ex.process_parser_pool().get(LANGUAGES[module_name]).parser.parse(source).root_node
    assert len(ex._window_cuts(root, window)) >= pieces // 3  # the windowed path really ran


def test_stdlib_files_equal_in_windows(monkeypatch):
    root = sysconfig.get_paths()["stdlib"]
    names = ["argparse.py", "typing.py", "dataclasses.py", "inspect.py", "enum.py",
             "functools.py", "collections/__init__.py", "asyncio/tasks.py"]
    compared = 0
    for name in names:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as fh:
            source = fh.read()
        whole = _extract(source, "python", 1 << 30, monkeypatch)
        cut = _extract(source, "python", 512, monkeypatch)
        assert cut == whole, name
        assert len(whole) > 20
        compared += 1
    assert compared >= 6


def test_generated_header_at_default_window(monkeypatch):
    """A register header like the kernel's amdgpu ones: an include guard around tens of
    thousands of #defines, and a typedef'd struct longer than a window."""
    lines = ["#ifndef REGS_H", "#define REGS_H", "/* generated */"]
    lines += [f"#define mmREG_{i:06d} 0x{i:05x}" for i in range(30_000)]
    lines.append("typedef struct regs_s {")
    lines += [f"    unsigned int field_{i};  /* field {i} */" for i in range(12_000)]
    lines.append("} regs_t;")
    lines.append("#endif")
    source = ("\n".join(lines) + "\n").encode()
    assert len(source) > 2 * ex.WINDOW_BYTES
    root = ex.process_parser_pool().get("c").parser.parse(source).root_node
    assert len(ex._window_cuts(root, ex.WINDOW_BYTES)) >= 3
    cut = _extract(source, "c", ex.WINDOW_BYTES, monkeypatch)
    whole = _extract(source, "c", 1 << 30, monkeypatch)
    assert cut == whole
    assert len(whole) == 2 + 30_000 + 1 + 12_000
    fields = [s for s in whole if s.kind == "field"]
    assert {s.parent for s in fields} == {"regs_s"}
