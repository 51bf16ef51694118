; Elixir references. Capture contract: docs/queries.md, "References". Extends the grammar
; wheel's tags.scm (local and remote calls, pipes, module aliases) with qualifiers and
; what `alias`, `import`, `require`, `use` and `@behaviour` say.

; `alias A.B` binds B, `alias A.B, as: C` binds C, `alias A.{B, C}` binds B and C;
; `require A.B` names the module; `import A` makes its functions visible
(call target: (identifier) @_alias
  (arguments . (alias) @reference.import @skip .)
  (#any-of? @_alias "alias" "require")) @import
(call target: (identifier) @_alias
  (arguments . (alias) @reference.import @skip
    (keywords (pair key: (keyword) @_as value: (alias) @import.alias @skip)))
  (#eq? @_alias "alias") (#match? @_as "^as:")) @import @import.clause
(call target: (identifier) @_alias
  (arguments . (dot left: (alias) @import.from
    right: (tuple (alias) @reference.import @skip)))
  (#eq? @_alias "alias")) @import
(call target: (identifier) @_import
  (arguments . (alias) @import.all @skip)
  (#eq? @_import "import")) @import

; `defimpl Proto, for: T` implements Proto (the registry's `name_is_reference`: the
; implementation is named after it)
(call target: (identifier) @_impl (arguments . (alias) @reference.implement)
  (#eq? @_impl "defimpl"))

; `use GenServer` brings a module's code in (a mixin); `@behaviour M` implements M
(call target: (identifier) @_use (arguments . (alias) @reference.inherit)
  (#eq? @_use "use"))
(unary_operator operator: "@" operand: (call target: (identifier) @_b
  (arguments . (alias) @reference.implement)) (#eq? @_b "behaviour"))

; Calls: `f(x)`, `Mod.f(x)`, `x |> f()`, `x |> Mod.f`, `&Mod.f/1`; not the special forms
; and definitions the tags leave out, nor module attributes (`@doc`)
; (`#not-any-of?` does not hold in py-tree-sitter 0.26's `captures`: a regular expression)
(call target: (identifier) @reference.call
  (#not-match? @reference.call "^(def|defp|defdelegate|defguard|defguardp|defmacro|defmacrop|defn|defnp|defmodule|defprotocol|defimpl|defstruct|defexception|defoverridable|alias|case|cond|else|for|if|import|quote|raise|receive|require|reraise|super|throw|try|unless|unquote|unquote_splicing|use|with)$"))
(call target: (dot right: (identifier) @reference.call) @qualified)
(binary_operator operator: "|>" right: (identifier) @reference.call)
(unary_operator operator: "@" operand: (call target: (identifier) @skip))

; A function's own name in its clause head (`def f(x)`) is no call
(call target: (identifier) @_def
  (arguments [
    (call target: (identifier) @skip)
    (binary_operator left: (call target: (identifier) @skip) operator: "when")])
  (#any-of? @_def "def" "defp" "defdelegate" "defguard" "defguardp" "defmacro" "defmacrop"
    "defn" "defnp"))

; (an import's names are captured `@skip` too: no type reference at the same place)
; Modules wherever they are named (`MyApp.Repo`: one name, as modules are defined)
(alias) @reference.type
