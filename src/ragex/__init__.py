"""ragex: a fast, fault-tolerant, parallel code-symbol indexer.

The pipeline, one module per stage: `discover` (which files) -> `extract` (one file's
symbols, generic over the query files in `queries/`) run sequentially or by `parallel`
(the `ParallelSymbolExtractor` and its worker pool) -> `store` (SQLite) -> `search` (queries
over the store), wired together by `indexer` (`CodeIndexer`). `cli` and `mcp_server` are thin
fronts over these functions.
"""

from .extract import ExtractionResult, ExtractionTask, extract_file, extract_source
from .languages import LANGUAGES, language_for_path
from .parser_pool import SharedParserPool
from .symbol import KINDS, Symbol

__all__ = [
    "KINDS",
    "LANGUAGES",
    "ExtractionResult",
    "ExtractionTask",
    "SharedParserPool",
    "Symbol",
    "extract_file",
    "extract_source",
    "language_for_path",
]
__version__ = "0.1.0"
