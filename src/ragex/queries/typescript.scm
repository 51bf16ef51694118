; TypeScript and TSX definitions (both grammars use the same node types):
; ecmascript.scm (the patterns TypeScript shares with JavaScript) plus these: interfaces,
; type aliases, enums, namespaces / ambient modules, abstract classes, overload
; signatures, `declare`, and what the TypeScript grammar spells otherwise
; (`type_identifier` class names, `public_field_definition`). Capture contract:
; docs/queries.md.
;
; Stacking (docs/queries.md): the patterns above the `; @base` line come before the
; base's, those below it after: a pattern listed first wins a name node. The module
; variables come last so that `const x = require('y')` stays an import and
; `const f = () => {}` a function (base patterns) rather than a constant.
;
; Not definitions here (besides those named in ecmascript.scm): constructor parameter
; properties (`constructor(private x: T)`).
; Module-level `const` is kind constant (native_kind "const"), `let` / `var` variables.

; ------------------------------------------------------------------ imports
; import fs = require("fs"); import Alias = Some.Namespace;
(import_require_clause (identifier) @name (#set! native_kind "import_require"))
  @definition.import
(import_alias . (identifier) @name (#set! native_kind "import_alias")) @definition.import

; ------------------------------------------------------------------ namespaces, modules
; namespace A.B {} / module A {} (the legacy spelling of a namespace)
(internal_module
  name: [(identifier) (nested_identifier)] @name
  body: (statement_block) @body
  (#set! native_kind "namespace")) @definition.namespace
(module
  name: [(identifier) (nested_identifier)] @name
  body: (statement_block) @body
  (#set! native_kind "module")) @definition.namespace
; declare module "x" { ... } / declare module "x";
(module
  name: (string (string_fragment) @name)
  body: (statement_block)? @body
  (#set! native_kind "module")) @definition.module
; declare global { ... }
(ambient_declaration "global" @name (statement_block) @body
  (#set! native_kind "global")) @definition.namespace

; ------------------------------------------------------------------ types
(class_declaration
  name: (type_identifier) @name
  body: (class_body) @body
  (#set! native_kind "class")) @definition.class

(abstract_class_declaration
  name: (type_identifier) @name
  body: (class_body) @body
  (#set! native_kind "abstract_class")) @definition.class

(interface_declaration
  name: (type_identifier) @name
  body: (interface_body) @body
  (#set! native_kind "interface")) @definition.interface

(type_alias_declaration
  name: (type_identifier) @name
  (#set! native_kind "type")) @definition.type_alias

(enum_declaration
  name: (identifier) @name
  body: (enum_body) @body
  (#set! native_kind "enum")) @definition.enum

(enum_body name: [(property_identifier) @name (string (string_fragment) @name)]
  @definition.enum_member
  (#set! native_kind "enum_member"))
(enum_body (enum_assignment
  name: [(property_identifier) @name (string (string_fragment) @name)])
  @definition.enum_member
  (#set! native_kind "enum_member"))

; ------------------------------------------------------------------ class members
(class_body
  [(method_definition name: (property_identifier) @name body: (statement_block) @body)
   (method_signature name: (property_identifier) @name)] @definition.constructor
  (#eq? @name "constructor")
  (#set! native_kind "constructor"))

; accessor signatures: `get size(): number;` in an interface or a `declare class`
([(class_body (method_signature "get" name: (_) @name) @definition.property)
  (interface_body (method_signature "get" name: (_) @name) @definition.property)]
  (#set! native_kind "getter"))
([(class_body (method_signature "set" name: (_) @name) @definition.property)
  (interface_body (method_signature "set" name: (_) @name) @definition.property)]
  (#set! native_kind "setter"))

; `new (x: number): Foo` in an interface: a constructor named `new`
([(interface_body (construct_signature "new" @name) @definition.constructor)
  (type_alias_declaration value: (object_type
     (construct_signature "new" @name) @definition.constructor))]
  (#set! native_kind "construct_signature"))

; an overload line (or a `declare class` member) in a class; a method of an interface
; or of an object type alias (not of inline object types in parameters)
([(class_body (method_signature name: (_) @name) @definition.method)
  (interface_body (method_signature name: (_) @name) @definition.method)
  (type_alias_declaration value: (object_type
     (method_signature name: (_) @name) @definition.method))]
  (#set! native_kind "method_signature"))

(abstract_method_signature name: (_) @name (#set! native_kind "abstract_method"))
  @definition.method

; handle = (e) => { ... } in a class body is a method
(class_body
  (public_field_definition
    name: (_) @name
    value: [(arrow_function body: (_) @body)
            (function_expression body: (_) @body)
            (generator_function body: (_) @body)]
    (#set! native_kind "field")) @definition.method)

(class_body
  (public_field_definition
    name: (_) @name
    (#set! native_kind "field")) @definition.field)

([(interface_body (property_signature name: (_) @name) @definition.field)
  (type_alias_declaration value: (object_type
     (property_signature name: (_) @name) @definition.field))]
  (#set! native_kind "property_signature"))

; #private members
(class_body [(method_definition name: (private_property_identifier))
             (public_field_definition name: (private_property_identifier))] @target
  (#set! modifier "private"))

; overload lines and `declare function`: each is a definition
(function_signature name: (identifier) @name (#set! native_kind "function_signature"))
  @definition.function
(public_field_definition value: [(arrow_function "async") (function_expression "async")
                          (generator_function "async")]
  (#set! modifier "async")) @target

; module.exports = class Parser {}, module.exports = function parse() {}
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
      right: [(class name: (type_identifier) @name body: (class_body) @body) @definition.class
              (function_expression name: (identifier) @name body: (_) @body) @definition.function
              (generator_function name: (identifier) @name body: (_) @body) @definition.function]))
  (#eq? @_module "module")
  (#eq? @_exports "exports")
  (#set! modifiers "exported"))

; @base: the patterns of ecmascript.scm come here

; ------------------------------------------------------------------ module variables
; const / let / var at module level, in namespaces and in `declare` / `export`.
([(program (lexical_declaration kind: "const"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.constant)
  (export_statement (lexical_declaration kind: "const"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.constant)
  (ambient_declaration (lexical_declaration kind: "const"
     (variable_declarator name: (identifier) @name)) @definition.constant)
  (internal_module body: (statement_block (lexical_declaration kind: "const"
     (variable_declarator name: (identifier) @name)) @definition.constant))
  (module body: (statement_block (lexical_declaration kind: "const"
     (variable_declarator name: (identifier) @name)) @definition.constant))]
  (#set! native_kind "const"))

([(program (lexical_declaration kind: "let"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable)
  (export_statement (lexical_declaration kind: "let"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable)
  (ambient_declaration (lexical_declaration kind: "let"
     (variable_declarator name: (identifier) @name)) @definition.variable)
  (internal_module body: (statement_block (lexical_declaration kind: "let"
     (variable_declarator name: (identifier) @name)) @definition.variable))
  (module body: (statement_block (lexical_declaration kind: "let"
     (variable_declarator name: (identifier) @name)) @definition.variable))]
  (#set! native_kind "let"))

([(program (variable_declaration
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable)
  (export_statement (variable_declaration
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable)
  (ambient_declaration (variable_declaration
     (variable_declarator name: (identifier) @name)) @definition.variable)
  (internal_module body: (statement_block (variable_declaration
     (variable_declarator name: (identifier) @name)) @definition.variable))
  (module body: (statement_block (variable_declaration
     (variable_declarator name: (identifier) @name)) @definition.variable))]
  (#set! native_kind "var"))

; ------------------------------------------------------------------ decorators
; @dec class A {} / @dec export class A {}
([(class_declaration (decorator) @decorator)
  (abstract_class_declaration (decorator) @decorator)] @target)
(export_statement (decorator) @decorator declaration: (_) @target)
; class members: the decorators are the member's preceding siblings (fields hold theirs)
(class_body
  (decorator) @decorator . (decorator)* .
  [(method_definition) (method_signature) (abstract_method_signature)
   (public_field_definition)] @target)
(public_field_definition (decorator) @decorator) @target
