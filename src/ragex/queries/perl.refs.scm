; Perl references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm. A qualified sub name (`A::B::f(...)`) is one node to the grammar:
; its reference is named in full.

; `use A::B ...;`, `require A::B;` (pragmas such as `strict` or `parent` are no module)
((use_statement module: (package) @reference.import) @import
  (#not-match? @reference.import "^[a-z][a-z0-9_]*$"))
(require_expression (bareword) @reference.import) @import

; Inheritance: `use parent 'A'`, `use parent -norequire, 'A', 'B'`, `use base qw(A)`,
; `our @ISA = ('A')`
(use_statement module: (package) @_parent [
  (string_literal (string_content) @reference.inherit)
  (quoted_word_list (string_content) @reference.inherit)
  (list_expression [(string_literal (string_content) @reference.inherit)
                    (interpolated_string_literal (string_content) @reference.inherit)])]
  (#any-of? @_parent "parent" "base"))
(assignment_expression
  left: (_ (array (varname) @_isa))
  right: (parenthesized_expression (string_literal (string_content) @reference.inherit))
  (#eq? @_isa "ISA"))

; Calls: `f(...)`, `f ...`, `$obj->m(...)`, `Class->new(...)`, `&f`
(function_call_expression function: (function) @reference.call)
(ambiguous_function_call_expression function: (function) @reference.call)
(method_call_expression invocant: (_) @qualifier method: (method) @reference.call)

; A sub named as a value: `\&f`, `&f`
(refgen_expression (function (varname) @reference.value))
