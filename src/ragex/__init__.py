"""ragex: a fast, fault-tolerant, parallel code-symbol indexer.

The pipeline, one module per stage: `discover` (which files) -> `extract` (one file's
symbols, generic over the query files in `queries/`) run sequentially or by `parallel`
(the `ParallelSymbolExtractor`; its pool of worker processes is run by `supervisor`, and
`worker` is what each of them executes) -> `store` (SQLite) -> `search` (queries over the
store), wired together by `indexer` (`CodeIndexer`). `config` reads every setting
(`ParallelConfig`, `load_config`). `front` is the library front over one index
(`Index`: one method per question, every answer an `Answer`); `cli` and `mcp_server`
(through `service`) are thin layers over it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .config import ParallelConfig, load_config
from .languages import LANGUAGES, language_for_path
from .symbol import KINDS, Symbol

if TYPE_CHECKING:
    from .discover import DiscoveryOptions
    from .extract import ExtractionResult, ExtractionTask, extract_file, extract_source
    from .parser_pool import SharedParserPool
    from .front import Answer, Index, Limits
    from .indexer import CodeIndexer
    from .parallel import ParallelSymbolExtractor

# Imported on first use: the indexer and the pool bring in sqlite3, multiprocessing and
# psutil, which made `import ragex` take 77 ms instead of 47 ms (python -X importtime);
# the extractor brings in tree-sitter, which a query (`ragex symbols`) never needs.
_LAZY_EXPORTS = {"CodeIndexer": "indexer", "ParallelSymbolExtractor": "parallel",
                 "ExtractionResult": "extract", "ExtractionTask": "extract",
                 "extract_file": "extract", "extract_source": "extract",
                 "SharedParserPool": "parser_pool",
                 "Index": "front", "Answer": "front", "Limits": "front",
                 "DiscoveryOptions": "discover"}


def __getattr__(name: str) -> Any:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value  # once: later lookups do not come back here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_EXPORTS))


__all__ = [
    "KINDS",
    "LANGUAGES",
    "Answer",
    "CodeIndexer",
    "DiscoveryOptions",
    "ExtractionResult",
    "ExtractionTask",
    "Index",
    "Limits",
    "ParallelConfig",
    "ParallelSymbolExtractor",
    "SharedParserPool",
    "Symbol",
    "extract_file",
    "extract_source",
    "language_for_path",
    "load_config",
]
__version__ = "0.1.0"
