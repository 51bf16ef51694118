"""Compare ragex's definitions with each grammar wheel's own `queries/tags.scm`, per language.

    python benchmarks/check_tags_scm.py                 # every language below
    python benchmarks/check_tags_scm.py swift dart --examples 5
    python benchmarks/check_tags_scm.py --min-recall 0.95  # exit 1 if a language is below

A user's script, not a unit test: the reference for languages universal-ctags does not
parse (Swift, Scala, Dart) and a second one for some it does (Lua, Elixir, OCaml). The
reference was written by each grammar's authors, not here: the wheel's `tags.scm` (the
tree-sitter tags convention: `@definition.<kind>` around an `@name`), run with
`QueryCursor.matches` over the same files, on the same tree-sitter parse as ragex (so
this measures ragex's queries and rules, not the grammar).

Compared kinds: each language's `tags.scm` definition kinds except those that also tag
locals, which ragex leaves out by design (Swift's `property`, every `let`/`var` in a
function too; Scala's `variable` and `property`, every `val` in a block and every class
parameter, fields or not). A reference definition is *found* when ragex reports a
symbol with the same name in the same file whose name line equals the reference's name
line, or is within `--tolerance` lines (default 1), or whose definition starts at or
before it and names it at or after it. Kind is not part of the match. Misses are grouped
by reference kind, with examples as `path:line name`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

# language -> (corpus, grammar module, language function, tags.scm kinds compared)
REFERENCES = {
    "swift": ("expo", "tree_sitter_swift", "language",
              {"class", "interface", "method", "function"}),
    "scala": ("scala", "tree_sitter_scala", "language",
              {"class", "interface", "enum", "object", "function", "module", "type"}),
    "dart": ("dart", "tree_sitter_dart", "language",
             {"class", "enum", "extension", "function", "method", "mixin", "type"}),
    "lua": ("lua", "tree_sitter_lua", "language", {"function", "method"}),
    "elixir": ("elixir", "tree_sitter_elixir", "language", {"function", "module"}),
    "ocaml": ("ocaml", "tree_sitter_ocaml", "language_ocaml",
              {"class", "enum_variant", "field", "function", "interface", "method", "module",
               "operator", "type"}),
    "ocaml_interface": ("ocaml", "tree_sitter_ocaml", "language_ocaml_interface",
                        {"class", "enum_variant", "field", "function", "interface", "method",
                         "module", "operator", "type"}),
}


def _reference_chunk(args) -> list[tuple]:
    """(rel, [(name, line, kind)]) per file: the tags.scm definitions."""
    import warnings

    import tree_sitter as ts

    chunk, language = args
    _, module_name, func, kinds = REFERENCES[language]
    module = importlib.import_module(module_name)
    with warnings.catch_warnings():  # some wheels still hand an int to Language()
        warnings.simplefilter("ignore", DeprecationWarning)
        lang = ts.Language(getattr(module, func)())
    path = os.path.join(os.path.dirname(module.__file__), "queries", "tags.scm")
    with open(path, encoding="utf-8") as fh:
        query = ts.Query(lang, fh.read())
    parser = ts.Parser(lang)
    out = []
    for file_path, rel in chunk:
        with open(file_path, "rb") as fh:
            source = fh.read()
        tree = parser.parse(source)
        defs = set()
        for _pattern, caps in ts.QueryCursor(query).matches(tree.root_node):
            names = caps.get("name")
            keys = [k for k in caps if k.startswith("definition.")]
            if not names or not keys:
                continue  # a reference, or a definition without a name (Dart's method_signature)
            kind = keys[0][len("definition."):]
            if kind not in kinds:
                continue
            node = names[0]
            name = source[node.start_byte:node.end_byte].decode("utf-8", "replace")
            defs.add((name, node.start_point[0] + 1, kind))
        out.append((rel, sorted(defs, key=lambda d: (d[1], d[0]))))
    return out


def _ragex_chunk(args) -> list[tuple]:
    from ragex.extract import ExtractionTask, extract_file

    chunk, language = args
    out = []
    for file_path, rel in chunk:
        res = extract_file(ExtractionTask(file_path, rel, language=language,
                                          max_file_bytes=64 * 1024 * 1024))
        out.append((rel, res.status, [(s.name, s.name_line, s.start_line, s.kind)
                                      for s in res.symbols]))
    return out


def _run(fn, files, language, jobs):
    chunks = [(files[i:i + 32], language) for i in range(0, len(files), 32)]
    results = []
    if jobs <= 1:
        for chunk in chunks:
            results += fn(chunk)
    else:
        with ProcessPoolExecutor(jobs) as pool:
            for part in pool.map(fn, chunks):
                results += part
    return results


def compare(language: str, reference: list, ragex: list, tolerance: int) -> dict:
    by_file = {rel: (status, syms) for rel, status, syms in ragex}
    total = found = 0
    per_kind = Counter()
    found_kind = Counter()
    misses: dict[tuple, list] = defaultdict(list)
    for rel, defs in reference:
        status, syms = by_file.get(rel, ("missing", []))
        by_name: dict[str, list[tuple]] = defaultdict(list)
        for name, name_line, start_line, kind in syms:
            by_name[name].append((name_line, start_line, kind))
        for name, line, kind in defs:
            total += 1
            per_kind[kind] += 1
            if any(name_line == line or abs(name_line - line) <= tolerance
                   or start_line <= line <= name_line
                   for name_line, start_line, _ in by_name.get(name, ())):
                found += 1
                found_kind[kind] += 1
                continue
            if status != "ok":
                why = f"file {status}"
            elif name in by_name:
                why = "same name, other line"
            else:
                why = "not reported"
            misses[(kind, why)].append(f"{rel}:{line} {name}")
    return {
        "language": language, "files": len(reference), "reference": total, "found": found,
        "recall": found / total if total else 1.0,
        "by_kind": {k: [found_kind[k], n] for k, n in sorted(per_kind.items())},
        "misses": sorted(([k[0], k[1], len(v), v] for k, v in misses.items()),
                         key=lambda r: -r[2]),
    }


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("languages", nargs="*", help=f"default: {', '.join(REFERENCES)}")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--groups", type=int, default=8)
    ap.add_argument("--tolerance", type=int, default=1)
    ap.add_argument("--min-recall", type=float, default=0.95)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    reports = []
    for language in args.languages or list(REFERENCES):
        if language not in REFERENCES:
            print(f"no tags.scm reference for {language}", file=sys.stderr)
            return 2
        corpus = REFERENCES[language][0]
        files = corpora.corpus_files(corpus, language)
        reference = _run(_reference_chunk, files, language, args.jobs)
        ragex = _run(_ragex_chunk, files, language, args.jobs)
        r = compare(language, reference, ragex, args.tolerance)
        r["corpus"] = corpus
        reports.append(r)
        kinds = ", ".join(f"{k} {f}/{n}" for k, (f, n) in r["by_kind"].items())
        print(f"## {language} ({corpus}, {r['files']} files)\nfound per tags.scm kind: {kinds}")
        print(f"found {r['found']} of {r['reference']} ({r['recall']:.2%})")
        for kind, why, n, ex in r["misses"][:args.groups]:
            print(f"  {kind} | {why} | {n} | " + "; ".join(ex[:args.examples]))
        print(flush=True)
    print("| language | corpus | files | tags.scm definitions | found | recall |")
    print("|---|---|---:|---:|---:|---:|")
    for r in reports:
        print(f"| {r['language']} | {r['corpus']} | {r['files']} | {r['reference']} | "
              f"{r['found']} | {r['recall']:.2%} |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(reports, fh, indent=1)
    low = [r["language"] for r in reports if r["recall"] < args.min_recall]
    if low:
        print(f"\nrecall below {args.min_recall}: {', '.join(low)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
