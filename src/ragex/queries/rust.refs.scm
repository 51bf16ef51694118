; Rust references. Capture contract: docs/queries.md, "References".

; `use` declarations: `use a::b::C;`, `use a::b::{c, d::E as F};`, `use a::*;`
(use_declaration argument: [(scoped_identifier) (identifier)] @reference.import) @import
(use_declaration argument: (use_as_clause path: (_) @reference.import
                                          alias: (identifier) @import.alias) @import.clause)
  @import
(scoped_use_list path: (_) @import.from list: (use_list [
  (identifier) @reference.import
  (scoped_identifier) @reference.import
  (use_as_clause path: (_) @reference.import alias: (identifier) @import.alias) @import.clause
  ])) @import
(use_wildcard (_) @import.from "*" @reference.import) @import

; Calls: `f()`, `x.m()`, `T::new()`, `f::<T>()`, macros `m!()`
(call_expression function: [
  (identifier) @reference.call
  (field_expression field: (field_identifier) @reference.call) @qualified
  (scoped_identifier name: (identifier) @reference.call) @qualified
  (generic_function function: [
    (identifier) @reference.call
    (field_expression field: (field_identifier) @reference.call) @qualified
    (scoped_identifier name: (identifier) @reference.call) @qualified])])
(macro_invocation macro: [
  (identifier) @reference.call
  (scoped_identifier name: (identifier) @reference.call) @qualified])

; Implementations: `impl Trait for T` implements Trait; supertraits `trait A: B + C`
(impl_item trait: [
  (type_identifier) @reference.implement
  (scoped_type_identifier name: (type_identifier) @reference.implement) @qualified
  (generic_type type: [
    (type_identifier) @reference.implement
    (scoped_type_identifier name: (type_identifier) @reference.implement) @qualified])])
(trait_item bounds: (trait_bounds [
  (type_identifier) @reference.inherit
  (scoped_type_identifier name: (type_identifier) @reference.inherit) @qualified]))

; Attributes without arguments (`#[test]`) and derives name macros
(attribute_item (attribute . (identifier) @reference.decorator .))

; Types wherever they are written (`impl T` too: the row's `name_is_reference`), struct
; literals, paths; a type parameter's own name is none
(type_identifier) @reference.type
(scoped_type_identifier name: (type_identifier) @reference.type) @qualified
(type_parameter name: (type_identifier) @skip)

; A defined name used as a value (kept when the file defines or imports it)
(arguments [(identifier) @reference.value
            (scoped_identifier name: (identifier) @reference.value) @qualified])
(field_initializer value: (identifier) @reference.value)
(let_declaration value: (identifier) @reference.value)
(return_expression (identifier) @reference.value)
