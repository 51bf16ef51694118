; ECMAScript definitions shared by JavaScript, TypeScript and TSX: the base that
; javascript.scm and typescript.scm stack on (a registry row lists the files it stacks,
; base first: docs/queries.md, "Stacked query files"). Capture contract: docs/queries.md.
; Only patterns that mean the same in the JavaScript and the TypeScript grammars live
; here; what differs (`class_declaration` names an `identifier` in JavaScript and a
; `type_identifier` in TypeScript, `field_definition` is TypeScript's
; `public_field_definition`, module variables) is in each language's own file.
; Earlier patterns win when two match the same name node.
;
; Not definitions here: re-exports (`export { a as b }`, `export * from`), side-effect
; imports (`import './x.css'`), object literals other than a `const x = {...}` value,
; `this.x = ...` assignments. Declarations inside functions are locals and are dropped
; by the extractor.

; ------------------------------------------------------------------ imports
; One symbol per bound name: default, named, aliased (the alias is the name), `* as ns`.
(import_clause (identifier) @name @definition.import
  (#set! native_kind "import"))
(import_specifier alias: (identifier) @name (#set! native_kind "import")) @definition.import
(import_specifier name: (identifier) @name !alias (#set! native_kind "import"))
  @definition.import
(namespace_import (identifier) @name (#set! native_kind "import")) @definition.import

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

; ------------------------------------------------------------------ functions
(function_declaration
  name: (identifier) @name
  body: (statement_block) @body
  (#set! native_kind "function")) @definition.function

(generator_function_declaration
  name: (identifier) @name
  body: (statement_block) @body
  (#set! native_kind "generator")) @definition.function

; export default function () {}, export default () => {}: named `default`
(export_statement "default" @name
  value: [(function_expression !name body: (statement_block) @body)
          (generator_function !name body: (statement_block) @body)
          (arrow_function body: (_) @body)] @definition.function
  (#set! modifiers "default")
  (#set! native_kind "function"))

; const f = (a, b) => ..., let g = function () {}, var h = function* () {}
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

; export default { data() {}, methods: { toggle() {} } }: the methods of a default-exported
; object and of the objects in it (a Vue component's options, a configuration), also
; through a call: export default defineComponent({ ... })
(export_statement "default"
  value: [
    (object [(method_definition name: (_) @name body: (statement_block) @body)
             (pair key: (_) @name value: [(function_expression body: (_) @body)
                                          (arrow_function body: (_) @body)])]
      @definition.method)
    (object (pair value: (object
      [(method_definition name: (_) @name body: (statement_block) @body)
       (pair key: (_) @name value: [(function_expression body: (_) @body)
                                    (arrow_function body: (_) @body)])] @definition.method)))
    (call_expression arguments: (arguments (object
      [(method_definition name: (_) @name body: (statement_block) @body)
       (pair key: (_) @name value: [(function_expression body: (_) @body)
                                    (arrow_function body: (_) @body)])] @definition.method)))
    (call_expression arguments: (arguments (object (pair value: (object
      [(method_definition name: (_) @name body: (statement_block) @body)
       (pair key: (_) @name value: [(function_expression body: (_) @body)
                                    (arrow_function body: (_) @body)])]
        @definition.method)))))
  ]
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
