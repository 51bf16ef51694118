"""References: how complete, how right, how costly. Prints a table per section.

    python benchmarks/bench_refs.py python                 # ast call sites + Jedi (2,000+)
    python benchmarks/bench_refs.py tags                   # recall vs each grammar's tags.scm
    python benchmarks/bench_refs.py extract --corpus stdlib --repeat 3
    python benchmarks/bench_refs.py extract --corpus linux --every 25 --repeat 1
    python benchmarks/bench_refs.py extract --corpus stdlib --repeat 3 --one-pass
    python benchmarks/bench_refs.py index --corpus linux   # cold index, size, query latency
    python benchmarks/bench_refs.py all                    # every section, default corpora

Sections (one run each; compare ratios, not absolute times, on a shared machine):

  python   Call sites of the stdlib: every `ast.Call` whose callee is a `Name` or an
           `Attribute` against ragex's call references (line + name, multisets per file):
           recall and precision. Then resolution against Jedi (`jedi` from PyPI, offline):
           `--jedi-files` random files (fixed `--seed`), up to `--per-file` call sites each
           where Jedi's `goto` lands on a `def`/`class` line of the stdlib; ragex's
           candidates hold Jedi's target / ragex resolves to exactly it / of what ragex marks
           resolved, the share that is Jedi's target.
  tags     For each language, the grammar wheel's own `queries/tags.scm` (TypeScript and TSX
           stacked on JavaScript's, as tree-sitter does; C and C++ have no reference
           patterns) run on the language's corpus: each `@reference.*` match's `@name`, read
           as tree-sitter-tags reads it (one tag per name node, that of the earliest pattern
           that matches it: a definition's name is no reference, an `@ignore` capture is no
           tag), and whether ragex has a reference whose name lies inside that node.
           Ruby's `#is-not? local` is evaluated with the wheel's `locals.scm` (a name
           defined before in an enclosing scope is a local). Misses are counted by category
           (the tags capture and the node kind), and those followed by `(` (written as a
           call) are counted apart.
  extract  `extract_file` of every corpus file in-process, with and without references,
           alternated, `--repeat` times: CPU seconds (process time) and wall, median; the
           ratio is the cost of references. With `--one-pass`, also the CPU of the
           definitions and reference queries as extraction runs them (two passes) against
           one query compiled from both (one `matches` pass split by pattern index).
  index    Cold `ragex index` of the corpus with `--references true` and `false` (fresh index
           directories, `--workers` workers): wall and index size. Then, on the index with
           references: `callers`/`callees` of `--queries` random functions at depth 1 and 3
           (p50 / p95 / max ms, library calls in-process), and the first page (50) of `refs`
           of the most referenced name.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import collections
import glob
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from typing import Any, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

DEFAULT_CORPORA = {"python": "stdlib", "javascript": "javascript", "typescript": "typescript",
                   "go": "go", "rust": "rust", "java": "java", "ruby": "ruby", "php": "php",
                   "tsx": "typescript", "csharp": None, "c": "c", "cpp": "cpp",
                   "scala": "scala", "lua": "lua", "elixir": "elixir", "ocaml": "ocaml",
                   "ocaml_interface": "ocaml", "dart": "dart"}


def log(msg: str) -> None:
    print(f"[bench_refs] {msg}", file=sys.stderr, flush=True)


def table(rows: list[list], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    print(fmt.format(*header))
    print(fmt.format(*("-" * w for w in widths)))
    for r in rows:
        print(fmt.format(*r))
    print()


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f}%" if whole else "n/a"


# ---------------------------------------------------------------------------- python


def stdlib_files() -> tuple[str, list[str]]:
    root = sysconfig.get_paths()["stdlib"]
    out = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
        out += [os.path.join(directory, f) for f in sorted(files) if f.endswith(".py")]
    return root, out


def parse_py(path: str):
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return data, ast.parse(data)
    except (SyntaxError, ValueError):
        return data, None


def ast_calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                yield func.lineno, func.col_offset, func.id
            elif isinstance(func, ast.Attribute):
                yield func.end_lineno, func.end_col_offset - len(func.attr.encode()), func.attr


def section_python(args) -> dict:
    from ragex.extract import ExtractionTask, extract_file

    root, files = stdlib_files()
    want_total = got_total = matched = 0
    differences = collections.Counter()
    examples = []
    for path in files:
        _, tree = parse_py(path)
        if tree is None:
            continue
        rel = os.path.relpath(path, root)
        result = extract_file(ExtractionTask(path, rel, language="python"))
        want = collections.Counter((line, name) for line, _, name in ast_calls(tree))
        got = collections.Counter((r[4], r[0]) for r in result.refs if r[1] == "call")
        matched += sum((want & got).values())
        want_total += sum(want.values())
        got_total += sum(got.values())
        for key, n in (want - got).items():
            differences["missed"] += n
            examples.append(("missed", rel, *key))
        for key, n in (got - want).items():
            differences["extra"] += n
            examples.append(("extra", rel, *key))
    print("Python call sites vs ast (the stdlib)")
    table([[want_total, got_total, matched, pct(matched, want_total), pct(matched, got_total)]],
          ["ast calls", "ragex calls", "same", "recall", "precision"])
    for example in examples[:20]:
        print("  ", *example)
    print()
    out = {"ast_calls": want_total, "ragex_calls": got_total, "matched": matched,
           "recall": matched / want_total, "precision": matched / got_total}
    if args.jedi_files:
        out["jedi"] = jedi_section(args, root, files)
    return out


def jedi_section(args, root: str, files: list[str]) -> dict:
    import jedi

    from ragex.config import load_config
    from ragex.discover import DiscoveryOptions
    from ragex.front import Index
    from ragex.references import RESOLVED, Ref, Resolver

    rng = random.Random(args.seed)
    project = jedi.Project(root, smart_sys_path=False)
    environment = jedi.api.environment.InterpreterEnvironment()
    sites = []
    started = time.perf_counter()
    drawn = 0
    for path in rng.sample(files, len(files)):
        if drawn >= args.jedi_files:
            break
        data, tree = parse_py(path)
        if tree is None:
            continue
        lines = data.split(b"\n")
        calls = [c for c in ast_calls(tree) if lines[c[0] - 1].isascii()]
        if not calls:
            continue
        drawn += 1
        script = jedi.Script(data.decode("utf-8", "replace"), path=path, project=project,
                             environment=environment)
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        taken = 0
        for line, col, name in rng.sample(calls, min(len(calls), args.per_file * 3)):
            if taken >= args.per_file:
                break
            try:
                names = script.goto(line, col, follow_imports=True)
            except Exception:
                continue
            names = [n for n in names if n.type in ("function", "class") and n.module_path
                     and str(n.module_path).startswith(root + os.sep)
                     and "site-packages" not in str(n.module_path)]
            if len(names) != 1:
                continue
            target = names[0]
            with open(target.module_path, "rb") as fh:
                text = fh.read().split(b"\n")[target.line - 1].lstrip()
            if not text.startswith((b"def ", b"async def ", b"class ")):
                continue
            taken += 1
            sites.append((rel, line, col, name,
                          os.path.relpath(str(target.module_path), root).replace(os.sep, "/"),
                          target.line))
        if drawn % 100 == 0:
            log(f"jedi: {drawn} files, {len(sites)} sites, {time.perf_counter() - started:.0f} s")
    work = tempfile.mkdtemp(prefix="bench_refs_")
    index = Index(root, index_dir=os.path.join(work, "index"),
                  discovery=DiscoveryOptions(exclude=("site-packages",)),
                  config=load_config(environ={}, flags={}))
    index.update()
    store = index.store()
    resolver = Resolver(store)
    counts = collections.Counter()
    wrong = []
    for rel, line, col, name, target_path, target_line in sites:
        row = store.conn.execute(
            "SELECT r.file_id, f.path, f.language, r.line, r.col, r.name, r.kind, "
            "r.qualifier, r.alias FROM refs r JOIN files f ON f.id = r.file_id "
            "WHERE f.path = ? AND r.line = ? AND r.col = ?", (rel, line, col)).fetchone()
        if row is None:
            counts["no reference"] += 1
            continue
        resolution = resolver.resolve(Ref(*row))
        hits = [t.path == target_path and t.start_line <= target_line <= t.end_line
                for t in resolution.targets]
        counts["among"] += any(hits)
        counts[f"how {resolution.how}"] += 1
        if resolution.how in RESOLVED:
            counts["resolved"] += 1
            counts["resolved right"] += hits == [True]
            if hits != [True]:
                wrong.append((rel, line, name, row[7], resolution.how,
                               [f"{t.path}:{t.start_line}" for t in resolution.targets[:3]],
                               f"{target_path}:{target_line}"))
    index.close()
    for example in wrong[:30]:
        print("  resolved, not Jedi's:", *example)
    n = len(sites)
    print(f"Python resolution vs Jedi ({n} call sites in {drawn} files, seed {args.seed})")
    table([[n, pct(counts["among"], n), pct(counts["resolved right"], n),
            pct(counts["resolved right"], counts["resolved"])]],
          ["sites", "Jedi's target among candidates", "resolved to exactly it",
           "resolved that are right"])
    table([[how, counts[f"how {how}"], pct(counts[f"how {how}"], n)]
           for how in ("local", "member", "import", "package", "unique_name", "ambiguous",
                       "unresolved")], ["how", "sites", "share"])
    return {"sites": n, "files": drawn, "among": counts["among"] / n,
            "exact": counts["resolved right"] / n,
            "precision": counts["resolved right"] / max(1, counts["resolved"]),
            "hows": {k[4:]: v for k, v in counts.items() if k.startswith("how ")}}


# ------------------------------------------------------------------------------ tags


def tags_text(language: str) -> Optional[str]:
    """The grammar wheel's own tags.scm (TypeScript's stacked on JavaScript's)."""
    from ragex.languages import BY_NAME

    module = BY_NAME[language].grammar[0]
    texts = []
    if language in ("typescript", "tsx"):
        texts.append(tags_text("javascript"))
    spec = importlib.util.find_spec(module)
    site = os.path.dirname(os.path.dirname(spec.origin))
    for candidate in (os.path.join(os.path.dirname(spec.origin), "queries", "tags.scm"),
                      *glob.glob(os.path.join(site, module.replace("_", "?") + "*",
                                              "queries", "tags.scm"))):
        if os.path.isfile(candidate):
            with open(candidate) as fh:
                texts.append(fh.read())
            break
    return "\n".join(t for t in texts if t) or None


_KEEP: list = []


def locals_query(language: str):
    from ragex.languages import BY_NAME

    module = BY_NAME[language].grammar[0]
    spec = importlib.util.find_spec(module)
    path = os.path.join(os.path.dirname(spec.origin), "queries", "locals.scm")
    if not os.path.isfile(path):
        return None
    with open(path) as fh:
        return fh.read()


def local_starts(tree, lquery) -> set[int]:
    """Start bytes of the identifiers that locals.scm makes locals: a reference whose name
    a `@local.definition` in an enclosing `@local.scope` (not past one that does not
    inherit) defined before it."""
    import tree_sitter as ts

    caps = ts.QueryCursor(lquery).captures(tree.root_node)
    scopes = sorted(caps.get("local.scope", []), key=lambda n: (n.start_byte, -n.end_byte))
    definitions = sorted(caps.get("local.definition", []), key=lambda n: n.start_byte)
    defined: dict[tuple[int, int], dict[bytes, int]] = collections.defaultdict(dict)
    root_key = (tree.root_node.start_byte, tree.root_node.end_byte)

    starts = [scope.start_byte for scope in scopes]

    def scope_of(lo, hi, inside=None):
        """The innermost scope holding [lo, hi) (other than `inside`, the one we are in)."""
        i = bisect.bisect_right(starts, lo)
        while i > 0:  # the innermost scope holding it starts last before it
            i -= 1
            scope = scopes[i]
            if hi <= scope.end_byte and (scope.start_byte, scope.end_byte) != inside:
                return scope
        return None

    def chain(node):
        out = []
        lo, hi, inside = node.start_byte, node.end_byte, None
        while True:
            scope = scope_of(lo, hi, inside)
            if scope is None:
                out.append((root_key, True))
                return out
            key = (scope.start_byte, scope.end_byte)
            inherits = scope.type != "method"  # the Ruby locals.scm: methods do not inherit
            out.append((key, inherits))
            if not inherits:
                return out
            lo, hi, inside = scope.start_byte, scope.end_byte, key
    for node in definitions:
        key = chain(node)[0][0]
        defined[key].setdefault(node.text, node.start_byte)
    out = set()
    for node in caps.get("local.reference", []):
        for key, _ in chain(node):
            at = defined.get(key, {}).get(node.text)
            if at is not None and at <= node.start_byte:
                out.add(node.start_byte)
                break
    return out


def section_tags(args) -> dict:
    import tree_sitter as ts

    from ragex.extract import ExtractionTask, extract_file
    from ragex.parser_pool import process_parser_pool

    pool = process_parser_pool()
    # every language whose grammar wheel ships a tags.scm with reference patterns (and C,
    # C++, whose tags have none), on its corpus
    languages = args.languages or ["python", "javascript", "typescript", "go", "rust", "java",
                                   "ruby", "php", "c", "cpp", "scala", "lua", "elixir",
                                   "ocaml", "ocaml_interface", "dart"]
    rows, out = [], {}
    for language in languages:
        text = tags_text(language)
        corpus = DEFAULT_CORPORA.get(language)
        loaded = pool.get(language)
        if not text or corpus is None:
            rows.append([language, corpus or "-", "-", "-", "-", "-", "no tags.scm in the wheel"])
            continue
        query = ts.Query(loaded.language, text)
        _KEEP.append(query)  # py-tree-sitter 0.26 can crash freeing a query (docs/FACTS)
        log(f"tags: {language}")
        ref_caps = [query.capture_name(i) for i in range(query.capture_count)
                    if query.capture_name(i).startswith("reference.")]
        if not ref_caps:
            rows.append([language, corpus, "-", "-", "-", "-", "tags.scm has no reference pattern"])
            continue
        lquery = None
        if language == "ruby":
            ltext = locals_query(language)
            lquery = ts.Query(loaded.language, ltext) if ltext else None
            _KEEP.append(lquery)
        files = corpora.corpus_files(corpus, "typescript" if language == "tsx" else language,
                                     max_bytes=4 * 1024 * 1024)
        if args.every > 1:
            files = files[::args.every]
        total = found = called = 0
        missed = collections.Counter()
        examples = collections.defaultdict(list)
        for path, rel in files:
            result = extract_file(ExtractionTask(path, rel, language=language))
            if result.status != "ok":
                continue
            with open(path, "rb") as fh:
                data = fh.read()
            if not data.isascii():  # ragex counts the UTF-8 of the decoded text; compare
                data = data.decode("utf-8", "replace").encode("utf-8")  # like for like
            tree = loaded.parser.parse(data)
            starts = [0] + [i + 1 for i, b in enumerate(data) if b == 10]
            ours = sorted(starts[r[4] - 1] + r[5] for r in result.refs)
            # as tree-sitter-tags reads a tags.scm: one tag per name node, that of the
            # earliest pattern matching it; a pattern capturing `@ignore` makes its node no
            # tag (Elixir's special forms: `def`, `if`, `@doc`)
            first: dict[tuple[int, int], tuple[int, Optional[str], Any]] = {}
            for pattern, caps in ts.QueryCursor(query).matches(tree.root_node):
                keys = list(caps)
                kind = next((k for k in keys if k.startswith("reference.")), None)
                if any(k.startswith("definition.") for k in keys):
                    names, kind = caps.get("name") or [], "definition"
                elif kind is not None:
                    names = caps.get("name") or []
                else:  # (a pattern with a tag capture names its `@name`, ignored or not)
                    names = caps.get("ignore") or []
                for n in names:
                    span = (n.start_byte, n.end_byte)
                    if span not in first or first[span][0] > pattern:
                        first[span] = (pattern, kind, n)
            references = [(n, kind) for _, kind, n in sorted(first.values(),
                                                             key=lambda v: v[2].start_byte)
                          if kind not in (None, "definition")]
            skip = local_starts(tree, lquery) if lquery is not None else set()
            for node, kind in references:
                if node.start_byte in skip:
                    continue
                total += 1
                i = bisect.bisect_left(ours, node.start_byte)
                if i < len(ours) and ours[i] < node.end_byte:
                    found += 1
                else:
                    after = data[node.end_byte:node.end_byte + 64].lstrip()
                    called += after.startswith(b"(")  # a miss written as a call: `f(`
                    category = f"{kind} {node.type}" + (f" in {node.parent.type}"
                                                        if node.parent else "")
                    missed[category] += 1
                    if len(examples[category]) < 3:
                        examples[category].append(f"{rel}:{node.start_point[0] + 1}")
        rows.append([language, corpus, len(files), total, found, pct(found, total),
                     "; ".join(f"{c} {n}" for c, n in missed.most_common(3))])
        out[language] = {"files": len(files), "tags_refs": total, "found": found,
                         "missed_calls": called,
                         "recall": found / total if total else None,
                         "missed": dict(missed.most_common(12)),
                         "examples": {k: v for k, v in examples.items()}}
    print("Recall of the references each grammar's own tags.scm captures")
    table(rows, ["language", "corpus", "files", "tags refs", "found", "recall", "top misses"])
    for language, data in out.items():
        if data["tags_refs"] > data["found"]:
            print(f"  {language}: {data['missed_calls']} of the "
                  f"{data['tags_refs'] - data['found']} misses are followed by `(`")
        for category, n in list(data["missed"].items())[:6]:
            print(f"  {language}: {n} x {category}  e.g. {', '.join(data['examples'][category])}")
    print()
    return out


# --------------------------------------------------------------------------- extract


def section_extract(args) -> dict:
    from ragex.extract import ExtractionTask, extract_file
    from ragex.parser_pool import process_parser_pool

    out = {}
    for corpus in args.corpus:
        files = []
        for language in corpora.LANGUAGES_OF[corpus][:1] if corpus != "multi" else \
                corpora.LANGUAGES_OF[corpus]:
            files += [(p, r, language) for p, r in
                      corpora.corpus_files(corpus, language, max_bytes=4 * 1024 * 1024)]
        if args.every > 1:
            files = files[::args.every]
        for _, _, language in files[:1]:
            process_parser_pool().get(language, references=True)
        times = {False: [], True: []}
        walls = {False: [], True: []}
        refs = 0
        for _ in range(args.repeat):
            for with_refs in (False, True):
                cpu, wall = time.process_time(), time.perf_counter()
                count = 0
                for path, rel, language in files:
                    result = extract_file(ExtractionTask(path, rel, language=language,
                                                         references=with_refs))
                    count += len(result.refs)
                times[with_refs].append(time.process_time() - cpu)
                walls[with_refs].append(time.perf_counter() - wall)
                if with_refs:
                    refs = count
        off, on = statistics.median(times[False]), statistics.median(times[True])
        floor, query = query_costs(files)
        out[corpus] = {"files": len(files), "references": refs, "cpu_without": off,
                       "cpu_with": on, "ratio": on / off,
                       "wall_without": statistics.median(walls[False]),
                       "wall_with": statistics.median(walls[True]),
                       "walk_floor": floor / off, "query": query / off}
    print(f"Extraction with and without references (in-process, median of {args.repeat}, "
          f"load {os.getloadavg()[0]:.1f})")
    table([[c, d["files"], d["references"], f"{d['cpu_without']:.2f}", f"{d['cpu_with']:.2f}",
            f"{d['ratio']:.2f}x", f"{d['wall_without']:.2f} / {d['wall_with']:.2f}",
            f"{100 * d['walk_floor']:.0f}%", f"{100 * d['query']:.0f}%"]
           for c, d in out.items()],
          ["corpus", "files", "references", "CPU s without", "CPU s with", "ratio",
           "wall s without / with", "walk floor", "query"])
    print("walk floor: CPU of a query that matches nothing run over each whole tree; query: "
          "CPU of the reference query's captures (the walk, the matching, a Python object per "
          "capture); both without the parse, as a share of the extraction without "
          "references. The rest of what references cost is building their rows.\n")
    if args.one_pass:
        rows = []
        for corpus in args.corpus:
            language = corpora.LANGUAGES_OF[corpus][0]
            files = [(p, r, language) for p, r in corpora.corpus_files(
                corpus, language, max_bytes=4 * 1024 * 1024)][::args.every]
            two, one, defs, whole, refs, differ = one_pass_costs(files, args.repeat)
            out[corpus].update(two_passes=two, one_pass=one, definitions=defs,
                               definitions_whole=whole, references_matches=refs,
                               one_pass_differ=differ)
            rows.append([corpus, f"{two:.2f}", f"{one:.2f}", f"{one / two:.2f}x",
                         f"{defs:.2f} / {whole:.2f}", f"{refs:.2f}", differ])
        table(rows, ["corpus", "two passes, CPU s", "one pass", "one / two",
                     "definitions query / over the whole tree",
                     "reference query by `matches`", "files whose reference captures differ"])
        print("two passes: the definitions query as extraction runs it (`matches`, from the "
              "row's `Scan` where it has one) and the reference query's `captures`, each over "
              "the tree; one pass: one query compiled from both, its `matches` over the whole "
              "tree, split by pattern index (the reference matches' captures merged by name). "
              "The definitions query alone: as extraction runs it, and its `matches` over the "
              "whole tree (what it costs in one pass); the reference query alone by `matches`, "
              "merged by name as in one pass (compare with `captures`, in two passes). "
              "Query work only, no rows built; median of --repeat; files of more than two "
              "windows left out.\n")
    return out


def one_pass_costs(files, repeat: int) -> tuple[float, float, float, float, float, int]:
    """CPU seconds of the definitions and reference queries run as two passes (what
    extraction does) and as one query of both patterns (one `matches` pass, split by pattern
    index); of the definitions query alone as extraction runs it and over the whole tree;
    of the reference query by `matches` merged by name; and how many files' reference captures differ between the two, as sets of
    (capture, start, end) (`captures` reports a node once where `matches` reports it once
    per match)."""
    import tree_sitter as ts

    from ragex import extract
    from ragex.parser_pool import process_parser_pool, query_text, read_query_file

    pool = process_parser_pool()
    combined: dict = {}
    twos, ones, defses, wholes, refses = [], [], [], [], []
    differ = 0
    for round_ in range(repeat):
        two = one = defs_cpu = whole = refs = 0.0
        for path, _, language in files:
            loaded = pool.get(language, references=True)
            if loaded.refs_query is None:
                continue
            query = combined.get(language)
            if query is None:
                query = combined[language] = ts.Query(loaded.language, query_text(
                    loaded.spec) + "\n" + "\n".join(map(read_query_file,
                                                          loaded.spec.refs_query)))
                _KEEP.append(query)
            with open(path, "rb") as fh:
                source = fh.read()
            if len(source) > 2 * extract.WINDOW_BYTES:
                continue
            root = loaded.parser.parse(source).root_node
            started = time.process_time()
            if loaded.scan is not None:
                starts = extract._scan_starts(loaded.scan, root, source)
                defs = list(extract._scan_matches(loaded.query, starts, loaded.scan.depth, 0,
                                                  None))
            else:
                defs = ts.QueryCursor(loaded.query).matches(root)
            defined = time.process_time()
            caps = ts.QueryCursor(loaded.refs_query).captures(root)
            middle = time.process_time()
            count = loaded.query.pattern_count
            defs, merged = [], {}
            for pattern, found in ts.QueryCursor(query).matches(root):
                if pattern < count:
                    defs.append((pattern, found))
                    continue
                _merge(merged, found)
            ended = time.process_time()
            ts.QueryCursor(loaded.query).matches(root)
            at = time.process_time()
            whole += at - ended
            alone: dict = {}
            for _, found in ts.QueryCursor(loaded.refs_query).matches(root):
                _merge(alone, found)
            refs += time.process_time() - at
            defs_cpu += defined - started
            two += middle - started
            one += ended - middle
            if round_ == 0 and ({(k, n.start_byte, n.end_byte) for k, v in caps.items()
                                 for n in v} != {(k, n.start_byte, n.end_byte)
                                                 for k, v in merged.items() for n in v}):
                differ += 1
        twos.append(two)
        ones.append(one)
        defses.append(defs_cpu)
        wholes.append(whole)
        refses.append(refs)
    return (statistics.median(twos), statistics.median(ones), statistics.median(defses),
            statistics.median(wholes), statistics.median(refses), differ)


def _merge(merged: dict, found: dict) -> None:
    """A match's captures added to `merged` (capture name -> nodes)."""
    for name, nodes in found.items():
        known = merged.get(name)
        if known is None:
            merged[name] = nodes
        else:
            known += nodes


def query_costs(files) -> tuple[float, float]:
    """CPU seconds a query cursor takes to visit every node of the files' trees (a query
    that matches nothing), and those the reference query's `captures` take."""
    import tree_sitter as ts

    from ragex.parser_pool import process_parser_pool

    pool = process_parser_pool()
    empty: dict = {}
    floor = query = 0.0
    for path, _, language in files:
        loaded = pool.get(language, references=True)
        nothing = empty.get(language)
        if nothing is None:
            nothing = empty[language] = ts.Query(loaded.language, "(ERROR) @nothing")
            _KEEP.append(nothing)
        with open(path, "rb") as fh:
            tree = loaded.parser.parse(fh.read())
        started = time.process_time()
        ts.QueryCursor(nothing).captures(tree.root_node)
        floor += time.process_time() - started
        if loaded.refs_query is not None:
            started = time.process_time()
            ts.QueryCursor(loaded.refs_query).captures(tree.root_node)
            query += time.process_time() - started
    return floor, query


# ----------------------------------------------------------------------------- index


def section_index(args) -> dict:
    import bench_index

    from ragex.config import load_config
    from ragex.front import Index
    from ragex.store import IndexStore

    corpus = args.corpus[0]
    work = tempfile.mkdtemp(prefix="bench_refs_index_")
    tree = bench_index.prepare_tree(corpus, work)
    out: dict = {"corpus": corpus}
    for with_refs in (False, True):
        index_dir = os.path.join(work, "with" if with_refs else "without")
        cmd = [sys.executable, "-m", "ragex", "index", tree, "--index-dir", index_dir, "--json",
               "--no-progress", "--exclude", "site-packages", "--references",
               "true" if with_refs else "false"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        log(" ".join(cmd))
        started = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
        summary = json.loads(proc.stdout)
        size = bench_index.dir_bytes(index_dir)
        key = "with" if with_refs else "without"
        out[key] = {"wall": wall, "bytes": size, "files": summary["total_files"],
                    "symbols": summary["total_symbols"]}
    out["index_ratio"] = out["with"]["wall"] / out["without"]["wall"]
    out["size_ratio"] = out["with"]["bytes"] / out["without"]["bytes"]
    index = Index(tree, index_dir=os.path.join(work, "with"),
                  config=load_config(environ={}, flags={}))
    store: IndexStore = index.store()
    out["references"] = store.ref_stats()["references"]
    rng = random.Random(args.seed)
    top = store.conn.execute("SELECT max(id) FROM symbols").fetchone()[0]
    functions = []
    while len(functions) < args.queries:
        row = store.conn.execute(
            "SELECT id FROM symbols WHERE id >= ? AND kind IN ('function', 'method') LIMIT 1",
            (rng.randint(1, top),)).fetchone()
        if row:
            functions.append(str(row[0]))
    latency = {}
    for direction in ("incoming", "outgoing"):
        for depth in (1, 3):
            times = []
            for name in functions:
                started = time.perf_counter()
                index.call_hierarchy(name, direction, depth, 100)
                times.append(1000 * (time.perf_counter() - started))
            times.sort()
            latency[f"{direction} depth {depth}"] = {
                "p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
                "max": times[-1]}
    log("finding the most referenced name (one scan)")
    name, count = store.conn.execute(
        "SELECT name, count(*) FROM refs WHERE name NOT IN ('*', 'default') "
        "GROUP BY name ORDER BY 2 DESC LIMIT 1").fetchone()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        answer = index.references(name, limit=50)
        times.append(1000 * (time.perf_counter() - started))
    latency[f"refs {name} ({count} references), first 50"] = {
        "p50": statistics.median(times), "p95": max(times), "max": max(times),
        "items": len(answer.items)}
    out["latency_ms"] = latency
    index.close()
    print(f"Index of {corpus} with and without references (load {os.getloadavg()[0]:.1f})")
    table([[key, f"{out[key]['wall']:.1f}", f"{out[key]['bytes'] / 2**20:.0f}",
            out[key]["files"], out[key]["symbols"]] for key in ("without", "with")] +
          [["ratio", f"{out['index_ratio']:.2f}x", f"{out['size_ratio']:.2f}x", "", ""]],
          ["references", "cold index s", "index MiB", "files", "symbols"])
    table([[k, f"{v['p50']:.1f}", f"{v['p95']:.1f}", f"{v['max']:.1f}"]
           for k, v in latency.items()], ["query (ms)", "p50", "p95", "max"])
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"kept {work}")
    return out


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("section", choices=("python", "tags", "extract", "index", "all"))
    parser.add_argument("--corpus", action="append", help="corpus (extract, index); repeatable")
    parser.add_argument("--every", type=int, default=1, help="take every Nth file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--languages", nargs="*", help="tags: these languages only")
    parser.add_argument("--jedi-files", type=int, default=700,
                        help="python: files drawn for the Jedi sample (0: skip Jedi)")
    parser.add_argument("--per-file", type=int, default=4, help="python: sites per file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--one-pass", action="store_true",
                        help="extract: also time the definitions and reference queries as one "
                             "query (one pass) against two")
    parser.add_argument("--queries", type=int, default=200, help="index: functions asked")
    parser.add_argument("--keep", action="store_true", help="index: keep the indexes")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    results = {}
    sections = ["python", "tags", "extract", "index"] if args.section == "all" else \
        [args.section]
    for section in sections:
        if section in ("extract", "index") and not args.corpus:
            args.corpus = ["stdlib"]
        results[section] = globals()[f"section_{section}"](args)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
