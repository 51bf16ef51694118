; C++ definitions: c_family.scm (what C++ shares with C and Objective-C) plus these,
; which the C++ grammar adds or C++ reads otherwise. Capture contract: docs/queries.md.
; C's own misparse heuristics (c.scm) are not stacked: tree-sitter-cpp misreads macros
; otherwise, and they would report `JSON_HEDLEY_NON_NULL(3) f()` as a function `JSON_...`.
;
; Stacking (docs/queries.md): the patterns above the `; @base` line come before
; c_family.scm's (a pattern listed first wins a name node: a C++ class, a `constexpr`,
; a template or a qualified name is found here before the base's C shapes see it),
; those below it after: the general variable patterns must lose a `char *const p` to
; the base's constant pattern.
;
; As in c.scm: declarators nest, so the shapes real code uses are spelled out; a class,
; struct, union or enum with a body inside a declaration, typedef or member declaration
; uses that enclosing node as its definition node, so that it and the variable/typedef
; declared with it are siblings (members nest under the type: docs/queries.md,
; "Priority"). `template <...>` is a wrapper: the definition's range, signature and
; name are those of the templated class or function; its doc comment sits above the
; template and is found there.
;
; Out-of-line members (`void ns::Foo::bar()`, `Foo<T>::Foo()`) capture the whole
; qualified name as @scope: the engine reads the scope up to the name.
;
; Not reported: access sections (`public:` is not attached to the members that follow),
; `operator T()` conversion functions, friend declarations, block-scope declarations.

; ---------------------------------------------------------------- imports
; `using namespace std;` / `using std::string;`
(using_declaration "namespace" [(identifier) (qualified_identifier)] @name
  (#set! native_kind "using namespace")) @definition.import
(using_declaration !name [
    (qualified_identifier name: (identifier) @name)
    (qualified_identifier name: (qualified_identifier name: (identifier) @name))
    (qualified_identifier name: (qualified_identifier
      name: (qualified_identifier name: (identifier) @name)))
  ]
  (#set! native_kind "using")) @definition.import

; ---------------------------------------------------------------- friends, locals

; A friend is not a member; a prototype inside a function body is a local declaration.
(friend_declaration (declaration declarator: [
    (function_declarator declarator: (_) @name)
    (_ (function_declarator declarator: (_) @name))
  ]) @definition.function (#set! skip "true"))
(compound_statement (declaration declarator: [
    (function_declarator declarator: (_) @name)
    (_ (function_declarator declarator: (_) @name))
  ]) @definition.function (#set! skip "true"))

; ---------------------------------------------------------------- export macros

; `class GTEST_API_ TestResult {...}`, `class Q_CORE_EXPORT QObject : public X {...}`: an
; export macro makes the class parse as a function named like it (members are lost).
(function_definition
  type: (class_specifier name: (type_identifier) @_macro !body) .
  declarator: (identifier) @name
  body: (compound_statement) @body
  (#match? @_macro "^[A-Z][A-Z0-9_]*$")
  (#set! native_kind "class")) @definition.class
(function_definition
  type: (class_specifier name: (type_identifier) @_macro !body)
  (ERROR . (identifier) @name)
  body: (compound_statement) @body
  (#match? @_macro "^[A-Z][A-Z0-9_]*$")
  (#set! native_kind "class")) @definition.class
(declaration
  type: (class_specifier name: (type_identifier) @_macro !body)
  declarator: (init_declarator declarator: (identifier) @name value: (initializer_list) @body)
  (#match? @_macro "^[A-Z][A-Z0-9_]*$")
  (#set! native_kind "class")) @definition.class
(function_definition
  type: (struct_specifier name: (type_identifier) @_macro !body) .
  declarator: (identifier) @name
  body: (compound_statement) @body
  (#match? @_macro "^[A-Z][A-Z0-9_]*$")
  (#set! native_kind "struct")) @definition.struct
(function_definition
  type: (struct_specifier name: (type_identifier) @_macro !body)
  (ERROR . (identifier) @name)
  body: (compound_statement) @body
  (#match? @_macro "^[A-Z][A-Z0-9_]*$")
  (#set! native_kind "struct")) @definition.struct

; ---------------------------------------------------------------- destructors

(function_definition
  declarator: (function_declarator declarator: [
    (destructor_name) @name
    [(qualified_identifier name: (destructor_name) @name)
     (qualified_identifier name: (qualified_identifier name: (destructor_name) @name))
     (qualified_identifier name: (qualified_identifier
       name: (qualified_identifier name: (destructor_name) @name)))] @scope
  ])
  body: [(compound_statement) (try_statement)]? @body
  (#set! kind "method")
  (#set! native_kind "destructor")) @definition.function
(declaration
  declarator: (function_declarator declarator: (destructor_name) @name)
  (#set! kind "method")
  (#set! native_kind "destructor")) @definition.function
(field_declaration
  declarator: (function_declarator declarator: (destructor_name) @name)
  (#set! kind "method")
  (#set! native_kind "destructor")) @definition.function

; ---------------------------------------------------------------- functions and methods

; Definitions: free functions, inline methods, out-of-line members, operators,
; `= default` / `= delete`. A constructor's member initializers are not its signature.
(function_definition
  declarator: [
    (function_declarator declarator: [
      (identifier) @name (field_identifier) @name (operator_name) @name
      (template_function name: (identifier) @name)
      [(qualified_identifier name: [(identifier) (operator_name)] @name)
       (qualified_identifier name: (qualified_identifier
         name: [(identifier) (operator_name)] @name))
       (qualified_identifier name: (qualified_identifier name: (qualified_identifier
         name: [(identifier) (operator_name)] @name)))] @scope])
    (_ (function_declarator declarator: [
      (identifier) @name (field_identifier) @name (operator_name) @name
      [(qualified_identifier name: [(identifier) (operator_name)] @name)
       (qualified_identifier name: (qualified_identifier
         name: [(identifier) (operator_name)] @name))] @scope]))
    (_ (_ (function_declarator declarator: [
      (identifier) @name (field_identifier) @name (operator_name) @name
      [(qualified_identifier name: [(identifier) (operator_name)] @name)
       (qualified_identifier name: (qualified_identifier
         name: [(identifier) (operator_name)] @name))] @scope])))
  ]
  (field_initializer_list)? @body
  body: [(compound_statement) (try_statement)]? @body
  (#set! native_kind "function")) @definition.function

; Pure virtual methods are abstract.
(field_declaration
  declarator: [
    (function_declarator declarator: [(field_identifier) (operator_name)] @name)
    (_ (function_declarator declarator: [(field_identifier) (operator_name)] @name))
  ]
  default_value: (number_literal)
  (#set! native_kind "prototype")
  (#set! modifiers "abstract")) @definition.function

; Declarations: methods declared in a class body, prototypes at namespace scope.
(declaration
  declarator: [
    (function_declarator declarator: [
      (identifier) @name (operator_name) @name
      (qualified_identifier name: (identifier) @name) @scope])
    (_ (function_declarator declarator: [
      (identifier) @name (operator_name) @name
      (qualified_identifier name: (identifier) @name) @scope]))
    (_ (_ (function_declarator declarator: [(identifier) @name (operator_name) @name])))
  ]
  (#set! native_kind "prototype")) @definition.function
(field_declaration
  declarator: [
    (function_declarator declarator: [(field_identifier) @name (operator_name) @name])
    (_ (function_declarator declarator: [(field_identifier) @name (operator_name) @name]))
    (_ (_ (function_declarator declarator: [(field_identifier) @name (operator_name) @name])))
  ]
  (#set! native_kind "prototype")) @definition.function

; `override` / `final` follow the declarator, out of reach of the modifier words.
([(function_definition
   declarator: [(function_declarator (virtual_specifier) @_v)
                (_ (function_declarator (virtual_specifier) @_v))])
  (field_declaration
   declarator: [(function_declarator (virtual_specifier) @_v)
                (_ (function_declarator (virtual_specifier) @_v))])] @target
 (#eq? @_v "override") (#set! modifier "override"))
([(function_definition
   declarator: [(function_declarator (virtual_specifier) @_v)
                (_ (function_declarator (virtual_specifier) @_v))])
  (field_declaration
   declarator: [(function_declarator (virtual_specifier) @_v)
                (_ (function_declarator (virtual_specifier) @_v))])] @target
 (#eq? @_v "final") (#set! modifier "final"))

; ---------------------------------------------------------------- typedef'd anonymous types

; `typedef class {...} *foo_p;` (c_family.scm has the struct, union and enum cases)
(type_definition
  type: (class_specifier !name body: (_))
  declarator: (_ declarator: (type_identifier) @name)
  (#set! native_kind "typedef")) @definition.type_alias
(type_definition
  type: (class_specifier !name body: (_) @body)
  declarator: (type_identifier) @name
  (#set! native_kind "class")) @definition.class

(alias_declaration name: (type_identifier) @name (#set! native_kind "using"))
  @definition.type_alias

; ---------------------------------------------------------------- variables

; `const` / `constexpr` objects are constants (a pointer to const data is not).
(declaration
  (type_qualifier) @_const
  declarator: [
    (identifier) @name
    (qualified_identifier name: (identifier) @name) @scope
    (init_declarator declarator: [
      (identifier) @name
      (qualified_identifier name: (identifier) @name) @scope
      (array_declarator declarator: (identifier) @name)])
  ]
  (#any-of? @_const "const" "constexpr" "constinit")
  (#set! native_kind "const")) @definition.constant

; ---------------------------------------------------------------- fields

; `static constexpr int kMax = 8;` in a class is a constant.
(field_declaration
  (storage_class_specifier) @_static
  (type_qualifier) @_const
  declarator: (field_identifier) @name
  (#eq? @_static "static")
  (#any-of? @_const "const" "constexpr")
  (#set! native_kind "member")) @definition.constant

(field_declaration
  declarator: [
    (field_identifier) @name
    (_ declarator: (field_identifier) @name)
    (reference_declarator (field_identifier) @name)
    (_ declarator: (_ declarator: (field_identifier) @name))
    (_ declarator: (_ declarator: (_ declarator: (field_identifier) @name)))
    (_ declarator: (parenthesized_declarator (field_identifier) @name))
    (_ declarator: (parenthesized_declarator (_ declarator: (field_identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (_ declarator: (field_identifier) @name))))
    (_ declarator: (_ declarator: (parenthesized_declarator (_ declarator: (field_identifier) @name))))
  ]
  (#set! native_kind "member")) @definition.field

; ---------------------------------------------------------------- classes, structs, unions, enums

(declaration type: (class_specifier
    name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
    body: (_) @body)
  (#set! native_kind "class")) @definition.class
(type_definition type: (class_specifier
    name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
    body: (_) @body)
  (#set! native_kind "class")) @definition.class
(field_declaration type: (class_specifier
    name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
    body: (_) @body)
  (#set! native_kind "class")) @definition.class
(class_specifier
  name: [(type_identifier) @name (template_type name: (type_identifier) @name)
         (qualified_identifier name: [(type_identifier) @name
                                      (template_type name: (type_identifier) @name)]) @scope]
  body: (_) @body
  (#set! native_kind "class")) @definition.class

(declaration type: (struct_specifier
    name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
    body: (_) @body)
  (#set! native_kind "struct")) @definition.struct
(type_definition type: (struct_specifier
    name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
    body: (_) @body)
  (#set! native_kind "struct")) @definition.struct
(field_declaration type: (struct_specifier
    name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
    body: (_) @body)
  (#set! native_kind "struct")) @definition.struct
(struct_specifier
  name: [(type_identifier) @name (template_type name: (type_identifier) @name)
         (qualified_identifier name: [(type_identifier) @name
                                      (template_type name: (type_identifier) @name)]) @scope]
  body: (_) @body
  (#set! native_kind "struct")) @definition.struct

(declaration type: (enum_specifier "class" name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "enum class")) @definition.enum
(field_declaration type: (enum_specifier "class" name: (type_identifier) @name body: (_) @body)
  (#set! native_kind "enum class")) @definition.enum
(enum_specifier "class" name: (type_identifier) @name body: (_) @body
  (#set! native_kind "enum class")) @definition.enum

; ---------------------------------------------------------------- namespaces

(namespace_definition
  name: [(namespace_identifier) @name
         (nested_namespace_specifier (namespace_identifier) @name .) @scope]
  body: (_) @body
  (#set! native_kind "namespace")) @definition.namespace
; `NS_BEGIN` (a macro line without `;`) before `namespace detail {` makes the namespace
; parse as a function named `namespace`.
(function_definition
  declarator: (identifier) @_keyword
  (ERROR . (identifier) @name)
  body: (compound_statement) @body
  (#eq? @_keyword "namespace")
  (#set! native_kind "namespace")) @definition.namespace

; @base: the patterns of c_family.scm come here

; Every declarator of `int a, *b = 0;`; `int Foo::count = 0;` defines a static member.
(declaration
  declarator: [
    (qualified_identifier name: (qualified_identifier name: (identifier) @name)) @scope
    (qualified_identifier name: (qualified_identifier
      name: (qualified_identifier name: (identifier) @name))) @scope
    (init_declarator declarator: [
      (qualified_identifier name: (qualified_identifier name: (identifier) @name))
      (qualified_identifier name: (qualified_identifier
        name: (qualified_identifier name: (identifier) @name)))] @scope)
  ]
  (#set! native_kind "variable")) @definition.variable
(declaration
  declarator: [
    (identifier) @name
    (qualified_identifier name: (identifier) @name) @scope
    (_ declarator: [(identifier) @name
                    (qualified_identifier name: (identifier) @name) @scope])
    (reference_declarator (identifier) @name)
    (_ declarator: (reference_declarator (identifier) @name))
    (_ declarator: (_ declarator: [(identifier) @name
                                   (qualified_identifier name: (identifier) @name) @scope]))
    (_ declarator: (_ declarator: (_ declarator: (identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (identifier) @name)))
    (_ declarator: (parenthesized_declarator (_ declarator: (_ declarator: (identifier) @name))))
    (_ declarator: (_ declarator: (parenthesized_declarator (_ declarator: (identifier) @name))))
  ]
  (#set! native_kind "variable")) @definition.variable
