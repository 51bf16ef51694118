; JavaScript (and JSX, .mjs, .cjs) definitions: ecmascript.scm (the patterns JavaScript
; shares with TypeScript) plus these, which the TypeScript grammar does not have or
; spells otherwise. Capture contract: docs/queries.md.
;
; Stacking (docs/queries.md): the patterns above the `; @base` line come before the
; base's, those below it after: a pattern listed first wins a name node. The module
; variables come last so that `const x = require('y')` stays an import and
; `const f = () => {}` a function (base patterns) rather than a constant.
;
; Module-level `const` is kind constant (native_kind "const"), `let` / `var` are
; variables: the keyword says so, and ctags and tsserver ("const" element kind) agree.

; ------------------------------------------------------------------ classes
(class_declaration
  name: (identifier) @name
  body: (class_body) @body
  (#set! native_kind "class")) @definition.class

; ------------------------------------------------------------------ class members
(class_body
  (method_definition
    name: (property_identifier) @name
    body: (statement_block) @body
    (#eq? @name "constructor")
    (#set! native_kind "constructor")) @definition.constructor)

; handle = (e) => { ... } in a class body is a method
(class_body
  (field_definition
    property: (_) @name
    value: [(arrow_function body: (_) @body)
            (function_expression body: (_) @body)
            (generator_function body: (_) @body)]
    (#set! native_kind "field")) @definition.method)

(class_body
  (field_definition
    property: (_) @name
    (#set! native_kind "field")) @definition.field)

; #private members
(class_body [(method_definition name: (private_property_identifier))
             (field_definition property: (private_property_identifier))] @target
  (#set! modifier "private"))
(field_definition value: [(arrow_function "async") (function_expression "async")
                          (generator_function "async")]
  (#set! modifier "async")) @target

; module.exports = class Parser {}, module.exports = function parse() {}
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
      right: [(class name: (identifier) @name body: (class_body) @body) @definition.class
              (function_expression name: (identifier) @name body: (_) @body) @definition.function
              (generator_function name: (identifier) @name body: (_) @body) @definition.function]))
  (#eq? @_module "module")
  (#eq? @_exports "exports")
  (#set! modifiers "exported"))

; module.exports = function (...) {} / (...) => {} / class {}: anonymous, so named
; `exports` (as universal-ctags does)
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (identifier) @_module property: (property_identifier) @name)
      right: [(function_expression !name body: (_) @body) (arrow_function body: (_) @body)
              (generator_function !name body: (_) @body)]) @definition.function)
  (#eq? @_module "module")
  (#eq? @name "exports")
  (#set! native_kind "module_exports")
  (#set! modifiers "exported"))
(program
  (expression_statement
    (assignment_expression
      left: (member_expression object: (identifier) @_module property: (property_identifier) @name)
      right: (class !name body: (class_body) @body)) @definition.class)
  (#eq? @_module "module")
  (#eq? @name "exports")
  (#set! native_kind "module_exports")
  (#set! modifiers "exported"))

; @base: the patterns of ecmascript.scm come here

; ------------------------------------------------------------------ module variables
; const / let / var at module level, destructuring included.
(program
  [(lexical_declaration kind: "const"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.constant
   (export_statement declaration: (lexical_declaration kind: "const"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.constant)]
  (#set! native_kind "const"))

(program
  [(lexical_declaration kind: "let"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable
   (export_statement declaration: (lexical_declaration kind: "let"
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable)]
  (#set! native_kind "let"))

(program
  [(variable_declaration
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable
   (export_statement declaration: (variable_declaration
     (variable_declarator
       name: [(identifier) @name
              (object_pattern [(shorthand_property_identifier_pattern) @name
                               (pair_pattern value: (identifier) @name)])
              (array_pattern (identifier) @name)])) @definition.variable)]
  (#set! native_kind "var"))

; ------------------------------------------------------------------ decorators
(class_declaration (decorator) @decorator) @target
(class_body [(method_definition (decorator) @decorator)
             (field_definition (decorator) @decorator)] @target)
