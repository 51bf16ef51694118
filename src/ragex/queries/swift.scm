; Swift definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; Imports, named by the last part of the module path (`import struct Swift.Array`: Array).
(import_declaration (identifier (simple_identifier) @name .)) @definition.import

; Types: `class_declaration` holds classes, structs, enums, actors and extensions; its
; `declaration_kind` keyword says which.
(class_declaration declaration_kind: "class" name: (type_identifier) @name body: (_) @body
  (#set! native_kind "class")) @definition.class
(class_declaration declaration_kind: "struct" name: (type_identifier) @name body: (_) @body
  (#set! native_kind "struct")) @definition.struct
(class_declaration declaration_kind: "enum" name: (type_identifier) @name body: (_) @body
  (#set! native_kind "enum")) @definition.enum
(class_declaration declaration_kind: "actor" name: (type_identifier) @name body: (_) @body
  (#set! native_kind "actor")) @definition.class
; An extension is named after the type it extends, so its members are `Point.scaled`.
(class_declaration declaration_kind: "extension"
  name: (user_type (type_identifier) @name .) body: (_) @body
  (#set! native_kind "extension")) @definition.class
(protocol_declaration name: (type_identifier) @name body: (_) @body
  (#set! native_kind "protocol")) @definition.interface

(enum_class_body (enum_entry name: (simple_identifier) @name) @definition.enum_member
  (#set! native_kind "case"))

(init_declaration name: "init" @name body: (_)? @body
  (#set! native_kind "init")) @definition.constructor
(deinit_declaration "deinit" @name body: (_)? @body
  (#set! native_kind "deinit")) @definition.method
(subscript_declaration "subscript" @name (computed_property)? @body
  (#set! native_kind "subscript")) @definition.method

(function_declaration name: (simple_identifier) @name body: (_) @body
  (#set! native_kind "func")) @definition.function
(protocol_function_declaration name: (simple_identifier) @name
  (#set! native_kind "func") (#set! modifiers "abstract")) @definition.method

; Properties: in a type they are properties; at the top level `let` is a constant and
; `var` a variable (in a function they are locals and not reported).
(class_body (property_declaration name: (pattern bound_identifier: (simple_identifier) @name))
  @definition.property (#set! native_kind "property"))
(enum_class_body (property_declaration name: (pattern bound_identifier: (simple_identifier) @name))
  @definition.property (#set! native_kind "property"))
(protocol_body (protocol_property_declaration
  name: (pattern bound_identifier: (simple_identifier) @name)) @definition.property
  (#set! native_kind "property") (#set! modifiers "abstract"))
((source_file (property_declaration (value_binding_pattern) @_let
   name: (pattern bound_identifier: (simple_identifier) @name)) @definition.constant)
  (#eq? @_let "let") (#set! native_kind "let"))
(source_file (property_declaration
  name: (pattern bound_identifier: (simple_identifier) @name)) @definition.variable
  (#set! native_kind "var"))

(typealias_declaration name: (type_identifier) @name
  (#set! native_kind "typealias")) @definition.type_alias
(associatedtype_declaration name: (type_identifier) @name
  (#set! native_kind "associatedtype")) @definition.type_alias

; Attributes (`@available(...)`, `@MainActor`) are decorators.
(_ (modifiers (attribute) @decorator)) @target
