"""Discover: which files of a tree are code to index, with ignore rules as ripgrep applies them.

The walk is ripgrep's own (`rg --files`, from the `ripgrep` wheel): nested `.gitignore`,
`.git/info/exclude`, `.ignore`, `.rgignore`, negation, precedence and anchoring behave
exactly as in `rg`, hidden files and VCS directories are skipped by default. ragex adds:

- `.gitignore` applies outside a git repository too (`--no-require-git`);
- `.ragexignore` files (gitignore syntax), at the root and in any directory below it;
- symlinks are followed (ripgrep detects loops), but nothing whose real path lies outside
  the root is listed unless `follow_outside=True`;
- only files of a supported language: by extension or name, or, for extensionless files,
  by a `#!` line.

Not for: reading or parsing files (extract), or deciding what changed (indexer).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sysconfig
from dataclasses import dataclass
from typing import Iterator, NamedTuple, Optional, Sequence

from .languages import BY_EXTENSION, BY_FILENAME, language_from_shebang

IGNORE_FILE = ".ragexignore"
INDEX_DIR_NAME = ".ragex"


class DiscoveryError(RuntimeError):
    """The tree cannot be walked (missing root, ripgrep unavailable, bad glob)."""


@dataclass(frozen=True)
class DiscoveryOptions:
    """The settings that choose a root's file set (one flag each in the CLI)."""

    hidden: bool = False  # include hidden files and directories
    no_ignore: bool = False  # ignore .gitignore/.ignore/.rgignore/.ragexignore files
    include: tuple[str, ...] = ()  # only files matching one of these globs
    exclude: tuple[str, ...] = ()  # leave out files matching these globs
    follow_outside: bool = False  # follow symlinks whose target is outside the root

    def __post_init__(self) -> None:  # lists from a caller become hashable tuples
        object.__setattr__(self, "include", tuple(self.include))
        object.__setattr__(self, "exclude", tuple(self.exclude))


class FoundFile(NamedTuple):
    path: str  # absolute
    rel_path: str  # relative to the root, "/"-separated
    size: int
    mtime_ns: int
    language: Optional[str]  # by name (a `.h` is refined from its content when extracted)


def ripgrep_binary() -> str:
    candidates = [os.path.join(sysconfig.get_path("scripts"), "rg"), shutil.which("rg")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise DiscoveryError("ripgrep (rg) not found: install ragex with its dependencies "
                         "(`pip install ragex` brings the `ripgrep` wheel)")


def rg_file_args(options: DiscoveryOptions, root: str = ".") -> list[str]:
    """The ripgrep flags that select ragex's file set (shared with `ragex grep`).

    `options.include` is not among them: rg's --glob would override ignore files, so
    includes filter the listing afterwards."""
    args = ["--no-require-git", "--no-ignore-parent", "--no-config", "--follow"]
    if options.hidden:
        args.append("--hidden")
    if options.no_ignore:
        args.append("--no-ignore")
    elif os.path.isfile(os.path.join(root, IGNORE_FILE)):
        args += ["--ignore-file", os.path.join(root, IGNORE_FILE)]
    for glob in options.exclude:
        args += ["--glob", "!" + glob]
    args += ["--glob", f"!/{INDEX_DIR_NAME}/"]
    # ripgrep walks into .git with --hidden; a repository's own files are never code to index
    args += ["--glob", "!.git/"]
    return args


class WalkProblem(NamedTuple):
    """Something the walk passed over: a path (root-relative) and why."""

    path: str
    reason: str


def list_files(root: str, options: DiscoveryOptions = DiscoveryOptions()) -> list[str]:
    """Root-relative paths of every file ripgrep would search, sorted."""
    return walk(root, options)[0]


def walk(root: str, options: DiscoveryOptions = DiscoveryOptions(),
         ignored: Optional[list] = None, subtrees: Sequence[str] = (),
         listings: Sequence[str] = ()) -> tuple[list[str], list[WalkProblem]]:
    """(root-relative paths of every file ripgrep would search, sorted; what the walk
    passed over: symlink loops, unreadable directories, FIFOs and devices).

    `ignored` receives the paths ripgrep's rules passed over (ignore files, hidden files,
    globs): the directories among them it never entered. `subtrees` and `listings` focus
    the walk: everything below those root-relative directories, and the files directly in
    these (files of the directories on the way come too). The walk is the whole walk's
    own, from the root, with every directory off the way left out by an exclude glob, so
    each path is judged exactly as the whole walk judges it. (Naming the directories to
    ripgrep instead would apply ignore files above the root, and ripgrep 14 anchors the
    parents' rules wrongly for a subdirectory, or for all paths but the first.)"""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise DiscoveryError(f"{root}: not a directory")
    # --debug: ripgrep names the special files it passes over only in its debug log
    args = rg_file_args(options, root)
    left_out: set[str] = set()
    if (subtrees or listings) and "" not in subtrees:
        globs, left_out = _focus_globs(root, subtrees, listings)
        for glob in globs:
            args += ["--glob", glob]
    cmd = [ripgrep_binary(), "--files", "--null", "--debug"] + args
    proc = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    passed: Optional[list] = [] if ignored is not None else None
    errors, problems = _read_rg_log(proc.stderr.decode("utf-8", "surrogateescape"), passed)
    if ignored is not None:
        ignored += [p for p in passed if p not in left_out]
    # 1: no files; 2: some error, e.g. a symlink loop or an unreadable directory, which rg
    # reports and walks past. Only a run that produced nothing and complained is fatal.
    if proc.returncode not in (0, 1) and (not proc.stdout or any("glob" in e for e in errors)):
        raise DiscoveryError(f"ripgrep failed on {root}: "
                             f"{'; '.join(errors) or proc.returncode}")
    paths = [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]
    if not options.no_ignore:
        paths = _apply_nested_ragexignore(root, paths)
    if options.include:
        import pathspec

        wanted = pathspec.GitIgnoreSpec.from_lines(options.include)
        paths = [p for p in paths if wanted.match_file(p)]
        problems = [p for p in problems if wanted.match_file(p.path)]
    paths.sort()
    return paths, problems


_GLOB_SPECIAL = re.compile(r"([\\*?\[\]{}!])")


def _focus_globs(root: str, subtrees: Sequence[str], listings: Sequence[str]
                 ) -> tuple[list[str], set[str]]:
    """Exclude globs leaving out every directory off the way to the targets (only
    exclusions: a path they do not name is judged by the rules as in the whole walk)."""
    whole = set(subtrees)
    targets = whole | set(listings)
    way = set()
    for target in targets:
        directory = target
        while directory:
            directory = directory.rpartition("/")[0]
            way.add(directory)
    globs: list[str] = []
    left_out: set[str] = set()
    for directory in sorted(way | set(listings)):
        if directory in whole or any(directory.startswith(w + "/") for w in whole):
            continue  # inside a subtree walked whole
        try:
            entries = list(os.scandir(os.path.join(root, directory)))
        except OSError:
            continue
        for entry in entries:
            try:
                if not entry.is_dir():  # (through a symlink: ripgrep follows them)
                    continue
            except OSError:
                continue
            rel = f"{directory}/{entry.name}" if directory else entry.name
            if rel not in way and rel not in targets:
                globs.append("!/" + _GLOB_SPECIAL.sub(r"\\\1", rel))
                left_out.add(rel)
    return globs, left_out


_RG_SPECIAL = re.compile(r"ignoring (.+?): failed to pass haystack filter: file type")
_RG_IGNORED = re.compile(r"\|ignore::walk\|[^ ]* ignoring (.+?): Ignore\(")
_RG_LOOP = re.compile(r"^rg: File system loop found: (.+?) points to an ancestor")
_RG_ERROR = re.compile(r"^rg: (.+?): (.+)$")


def _read_rg_log(text: str, ignored: Optional[list] = None
                 ) -> tuple[list[str], list[WalkProblem]]:
    """(ripgrep's error lines, the walk problems named in them and in its debug log); the
    paths its rules passed over go to `ignored`."""
    errors: list[str] = []
    problems: list[WalkProblem] = []
    for line in text.splitlines():
        if line.startswith("rg: DEBUG|"):
            if ignored is not None:
                passed = _RG_IGNORED.search(line)
                if passed:
                    ignored.append(_rel(passed.group(1)))
                    continue
            found = _RG_SPECIAL.search(line)
            if found and is_supported_name(_rel(found.group(1))) is not False:
                problems.append(WalkProblem(_rel(found.group(1)),
                                            "not a regular file (a FIFO, socket or device)"))
            continue
        errors.append(line)
        loop = _RG_LOOP.match(line)
        other = _RG_ERROR.match(line)
        if loop:
            problems.append(WalkProblem(_rel(loop.group(1)),
                                        "symlink loop: it points to a directory above it"))
        elif other and other.group(1).startswith("./"):
            problems.append(WalkProblem(_rel(other.group(1)), f"unreadable: {other.group(2)}"))
    return errors, problems


def _rel(path: str) -> str:
    return path[2:] if path.startswith("./") else path


def _apply_nested_ragexignore(root: str, paths: list[str]) -> list[str]:
    directories = set()
    for path in paths:  # every directory above a file may hold rules for it
        directory = os.path.dirname(path)
        while directory and directory not in directories:
            directories.add(directory)
            directory = os.path.dirname(directory)
    found = sorted(d for d in directories
                   if d and os.path.isfile(os.path.join(root, d, IGNORE_FILE)))
    if not found:
        return paths
    import pathspec

    specs = []
    for directory in found:
        with open(os.path.join(root, directory, IGNORE_FILE), encoding="utf-8",
                  errors="replace") as fh:
            specs.append((directory + "/", pathspec.GitIgnoreSpec.from_lines(fh)))
    kept = []
    for path in paths:
        ignored = False
        for prefix, spec in specs:  # shallow first: a deeper file has the last word
            if path.startswith(prefix):
                result = spec.check_file(path[len(prefix):])
                if result.include is not None:
                    ignored = bool(result.include)
        if not ignored:
            kept.append(path)
    return kept


def is_supported_name(rel_path: str) -> Optional[bool]:
    """True: a code file by name; None: extensionless, decide by `#!`; False: not code."""
    base = rel_path.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    if dot > 0:
        return base[dot:].lower() in BY_EXTENSION
    if base in BY_FILENAME:
        return True
    return None if dot < 0 else False


def discover(root: str, options: DiscoveryOptions = DiscoveryOptions(),
             languages: Optional[set] = None,
             problems: Optional[list] = None, ignored: Optional[list] = None,
             listed: Optional[Sequence[str]] = None) -> Iterator[FoundFile]:
    """Code files below `root`, in path order, with size, mtime and language by name.

    `ignored` receives what the walk's rules passed over (see `walk`). `listed`: judge
    these root-relative paths (ones the rules already let through) instead of walking."""
    root = os.path.abspath(root)
    real_root = os.path.realpath(root)
    prefix = root + os.sep
    inside_cache: dict[str, bool] = {"": True}

    def within(real: str) -> bool:
        return real == real_root or real.startswith(real_root + os.sep)

    def inside(directory: str) -> bool:
        # one lstat per directory: a directory is inside if its parent is and it is not a
        # symlink leading out
        known = inside_cache.get(directory)
        if known is None:
            parent, _, _ = directory.rpartition("/")
            known = inside(parent)
            if known:
                full = prefix + directory
                if os.path.islink(full):
                    known = within(os.path.realpath(full))
                    if not known and problems is not None:  # said once, for the link
                        problems.append(WalkProblem(directory, _OUTSIDE))
            inside_cache[directory] = known
        return known

    follow_outside = options.follow_outside
    lstat = os.lstat
    paths, walk_problems = walk(root, options, ignored=ignored) if listed is None \
        else (listed, [])
    if problems is not None:
        problems += walk_problems
    for rel in paths:
        base_at = rel.rfind("/") + 1
        base = rel[base_at:]
        dot = base.rfind(".")
        if dot > 0:
            language = BY_EXTENSION.get(base[dot:].lower())
            if language is None:
                continue  # (a `.h` is "c" here; the extractor refines it from the content)
        else:
            language = BY_FILENAME.get(base)
            if language is None and dot == 0:
                continue
        if not follow_outside and base_at and not inside(rel[:base_at - 1]):
            continue
        path = prefix + rel
        try:
            st = lstat(path)
            if stat.S_ISLNK(st.st_mode):
                if not follow_outside and not within(os.path.realpath(path)):
                    if problems is not None and language is not None:
                        problems.append(WalkProblem(rel, _OUTSIDE))
                    continue
                st = os.stat(path)
        except OSError:
            continue  # vanished between the walk and now
        if not stat.S_ISREG(st.st_mode):
            continue
        if language is None:
            language = _sniff_shebang(path)
            if language is None:
                continue
        if languages is not None and language not in languages and \
                not (rel.endswith(".h") and ({"c", "cpp"} & languages)):
            continue
        yield FoundFile(path, rel, st.st_size, st.st_mtime_ns, language)
    if problems is not None and not follow_outside:
        # ripgrep's complaints from inside a directory that leads out are not the root's
        out = tuple(p.path + "/" for p in problems if p.reason == _OUTSIDE)
        problems[:] = [p for p in problems if not p.path.startswith(out)] if out else problems


_OUTSIDE = "symlink leads outside the root (--follow-outside indexes it)"


def _sniff_shebang(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return None
    return language_from_shebang(head) if head.startswith(b"#!") else None
