"""A big file is queried window by window (bounded memory); the symbols must not change.

Windowing only starts above 2 * WINDOW_BYTES, so these tests shrink the window until
every fixture and many real files are cut in dozens of places, and compare symbol for
symbol with the whole-file query.
"""

import os
import sysconfig

import pytest
from conftest import fixture_files, fixture_id, fixture_language

from ragex import extract as ex
from ragex.languages import BY_NAME


def _extract(source: bytes, language: str, window: int, monkeypatch):
    monkeypatch.setattr(ex, "WINDOW_BYTES", window)
    module = "m" if BY_NAME[language].module_from_path else None
    symbols, _ = ex.extract_source(source, language, "fixture", module=module)
    return symbols


@pytest.mark.parametrize("path", fixture_files(), ids=fixture_id)
@pytest.mark.parametrize("pieces", [3, 12, 40])
def test_fixtures_equal_in_windows(path, pieces, monkeypatch):
    language = fixture_language(path)
    source = path.read_bytes()
    window = len(source) // pieces
    whole = _extract(source, language, 1 << 30, monkeypatch)
    cut = _extract(source, language, window, monkeypatch)
    assert cut == whole
    root = ex.process_parser_pool().get(language).parser.parse(source).root_node
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


@pytest.mark.slow
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
