"""CodeIndexer: discover -> extract (parallel) -> store, incrementally and crash-safely.

An index run lists the code files (discover), compares them with the index (size + mtime;
on a mismatch with equal size, the content hash), sends only new and changed files to the
`ParallelSymbolExtractor`, and writes each result as it arrives in batched transactions:
memory stays flat and a `kill -9` loses at most the last uncommitted batch, which the next
run redoes: each file's row records the fingerprint of the extractor that wrote it, so a
file committed by the current extractor is never redone, even after a killed first build.
Files that disappeared are removed. One writer at a time holds a lock file; a second one
waits (`wait`) or stops with a clear message.

The index is a cache of the source tree: a corrupt or outdated index (SQLite's quick_check
when the writer opens it, or corruption met mid-run) is rebuilt from the tree, with a note
saying so. An index this process cannot write, or an unreadable root, stops the run with
one line saying what to do, and the index is left as last committed. `update_paths` does the same for
some paths only (a watcher's hints), each rechecked against the walk's rules (`recheck`).

Not for: parsing (extract) or answering queries (search).
"""

from __future__ import annotations

import errno
import fcntl
import functools
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Callable, Iterable, Optional

from . import __version__
from .config import ParallelConfig, index_dir_setting, load_config
from .discover import (INDEX_DIR_NAME, DiscoveryOptions, FoundFile, discover, list_files,
                       read_inside)
from .extract import DEFAULT_MAX_FILE_BYTES, STATUS_OK, STATUS_SKIPPED, ExtractionTask
from .languages import LANGUAGES
from .parallel import ParallelSymbolExtractor, Progress, shared_extractor
from .parser_pool import injections_text, query_text, read_query_file
from .recheck import WalkMap, recheck
from .store import (DB_NAME, IndexCorrupt, IndexOutdated, IndexStore, IndexUnavailable, index_error,
                    prepare_index_dir, remove_index)

_COMMIT_SECONDS = 0.3
_WALK_KEPT = 1000  # walk problems the index keeps, with their reasons (all are counted)
_COMMIT_FILES = 500


class IndexBusy(RuntimeError):
    """Another process is writing this index."""


class RootUnreadable(IndexUnavailable):
    """The root cannot be listed: nothing is indexed and the index is left as it was (an
    unreadable tree must not read as a tree whose files were all deleted)."""


def default_index_dir(root: str) -> str:
    return os.path.join(os.path.abspath(root), INDEX_DIR_NAME)


def resolve_index_dir(root: str, index_dir: Optional[str] = None,
                      environ: Optional[dict] = None) -> str:
    """--index-dir, else RAGEX_INDEX_DIR, else <root>/.ragex."""
    if index_dir and index_dir.strip():
        return os.path.abspath(os.path.expanduser(index_dir))
    return index_dir_setting(environ) or default_index_dir(root)


def find_root(start: str = ".") -> Optional[str]:
    """The nearest directory at or above `start` holding a `.ragex/` index."""
    current = os.path.abspath(start)
    while True:
        if os.path.isfile(os.path.join(current, INDEX_DIR_NAME, "index.db")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


# beside the index: `_db_files` as the last write left them (a name remove_index deletes)
AS_WRITTEN = DB_NAME + "-as-written"


def _db_files(index_dir: str) -> tuple:
    """What changes when anyone writes the index: each of its SQLite files' identity,
    size and modification time (the database, its WAL). (The kernel stamps mtimes with a
    coarse clock: a write within the same few milliseconds as ragex's own would go
    unseen here; SQLite still reports a damaged page when it reads one, and the run then
    rebuilds the index.)"""
    out = []
    for name in (DB_NAME, DB_NAME + "-wal"):
        try:
            st = os.stat(os.path.join(index_dir, name))
        except OSError:
            out.append(None)
        else:
            out.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


def extractor_fingerprints(references: bool = True) -> dict[str, str]:
    """Per language, a hash of everything that shapes its records: the generic code and
    that language's query files (stacked); for a language whose files embed code (HTML,
    Markdown, Vue, Svelte) its injection query and every language's query too. A changed
    query re-indexes its language only (and the languages that stack or embed it); a
    changed extractor re-indexes everything. (The size limit is not in it: a changed limit
    re-extracts only the files whose size it moves across, see `_plan`.)

    Computed once per process (it reads every query file: 20 ms, which a watcher's
    one-file update would pay each time); `_fingerprints.cache_clear()` forgets it."""
    return dict(_fingerprints(bool(references)))


@functools.lru_cache(maxsize=2)
def _fingerprints(references: bool) -> tuple:
    common = hashlib.blake2b(digest_size=12)
    common.update(__version__.encode())
    for module in ("extract.py", "languages.py", "symbol.py", "lexical.py", "embedded.py"):
        common.update(resources.files("ragex").joinpath(module).read_bytes())
    common.update(b"references" if references else b"")
    queries = {spec.name: query_text(spec).encode() for spec in LANGUAGES}
    out = {}
    for spec in LANGUAGES:
        digest = common.copy()
        digest.update(queries[spec.name])
        for name in spec.refs_query:
            digest.update(read_query_file(name).encode())
        if spec.injections:  # its files may embed code of any language
            digest.update(injections_text(spec).encode())
            for text in queries.values():
                digest.update(text)
        out[spec.name] = digest.hexdigest()
    return tuple(out.items())


@dataclass(frozen=True)
class FileSet:
    """The settings that decide which files an index holds. The index remembers them, so
    a plain `ragex index` after `ragex index --include '*.go'` keeps to Go files."""

    discovery: DiscoveryOptions = DiscoveryOptions()
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES

    def to_meta(self) -> dict:
        return {"discovery": asdict(self.discovery), "max_file_bytes": self.max_file_bytes}

    @classmethod
    def from_meta(cls, meta: Optional[dict]) -> Optional["FileSet"]:
        if not meta:
            return None
        try:
            return cls(DiscoveryOptions(**meta["discovery"]), int(meta["max_file_bytes"]))
        except (KeyError, TypeError, ValueError):
            return None  # written by another ragex: the defaults

    def describe(self) -> str:
        d, parts = self.discovery, []
        parts += [f"--include {g}" for g in d.include] + [f"--exclude {g}" for g in d.exclude]
        parts += [flag for flag, on in (("--hidden", d.hidden), ("--no-ignore", d.no_ignore),
                                        ("--follow-outside", d.follow_outside)) if on]
        if self.max_file_bytes != DEFAULT_MAX_FILE_BYTES:
            parts.append(f"--max-file-bytes {self.max_file_bytes}")
        return " ".join(parts) or "the defaults"


def stored_file_set(store: IndexStore) -> Optional[FileSet]:
    return FileSet.from_meta(store.get_meta("file_set"))


@dataclass
class IndexSummary:
    root: str
    index_dir: str
    discovered: int = 0
    indexed: int = 0  # extracted in this run with status ok
    unchanged: int = 0
    touched: int = 0  # mtime changed, content identical
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    symbols_added: int = 0
    symbols_removed: int = 0  # with the files re-extracted or removed
    total_files: int = 0
    total_symbols: int = 0
    seconds: float = 0.0
    full_rebuild: bool = False
    problems: list = field(default_factory=list)  # this run's skipped/failed, with reasons
    notes: list = field(default_factory=list)  # things the user should know
    extraction: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class _Lock:
    def __init__(self, path: str) -> None:
        self.path = path
        self.fh = None

    def acquire(self, wait: float) -> None:
        try:
            self.fh = open(self.path, "a+")
        except OSError as exc:
            raise index_error(exc, os.path.dirname(self.path)) from exc
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    self.fh.seek(0)
                    holder = self.fh.read().strip() or "unknown"
                    self.fh.close()
                    self.fh = None
                    raise IndexBusy(
                        f"another ragex index (pid {holder}) is updating {os.path.dirname(self.path)}; "
                        "queries still work meanwhile. Wait for it, or pass --wait SECONDS") from None
                time.sleep(0.1)
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()

    def release(self) -> None:
        if self.fh is not None:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None


LOCK_NAME = "index.lock"


def writer_pid(index_dir: str) -> Optional[int]:
    """The pid of the `ragex index` (or server) writing this index now, else None."""
    try:
        fh = open(os.path.join(index_dir, LOCK_NAME), "r")
    except OSError:
        return None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = fh.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fh, fcntl.LOCK_UN)
        return None


class CodeIndexer:
    """Keeps the index of one root current."""

    def __init__(self, root: str, index_dir: Optional[str] = None,
                 config: Optional[ParallelConfig] = None,
                 discovery: Optional[DiscoveryOptions] = None,
                 extractor: Optional[ParallelSymbolExtractor] = None) -> None:
        """`discovery` None: the file set the index remembers (the defaults for a new
        one); given, it replaces what the index remembers. The same holds for the size
        limit: `config.max_file_bytes` counts only when it was set (flag or variable)."""
        self.root = os.path.abspath(root)
        if not os.path.isdir(self.root):
            what = "not a directory" if os.path.exists(self.root) else "no such directory"
            raise RootUnreadable(f"{root}: {what}: give the root directory of a codebase")
        self.index_dir = self.index_dir_for(self.root, index_dir)
        self.config = config or load_config()
        self.discovery = discovery
        self._extractor = extractor
        self.walk_map: Optional[WalkMap] = None  # see current_walk_map
        self._walk_ignored: list[str] = []  # (none known before a whole walk: learned later)

    index_dir_for = staticmethod(resolve_index_dir)

    @property
    def extractor(self) -> ParallelSymbolExtractor:
        if self._extractor is None:
            self._extractor = shared_extractor(self.config)
        return self._extractor

    def find_code_files(self, problems: Optional[list] = None,
                        options: Optional[DiscoveryOptions] = None) -> list[FoundFile]:
        """The code files of the root; what the walk passed over goes to `problems`."""
        options = options or self.discovery or DiscoveryOptions()
        ignored: list[str] = []
        files = list(discover(self.root, options, problems=problems, ignored=ignored))
        inner = self.index_dir_in_root()
        if inner:  # never index the index
            files = [f for f in files if not f.rel_path.startswith(inner + "/")]
        self._walk_ignored = ignored  # for walk_map, built when a path update needs it
        self.walk_map = None
        return files

    def current_walk_map(self) -> WalkMap:
        """What the last whole walk passed over and the symlinks below the root, as
        `update_paths` uses them (built on first use: `ragex index` never needs it)."""
        if self.walk_map is None:
            self.walk_map = WalkMap.build(self.root, self._walk_ignored)
        return self.walk_map

    def index_dir_in_root(self) -> Optional[str]:
        """The index's directory relative to the root, if it is inside it."""
        if self.index_dir.startswith(self.root + os.sep):
            return os.path.relpath(self.index_dir, self.root).replace(os.sep, "/")
        return None

    def file_set(self, remembered: Optional[FileSet] = None) -> FileSet:
        """The file set of this run: what was asked for, else what the index remembers."""
        remembered = remembered or FileSet()
        discovery = self.discovery if self.discovery is not None else remembered.discovery
        limit = self.config.max_file_bytes if "max_file_bytes" in self.config.sources \
            else remembered.max_file_bytes
        return FileSet(discovery, limit)

    def open_store(self, readonly: bool = True) -> IndexStore:
        return IndexStore(self.index_dir, readonly=readonly)

    def index_codebase(self, force: bool = False, rebuild: bool = False,
                       progress: Optional[Callable[[Progress], None]] = None,
                       wait: float = 0.0,
                       on_phase: Optional[Callable[[str], None]] = None,
                       forget_file_set: bool = False) -> IndexSummary:
        """Bring the index up to date; returns what this run did. `forget_file_set`: the
        defaults replace the file set the index remembers (see `FileSet`)."""
        started = time.perf_counter()
        self._check_root()
        prepare_index_dir(self.index_dir)
        lock = _Lock(os.path.join(self.index_dir, LOCK_NAME))
        lock.acquire(wait)
        on_phase = on_phase or (lambda _: None)
        try:
            try:
                return self._index(force, rebuild, progress, started, on_phase,
                                   forget_file_set)
            except IndexCorrupt as exc:  # met mid-run: the cache is rebuilt, once
                if rebuild:
                    raise
                summary = self._index(force, True, progress, started, on_phase,
                                      forget_file_set)
                summary.notes.insert(0, f"{exc.problem}, met while indexing: rebuilt it from "
                                        "the source tree")
                return summary
        finally:
            lock.release()

    def _check_root(self) -> None:
        if not os.path.isdir(self.root):
            raise RootUnreadable(f"{self.root}: no longer a directory: give the root "
                                 "directory of a codebase; the index is left as it was")
        try:
            with os.scandir(self.root) as entries:
                next(entries, None)
            readable = os.access(self.root, os.R_OK | os.X_OK)
        except OSError as exc:
            readable, why = False, (exc.strerror or str(exc)).lower()
        else:
            why = "permission denied"
        if not readable:
            raise RootUnreadable(f"cannot read the root {self.root}: {why}: make it readable "
                                 "by this user; the index is left as it was")

    async def aindex_codebase(self, **kwargs) -> IndexSummary:
        import asyncio

        return await asyncio.to_thread(self.index_codebase, **kwargs)

    def update_paths(self, paths: Iterable[str], wait: float = 0.0,
                     progress: Optional[Callable[[Progress], None]] = None) -> IndexSummary:
        """Bring these root-relative paths up to date, under the same lock as a whole run.

        The paths are hints (a watcher's events): files or directories, there or gone,
        each rechecked against the walk's rules (ignore files, include/exclude, links out
        of the root, languages); a directory stands for everything below it. A changed file
        is re-extracted when its content hash differs, whatever its size and mtime say. A
        changed ignore file, or an index a whole run has not completed, makes this a whole
        run (`index_codebase`): `summary.full_rebuild` or `summary.notes` says so."""
        started = time.perf_counter()
        self._check_root()
        prepare_index_dir(self.index_dir)
        lock = _Lock(os.path.join(self.index_dir, LOCK_NAME))
        lock.acquire(wait)
        try:
            notes: list = []
            store, rebuilt = self._open_for_write(False, notes)
            try:
                run = store.get_meta("last_run") or {}
                whole = rebuilt or not run.get("complete") or not store.search_ready()
                if not whole:
                    summary = self._update_paths(store, list(paths), progress, started)
                    whole = summary is None
            finally:
                store.close()
            self._trust_index()
            if whole:
                summary = self._index(False, False, progress, started, lambda _: None)
                summary.notes += notes
                summary.notes.append("the whole tree was walked: ignore rules changed, or "
                                     "the index was not complete")
            return summary
        finally:
            lock.release()

    def _update_paths(self, store: IndexStore, paths: list[str], progress, started: float
                      ) -> Optional[IndexSummary]:
        """update_paths on an open store; None when the whole tree must be walked."""
        summary = IndexSummary(self.root, self.index_dir)
        file_set = self.file_set(stored_file_set(store))
        checked = recheck(self.root, paths, file_set.discovery, self.current_walk_map(),
                          indexed=lambda rel: store.file_row(rel) is not None,
                          indexed_under=store.paths_under, inner=self.index_dir_in_root())
        if checked.rules_changed:
            return None
        summary.discovered = len(checked.found)
        known = {}
        for rel in [f.rel_path for f in checked.found] + sorted(checked.gone):
            row = store.file_row(rel)
            if row is not None:
                known[rel] = row
        fingerprints = extractor_fingerprints(self.config.references)
        follow = file_set.discovery.follow_outside
        limits = (file_set.max_file_bytes, file_set.max_file_bytes)
        to_extract, touched, summary.unchanged = _plan(
            checked.found, known, False, fingerprints, limits,
            lambda f, digest: _same_content(self.root, f.rel_path, follow, digest), verify=True)
        new = [f.rel_path for f in to_extract if f.rel_path not in known]
        packages = _packages_changed(new, checked.gone)
        # an `__init__.py` the rules leave out names packages all the same
        packages |= {d for d in _packages_changed(paths, ()) - packages
                     if _module_names_moved(self.root, store, d)}
        if packages:  # the Python files below them, from the index, as files again
            below = {p: store.file_row(p)
                     for d in sorted(packages) for p in store.paths_under(d)}
            candidates = sorted(p for p, row in below.items()
                                if row is not None and row.language == "python")
            known.update((p, below[p]) for p in candidates)
            to_extract += _package_dependents(
                [], [], list(discover(self.root, file_set.discovery, listed=candidates)), known,
                to_extract, packages)
        summary.symbols_removed = sum(known[p].symbol_count for p in checked.gone
                                      if p in known) + sum(
            known[f.rel_path].symbol_count for f in to_extract if f.rel_path in known)
        store.begin()
        summary.removed = store.delete_files(sorted(checked.gone))
        for f in touched:
            store.touch_file(f.rel_path, f.size, f.mtime_ns)
        store.commit()
        summary.touched = len(touched)
        if to_extract:
            self._extract_into(store, to_extract, fingerprints, file_set, summary, progress)
        summary.total_files, summary.total_symbols = store.totals()
        summary.seconds = time.perf_counter() - started
        return summary

    def _trust_index(self) -> None:
        """This process has just written the index and closed it: until its files change
        (another process writes, a reader checkpoints, a byte is truncated), the next write
        needs no quick_check. Their state is written beside the index (`AS_WRITTEN`) for
        that next write, in this process or another: a watcher's one-file update costs
        ≈ 20 ms, not the whole file read of a check (0.4 s on the stdlib's index), and a
        warm `ragex index` 0.15 s, not 0.36."""
        path = os.path.join(self.index_dir, AS_WRITTEN)
        try:
            with open(path + ".tmp", "w") as fh:
                fh.write(json.dumps(_db_files(self.index_dir)))
            os.replace(path + ".tmp", path)
        except OSError:  # (a read-only directory, a full disk: the next write checks)
            try:
                os.remove(path + ".tmp")
            except OSError:
                pass

    def _as_written(self) -> bool:
        """The index files are as the last write (this process's or another's) left them."""
        try:
            with open(os.path.join(self.index_dir, AS_WRITTEN)) as fh:
                return fh.read() == json.dumps(_db_files(self.index_dir))
        except OSError:
            return False

    def _open_for_write(self, rebuild: bool, notes: list) -> tuple[IndexStore, bool]:
        """The index, checked by SQLite's quick_check (a no-op run on the stdlib's 310 MB
        index: 0.36 -> 0.68 s warm); a corrupt or outdated one is rebuilt (it is a cache),
        an unwritable one is an error that changes nothing."""
        if rebuild:
            remove_index(self.index_dir)
            return IndexStore(self.index_dir), True
        store = None
        try:
            as_left = self._as_written()
            store = IndexStore(self.index_dir)
            # a new, empty index needs no check; nor one as the last write left it
            if store.get_meta("last_run") is not None and not as_left:
                store.check_integrity()
            return store, False
        except (IndexCorrupt, IndexOutdated) as exc:
            if store is not None:
                store.close()
            notes.append(f"{exc.problem}: rebuilt it from the source tree")
            remove_index(self.index_dir)
            return IndexStore(self.index_dir), True

    def _index(self, force: bool, rebuild: bool, progress, started: float,
               on_phase: Callable[[str], None], forget_file_set: bool = False) -> IndexSummary:
        summary = IndexSummary(self.root, self.index_dir)
        store, rebuilt = self._open_for_write(rebuild, summary.notes)
        try:
            on_phase("discovering files")
            previous = stored_file_set(store)
            file_set = self.file_set(None if forget_file_set else previous)
            if previous is not None and file_set != previous:
                summary.notes.append(
                    f"the file set changed from {previous.describe()} to "
                    f"{file_set.describe()}: remembered for the next runs "
                    "(--forget-file-set returns to the defaults)")
            store.set_meta("file_set", file_set.to_meta())
            walk_problems: list = []
            found = self.find_code_files(walk_problems, file_set.discovery)
            summary.discovered = len(found)
            summary.problems += [{"path": p.path, "status": "skipped", "reason": p.reason}
                                 for p in walk_problems]
            store.set_meta("walk_problems", [list(p) for p in walk_problems[:_WALK_KEPT]])
            store.set_meta("walk_problem_count", len(walk_problems))
            if not found and not file_set.discovery.no_ignore:
                hidden_by_rules = len(list_files(self.root, DiscoveryOptions(no_ignore=True)))
                if hidden_by_rules:
                    summary.notes.append(
                        f"no file to index, but ignore files exclude {hidden_by_rules} files "
                        f"under {self.root} (a `.gitignore` with `/*` or `*`?): pass --no-ignore "
                        "to index them anyway")
            fingerprints = extractor_fingerprints(self.config.references)
            run_info = {"started": time.time(), "complete": False, "pid": os.getpid()}
            store.set_meta("last_run", run_info)
            known = store.file_rows()
            old_limit = previous.max_file_bytes if previous else file_set.max_file_bytes
            follow = file_set.discovery.follow_outside
            to_extract, touched, summary.unchanged = _plan(
                found, known, force, fingerprints, (old_limit, file_set.max_file_bytes),
                lambda f, digest: _same_content(self.root, f.rel_path, follow, digest))
            # every row by another extractor (a new ragex): a full rebuild, as after --force
            current = set(fingerprints.values())
            summary.full_rebuild = force or rebuilt or (bool(known) and not any(
                row.fingerprint in current for row in known.values()))
            present = {f.rel_path for f in found}
            gone = [p for p in known if p not in present]
            dependents = _package_dependents(
                [f.rel_path for f in to_extract if f.rel_path not in known], gone,
                [f for f in found if f.rel_path in known], known, to_extract)
            to_extract += dependents
            summary.unchanged -= len(dependents)
            summary.symbols_removed = sum(known[p].symbol_count for p in gone) + sum(
                known[f.rel_path].symbol_count for f in to_extract if f.rel_path in known)
            store.begin()
            summary.removed = store.delete_files(gone)
            for f in touched:
                store.touch_file(f.rel_path, f.size, f.mtime_ns)
            store.commit()
            summary.touched = len(touched)
            # Rewriting most of the index: build the search indexes once at the end. A
            # killed bulk build leaves search_ready false; the next run finishes the job.
            bulk = len(to_extract) > max(1000, len(known) // 2) or not store.search_ready()
            if bulk:
                store.begin_bulk()
            if to_extract:
                on_phase(f"extracting {len(to_extract)} files")
                self._extract_into(store, to_extract, fingerprints, file_set, summary,
                                   progress)
            if bulk:
                on_phase("building search indexes")
                store.end_bulk()
            store.set_meta("references", self.config.references)
            summary.total_files, summary.total_symbols = store.totals()
            summary.seconds = time.perf_counter() - started
            run_info.update(complete=True, finished=time.time(), seconds=summary.seconds,
                            indexed=summary.indexed, unchanged=summary.unchanged,
                            skipped=summary.skipped, failed=summary.failed,
                            removed=summary.removed, touched=summary.touched)
            store.set_meta("last_run", run_info)
            store.set_meta("root", self.root)
        finally:
            store.close()
        self._trust_index()
        return summary

    def _extract_into(self, store: IndexStore, files: list[FoundFile], fingerprints: dict,
                      file_set: FileSet, summary: IndexSummary, progress) -> None:
        tasks = [ExtractionTask(f.path, f.rel_path, file_size=f.size, language=f.language,
                                max_file_bytes=file_set.max_file_bytes, root=self.root,
                                follow_outside=file_set.discovery.follow_outside,
                                documents=True, references=self.config.references)
                 for f in files]
        # the fingerprint of the language the file was planned under (see _plan)
        fingerprint_of = {f.rel_path: fingerprints.get(f.language) for f in files}
        extractor = self.extractor
        pending = 0
        last_commit = time.monotonic()

        def commit_while_waiting() -> None:  # results come in bursts from a cluster
            nonlocal pending, last_commit
            if pending:
                store.commit()
                store.begin()
                pending = 0
                last_commit = time.monotonic()

        store.begin()
        try:
            for result in extractor.iter_extract(tasks, progress, raw=True,
                                                 on_idle=commit_while_waiting):
                store.put_file(result.rel_path, result.size, result.mtime_ns,
                               result.content_hash, result.language, result.status,
                               result.error, result.warning, result.rows,
                               fingerprint=fingerprint_of.get(result.rel_path),
                               documents=result.documents, refs=result.refs)
                summary.symbols_added += len(result.rows)
                if result.status == STATUS_OK:
                    summary.indexed += 1
                else:
                    if result.status == STATUS_SKIPPED:
                        summary.skipped += 1
                    else:
                        summary.failed += 1
                    summary.problems.append({"path": result.rel_path, "status": result.status,
                                             "reason": result.error})
                pending += 1
                now = time.monotonic()
                if pending >= _COMMIT_FILES or now - last_commit >= _COMMIT_SECONDS:
                    store.commit()
                    store.begin()
                    pending = 0
                    last_commit = now
            store.commit()
        except BaseException:
            try:
                store.rollback()
            except IndexUnavailable:
                pass  # the error on its way out says more than this one
            raise
        summary.extraction = asdict(extractor.last_stats)


def _plan(found: list[FoundFile], known: dict, force: bool, fingerprints: dict,
          limits: tuple[int, int], same_content: Callable[[FoundFile, str], bool],
          verify: bool = False) -> tuple[list[FoundFile], list[FoundFile], int]:
    """(files to extract, files only touched, count unchanged): a row written by another
    extractor than this language's current one is redone, and so is a file whose size
    the size limit moved across (`limits`: the previous and the current limit); otherwise
    size + mtime decide without reading, and equal size with another mtime is settled by
    the content hash. `verify`: the files are known to have changed, so equal size and
    mtime (a rewrite within the clock's granularity) are settled by the hash too."""
    to_extract: list[FoundFile] = []
    touched: list[FoundFile] = []
    unchanged = 0
    old_limit, new_limit = limits
    for f in found:
        row = known.get(f.rel_path)
        if row is None or force or row.fingerprint != fingerprints.get(f.language) or \
                (f.size > old_limit) != (f.size > new_limit):
            to_extract.append(f)
        elif row.size == f.size and row.mtime_ns == f.mtime_ns and not verify:
            unchanged += 1
        elif row.size == f.size and row.hash and same_content(f, row.hash):
            if row.mtime_ns == f.mtime_ns:
                unchanged += 1
            else:
                touched.append(f)
        else:
            to_extract.append(f)
    return to_extract, touched, unchanged


def _packages_changed(new: Iterable[str], gone: Iterable[str]) -> set[str]:
    """Directories that became, or stopped being, Python packages (an `__init__.py` came
    or went): below them, modules are named otherwise."""
    out = set()
    for path in (*new, *gone):
        directory, _, base = path.rpartition("/")
        if base == "__init__.py" and directory:
            out.add(directory)
    return out


def _module_names_moved(root: str, store: IndexStore, directory: str) -> bool:
    """Whether an indexed Python module below `directory` is named otherwise now (its
    package came or went although no indexed file says so)."""
    from .extract import python_module_name

    below = store.paths_under(directory)
    # the modules right in it first: a package above them changes their names for sure
    below.sort(key=lambda p: p.count("/"))
    for path in below[:50]:
        row = store.file_row(path)
        if row is None or row.language != "python" or row.status != STATUS_OK:
            continue
        stored = next((s.qualified_name for s in store.file_symbols(path)
                       if s.kind == "module"), None)
        if stored is not None and stored != python_module_name(os.path.join(root, path),
                                                               path):
            return True
    return False


def _package_dependents(new: list[str], gone: list[str], candidates: list[FoundFile],
                        known: dict, queued: list[FoundFile],
                        packages: Optional[set[str]] = None) -> list[FoundFile]:
    """Indexed Python files to extract again, though unchanged, because a package above
    them came or went (their qualified names start with the module path)."""
    packages = _packages_changed(new, gone) if packages is None else packages
    if not packages:
        return []
    prefixes = tuple(d + "/" for d in packages)
    taken = {f.rel_path for f in queued}
    return [f for f in candidates
            if f.rel_path.startswith(prefixes) and f.rel_path not in taken
            and f.rel_path in known and known[f.rel_path].language == "python"]


def _same_content(root: str, rel: str, follow_outside: bool, expected: str) -> bool:
    """Whether the file's bytes (read inside the root) hash to `expected`."""
    try:
        data = read_inside(root, rel, -1, follow_outside)
        return hashlib.blake2b(data, digest_size=16).hexdigest() == expected
    except OSError:
        return False


def open_index(root: Optional[str] = None, index_dir: Optional[str] = None
               ) -> tuple[str, IndexStore]:
    """(root, read-only store) for queries: --root, else the nearest `.ragex/` above cwd."""
    if root is None and index_dir is None and not index_dir_setting():
        root = find_root(".")
        if root is None:
            raise IndexUnavailable("no ragex index here or in any parent directory: "
                                   "run `ragex index [PATH]` first (or pass --root)")
    chosen = resolve_index_dir(root or ".", index_dir)
    store = IndexStore(chosen, readonly=True)
    stored_root = store.get_meta("root")
    return (os.path.abspath(root) if root else (stored_root or os.getcwd())), store


def index_status(store: IndexStore, warnings: bool = True, check: bool = True) -> dict:
    """Counts per language and status, failures with reasons, index size, last run; the
    files with warnings (`warnings=False`: their count only, much cheaper on a big index).
    `check`: first SQLite's quick_check, IndexCorrupt if the file is damaged (it reads
    the whole file, see `IndexStore.check_integrity`)."""
    if check:
        store.check_integrity()
    status = store.stats(warnings)
    status["last_run"] = store.get_meta("last_run")
    status["root"] = store.get_meta("root")
    status["index_dir"] = store.index_dir
    # what the walk passed over (symlink loops, FIFOs, links out of the root, ...)
    status["problems"] += [{"path": p, "status": "skipped", "reason": r}
                           for p, r in store.get_meta("walk_problems") or ()]
    status["walk_problems"] = store.get_meta("walk_problem_count") or 0
    file_set = stored_file_set(store) or FileSet()
    status["file_set"] = {**file_set.to_meta(), "described": file_set.describe()}
    # the indexed languages that have no references of their own, and why
    # (`LanguageSpec.refs_none`; markup's references are its embedded code's)
    status["references_none"] = {
        spec.name: spec.refs_none for spec in LANGUAGES
        if spec.refs_none and spec.name in status["by_language"]}
    run = status["last_run"] or {}
    if run and not run.get("complete"):
        status["state"] = "partial: the last index run did not finish (run `ragex index`)"
    else:
        status["state"] = "complete" if run else "empty"
    return status
