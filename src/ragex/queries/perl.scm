; Perl definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; `package A::B;` names the rest of the file (a later one replaces it), and so does
; `package A::B { ... }`: its name is absolute, not nested in the package before it. (The
; file-scope rule has no end: code after such a block is reported under it, where Perl
; goes back to the package before the block.)
(package_statement name: (package) @name (block) @body
  (#set! native_kind "package") (#set! scope "file") (#set! name_path "true")) @definition.package
(package_statement name: (package) @name
  (#set! native_kind "package") (#set! scope "file") (#set! name_path "true")) @definition.package

; A forward declaration `sub name;` defines nothing.
(subroutine_declaration_statement name: (bareword) @name !body (#set! skip "true")) @definition.function
(subroutine_declaration_statement name: (bareword) @name body: (block) @body
  (#set! native_kind "sub")) @definition.function
(method_declaration_statement name: (bareword) @name body: (block) @body
  (#set! native_kind "method")) @definition.method
(class_statement name: (package) @name (block)? @body
  (#set! native_kind "class") (#set! name_path "true")) @definition.class

; `use constant NAME => ...` and `use constant { A => 1, B => 2 }`.
(use_statement module: (package) @_m (list_expression . (autoquoted_bareword) @name)
  (#eq? @_m "constant") (#set! native_kind "use constant")) @definition.constant
(use_statement module: (package) @_m
  (anonymous_hash_expression (list_expression (autoquoted_bareword) @name))
  (#eq? @_m "constant") (#set! native_kind "use constant")) @definition.constant

; Modules loaded (pragmas such as `strict` are not modules a reader looks up).
((use_statement module: (package) @name) @definition.import
  (#not-match? @name "^(strict|warnings|utf8|constant|feature|lib|vars|integer|bytes|less|sort|subs|re|open|locale|version|diagnostics|autodie|experimental|mro|overload|parent|base|fields|if|bigint|bignum|bigrat|charnames|encoding|filetest|sigtrap|threads|vmsish)$")
  (#set! native_kind "use") (#set! name_path "true"))
(require_expression (bareword) @name (#set! native_kind "require") (#set! name_path "true"))
  @definition.import

; `our`/`my` variables of the file or a package block (in a sub they are locals),
; named with their sigil.
(expression_statement (assignment_expression left: (variable_declaration
  [variable: (_) @name variables: (_) @name])) @definition.variable (#set! native_kind "variable"))
(expression_statement (variable_declaration [variable: (_) @name variables: (_) @name])
  @definition.variable (#set! native_kind "variable"))
