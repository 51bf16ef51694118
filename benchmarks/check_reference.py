"""Compare ragex with independent parsers for languages that neither universal-ctags nor a
grammar wheel's `tags.scm` covers: the data and build files.

    pip install python-hcl2 dockerfile-parse pyyaml      # the references (not ragex's)
    python benchmarks/check_reference.py                 # toml json yaml hcl dockerfile
    python benchmarks/check_reference.py yaml --examples 5

A user's script, not a unit test. Each reference is a parser written and maintained
elsewhere, which reads the file as its own tool does:

  toml        Python's `tomllib`: the document's top-level keys (each must be reported:
              a key, a table, or the first part of a dotted table name)
  json        Python's `json`: the top-level object's keys
  yaml        PyYAML (`yaml.compose_all`, tags accepted whatever they are): each
              document's top-level mapping keys
  hcl         python-hcl2 (HCL2 as Terraform reads it): each top-level block's last label
              (`resource "t" "name"` -> `name`), `locals` attributes, top-level attributes
  dockerfile  dockerfile-parse (Red Hat): stage names (`FROM x AS name`, the image when
              unnamed), `ARG`, `ENV` and `LABEL` keys, at their instruction's lines

A reference name is *found* when ragex reports a symbol of that name in the same file
(for Dockerfiles: on the instruction's lines). A file a reference cannot read is counted
and skipped. Zig has no reference here: universal-ctags has no Zig parser, the
tree-sitter-zig wheel ships no `tags.scm`, and `zig ast-check -t` (the compiler's own
dump) exists only in debug builds of Zig.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

CORPUS = {"toml": "toml", "json": "ansible", "yaml": "ansible", "hcl": "hcl",
          "dockerfile": "dockerfile"}


# ---------------------------------------------------------------- the references


def ref_toml(text: str) -> list[tuple]:
    import tomllib
    return [(key, None, "key") for key in tomllib.loads(text)]


def ref_json(text: str) -> list[tuple]:
    doc = json.loads(text)
    return [(key, None, "key") for key in doc] if isinstance(doc, dict) else []


def ref_yaml(text: str) -> list[tuple]:
    import yaml

    out = []
    for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
        if isinstance(node, yaml.MappingNode):
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    out.append((key.value, key.start_mark.line + 1, "key"))
    return out


def ref_hcl(text: str) -> list[tuple]:
    import hcl2

    out = []
    for block_type, entries in hcl2.loads(text).items():
        if block_type.startswith("__"):
            continue
        if not isinstance(entries, list):  # a top-level attribute
            out.append((block_type, None, "attribute"))
            continue
        for entry in entries:
            if block_type == "locals":
                out += [(k, None, "local") for k in entry if not k.startswith("__")]
                continue
            labels = []
            node = entry
            while isinstance(node, dict) and len(node) == 1 and "__is_block__" not in node:
                label = next(iter(node))
                labels.append(label.strip('"'))
                node = node[label]
            if not (isinstance(node, dict) and node.get("__is_block__")):
                out.append((block_type, None, "attribute"))  # `a = [{...}]`: an attribute
            elif labels and labels[-1]:
                out.append((labels[-1], None, "block"))
    return out


def ref_dockerfile(text: str) -> list[tuple]:
    from dockerfile_parse import DockerfileParser
    from dockerfile_parse.util import extract_key_values

    parser = DockerfileParser(fileobj=__import__("io").BytesIO(text.encode()))
    out = []
    for item in parser.structure:
        instruction, value = item["instruction"], item["value"]
        lines = (item["startline"] + 1, item["endline"] + 1)
        if instruction == "FROM":
            words = value.split()
            words = [w for w in words if not w.startswith("--")]
            if len(words) >= 3 and words[-2].lower() == "as":
                out.append((words[-1], lines, "stage"))
            elif words:
                image = words[0].split("@")[0]
                image = image.rsplit(":", 1)[0] if "/" not in image.rsplit(":", 1)[-1] else image
                out.append((image, lines, "image"))
        elif instruction in ("ARG", "ENV", "LABEL"):
            pairs = extract_key_values(env_replace=False, args={}, envs={},
                                       instruction_value=value)
            out += [(key, lines, instruction) for key, _ in pairs]
    return out


REFERENCES = {"toml": ref_toml, "json": ref_json, "yaml": ref_yaml, "hcl": ref_hcl,
              "dockerfile": ref_dockerfile}


# ---------------------------------------------------------------------- compare


def _chunk(args) -> list[tuple]:
    from ragex.extract import ExtractionTask, extract_file

    chunk, language = args
    out = []
    for path, rel in chunk:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        try:
            reference = REFERENCES[language](text)
            error = None
        except Exception as exc:  # the reference cannot read it: counted, skipped
            reference, error = [], f"{type(exc).__name__}"
        res = extract_file(ExtractionTask(path, rel, language=language,
                                          max_file_bytes=64 * 1024 * 1024))
        syms = [(s.name, s.name_line, s.start_line, s.end_line) for s in res.symbols]
        out.append((rel, error, reference, res.status, syms))
    return out


def compare(language: str, results: list) -> dict:
    total = found = 0
    unreadable = Counter()
    per_kind, found_kind = Counter(), Counter()
    misses: dict[tuple, list] = defaultdict(list)
    for rel, error, reference, status, syms in results:
        if error:
            unreadable[error] += 1
            continue
        by_name = defaultdict(list)
        for name, name_line, start_line, end_line in syms:
            by_name[name].append((name_line, start_line, end_line))
            by_name[name.split(".")[0]].append((name_line, start_line, end_line))
        for name, where, kind in reference:
            total += 1
            per_kind[kind] += 1
            candidates = by_name.get(name, ())
            if isinstance(where, tuple):  # the instruction's lines
                ok = any(where[0] <= nl <= where[1] for nl, _, _ in candidates)
            else:
                ok = bool(candidates)
            if ok:
                found += 1
                found_kind[kind] += 1
            else:
                why = f"file {status}" if status != "ok" else (
                    "same name, other line" if candidates else "not reported")
                line = where[0] if isinstance(where, tuple) else (where or "")
                misses[(kind, why)].append(f"{rel}:{line} {name}")
    return {"language": language, "files": len(results),
            "unreadable": dict(unreadable), "reference": total, "found": found,
            "recall": found / total if total else 1.0,
            "by_kind": {k: [found_kind[k], n] for k, n in sorted(per_kind.items())},
            "misses": sorted(([k[0], k[1], len(v), v] for k, v in misses.items()),
                             key=lambda r: -r[2])}


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("languages", nargs="*", help=f"default: {', '.join(REFERENCES)}")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--groups", type=int, default=8)
    ap.add_argument("--min-recall", type=float, default=0.95)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    reports = []
    for language in args.languages or list(REFERENCES):
        files = corpora.corpus_files(CORPUS[language], language)
        chunks = [(files[i:i + 32], language) for i in range(0, len(files), 32)]
        results = []
        with ProcessPoolExecutor(max(1, args.jobs)) as pool:
            for part in pool.map(_chunk, chunks):
                results += part
        r = compare(language, results)
        r["corpus"] = CORPUS[language]
        reports.append(r)
        kinds = ", ".join(f"{k} {f}/{n}" for k, (f, n) in r["by_kind"].items())
        print(f"## {language} ({r['corpus']}, {r['files']} files; the reference could not "
              f"read {sum(r['unreadable'].values())}: {r['unreadable'] or '-'})")
        print(f"found per kind: {kinds}\nfound {r['found']} of {r['reference']} "
              f"({r['recall']:.2%})")
        for kind, why, n, ex in r["misses"][:args.groups]:
            print(f"  {kind} | {why} | {n} | " + "; ".join(ex[:args.examples]))
        print(flush=True)
    print("| language | corpus | files | unreadable by the reference | reference names | "
          "found | recall |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in reports:
        print(f"| {r['language']} | {r['corpus']} | {r['files']} | "
              f"{sum(r['unreadable'].values())} | {r['reference']} | {r['found']} | "
              f"{r['recall']:.2%} |")
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
