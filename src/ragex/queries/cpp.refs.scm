; C++ references, stacked on c.refs.scm. Capture contract: docs/queries.md, "References".

; `using std::string;`, `using namespace std;`
(using_declaration "namespace" [(identifier) (qualified_identifier)] @import.all) @import
(using_declaration . [(qualified_identifier) (identifier)] @reference.import .) @import

; Calls: `ns::f()`, `T::m()`, `obj.template f<T>()`; `new T(...)`
(call_expression function: [
  (qualified_identifier name: (identifier) @reference.call) @qualified
  (qualified_identifier name: (qualified_identifier name: (identifier) @reference.call))
    @qualified
  (template_function name: (identifier) @reference.call)
  (qualified_identifier name: (template_function name: (identifier) @reference.call))
    @qualified
  (field_expression field: (template_method name: (field_identifier) @reference.call))
    @qualified])
(new_expression type: [
  (type_identifier) @reference.call
  (qualified_identifier name: (type_identifier) @reference.call) @qualified
  (template_type name: (type_identifier) @reference.call)])

; Bases: `class A : public B, private ns::C<int>`
(base_class_clause [
  (type_identifier) @reference.inherit
  (qualified_identifier name: [(type_identifier) @reference.inherit
                               (template_type name: (type_identifier) @reference.inherit)])
    @qualified
  (template_type name: (type_identifier) @reference.inherit)])

; Qualified types `ns::T`; a template parameter's own name is none
(qualified_identifier name: [(type_identifier) @reference.type
                             (template_type name: (type_identifier) @reference.type)])
  @qualified
(type_parameter_declaration (type_identifier) @skip)
