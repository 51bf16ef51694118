; Scala 2 and 3 definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; `package a.b` names the rest of the file (a second clause replaces the first: chained
; clauses `package a` / `package b` are reported as two packages and the later one
; names what follows); `package a { ... }` holds its body.
(package_clause name: (package_identifier) @name body: (_) @body
  (#set! name_path "true")) @definition.package
(package_clause name: (package_identifier) @name !body
  (#set! scope "file") (#set! name_path "true")) @definition.package

; Imports, one per bound name: the last part, each selector or its alias, `_`/`*`.
(import_declaration (identifier) @name .) @definition.import
(import_declaration (namespace_wildcard) @name) @definition.import
(import_declaration (namespace_selectors (identifier) @name)) @definition.import
(import_declaration (namespace_selectors (arrow_renamed_identifier alias: (_) @name)))
  @definition.import

(trait_definition name: (identifier) @name body: (_)? @body
  (#set! native_kind "trait")) @definition.interface
(class_definition "case" name: (identifier) @name body: (_)? @body
  (#set! native_kind "case class")) @definition.class
(class_definition name: (identifier) @name body: (_)? @body
  (#set! native_kind "class")) @definition.class
(object_definition "case" name: (identifier) @name body: (_)? @body
  (#set! native_kind "case object")) @definition.class
(object_definition name: (identifier) @name body: (_)? @body
  (#set! native_kind "object")) @definition.class
(enum_definition name: (identifier) @name body: (_) @body
  (#set! native_kind "enum")) @definition.enum
(enum_case_definitions [(simple_enum_case name: (identifier) @name)
                        (full_enum_case name: (identifier) @name)] @definition.enum_member
  (#set! native_kind "case"))

; Constructor parameters that are fields: every one of a case class, `val`/`var` ones.
(class_definition "case" class_parameters: (class_parameters
  (class_parameter name: (identifier) @name) @definition.field)
  (#set! native_kind "parameter"))
(class_parameter ["val" "var"] name: (identifier) @name
  (#set! native_kind "parameter")) @definition.field

; `def this(...)` is an auxiliary constructor.
((function_definition name: (identifier) @name body: (_) @body) @definition.constructor
  (#eq? @name "this") (#set! native_kind "def"))
(function_definition name: (identifier) @name body: (_) @body
  (#set! native_kind "def")) @definition.function
(function_declaration name: (identifier) @name
  (#set! native_kind "def") (#set! modifiers "abstract")) @definition.function

; Values: in a class, object or trait they are fields; in a function, locals.
(val_definition pattern: (identifier) @name (#set! native_kind "val")) @definition.variable
(val_definition pattern: (tuple_pattern (identifier) @name) (#set! native_kind "val"))
  @definition.variable
(var_definition pattern: (identifier) @name (#set! native_kind "var")) @definition.variable
(val_declaration name: (identifier) @name (#set! native_kind "val")
  (#set! modifiers "abstract")) @definition.variable
(var_declaration name: (identifier) @name (#set! native_kind "var")
  (#set! modifiers "abstract")) @definition.variable
(given_definition name: (identifier) @name (#set! native_kind "given")) @definition.variable

(type_definition name: (type_identifier) @name (#set! native_kind "type")) @definition.type_alias

; Annotations are decorators.
(_ (annotation) @decorator) @target
