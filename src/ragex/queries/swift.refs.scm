; Swift references. Capture contract: docs/queries.md, "References". The grammar wheel's
; tags.scm has no reference pattern: these follow Java's and Kotlin's on tree-sitter-swift.

; Imports: `import Foundation`, `import struct Swift.Array` (a module, or one of its names)
(import_declaration (identifier) @reference.import) @import

; Calls: `f()`, `obj.m()`, `obj?.m()`, `Type(...)` (a construction is a call), `a.B.c()`
; (`items[i]` is a call_expression too: its arguments open with `[`, not `(`)
(call_expression . (simple_identifier) @reference.call
  (call_suffix [(value_arguments . "(") (lambda_literal)]))
(call_expression . (navigation_expression
  suffix: (navigation_suffix suffix: (simple_identifier) @reference.call)) @qualified
  (call_suffix [(value_arguments . "(") (lambda_literal)]))
(constructor_expression constructed_type: (user_type (type_identifier) @reference.call .))
(constructor_expression constructed_type: (user_type (type_identifier) @reference.call .
  (type_arguments)))

; Inheritance and conformance (the grammar does not tell a class from a protocol)
(inheritance_specifier inherits_from: (user_type (type_identifier) @reference.inherit .))
(inheritance_specifier inherits_from: (user_type (type_identifier) @reference.inherit .
  (type_arguments)))

; Attributes: `@available(...)`, `@MainActor`, property wrappers `@Published`
(attribute (user_type (type_identifier) @reference.decorator .))

; Types wherever they are written (`Mod.T` read part by part, each after the one before);
; an extension's name is the type it extends (the registry's `name_is_reference`)
(user_type (type_identifier) @reference.type)
(user_type (type_identifier) @qualifier . (type_identifier))

; A defined name used as a value (kept when the file defines or imports it)
(value_argument value: (simple_identifier) @reference.value)
(control_transfer_statement result: (simple_identifier) @reference.value)
(property_declaration value: (simple_identifier) @reference.value)
