; TypeScript and TSX definitions (both grammars use the same node types).
; Capture contract: docs/queries.md. Earlier patterns win when two match the same name.
; Not definitions here: re-exports (`export { a as b }`, `export * from`), side-effect
; imports (`import './x.css'`), object literals other than a `const x = {...}` value,
; `this.x = ...` assignments, constructor parameter properties (`constructor(private x: T)`).
;
; The JavaScript rules (javascript.scm) apply, plus interfaces, type aliases, enums,
; namespaces / ambient modules, abstract classes, overload signatures and `declare`.
; Module-level `const` is kind constant (native_kind "const"), `let` / `var` variables.

; ------------------------------------------------------------------ imports
(import_clause (identifier) @name @definition.import
  (#set! native_kind "import"))
(import_specifier alias: (identifier) @name (#set! native_kind "import")) @definition.import
(import_specifier name: (identifier) @name !alias (#set! native_kind "import"))
  @definition.import
(namespace_import (identifier) @name (#set! native_kind "import")) @definition.import
; import fs = require("fs"); import Alias = Some.Namespace;
(import_require_clause (identifier) @name (#set! native_kind "import_require"))
  @definition.import
(import_alias . (identifier) @name (#set! native_kind "import_alias")) @definition.import

; CommonJS: const x = require('y'), const {a, b: c} = require('y'), require('y').z
([(lexical_declaration
   (variable_declarator
     name: [(identifier) @name
            (object_pattern [(shorthand_property_identifier_pattern) @name
                             (pair_pattern value: (identifier) @name)])]
     value: [(call_expression function: (identifier) @_req arguments: (arguments . (string)))
             (member_expression
               object: (call_expression function: (identifier) @_req
                                        arguments: (arguments . (string))))]))
  (variable_declaration
   (variable_declarator
     name: [(identifier) @name
            (object_pattern [(shorthand_property_identifier_pattern) @name
                             (pair_pattern value: (identifier) @name)])]
     value: [(call_expression function: (identifier) @_req arguments: (arguments . (string)))
             (member_expression
               object: (call_expression function: (identifier) @_req
                                        arguments: (arguments . (string))))]))]
  @definition.import
  (#eq? @_req "require")
  (#set! native_kind "require"))

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

; const Foo = class { ... }
([(lexical_declaration
   (variable_declarator name: (identifier) @name value: (class body: (class_body) @body)))
  (variable_declaration
   (variable_declarator name: (identifier) @name value: (class body: (class_body) @body)))]
  @definition.class
  (#set! native_kind "class"))

; export default class { ... }: named by its `default` keyword, as tsserver names it
(export_statement "default" @name
  value: (class !name body: (class_body) @body) @definition.class
  (#set! modifiers "default")
  (#set! native_kind "class"))

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

(class_body
  (method_definition "get"
    name: (_) @name
    body: (statement_block) @body
    (#set! native_kind "getter")) @definition.property)

(class_body
  (method_definition "set"
    name: (_) @name
    body: (statement_block) @body
    (#set! native_kind "setter")) @definition.property)

(class_body
  (method_definition
    name: (_) @name
    body: (statement_block) @body
    (#set! native_kind "method")) @definition.method)

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

; ------------------------------------------------------------------ functions
(function_declaration
  name: (identifier) @name
  body: (statement_block) @body
  (#set! native_kind "function")) @definition.function

(generator_function_declaration
  name: (identifier) @name
  body: (statement_block) @body
  (#set! native_kind "generator")) @definition.function

; overload lines and `declare function`: each is a definition
(function_signature name: (identifier) @name (#set! native_kind "function_signature"))
  @definition.function

; export default function () {}, export default () => {}: named `default`
(export_statement "default" @name
  value: [(function_expression !name body: (statement_block) @body)
          (generator_function !name body: (statement_block) @body)
          (arrow_function body: (_) @body)] @definition.function
  (#set! modifiers "default")
  (#set! native_kind "function"))

; const f = (a: T): R => ..., let g = function () {}, var h = function* () {}
([(lexical_declaration
   (variable_declarator name: (identifier) @name value: (arrow_function body: (_) @body)))
  (variable_declaration
   (variable_declarator name: (identifier) @name value: (arrow_function body: (_) @body)))]
  @definition.function
  (#set! native_kind "arrow_function"))

([(lexical_declaration
   (variable_declarator name: (identifier) @name value: (function_expression body: (_) @body)))
  (variable_declaration
   (variable_declarator name: (identifier) @name value: (function_expression body: (_) @body)))]
  @definition.function
  (#set! native_kind "function_expression"))

([(lexical_declaration
   (variable_declarator name: (identifier) @name value: (generator_function body: (_) @body)))
  (variable_declaration
   (variable_declarator name: (identifier) @name value: (generator_function body: (_) @body)))]
  @definition.function
  (#set! native_kind "generator"))

; `async` sits after the name there, so it is added explicitly
([(lexical_declaration
   (variable_declarator value: [(arrow_function "async") (function_expression "async")
                                (generator_function "async")]))
  (variable_declaration
   (variable_declarator value: [(arrow_function "async") (function_expression "async")
                                (generator_function "async")]))] @target
  (#set! modifier "async"))
(export_statement value: [(arrow_function "async") (function_expression "async")
                          (generator_function "async")] @target
  (#set! modifier "async"))
(public_field_definition value: [(arrow_function "async") (function_expression "async")
                          (generator_function "async")]
  (#set! modifier "async")) @target

; Foo.prototype.bar = function () {}: a method of Foo
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (member_expression object: (identifier) @scope
                                   property: (property_identifier) @_proto)
        property: (property_identifier) @name)
      right: [(function_expression body: (_) @body) (arrow_function body: (_) @body)
              (generator_function body: (_) @body)])) @definition.method
  (#eq? @_proto "prototype")
  (#set! native_kind "prototype_method"))

; Foo.bar = function () {} at module level: a (static) method of Foo
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (identifier) @scope property: (property_identifier) @name)
      right: [(function_expression body: (_) @body) (arrow_function body: (_) @body)
              (generator_function body: (_) @body)])) @definition.method
  (#not-match? @scope "^(module|exports)$")
  (#set! native_kind "static_method"))

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

; exports.foo = function () {}, module.exports.foo = () => {}
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: [(identifier) @_exports
                 (member_expression object: (identifier) @_module
                                    property: (property_identifier) @_exports)]
        property: (property_identifier) @name)
      right: [(function_expression body: (_) @body) (arrow_function body: (_) @body)
              (generator_function body: (_) @body)])) @definition.function
  (#eq? @_exports "exports")
  (#set! native_kind "function_expression")
  (#set! modifiers "exported"))

; const api = { get() {}, put: function () {}, del: () => {} }: methods of a module constant
(program
  [(lexical_declaration (variable_declarator name: (identifier)
     value: (object [(method_definition name: (_) @name body: (statement_block) @body)
                     (pair key: (_) @name value: [(function_expression body: (_) @body)
                                                  (arrow_function body: (_) @body)])]
             @definition.method)))
   (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier)
     value: (object [(method_definition name: (_) @name body: (statement_block) @body)
                     (pair key: (_) @name value: [(function_expression body: (_) @body)
                                                  (arrow_function body: (_) @body)])]
             @definition.method))))]
  (#set! native_kind "object_method"))

; the same in a function: nested functions of the enclosing one (the object is a local)
([(lexical_declaration (variable_declarator name: (identifier)
    value: (object [(method_definition name: (_) @name body: (statement_block) @body)
                    (pair key: (_) @name value: [(function_expression body: (_) @body)
                                                 (arrow_function body: (_) @body)])]
            @definition.function)))
  (variable_declaration (variable_declarator name: (identifier)
    value: (object [(method_definition name: (_) @name body: (statement_block) @body)
                    (pair key: (_) @name value: [(function_expression body: (_) @body)
                                                 (arrow_function body: (_) @body)])]
            @definition.function)))]
  (#set! native_kind "object_method"))

; module.exports = { create() {}, helper: function () {} }
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (identifier) @_module
                               property: (property_identifier) @_exports)
      right: (object [(method_definition name: (_) @name body: (statement_block) @body)
                      (pair key: (_) @name value: [(function_expression body: (_) @body)
                                                   (arrow_function body: (_) @body)])]
              @definition.function)))
  (#eq? @_module "module")
  (#eq? @_exports "exports")
  (#set! native_kind "object_method")
  (#set! modifiers "exported"))

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
