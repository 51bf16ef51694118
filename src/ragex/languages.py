"""The language registry: one row per language, and file-to-language detection.

What a language contributes is data: a query file in `ragex/queries/` (capture names are
the contract, see `docs/queries.md`) and one `LanguageSpec` row below. The extractor is
generic and holds no per-language code.

Not for: loading grammars or compiling queries (that is `parser_pool`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Optional

_COMMON_MODIFIERS = frozenset(
    {"public", "private", "protected", "internal", "static", "async", "abstract", "final",
     "virtual", "override", "readonly", "sealed", "const", "extern", "inline", "export",
     "default", "declare", "partial", "unsafe", "synchronized", "native", "volatile"}
)


# `export` is reported as "exported"; `default` marks `export default`.
_JS_MODIFIERS = frozenset({"export", "default", "static", "async"})
_TS_MODIFIERS = _JS_MODIFIERS | frozenset(
    {"public", "private", "protected", "abstract", "readonly", "declare", "override",
     "accessor"})
# `namespace X {}` is an expression_statement; `declare ...` an ambient_declaration
_TS_WRAPPERS = frozenset({"export_statement", "lexical_declaration", "variable_declaration",
                          "ambient_declaration", "expression_statement"})


@dataclass(frozen=True)
class Scan:
    """Where a language's definitions query runs, when most of its code is function bodies
    that hold nothing ragex reports (docs/queries.md, "Scan"): a tree-sitter query cursor
    visits every node below where it starts, and that walk, not the patterns, is most of a
    query's cost.

    The query runs from each `roots` node, `depth` levels deep (a pattern may still look
    deeper), found by walking `walk` nodes from the file's root. A code body (`bodies`:
    node kind -> field of its body) is queried whole when its text matches one of `marks`
    (regular expressions) and not at all otherwise: without a mark nothing in it can be
    reported (its variables and imports are locals). ERROR nodes, and any other node met
    on the walk that holds an error unless it is a root (a root's children are all
    queried), are queried whole: error recovery can put a definition anywhere. A
    definition a pattern starts more than `depth` levels below every root is not found, so
    `walk` must name every node a definition can sit in.
    """

    roots: frozenset[str]
    walk: frozenset[str]
    depth: int
    bodies: tuple[tuple[str, str], ...]
    marks: tuple[bytes, ...]
    whole: frozenset[str] = frozenset()  # met on the walk: queried whole, as ERROR is
    # marks looked for outside bodies too: from the start of a definition to the end of its
    # body (a marked one is queried whole) and in every node met on the walk that is not
    # walked (C: in `struct __packed s {...};` the grammar reads a function `s` whose body
    # is the struct's; `int f(struct {...} *p)`; `(struct s {...}) x` in an initializer)
    outside_marks: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class RefRules:
    """How a language's names are found from where they are used: what the resolver
    (`references.py`) needs to know about the language, and nothing else. The reference
    patterns themselves are the row's `refs_query` files (docs/queries.md, "References").

    separators     what joins a qualifier to a name (`.`, `->`, `::`, `\\`, `/`)
    self_names     qualifier heads that mean "this object" (`self`, `this`, `$this`): a
                   member of the enclosing class (or its bases)
    super_names    qualifier heads that mean "the base class" (`super()`, `super`, `parent`)
    bare_members   a method sees its class's members without a qualifier (Java, C++, C#)
    package_scope  a file sees the top-level names of its directory (Go, Java packages)
    global_names   a bare name may name a definition anywhere, no import needed (C's
                   linker, Ruby constants, PHP functions, scripts' globals)
    import_style   how an import names what it binds: "python" (dotted modules, relative
                   dots), "module" (a file path relative to the importer, JS/TS), "package"
                   (Go import paths), "qualified" (Java/C# qualified names), "path"
                   (Rust `use`, C++ `using`: `::` paths), "include" (C/C++ `#include`),
                   "none"
    family         the other registry languages whose definitions its references may name
                   (C and C++; JavaScript, TypeScript and TSX)
    import_separators  what separates the parts of an imported path (`a.b.c`, `net/http`,
                   `a::b`): the extractor splits it at the last one (of the first of these
                   it holds) into a qualifier and the name
    import_binds_head  an import without `from` and without an alias binds the first part
                   of its path (Python: `import a.b` binds `a`), not the last
    receiver       a regular expression over a method's signature whose group 1 names its
                   receiver, a self name inside that method (Go `func (s *S) M()`)
    name_is_reference  native kinds of definitions whose name refers to another one (Rust
                   `impl Point` is named after the type it implements): that name is a
                   reference too (a definition's own name otherwise is none)
    declarations   native kinds that declare what another definition of the same qualified
                   name defines (C's prototypes): one candidate with it, not two
    implicit_imports  what every file imports without saying so (Java's `java.lang.*`)
    constructors   method names that make an instance of the class they are called on
                   (Ruby's `Foo.new.bar` calls Foo's `bar`)
    """

    separators: tuple[str, ...] = (".",)
    self_names: frozenset[str] = frozenset()
    super_names: frozenset[str] = frozenset()
    bare_members: bool = False
    package_scope: bool = False
    global_names: bool = False
    import_style: str = "none"
    family: tuple[str, ...] = ()
    import_separators: tuple[str, ...] = ()
    import_binds_head: bool = False
    # a method names its receiver (Go `func (s *S) M()`): matched on the method's
    # signature, group 1 is a name that means "this object" inside it
    receiver: Optional[re.Pattern[str]] = None
    name_is_reference: frozenset[str] = frozenset()
    declarations: frozenset[str] = frozenset()
    implicit_imports: tuple[str, ...] = ()
    constructors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LanguageSpec:
    name: str
    extensions: tuple[str, ...]
    grammar: tuple[str, str]  # (module, function returning the language pointer)
    query: str  # file name in ragex/queries/
    interpreters: tuple[str, ...] = ()  # shebang interpreters, e.g. "python3"
    filenames: tuple[str, ...] = ()  # exact file names, e.g. "Rakefile"
    doc_style: str = "comment"  # "docstring" (first string in the body) or "comment"
    doc_prefixes: tuple[str, ...] = ()  # comment openers that count as docs; () = any
    comment_types: frozenset[str] = frozenset({"comment"})
    # text that ends a comment or opens a line comment: a definition whose previous line
    # holds none of these has no doc comment (a cheap test before walking the tree)
    comment_marks: tuple[bytes, ...] = (b"//", b"*/")
    wrapper_types: frozenset[str] = frozenset()  # nodes that wrap a definition (export, ...)
    decorator_types: frozenset[str] = frozenset()
    modifier_words: frozenset[str] = _COMMON_MODIFIERS
    constant_by_case: bool = False  # UPPER_CASE variables are constants (Python)
    exported_by_case: bool = False  # Capitalised names are exported (Go)
    module_from_path: bool = False  # the file is a module named by its path (Python)
    self_named_constructor: bool = False  # a method named like its class is a constructor
    scan: Optional[Scan] = None  # None: the query runs over the whole tree
    # how a file names its own encoding, when the language has a way (None: its files are
    # UTF-8): a regular expression matched at the file's start, after a UTF-8 byte-order
    # mark, whose group 1 names the codec (PEP 263's cookie, Ruby's magic comment)
    encoding_cookie: Optional[re.Pattern[bytes]] = None
    aliases: tuple[str, ...] = field(default=())  # other names accepted by --lang
    # references (docs/references.md): the query files of the reference patterns, stacked
    # in order into one query run over the whole tree (`captures`), and how names resolve
    refs_query: tuple[str, ...] = ()
    refs: RefRules = RefRules()


# C nodes whose children are declarations: the file, #if blocks, struct and enum bodies
_C_CONTAINERS = frozenset({"translation_unit", "preproc_if", "preproc_ifdef", "preproc_else",
                           "preproc_elif", "preproc_elifdef", "linkage_specification",
                           "declaration_list", "field_declaration_list", "enumerator_list"})

# a struct/union/enum with a body (not `struct s *p = ...;`, not `f(struct s *p) {`), an
# `__attribute__((...))` allowed before the name; bounded, so that a text of many `struct`
# words costs linear time
_C_TYPE_BODY = tuple(
    rb"%s\b(?:\s*__attribute__\s*\(\([^;{}]{0,256}?\)\))*[^;(){}=]{0,256}\{" % word
    for word in (b"struct", b"union", b"enum"))

# JavaScript, TypeScript and TSX import each other's files
_JS_REFS = RefRules(separators=(".", "?."), self_names=frozenset({"this"}),
                    super_names=frozenset({"super"}), import_style="module",
                    global_names=True, family=("javascript", "typescript", "tsx"))

LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec(
        "python", (".py", ".pyi", ".pyw"), ("tree_sitter_python", "language"), "python.scm",
        interpreters=("python", "python2", "python3", "pypy", "pypy3"),
        doc_style="docstring", comment_marks=(b"#",),
        wrapper_types=frozenset({"decorated_definition"}),
        decorator_types=frozenset({"decorator"}), modifier_words=frozenset({"async"}),
        constant_by_case=True, module_from_path=True, aliases=("py",),
        # PEP 263 as `tokenize.detect_encoding` reads it: a comment holding `coding[:=]name`
        # on line 1, or on line 2 below a blank or comment-only line 1
        encoding_cookie=re.compile(
            rb"(?:[ \t\f]*(?:#[^\n]*|\r)?\n)??[ \t\f]*#[^\n]*?coding[:=][ \t]*([-\w.]+)"),
        scan=Scan(
            roots=frozenset({"module", "block"}),
            walk=frozenset({"module", "block", "decorated_definition", "class_definition",
                            "function_definition", "if_statement", "elif_clause",
                            "else_clause", "for_statement", "while_statement",
                            "try_statement", "except_clause", "finally_clause",
                            "with_statement", "match_statement", "case_clause"}),
            depth=2,  # block > decorated_definition > function_definition
            bodies=(("function_definition", "body"),),
            marks=(rb"def[ \t\f\\]", rb"class[ \t\f\\]", rb"type[ \t\f\\]"),
        ),
        refs_query=("python.refs.scm",),
        refs=RefRules(self_names=frozenset({"self", "cls"}), super_names=frozenset({"super()"}),
                      import_style="python", import_separators=(".",), import_binds_head=True),
    ),
    LanguageSpec(
        "javascript", (".js", ".jsx", ".mjs", ".cjs"), ("tree_sitter_javascript", "language"),
        "javascript.scm", interpreters=("node", "nodejs", "deno", "bun"),
        doc_prefixes=("/**",),
        wrapper_types=frozenset({"export_statement", "lexical_declaration", "variable_declaration"}),
        decorator_types=frozenset({"decorator"}), modifier_words=_JS_MODIFIERS,
        aliases=("js", "jsx", "mjs", "cjs"),
        refs_query=("javascript.refs.scm", "javascript-only.refs.scm", "jsx.refs.scm"),
        refs=_JS_REFS,
    ),
    LanguageSpec(
        "typescript", (".ts", ".mts", ".cts"), ("tree_sitter_typescript", "language_typescript"),
        "typescript.scm", interpreters=("ts-node", "tsx"), doc_prefixes=("/**",),
        wrapper_types=_TS_WRAPPERS, decorator_types=frozenset({"decorator"}),
        modifier_words=_TS_MODIFIERS, aliases=("ts", "mts", "cts"),
        refs_query=("javascript.refs.scm", "typescript.refs.scm"), refs=_JS_REFS,
    ),
    LanguageSpec(
        "tsx", (".tsx",), ("tree_sitter_typescript", "language_tsx"), "typescript.scm",
        doc_prefixes=("/**",), wrapper_types=_TS_WRAPPERS,
        decorator_types=frozenset({"decorator"}), modifier_words=_TS_MODIFIERS,
        refs_query=("javascript.refs.scm", "jsx.refs.scm", "typescript.refs.scm"),
        refs=_JS_REFS,
    ),
    LanguageSpec(
        "go", (".go",), ("tree_sitter_go", "language"), "go.scm", interpreters=("gorun",),
        exported_by_case=True, modifier_words=frozenset(), aliases=("golang",),
        refs_query=("go.refs.scm",),
        refs=RefRules(package_scope=True, import_style="package", import_separators=("/",),
                      receiver=re.compile(r"func\s*\(\s*(\w+)"),
                      name_is_reference=frozenset({"embedded"})),
    ),
    LanguageSpec(
        "rust", (".rs",), ("tree_sitter_rust", "language"), "rust.scm",
        interpreters=("rust-script", "run-cargo-script", "cargo"),
        doc_prefixes=("///", "/**"),  # `//!` / `/*!` document the enclosing item, not the next
        comment_types=frozenset({"line_comment", "block_comment"}),
        decorator_types=frozenset({"attribute_item"}),
        # `const fn` is marked by the query: the word would tag every `const` item too
        modifier_words=frozenset({"pub", "async", "unsafe", "extern", "default"}),
        aliases=("rs",),
        refs_query=("rust.refs.scm",),
        refs=RefRules(separators=("::", "."), self_names=frozenset({"self", "Self"}),
                      import_style="path", import_separators=("::",),
                      name_is_reference=frozenset({"impl"})),
    ),
    LanguageSpec(
        "java", (".java",), ("tree_sitter_java", "language"), "java.scm",
        interpreters=("java",),  # single-file programs: `#!/usr/bin/java --source 21`
        doc_prefixes=("/**",), comment_types=frozenset({"line_comment", "block_comment"}),
        decorator_types=frozenset({"annotation", "marker_annotation"}),
        # Java's own words only: the text before a name holds qualified types
        # (`jdk.internal.misc.Unsafe`) whose parts must not read as modifiers
        modifier_words=frozenset({"public", "private", "protected", "static", "final",
                                  "abstract", "synchronized", "default", "native", "volatile",
                                  "transient", "strictfp", "sealed", "non-sealed"}),
        refs_query=("java.refs.scm",),
        refs=RefRules(self_names=frozenset({"this"}), super_names=frozenset({"super"}),
                      bare_members=True, package_scope=True, import_style="qualified",
                      import_separators=(".",), implicit_imports=("java.lang",)),
    ),
    LanguageSpec(
        "c", (".c", ".h"), ("tree_sitter_c", "language"), "c.scm",
        wrapper_types=frozenset({"declaration"}),
        modifier_words=frozenset({"static", "extern", "inline", "const", "volatile"}),
        scan=Scan(
            roots=_C_CONTAINERS,
            walk=_C_CONTAINERS | frozenset({"declaration", "type_definition", "field_declaration",
                                            "function_definition", "struct_specifier",
                                            "union_specifier", "enum_specifier"}),
            depth=1,  # translation_unit > declaration (a pattern looks deeper as it needs)
            bodies=(("function_definition", "body"),),
            # statements outside a function: a misparse (a macro broke the function open)
            whole=frozenset({"compound_statement", "if_statement", "for_statement",
                             "while_statement", "do_statement", "switch_statement",
                             "case_statement", "labeled_statement"}),
            # a #define, a typedef, a struct/union/enum body
            marks=(rb"#[ \t]*define", rb"typedef", *_C_TYPE_BODY),
            outside_marks=_C_TYPE_BODY,
        ),
        refs_query=("c.refs.scm",),
        refs=RefRules(separators=(".", "->"), global_names=True, import_style="include",
                      import_separators=("/",), family=("cpp",),
                      declarations=frozenset({"prototype"})),
    ),
    LanguageSpec(
        "cpp", (".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".inl", ".tcc"),
        ("tree_sitter_cpp", "language"), "cpp.scm",
        wrapper_types=frozenset({"template_declaration", "declaration", "field_declaration"}),
        modifier_words=frozenset({"static", "extern", "inline", "virtual", "explicit",
                                  "constexpr", "consteval", "const", "volatile", "mutable",
                                  "friend", "thread_local"}),
        self_named_constructor=True, aliases=("c++", "cxx"),
        refs_query=("c.refs.scm", "cpp.refs.scm"),
        refs=RefRules(separators=("::", ".", "->"), self_names=frozenset({"this"}),
                      bare_members=True, global_names=True, import_style="include",
                      import_separators=("::", "/"), family=("c",),
                      declarations=frozenset({"prototype"})),
    ),
    LanguageSpec(
        "csharp", (".cs",), ("tree_sitter_c_sharp", "language"), "csharp.scm",
        doc_prefixes=("///", "/**"), decorator_types=frozenset({"attribute_list"}),
        modifier_words=frozenset({"public", "private", "protected", "internal", "static",
                                  "abstract", "sealed", "async", "override", "virtual",
                                  "partial", "readonly", "const", "extern", "unsafe",
                                  "volatile", "required", "new"}),
        aliases=("c#", "cs", "c_sharp"),
        refs_query=("csharp.refs.scm",),
        refs=RefRules(self_names=frozenset({"this"}), super_names=frozenset({"base"}),
                      bare_members=True, global_names=True, import_style="qualified",
                      import_separators=(".",)),
    ),
    LanguageSpec(
        "ruby", (".rb", ".rake", ".gemspec", ".ru"), ("tree_sitter_ruby", "language"), "ruby.scm",
        interpreters=("ruby", "jruby", "truffleruby"),
        filenames=("Rakefile", "Gemfile", "Guardfile", "Vagrantfile", "Podfile", "Capfile",
                   "Brewfile"),
        comment_marks=(b"#", b"=end"),
        # `private def x`: the doc comment sits above the `private` call
        wrapper_types=frozenset({"argument_list", "call"}),
        modifier_words=frozenset(), aliases=("rb",),
        # the magic comment (`# encoding: x`, `# -*- coding: x -*-`, `# vim:fileencoding=x`):
        # a comment on line 1, or on line 2 below a `#!` line; `coding` in any case
        encoding_cookie=re.compile(
            rb"(?:#![^\n]*\n)??[ \t]*#[^\n]*?(?i:coding)[ \t]*[:=][ \t]*([-\w]+)"),
        refs_query=("ruby.refs.scm",),
        refs=RefRules(separators=("::", ".", "&."), self_names=frozenset({"self"}),
                      bare_members=True, global_names=True, import_separators=("/",),
                      constructors=frozenset({"new"})),
    ),
    LanguageSpec(
        "php", (".php", ".phtml", ".php5", ".php7", ".phps"), ("tree_sitter_php", "language_php"),
        "php.scm", interpreters=("php",), doc_prefixes=("/**",),
        comment_marks=(b"//", b"*/", b"#"),  # `#` opens a line comment too
        # `declare(encoding='...');`, which must be the file's first statement
        encoding_cookie=re.compile(
            rb"(?i)(?:#![^\n]*\n)??<\?php\s+declare\s*\([^)]*?\bencoding\s*=\s*"
            rb"['\"]([-\w.]+)['\"]"),
        decorator_types=frozenset({"attribute_list"}),
        modifier_words=frozenset({"public", "private", "protected", "static", "abstract", "final",
                                  "readonly"}),
        refs_query=("php.refs.scm",),
        refs=RefRules(separators=("->", "?->", "::", "\\"),
                      self_names=frozenset({"$this", "self", "static"}),
                      super_names=frozenset({"parent"}), global_names=True,
                      import_style="qualified", import_separators=("\\",)),
    ),
)

BY_NAME: dict[str, LanguageSpec] = {spec.name: spec for spec in LANGUAGES}
_ALIASES: dict[str, str] = {}
for _spec in LANGUAGES:
    _ALIASES[_spec.name] = _spec.name
    for _alias in _spec.aliases:
        _ALIASES[_alias] = _spec.name
BY_EXTENSION: dict[str, str] = {ext: s.name for s in LANGUAGES for ext in s.extensions}
BY_FILENAME: dict[str, str] = {fn: s.name for s in LANGUAGES for fn in s.filenames}
BY_INTERPRETER: dict[str, str] = {i: s.name for s in LANGUAGES for i in s.interpreters}


def resolve_language(name: str) -> str:
    """Registry name for a user-given language name; ValueError naming the choices."""
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(
        f"unknown language {name!r}; choose from: {', '.join(s.name for s in LANGUAGES)}"
    )


_CPP_HEADER_HINT = re.compile(
    rb"^\s*(?:class\s+\w+(?:\s+\w+)?\s*(?:final\s*)?[:{;]|namespace\s+[\w:]*\s*\{|"
    rb"template\s*<|public:|private:|protected:|enum\s+class\b|using\s+namespace\b|"
    rb"#\s*include\s*<\w+>)"  # C++ standard headers have no extension
    rb"|\bstd::\w|\bconstexpr\b|\bnullptr\b",
    re.MULTILINE,
)
_SHEBANG = re.compile(rb"^#!\s*(\S+)(?:\s+(?:-\S+\s+)*(\S+))?")


def language_for_path(path: str, head: Optional[bytes] = None) -> Optional[str]:
    """Language of a file from its name, or from `head` (its first bytes) when needed.

    `.h` is C unless the header looks like C++; a file without a known extension is
    detected from a `#!` line. Returns None for files ragex does not index.
    """
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1].lower()
    if ext == ".h":
        if head is not None and _CPP_HEADER_HINT.search(head):
            return "cpp"
        return "c"
    lang = BY_EXTENSION.get(ext) or BY_FILENAME.get(base)
    if lang is not None or ext or head is None:
        return lang
    return language_from_shebang(head)


def language_from_shebang(head: bytes) -> Optional[str]:
    match = _SHEBANG.match(head)
    if not match:
        return None
    prog = os.path.basename(match.group(1).decode("latin-1"))
    if prog == "env" and match.group(2):
        prog = os.path.basename(match.group(2).decode("latin-1"))
    prog = prog.lower()
    if prog in BY_INTERPRETER:
        return BY_INTERPRETER[prog]
    stripped = re.sub(r"[\d.]+$", "", prog)  # python3.11 -> python
    return BY_INTERPRETER.get(stripped)


def needs_head(path: str) -> bool:
    """Whether detection of `path` depends on its content (extensionless or `.h`)."""
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1].lower()
    return ext == ".h" or (not ext and base not in BY_FILENAME)
