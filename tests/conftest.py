import os
import sys

import pytest

from ragex.extract import extract_source


@pytest.fixture
def extract():
    """extract(language, source_text, path=..., module=...) -> list of Symbols (no errors)."""

    def run(language, text, path="fixture", module=None, allow_errors=False):
        data = text.encode() if isinstance(text, str) else text
        symbols, has_errors = extract_source(data, language, path, module=module)
        assert allow_errors or not has_errors, f"fixture has syntax errors for {language}"
        return symbols

    return run


def rows(symbols, *fields):
    """Symbols as tuples of the given fields, for exact comparisons."""
    fields = fields or ("kind", "qualified_name", "parent", "start_line", "end_line")
    return [tuple(getattr(s, f) for f in fields) for s in symbols]
