; Dart references. Capture contract: docs/queries.md, "References". The grammar wheel's
; tags.scm names `new T()`, calls and member assignments; here with qualifiers and kinds.
; tree-sitter-dart writes `a.b.c(x)` flat: the object, then a selector per `.b` and one
; for the arguments, so a call is a name followed by a selector holding arguments.

; Imports: `import 'src/util.dart'`, `import 'package:p/x.dart' as x`, `export '...'`
(import_specification (configurable_uri (uri (string_literal) @reference.import)))
  @import @import.clause
(import_specification (configurable_uri) . (identifier) @import.alias)
(library_export (configurable_uri (uri (string_literal) @reference.import))) @import
(part_directive (uri (string_literal) @reference.import)) @import

; Calls: `f(x)`, `Foo(x)` (a construction), `obj.m(x)`, `obj?.m(x)`, `super.m(x)`,
; `list..add(x)`, `new Foo.named(x)`, `const Foo()`
(_ (identifier) @reference.call . (selector (argument_part)))
(_ (selector [
  (unconditional_assignable_selector (identifier) @reference.call)
  (conditional_assignable_selector (identifier) @reference.call)])
  . (selector (argument_part)))
(_ (unconditional_assignable_selector (identifier) @reference.call)
  . (selector (argument_part)))
(cascade_section (cascade_selector (identifier) @reference.call) . (argument_part))
; `new T(x)`, `const T(x)`; `new T.named(x)`, `new prefix.T(x)`, `List<E>.generate(x)`
; (the grammar cannot tell a named constructor from an import prefix: the last name is
; the call, the type before it its qualifier)
(new_expression (type_identifier) @reference.call . [(arguments) (type_arguments)])
(const_object_expression (type_identifier) @reference.call . [(arguments) (type_arguments)])
(new_expression (type_identifier) @qualifier . (identifier) @reference.call)
(const_object_expression (type_identifier) @qualifier . (identifier) @reference.call)
(constructor_invocation (type_identifier) @qualifier . (identifier) @reference.call)
(constructor_invocation (type_identifier) @qualifier . (type_arguments) . (identifier)
  @reference.call)

; Objects a member follows: `x.`, `this.`, `super.`, a `.b` before `.c`
(_ [(identifier) (this) (super)] @qualifier . [
  (selector [(unconditional_assignable_selector) (conditional_assignable_selector)])
  (unconditional_assignable_selector)])
(_ (selector [
  (unconditional_assignable_selector (identifier) @qualifier)
  (conditional_assignable_selector (identifier) @qualifier)])
  . (selector [(unconditional_assignable_selector) (conditional_assignable_selector)]))

; Inheritance: `extends B`, `with M` (mixins), `implements I`, `on T` (a mixin's base)
(superclass (type_identifier) @reference.inherit)
(mixins (type_identifier) @reference.inherit)
(interfaces (type_identifier) @reference.implement)

; Annotations: `@override`, `@JsonKey(name: 'x')`
(annotation name: (identifier) @reference.decorator)

; Types wherever they are written
(type_identifier) @reference.type

; Members read or assigned (`o.x`, `o?.x`, `this.x = 1`): a member's name is no local
; (`@member`); a call of it is a call (above)
(selector [
  (unconditional_assignable_selector (identifier) @reference.value @member)
  (conditional_assignable_selector (identifier) @reference.value @member)])
(assignable_expression [
  (unconditional_assignable_selector (identifier) @reference.value @member)
  (conditional_assignable_selector (identifier) @reference.value @member)])
(_ (unconditional_assignable_selector (identifier) @reference.value @member))

; A defined name used as a value (kept when the file defines or imports it)
(argument (identifier) @reference.value)
(named_argument (identifier) @reference.value)
(initialized_variable_definition value: (identifier) @reference.value)
(return_statement (identifier) @reference.value)
