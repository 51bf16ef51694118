; C# references. Capture contract: docs/queries.md, "References".

; `using A.B;` (a namespace's names), `using X = A.B.C;`, `using static A.B;`
(using_directive . [(identifier) (qualified_name)] @import.all .) @import
(using_directive name: (identifier) @import.alias [(identifier) (qualified_name)]
  @reference.import) @import.clause @import

; Calls: `M()`, `obj.M()`, `T.M<U>()`; constructions `new T()`, `new A.T<U>()`
(invocation_expression function: [
  (identifier) @reference.call
  (generic_name . (identifier) @reference.call)
  (member_access_expression name: [(identifier) @reference.call
                                    (generic_name . (identifier) @reference.call)])
    @qualified])
(object_creation_expression type: [
  (identifier) @reference.call
  (generic_name . (identifier) @reference.call)
  (qualified_name name: [(identifier) @reference.call
                         (generic_name . (identifier) @reference.call)]) @qualified])

; Bases: `class A : B, IC` (a base class or interfaces: C# does not say which)
(base_list [
  (identifier) @reference.inherit
  (generic_name . (identifier) @reference.inherit)
  (qualified_name name: [(identifier) @reference.inherit
                         (generic_name . (identifier) @reference.inherit)]) @qualified])

; Attributes
(attribute name: [(identifier) @reference.decorator
                  (qualified_name name: (identifier) @reference.decorator) @qualified])

; Types: declarations, parameters, generic arguments, constraints, casts, typeof
(variable_declaration type: [(identifier) @reference.type
                             (generic_name . (identifier) @reference.type)
                             (qualified_name name: (identifier) @reference.type)
                               @qualified])
(parameter type: [(identifier) @reference.type
                  (generic_name . (identifier) @reference.type)
                  (qualified_name name: (identifier) @reference.type) @qualified])
(method_declaration returns: [(identifier) @reference.type
                              (generic_name . (identifier) @reference.type)
                              (qualified_name name: (identifier) @reference.type)
                                @qualified])
(property_declaration type: [(identifier) @reference.type
                             (generic_name . (identifier) @reference.type)
                             (qualified_name name: (identifier) @reference.type)
                               @qualified])
(type_argument_list [(identifier) @reference.type
                     (generic_name . (identifier) @reference.type)
                     (qualified_name name: (identifier) @reference.type) @qualified])
(type_parameter_constraint type: [(identifier) @reference.type
                                  (generic_name . (identifier) @reference.type)])
(type_parameter_constraints_clause . (identifier) @reference.type)
(cast_expression type: [(identifier) @reference.type
                        (generic_name . (identifier) @reference.type)])
(typeof_expression type: [(identifier) @reference.type
                          (generic_name . (identifier) @reference.type)])
(array_type type: (identifier) @reference.type)
(nullable_type type: (identifier) @reference.type)

; A defined name used as a value (kept when the file defines or imports it)
(argument (identifier) @reference.value)
(variable_declarator (identifier) @reference.value .)
(return_statement (identifier) @reference.value)
(assignment_expression right: (identifier) @reference.value)
