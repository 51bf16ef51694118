"""Recheck: which of some changed paths are code to index, by the walk's own rules.

A watcher hears that paths changed; `recheck` sorts them out without walking the whole
tree. A path the index holds is looked at again as a file (still there, still a regular
file inside the root, still code). New files and directories are judged by ripgrep
itself, in one walk focused on their directories (`discover.walk`: the whole walk's own
rules, from the root, every directory off the way left out), so a new path is judged
exactly as a whole walk would judge it. `WalkMap` remembers which directories the walks
passed over (ignored, hidden, excluded), so a change inside one costs no walk at all. An
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
    """The directories the walks passed over by their rules, with all below them."""

    pruned: set = field(default_factory=set)

    @classmethod
    def build(cls, root: str, ignored: Iterable[str]) -> "WalkMap":
        walk_map = cls()
        walk_map.learn(root, ignored)
        return walk_map

    def learn(self, root: str, ignored: Iterable[str]) -> None:
        """Take in what a walk's rules passed over (the directories among it count)."""
        for rel in ignored:
            if os.path.isdir(os.path.join(root, rel)):
                self.pruned.add(rel)

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
    for rel in sorted(set(hints)):
        rel = rel.strip("/")
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
            out.gone.update([rel] if indexed(rel) else indexed_under(rel))
            continue
        if stat.S_ISDIR(mode):
            if indexed(rel):
                out.gone.add(rel)
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
    listed_set = set(listed)
    for files in new_files.values():
        accepted.update(f for f in files if f in listed_set)
    for top in tops:
        prefix = top + "/" if top else ""
        accepted.update(p for p in listed if p.startswith(prefix))
        out.gone.update(p for p in indexed_under(top) if p not in listed_set)


__all__ = ["RULE_FILES", "Recheck", "WalkMap", "is_rule_file", "recheck"]
