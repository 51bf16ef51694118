"""The language registry: one row per language, and file-to-language detection.

What a language contributes is data: a query file in `ragex/queries/` (capture names are
the contract, see `docs/queries.md`) and one `LanguageSpec` row below. The extractor is
generic and holds no per-language code.

Not for: loading grammars or compiling queries (that is `parser_pool`).
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import Optional, Union

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
                   "file" (a file named by a path or dotted name, beside the importer or
                   by its path's tail: Lua `require`, Dart, Zig `@import`), "none"
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
    local_values   a `value` reference may name a local variable: kept only when the file
                   defines or imports its name (or its qualifier's head). False: the row's
                   value patterns capture only names of definitions (Terraform's `var.x`,
                   `local.x`, `module.x`), kept wherever those are defined
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
    local_values: bool = True


@dataclass(frozen=True)
class LanguageSpec:
    name: str
    extensions: tuple[str, ...]
    grammar: tuple[str, str]  # (module, function returning the language pointer)
    # file name in ragex/queries/, or the files it stacks, base first: ("c.scm", "cpp.scm")
    # (docs/queries.md, "Stacked query files"; `query_files` reads either form)
    query: Union[str, tuple[str, ...]]
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
    # editor mode / file-type names besides the name and aliases (Emacs `-*- mode: X -*-`,
    # Vim `ft=X`): `js2`, `shell-script`, `typescriptreact`
    modes: tuple[str, ...] = ()
    # for a row that shares an extension with rows above it (`.h`: C++, Objective-C): text
    # of its files that the others lack; the row whose hint matches earliest in a file's
    # first 8 KB wins, none matching gives the first row (docs/languages.md, "Detection")
    content_hint: Optional[re.Pattern[bytes]] = None
    # where code of other languages is embedded in a file of this one (`<script>`, Markdown
    # fences): a query file (or stack) in ragex/queries/ with tree-sitter's injection
    # captures (docs/languages.md, "Embedded languages"); None: nothing is embedded
    injections: Union[None, str, tuple[str, ...]] = None
    # text the grammar cannot read, masked before the file is parsed: each (pattern, fill)
    # replaces every character of a match but a line break by `fill`, so no position
    # moves; names and signatures are read from the file as written. Objective-C's
    # annotation macros become spaces (as universal-ctags' `-I` ignores them), SCSS's
    # `#{...}` interpolations an identifier the grammar reads (docs/languages.md)
    parse_masks: tuple[tuple[re.Pattern[bytes], bytes], ...] = ()
    # what installs the grammar, named when its module is missing (default: the PyPI
    # package named like the module's top package, `tree_sitter_go` -> tree-sitter-go)
    grammar_install: str = ""
    # references (docs/references.md): the query files of the reference patterns, stacked
    # in order into one query run over the whole tree (`captures`), and how names resolve
    refs_query: tuple[str, ...] = ()
    refs: RefRules = RefRules()
    # a row without reference patterns says why (`ragex status` and docs/references.md
    # show it): data or documents name nothing another file defines; markup's references
    # are those of its embedded code when `refs_embedded` (its <script> code's, resolved
    # with the row's `refs` rules)
    refs_none: str = ""
    refs_embedded: bool = False


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

# what an Objective-C header has and a C or C++ header lacks
_OBJC_HEADER_HINT = re.compile(
    rb"^[ \t]*(?:@(?:interface|protocol|implementation|class)\b|#[ \t]*import\b)"
    rb"|\bNS_ASSUME_NONNULL_BEGIN\b", re.MULTILINE)
# Apple's annotation macros, which tree-sitter-objc reads as types: `NS_ASSUME_NONNULL_BEGIN`
# before an @interface makes the whole interface an error; `API_AVAILABLE(ios(13.0))`
# after a method declaration hides the method
_OBJC_ANNOTATIONS = re.compile(
    rb"\b(?:NS_ASSUME_NONNULL_(?:BEGIN|END)|NS_DESIGNATED_INITIALIZER|NS_REQUIRES_SUPER|"
    rb"NS_REFINED_FOR_SWIFT|NS_UNAVAILABLE|NS_NOESCAPE|DEPRECATED_ATTRIBUTE|"
    rb"UNAVAILABLE_ATTRIBUTE|NS_SWIFT_UI_ACTOR|NS_SWIFT_SENDABLE|"
    rb"(?:NS_SWIFT_NAME|NS_SWIFT_UNAVAILABLE|NS_AVAILABLE(?:_IOS|_MAC)?|"
    rb"NS_DEPRECATED(?:_IOS|_MAC)?|NS_EXTENSION_UNAVAILABLE(?:_IOS|_MAC)?|API_AVAILABLE|"
    rb"API_UNAVAILABLE|API_DEPRECATED(?:_WITH_REPLACEMENT)?|__deprecated_msg)"
    rb"\((?:[^()\n]|\([^()\n]*\))*\))")
# a line that is one upper-case macro from its first column, called or not
# (`RCT_EXTERN_C_BEGIN`, `NS_HEADER_AUDIT_BEGIN(nullability)`, `RCT_MARGIN_PROPERTY(Top,
# TOP)`); an indented one may be the last value of an enum
_OBJC_MACRO_LINE = re.compile(
    rb"^[A-Z][A-Z0-9]*_[A-Z0-9_]*(?:[ \t]*\((?:[^()\n]|\([^()\n]*\))*\))?[ \t]*$",
    re.MULTILINE)
# What tree-sitter-scss 1.0 cannot read: `#{$x}` interpolation in names (`--#{$prefix}bg`,
# `.btn-#{$color}`) becomes `x`s; `!default` / `!global` flags, the `...` of a variadic
# parameter and a selector's leading `>` become spaces; the `%` of `@extend %placeholder`
# and an empty map `()` become `x`s
# PostgreSQL statements tree-sitter-sql 0.3 does not parse (`CREATE`/`ALTER OPERATOR`,
# `OPERATOR CLASS`/`FAMILY`, over several lines up to the `;` ending a line) and psql's
# `\echo` lines: its error recovery lost the statement after one (docs/languages-data.md)
_SQL_UNPARSED = re.compile(
    rb"(?ims)^[ \t]*(?:CREATE|ALTER|DROP)[ \t]+OPERATOR\b.*?;[ \t]*$|^\\echo\b[^\n]*")
# Tab-indented conditional directives and variable assignments (`\tifeq (...)`,
# `\tX := 1`): GNU make ends a rule's recipe at the first line that is neither a recipe line
# nor a conditional, and reads such lines after it as make; tree-sitter-make 1.1 keeps a
# recipe open across every conditional after a rule and reads them as recipe lines, and its
# conditionals then lose their balance (the kernel's top Makefile). No shell command looks
# like these, and a continued command's line (after a backslash) is left, so their tab
# becomes a space (docs/languages-data.md, "Known gaps")
_MAKE_TABBED = re.compile(
    rb"(?m)(?<!\\\n)^\t[ \t]*(?=(?:ifeq|ifneq|ifdef|ifndef|else|endif)\b"
    rb"|(?:override[ \t]+)?[A-Za-z_.][\w.-]*[ \t]*(?::{1,3}=|[+?!]=|[ \t]=))")
# A variable whose name is computed (`obj-$(CONFIG_X) := y.o`, the kernel's idiom):
# tree-sitter-make 1.1 reads `name-$(X) :=` as a rule `name-$(X):` and an error, and its
# conditionals then lose their balance. Each `$(...)` or `${...}` of such a name becomes
# `x`s (twice: a name may hold two); the name is still read from the file as written
_MAKE_COMPUTED_NAME = re.compile(
    rb"(?m)^ *[\w.-]*(\$[({][\w.-]+[)}])(?=[\w.${}()-]*[ \t]*(?::{1,3}=|[+?!]?=))")
# proto2 groups (`optional group Result = 1 { ... }`, deprecated), which the Protobuf grammar
# does not parse (its error recovery lost the rest of the message): the header and its
# closing brace (a body without braces) become spaces, so the group's fields read as
# fields of the message around it (docs/languages-data.md)
_PROTO_GROUP_HEAD = rb"(?m)^[ \t]*(?:optional|required|repeated)[ \t]+group\b[^{}\n;]*\{"
_PROTO_GROUPS = ((re.compile(_PROTO_GROUP_HEAD + rb"[^{}]*(\})"), b" "),
                 (re.compile(_PROTO_GROUP_HEAD), b" "))
_SCSS_MASKS = (
    (re.compile(rb"#\{[^{}\n]*\}"), b"x"),
    (re.compile(rb"!(?:default|global)\b"), b" "),
    (re.compile(rb"@extend[ \t]+(%)"), b"x"),  # (a group: only it is masked)
    (re.compile(rb"\.\.\.(?=[ \t]*[),])"), b" "),  # `@function f($args...)`
    (re.compile(rb"\(\)(?=[ \t]*(?:!default[ \t]*)?;)"), b"x"),  # an empty map: `$m: ();`
    # a nested selector opening with a child combinator (`> .a, > .b {`)
    (re.compile(rb"^[ \t]*>", re.MULTILINE), b" "),
    (re.compile(rb",([ \t]*>)"), b" "),
)
# what a C++ header has and a C header lacks (a `.h` is C unless its text looks so)
_CPP_HEADER_HINT = re.compile(
    rb"^\s*(?:class\s+\w+(?:\s+\w+)?\s*(?:final\s*)?[:{;]|namespace\s+[\w:]*\s*\{|"
    rb"template\s*<|public:|private:|protected:|enum\s+class\b|using\s+namespace\b|"
    rb"#\s*include\s*<\w+>)"  # C++ standard headers have no extension
    rb"|\bstd::\w|\bconstexpr\b|\bnullptr\b",
    re.MULTILINE,
)
# why data and markup rows have no reference patterns (`LanguageSpec.refs_none`)
_DATA_REFS = ("data: keys and values name nothing another file defines (a string that "
              "happens to be a path or a name is not read as one)")
_MARKUP_REFS = ("markup: an element names no definition; the references are those of its "
                "embedded <script> code")
# JavaScript, TypeScript and TSX import each other's files
_JS_REFS = RefRules(separators=(".", "?."), self_names=frozenset({"this"}),
                    super_names=frozenset({"super"}), import_style="module",
                    global_names=True, family=("javascript", "typescript", "tsx"))

# OCaml: `M.f`, `obj#m`; a file's module is seen from every other file by its name
_OCAML_REFS = RefRules(separators=(".", "#"), global_names=True)

LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec(
        "python", (".py", ".pyi", ".pyw"), ("tree_sitter_python", "language"), "python.scm",
        interpreters=("python", "python2", "python3", "pypy", "pypy3"),
        doc_style="docstring", comment_marks=(b"#",),
        wrapper_types=frozenset({"decorated_definition"}),
        decorator_types=frozenset({"decorator"}), modifier_words=frozenset({"async"}),
        constant_by_case=True, module_from_path=True, aliases=("py",), modes=("python3", "py3"),
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
        ("ecmascript.scm", "javascript.scm"), interpreters=("node", "nodejs", "deno", "bun"),
        doc_prefixes=("/**",),
        wrapper_types=frozenset({"export_statement", "lexical_declaration", "variable_declaration"}),
        decorator_types=frozenset({"decorator"}), modifier_words=_JS_MODIFIERS,
        aliases=("js", "jsx", "mjs", "cjs"),
        modes=("js2", "rjsx", "ecmascript", "babel", "node", "javascriptreact"),
        refs_query=("javascript.refs.scm", "javascript-only.refs.scm", "jsx.refs.scm"),
        refs=_JS_REFS,
    ),
    LanguageSpec(
        "typescript", (".ts", ".mts", ".cts"), ("tree_sitter_typescript", "language_typescript"),
        ("ecmascript.scm", "typescript.scm"), interpreters=("ts-node", "tsx"),
        doc_prefixes=("/**",),
        wrapper_types=_TS_WRAPPERS, decorator_types=frozenset({"decorator"}),
        modifier_words=_TS_MODIFIERS, aliases=("ts", "mts", "cts"),
        refs_query=("javascript.refs.scm", "typescript.refs.scm"), refs=_JS_REFS,
    ),
    LanguageSpec(
        "tsx", (".tsx",), ("tree_sitter_typescript", "language_tsx"),
        ("ecmascript.scm", "typescript.scm"),
        doc_prefixes=("/**",), wrapper_types=_TS_WRAPPERS,
        decorator_types=frozenset({"decorator"}), modifier_words=_TS_MODIFIERS,
        modes=("typescriptreact",),
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
        "c", (".c", ".h"), ("tree_sitter_c", "language"), ("c_family.scm", "c.scm"),
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
        "cpp", (".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".inl", ".tcc",
                ".h"),
        ("tree_sitter_cpp", "language"), ("c_family.scm", "cpp.scm"),
        content_hint=_CPP_HEADER_HINT,
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
    # ---- markup, styles, documents and Objective-C (docs/languages.md)
    LanguageSpec(
        "objc", (".m", ".mm", ".h"), ("tree_sitter_objc", "language"),
        ("c_family.scm", "c.scm", "objc.scm"), content_hint=_OBJC_HEADER_HINT,
        parse_masks=((_OBJC_ANNOTATIONS, b" "), (_OBJC_MACRO_LINE, b" ")),
        wrapper_types=frozenset({"declaration"}),
        modifier_words=frozenset({"static", "extern", "inline", "const", "volatile"}),
        aliases=("objective-c", "objectivec", "obj-c"), modes=("objcpp", "objc++"),
        refs_query=("c.refs.scm", "objc.refs.scm"),
        # C's rules (its includes, its linker's global names) with `self` and `super`
        refs=RefRules(separators=(".", "->"), self_names=frozenset({"self"}),
                      super_names=frozenset({"super"}), bare_members=True, global_names=True,
                      import_style="include", import_separators=("/",),
                      family=("c", "cpp"), declarations=frozenset({"prototype"})),
    ),
    LanguageSpec(
        "html", (".html", ".htm", ".xhtml", ".shtml"), ("tree_sitter_html", "language"),
        "html.scm", injections="markup_injections.scm", comment_types=frozenset(),
        modifier_words=frozenset(), aliases=("htm",), modes=("mhtml", "xhtml", "html5"),
        refs_none=_MARKUP_REFS, refs_embedded=True, refs=_JS_REFS,
    ),
    LanguageSpec(
        "css", (".css",), ("tree_sitter_css", "language"), "css.scm",
        comment_marks=(b"*/", b"//"), comment_types=frozenset({"comment", "js_comment"}),
        modifier_words=frozenset(), modes=("postcss",),
        refs_query=("css.refs.scm",),
        # custom properties cascade from any stylesheet: `var(--x)` names no local
        refs=RefRules(global_names=True, import_style="include", import_separators=("/",),
                      local_values=False),
    ),
    LanguageSpec(
        "scss", (".scss",), ("tree_sitter_scss", "language"), ("css.scm", "scss.scm"),
        parse_masks=_SCSS_MASKS,
        modifier_words=frozenset(),
        comment_types=frozenset({"comment", "js_comment"}), comment_marks=(b"//", b"*/"),
        refs_query=("css.refs.scm", "scss.refs.scm"),
        # `@use "x"` names a module file (`x.scss`); mixins, functions and variables of
        # the files it uses are visible
        refs=RefRules(global_names=True, import_style="file", import_separators=("/",)),
    ),
    LanguageSpec(
        "markdown", (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn"),
        ("tree_sitter_markdown", "language"), "markdown.scm",
        injections="markdown_injections.scm", comment_types=frozenset(),
        modifier_words=frozenset(), aliases=("md",), modes=("gfm", "mkd"),
        refs_none="documentation: a link names a file or a heading's anchor (`#install`), not "
                  "a definition's name; fenced code is examples, not the project's calls",
    ),
    LanguageSpec(
        "vue", (".vue",), ("tree_sitter_html", "language"), ("html.scm", "component.scm"),
        injections="markup_injections.scm", comment_types=frozenset(),
        modifier_words=frozenset(),
        refs_none=_MARKUP_REFS, refs_embedded=True, refs=_JS_REFS,
    ),
    LanguageSpec(
        "svelte", (".svelte",), ("tree_sitter_svelte", "language"), ("html.scm", "component.scm"),
        injections="markup_injections.scm", comment_types=frozenset(),
        modifier_words=frozenset(),
        refs_none=_MARKUP_REFS, refs_embedded=True, refs=_JS_REFS,
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
    # --- languages added as data (forty-languages issue) ---
    LanguageSpec(
        "kotlin", (".kt", ".kts"), ("tree_sitter_kotlin", "language"), "kotlin.scm",
        interpreters=("kotlin", "kotlinc"), doc_prefixes=("/**",),
        comment_types=frozenset({"line_comment", "block_comment"}),
        decorator_types=frozenset({"annotation"}),
        modifier_words=frozenset({"public", "private", "protected", "internal", "open",
                                  "abstract", "final", "sealed", "data", "inner", "override",
                                  "const", "lateinit", "suspend", "inline", "operator", "infix",
                                  "tailrec", "external", "expect", "actual", "value"}),
        aliases=("kt",),
        refs_query=("kotlin.refs.scm",),
        refs=RefRules(self_names=frozenset({"this"}), super_names=frozenset({"super"}),
                      bare_members=True, package_scope=True, import_style="qualified",
                      import_separators=(".",)),
    ),
    LanguageSpec(
        "swift", (".swift",), ("tree_sitter_swift", "language"), "swift.scm",
        interpreters=("swift",), doc_prefixes=("///", "/**"),
        comment_types=frozenset({"comment", "multiline_comment"}),
        decorator_types=frozenset({"attribute"}),
        modifier_words=frozenset({"public", "private", "fileprivate", "internal", "open",
                                  "static", "final", "override", "mutating",
                                  "nonmutating", "async", "lazy", "weak", "unowned",
                                  "dynamic", "required", "convenience", "indirect",
                                  "nonisolated", "isolated"}),
        refs_query=("swift.refs.scm",),
        # a module's files see each other's names without an import; `import M` names a
        # module, not a file (no import style)
        refs=RefRules(self_names=frozenset({"self"}), super_names=frozenset({"super"}),
                      bare_members=True, global_names=True, import_separators=(".",),
                      name_is_reference=frozenset({"extension"})),
    ),
    LanguageSpec(
        "scala", (".scala", ".sc"), ("tree_sitter_scala", "language"), "scala.scm",
        interpreters=("scala", "scala-cli", "amm"), doc_prefixes=("/**",),
        comment_types=frozenset({"comment", "block_comment"}),
        decorator_types=frozenset({"annotation"}),
        modifier_words=frozenset({"private", "protected", "abstract", "final", "sealed",
                                  "implicit", "lazy", "override", "inline", "opaque",
                                  "transparent", "open", "infix"}),
        refs_query=("scala.refs.scm",),
        refs=RefRules(self_names=frozenset({"this"}), super_names=frozenset({"super"}),
                      bare_members=True, package_scope=True, import_style="qualified",
                      import_separators=(".",)),
    ),
    LanguageSpec(
        "bash", (".sh", ".bash", ".ksh", ".zsh"),
        ("tree_sitter_bash", "language"), "bash.scm",
        interpreters=("sh", "bash", "dash", "ksh", "zsh", "ash"),
        filenames=(".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile",
                   ".zshrc", ".zprofile", ".zshenv", "PKGBUILD", "APKBUILD"),
        comment_marks=(b"#",), modifier_words=frozenset({"export", "readonly"}),
        aliases=("sh", "shell", "zsh"),
        refs_query=("bash.refs.scm",),
        # functions and variables are global once defined or sourced
        refs=RefRules(global_names=True, import_style="include", import_separators=("/",)),
    ),
    LanguageSpec(
        "lua", (".lua",), ("tree_sitter_lua", "language"), "lua.scm",
        interpreters=("lua", "luajit", "texlua"), comment_marks=(b"--", b"]]"),
        # `local f = function() end`: the `local` and the doc comment are the wrapper's
        wrapper_types=frozenset({"variable_declaration"}), modifier_words=frozenset({"local"}),
        refs_query=("lua.refs.scm",),
        # `require "a.b"` names the file a/b.lua (or a/b/init.lua) below a search root
        refs=RefRules(separators=(".", ":"), self_names=frozenset({"self"}),
                      global_names=True, import_style="file", import_separators=(".",)),
    ),
    LanguageSpec(
        "elixir", (".ex", ".exs"), ("tree_sitter_elixir", "language"), "elixir.scm",
        interpreters=("elixir", "iex"), comment_marks=(b"#",), modifier_words=frozenset(),
        aliases=("ex", "exs"),
        refs_query=("elixir.refs.scm",),
        # modules are named in full from anywhere (`MyApp.Repo`); `alias` shortens a name
        refs=RefRules(global_names=True, import_style="qualified", import_separators=(".",),
                      name_is_reference=frozenset({"defimpl"})),
    ),
    LanguageSpec(
        "haskell", (".hs", ".hs-boot", ".hsig"), ("tree_sitter_haskell", "language"),
        "haskell.scm", interpreters=("runhaskell", "runghc", "stack", "cabal"),
        comment_types=frozenset({"comment", "haddock"}), comment_marks=(b"--", b"-}"),
        modifier_words=frozenset(), aliases=("hs",),
        refs_query=("haskell.refs.scm",),
        # names are qualified by their module (`Data.Shapes.area`): imports name modules
        refs=RefRules(import_style="qualified", import_separators=(".",)),
    ),
    LanguageSpec(
        "ocaml", (".ml",), ("tree_sitter_ocaml", "language_ocaml"), "ocaml.scm",
        interpreters=("ocaml", "ocamlrun"), comment_marks=(b"*)",),
        # `let`/`type ... and ...`: the doc comment sits above the whole declaration
        wrapper_types=frozenset({"value_definition", "type_definition", "module_definition",
                                 "class_definition"}),
        modifier_words=frozenset({"rec", "mutable", "private", "virtual"}), aliases=("ml",),
        refs_query=("ocaml.refs.scm",),
        # a module is its file (`shapes.ml` is `Shapes`), seen from anywhere by that name
        refs=_OCAML_REFS,
    ),
    LanguageSpec(
        "ocaml_interface", (".mli",), ("tree_sitter_ocaml", "language_ocaml_interface"),
        "ocaml.scm", comment_marks=(b"*)",),
        wrapper_types=frozenset({"value_definition", "type_definition", "module_definition",
                                 "class_definition"}),
        modifier_words=frozenset({"rec", "mutable", "private", "virtual"}), aliases=("mli",),
        refs_query=("ocaml.refs.scm",),
        # a module is its file (`shapes.ml` is `Shapes`), seen from anywhere by that name
        refs=_OCAML_REFS,
    ),
    LanguageSpec(
        "zig", (".zig",), ("tree_sitter_zig", "language"), "zig.scm",
        doc_prefixes=("///",),  # `//!` documents the enclosing container, not the next item
        modifier_words=frozenset({"pub", "export", "extern", "inline", "noinline", "comptime",
                                  "threadlocal", "packed"}),
        refs_query=("zig.refs.scm",),
        # `@import("x.zig")` names a file relative to the importer (`std` is outside)
        refs=RefRules(import_style="file", import_separators=("/",)),
    ),
    LanguageSpec(
        "dart", (".dart",), ("tree_sitter_dart", "language"), "dart.scm",
        interpreters=("dart",), doc_prefixes=("///", "/**"),
        comment_types=frozenset({"comment", "documentation_comment"}),
        decorator_types=frozenset({"annotation"}),
        modifier_words=frozenset({"static", "abstract", "final", "const", "late", "external",
                                  "factory", "covariant", "sealed", "base", "interface"}),
        refs_query=("dart.refs.scm",),
        # `import 'src/x.dart'` names a file, relative to the importer or, for
        # `package:p/x.dart`, below a package's `lib/` (`file` matches its tail)
        refs=RefRules(separators=(".", "?."), self_names=frozenset({"this"}),
                      super_names=frozenset({"super"}), bare_members=True,
                      import_style="file", import_separators=("/",)),
    ),
    LanguageSpec(
        "julia", (".jl",), ("tree_sitter_julia", "language"), "julia.scm",
        interpreters=("julia",), comment_types=frozenset({"line_comment", "block_comment"}),
        comment_marks=(b"#", b"=#"), modifier_words=frozenset({"mutable"}), aliases=("jl",),
        refs_query=("julia.refs.scm",),
        # a module is seen by name from anywhere (a package's, or one `include`d here);
        # `include("x.jl")` reads a file beside the includer
        refs=RefRules(global_names=True, import_style="include", import_separators=(".",)),
    ),
    LanguageSpec(
        "perl", (".pl", ".pm", ".t", ".psgi"), ("tree_sitter_perl", "language"), "perl.scm",
        interpreters=("perl", "perl5"), filenames=("Makefile.PL", "Build.PL", "cpanfile"),
        comment_marks=(b"#",), modifier_words=frozenset({"our", "my", "state", "local"}),
        aliases=("pl", "pm"),
        refs_query=("perl.refs.scm",),
        # packages are named in full from anywhere (`A::B`); `use A::B` names one
        refs=RefRules(separators=("->", "::"), self_names=frozenset({"$self", "$class"}),
                      global_names=True, import_style="qualified", import_separators=("::",)),
    ),
    LanguageSpec(
        "powershell", (".ps1", ".psm1", ".psd1"), ("tree_sitter_powershell", "language"),
        "powershell.scm", interpreters=("pwsh", "powershell"), comment_marks=(b"#",),
        modifier_words=frozenset({"static", "hidden"}), self_named_constructor=True,
        aliases=("ps1", "pwsh", "posh"),
        refs_query=("powershell.refs.scm",),
        # functions are global once defined or dot-sourced
        refs=RefRules(separators=(".", "::"), self_names=frozenset({"$this"}),
                      bare_members=True, global_names=True, import_style="include",
                      import_separators=("/", "\\")),
    ),
    LanguageSpec(
        "sql", (".sql", ".ddl"), ("tree_sitter_sql", "language"), "sql.scm",
        comment_types=frozenset({"comment", "marginalia"}), comment_marks=(b"--", b"*/"),
        wrapper_types=frozenset({"statement"}),
        modifier_words=frozenset({"temporary", "temp", "unlogged", "materialized"}),
        parse_masks=((_SQL_UNPARSED, b" "),),
        refs_query=("sql.refs.scm",),
        # a database's objects are seen by name from every script (`schema.` qualifies)
        refs=RefRules(global_names=True),
    ),
    LanguageSpec(
        "hcl", (".tf", ".tfvars", ".hcl", ".nomad"), ("tree_sitter_hcl", "language"),
        "hcl.scm", comment_marks=(b"#", b"//", b"*/"), modifier_words=frozenset(),
        aliases=("terraform", "tf"),
        refs_query=("hcl.refs.scm",),
        # a module's files (a directory) share their names; `var.x` names no local
        refs=RefRules(global_names=True, package_scope=True, local_values=False),
    ),
    LanguageSpec(
        "dockerfile", (".dockerfile", ".containerfile"), ("tree_sitter_dockerfile", "language"),
        "dockerfile.scm", filenames=("Dockerfile", "Containerfile"), comment_marks=(b"#",),
        modifier_words=frozenset(), aliases=("docker", "containerfile"),
        refs_query=("dockerfile.refs.scm",),
        refs=RefRules(),  # a stage is named by its `AS` alias in the same file
    ),
    LanguageSpec(
        "make", (".mk", ".mak", ".make"), ("tree_sitter_make", "language"), "make.scm",
        interpreters=("make", "gmake"),
        filenames=("Makefile", "makefile", "GNUmakefile", "Kbuild", "Makefile.am", "Makefile.in"),
        comment_marks=(b"#",), wrapper_types=frozenset({"export_directive"}),
        modifier_words=frozenset({"export", "override", "private"}),
        parse_masks=((_MAKE_TABBED, b" "), (_MAKE_COMPUTED_NAME, b"x"),
                     (_MAKE_COMPUTED_NAME, b"x")),
        aliases=("makefile", "gmake"),
        refs_query=("make.refs.scm",),
        # targets and variables are global to a make run; `include` reads a file
        refs=RefRules(global_names=True, import_style="include", import_separators=("/",)),
    ),
    LanguageSpec(
        "cmake", (".cmake",), ("tree_sitter_cmake", "language"), "cmake.scm",
        filenames=("CMakeLists.txt",),
        comment_types=frozenset({"line_comment", "bracket_comment"}), comment_marks=(b"#", b"]"),
        modifier_words=frozenset(),
        refs_query=("cmake.refs.scm",),
        # functions, macros and variables are global once defined or included
        refs=RefRules(global_names=True, import_style="file", import_separators=("/",)),
    ),
    LanguageSpec(
        "yaml", (".yaml", ".yml"), ("tree_sitter_yaml", "language"), "yaml.scm",
        filenames=(".clang-format", ".clang-tidy"), comment_marks=(b"#",),
        modifier_words=frozenset(), aliases=("yml",),
        refs_none=_DATA_REFS,
    ),
    LanguageSpec(
        "toml", (".toml",), ("tree_sitter_toml", "language"), "toml.scm",
        filenames=("Cargo.lock", "Pipfile", "poetry.lock", "uv.lock"), comment_marks=(b"#",),
        modifier_words=frozenset(),
        refs_none=_DATA_REFS,
    ),
    LanguageSpec(
        "json", (".json", ".jsonc", ".geojson", ".webmanifest"),
        ("tree_sitter_json", "language"), "json.scm",
        filenames=(".babelrc", ".eslintrc", ".prettierrc", "composer.lock", "flake.lock"),
        modifier_words=frozenset(),
        refs_none=_DATA_REFS,
    ),
    # R and Protocol Buffers: no wheel of their own on PyPI; their grammars come from
    # tree-sitter-language-pack 0.13.0 (the `r-proto` extra; docs/languages-data.md)
    LanguageSpec(
        "r", (".r",), ("tree_sitter_language_pack.bindings.r", "language"), "r.scm",
        interpreters=("Rscript", "R"), filenames=(".Rprofile", "Rprofile"),
        comment_marks=(b"#",), modifier_words=frozenset(), aliases=("rscript", "splus"),
        modes=("ess-r",),
        grammar_install="pip install 'ragex[r-proto]'",
        # an R package's files share one namespace; `library(x)` and `source()` name
        # packages and files, not qualified names
        refs_query=("r.refs.scm",),
        refs=RefRules(separators=("$", "::"), self_names=frozenset({"self"}),
                      global_names=True, import_style="none"),
    ),
    LanguageSpec(
        "protobuf", (".proto",), ("tree_sitter_language_pack.bindings.proto", "language"),
        "protobuf.scm", modifier_words=frozenset({"repeated", "optional", "required", "stream"}),
        parse_masks=_PROTO_GROUPS,
        aliases=("proto", "proto3"),
        grammar_install="pip install 'ragex[r-proto]'",
        # `import "a/b.proto"` makes that file's definitions visible, as an `#include`;
        # a file sees the definitions of its own package (`package a.b;`) in other files
        refs_query=("protobuf.refs.scm",),
        refs=RefRules(import_style="include", package_scope=True),
    ),
    # --- end of the languages added as data ---
)

BY_NAME: dict[str, LanguageSpec] = {spec.name: spec for spec in LANGUAGES}
_ALIASES: dict[str, str] = {}
for _spec in LANGUAGES:
    _ALIASES[_spec.name] = _spec.name
    for _alias in _spec.aliases:
        _ALIASES[_alias] = _spec.name
# an extension several rows list (`.h`: C, C++, Objective-C) maps to the first of them here;
# `AMBIGUOUS_EXTENSIONS` names them all, and the content decides (`language_for_path`)
BY_EXTENSION: dict[str, str] = {}
for _spec in LANGUAGES:
    for _ext in _spec.extensions:
        BY_EXTENSION.setdefault(_ext, _spec.name)
AMBIGUOUS_EXTENSIONS: dict[str, tuple[str, ...]] = {
    ext: names for ext, names in
    ((ext, tuple(s.name for s in LANGUAGES if ext in s.extensions)) for ext in BY_EXTENSION)
    if len(names) > 1}
_GLOB = re.compile(r"[*?\[]")


def filename_tables(specs) -> tuple[dict[str, str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The rows' `filenames`: exact names (`Makefile`, `CMakeLists.txt`, `.bashrc`) -> row,
    and the patterns among them (`Dockerfile.*`: `*`, `?` or `[`) as regular expressions."""
    exact = {fn: s.name for s in specs for fn in s.filenames if not _GLOB.search(fn)}
    globs = tuple((re.compile(fnmatch.translate(fn)), s.name) for s in specs
                  for fn in s.filenames if _GLOB.search(fn))
    return exact, globs


# file-name patterns (`Dockerfile.*`) are tried after the exact names and the extension
BY_FILENAME, _FILENAME_GLOBS = filename_tables(LANGUAGES)
BY_INTERPRETER: dict[str, str] = {i.lower(): s.name for s in LANGUAGES for i in s.interpreters}
# editor mode and file-type names (Emacs `-*- mode: X -*-`, Vim `ft=X`), lower case: each
# row's own `modes`, then its name and aliases
BY_MODE: dict[str, str] = {}
for _spec in LANGUAGES:
    for _mode in _spec.modes:
        BY_MODE.setdefault(_mode.lower(), _spec.name)
for _spec in LANGUAGES:
    for _mode in (_spec.name, *_spec.aliases):
        BY_MODE.setdefault(_mode.lower(), _spec.name)


def query_files(spec: LanguageSpec) -> tuple[str, ...]:
    """The query files a row stacks, base first (a single file is a stack of one)."""
    return (spec.query,) if isinstance(spec.query, str) else tuple(spec.query)


def injection_files(spec: LanguageSpec) -> tuple[str, ...]:
    """The injection query files a row stacks, base first (none: nothing is embedded)."""
    if spec.injections is None:
        return ()
    return (spec.injections,) if isinstance(spec.injections, str) else tuple(spec.injections)


def language_from_tag(tag: str) -> Optional[str]:
    """Registry name for how a host file names embedded code: a Markdown fence's info
    string (`python`, `{.py}`, `js title="x"`), a `lang` or `type` attribute (`ts`,
    `text/typescript`, `application/javascript`, `text/x-scss`), or None."""
    words = tag.strip().strip("{}").split()
    if not words:
        return None
    key = words[0].lstrip(".").lower()
    if "/" in key:  # a media type: its subtype, less `x-` and a `+json`-like base
        key = key.split("/", 1)[1].split(";", 1)[0]
        key = key[2:] if key.startswith("x-") else key
        key = key.rsplit("+", 1)[-1]
    return language_from_mode(key)


def resolve_language(name: str) -> str:
    """Registry name for a user-given language name; ValueError naming the choices."""
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(
        f"unknown language {name!r}; choose from: {', '.join(s.name for s in LANGUAGES)}"
    )


def language_by_name(path: str) -> Optional[str]:
    """Language of a file from its name alone: an exact file name of a row (`Makefile`,
    `CMakeLists.txt`, `.bashrc`), else its extension (an ambiguous one gives its first
    row: `.h` is C), else a file-name pattern (`Dockerfile.*`). None: not by name."""
    base = path.rsplit("/", 1)[-1].rsplit(os.sep, 1)[-1]
    lang = BY_FILENAME.get(base)
    if lang is not None:
        return lang
    dot = base.rfind(".")
    if dot > 0:
        lang = BY_EXTENSION.get(base[dot:].lower())
        if lang is not None:
            return lang
    for pattern, name in _FILENAME_GLOBS:
        if pattern.match(base):
            return name
    return None


def language_for_path(path: str, head: Optional[bytes] = None,
                      tail: Optional[bytes] = None) -> Optional[str]:
    """Language of a file from its name, or from its content when the name does not decide.

    `head` is the file's first bytes, `tail` its last (an Emacs local-variables block or a
    Vim modeline at the end). By name first (`language_by_name`). An extension several rows
    share (`.h`) is decided from the content: an editor modeline naming one of them, else
    the row whose `content_hint` matches earliest in `head`, else the first row (C). A file
    not named by its name is detected from a `#!` line, else from an editor modeline
    (docs/languages.md, "Detection"). Returns None for files ragex does not index.
    """
    base = os.path.basename(path)
    lang = language_by_name(base)
    if lang is not None:
        candidates = AMBIGUOUS_EXTENSIONS.get(os.path.splitext(base)[1].lower())
        if candidates is None or head is None or base in BY_FILENAME:
            return lang
        return _decide_among(candidates, head, tail)
    if head is None:
        return None
    return language_from_shebang(head) or language_from_modeline(head, tail)


def _decide_among(candidates: tuple[str, ...], head: bytes, tail: Optional[bytes]) -> str:
    moded = language_from_modeline(head, tail)
    if moded in candidates:
        return moded
    best, best_at = candidates[0], None
    for name in candidates[1:]:
        hint = BY_NAME[name].content_hint
        found = hint.search(head) if hint is not None else None
        if found is not None and (best_at is None or found.start() < best_at):
            best, best_at = name, found.start()
    return best


# `env` options that take a value as the next word (GNU coreutils, BSD)
_ENV_VALUE_OPTIONS = frozenset({"-u", "--unset", "-C", "--chdir", "-P", "-a", "--argv0"})


def language_from_shebang(head: bytes) -> Optional[str]:
    """Language named by a `#!` line: its program, or the program `env` runs (after env's
    options, `NAME=value` settings and `-S`/`--split-string`), with a trailing version
    dropped (`python3.11`, `perl5.36`)."""
    if not head.startswith(b"#!"):
        return None
    line = head[2:].split(b"\n", 1)[0].decode("latin-1").strip()
    words = line.split()
    if not words:
        return None
    prog = os.path.basename(words[0])
    if prog == "env":
        rest = words[1:]
        while rest:
            word = rest.pop(0)
            if word in ("-S", "--split-string"):
                continue  # the rest of the line is split into words: already done
            if word.startswith("-S") and len(word) > 2:  # `-Sdeno run`
                rest.insert(0, word[2:])
            elif word.startswith("--split-string="):
                rest.insert(0, word.split("=", 1)[1])
            elif word in _ENV_VALUE_OPTIONS:
                rest = rest[1:]
            elif word.startswith("-") or ("=" in word and not word.startswith("/")):
                continue  # `-i`, `--ignore-environment`, `--unset=X`, `NAME=value`
            else:
                prog = os.path.basename(word)
                break
        else:
            return None
    prog = prog.lower()
    if prog in BY_INTERPRETER:
        return BY_INTERPRETER[prog]
    stripped = re.sub(r"-?[\d.]+$", "", prog)  # python3.11 -> python
    return BY_INTERPRETER.get(stripped)


# Emacs: `-*- mode: ruby -*-` or `-*- ruby -*-` on the first line (the second after `#!`);
# a `Local Variables:` block in the last 3000 bytes naming `mode: X`
_EMACS_LINE = re.compile(rb"-\*-[ \t]*(.*?)[ \t]*-\*-")
_EMACS_MODE = re.compile(rb"(?:^|;)[ \t]*mode[ \t]*:[ \t]*([^;\s]+)", re.IGNORECASE)
_EMACS_LOCALS = re.compile(rb"Local Variables:[ \t]*\r?\n(.*?)\bEnd:", re.DOTALL)
_EMACS_LOCAL_MODE = re.compile(rb"^\W*mode:[ \t]*([^\s;]+)", re.MULTILINE | re.IGNORECASE)
# Vim: `vim: set ft=python:`, `vi: ft=perl`, `ex: syntax=sh` in the first or last 5 lines,
# after white space or at the start of a line (as Vim reads `modeline`)
_VIM_LINE = re.compile(rb"(?:^|[ \t])(?:vi|vim[<=>]?\d*|Vim|ex):[ \t]*(?:se(?:t)?[ \t]+)?(.*)")
_VIM_TYPE = re.compile(rb"(?:^|[ \t:])(?:ft|filetype|syn|syntax)=([\w.+-]+)")


def language_from_modeline(head: bytes, tail: Optional[bytes] = None) -> Optional[str]:
    """Language named by an Emacs or Vim modeline in the file's first lines (`head`) or its
    last lines (`tail`; `head` is used when the file is that short), or None."""
    lines = head.split(b"\n", 6)[:6]
    first = lines[1] if lines and lines[0].startswith(b"#!") and len(lines) > 1 else \
        (lines[0] if lines else b"")
    found = _EMACS_LINE.search(first)
    if found:
        inside = found.group(1)
        mode = _EMACS_MODE.search(inside) if b":" in inside else None
        name = mode.group(1) if mode else (inside if b":" not in inside else None)
        if name:
            return language_from_mode(name.decode("latin-1"))
    end = head if tail is None else tail
    last = end[-3000:]
    locals_ = _EMACS_LOCALS.search(last)
    if locals_:
        mode = _EMACS_LOCAL_MODE.search(locals_.group(1))
        if mode:
            return language_from_mode(mode.group(1).decode("latin-1"))
    end_lines = end.rstrip(b"\n").rsplit(b"\n", 5)[-5:]
    for line in lines[:5] + end_lines:
        vim = _VIM_LINE.search(line)
        if vim:
            kind = _VIM_TYPE.search(vim.group(1))
            if kind:
                return language_from_mode(kind.group(1).decode("latin-1"))
    return None


def language_from_mode(mode: str) -> Optional[str]:
    """Registry name for an editor mode or file type (`c++`, `python-ts-mode`, `js2`,
    `typescriptreact`), or None."""
    key = mode.strip().lower()
    for suffix in ("-ts-mode", "-mode", "-ts"):
        if key.endswith(suffix):
            key = key[:-len(suffix)]
            break
    return BY_MODE.get(key)


def needs_head(path: str) -> bool:
    """Whether detection of `path` depends on its content: an extension several rows share
    (`.h`), or a name that decides nothing (no extension, no known file name)."""
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1].lower()
    if base in BY_FILENAME:
        return False
    return ext in AMBIGUOUS_EXTENSIONS or (not ext and language_by_name(base) is None)
