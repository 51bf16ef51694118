; Definitions C, C++ and Objective-C share: the base that c.scm, cpp.scm and objc.scm
; stack on (a registry row lists the files it stacks, base first: docs/queries.md,
; "Stacked query files"). Capture contract: docs/queries.md. Every pattern here must
; mean the same in the C, C++ and Objective-C grammars (the latter two extend C's);
; what C++ reads otherwise (templates, qualified names, classes, `constexpr`) is in
; cpp.scm, and C's own misparse heuristics (Linux annotation macros) are in c.scm.
; Earlier patterns win when two match the same name node.

(type_definition
  type: (struct_specifier !name body: (_) @body)
  declarator: (type_identifier) @name
  (#set! native_kind "struct")) @definition.struct
(type_definition
  type: (union_specifier !name body: (_) @body)
  declarator: (type_identifier) @name
  (#set! native_kind "union")) @definition.struct
(type_definition
  type: (enum_specifier !name body: (_) @body)
  declarator: (type_identifier) @name
  (#set! native_kind "enum")) @definition.enum

(type_definition
  declarator: [
    (type_identifier) @name
    (_ declarator: (type_identifier) @name)
    (_ declarator: (parenthesized_declarator (type_identifier) @name))
    (_ declarator: (_ declarator: (type_identifier) @name))
    (_ declarator: (parenthesized_declarator (_ declarator: (type_identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (_ declarator: (type_identifier) @name))))
    (_ declarator: (_ declarator: (parenthesized_declarator (_ declarator: (type_identifier) @name))))
  ]
  (#set! native_kind "typedef")) @definition.type_alias
(declaration
  declarator: [
    (pointer_declarator (type_qualifier) @_const declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator (type_qualifier) @_const
      declarator: [(identifier) @name (array_declarator declarator: (identifier) @name)]))
  ]
  (#eq? @_const "const")
  (#set! native_kind "const")) @definition.constant

(declaration type: (union_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "union")) @definition.struct
(type_definition type: (union_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "union")) @definition.struct
(field_declaration type: (union_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "union")) @definition.struct
(union_specifier name: (type_identifier) @name body: (_) @body
  (#set! native_kind "union")) @definition.struct

(declaration type: (enum_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "enum")) @definition.enum
(type_definition type: (enum_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "enum")) @definition.enum
(field_declaration type: (enum_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "enum")) @definition.enum
(enum_specifier name: (type_identifier) @name body: (_) @body
  (#set! native_kind "enum")) @definition.enum

(enumerator name: (identifier) @name (#set! native_kind "enumerator")) @definition.enum_member

; ---------------------------------------------------------------- preprocessor

(preproc_def name: (identifier) @name (#set! native_kind "define")) @definition.macro
(preproc_function_def name: (identifier) @name value: (_)? @body
  (#set! native_kind "define")) @definition.macro

(preproc_include path: (string_literal (string_content) @name)
  (#set! native_kind "include")) @definition.import
(preproc_include path: (system_lib_string) @name
  (#set! native_kind "include") (#set! name_strip "<>")) @definition.import
