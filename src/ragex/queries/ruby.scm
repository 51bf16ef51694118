; Ruby definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same node.
;
; Signatures: a comment right after a header (`class Foo # :nodoc:`, or the first line of a
; body) is a child of the definition, before the body. So @body is, in this order: the `;`
; ending a one-line header, the first named node after the header (after the parameters or
; superclass when present), or the `end` keyword of an empty definition.

; ---------------------------------------------------------------- modules and classes

(module name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  ";" @body (#set! native_kind "module")) @definition.module
(module name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  . (_) @body (#set! native_kind "module")) @definition.module
(module name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  "end" @body (#set! native_kind "module")) @definition.module

(class name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  ";" @body (#set! native_kind "class")) @definition.class
(class name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  superclass: (superclass) . (_) @body (#set! native_kind "class")) @definition.class
(class name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  !superclass . (_) @body (#set! native_kind "class")) @definition.class
(class name: [(constant) @name (scope_resolution scope: (_)? @scope name: (constant) @name)]
  "end" @body (#set! native_kind "class")) @definition.class

; `Point = Struct.new(:x, :y) do ... end`, `Klass = Class.new(Base)`, `Mod = Module.new`,
; `Coord = Data.define(:lat, :lng)`: classes and modules made by a call.
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m block: (_) @body)
  (#eq? @_r "Struct") (#eq? @_m "new") (#set! native_kind "struct")) @definition.class
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m block: (_) @body)
  (#eq? @_r "Data") (#eq? @_m "define") (#set! native_kind "data")) @definition.class
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m block: (_) @body)
  (#eq? @_r "Class") (#eq? @_m "new") (#set! native_kind "class")) @definition.class
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m block: (_) @body)
  (#eq? @_r "Module") (#eq? @_m "new") (#set! native_kind "module")) @definition.module

(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m)
  (#eq? @_r "Struct") (#eq? @_m "new") (#set! native_kind "struct")) @definition.class
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m)
  (#eq? @_r "Data") (#eq? @_m "define") (#set! native_kind "data")) @definition.class
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m)
  (#eq? @_r "Class") (#eq? @_m "new") (#set! native_kind "class")) @definition.class
(assignment left: (constant) @name
  right: (call receiver: (constant) @_r method: (identifier) @_m)
  (#eq? @_r "Module") (#eq? @_m "new") (#set! native_kind "module")) @definition.module

; ---------------------------------------------------------------------------- methods

; `def` in any body (class, module, `class << self`, a block, a method) defines a method;
; only a top-level `def` is a function.
(_ body: (body_statement (method name: (_) @name ";" @body (#set! native_kind "def"))
  @definition.method))
(_ body: (body_statement (method name: (_) @name parameters: (_) . (_) @body
  (#set! native_kind "def")) @definition.method))
(_ body: (body_statement (method name: (_) @name !parameters . (_) @body
  (#set! native_kind "def")) @definition.method))
(_ body: (body_statement (method name: (_) @name "end" @body (#set! native_kind "def"))
  @definition.method))
(method name: (_) @name ";" @body (#set! native_kind "def")) @definition.function
(method name: (_) @name parameters: (_) . (_) @body (#set! native_kind "def"))
  @definition.function
(method name: (_) @name !parameters . (_) @body (#set! native_kind "def"))
  @definition.function
(method name: (_) @name "end" @body (#set! native_kind "def")) @definition.function

; `def self.x`: a singleton method of the enclosing class.
(singleton_method object: (self) name: (_) @name ";" @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method
(singleton_method object: (self) name: (_) @name parameters: (_) . (_) @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method
(singleton_method object: (self) name: (_) @name !parameters . (_) @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method
(singleton_method object: (self) name: (_) @name "end" @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method

; `def Foo.x` inside `class Foo` / `module Foo`: the same as `def self.x`.
(_ name: [(constant) @_c (scope_resolution name: (constant) @_c)] body: (body_statement (singleton_method object: (constant) @_o
  name: (_) @name ";" @body (#set! native_kind "def self") (#set! modifiers "static"))
  @definition.method) (#eq? @_c @_o))
(_ name: [(constant) @_c (scope_resolution name: (constant) @_c)] body: (body_statement (singleton_method object: (constant) @_o
  name: (_) @name parameters: (_) . (_) @body (#set! native_kind "def self")
  (#set! modifiers "static")) @definition.method) (#eq? @_c @_o))
(_ name: [(constant) @_c (scope_resolution name: (constant) @_c)] body: (body_statement (singleton_method object: (constant) @_o
  name: (_) @name !parameters . (_) @body (#set! native_kind "def self")
  (#set! modifiers "static")) @definition.method) (#eq? @_c @_o))
(_ name: [(constant) @_c (scope_resolution name: (constant) @_c)] body: (body_statement (singleton_method object: (constant) @_o
  name: (_) @name "end" @body (#set! native_kind "def self") (#set! modifiers "static"))
  @definition.method) (#eq? @_c @_o))

; `def Foo.x`: a singleton method of the named object.
(singleton_method object: (_) @scope name: (_) @name ";" @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method
(singleton_method object: (_) @scope name: (_) @name parameters: (_) . (_) @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method
(singleton_method object: (_) @scope name: (_) @name !parameters . (_) @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method
(singleton_method object: (_) @scope name: (_) @name "end" @body
  (#set! native_kind "def self") (#set! modifiers "static")) @definition.method

; `define_method(:name) { ... }`
(call !receiver method: (identifier) @_m
  arguments: (argument_list . [(simple_symbol) (string)] @name)
  (#eq? @_m "define_method") (#set! native_kind "define_method") (#set! name_strip ":\"'"))
  @definition.method

; `alias new old`, `alias_method :new, :old`
(alias name: (_) @name (#not-match? @name "^[$]") (#set! native_kind "alias") (#set! name_strip ":"))
  @definition.method
(alias name: (global_variable) @name (#set! native_kind "alias")) @definition.variable
(call !receiver method: (identifier) @_m
  arguments: (argument_list . [(simple_symbol) (string)] @name)
  (#eq? @_m "alias_method") (#set! native_kind "alias_method") (#set! name_strip ":\"'"))
  @definition.method

; ------------------------------------------------------------------ values and members

; `attr_accessor :a, :b`: one property per name; the native kind is the declaring word.
(call !receiver method: (identifier) @_m arguments: (argument_list [(simple_symbol) (string)] @name)
  (#any-of? @_m "attr_reader" "attr") (#set! name_strip ":\"'") (#set! native_kind "attr_reader"))
  @definition.property
(call !receiver method: (identifier) @_m arguments: (argument_list [(simple_symbol) (string)] @name)
  (#eq? @_m "attr_writer") (#set! name_strip ":\"'") (#set! native_kind "attr_writer"))
  @definition.property
(call !receiver method: (identifier) @_m arguments: (argument_list [(simple_symbol) (string)] @name)
  (#eq? @_m "attr_accessor") (#set! name_strip ":\"'") (#set! native_kind "attr_accessor"))
  @definition.property

(assignment left: (constant) @name (#set! native_kind "constant")) @definition.constant
(assignment left: (scope_resolution name: (constant) @name) (#set! native_kind "constant"))
  @definition.constant
(assignment left: (left_assignment_list (constant) @name) (#set! native_kind "constant"))
  @definition.constant
(body_statement (assignment left: (class_variable) @name (#set! native_kind "class_variable"))
  @definition.variable)

; ---------------------------------------------------------------------------- imports

(call !receiver method: (identifier) @_m
  arguments: (argument_list . (string . (string_content) @name .) .)
  (#any-of? @_m "require" "require_relative" "load")
  (#set! native_kind "require")) @definition.import
; `autoload :Name, "path"` binds Name
(call !receiver method: (identifier) @_m
  arguments: (argument_list . (simple_symbol) @name . (string) .)
  (#eq? @_m "autoload") (#set! name_strip ":") (#set! native_kind "autoload")) @definition.import

; ------------------------------------------------------------------------- modifiers

; Methods of `class << self` are singleton (static) methods.
(singleton_class value: (self) body: (body_statement (method) @target)
  (#set! modifier "static"))
; `private def x`, `protected def x`, `public def x`, `private_class_method def self.x`
(call !receiver method: (identifier) @_v arguments: (argument_list . [(method) (singleton_method)] @target .)
  (#eq? @_v "private") (#set! modifier "private"))
(call !receiver method: (identifier) @_v arguments: (argument_list . [(method) (singleton_method)] @target .)
  (#eq? @_v "protected") (#set! modifier "protected"))
(call !receiver method: (identifier) @_v arguments: (argument_list . [(method) (singleton_method)] @target .)
  (#eq? @_v "public") (#set! modifier "public"))
(call !receiver method: (identifier) @_v arguments: (argument_list . (singleton_method) @target .)
  (#eq? @_v "private_class_method") (#set! modifier "private"))
(call !receiver method: (identifier) @_v arguments: (argument_list . (method) @target .)
  (#eq? @_v "module_function") (#set! modifier "static"))
