; Dart definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; The grammar makes a function's body a sibling of its signature (`function_signature`
; then `function_body`), so a function or method is its signature: its lines are the
; signature's. Members sit in `declaration` (no body) or `method_signature` nodes, which
; hold the modifiers (`static`, `external`), so those are the definitions.

(library_name (dotted_identifier_list) @name (#set! native_kind "library")) @definition.module

(import_specification (configurable_uri) (identifier) @name (#set! native_kind "import"))
  @definition.import
((import_specification (configurable_uri (uri (string_literal) @name))) @definition.import
  (#not-match? @definition.import "\\sas\\s+\\w+\\s*;?$")
  (#set! name_strip "'\"") (#set! native_kind "import"))

(class_definition name: (identifier) @name body: (_) @body (#set! native_kind "class"))
  @definition.class
(mixin_declaration (mixin) (identifier) @name (class_body) @body (#set! native_kind "mixin"))
  @definition.class
(extension_declaration name: (identifier) @name body: (_) @body
  (#set! native_kind "extension")) @definition.class
(enum_declaration name: (identifier) @name body: (_) @body (#set! native_kind "enum"))
  @definition.enum
(enum_constant name: (identifier) @name (#set! native_kind "value")) @definition.enum_member
; `typedef Ret Name(params);` (the old form) is named before its parameters, the new
; `typedef Name = Type;` by its first identifier
(type_alias (type_identifier) @name . [(type_parameters) (formal_parameter_list)]
  (#set! native_kind "typedef")) @definition.type_alias
((type_alias . (type_identifier) @name) @definition.type_alias
  (#match? @definition.type_alias "=") (#set! native_kind "typedef"))

; Constructors: `C(...)`, `C.named(...)`, `factory C.from(...)`, `const C._(...)`: named by
; the identifier right before the parameters.
([(declaration (constructor_signature name: (identifier) @name . parameters: (_)))
  (method_signature (constructor_signature name: (identifier) @name . parameters: (_)))]
  @definition.constructor (#set! native_kind "constructor"))
([(declaration (factory_constructor_signature (identifier) @name . (formal_parameter_list)))
  (method_signature (factory_constructor_signature (identifier) @name . (formal_parameter_list)))]
  @definition.constructor (#set! native_kind "factory"))
; `const C._(...)`
(declaration (constant_constructor_signature (identifier) @name . (formal_parameter_list))
  @definition.constructor (#set! native_kind "const constructor"))

; Getters and setters are properties; other functions are functions (methods in a type).
([(declaration (getter_signature name: (identifier) @name))
  (method_signature (getter_signature name: (identifier) @name))]
  @definition.property (#set! native_kind "get"))
([(declaration (setter_signature name: (identifier) @name))
  (method_signature (setter_signature name: (identifier) @name))]
  @definition.property (#set! native_kind "set"))
([(declaration (function_signature name: (identifier) @name))
  (method_signature (function_signature name: (identifier) @name))]
  @definition.function (#set! native_kind "function"))
([(declaration (operator_signature (binary_operator) @name))
  (method_signature (operator_signature (binary_operator) @name))]
  @definition.function (#set! native_kind "operator"))
(getter_signature name: (identifier) @name (#set! native_kind "get")) @definition.property
(setter_signature name: (identifier) @name (#set! native_kind "set")) @definition.property
(function_signature name: (identifier) @name (#set! native_kind "function")) @definition.function

; Variables and fields: `const` ones are constants, the others variables (in a type:
; fields; in a function: locals).
; A member's `declaration` holds its modifiers and type: it is the definition. Its name
; is the declarator's first identifier (`x = Foo()` holds `Foo` too).
(declaration (const_builtin) (static_final_declaration_list
  (static_final_declaration . (identifier) @name)) (#set! native_kind "const")) @definition.constant
(declaration (static_final_declaration_list
  (static_final_declaration . (identifier) @name)) (#set! native_kind "final")) @definition.variable
(declaration (initialized_identifier_list
  (initialized_identifier . (identifier) @name)) (#set! native_kind "variable")) @definition.variable
; At the top level the grammar keeps `const`/`final` and the type as siblings of the
; declarator list (a pattern over those siblings would be lost where extraction cuts a big
; file into windows between them): a top-level `const` or `final` is a constant.
(static_final_declaration . (identifier) @name (#set! native_kind "const or final"))
  @definition.constant
(initialized_identifier . (identifier) @name (#set! native_kind "variable")) @definition.variable
(identifier_list (identifier) @name @definition.variable (#set! native_kind "variable"))

; Annotations right before a member are its decorators.
((annotation) @decorator . [(method_signature) (declaration)] @target)
((annotation) @decorator . (annotation) . [(method_signature) (declaration)] @target)
