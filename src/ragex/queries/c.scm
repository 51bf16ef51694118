; C definitions: c_family.scm (what C shares with C++ and Objective-C) plus these.
; Capture contract: docs/queries.md. Earlier patterns win when two match the same name.
; Objective-C stacks this file too (objc.scm on c.scm on c_family.scm).
;
; Stacking (docs/queries.md): the patterns above the `; @base` line come before
; c_family.scm's, those below it after: the general variable pattern must lose a
; `char *const p` to the base's constant pattern.
;
; Declarators nest (`char **f(void)`, `void (*fp)(int)`, `int *a[3] = {0}`): queries do
; not recurse, so the shapes real code uses are spelled out, a few levels deep.
;
; A struct/union/enum with a body inside a declaration, typedef or field
; (`typedef struct node {...} node_t;`, `struct s {...} v;`) uses that enclosing node as
; its definition node: the struct and the typedef/variable then share one node and are
; siblings (not nested in one another); the struct is written after them in this file so
; its fields nest under the struct. A struct standing alone (`struct s {...};`) is its
; own node (the general pattern, written last: the same name found first wins).

; C definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same node with the same name.
;
; Declarators nest (`char **f(void)`, `void (*fp)(int)`, `int *a[3] = {0}`): queries do
; not recurse, so the shapes real code uses are spelled out, a few levels deep.
;
; A struct/union/enum with a body inside a declaration, typedef or field
; (`typedef struct node {...} node_t;`, `struct s {...} v;`) uses that enclosing node as
; its definition node: the struct and the typedef/variable then share one node and are
; siblings (not nested in one another); the struct is written after them in this file so
; its fields nest under the struct. A struct standing alone (`struct s {...};`) is its
; own node (the general pattern, written last: the same name found first wins).

; ---------------------------------------------------------------- functions

(function_definition
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (pointer_declarator declarator: (pointer_declarator
      declarator: (function_declarator declarator: (identifier) @name)))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator
      declarator: (function_declarator declarator: (identifier) @name))))
  ]
  body: (compound_statement) @body
  (#set! native_kind "function")) @definition.function

; Inside a function body the same shape is a block macro, `for_each_possible_cpu(i) {`:
; claimed here so that the file-level pattern below does not report it.
(compound_statement (function_definition
  type: (type_identifier) @name
  declarator: (parenthesized_declarator)) @definition.function (#set! skip "true"))

; `static int __maybe_unused quux(void) {...}`: an annotation macro before the name makes
; the name parse as the return type (never valid C otherwise).
(function_definition
  type: (type_identifier) @name
  declarator: (parenthesized_declarator)
  body: (compound_statement) @body
  (#set! native_kind "function")) @definition.function

; A prototype inside a function body is a local declaration, not a definition.
(compound_statement (declaration
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
  ]) @definition.function (#set! skip "true"))

; Prototypes (`int foo(void);`, typically in headers): the API of a library lives there.
(declaration
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (pointer_declarator declarator: (pointer_declarator
      declarator: (function_declarator declarator: (identifier) @name)))
    (function_declarator declarator: (parenthesized_declarator (pointer_declarator
      declarator: (function_declarator declarator: (identifier) @name))))
  ]
  (#set! native_kind "prototype")) @definition.function

; ---------------------------------------------------------------- typedef'd anonymous types

; `typedef struct {...} foo_t, *foo_p;`: the extra pointer names are plain aliases
; (written first so that the fields nest under the struct).
(type_definition
  type: [(struct_specifier !name body: (_)) (union_specifier !name body: (_))
         (enum_specifier !name body: (_))]
  declarator: (_ declarator: (type_identifier) @name)
  (#set! native_kind "typedef")) @definition.type_alias

; ---------------------------------------------------------------- typedefs

; `typedef int __bitwise rmap_t;`: an annotation macro parses as the name (see variables)
(type_definition
  declarator: (type_identifier) @_attr . (ERROR . (identifier) @name)
  (#match? @_attr "^__[a-z]")
  (#set! native_kind "typedef")) @definition.type_alias
(type_definition
  declarator: (type_identifier) @name . (ERROR . (identifier))
  (#match? @name "^__[a-z]")
  (#set! skip "true")) @definition.type_alias

; ---------------------------------------------------------------- global variables

; Linux annotation macros (`__initdata`, `__read_mostly`, ...) are unknown to the grammar.
; `static int __initdata foo = 1;`: the macro parses as the name, the name as an ERROR.
(declaration declarator: [
    (_ declarator: (identifier) @_attr (ERROR . (identifier) @name))
    (_ declarator: (_ declarator: (identifier) @_attr (ERROR . (identifier) @name)))
    (_ declarator: (_ declarator: (_ declarator: (identifier) @_attr (ERROR . (identifier) @name))))
  ]
  (#match? @_attr "^__[a-z]")
  (#set! native_kind "variable")) @definition.variable
(declaration declarator: [
    (_ declarator: (identifier) @name (ERROR . (identifier)))
    (_ declarator: (_ declarator: (identifier) @name (ERROR . (identifier))))
    (_ declarator: (_ declarator: (_ declarator: (identifier) @name (ERROR . (identifier)))))
  ]
  (#match? @name "^__[a-z]")
  (#set! skip "true")) @definition.variable
; `static struct foo *__percpu ptr;`, `int x __initdata;`, `int x __read_mostly = 1;`
(declaration
  declarator: (_ declarator: (identifier) @_attr) . (ERROR . (identifier) @name)
  (#match? @_attr "^__[a-z]")
  (#set! native_kind "variable")) @definition.variable
(declaration
  (ERROR . (identifier) @name) .
  declarator: [(identifier) @_attr (init_declarator declarator: (identifier) @_attr)]
  (#match? @_attr "^__[a-z]")
  (#not-match? @name "^__[a-z]")
  (#set! native_kind "variable")) @definition.variable
(declaration
  declarator: [(identifier) @name (_ declarator: (identifier) @name)] . (ERROR . (identifier))
  (#match? @name "^__[a-z]")
  (#set! skip "true")) @definition.variable
(declaration
  (ERROR . (identifier) @_name) .
  declarator: [(identifier) @name (init_declarator declarator: (identifier) @name)]
  (#match? @name "^__[a-z]")
  (#not-match? @_name "^__[a-z]")
  (#set! skip "true")) @definition.variable
; `static bool __read_mostly enabled = true;` parses as a declaration of the macro, its `;`
; missing, and an assignment; `static int __maybe_unused f(void) {}` similarly.
((declaration declarator: (identifier) @_attr (MISSING ";")) .
 (expression_statement [(identifier) @name (assignment_expression left: (identifier) @name)])
   @definition.variable
 (#match? @_attr "^__[a-z]")
 (#set! native_kind "variable"))
(declaration declarator: (identifier) @name (MISSING ";")
  (#match? @name "^__[a-z]")
  (#set! skip "true")) @definition.variable
; `DEFINE_PER_CPU(int, counter);`
(declaration
  type: (macro_type_specifier name: (identifier) @_macro
    type: (type_descriptor type: (type_identifier) @name))
  (#match? @_macro "^(DEFINE|DECLARE)_PER_CPU")
  (#set! native_kind "variable")) @definition.variable

; `const int X = 1;`, `static const struct ops fops = {...};`, `char *const p`:
; a const object is a constant (a pointer to const data is not).
(declaration
  (type_qualifier) @_const
  declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))
    (init_declarator declarator: (array_declarator
      declarator: (array_declarator declarator: (identifier) @name)))
  ]
  (#eq? @_const "const")
  (#set! native_kind "const")) @definition.constant

; @base: the patterns of c_family.scm come here

; Every declarator of `int a, *b = 0, (*fp)(int);` (locals are dropped by the engine).
(declaration
  declarator: [
    (identifier) @name
    (parenthesized_declarator (identifier) @name)
    (_ declarator: (identifier) @name)
    (_ declarator: (_ declarator: (identifier) @name))
    (_ declarator: (_ declarator: (_ declarator: (identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (_ declarator: (identifier) @name))))
    (_ declarator: (_ declarator: (parenthesized_declarator (_ declarator: (identifier) @name))))
    (_ declarator: (_ declarator: (parenthesized_declarator
      (_ declarator: (_ declarator: (identifier) @name)))))
  ]
  (#set! native_kind "variable")) @definition.variable

; ---------------------------------------------------------------- structs, unions, enums

(declaration type: (struct_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "struct")) @definition.struct
(type_definition type: (struct_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "struct")) @definition.struct
(field_declaration type: (struct_specifier name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "struct")) @definition.struct
(struct_specifier name: (type_identifier) @name body: (_) @body
  (#set! native_kind "struct")) @definition.struct

; Fields: every declarator, function pointers (`int (*open)(struct inode *)`) included.
(field_declaration
  declarator: [
    (field_identifier) @name
    (_ declarator: (field_identifier) @name)
    (_ declarator: (_ declarator: (field_identifier) @name))
    (_ declarator: (_ declarator: (_ declarator: (field_identifier) @name)))
    (_ declarator: (parenthesized_declarator (field_identifier) @name))
    (_ declarator: (parenthesized_declarator (_ declarator: (field_identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (_ declarator: (field_identifier) @name))))
    (_ declarator: (_ declarator: (parenthesized_declarator (_ declarator: (field_identifier) @name))))
  ]
  (#set! native_kind "member")) @definition.field
