; Kotlin references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm: these follow Java's (java.refs.scm) on tree-sitter-kotlin's nodes.

; Imports: `import a.b.C`, `import a.b.C as D`, `import a.b.*`
((import (qualified_identifier) @reference.import) @import @import.clause
  (#not-match? @import "[*]"))
(import (qualified_identifier) (identifier) @import.alias) @import.clause
(import (qualified_identifier) @import.from "*" @reference.import) @import

; Calls: `f()`, `obj.m()`, `obj?.m()`, `Type()` (a construction is a call), `a.B.c()`
(call_expression . (identifier) @reference.call)
(call_expression . (navigation_expression (identifier) @reference.call .) @qualified)

; Inheritance: `: Base(args)` names the superclass (a constructor call), a bare type an
; interface, `I by x` an interface delegated to x
(delegation_specifier (constructor_invocation (user_type (identifier) @reference.inherit .)))
(delegation_specifier (constructor_invocation (user_type (identifier) @reference.inherit .
  (type_arguments))))
(delegation_specifier (user_type (identifier) @reference.implement .))
(delegation_specifier (user_type (identifier) @reference.implement . (type_arguments)))
(delegation_specifier (explicit_delegation (user_type (identifier) @reference.implement .)))
(delegation_specifier (explicit_delegation (user_type (identifier) @reference.implement .
  (type_arguments))))

; Annotations: `@Suppress("x")`, `@JvmStatic`, `@file:JvmName("x")`
(annotation (user_type (identifier) @reference.decorator .))
(annotation (constructor_invocation (user_type (identifier) @reference.decorator .)))
(file_annotation (constructor_invocation (user_type (identifier) @reference.decorator .)))
(file_annotation (user_type (identifier) @reference.decorator .))

; Types wherever they are written: `a.b.T` is read part by part, each after the one before
(user_type (identifier) @reference.type)
(user_type (identifier) @qualifier . (identifier))

; A defined name used as a value (kept when the file defines or imports it): arguments,
; callable references `::f`, `Type::f`, initializers, returns
(value_argument (identifier) @reference.value)
(callable_reference (identifier) @reference.value .)
(property_declaration (identifier) @reference.value .)
(return_expression (identifier) @reference.value)
(function_body (identifier) @reference.value)
