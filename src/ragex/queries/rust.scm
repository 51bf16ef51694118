; Rust definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.

; Modules: `mod x { ... }` nests its items; `mod x;` declares a module file.
(mod_item name: (identifier) @name body: (declaration_list)? @body
  (#set! native_kind "mod")) @definition.module

; `use` declarations: one import per bound name, aliases kept (`use a::{b, c as d}`).
; `self` in a list binds the list's path (`use std::io::{self}` binds `io`); a glob
; is named `*`.
(use_declaration argument: (identifier) @name @definition.import)
(use_declaration argument: (scoped_identifier name: (identifier) @name) @definition.import)
(use_declaration argument: (use_as_clause alias: (identifier) @name) @definition.import)
(use_declaration argument: (use_wildcard "*" @name) @definition.import)
(use_list (identifier) @name @definition.import)
(use_list (scoped_identifier name: (identifier) @name) @definition.import)
(use_list (use_as_clause alias: (identifier) @name) @definition.import)
(use_list (use_wildcard "*" @name) @definition.import)
(scoped_use_list
  path: [(identifier) @name (scoped_identifier name: (identifier) @name)]
  list: (use_list (self) @definition.import))
(extern_crate_declaration alias: (identifier) @name) @definition.import
(extern_crate_declaration !alias name: (identifier) @name) @definition.import

; Trait method signatures are abstract methods; other signatures (extern blocks) are
; function declarations.
(trait_item body: (declaration_list
  (function_signature_item name: (identifier) @name
    (#set! native_kind "fn")
    (#set! modifiers "abstract")) @definition.function))
(function_item name: (identifier) @name body: (block) @body
  (#set! native_kind "fn")) @definition.function
(function_signature_item name: (identifier) @name
  (#set! native_kind "fn")) @definition.function

(struct_item name: (type_identifier) @name body: (field_declaration_list) @body
  (#set! native_kind "struct")) @definition.struct
(struct_item name: (type_identifier) @name
  (#set! native_kind "struct")) @definition.struct
(union_item name: (type_identifier) @name body: (field_declaration_list) @body
  (#set! native_kind "union")) @definition.struct
(enum_item name: (type_identifier) @name body: (enum_variant_list) @body
  (#set! native_kind "enum")) @definition.enum
(enum_variant name: (identifier) @name
  (#set! native_kind "variant")) @definition.enum_member
(field_declaration name: (field_identifier) @name
  (#set! native_kind "field")) @definition.field

(trait_item name: (type_identifier) @name body: (declaration_list) @body
  (#set! native_kind "trait")) @definition.interface

; impl blocks are classes named after the implementing type (`impl Display for Point<T>`
; is `Point`), so their methods are `Point.new`; a type with no name of its own (tuple,
; array, pointer, fn, dyn ...) names the impl by its text.
(impl_item
  type: [(type_identifier) @name
         (primitive_type) @name
         (scoped_type_identifier name: (type_identifier) @name)
         (generic_type type: [(type_identifier) @name
                              (scoped_type_identifier name: (type_identifier) @name)])
         (reference_type type: [(type_identifier) @name
                                (primitive_type) @name
                                (scoped_type_identifier name: (type_identifier) @name)
                                (generic_type type: [(type_identifier) @name
                                                     (scoped_type_identifier name: (type_identifier) @name)])])]
  body: (declaration_list) @body
  (#set! native_kind "impl")) @definition.class
(impl_item
  type: [(tuple_type) (unit_type) (array_type) (pointer_type) (function_type)
         (dynamic_type) (abstract_type) (bounded_type) (never_type) (macro_invocation)
         (reference_type type: [(tuple_type) (unit_type) (array_type) (pointer_type)
                                (function_type) (dynamic_type) (abstract_type)
                                (bounded_type) (reference_type)])] @name
  body: (declaration_list) @body
  (#set! native_kind "impl")) @definition.class

(const_item name: (identifier) @name
  (#set! native_kind "const")) @definition.constant
(static_item name: (identifier) @name
  (#set! native_kind "static")) @definition.variable
(type_item name: (type_identifier) @name
  (#set! native_kind "type")) @definition.type_alias
(associated_type name: (type_identifier) @name
  (#set! native_kind "type")) @definition.type_alias
(macro_definition name: (identifier) @name
  (#set! native_kind "macro_rules")) @definition.macro

; Outer attributes (`#[derive(Debug)]`) are decorators of the item they precede; doc
; comments may sit between them. `decorates` lists the items: the extractor takes the
; attribute's next named sibling past attributes and comments (docs/queries.md). (The
; sibling-sequence pattern that says the same, `(_ (attribute_item) @decorator . [...]* .
; [...] @target)`, cost tree-sitter 7x this one on attribute-heavy files.)
((attribute_item) @decorator
  (#set! decorates "function_item,function_signature_item,struct_item,union_item,enum_item,enum_variant,field_declaration,trait_item,impl_item,mod_item,const_item,static_item,type_item,associated_type,macro_definition"))

; `const fn` (the word alone would also tag every `const` item).
(function_item (function_modifiers "const") (#set! modifier "const")) @target
(function_signature_item (function_modifiers "const") (#set! modifier "const")) @target
