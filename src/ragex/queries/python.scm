; Python definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same node.

; The file itself is a module; its docstring is the first statement.
((module . (comment)* . (expression_statement (string) @doc)?) @definition.module)

; @property and friends are properties, not methods.
(decorated_definition
  (decorator [(identifier) @_d (attribute attribute: (identifier) @_d)])
  definition: (function_definition
    name: (identifier) @name
    body: (block . (expression_statement (string) @doc)?) @body) @definition.property
  (#any-of? @_d "property" "cached_property" "setter" "getter" "deleter")
  (#set! native_kind "property"))

(function_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc)?) @body
  (#set! native_kind "def")) @definition.function

(class_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc)?) @body
  (#set! native_kind "class")) @definition.class

; Module-level assignments, also one block down in an if/for/while/try/with at module
; level and in its elif/else/except/finally clauses. `!name` keeps the patterns out of
; function and class bodies: a pattern that looked into every module-level statement
; would walk every function body (the registry row's `Scan` skips bodies that define
; nothing).
(module (expression_statement
  (assignment left: [(identifier) @name (pattern_list (identifier) @name)
                     (tuple_pattern (identifier) @name)])
  @definition.variable) (#set! native_kind "assignment"))
(module (_ !name (block (expression_statement
  (assignment left: [(identifier) @name (pattern_list (identifier) @name)])
  @definition.variable))) (#set! native_kind "assignment"))
(module (_ !name (_ !name (block (expression_statement
  (assignment left: [(identifier) @name (pattern_list (identifier) @name)])
  @definition.variable)))) (#set! native_kind "assignment"))

; Class-level assignments: attributes.
(class_definition body: (block (expression_statement
  (assignment left: [(identifier) @name (pattern_list (identifier) @name)
                     (tuple_pattern (identifier) @name)]) @definition.variable))
  (#set! native_kind "attribute"))

(type_alias_statement left: (type [(identifier) @name (generic_type (identifier) @name)]))
  @definition.type_alias

; Imports: one symbol per bound name, aliases kept.
(import_statement name: (dotted_name) @name @definition.import)
(import_statement name: (aliased_import alias: (identifier) @name) @definition.import)
(import_from_statement name: (dotted_name) @name @definition.import)
(import_from_statement name: (aliased_import alias: (identifier) @name) @definition.import)
(import_from_statement (wildcard_import) @name @definition.import)

; Decorators of any definition (attached to the definition node, @target).
(decorated_definition (decorator) @decorator definition: (_) @target)
