"""Discover: which files of a tree are code to index, with ignore rules as ripgrep applies them.

The walk is ripgrep's own (`rg --files`, from the `ripgrep` wheel): nested `.gitignore`,
`.git/info/exclude`, `.ignore`, `.rgignore`, negation, precedence and anchoring behave
exactly as in `rg`, hidden files and VCS directories are skipped by default. ragex adds:

- `.gitignore` applies outside a git repository too (`--no-require-git`);
- `.ragexignore` files (gitignore syntax), at the root and in any directory below it;
- symlinks are followed (ripgrep detects loops), but nothing whose real path lies outside
  the root is listed unless `follow_outside=True`;
- only files of a supported language: by file name, extension or name pattern, or, for
  files with no extension, by a `#!` line or an editor modeline (files with an unknown
  extension are not read: docs/languages.md, "Detection").

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
from typing import Iterator, NamedTuple, Optional

from .languages import (AMBIGUOUS_EXTENSIONS, language_by_name, language_from_modeline,
                        language_from_shebang)

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
    return args


class WalkProblem(NamedTuple):
    """Something the walk passed over: a path (root-relative) and why."""

    path: str
    reason: str


def list_files(root: str, options: DiscoveryOptions = DiscoveryOptions()) -> list[str]:
    """Root-relative paths of every file ripgrep would search, sorted."""
    return walk(root, options)[0]


def walk(root: str, options: DiscoveryOptions = DiscoveryOptions()
         ) -> tuple[list[str], list[WalkProblem]]:
    """(root-relative paths of every file ripgrep would search, sorted; what the walk
    passed over: symlink loops, unreadable directories, FIFOs and devices)."""
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise DiscoveryError(f"{root}: not a directory")
    # --debug: ripgrep names the special files it passes over only in its debug log
    cmd = [ripgrep_binary(), "--files", "--null", "--debug"] + rg_file_args(options, root)
    proc = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    errors, problems = _read_rg_log(proc.stderr.decode("utf-8", "surrogateescape"))
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


_RG_SPECIAL = re.compile(r"ignoring (.+?): failed to pass haystack filter: file type")
_RG_LOOP = re.compile(r"^rg: File system loop found: (.+?) points to an ancestor")
_RG_ERROR = re.compile(r"^rg: (.+?): (.+)$")


def _read_rg_log(text: str) -> tuple[list[str], list[WalkProblem]]:
    """(ripgrep's error lines, the walk problems named in them and in its debug log)."""
    errors: list[str] = []
    problems: list[WalkProblem] = []
    for line in text.splitlines():
        if line.startswith("rg: DEBUG|"):
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
    directories = {os.path.dirname(p) for p in paths}
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
    """True: a code file by name; None: no extension, decided by its `#!` line or modeline;
    False: not code (an unknown extension or dot-file name)."""
    base = rel_path.rsplit("/", 1)[-1]
    if language_by_name(base) is not None:
        return True
    return None if base.rfind(".") < 0 else False


def discover(root: str, options: DiscoveryOptions = DiscoveryOptions(),
             languages: Optional[set] = None,
             problems: Optional[list] = None) -> Iterator[FoundFile]:
    """Code files below `root`, in path order, with size, mtime and language by name."""
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
    paths, walk_problems = walk(root, options)
    if problems is not None:
        problems += walk_problems
    for rel in paths:
        base_at = rel.rfind("/") + 1
        base = rel[base_at:]
        # (a `.h` is "c" here; the extractor decides it from the content)
        language = language_by_name(base)
        if language is None and "." in base:
            continue  # an unknown extension: not read (docs/languages.md, "Detection")
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
            language = _sniff(path, st.st_size)
            if language is None:
                continue
        if languages is not None and language not in languages and \
                not set(AMBIGUOUS_EXTENSIONS.get(base[base.rfind("."):].lower(), ())) & languages:
            continue
        yield FoundFile(path, rel, st.st_size, st.st_mtime_ns, language)
    if problems is not None and not follow_outside:
        # ripgrep's complaints from inside a directory that leads out are not the root's
        out = tuple(p.path + "/" for p in problems if p.reason == _OUTSIDE)
        problems[:] = [p for p in problems if not p.path.startswith(out)] if out else problems


_OUTSIDE = "symlink leads outside the root (--follow-outside indexes it)"


_SNIFF_HEAD = 1024
_SNIFF_TAIL = 3000  # an Emacs local-variables block sits in the last 3000 characters


def _sniff(path: str, size: int) -> Optional[str]:
    """Language of a file without an extension: its `#!` line, else an Emacs or Vim
    modeline in its first or last lines."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_HEAD)
            if head.startswith(b"#!"):
                language = language_from_shebang(head)
                if language is not None:
                    return language
            tail = None
            if size > _SNIFF_HEAD:
                fh.seek(max(_SNIFF_HEAD, size - _SNIFF_TAIL))
                tail = fh.read(_SNIFF_TAIL)
    except OSError:
        return None
    if b"\0" in head:
        return None  # binary
    return language_from_modeline(head, tail)
