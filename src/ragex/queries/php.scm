; PHP definitions (grammar `language_php`: the file starts as HTML text until `<?php`).
; Capture contract: docs/queries.md. Earlier patterns win when two match the same name.

; ------------------------------------------------------------------------- namespaces

; `namespace App\Models;` names the rest of the file; `namespace App\Models { ... }` nests.
; The name is a path: its qualified name is `App.Models`.
(namespace_definition name: (namespace_name) @name body: (compound_statement) @body
  (#set! name_path "true")) @definition.namespace
(namespace_definition name: (namespace_name) @name !body
  (#set! name_path "true") (#set! scope "file")) @definition.namespace

; ---------------------------------------------------------------------------- imports

; `use function A\f;`, `use const A\X;`, `use A\B as C, D;`, `use A\{B, C as D};`:
; one import per clause, named by its alias or last segment.
(namespace_use_clause type: "function" alias: (name) @name
  (#set! native_kind "use function")) @definition.import
(namespace_use_clause type: "function" !alias [(qualified_name (name) @name) (name) @name]
  (#set! native_kind "use function")) @definition.import
(namespace_use_declaration type: "function" body: (namespace_use_group
  (namespace_use_clause alias: (name) @name (#set! native_kind "use function"))
  @definition.import))
(namespace_use_declaration type: "function" body: (namespace_use_group
  (namespace_use_clause !alias (name) @name (#set! native_kind "use function"))
  @definition.import))
(namespace_use_clause type: "const" alias: (name) @name
  (#set! native_kind "use const")) @definition.import
(namespace_use_clause type: "const" !alias [(qualified_name (name) @name) (name) @name]
  (#set! native_kind "use const")) @definition.import
(namespace_use_declaration type: "const" body: (namespace_use_group
  (namespace_use_clause alias: (name) @name (#set! native_kind "use const"))
  @definition.import))
(namespace_use_declaration type: "const" body: (namespace_use_group
  (namespace_use_clause !alias (name) @name (#set! native_kind "use const"))
  @definition.import))
(namespace_use_clause alias: (name) @name (#set! native_kind "use")) @definition.import
(namespace_use_clause !alias [(qualified_name (name) @name) (name) @name]
  (#set! native_kind "use")) @definition.import

; ---------------------------------------------------------------------------- classes

(class_declaration name: (name) @name body: (declaration_list) @body
  (#set! native_kind "class")) @definition.class
(interface_declaration name: (name) @name body: (declaration_list) @body
  (#set! native_kind "interface")) @definition.interface
(trait_declaration name: (name) @name body: (declaration_list) @body
  (#set! native_kind "trait")) @definition.class
(enum_declaration name: (name) @name body: (enum_declaration_list) @body
  (#set! native_kind "enum")) @definition.enum
(enum_case name: (name) @name (#set! native_kind "case")) @definition.enum_member

; ---------------------------------------------------------------------------- members

(method_declaration name: (name) @name body: (compound_statement)? @body
  (#eq? @name "__construct") (#set! native_kind "constructor")) @definition.constructor
(interface_declaration body: (declaration_list
  (method_declaration name: (name) @name (#set! native_kind "method")
    (#set! modifiers "abstract")) @definition.method))
(method_declaration name: (name) @name body: (compound_statement)? @body
  (#set! native_kind "method")) @definition.method

; `public static ?int $a = 0, $b;`: one property per variable, named without the `$`.
(property_declaration (property_element name: (variable_name (name) @name))
  (#set! native_kind "property")) @definition.property

; class and global `const A = 1, B = 2;`, and `define('NAME', value)`
(const_declaration (const_element (name) @name) (#set! native_kind "const")) @definition.constant
(function_call_expression function: (name) @_f
  arguments: (arguments . (argument (string . (string_content) @name .)))
  (#eq? @_f "define") (#set! native_kind "define")) @definition.constant

; -------------------------------------------------------------------------- functions

(function_definition name: (name) @name body: (compound_statement) @body
  (#set! native_kind "function")) @definition.function

; global variables: assignments at the top level of the file or of a namespace block
(program (expression_statement (assignment_expression left: (variable_name (name) @name))
  @definition.variable (#set! native_kind "variable")))
(namespace_definition body: (compound_statement (expression_statement
  (assignment_expression left: (variable_name (name) @name))
  @definition.variable (#set! native_kind "variable"))))

; ------------------------------------------------------------------------- attributes

; `#[Attr]` groups of any definition: class, method, property, constant, function, case
(_ attributes: (attribute_list (attribute_group) @decorator)) @target
