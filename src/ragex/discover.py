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

The listing is advice: a file can be swapped for a symlink out of the root after it is
listed. `ConfinedRoot` is the rule at the moment of reading: every reader that hands file
bytes to a user (sources, grep, its context lines) opens through it, and it never leaves
the root, whatever the tree does meanwhile.

Not for: parsing files (extract), or deciding what changed (indexer).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import subprocess
import sysconfig
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterator, NamedTuple, Optional, Sequence

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
    """The ripgrep flags that select ragex's file set.

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
        try:  # a rule, not bytes anyone is shown: a link out may hold it, as rg allows
            text = read_inside(root, f"{directory}/{IGNORE_FILE}", follow_outside=True)
        except OSError:
            continue  # vanished, or no longer a regular file (a FIFO would block)
        lines = text.decode("utf-8", "replace").splitlines()
        specs.append((directory + "/", pathspec.GitIgnoreSpec.from_lines(lines)))
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


def named_files(root: str, options: DiscoveryOptions = DiscoveryOptions(),
                problems: Optional[list] = None, ignored: Optional[list] = None,
                listed: Optional[Sequence[str]] = None
                ) -> Iterator[tuple[str, Optional[str]]]:
    """The listed files whose name says a supported language, in path order: (root-relative
    path, language by name; None: an extensionless file, for its `#!` line to decide).
    Nothing is looked at yet: `discover` checks each file, a reader opens it through
    `ConfinedRoot`, which applies the same rules. What the walk passed over goes to
    `problems`, what its rules left out to `ignored` (see `walk`); `listed`: these
    root-relative paths (ones the rules already let through) instead of a walk."""
    paths, walk_problems = walk(root, options, ignored=ignored) if listed is None \
        else (listed, [])
    if problems is not None:
        problems += walk_problems
    for rel in paths:
        base = rel[rel.rfind("/") + 1:]
        # (a `.h` is "c" here; the extractor decides it from the content)
        language = language_by_name(base)
        if language is None and "." in base:
            continue  # an unknown extension: not read (docs/languages.md, "Detection")
        yield rel, language


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

    options = options or DiscoveryOptions()  # (None: the defaults)
    follow_outside = options.follow_outside
    lstat = os.lstat
    for rel, language in named_files(root, options, problems, ignored, listed):
        base_at = rel.rfind("/") + 1
        base = rel[base_at:]
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
            language = _sniff(root, rel, st.st_size, follow_outside)
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


def _sniff(root: str, rel: str, size: int, follow_outside: bool) -> Optional[str]:
    """Language of a file without an extension, read inside the root: its `#!` line,
    else an Emacs or Vim modeline in its first or last lines."""
    try:
        fd = open_inside(root, rel, follow_outside)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        head = fh.read(_SNIFF_HEAD)
        tail = None
        if size > _SNIFF_HEAD and not head.startswith(b"#!"):
            fh.seek(max(_SNIFF_HEAD, size - _SNIFF_TAIL))
            tail = fh.read(_SNIFF_TAIL)
    return language_of_head(head, tail)


def language_of_head(head: bytes, tail: Optional[bytes] = None) -> Optional[str]:
    """The language a file's first (and last) bytes name: a `#!` line, else a modeline."""
    if head.startswith(b"#!"):
        language = language_from_shebang(head)
        if language is not None:
            return language
    if b"\0" in head:
        return None  # binary
    return language_from_modeline(head, tail)


# ------------------------------------------------------------- reading inside the root


class OutsideRoot(PermissionError):
    """A path that leads out of the root: through a symlink, `..`, or an absolute target."""


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: a FIFO swapped in for a file must not hang the reader before fstat says so
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
# what open(2) says when O_NOFOLLOW meets a symlink: ELOOP, ENOTDIR with O_DIRECTORY (Linux),
# EMLINK (FreeBSD)
_MAYBE_LINK = frozenset({errno.ELOOP, errno.ENOTDIR, errno.EMLINK})
_MAX_LINKS = 40  # the kernel's own bound on links in one lookup


class ConfinedRoot:
    """Opens regular files below a root and never one whose real path is outside it.

    A path is walked one component at a time, each opened relative to the directory
    before it with O_NOFOLLOW, so no rename or swap between two steps can lead the walk
    out: every step starts from a directory already opened inside the root. A symlink met
    on the way is read and resolved here, and followed only while it stays inside the
    root: discovery's rule, at the moment of reading. With `follow_outside` (discovery's
    option of that name) links out are followed as the user asked.

    Only regular files open: a FIFO would block the reader, a device would never end.
    The most recently used directories stay open (`keep_dirs`), so a sorted list of files
    costs about one open(2) each; `close()` (or `with`) releases them.
    """

    def __init__(self, root: str, follow_outside: bool = False, keep_dirs: int = 32) -> None:
        self.real_root = os.path.realpath(root)
        self.follow_outside = follow_outside
        self._fd = os.open(self.real_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self._keep = keep_dirs
        # open directories below the root, by their physical path from it ("a/b")
        self._dirs: OrderedDict[str, int] = OrderedDict()

    def __enter__(self) -> "ConfinedRoot":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for fd in self._dirs.values():
            os.close(fd)
        self._dirs.clear()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def open(self, rel: str) -> int:
        """A read-only fd of the regular file at root-relative `rel`, which the caller
        closes. OutsideRoot if the path leads out of the root, OSError as open(2) says
        otherwise (a directory or a FIFO: EINVAL, "not a regular file")."""
        if "\0" in rel:
            raise OSError(errno.EINVAL, "the path contains a NUL byte", rel)
        if rel.startswith("/"):
            raise OutsideRoot(errno.EACCES, "it leads outside the root", rel)
        if self.follow_outside:  # links anywhere, but no `..` out of the root
            if ".." in rel.split("/"):
                raise OutsideRoot(errno.EACCES, "it leads outside the root", rel)
            fd = os.open(rel, _FILE_FLAGS & ~os.O_NOFOLLOW, dir_fd=self._fd)
        else:
            fd = self._in_open_directory(rel)
            if fd < 0:
                fd = self._walk(rel)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file", rel)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _in_open_directory(self, rel: str) -> int:
        """The common case, one open(2): the file's directory is open and the file is not
        a symlink. -1 otherwise, for the walk to find out why."""
        directory, _, name = rel.rpartition("/")
        parent = self._dirs.get(directory) if directory else self._fd
        if parent is None or name in ("", ".", ".."):
            return -1
        if directory:
            self._dirs.move_to_end(directory)
        try:
            return os.open(name, _FILE_FLAGS, dir_fd=parent)
        except OSError:
            return -1

    def _walk(self, rel: str) -> int:
        todo = [p for p in rel.split("/") if p not in ("", ".")][::-1]  # next one last
        if not todo:
            raise OSError(errno.EINVAL, "not a regular file", rel)
        where: list[str] = []  # the physical path from the root to the current directory
        links = 0
        while todo:
            name = todo.pop()
            if name == "..":
                if not where:
                    raise OutsideRoot(errno.EACCES, "it leads outside the root", rel)
                where.pop()
                continue
            key = "/".join((*where, name))
            if todo and key in self._dirs:
                self._dirs.move_to_end(key)
                where.append(name)
                continue
            parent = self._dir(where)
            try:
                fd = os.open(name, _DIR_FLAGS if todo else _FILE_FLAGS, dir_fd=parent)
            except OSError as exc:
                if exc.errno not in _MAYBE_LINK:
                    raise
                try:
                    target = os.readlink(name, dir_fd=parent)
                except OSError:
                    raise exc from None  # not a symlink: open's own error stands
                links += 1
                if links > _MAX_LINKS:
                    raise OSError(errno.ELOOP, "too many levels of symbolic links", rel) \
                        from None
                todo += self._link_target(os.path.join(*where, target), rel)[::-1]
                where = []
                continue
            if not todo:
                return fd
            self._remember(key, fd)
            where.append(name)
        raise OSError(errno.EINVAL, "not a regular file", rel)  # the path named a directory

    def _link_target(self, target: str, rel: str) -> list[str]:
        """Where a link met on the way leads (`target` relative to the root, or absolute):
        its real path's components from the root, if that is inside the root, as discovery
        requires of every link. The real path is only a guide: the walk then starts again
        from the root and checks each step itself."""
        real = os.path.realpath(os.path.join(self.real_root, target))
        if real == self.real_root:
            return []
        if not real.startswith(self.real_root + os.sep):
            raise OutsideRoot(errno.EACCES, "it leads outside the root", rel)
        return real[len(self.real_root) + 1:].split(os.sep)

    def _dir(self, where: list[str]) -> int:
        if not where:
            return self._fd
        key = "/".join(where)
        fd = self._dirs.get(key)
        if fd is not None:
            self._dirs.move_to_end(key)
            return fd
        # evicted since the walk passed it: open it again, from its (physical) parent
        fd = os.open(where[-1], _DIR_FLAGS, dir_fd=self._dir(where[:-1]))
        self._remember(key, fd)
        return fd

    def _remember(self, key: str, fd: int) -> None:
        self._dirs[key] = fd
        while len(self._dirs) > max(1, self._keep):  # the newest is in use
            os.close(self._dirs.popitem(last=False)[1])


def open_inside(root: str, rel: str, follow_outside: bool = False) -> int:
    """`ConfinedRoot(root, follow_outside).open(rel)`, for one file."""
    with ConfinedRoot(root, follow_outside) as confined:
        return confined.open(rel)


def read_inside(root: str, rel: str, max_bytes: int = -1, follow_outside: bool = False
                ) -> bytes:
    """The bytes (at most `max_bytes`, -1: all) of one file opened by `open_inside`."""
    with os.fdopen(open_inside(root, rel, follow_outside), "rb") as fh:
        return fh.read(max_bytes)
