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

; Calls: `m(x)`, `obj.m`, `Foo::Bar.new`, `self.m`; a bare name alone on its line is a call
; of a method without arguments (a local variable read there would do nothing)
(call method: (identifier) @reference.call
  (#not-match? @reference.call "^(require|require_relative|load|autoload)$"))
(call receiver: (_) @qualifier method: (identifier) @reference.call)
(body_statement (identifier) @reference.call)

; Inheritance: `class A < B`
(superclass [(constant) @reference.inherit
             (scope_resolution name: (constant) @reference.inherit) @qualified])

; Constants (classes and modules) wherever they are used
(constant) @reference.type
(scope_resolution name: (constant) @reference.type) @qualified
