; Haskell definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A function is its type signature (the signature text is the type; a `-- |` comment
; above it is its doc) and each of its equations (`area (Circle r) = ...` and
; `area (Rect w h) = ...`), as Elixir's clauses are. (One symbol per function would skip
; an equation that follows its signature: a pattern over two siblings, which is lost
; where extraction cuts a big file into windows between them; docs/languages-data.md,
; "Known gaps".) Functions bound in a `where` or `let` are locals and are not reported.

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

; Equations of functions and values.
(declarations [(function name: (variable) @name match: (_) @body) (bind name: (variable) @name match: (_) @body)]
  @definition.function (#set! native_kind "equation"))
(class_declarations [(function name: (variable) @name match: (_) @body) (bind name: (variable) @name match: (_) @body)]
  @definition.function (#set! native_kind "equation"))
(instance_declarations [(function name: (variable) @name match: (_) @body) (bind name: (variable) @name match: (_) @body)]
  @definition.function (#set! native_kind "equation"))
