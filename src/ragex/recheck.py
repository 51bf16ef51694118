"""Recheck: which of some changed paths are code to index, by the walk's own rules.

A watcher hears that paths changed; `recheck` sorts them out without walking the whole
tree. A path the index holds is looked at again as a file (still there, still a regular
file inside the root, still code). New files and directories are judged by ripgrep
itself, in one walk focused on their directories (`discover.walk`: the whole walk's own
rules, from the root, every directory off the way left out), so a new path is judged
exactly as a whole walk would judge it. `WalkMap` remembers which directories the walks
passed over (ignored, hidden, excluded), so a change inside one costs no walk at all, and
which directory symlinks lead where, so a file changed under one of its paths is looked at
under the others too (ripgrep follows links: the index holds each path). An
ignore file that changed (`.gitignore`, `.ignore`, `.rgignore`, `.ragexignore`,
`.git/info/exclude`) changes the whole file set: `rules_changed` tells the caller to walk
everything.

Not for: the whole walk (discover) or what changed inside a file (indexer).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .discover import (IGNORE_FILE, DiscoveryOptions, FoundFile, discover,
                       is_supported_name, walk)

# Files whose change changes which files are indexed anywhere below them
RULE_FILES = frozenset({".gitignore", ".ignore", ".rgignore", IGNORE_FILE})
GIT_EXCLUDE = ".git/info/exclude"


def is_rule_file(rel: str) -> bool:
    return rel == GIT_EXCLUDE or rel.rsplit("/", 1)[-1] in RULE_FILES


def _parent(rel: str) -> str:
    return rel.rpartition("/")[0]


@dataclass
class WalkMap:
    """What the walks learned: the directories their rules passed over (with all below
    them), and the symlinks inside the root (ripgrep follows them, so a file is indexed
    under each path that leads to it)."""

    pruned: set = field(default_factory=set)
    links: dict = field(default_factory=dict)  # a symlink -> where it leads

    @classmethod
    def build(cls, root: str, ignored: Iterable[str]) -> "WalkMap":
        """From a whole walk: what its rules passed over, then every symlink below the
        root outside those directories."""
        walk_map = cls()
        walk_map.learn(root, ignored)
        walk_map.learn_links(root)
        return walk_map

    def learn(self, root: str, ignored: Iterable[str]) -> None:
        """Take in what a walk's rules passed over (the directories among it count)."""
        for rel in ignored:
            if os.path.isdir(os.path.join(root, rel)):
                self.pruned.add(rel)

    def learn_links(self, root: str, top: str = "") -> None:
        """Note the symlinks inside the root (to files or directories, there or not yet)
        at and below the directory `top`, but not inside passed-over directories."""
        real_root = os.path.realpath(root)
        top_full = os.path.join(root, top) if top else root
        if top and os.path.islink(top_full):
            self._link(real_root, top, top_full)
        for directory, dirs, files in os.walk(top_full):
            rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
            rel_dir = "" if rel_dir == "." else rel_dir
            for name in (*dirs, *files):
                full = os.path.join(directory, name)
                if os.path.islink(full):
                    self._link(real_root, f"{rel_dir}/{name}" if rel_dir else name, full)
            dirs[:] = [d for d in dirs
                       if (f"{rel_dir}/{d}" if rel_dir else d) not in self.pruned]

    def _link(self, real_root: str, link: str, full: str) -> None:
        real = os.path.realpath(full)
        if not real.startswith(real_root + os.sep):  # (links out: never indexed)
            return
        target = os.path.relpath(real, real_root).replace(os.sep, "/")
        if not link.startswith(target + "/"):  # (a loop: ripgrep passes it over)
            self.links[link] = target

    def forget(self, rel: str) -> None:
        """A directory went away or came anew: what was learned at and below it is stale
        (a rule file inside it may have gone with it)."""
        prefix = rel + "/"
        self.pruned = {p for p in self.pruned if p != rel and not p.startswith(prefix)}
        self.links = {k: v for k, v in self.links.items()
                      if k != rel and not k.startswith(prefix)}

    def aliases(self, rel: str) -> set[str]:
        """The other paths that name the file or directory `rel` through the symlinks."""
        found: set[str] = set()
        frontier = {rel}
        for _ in range(4):  # links to links, a few deep
            more = set()
            for path in frontier:
                for link, target in self.links.items():
                    for a, b in ((target, link), (link, target)):
                        if path == a or path.startswith(a + "/"):
                            more.add(b + path[len(a):])
                        elif a.startswith(path + "/"):  # a directory above it: all of it
                            more.add(b)
            frontier = more - found - {rel}
            if not frontier:
                break
            found |= frontier
        return found

    def pruned_at(self, rel: str) -> Optional[str]:
        """The passed-over directory at or above `rel`, if any."""
        current = rel
        while current:
            if current in self.pruned:
                return current
            current = _parent(current)
        return None


@dataclass
class Recheck:
    """What some changed paths turned out to be."""

    found: list = field(default_factory=list)  # code files, as `discover` reports them
    gone: set = field(default_factory=set)  # indexed paths that no longer name a code file
    rules_changed: bool = False  # an ignore file changed: walk everything
    walks: int = 0  # ripgrep runs it took
    passed: int = 0  # paths that needed no look: ignored directories, not code, the index


def recheck(root: str, hints: Iterable[str], options: DiscoveryOptions, walk_map: WalkMap,
            indexed: Callable[[str], bool], indexed_under: Callable[[str], list],
            inner: Optional[str] = None) -> Recheck:
    """Sort root-relative `hints` (paths that may have changed: files or directories,
    there or gone) into code files to look at and indexed paths that are gone.

    `indexed(rel)`: whether the index holds that file; `indexed_under(rel)`: the indexed
    paths below a directory; `inner`: the index's own directory, if inside the root."""
    root = os.path.abspath(root)
    out = Recheck()
    accepted: set[str] = set()  # past the rules: judged as files by `discover`
    new_files: dict[str, list[str]] = {}  # a directory -> the new files in it
    subtrees: set[str] = set()  # directories to walk whole
    hints = {rel.strip("/") for rel in hints}
    if walk_map.links:  # the same files under the paths of the symlinks leading to them
        hints |= {alias for rel in list(hints) for alias in walk_map.aliases(rel)}
    for rel in sorted(hints):
        if not rel or rel == ".." or rel.startswith("../") or \
                (inner and (rel == inner or rel.startswith(inner + "/"))):
            out.passed += 1
            continue
        if rel == GIT_EXCLUDE or (is_rule_file(rel) and not walk_map.pruned_at(_parent(rel))):
            out.rules_changed = True
            return out
        if walk_map.pruned_at(rel):
            out.passed += 1
            continue
        full = os.path.join(root, rel)
        try:
            mode = os.stat(full).st_mode  # through a symlink: discover judges links later
        except OSError:
            mode = None
        if mode is None:  # gone: a file, or a whole directory
            if indexed(rel):
                out.gone.add(rel)
            else:
                out.gone.update(indexed_under(rel))
                if not os.path.islink(full):  # (a link left dangling is still a link)
                    walk_map.forget(rel)
            continue
        if stat.S_ISDIR(mode):
            if indexed(rel):
                out.gone.add(rel)
            walk_map.forget(rel)  # walked anew below
            subtrees.add(rel)
        elif indexed(rel):
            accepted.add(rel)
        elif is_supported_name(rel) is False:
            out.passed += 1
        else:
            new_files.setdefault(_parent(rel), []).append(rel)
    if new_files or subtrees:
        _judge(root, options, walk_map, new_files, subtrees, indexed_under, accepted, out)
    if inner:
        accepted = {p for p in accepted if not p.startswith(inner + "/")}
    out.found = list(discover(root, options, listed=sorted(accepted)))
    kept = {f.rel_path for f in out.found}
    out.gone.update(p for p in accepted - kept if indexed(p))  # not code now (a link out...)
    return out


def _outermost(directories: set[str]) -> list[str]:
    """The directories not below another one of them, sorted."""
    out = []
    for directory in sorted(directories):
        above = directory
        while above and _parent(above) not in directories:
            above = _parent(above)
        if not above:
            out.append(directory)
    return out


def _judge(root, options, walk_map, new_files, subtrees, indexed_under, accepted,
           out) -> None:
    """One walk focused on the new files' directories and the new subtrees."""
    tops = _outermost(subtrees)
    ignored: list[str] = []
    listed, _ = walk(root, options, ignored=ignored, subtrees=tops, listings=sorted(new_files))
    out.walks += 1
    walk_map.learn(root, ignored)
    for top in tops:
        walk_map.learn_links(root, top)
    listed_set = set(listed)
    for files in new_files.values():
        accepted.update(f for f in files if f in listed_set)
    for top in tops:
        prefix = top + "/" if top else ""
        accepted.update(p for p in listed if p.startswith(prefix))
        out.gone.update(p for p in indexed_under(top) if p not in listed_set)


__all__ = ["RULE_FILES", "Recheck", "WalkMap", "is_rule_file", "recheck"]
