; Python references. Capture contract: docs/queries.md, "References". Run over the whole
; tree with QueryCursor.captures: @reference.<kind> is the name itself, @qualified.<kind> an
; attribute ending with the name (the name is its last word, its qualifier what precedes).

; Imports, with what they bind: `import a.b.c` binds `a` (the row's import_binds_head),
; `import a.b as c` binds `c`, `from .m import x as y` binds `y`.
(import_statement name: (dotted_name) @reference.import) @import
(import_statement name: (aliased_import name: (dotted_name) @reference.import
                                        alias: (identifier) @import.alias) @import.clause)
  @import
(import_from_statement module_name: (_) @import.from
  name: (dotted_name) @reference.import) @import
(import_from_statement module_name: (_) @import.from
  name: (aliased_import name: (dotted_name) @reference.import
                        alias: (identifier) @import.alias) @import.clause) @import
(import_from_statement module_name: (_) @import.from (wildcard_import) @reference.import)
  @import

; Calls: `f()`, `(f)()`, `obj.m()`, `a.b.C()`.
(call function: [(identifier) @reference.call
                  (attribute attribute: (identifier)) @qualified.call])
(call function: (parenthesized_expression [
  (identifier) @reference.call
  (attribute attribute: (identifier)) @qualified.call]))
; tree-sitter-python 0.25 reads `*f(x)` in a call or a display as a call of `*f`
(call function: (list_splat [
  (identifier) @reference.call
  (attribute attribute: (identifier)) @qualified.call]))

; Inheritance: `class A(B, mod.C)` (keyword arguments such as metaclass= are values).
(class_definition superclasses: (argument_list [
  (identifier) @reference.inherit
  (attribute attribute: (identifier)) @qualified.inherit]))

; Decorators without arguments (`@dec(...)` is a call).
(decorator [
  (identifier) @reference.decorator
  (attribute attribute: (identifier)) @qualified.decorator])

; Types in annotations: parameters, returns, variables, generics, unions.
(type [
  (identifier) @reference.type
  (attribute attribute: (identifier)) @qualified.type
  (binary_operator [
    (identifier) @reference.type
    (attribute attribute: (identifier)) @qualified.type])])
(generic_type (identifier) @reference.type)

; A defined name used as a value: an argument, an assigned or returned value, an item of
; a dict, list, tuple or set. Kept only when the file defines or imports the name (or the
; head of its qualifier).
(argument_list [
  (identifier) @reference.value
  (attribute attribute: (identifier)) @qualified.value])
(keyword_argument value: [
  (identifier) @reference.value
  (attribute attribute: (identifier)) @qualified.value])
(assignment right: [
  (identifier) @reference.value
  (attribute attribute: (identifier)) @qualified.value])
(return_statement [
  (identifier) @reference.value
  (attribute attribute: (identifier)) @qualified.value])
(pair value: (identifier) @reference.value)
[(list (identifier) @reference.value)
 (tuple (identifier) @reference.value)
 (set (identifier) @reference.value)]
