; Ruby references. Capture contract: docs/queries.md, "References".

; `require 'json'`, `require_relative 'lib/x'` (files; Ruby's constants are global)
(call method: (identifier) @_require
  arguments: (argument_list . (string (string_content) @reference.import))
  (#any-of? @_require "require" "require_relative" "load" "autoload")) @import

; Mixins: `include M`, `extend M`, `prepend M`
(call method: (identifier) @_mixin
  arguments: (argument_list [
    (constant) @reference.inherit
    (scope_resolution name: (constant) @reference.inherit) @qualified])
  (#any-of? @_mixin "include" "extend" "prepend"))

; Calls: `m(x)`, `obj.m`, `Foo::Bar.new`, `self.m`
(call method: (identifier) @reference.call
  (#not-match? @reference.call "^(require|require_relative|load|autoload)$"))
(call receiver: (_) @qualifier method: (identifier) @reference.call)

; A bare name is a call of a method without arguments, unless it is a local variable:
; tree-sitter's locals convention (what the tags' `#is-not? local` asks), data for the
; extractor's generic locals pass. A method sees no local from outside it.
((identifier) @reference.call @local.reference
  (#not-match? @reference.call "^(require|require_relative|load|autoload)$"))
(method) @local.scope.closed
(singleton_method) @local.scope.closed
[(lambda) (block) (do_block)] @local.scope
(block_parameter (identifier) @local.definition)
(block_parameters (identifier) @local.definition)
(destructured_parameter (identifier) @local.definition)
(hash_splat_parameter (identifier) @local.definition)
(lambda_parameters (identifier) @local.definition)
(method_parameters (identifier) @local.definition)
(splat_parameter (identifier) @local.definition)
(keyword_parameter name: (identifier) @local.definition)
(optional_parameter name: (identifier) @local.definition)
(assignment left: (identifier) @local.definition)
(operator_assignment left: (identifier) @local.definition)
(left_assignment_list (identifier) @local.definition)
(rest_assignment (identifier) @local.definition)
(destructured_left_assignment (identifier) @local.definition)
(exception_variable (identifier) @local.definition)
(for pattern: (identifier) @local.definition)

; Inheritance: `class A < B`
(superclass [(constant) @reference.inherit
             (scope_resolution name: (constant) @reference.inherit) @qualified])

; Constants (classes and modules) wherever they are used
(constant) @reference.type
(scope_resolution name: (constant) @reference.type) @qualified
