; Kotlin definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; `package a.b` names the rest of the file.
(package_header (qualified_identifier) @name
  (#set! scope "file") (#set! name_path "true")) @definition.package

; Imports, named by the name they bind: the alias (`as X`), the last part, or `*`.
(import (qualified_identifier) "as" (identifier) @name) @definition.import
(import (qualified_identifier) "*" @name) @definition.import
((import (qualified_identifier (identifier) @name .)) @definition.import
  (#not-match? @definition.import "(\\*|\\sas\\s+\\S+)\\s*;?\\s*$"))

; Classes: the keyword or modifier says which kind.
(class_declaration "interface" name: (identifier) @name (class_body)? @body
  (#set! native_kind "interface")) @definition.interface
(class_declaration (modifiers (class_modifier) @_m) name: (identifier) @name
  (enum_class_body)? @body
  (#eq? @_m "enum") (#set! native_kind "enum class")) @definition.enum
(class_declaration (modifiers (class_modifier) @_m) name: (identifier) @name
  (class_body)? @body
  (#eq? @_m "annotation") (#set! native_kind "annotation class")) @definition.interface
(class_declaration name: (identifier) @name (class_body)? @body
  (#set! native_kind "class")) @definition.class
(object_declaration name: (identifier) @name (class_body)? @body
  (#set! native_kind "object")) @definition.class
(companion_object name: (identifier) @name (class_body)? @body
  (#set! native_kind "companion object")) @definition.class
; an unnamed companion is `Companion`, as Kotlin names it (no name token: no signature)
(companion_object !name (#set! name "Companion") (#set! native_kind "companion object"))
  @definition.class

(enum_class_body (enum_entry (identifier) @name) @definition.enum_member
  (#set! native_kind "entry"))

(secondary_constructor "constructor" @name (block)? @body
  (#set! native_kind "constructor")) @definition.constructor

; Functions (a function in a class, object or interface is a method).
(function_declaration name: (identifier) @name (function_body)? @body
  (#set! native_kind "fun")) @definition.function

; Properties: constructor `val`/`var` parameters and class-level properties; top-level
; `const val` is a constant, other top-level ones variables (locals in functions are
; not reported).
(class_parameter ["val" "var"] . (identifier) @name
  (#set! native_kind "constructor property")) @definition.property
(class_body (property_declaration (variable_declaration (identifier) @name))
  @definition.property (#set! native_kind "property"))
(class_body (property_declaration (multi_variable_declaration
  (variable_declaration (identifier) @name))) @definition.property (#set! native_kind "property"))
(enum_class_body (property_declaration (variable_declaration (identifier) @name))
  @definition.property (#set! native_kind "property"))
((source_file (property_declaration (modifiers (property_modifier) @_c)
   (variable_declaration (identifier) @name)) @definition.constant)
  (#eq? @_c "const") (#set! native_kind "const val"))
(source_file (property_declaration (variable_declaration (identifier) @name))
  @definition.variable (#set! native_kind "property"))
(source_file (property_declaration (multi_variable_declaration
  (variable_declaration (identifier) @name))) @definition.variable (#set! native_kind "property"))

(type_alias type: (identifier) @name (#set! native_kind "typealias")) @definition.type_alias

; Annotations are decorators of the declaration whose modifiers hold them.
(_ (modifiers (annotation) @decorator)) @target
