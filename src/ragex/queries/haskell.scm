; Haskell definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A function is reported once: by its type signature when it has one (the signature
; text is the type; a `-- |` comment above it is its doc), else by its first equation.
; Equations that follow their signature or an equation of the same name are skipped
; (`skip` claims the name), so `area (Circle r) = ...` / `area (Rect w h) = ...` below
; `area :: Shape -> Area` give one `area`. Functions bound in a `where` or `let` are
; locals and are not reported.

; `module A.B (...) where` names the rest of the file.
(header module: (module) @name (#set! scope "file") (#set! name_path "true")) @definition.module

(import module: (module) alias: (module) @name (#set! native_kind "import qualified"))
  @definition.import
(import module: (module) @name !alias) @definition.import

; ------------------------------------------------------------------------- types

(data_type name: (name) @name (#set! native_kind "data")) @definition.struct
(newtype name: (name) @name (#set! native_kind "newtype")) @definition.struct
(type_synonym name: (name) @name (#set! native_kind "type")) @definition.type_alias
(type_family name: (name) @name (#set! native_kind "type family")) @definition.type_alias
(data_family name: (name) @name (#set! native_kind "data family")) @definition.type_alias
(class name: (name) @name declarations: (_)? @body (#set! native_kind "class"))
  @definition.interface
; an instance is named by its type, as Rust names an impl: `instance Show Shape` holds
; `Shape.show`
(instance patterns: (type_patterns . (_) @name) declarations: (_)? @body
  (#set! native_kind "instance")) @definition.class

(data_constructor constructor: [(prefix name: (constructor) @name)
                                (record name: (constructor) @name)
                                (infix operator: (constructor_operator) @name)]
  (#set! native_kind "data constructor")) @definition.constructor
(newtype_constructor name: (constructor) @name (#set! native_kind "data constructor"))
  @definition.constructor
(field name: (field_name) @name (#set! native_kind "field")) @definition.field

; --------------------------------------------------------------------- functions

; Foreign imports (their signature is inside).
(foreign_import signature: (signature name: (variable) @name)
  (#set! native_kind "foreign import")) @definition.function

; Signatures (`f :: T`, `(<+>) :: T`, `f, g :: T`).
(declarations (signature name: [(variable) @name (prefix_id (operator) @name)])
  @definition.function (#set! native_kind "signature"))
(declarations (signature names: (binding_list name: (variable) @name)) @definition.function
  (#set! native_kind "signature"))
(class_declarations (signature name: [(variable) @name (prefix_id (operator) @name)])
  @definition.function (#set! native_kind "signature"))
(class_declarations (signature names: (binding_list name: (variable) @name)) @definition.function
  (#set! native_kind "signature"))
(instance_declarations (signature name: [(variable) @name (prefix_id (operator) @name)])
  @definition.function (#set! native_kind "signature"))
(instance_declarations (signature names: (binding_list name: (variable) @name)) @definition.function
  (#set! native_kind "signature"))

; The first equation after a signature, and further equations: skipped.
((signature name: (variable) @_s) . [(function name: (variable) @name)
                                       (bind name: (variable) @name)] @definition.function
  (#eq? @_s @name) (#set! skip "true"))
([(function name: (variable) @_f) (bind name: (variable) @_f)]
  . [(function name: (variable) @name) (bind name: (variable) @name)] @definition.function
  (#eq? @_f @name) (#set! skip "true"))

; A function or value with no signature: its first equation.
(declarations [(function name: (variable) @name match: (_) @body) (bind name: (variable) @name match: (_) @body)]
  @definition.function (#set! native_kind "equation"))
(class_declarations [(function name: (variable) @name match: (_) @body) (bind name: (variable) @name match: (_) @body)]
  @definition.function (#set! native_kind "equation"))
(instance_declarations [(function name: (variable) @name match: (_) @body) (bind name: (variable) @name match: (_) @body)]
  @definition.function (#set! native_kind "equation"))
