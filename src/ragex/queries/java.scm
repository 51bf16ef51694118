; Java definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; `package com.example;` names the rest of the file: symbols are `com.example.Foo`.
(package_declaration [(identifier) (scoped_identifier)] @name
  (#set! scope "file")) @definition.package
(module_declaration name: (_) @name body: (module_body) @body
  (#set! native_kind "module")) @definition.module

; Imports: one per declaration, named by the imported name (`List`, `max`) or `*`.
; (An end anchor `.` to tell `a.b.*` from `a.b` is unreliable next to other patterns.)
((import_declaration "static" [(identifier) @name (scoped_identifier name: (identifier) @name)])
  @definition.import
  (#not-match? @definition.import "\\*\\s*;?\\s*$")
  (#set! native_kind "static import"))
(import_declaration "static" (asterisk) @name
  (#set! native_kind "static import")) @definition.import
((import_declaration [(identifier) @name (scoped_identifier name: (identifier) @name)])
  @definition.import
  (#not-match? @definition.import "\\*\\s*;?\\s*$"))
(import_declaration (asterisk) @name) @definition.import

(class_declaration name: (identifier) @name body: (class_body) @body
  (#set! native_kind "class")) @definition.class
(interface_declaration name: (identifier) @name body: (interface_body) @body
  (#set! native_kind "interface")) @definition.interface
(enum_declaration name: (identifier) @name body: (enum_body) @body
  (#set! native_kind "enum")) @definition.enum
(record_declaration name: (identifier) @name body: (class_body) @body
  (#set! native_kind "record")) @definition.class
(annotation_type_declaration name: (identifier) @name body: (annotation_type_body) @body
  (#set! native_kind "annotation")) @definition.interface

; Record components are the record's fields.
(record_declaration parameters: (formal_parameters
  (formal_parameter name: (identifier) @name) @definition.field)
  (#set! native_kind "component"))

(enum_constant name: (identifier) @name
  (#set! native_kind "enum constant")) @definition.enum_member

(constructor_declaration name: (identifier) @name body: (constructor_body) @body
  (#set! native_kind "constructor")) @definition.constructor
(compact_constructor_declaration name: (identifier) @name body: (block) @body
  (#set! native_kind "compact constructor")) @definition.constructor

; Methods: an interface method without a body is abstract; a method in any class body
; (also an enum constant's or an anonymous class's) is a method.
(interface_body (method_declaration !body name: (identifier) @name
  (#set! native_kind "method")
  (#set! modifiers "abstract")) @definition.method)
(method_declaration name: (identifier) @name body: (block)? @body
  (#set! native_kind "method")) @definition.method
(annotation_type_element_declaration name: (identifier) @name
  (#set! native_kind "element")) @definition.method

; Fields: one per declarator (`int a, b;`); `static final` fields and interface
; constants are constants.
((field_declaration (modifiers) @_m
   declarator: (variable_declarator name: (identifier) @name)) @definition.constant
  (#match? @_m "\\bstatic\\b")
  (#match? @_m "\\bfinal\\b")
  (#set! native_kind "field"))
(field_declaration declarator: (variable_declarator name: (identifier) @name)
  (#set! native_kind "field")) @definition.field
(constant_declaration declarator: (variable_declarator name: (identifier) @name)
  (#set! native_kind "constant")) @definition.constant

; Annotations are decorators of the declaration whose modifiers hold them.
(_ (modifiers [(annotation) (marker_annotation)] @decorator)) @target
