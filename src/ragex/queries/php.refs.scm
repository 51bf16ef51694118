; PHP references. Capture contract: docs/queries.md, "References".

; `use App\Models\User;`, `use Foo\Bar as Baz;`, `use function Foo\helper;`,
; `use Foo\{Alpha, Beta as B};`
(namespace_use_declaration (namespace_use_clause . [(qualified_name) (name)] @reference.import
  alias: (name)? @import.alias) @import.clause) @import
(namespace_use_declaration (namespace_name) @import.from
  body: (namespace_use_group (namespace_use_clause . [(qualified_name) (name)] @reference.import
                                                   alias: (name)? @import.alias)
                             @import.clause)) @import

; Calls: `f()`, `\Foo\f()`, `$obj->m()`, `$obj?->m()`, `self::m()`, `T::m()`, `new T()`
(function_call_expression function: [
  (name) @reference.call
  (qualified_name (name) @reference.call .) @qualified])
(member_call_expression object: (_) @qualifier name: (name) @reference.call)
(nullsafe_member_call_expression object: (_) @qualifier name: (name) @reference.call)
(scoped_call_expression scope: (_) @qualifier name: (name) @reference.call)
(object_creation_expression [
  (name) @reference.call
  (qualified_name (name) @reference.call .) @qualified]
  (#not-match? @reference.call "^(static|self|parent)$"))

; Inheritance: `extends B`, `implements I`, traits `use T;` in a class
(base_clause [(name) @reference.inherit
              (qualified_name (name) @reference.inherit .) @qualified])
(class_interface_clause [(name) @reference.implement
                         (qualified_name (name) @reference.implement .) @qualified])
(declaration_list (use_declaration [(name) @reference.inherit
                                    (qualified_name (name) @reference.inherit .)
                                      @qualified]))

; Attributes
(attribute [(name) @reference.decorator
            (qualified_name (name) @reference.decorator .) @qualified])

; Types of parameters, returns and properties; `T::CONST`, `T::class`, `instanceof T`
(named_type [(name) @reference.type
             (qualified_name (name) @reference.type .) @qualified]
  (#not-match? @reference.type "^(static|self|parent)$"))
(class_constant_access_expression . [(name) @reference.type
                                     (qualified_name (name) @reference.type .) @qualified])
(binary_expression operator: "instanceof" right: [(name) @reference.type
                                                  (qualified_name (name) @reference.type .)
                                                    @qualified])
