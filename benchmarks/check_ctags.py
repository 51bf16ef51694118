"""Compare ragex's definitions with universal-ctags' on real code, per language.

    python benchmarks/check_ctags.py                    # every language with a query file
    python benchmarks/check_ctags.py go rust --examples 5
    python benchmarks/check_ctags.py c --corpus c=linux # the whole kernel instead of the subset
    python benchmarks/check_ctags.py --min-recall 0.95  # exit 1 if a language is below

A user's script, not a unit test. For each language it lists the corpus's files
(benchmarks/corpora.py builds the corpus if it is missing), runs universal-ctags once
over that file list and ragex's `extract_file` over the same files, and compares the
functions, methods and type definitions (class, struct, union, interface/trait, enum,
and, for Ruby and PHP, module/trait) of both.

Matching. Both sides are mapped to categories (function, method, class, struct,
interface, enum, module). A ctags definition is *found* when ragex reports a symbol of a
compared category with the same name in the same file whose name line equals ctags' line,
or whose definition starts at or before ctags' line and names it at or after it
(annotations, decorators, a return type on the line above), or is within
`--tolerance` lines (default 1) of it. Category is not part of the match: ctags calls a Go
method a `func` and a C++ inline member a `function`; a ragex symbol is used for at most one
ctags definition. Names are compared as each language's `NAMES` rule says (SCSS: ctags
drops the `$` of a variable and the `#` of an id; CSS: white space is not compared, ctags
writes `a:not([href] )`; Markdown: white space runs count as one space).

Embedded code. For HTML, Vue and Svelte files ctags runs its HTML parser with its guest
parsers (`--extras=+g`: JavaScript in <script>, CSS in <style>), and for Vue and Svelte,
which ctags does not know, over the file as HTML (`--language-force=HTML`): ragex's
embedded symbols are compared with those guest tags, each side's category taken from its
own language (a CSS `class` is a selector, a JavaScript `class` a class). A ctags parser's
subparsers (R's R6Class and S4Class) are compared the same way (`SUBPARSERS`).

Recall = found / ctags definitions. "ragex-only" counts ragex symbols of the compared
categories that matched no ctags definition: not necessarily wrong (nested functions,
prototypes, anonymous classes ctags does not report). Misses and ragex-only symbols are
grouped by ctags kind (resp. ragex kind) and reason, biggest group first, with examples as
`path:line name`.

ctags' own errors. A ctags tag that is no definition is counted apart, per language and
reason: a tag whose kind and text show it (`ctags_error`: an Objective-C annotation macro
read as a name, an SCSS decimal read as a class, ...), and a miss whose name tree-sitter
places in a string or a comment, whose line defines nothing (`CTAGS_DEFINITION_LINE`), or
that is a variable local to a function ragex reports (`LOCAL_KINDS`: ragex reports no
locals in any language). The table gives the recall of all of ctags' definitions and the
recall of those that are definitions ("recall without them"); `--min-recall` gates the
second.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpora  # noqa: E402

# language -> (default corpus, ctags language, extra ctags options)
GUESTS = ["--extras=+g"]  # ctags' guest parsers: JavaScript in <script>, CSS in <style>
LANGUAGES = {
    "python": ("stdlib", "Python", []),
    "go": ("go", "Go", []),
    "rust": ("rust", "Rust", []),
    "java": ("java", "Java", []),
    "c": ("c", "C", ["--kinds-C=+p"]),  # prototypes: not compared, they explain ragex-only
    "cpp": ("cpp", "C++", ["--kinds-C++=+p"]),
    "typescript": ("typescript", "TypeScript", []),
    "javascript": ("javascript", "JavaScript", []),
    "ruby": ("ruby", "Ruby", []),
    "php": ("php", "PHP", []),
    "objc": ("objc", "ObjectiveC", []),
    "html": ("html", "HTML", GUESTS),
    "css": ("css", "CSS", []),
    "scss": ("scss", "SCSS", []),
    "markdown": ("markdown", "Markdown", []),
    "vue": ("vue", "HTML", GUESTS),  # ctags has no Vue parser: it reads the file as HTML
    "svelte": ("svelte", "HTML", GUESTS),  # nor a Svelte one
    # --- languages added as data (forty-languages issue) ---
    "kotlin": ("expo", "Kotlin", []),
    "bash": ("kernel-misc", "Sh", []),
    "lua": ("lua", "Lua", []),
    "elixir": ("elixir", "Elixir", []),
    "haskell": ("haskell", "Haskell", []),
    "ocaml": ("ocaml", "OCaml", []),
    "ocaml_interface": ("ocaml", "OCaml", []),
    "julia": ("julia", "Julia", []),
    "perl": ("perl", "Perl", []),
    "powershell": ("ansible", "PowerShell", []),
    "sql": ("sql", "SQL", []),
    "make": ("kernel-misc", "Make", []),
    "cmake": ("cmake", "CMake", []),
    "yaml": ("ansible", "Yaml", []),
    "json": ("ansible", "JSON", []),
    "r": ("r", "R", []),
    "protobuf": ("protobuf", "Protobuf", []),
}
QUERY_FILES = {"python": "python.scm", "go": "go.scm", "rust": "rust.scm", "java": "java.scm",
               "c": "c.scm", "cpp": "cpp.scm", "typescript": "typescript.scm",
               "javascript": "javascript.scm", "ruby": "ruby.scm", "php": "php.scm",
               "objc": "objc.scm", "html": "html.scm", "css": "css.scm", "scss": "scss.scm",
               "markdown": "markdown.scm", "vue": "component.scm", "svelte": "component.scm",
               "kotlin": "kotlin.scm", "bash": "bash.scm", "lua": "lua.scm",
               "elixir": "elixir.scm", "haskell": "haskell.scm", "ocaml": "ocaml.scm",
               "ocaml_interface": "ocaml.scm", "julia": "julia.scm", "perl": "perl.scm",
               "powershell": "powershell.scm", "sql": "sql.scm", "make": "make.scm",
               "cmake": "cmake.scm", "yaml": "yaml.scm", "json": "json.scm", "r": "r.scm",
               "protobuf": "protobuf.scm"}

# ctags kind (full name, as --fields=+K prints it) -> category, per ctags language.
# Kinds not listed (variables, fields, constants, typedefs, macros, packages, namespaces,
# Rust `impl` blocks, Go plain `type` declarations) are not compared.
CTAGS_CATEGORY = {
    "Python": {"class": "class", "function": "function", "member": "method"},
    "Go": {"func": "function", "struct": "struct", "interface": "interface",
           "methodSpec": "method"},
    "Rust": {"function": "function", "method": "method", "struct": "struct", "enum": "enum",
             "interface": "interface"},
    "Java": {"class": "class", "interface": "interface", "enum": "enum",
             "annotation": "interface", "method": "method"},
    "C": {"function": "function", "struct": "struct", "union": "struct", "enum": "enum"},
    "C++": {"function": "function", "struct": "struct", "union": "struct", "enum": "enum",
            "class": "class"},
    "TypeScript": {"function": "function", "generator": "function", "class": "class",
                   "interface": "interface", "enum": "enum", "method": "method"},
    "JavaScript": {"function": "function", "generator": "function", "class": "class",
                   "method": "method", "getter": "method", "setter": "method"},
    "Ruby": {"method": "method", "singletonMethod": "method", "class": "class",
             "module": "module"},
    "PHP": {"function": "function", "class": "class", "interface": "interface",
            "trait": "interface"},
    # `class` is ctags' "Class' method" (`+ (id)x`); a category is a class in ragex
    "ObjectiveC": {"method": "method", "class": "method", "interface": "class",
                   "implementation": "class", "category": "class", "protocol": "interface",
                   "function": "function", "struct": "struct", "enum": "enum",
                   "property": "property"},
    "HTML": {"id": "id", "anchor": "id", "heading1": "section", "heading2": "section",
             "heading3": "section"},
    "CSS": {"class": "selector", "id": "selector", "selector": "selector"},
    "SCSS": {"class": "selector", "id": "selector", "placeholder": "selector",
             "mixin": "function", "function": "function", "variable": "variable"},
    "tags.scm": {"function": "function", "method": "method", "class": "class",
                 "interface": "interface", "module": "module"},
    "Markdown": {"chapter": "section", "section": "section", "subsection": "section",
                 "subsubsection": "section", "l4subsection": "section",
                 "l5subsection": "section"},
    # --- languages added as data (forty-languages issue) ---
    "Kotlin": {"class": "class", "interface": "interface", "object": "class",
               "method": "method"},
    "Sh": {"function": "function", "alias": "function"},
    "Lua": {"function": "function"},
    "Elixir": {"module": "module", "function": "function", "macro": "function",
               "guard": "function", "delegate": "function", "callback": "function",
               "protocol": "interface", "implementation": "class"},
    "Haskell": {"function": "function", "type": "type", "constructor": "constructor",
                "module": "module"},  # every equation of a function, as ragex reports
    # `var` is ctags' word for a top-level `let` (a function or a value), `val` for a
    # signature's `val`
    "OCaml": {"module": "module", "class": "class", "function": "function",
              "method": "method", "type": "type", "Exception": "class",
              "Constructor": "constructor", "RecordField": "field", "var": "function",
              "val": "function"},
    "Julia": {"function": "function", "macro": "function", "module": "module",
              "struct": "struct", "type": "type"},
    "Perl": {"subroutine": "function", "package": "package"},
    "PowerShell": {"function": "function"},
    "SQL": {"table": "struct", "view": "struct", "function": "function",
            "procedure": "function", "trigger": "function", "index": "index"},
    "Make": {"target": "function", "macro": "variable"},
    "CMake": {"function": "function", "macro": "function", "target": "module",
              "project": "module", "variable": "variable", "option": "variable"},
    "Yaml": {"anchor": "variable"},
    "JSON": {"object": "field", "array": "field", "string": "field", "number": "field",
             "boolean": "field", "null": "field"},
    # R's functions, and the classes, generics, methods and fields of its subparsers
    "R": {"function": "function"},
    "R6Class": {"class": "class", "method": "method", "field": "field"},
    "S4Class": {"class": "class", "generic": "function", "method": "method"},
    "Protobuf": {"package": "package", "message": "struct", "enum": "enum",
                 "enumerator": "enum_member", "field": "field", "oneof": "field",
                 "service": "interface", "rpc": "method", "group": "struct"},
}
# ctags parsers whose subparsers tag the same files under their own language names
SUBPARSERS = {"R": ("R6Class", "S4Class")}

# ragex language -> how a name is compared (ctags' name and ragex's go through it)
_SPACES = re.compile(r"\s+")
NAMES = {
    "scss": lambda name: name.lstrip("$#") if name[:1] in "$#" else name,
    # ctags writes `a:not([href] )` and `.a[x]` for `.a [x]`: white space is not compared
    "css": lambda name: _SPACES.sub("", name),
    "markdown": lambda name: _SPACES.sub(" ", name).strip(),
}

# What ragex's kinds are compared as, per language, where RAGEX_CATEGORY is not enough
# (the categories must be those of the ctags side above).
_TYPE_KINDS = {"struct": "type", "enum": "type", "type_alias": "type", "interface": "type"}
# ragex kind -> category (the same vocabulary); `property` is code only in Python.
RAGEX_CATEGORY = {"function": "function", "method": "method", "constructor": "method",
                  "class": "class", "struct": "struct", "interface": "interface",
                  "enum": "enum", "module": "module"}
# per language of the symbol (an embedded one has its own)
RAGEX_CATEGORY_OVERRIDES = {
    "python": {"property": "method"},
    "objc": {"property": "property"},
    "html": {"field": "id", "section": "section"},
    "vue": {"field": "id", "section": "section"},
    "svelte": {"field": "id", "section": "section"},
    "css": {"class": "selector"},
    "scss": {"class": "selector", "variable": "variable", "field": "variable"},
    "markdown": {"section": "section"},
    "kotlin": {"enum": "class"},
    "bash": {},
    "elixir": {"interface": "interface", "class": "class"},
    # record fields are selector functions: ctags reports them as functions
    "haskell": {**_TYPE_KINDS, "constructor": "constructor", "field": "function"},
    "ocaml": {**_TYPE_KINDS, "constructor": "constructor", "enum_member": "constructor",
              "field": "field", "variable": "function"},
    "ocaml_interface": {**_TYPE_KINDS, "constructor": "constructor",
                        "enum_member": "constructor", "field": "field", "variable": "function"},
    "julia": {"macro": "function", "interface": "type"},
    "perl": {"package": "package"},
    "sql": {"variable": "index"},
    "make": {"variable": "variable", "macro": "variable"},
    "cmake": {"macro": "function", "variable": "variable"},
    "yaml": {"variable": "variable"},
    "json": {"field": "field"},
    "r": {"field": "field"},
    "protobuf": {"package": "package", "field": "field", "enum_member": "enum_member"},
}
# languages whose ctags names a rule by each class or id token of its selector (SCSS), or
# by the pieces it cuts a selector into at `[`, `=`, `]` (CSS: `[data-bs-theme=dark] .x`
# gives `data-bs-theme`, `dark` and `.x`)
TOKEN_NAMED = {"scss", "css"}
# ctags language -> ragex language, to name a guest tag's language
RAGEX_LANGUAGE = {"JavaScript": "javascript", "CSS": "css", "HTML": "html", "SCSS": "scss",
                  "TypeScript": "typescript", "ObjectiveC": "objc", "Markdown": "markdown"}

# How a name is compared, per language, on both sides: Lua's ctags names carry the table
# (`M.f`, `M:f`), Elixir's a module's full alias where ragex names it as written; see
# also Haskell's and Perl's below.
NAME_KEY = {
    "lua": lambda name: re.split(r"[.:]", name)[-1],
    "elixir": lambda name: name.split(".")[-1],
    # ctags names `module A.B` by its first part
    "haskell": lambda name: name.split(".")[0] if name[:1].isupper() else name,
    # and `sub A::f` by its package `A`
    "perl": lambda name: name.split("::")[0],
    # and a polymorphic variant tag without its backquote
    "ocaml": lambda name: name.lstrip("`"),
    "ocaml_interface": lambda name: name.lstrip("`"),
    # and R's `"slot<-" <- function` with its quotes (ragex names it `slot<-`)
    "r": lambda name: name.strip("\"'"),
}
# What a line that defines `name` looks like, for ctags parsers that tag lines on a word
# alone: ctags' Lua parser tags any `x = ...function...` (`f = utils.function_arg(1, f)`,
# a callback argument, the word in a string) as a function `x`. A ctags tag whose line
# (its search pattern) does not look like this is counted as ctags' error.
_HASKELL_KEYWORDS = {"default", "deriving", "class", "instance", "data", "type", "newtype",
                     "module", "import", "where", "let", "in", "infix", "infixl", "infixr",
                     "foreign", "pattern", "family"}
_TARGET_VARIABLE = re.compile(r"^/\^\s*([^:=#]+?)\s*:(?![:=])\s*(?:(?:export|override|private)\s+)*"
                              r"[\w.${}()-]+\s*(?::{1,3}=|[+?!]?=)")


def _make_target_variable(name: str, pattern: str) -> bool:
    m = _TARGET_VARIABLE.match(pattern)
    return bool(m) and name in m.group(1).replace("\\/", "/").split()  # (ctags writes `\/`)


_PROTO_SCALARS = {"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
                  "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes"}
CTAGS_DEFINITION_LINE = {
    # `X=()` (an empty array) read as the function `X=`
    "Sh": lambda name, pattern: not name.endswith("="),
    # a keyword (`default (Int)`, a `deriving` clause) read as a function
    "Haskell": lambda name, pattern: name not in _HASKELL_KEYWORDS,
    # `let () = ...` and `let _ = ...` bind no name; `with type t := u` / `and type t = u`
    # (constraints on a module type) define no type; `(module M : S)` (a first-class module
    # value) and `| exception x ->` (a pattern) define nothing; keywords are no names
    "OCaml": lambda name, pattern: name not in ("()", "_", "nonrec", "private", "virtual",
                                                "mutable", "rec") and not (
        re.search(r"\bwith\s+type\b|^/\^\s*and\s+type\b|\(module\s+\w+\s*:"
                  r"|\|\s*exception\b", pattern)
        and not re.search(r"^/\^\s*(type|module|exception)\b", pattern)),
    # a target-specific variable (`$(obj)/x.o: CFLAGS += -O2`) sets a variable for the
    # target's recipe; the line is no rule: ctags reports the target there as defined
    "Make": lambda name, pattern: not _make_target_variable(name, pattern),
    # a proto3 `optional int32 x = 1;` (optional again since protobuf 3.15) read as the
    # field `int32`: a scalar type is no field name
    "Protobuf": lambda name, pattern: name not in _PROTO_SCALARS,
    "Lua": lambda name, pattern: bool(re.search(
        r"(^|[\s;])function\s+[\w.:]*" + re.escape(re.split(r"[.:]", name)[-1]) + r"\s*\("
        r"|" + re.escape(re.split(r"[.:]", name)[-1]) + r"\s*=\s*function\s*\(", pattern)),
}

# ctags kinds that include variables local to a function (OCaml's `var` is any `let`,
# `let ... in` inside a function too): such a miss inside a function ragex reports is a
# local, which ragex leaves out by design in every language
LOCAL_KINDS = {"var", "variable", "local", "functionVar"}

# Languages where a ctags line anywhere in ragex's definition or on the line after it
# matches: R's ctags tags the line of the `function` keyword, below the name when comments
# stand between (`f <-` / `## doc` / `function(x)`)
SPAN_MATCH: set = {"r"}
# ctags tags not compared, per ctags language: `<lambda>` (Kotlin) is no name, nor are
# the lambda's parameters that ctags reports as its methods; JSON's
# nested keys (a tag with a scope) are data, ragex reports the top-level keys.
def _skip_tag(ctags_lang: str, tag: dict) -> bool:
    if ctags_lang == "Kotlin":  # and the parameters of a lambda, which it calls methods
        return tag["name"].startswith("<") or "<lambda>" in tag.get("scope", "")
    if ctags_lang == "JSON":
        return "scope" in tag
    if ctags_lang == "OCaml" and tag.get("kind") == "module" and tag["line"] == 1:
        # the file's own module (`a.ml` is `A`): ragex reports no module for a file
        stem = os.path.splitext(os.path.basename(tag["path"]))[0]
        return tag["name"] == stem[:1].upper() + stem[1:]
    return False


def query_exists(language: str) -> bool:
    try:
        return resources.files("ragex.queries").joinpath(QUERY_FILES[language]).is_file()
    except Exception:
        return False


# ------------------------------------------------------------------------ ctags


def run_ctags(root: str, rels: list[str], ctags_lang: str, extra: list[str]) -> list[dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as fh:
        fh.write("\n".join(rels) + "\n")
        listing = fh.name
    cmd = ["ctags", "--output-format=json", "--fields=+neKSZl", f"--language-force={ctags_lang}",
           *extra, "-L", listing, "-f", "-"]
    try:
        proc = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              check=False)
    finally:
        os.unlink(listing)
    tags = []
    for line in proc.stdout.splitlines():
        try:
            tag = json.loads(line)
        except ValueError:
            continue  # ctags prints invalid JSON for a few odd names; skip them
        if tag.get("_type") == "tag":
            tags.append(tag)
    return tags


# Vue and Svelte, which ctags does not know (its HTML parser's guest JavaScript gives up
# early on these files: 15 tags in 292 PrimeVue components, and ctags' own JavaScript
# parser reports no method of an `export default {...}` object): their <script> blocks
# are compared with the definitions of the JavaScript grammar wheel's own
# `queries/tags.scm` (and the TypeScript wheel's, stacked on it, for `lang="ts"`), run on
# each block found by a regular expression, not by ragex
SCRIPT_BLOCKS = {"vue", "svelte"}
_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?)</script>", re.DOTALL | re.IGNORECASE)
_TS_TAG = re.compile(r"""\blang\s*=\s*["']?ts\b""")
TAGS_SCM = "tags.scm"  # the language name of those reference tags


def tags_scm_on_scripts(root: str, rels: list[str]) -> list[dict]:
    import tree_sitter as ts
    import tree_sitter_javascript as tsjs
    import tree_sitter_typescript as tsts

    grammars = {}
    for key, language, text in (("js", tsjs.language(), tsjs.TAGS_QUERY),
                                ("ts", tsts.language_typescript(),
                                 tsjs.TAGS_QUERY + tsts.TAGS_QUERY)):
        lang = ts.Language(language)
        grammars[key] = (ts.Parser(lang), ts.Query(lang, text))
    _KEEP_QUERIES.extend(query for _, query in grammars.values())
    tags = []
    for rel in rels:
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read()
        for match in _SCRIPT.finditer(data.decode("utf-8", "replace")):
            parser, query = grammars["ts" if _TS_TAG.search(match.group(1)) else "js"]
            start, end = (len(data.decode("utf-8", "replace")[:i].encode()) for i in
                          match.span(2))
            parser.included_ranges = [ts.Range(_point(data, start), _point(data, end),
                                               start, end)]
            tree = parser.parse(data)
            for _, caps in ts.QueryCursor(query).matches(tree.root_node):
                kinds = [k[11:] for k in caps if k.startswith("definition.")]
                if kinds and caps.get("name"):
                    node = caps["name"][0]
                    tags.append({"_type": "tag", "path": rel, "line": node.start_point[0] + 1,
                                 "kind": kinds[0], "language": TAGS_SCM, "pattern": "",
                                 "name": data[node.start_byte:node.end_byte].decode(),
                                 "where": _where(caps[f"definition.{kinds[0]}"][0])})
    return tags


_KEEP_QUERIES: list = []  # py-tree-sitter 0.26.1 may crash freeing a query with predicates


_FUNCTIONS = {"function_declaration", "function_expression", "arrow_function",
              "method_definition", "generator_function", "generator_function_declaration"}


def _where(node) -> Optional[str]:
    """Where tags.scm found a definition that ragex's JavaScript rules do not count as one
    (ecmascript.scm's head): an assignment (`this.x = () => {}`) or an object's member in a
    function's body, or a member of an object passed to a call (not the default export's)."""
    in_call = False
    parent = node.parent
    while parent is not None:
        if parent.type in _FUNCTIONS and parent.child_by_field_name("body") is not None \
                and parent.child_by_field_name("body").start_byte <= node.start_byte \
                and node.type in ("assignment_expression", "pair", "method_definition"):
            # (a function declared in a function is a nested function to ragex too)
            return "an assignment or object member in a function's body"
        if parent.type == "arguments":
            in_call = True
        if parent.type == "export_statement":
            return None
        parent = parent.parent
    return "a callback in an object passed to a call" if in_call else None


def _point(data: bytes, at: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, at) + 1
    return (data.count(b"\n", 0, at), at - line_start)


# ctags' invented names for anonymous things: not definitions a user can look up
_ANONYMOUS = re.compile(r"^(?:__anon|Anonymous(?:Function|Class)|anonFunc)[0-9a-f]*")
_CLASS_WORD = re.compile(r"\bclass\b")


# ctags tags that are not definitions, shown apart (language, kind, reason) -> count
NOT_COUNTED: Counter = Counter()
_OBJC_ANNOTATION = re.compile(r"^(?:__\w+__|_Nonnull|_Nullable|__deprecated_msg|void|"
                              r"(?:NS|API|UIKIT|FOUNDATION)_[A-Z_]+)$")
_FORWARD = re.compile(r"^/\^\s*@(?:protocol|class)\s+[\w\s,<>]+;")
_OBJC_CONTAINER = re.compile(r"@(?:interface|implementation)\b")
_SCSS_LOOP = re.compile(r"^/\^\s*@(?:each|for)\b")
_OBJC_EXTENSION = re.compile(r"@interface\s+\w+\s*\(\s*\)")


def ctags_error(tag: dict, tag_lang: str) -> Optional[str]:
    """Why a ctags tag is no definition, for the errors of its parsers found on the
    corpora (docs/accuracy.md lists each), or None."""
    kind, name, pattern = tag.get("kind"), tag["name"], tag.get("pattern", "")
    if tag_lang == TAGS_SCM and tag.get("where"):
        return tag["where"]
    if tag_lang == "SCSS" and kind == "variable" and (not pattern.startswith("/^$") or
                                                      _SCSS_LOOP.match(pattern)):
        # ctags reports every `$x:` and loop variable, with no scope: a local of a mixin
        # or function, an `@each` variable, a keyword argument of an `@include`
        return "a variable of a block, not global"
    if tag_lang == "SCSS" and kind == "class":
        if re.match(r"\.\d", name):
            return "a decimal number in a value read as a class"  # `rgba(0, 0, 0, .5)`
        if re.search(r"\w" + re.escape(name) + r"\(", pattern):
            return "a module function call read as a class"  # `cv.getVar("x")`
    if tag_lang != "ObjectiveC":
        return None
    if kind == "category" and not _OBJC_CONTAINER.search(pattern):
        return "a parenthesis read as a category"  # `typedef void (^Block)(...)`, `(NSUInteger)`
    if kind == "category" and _OBJC_EXTENSION.search(pattern):
        return "a class extension's protocol read as a category"  # `@interface A () <P>`
    if kind == "protocol" and _FORWARD.match(pattern):
        return "a forward declaration"  # `@protocol X;`
    if _OBJC_ANNOTATION.match(name):
        return "an annotation macro read as a name"  # `__attribute__((...))`, `NS_UNAVAILABLE`
    return None


def ctags_definitions(tags: list[dict], ctags_lang: str) -> tuple[dict, dict]:
    """path -> [(name, line, category, label, pattern)] for the compared kinds, and
    path -> {name: [(line, kind)]} for the other tags (to explain ragex-only symbols)."""
    out: dict[str, set] = defaultdict(set)
    others: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for tag in tags:
        kind = tag.get("kind")
        tag_lang = tag.get("language") or ctags_lang  # a guest parser's tag names its own
        category = CTAGS_CATEGORY.get(tag_lang, {}).get(kind)
        if tag_lang != ctags_lang:
            label_prefix = f"{tag_lang} "
        else:
            label_prefix = ""
        rename = NAMES.get(RAGEX_LANGUAGE.get(tag_lang, ""))
        if rename is not None:
            tag = dict(tag, name=rename(tag["name"]))
        if category is None:
            others[tag["path"]][tag["name"]].append((tag["line"], kind))
            continue
        name = tag["name"]
        if not name or _ANONYMOUS.match(name) or _skip_tag(ctags_lang, tag):
            continue  # ctags' names for anonymous structs, enums, functions, classes
        if (kind == "class" and tag_lang in ("JavaScript", "TypeScript")
                and not _CLASS_WORD.search(tag.get("pattern", ""))):
            # ctags' JS parser calls an object literal (`const o = {`, `key: {`) a class
            others[tag["path"]][name].append((tag["line"], "object literal"))
            continue
        error = ctags_error(tag, tag_lang)
        if error is not None:
            NOT_COUNTED[(tag_lang, kind, error)] += 1
            others[tag["path"]][name].append((tag["line"], f"{kind} ({error})"))
            continue
        if name.startswith("operator"):
            name = "".join(name.split())  # ctags: `operator ()`, ragex: `operator()`
        label = label_prefix + kind
        if ctags_lang == "Go" and kind == "func" and tag.get("scopeKind") not in (None, "package"):
            category, label = "method", "func (method)"
        out[tag["path"]].add((name, tag["line"], category, label, tag.get("pattern", "")))
    return ({path: sorted(defs, key=lambda d: (d[1], d[0])) for path, defs in out.items()},
            others)


# ------------------------------------------------------------------------ ragex


def _extract_chunk(args) -> list[tuple]:
    chunk, language, max_bytes = args
    from ragex.extract import ExtractionTask, extract_file

    out = []
    for path, rel in chunk:
        res = extract_file(ExtractionTask(path, rel, language=language, max_file_bytes=max_bytes))
        syms = [(_compared_name(s.name, s.language), s.name_line, s.start_line, s.kind,
                 s.language, s.end_line) for s in res.symbols]
        # a category `@interface UIImage (React)`: ctags tags the line as an interface
        # UIImage too; ragex's category symbol (`UIImage.React`) stands for both
        syms += [(s.parent.rsplit(".", 1)[-1], s.name_line, s.start_line, s.kind, s.language,
                  -1) for s in res.symbols if s.native_kind == "category" and s.parent]
        out.append((rel, res.status, res.error or res.warning, res.language, syms))
    return out


def _compared_name(name: str, language: str) -> str:
    if name.startswith("operator"):
        return "".join(name.split())  # ctags: `operator ()`, ragex: `operator()`
    rename = NAMES.get(language)
    return rename(name) if rename is not None else name


def run_ragex(files: list[tuple[str, str]], language: str, jobs: int, max_bytes: int):
    chunks = [files[i:i + 32] for i in range(0, len(files), 32)]
    results = []
    if jobs <= 1:
        for chunk in chunks:
            results += _extract_chunk((chunk, language, max_bytes))
    else:
        with ProcessPoolExecutor(jobs) as pool:
            for part in pool.map(_extract_chunk, [(c, language, max_bytes) for c in chunks]):
                results += part
    return results


# ---------------------------------------------------------------------- compare


class _TextCheck:
    """Whether ctags' name on a line sits in a string or a comment of the file, per
    tree-sitter (ctags' regex-driven parsers read code examples in docs and strings)."""

    _TEXT = re.compile(r"string|comment|heredoc|quoted|pod")

    def __init__(self, root: Optional[str], language: str):
        self.root, self.language = root, language
        self._trees: dict = {}

    def __call__(self, rel: str, line: int, name: str) -> bool:
        if self.root is None:
            return False
        if rel not in self._trees:
            from ragex.parser_pool import process_parser_pool
            with open(os.path.join(self.root, rel), "rb") as fh:
                source = fh.read()
            parser = process_parser_pool().get(self.language).parser
            self._trees[rel] = (source, parser.parse(source))
        source, tree = self._trees[rel]
        lines = source.split(b"\n")
        if not 0 < line <= len(lines):
            return False
        text = lines[line - 1]
        col = text.find(name.encode().split(b".")[-1].split(b":")[-1])
        if col < 0:
            return False
        node = tree.root_node.descendant_for_point_range((line - 1, col), (line - 1, col))
        while node is not None:
            if self._TEXT.search(node.type):
                return True
            node = node.parent
        return False


def compare(language: str, ctags_both: tuple, ragex_results: list, tolerance: int,
            root: Optional[str] = None) -> dict:
    ctags_defs, ctags_others = ctags_both
    # functions and methods are always compared: which one a def is differs by tool
    ctags_lang = LANGUAGES[language][1]
    guests = ("JavaScript", "CSS") if "--extras=+g" in LANGUAGES[language][2] else ()
    if language in SCRIPT_BLOCKS:
        guests = ("CSS", TAGS_SCM)
    guests += SUBPARSERS.get(ctags_lang, ())
    categories = {c for lang in (ctags_lang, *guests) for c in CTAGS_CATEGORY[lang].values()}
    categories |= {"function", "method"}
    key = NAME_KEY.get(language, lambda name: name)
    span = language in SPAN_MATCH
    in_text = _TextCheck(root, language)
    real = CTAGS_DEFINITION_LINE.get(ctags_lang)

    def not_a_definition(name: str, pattern: str) -> bool:
        return real is not None and not real(name, pattern)

    def ragex_category(kind: str, symbol_language: str) -> Optional[str]:
        overrides = RAGEX_CATEGORY_OVERRIDES.get(symbol_language, {})
        cat = overrides.get(kind, RAGEX_CATEGORY.get(kind))
        if symbol_language in ("css", "scss") and kind == "class":
            cat = "selector"  # a rule, whatever file it is embedded in
        return cat if cat in categories else None

    ctags_total = ragex_total = found = exact = 0
    misses: dict[tuple, list] = defaultdict(list)
    extras: dict[tuple, list] = defaultdict(list)
    by_category = Counter()
    found_by_category = Counter()
    statuses = Counter()
    other_language = Counter()
    for rel, status, reason, detected, syms in ragex_results:
        statuses[status] += 1
        if detected and detected != language:
            other_language[detected] += 1
        wanted = ctags_defs.get(rel, [])
        ctags_total += len(wanted)
        compared = []
        by_name: dict[str, list[int]] = defaultdict(list)
        for i, (name, name_line, start_line, kind, sym_lang, end_line) in enumerate(syms):
            if kind == "module" and language == "python":
                continue  # the file's own module symbol
            cat = ragex_category(kind, sym_lang)
            if cat is not None and end_line >= 0:  # (-1: a second name of a category)
                compared.append(i)
            by_name[key(name)].append(i)
        ragex_total += len(compared)
        used: set[int] = set()
        token_matched: set[int] = set()
        callables = [(start_line, end_line) for _n, _l, start_line, kind, _g, end_line in syms
                     if kind in ("function", "method", "constructor")]
        for name, line, category, label, pattern in wanted:
            name = key(name)
            by_category[category] += 1
            best = None
            best_dist = None
            other = None
            candidates = list(by_name.get(name, ()))
            if category == "section" and not candidates:
                # ctags names a heading by all its text (Sphinx's `¶` permalink included),
                # ragex by its first text: `About these documents` for `...documents¶`
                candidates = [i for i in compared if syms[i][0] and name.startswith(syms[i][0])
                              and abs(syms[i][1] - line) <= tolerance]
            for i in candidates:
                s_name, name_line, start_line, kind, sym_lang, end_line = syms[i]
                near = (name_line == line or start_line <= line <= name_line
                        or abs(name_line - line) <= tolerance
                        # ctags gives an Objective-C declaration over several lines the
                        # line where it ends
                        or (sym_lang == "objc" and start_line <= line <= end_line)
                        or span and start_line <= line <= end_line + 1)
                if ragex_category(kind, sym_lang) is None:
                    if near and other is None:
                        other = kind
                    continue
                if i in used:
                    continue
                dist = abs(name_line - line)
                if near and (best is None or dist < best_dist):
                    best, best_dist = i, dist
            if best is None and language in TOKEN_NAMED and category == "selector":
                # ctags names an SCSS rule by each class or id in its selector
                # (`> .a .b {` gives `.a` and `.b`); ragex by the selector as written
                # `.a` is a token of `.b.a:hover`; a bare word must stand alone
                start = "" if name[:1] in ".#%:&" else r"(?<![\w-])"
                token = re.compile(start + re.escape(name) + r"(?![\w-])")
                around = [i for i in compared if syms[i][2] <= line <= syms[i][5]
                          and token.search(syms[i][0])]
                if around:  # the rule whose selector names it, the nearest first
                    best = min(around, key=lambda i: abs(syms[i][1] - line))
                if best is not None:
                    found += 1
                    found_by_category[category] += 1
                    exact += syms[best][1] == line
                    token_matched.add(best)
                    continue
            if best is not None:
                used.add(best)
                found += 1
                found_by_category[category] += 1
                if syms[best][1] == line:
                    exact += 1
                continue
            if status != "ok":
                why = f"file {status}: {reason}"[:80]
            elif in_text(rel, line, name):
                why = "ctags reads it in a string or comment"
            elif not_a_definition(name, pattern):
                why = "ctags: no definition on its line"
            elif label in LOCAL_KINDS and any(a < line <= b for a, b in callables):
                why = "local: in a function ragex reports (locals are not reported)"
            elif other is not None:
                why = f"ragex reports it as {other}"
            elif any(ragex_category(syms[i][3], syms[i][4]) for i in by_name.get(name, ())):
                why = "same name, other line"
            else:
                why = "not reported"
            misses[(label, why)].append(f"{rel}:{line} {name}")
        ctags_names = {key(d[0]) for d in wanted}
        other_tags = ctags_others.get(rel, {})
        for i in compared:
            if i in used or i in token_matched:
                continue
            name, name_line, start_line, kind, sym_lang, _ = syms[i]
            if sym_lang != language:
                kind = f"{sym_lang} {kind}"
            tagged = list(other_tags.get(name, ())) + list(other_tags.get(key(name), ()))
            near = [k for ln, k in tagged
                    if abs(ln - name_line) <= tolerance or start_line <= ln <= name_line]
            if near:
                why = f"ctags reports it as {near[0]} (not compared)"
            elif name in ctags_names:
                why = "name known to ctags, other line/kind"
            else:
                why = "not reported by ctags"
            extras[(kind, why)].append(f"{rel}:{name_line} {name}")
    # misses that are ctags' own errors (a name read in a string or a comment, a line that
    # defines nothing) or locals, and the tags `ctags_error` set apart before matching:
    # reported apart, and left out of the second recall
    not_counted = sum(NOT_COUNTED.values())
    ctags_total += not_counted
    ctags_errors = not_counted + sum(len(v) for (label, why), v in misses.items()
                                     if why.startswith(("ctags", "local:")))
    real_total = ctags_total - ctags_errors
    return {
        "language": language,
        "files": len(ragex_results),
        "statuses": dict(statuses),
        "detected_as_other_language": dict(other_language),
        "ctags": ctags_total,
        "ragex": ragex_total,
        "found": found,
        "found_same_line": exact,
        "recall": found / ctags_total if ctags_total else 1.0,
        "ctags_errors": ctags_errors,
        "recall_of_real": found / real_total if real_total else 1.0,
        "ragex_only": sum(len(v) for v in extras.values()),
        "by_category": {c: [found_by_category[c], n] for c, n in sorted(by_category.items())},
        "misses": sorted(([k[0], k[1], len(v), v] for k, v in misses.items()),
                         key=lambda r: -r[2]),
        "extras": sorted(([k[0], k[1], len(v), v] for k, v in extras.items()),
                         key=lambda r: -r[2]),
    }


# ------------------------------------------------------------------------- main


def sample(files: list, limit: Optional[int]) -> list:
    if not limit or len(files) <= limit:
        return files
    step = len(files) / limit
    return [files[int(i * step)] for i in range(limit)]


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("languages", nargs="*",
                    help=f"languages (default: those with a query file): {', '.join(LANGUAGES)}")
    ap.add_argument("--corpus", action="append", default=[], metavar="LANG=NAME",
                    help="use another corpus for a language, e.g. c=linux or go=multi")
    ap.add_argument("--examples", type=int, default=3, help="examples per miss group")
    ap.add_argument("--groups", type=int, default=8, help="miss groups shown per language")
    ap.add_argument("--min-recall", type=float, default=0.95)
    ap.add_argument("--tolerance", type=int, default=1, help="lines of slack (default 1)")
    ap.add_argument("--max-files", type=int, default=0, help="sample this many files per language")
    ap.add_argument("--max-file-bytes", type=int, default=64 * 1024 * 1024,
                    help="ragex's per-file size limit for this check (default 64 MiB, so "
                         "that both tools see the same files)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="ragex processes")
    ap.add_argument("--json", metavar="FILE", help="write every result, all examples, as JSON")
    args = ap.parse_args(argv)

    chosen = args.languages or [lang for lang in LANGUAGES if query_exists(lang)]
    corpus_of = {lang: LANGUAGES[lang][0] for lang in LANGUAGES}
    for item in args.corpus:
        lang, _, name = item.partition("=")
        corpus_of[lang] = name
    reports = []
    for lang in chosen:
        if lang not in LANGUAGES:
            print(f"unknown language {lang}", file=sys.stderr)
            return 2
        if not query_exists(lang):
            print(f"## {lang}: skipped, no query file {QUERY_FILES[lang]} yet\n")
            continue
        corpus, ctags_lang, extra = LANGUAGES[lang]
        corpus = corpus_of[lang]
        files = sample(corpora.corpus_files(corpus, lang), args.max_files)
        root = str(corpora.corpus_path(corpus))
        t0 = time.perf_counter()
        tags = run_ctags(root, [rel for _, rel in files], ctags_lang, extra)
        if lang in SCRIPT_BLOCKS:  # the <script> code: the grammar wheels' own tags.scm
            tags = [t for t in tags if t.get("language") not in ("JavaScript", "TypeScript")]
            tags += tags_scm_on_scripts(root, [rel for _, rel in files])
        t1 = time.perf_counter()
        results = run_ragex(files, lang, args.jobs, args.max_file_bytes)
        t2 = time.perf_counter()
        NOT_COUNTED.clear()
        report = compare(lang, ctags_definitions(tags, ctags_lang), results, args.tolerance,
                         root)
        report["ctags_not_counted"] = sorted(([*key, n] for key, n in NOT_COUNTED.items()),
                                             key=lambda r: -r[3])
        report.update(corpus=corpus, ctags_seconds=round(t1 - t0, 2),
                      ragex_seconds=round(t2 - t1, 2))
        reports.append(report)
        print_report(report, args.examples, args.groups)
    if not reports:
        return 0
    print_table(reports)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(reports, fh, indent=1)
    # the gate: recall of ctags' definitions that are definitions (its own errors, counted
    # and listed above, left out)
    low = [r["language"] for r in reports if r["recall_of_real"] < args.min_recall]
    if low:
        print(f"\nrecall below {args.min_recall}: {', '.join(low)}")
        return 1
    return 0


def print_report(r: dict, examples: int, groups: int) -> None:
    print(f"## {r['language']} ({r['corpus']}, {r['files']} files; ctags {r['ctags_seconds']} s, "
          f"ragex {r['ragex_seconds']} s with --jobs)")
    print(f"files: {r['statuses']}"
          + (f"; .h detected as {r['detected_as_other_language']}"
             if r["detected_as_other_language"] else ""))
    cats = ", ".join(f"{c} {f}/{n}" for c, (f, n) in r["by_category"].items())
    print(f"found per category: {cats}")
    print(f"found {r['found']} of {r['ctags']} ({r['recall']:.2%}), "
          f"{r['found_same_line']} on the same line; ragex-only {r['ragex_only']}")
    if r.get("ctags_not_counted"):
        print("ctags tags not counted (language | kind | why | count): " + "; ".join(
            f"{lang} | {kind} | {why} | {n}" for lang, kind, why, n in r["ctags_not_counted"]))
    if r["ctags_errors"]:
        print(f"ctags' errors (tags not counted above, and misses: a name in a string or "
              f"comment, a line that defines nothing) and locals: {r['ctags_errors']}; "
              f"recall of the rest {r['recall_of_real']:.2%}")
    if r["misses"]:
        print("misses (ctags kind | reason | count | examples):")
        for kind, why, n, ex in r["misses"][:groups]:
            print(f"  {kind} | {why} | {n} | " + "; ".join(ex[:examples]))
    if r["extras"]:
        print("ragex-only (ragex kind | reason | count | examples):")
        for kind, why, n, ex in r["extras"][:groups]:
            print(f"  {kind} | {why} | {n} | " + "; ".join(ex[:examples]))
    print(flush=True)


def print_table(reports: list[dict]) -> None:
    print("| language | corpus | files | ctags | ragex | found | recall | ctags' errors, locals | "
          "recall without them | ragex-only |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in reports:
        print(f"| {r['language']} | {r['corpus']} | {r['files']} | {r['ctags']} | {r['ragex']} | "
              f"{r['found']} | {r['recall']:.2%} | {r['ctags_errors']} | "
              f"{r['recall_of_real']:.2%} | {r['ragex_only']} |")


if __name__ == "__main__":
    sys.exit(main())
