; Go definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A declaration with one spec (`type T struct{}`, `const X = 1`) is the definition node
; itself, so the doc comment above `type`/`const` belongs to it and the signature starts
; at the keyword; in a grouped declaration (`const ( ... )`) each spec is its own
; definition with its own doc comment.

; `package foo` names the rest of the file: symbols are `foo.Name`.
(package_clause (package_identifier) @name
  (#set! scope "file")) @definition.package

; Imports: one per import spec. The name is the alias when there is one (`str "strings"`),
; otherwise the import path as written (`net/http`): the package name a path binds is
; declared in that package, not in the path. Dot and blank imports bind no name of their
; own, so they are named by their path too (the signature keeps the `.`/`_`).
(import_spec name: (package_identifier) @name) @definition.import
(import_spec !name path: (_ (interpreted_string_literal_content) @name)) @definition.import
(import_spec name: [(dot) (blank_identifier)]
  path: (_ (interpreted_string_literal_content) @name)) @definition.import
(import_spec !name path: (raw_string_literal (raw_string_literal_content) @name)) @definition.import

(function_declaration
  name: (identifier) @name
  body: (block)? @body
  (#set! native_kind "func")) @definition.function

; Methods: the receiver's type (value, pointer or generic `T[K]`) is the parent.
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @scope
             (pointer_type (type_identifier) @scope)
             (generic_type type: (type_identifier) @scope)
             (pointer_type (generic_type type: (type_identifier) @scope))
             (parenthesized_type [(type_identifier) @scope
                                  (pointer_type (type_identifier) @scope)])]))
  name: (field_identifier) @name
  body: (block)? @body
  (#set! native_kind "method")) @definition.method

; Type definitions, one spec per declaration. A defined type that is not a struct or an
; interface (`type Color int`, `type HandlerFunc func(...)`) is a type_alias with
; native_kind "type"; a true alias (`type A = B`) has native_kind "alias".
((type_declaration (type_spec name: (type_identifier) @name
                              type: (struct_type (field_declaration_list) @body)))
  @definition.struct
  (#not-match? @definition.struct "^type\\s*\\(")
  (#set! native_kind "struct"))
((type_declaration (type_spec name: (type_identifier) @name
                              type: (interface_type "{" @body)))
  @definition.interface
  (#not-match? @definition.interface "^type\\s*\\(")
  (#set! native_kind "interface"))
((type_declaration (type_spec name: (type_identifier) @name))
  @definition.type_alias
  (#not-match? @definition.type_alias "^type\\s*\\(")
  (#set! native_kind "type"))
((type_declaration (type_alias name: (type_identifier) @name))
  @definition.type_alias
  (#not-match? @definition.type_alias "^type\\s*\\(")
  (#set! native_kind "alias"))

; Type definitions in a grouped `type ( ... )`.
(type_declaration "("
  (type_spec name: (type_identifier) @name
             type: (struct_type (field_declaration_list) @body)) @definition.struct
  (#set! native_kind "struct"))
(type_declaration "("
  (type_spec name: (type_identifier) @name
             type: (interface_type "{" @body)) @definition.interface
  (#set! native_kind "interface"))
(type_declaration "("
  (type_spec name: (type_identifier) @name) @definition.type_alias
  (#set! native_kind "type"))
(type_declaration "("
  (type_alias name: (type_identifier) @name) @definition.type_alias
  (#set! native_kind "alias"))

; Struct fields (also of anonymous struct-typed fields); an embedded field is named by
; its type, as Go names it.
(type_spec type: (struct_type (field_declaration_list
  (field_declaration name: (field_identifier) @name) @definition.field)))
(type_alias type: (struct_type (field_declaration_list
  (field_declaration name: (field_identifier) @name) @definition.field)))
(type_spec type: (struct_type (field_declaration_list
  (field_declaration !name type: [(type_identifier) @name
                                  (qualified_type name: (type_identifier) @name)
                                  (generic_type type: [(type_identifier) @name
                                                       (qualified_type name: (type_identifier) @name)])])
  @definition.field))
  (#set! native_kind "embedded"))
(field_declaration type: (struct_type (field_declaration_list
  (field_declaration name: (field_identifier) @name) @definition.field)))

; Interface method elements are abstract methods of the interface (of a named interface
; type only: `x.(interface{ Unwrap() error })` in a function defines nothing).
(type_spec type: (interface_type
  (method_elem name: (field_identifier) @name) @definition.method)
  (#set! native_kind "method")
  (#set! modifiers "abstract"))

; Constants and variables (inside functions they are locals and dropped); the blank
; identifier `_` binds nothing and is skipped. The names of `const a, b = 1, 2` are matched
; without their field: only the first carries it.
((const_declaration (const_spec (identifier) @name)) @definition.constant
  (#not-match? @definition.constant "^const\\s*\\(")
  (#not-eq? @name "_")
  (#set! native_kind "const"))
(const_declaration "("
  (const_spec (identifier) @name) @definition.constant
  (#not-eq? @name "_")
  (#set! native_kind "const"))
(var_declaration (var_spec name: (identifier) @name)
  (#not-eq? @name "_")
  (#set! native_kind "var")) @definition.variable
(var_spec_list (var_spec name: (identifier) @name) @definition.variable
  (#not-eq? @name "_")
  (#set! native_kind "var"))
