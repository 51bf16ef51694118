; C# definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name.
;
; A namespace is named as written (`Acme.Tools`: one namespace, no parent). A file-scoped `namespace X;` names the rest of the file. Doc comments (`///`) are kept
; with their XML tags. A finalizer `~Foo()` is a method named `Foo` (native_kind
; destructor).

; ---------------------------------------------------------------- namespaces, usings

(file_scoped_namespace_declaration
  name: [(identifier) (qualified_name)] @name
  (#set! scope "file")
  (#set! native_kind "namespace")) @definition.namespace
(namespace_declaration
  name: [(identifier) (qualified_name)] @name
  body: (_) @body
  (#set! native_kind "namespace")) @definition.namespace

; `using IO = System.IO;` binds IO; `using System.Text;` / `using static System.Math;`
; bind the namespace or type as written.
(using_directive name: (identifier) @name (#set! native_kind "using")) @definition.import
(using_directive !name [(identifier) (qualified_name)] @name (#set! native_kind "using"))
  @definition.import

; ---------------------------------------------------------------- types

(class_declaration name: (identifier) @name body: (_) @body (#set! native_kind "class"))
  @definition.class
(struct_declaration name: (identifier) @name body: (_) @body (#set! native_kind "struct"))
  @definition.struct
(interface_declaration name: (identifier) @name body: (_) @body
  (#set! native_kind "interface")) @definition.interface
(record_declaration "struct" name: (identifier) @name body: (_)? @body
  (#set! native_kind "record struct")) @definition.struct
(record_declaration name: (identifier) @name body: (_)? @body (#set! native_kind "record"))
  @definition.class
(enum_declaration name: (identifier) @name body: (_) @body (#set! native_kind "enum"))
  @definition.enum
(enum_member_declaration name: (identifier) @name (#set! native_kind "enum member"))
  @definition.enum_member
(delegate_declaration name: (identifier) @name (#set! native_kind "delegate"))
  @definition.type_alias

; ---------------------------------------------------------------- members

(constructor_declaration name: (identifier) @name body: (_)? @body
  (#set! native_kind "constructor")) @definition.constructor
(destructor_declaration name: (identifier) @name body: (_)? @body
  (#set! kind "method") (#set! native_kind "destructor")) @definition.function
(method_declaration name: (identifier) @name body: (_)? @body (#set! native_kind "method"))
  @definition.function
(operator_declaration operator: _ @name body: (_)? @body (#set! kind "method")
  (#set! native_kind "operator")) @definition.function
(conversion_operator_declaration type: (_) @name body: (_)? @body (#set! kind "method")
  (#set! native_kind "conversion operator")) @definition.function
(local_function_statement name: (identifier) @name body: (_)? @body
  (#set! native_kind "local function")) @definition.function

(property_declaration name: (identifier) @name
  [(accessor_list) (arrow_expression_clause)]? @body
  (#set! native_kind "property")) @definition.property
(indexer_declaration "this" @name [(accessor_list) (arrow_expression_clause)]? @body
  (#set! native_kind "indexer")) @definition.property
(event_declaration name: (identifier) @name (#set! native_kind "event")) @definition.field
(event_field_declaration (variable_declaration (variable_declarator name: (identifier) @name))
  (#set! native_kind "event")) @definition.field

; Fields: every declarator of `int a, b;`; `const` ones are constants.
(field_declaration (modifier) @_const
  (variable_declaration (variable_declarator name: (identifier) @name))
  (#eq? @_const "const")
  (#set! native_kind "const")) @definition.constant
(field_declaration (variable_declaration (variable_declarator name: (identifier) @name))
  (#set! native_kind "field")) @definition.field

; ---------------------------------------------------------------- attributes

(_ (attribute_list) @decorator) @target
