"""The package front: the design's names import from `ragex`, the heavy ones on first use."""

import subprocess
import sys


def test_design_names_are_exported():
    import ragex
    from ragex.config import ParallelConfig, load_config
    from ragex.indexer import CodeIndexer
    from ragex.parallel import ParallelSymbolExtractor
    from ragex.front import Index

    assert ragex.Index is Index  # the library front
    assert ragex.CodeIndexer is CodeIndexer
    assert ragex.ParallelSymbolExtractor is ParallelSymbolExtractor
    assert ragex.ParallelConfig is ParallelConfig and ragex.load_config is load_config
    assert set(ragex.__all__) <= set(dir(ragex))


def test_import_ragex_leaves_the_indexer_and_the_pool_unloaded():
    code = ("import sys, ragex; print(sorted(m for m in ('ragex.indexer', 'ragex.parallel', "
            "'ragex.supervisor', 'sqlite3') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
