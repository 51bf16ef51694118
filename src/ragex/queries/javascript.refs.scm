; JavaScript references (also stacked under TypeScript and TSX: only node kinds that the
; TypeScript grammars have). Capture contract: docs/queries.md, "References".

; ES imports: `import a, {b as c} from './m'`, `import * as ns from 'm'`; re-exports
(import_statement (import_clause (identifier) @import.default)
  source: (string (string_fragment) @import.from)) @import
(import_statement (import_clause (namespace_import (identifier) @import.namespace))
  source: (string (string_fragment) @import.from)) @import
(import_statement (import_clause (named_imports
  (import_specifier name: (identifier) @reference.import
                    alias: (identifier)? @import.alias) @import.clause))
  source: (string (string_fragment) @import.from)) @import
(export_statement (export_clause
  (export_specifier name: (identifier) @reference.import
                    alias: (identifier)? @import.alias) @import.clause)
  source: (string (string_fragment) @import.from)) @import
(export_statement "*" @reference.import source: (string (string_fragment) @import.from))
  @import
; CommonJS: `const x = require('m')`, `const {a, b: c} = require('m')`
(variable_declarator name: (identifier) @import.namespace
  value: (call_expression function: (identifier) @_require
                          arguments: (arguments . (string (string_fragment) @import.from)))
  (#eq? @_require "require")) @import
(variable_declarator
  name: (object_pattern [
    (shorthand_property_identifier_pattern) @reference.import
    (pair_pattern key: (property_identifier) @reference.import
                  value: (identifier) @import.alias) @import.clause])
  value: (call_expression function: (identifier) @_require
                          arguments: (arguments . (string (string_fragment) @import.from)))
  (#eq? @_require "require")) @import

; Calls and constructions: `f()`, `obj.m()`, `a?.b()`, `new T()`, `new ns.T()`
(call_expression function: (identifier) @reference.call (#not-eq? @reference.call "require"))
(call_expression function: (member_expression property: (property_identifier) @reference.call)
  @qualified)
(new_expression constructor: (identifier) @reference.call)
(new_expression constructor: (member_expression property: (property_identifier) @reference.call)
  @qualified)

; Inheritance: javascript-only.refs.scm and typescript.refs.scm (the grammars differ)

; Decorators without arguments
(decorator (identifier) @reference.decorator)
(decorator (member_expression property: (property_identifier) @reference.decorator)
  @qualified)

; A defined name used as a value (kept when the file defines or imports it)
(arguments [(identifier) @reference.value
            (member_expression property: (property_identifier) @reference.value) @qualified])
(pair value: (identifier) @reference.value)
(array (identifier) @reference.value)
(assignment_expression right: [
  (identifier) @reference.value
  (member_expression property: (property_identifier) @reference.value) @qualified])
(variable_declarator value: (identifier) @reference.value)
(return_statement (identifier) @reference.value)
(export_statement (export_clause (export_specifier name: (identifier) @reference.value))
  !source)
(export_statement value: (identifier) @reference.value)
