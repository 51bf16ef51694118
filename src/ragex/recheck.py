"""Recheck: which of some changed paths are code to index, by the walk's own rules.

A watcher hears that paths changed; `recheck` sorts them out without walking the whole
tree. A path the index holds is looked at again as a file (still there, still a regular
file inside the root, still code). A new file is judged by ripgrep itself, listing only
its directory (`--max-depth 1`): the ignore files of every directory from the root down
apply there as in the whole walk. A new directory is walked on its own, once ripgrep,
listing its parent, has not passed it over. `WalkMap` remembers which directories the
walks entered and which they passed over (ignored, hidden, excluded), from the last
whole walk and from these small ones, so a change inside a passed-over directory costs
no walk at all. An ignore file that changed (`.gitignore`, `.ignore`, `.rgignore`,
`.ragexignore`, `.git/info/exclude`) changes the whole file set: `rules_changed` tells
the caller to walk everything.

Ignore files *above* the root do not apply to ragex's walk, but ripgrep reads them when
it lists a directory below the root; when there are any, new paths are judged by one
whole walk instead (`WalkMap.parent_rules`).

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


def rules_above(root: str) -> bool:
    """Whether an ignore file (or a git repository's exclude file) lies above `root`."""
    current = os.path.dirname(os.path.abspath(root))
    while True:
        for name in (*RULE_FILES, ".git"):
            if os.path.exists(os.path.join(current, name)):
                return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


def _parent(rel: str) -> str:
    return rel.rpartition("/")[0]


@dataclass
class WalkMap:
    """What the walks learned about the root's directories ("" is the root)."""

    walked: set = field(default_factory=lambda: {""})  # entered by ripgrep
    pruned: set = field(default_factory=set)  # passed over by its rules, with all below
    parent_rules: bool = False  # see the module doc

    @classmethod
    def build(cls, root: str, listed: Iterable[str], ignored: Iterable[str]) -> "WalkMap":
        walk_map = cls(parent_rules=rules_above(root))
        walk_map.learn(root, listed, ignored)
        return walk_map

    def learn(self, root: str, listed: Iterable[str], ignored: Iterable[str]) -> None:
        """Take in a walk: the files it listed and the paths its rules passed over."""
        for rel in listed:
            self._entered(_parent(rel))
        for rel in ignored:
            self._entered(_parent(rel))
            if os.path.isdir(os.path.join(root, rel)):
                self.pruned.add(rel)

    def _entered(self, directory: str) -> None:
        while directory not in self.walked:
            self.walked.add(directory)
            directory = _parent(directory)

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
    new_files: dict[str, list[str]] = {}  # a directory the walks entered -> new files
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
        elif _parent(rel) in walk_map.walked:
            new_files.setdefault(_parent(rel), []).append(rel)
        else:
            subtrees.add(_parent(rel))
    if new_files or subtrees:
        if walk_map.parent_rules:
            _judge_by_whole_walk(root, options, walk_map, new_files, subtrees, indexed_under,
                                 accepted, out)
        else:
            _judge_by_small_walks(root, options, walk_map, new_files, subtrees, indexed_under,
                                  accepted, out)
    if inner:
        accepted = {p for p in accepted if not p.startswith(inner + "/")}
    out.found = list(discover(root, options, listed=sorted(accepted)))
    kept = {f.rel_path for f in out.found}
    out.gone.update(p for p in accepted - kept if indexed(p))  # no longer code (a link out, ...)
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


def _judge_by_small_walks(root, options, walk_map, new_files, subtrees, indexed_under,
                          accepted, out) -> None:
    # A directory the walks never entered is judged in its parent's listing first: the
    # topmost unknown directory above each subtree (its parent was entered)
    tops: set[str] = set()
    for directory in subtrees:
        while directory not in walk_map.walked and _parent(directory) not in walk_map.walked:
            directory = _parent(directory)
        tops.add(directory)
    tops = set(_outermost(tops))
    unknown = {d for d in tops if d not in walk_map.walked}
    listing = set(new_files) | {_parent(d) for d in unknown}
    if listing:
        ignored: list[str] = []
        listed, _ = walk(root, options, within=sorted(listing), max_depth=1, ignored=ignored)
        out.walks += 1
        walk_map.learn(root, listed, ignored)
        listed_set = set(listed)
        for files in new_files.values():
            accepted.update(f for f in files if f in listed_set)
        passed_over = set(ignored)
        for directory in unknown & passed_over:
            tops.discard(directory)
            out.passed += 1
    if tops:
        ignored = []
        listed, _ = walk(root, options, within=sorted(tops), ignored=ignored)
        out.walks += 1
        walk_map.learn(root, listed, ignored)
        accepted.update(listed)
        listed_set = set(listed)
        for directory in tops:
            out.gone.update(p for p in indexed_under(directory) if p not in listed_set)


def _judge_by_whole_walk(root, options, walk_map, new_files, subtrees, indexed_under,
                         accepted, out) -> None:
    ignored: list[str] = []
    listed, _ = walk(root, options, ignored=ignored)
    out.walks += 1
    fresh = WalkMap.build(root, listed, ignored)
    walk_map.walked, walk_map.pruned = fresh.walked, fresh.pruned
    listed_set = set(listed)
    for files in new_files.values():
        accepted.update(f for f in files if f in listed_set)
    for directory in _outermost(subtrees):
        prefix = directory + "/"
        accepted.update(p for p in listed if p.startswith(prefix))
        out.gone.update(p for p in indexed_under(directory) if p not in listed_set)


__all__ = ["RULE_FILES", "Recheck", "WalkMap", "is_rule_file", "recheck", "rules_above"]
