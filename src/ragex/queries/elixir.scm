; Elixir definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; Everything is a call: `defmodule X do ... end` is the call `defmodule` with an alias
; argument and a do block. A module's `@moduledoc` string (heredoc or one line), the first
; statement of its block, is its doc.

; ------------------------------------------------------------------------ modules

(call target: (identifier) @_k (arguments . (alias) @name) (do_block
    . (unary_operator operand: (call target: (identifier) @_d
        (arguments . (string (quoted_content) @doc))))) @body
  (#eq? @_k "defmodule") (#eq? @_d "moduledoc")
  (#set! native_kind "defmodule") (#set! name_path "true")) @definition.module
(call target: (identifier) @_k (arguments . (alias) @name) (do_block)? @body
  (#eq? @_k "defmodule") (#set! native_kind "defmodule") (#set! name_path "true"))
  @definition.module
(call target: (identifier) @_k (arguments . (alias) @name) (do_block)? @body
  (#eq? @_k "defprotocol") (#set! native_kind "defprotocol") (#set! name_path "true"))
  @definition.interface
; `defimpl Proto, for: Type`: named by the protocol (its functions are `Proto.size`)
(call target: (identifier) @_k (arguments . (alias) @name) (do_block)? @body
  (#eq? @_k "defimpl") (#set! native_kind "defimpl") (#set! name_path "true"))
  @definition.class

; ---------------------------------------------------------------------- functions

; The native kind is the defining word (`def`, `defp`, `defmacro`, `defguard`, and their
; private forms, `defdelegate`, and Nx's `defn` as `def`). A function's `@doc` string is
; its sibling before it, which a query can reach only with a pattern that starts at that
; sibling: such a pattern is lost where extraction cuts a big file into windows between
; the two (docs/languages-data.md, "Known gaps"), so function docs are not read yet.
((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])
   (do_block)? @body) @definition.function
 (#any-of? @_k "def" "defn") (#set! native_kind "def"))

((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])
   (do_block)? @body) @definition.function
 (#any-of? @_k "defp" "defnp") (#set! native_kind "defp") (#set! modifiers "private"))

((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])
   (do_block)? @body) @definition.function
 (#any-of? @_k "defmacro") (#set! native_kind "defmacro"))

((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])
   (do_block)? @body) @definition.function
 (#any-of? @_k "defmacrop") (#set! native_kind "defmacrop") (#set! modifiers "private"))

((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])
   (do_block)? @body) @definition.function
 (#any-of? @_k "defguard") (#set! native_kind "defguard"))

((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])
   (do_block)? @body) @definition.function
 (#any-of? @_k "defguardp") (#set! native_kind "defguardp") (#set! modifiers "private"))

((call target: (identifier) @_k
   (arguments . [(identifier) @name
                 (call target: (identifier) @name)
                 (binary_operator left: [(call target: (identifier) @name) (identifier) @name]
                                  operator: "when")])) @definition.function
 (#eq? @_k "defdelegate") (#set! native_kind "defdelegate"))

; ---------------------------------------------------------------- structs, attributes

; `defstruct [:a, b: 1]` and `defexception`: one field per key.
(call target: (identifier) @_k (arguments [(list (atom) @name) (list (keywords (pair key: (keyword) @name)))
                                          (keywords (pair key: (keyword) @name))])
  (#any-of? @_k "defstruct" "defexception") (#set! name_strip ": ")
  (#set! native_kind "defstruct")) @definition.field

; `@type t :: ...`, `@callback f(x) :: y`, and module attributes used as constants.
(unary_operator operand: (call target: (identifier) @_a
  (arguments (binary_operator left: [(identifier) @name (call target: (identifier) @name)])))
  (#any-of? @_a "type" "typep" "opaque") (#set! native_kind "@type")) @definition.type_alias
(unary_operator operand: (call target: (identifier) @_a
  (arguments (binary_operator left: [(identifier) @name (call target: (identifier) @name)])))
  (#any-of? @_a "callback" "macrocallback") (#set! native_kind "@callback")
  (#set! modifiers "abstract")) @definition.function
; `@callback f(x) :: t when x: ...`
(unary_operator operand: (call target: (identifier) @_a
  (arguments (binary_operator
    left: (binary_operator left: [(identifier) @name (call target: (identifier) @name)]))))
  (#any-of? @_a "callback" "macrocallback") (#set! native_kind "@callback")
  (#set! modifiers "abstract")) @definition.function
; (an `@`, not `&match?(x)`, `!valid?(x)` or `-f(x)`: those are calls)
(unary_operator operator: "@" operand: (call target: (identifier) @name (arguments))
  (#not-match? @name "^(doc|moduledoc|typedoc|spec|type|typep|opaque|callback|macrocallback|impl|behaviour|derive|dialyzer|compile|deprecated|since|external_resource|on_load|on_definition|before_compile|after_compile|after_verify|vsn|enforce_keys|optional_callbacks|fallback_to_any|protocol|nifs)$")
  (#set! native_kind "@attribute")) @definition.constant

; ------------------------------------------------------------------------ imports

(call target: (identifier) @_k (arguments . (alias) @name)
  (#any-of? @_k "alias" "import" "require" "use")) @definition.import
