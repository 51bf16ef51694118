; SQL definitions (DDL: what a schema defines). Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; `CREATE TABLE s.t`: the schema part is the @scope, so the table is `s.t` under the
; schema `s` when the file creates it. A quoted name (`"normalize"`) is named without its
; quotes.

(create_schema (identifier) @name (#set! native_kind "schema")) @definition.namespace

(create_table (object_reference schema: (_)? @scope name: (identifier) @name)
  (column_definitions)? @body (#set! native_kind "table") (#set! name_strip "\"`")) @definition.struct
(column_definitions (column_definition name: (identifier) @name) @definition.field
  (#set! native_kind "column"))
(create_view (object_reference schema: (_)? @scope name: (identifier) @name)
  (create_query)? @body (#set! native_kind "view") (#set! name_strip "\"`")) @definition.struct
(create_materialized_view (object_reference schema: (_)? @scope name: (identifier) @name)
  (create_query)? @body (#set! native_kind "materialized view") (#set! name_strip "\"`")) @definition.struct

(create_type (object_reference schema: (_)? @scope name: (identifier) @name)
  (enum_elements) @body (#set! native_kind "type") (#set! name_strip "\"`")) @definition.enum
(enum_elements (literal) @name @definition.enum_member (#set! name_strip "'")
  (#set! native_kind "value"))
(create_type (object_reference schema: (_)? @scope name: (identifier) @name)
  (#set! native_kind "type") (#set! name_strip "\"`")) @definition.type_alias

(create_function (object_reference schema: (_)? @scope name: (identifier) @name)
  (function_body)? @body (#set! native_kind "function") (#set! name_strip "\"`")) @definition.function
(create_procedure (keyword_procedure) . (object_reference schema: (_)? @scope name: (identifier) @name)
  (#set! native_kind "procedure") (#set! name_strip "\"`")) @definition.function
(create_trigger (keyword_trigger) . (object_reference schema: (_)? @scope name: (identifier) @name)
  (#set! native_kind "trigger") (#set! name_strip "\"`")) @definition.function

(create_index column: (identifier) @name (#set! native_kind "index")) @definition.variable
(create_sequence (object_reference schema: (_)? @scope name: (identifier) @name)
  (#set! native_kind "sequence") (#set! name_strip "\"`")) @definition.variable
