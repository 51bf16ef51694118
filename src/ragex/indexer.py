"""CodeIndexer: discover -> extract (parallel) -> store, incrementally and crash-safely.

An index run lists the code files (discover), compares them with the index (size + mtime;
on a mismatch with equal size, the content hash), sends only new and changed files to the
`ParallelSymbolExtractor`, and writes each result as it arrives in batched transactions:
memory stays flat and a `kill -9` loses at most the last uncommitted batch, which the next
run redoes. Files that disappeared are removed. One writer at a time holds a lock file; a
second one waits (`wait`) or stops with a clear message. `update_paths` does the same for
some paths only (a watcher's hints), each rechecked against the walk's rules (`recheck`).

Not for: parsing (extract) or answering queries (search).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import time
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Callable, Iterable, Optional

from . import __version__
from .config import ParallelConfig, index_dir_setting, load_config
from .discover import INDEX_DIR_NAME, DiscoveryOptions, FoundFile, discover, list_files
from .extract import STATUS_OK, STATUS_SKIPPED, ExtractionTask
from .languages import LANGUAGES
from .parallel import ParallelSymbolExtractor, Progress, shared_extractor
from .recheck import WalkMap, recheck
from .store import IndexStore, IndexUnavailable, remove_index

_COMMIT_SECONDS = 0.3
_WALK_KEPT = 1000  # walk problems the index keeps, with their reasons (all are counted)
_COMMIT_FILES = 500


class IndexBusy(RuntimeError):
    """Another process is writing this index."""


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


def extractor_fingerprints(config: ParallelConfig) -> dict[str, str]:
    """Per language, a hash of everything that shapes its records: the generic code, the
    size limit and that language's query file. A changed query re-indexes its language
    only; a changed extractor re-indexes everything."""
    common = hashlib.blake2b(digest_size=12)
    common.update(__version__.encode())
    for module in ("extract.py", "languages.py", "symbol.py"):
        common.update(resources.files("ragex").joinpath(module).read_bytes())
    common.update(str(config.max_file_bytes).encode())
    queries = resources.files("ragex.queries")
    out = {}
    for spec in LANGUAGES:
        digest = common.copy()
        digest.update(queries.joinpath(spec.query).read_bytes())
        out[spec.name] = digest.hexdigest()
    return out


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
        self.fh = open(self.path, "a+")
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
                 discovery: DiscoveryOptions = DiscoveryOptions(),
                 extractor: Optional[ParallelSymbolExtractor] = None) -> None:
        self.root = os.path.abspath(root)
        if not os.path.isdir(self.root):
            raise IndexUnavailable(f"{root}: not a directory")
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

    def find_code_files(self, problems: Optional[list] = None) -> list[FoundFile]:
        """The code files of the root; what the walk passed over goes to `problems`."""
        ignored: list[str] = []
        files = list(discover(self.root, self.discovery, problems=problems, ignored=ignored))
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

    def open_store(self, readonly: bool = True) -> IndexStore:
        return IndexStore(self.index_dir, readonly=readonly)

    def index_codebase(self, force: bool = False, rebuild: bool = False,
                       progress: Optional[Callable[[Progress], None]] = None,
                       wait: float = 0.0,
                       on_phase: Optional[Callable[[str], None]] = None) -> IndexSummary:
        """Bring the index up to date; returns what this run did."""
        started = time.perf_counter()
        os.makedirs(self.index_dir, exist_ok=True)
        lock = _Lock(os.path.join(self.index_dir, LOCK_NAME))
        lock.acquire(wait)
        try:
            return self._index(force, rebuild, progress, started, on_phase or (lambda _: None))
        finally:
            lock.release()

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
        os.makedirs(self.index_dir, exist_ok=True)
        lock = _Lock(os.path.join(self.index_dir, LOCK_NAME))
        lock.acquire(wait)
        try:
            store, rebuilt = self._open_for_write(False)
            try:
                run = store.get_meta("last_run") or {}
                whole = rebuilt or not run.get("complete") or not store.search_ready()
                if not whole:
                    summary = self._update_paths(store, list(paths), progress, started)
                    whole = summary is None
            finally:
                store.close()
            if whole:
                summary = self._index(False, False, progress, started, lambda _: None)
                summary.notes.append("the whole tree was walked: ignore rules changed, or "
                                     "the index was not complete")
            return summary
        finally:
            lock.release()

    def _update_paths(self, store: IndexStore, paths: list[str], progress, started: float
                      ) -> Optional[IndexSummary]:
        """update_paths on an open store; None when the whole tree must be walked."""
        summary = IndexSummary(self.root, self.index_dir)
        checked = recheck(self.root, paths, self.discovery, self.current_walk_map(),
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
        to_extract, touched, summary.unchanged = _plan(checked.found, known, False, set(),
                                                       verify=True)
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
                [], [], list(discover(self.root, self.discovery, listed=candidates)), known,
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
            self._extract_into(store, to_extract, summary, progress)
        summary.total_files, summary.total_symbols = store.totals()
        summary.seconds = time.perf_counter() - started
        return summary

    def _open_for_write(self, rebuild: bool) -> tuple[IndexStore, bool]:
        if rebuild:
            remove_index(self.index_dir)
        try:
            return IndexStore(self.index_dir), rebuild
        except IndexUnavailable:
            # a cache: a corrupt or outdated index is rebuilt, not a dead end
            remove_index(self.index_dir)
            return IndexStore(self.index_dir), True

    def _index(self, force: bool, rebuild: bool, progress, started: float,
               on_phase: Callable[[str], None]) -> IndexSummary:
        summary = IndexSummary(self.root, self.index_dir)
        store, rebuilt = self._open_for_write(rebuild)
        try:
            on_phase("discovering files")
            walk_problems: list = []
            found = self.find_code_files(walk_problems)
            summary.discovered = len(found)
            summary.problems += [{"path": p.path, "status": "skipped", "reason": p.reason}
                                 for p in walk_problems]
            store.set_meta("walk_problems", [list(p) for p in walk_problems[:_WALK_KEPT]])
            store.set_meta("walk_problem_count", len(walk_problems))
            if not found and not self.discovery.no_ignore:
                hidden_by_rules = len(list_files(self.root, DiscoveryOptions(no_ignore=True)))
                if hidden_by_rules:
                    summary.notes.append(
                        f"no file to index, but ignore files exclude {hidden_by_rules} files "
                        f"under {self.root} (a `.gitignore` with `/*` or `*`?): pass --no-ignore "
                        "to index them anyway")
            fingerprints = extractor_fingerprints(self.config)
            previous = store.get_meta("fingerprints") or {}
            stale = {lang for lang, fp in fingerprints.items() if previous.get(lang) != fp}
            if len(stale) == len(fingerprints):
                force = True
            summary.full_rebuild = force or rebuilt
            run_info = {"started": time.time(), "complete": False, "pid": os.getpid()}
            store.set_meta("last_run", run_info)
            known = store.file_rows()
            to_extract, touched, summary.unchanged = _plan(found, known, force, stale)
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
                self._extract_into(store, to_extract, summary, progress)
            if bulk:
                on_phase("building search indexes")
                store.end_bulk()
            store.set_meta("fingerprints", fingerprints)
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
        return summary

    def _extract_into(self, store: IndexStore, files: list[FoundFile], summary: IndexSummary,
                      progress) -> None:
        tasks = [ExtractionTask(f.path, f.rel_path, file_size=f.size, language=f.language)
                 for f in files]
        extractor = self.extractor
        pending = 0
        last_commit = time.monotonic()
        store.begin()
        try:
            for result in extractor.iter_extract(tasks, progress, raw=True):
                store.put_file(result.rel_path, result.size, result.mtime_ns,
                               result.content_hash, result.language, result.status,
                               result.error, result.warning, result.rows)
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
            store.conn.rollback()
            raise
        summary.extraction = asdict(extractor.last_stats)


def _plan(found: list[FoundFile], known: dict, force: bool, stale: set, verify: bool = False
          ) -> tuple[list[FoundFile], list[FoundFile], int]:
    """(files to extract, files only touched, count unchanged): size + mtime decide
    without reading; equal size with another mtime is settled by the content hash.
    `verify`: the files are known to have changed, so equal size and mtime (a rewrite
    within the clock's granularity) are settled by the hash too."""
    to_extract: list[FoundFile] = []
    touched: list[FoundFile] = []
    unchanged = 0
    for f in found:
        row = known.get(f.rel_path)
        if row is None or force or (row.language or f.language) in stale:
            to_extract.append(f)
        elif row.size == f.size and row.mtime_ns == f.mtime_ns and not verify:
            unchanged += 1
        elif row.size == f.size and row.hash and _same_content(f.path, row.hash):
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


def _same_content(path: str, expected: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(fh.read(), digest_size=16).hexdigest() == expected
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


def index_status(store: IndexStore, warnings: bool = True) -> dict:
    """Counts per language and status, failures with reasons, index size, last run; the
    files with warnings (`warnings=False`: their count only, much cheaper on a big index)."""
    status = store.stats(warnings)
    status["last_run"] = store.get_meta("last_run")
    status["root"] = store.get_meta("root")
    status["index_dir"] = store.index_dir
    # what the walk passed over (symlink loops, FIFOs, links out of the root, ...)
    status["problems"] += [{"path": p, "status": "skipped", "reason": r}
                           for p, r in store.get_meta("walk_problems") or ()]
    status["walk_problems"] = store.get_meta("walk_problem_count") or 0
    run = status["last_run"] or {}
    if run and not run.get("complete"):
        status["state"] = "partial: the last index run did not finish (run `ragex index`)"
    else:
        status["state"] = "complete" if run else "empty"
    return status
