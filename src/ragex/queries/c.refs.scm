; C references. Capture contract: docs/queries.md, "References". (The C++ row stacks
; its own file on this one.)

; `#include <a/b.h>` and `#include "c.h"`: every name of the file becomes visible
(preproc_include path: [(system_lib_string) (string_literal (string_content))]
  @import.all) @import

; Calls: `f()`, `s.f()`, `p->ops->f()`, `(*fp)()`; function-like macros are calls too
(call_expression function: [
  (identifier) @reference.call
  (field_expression field: (field_identifier) @reference.call) @qualified
  (parenthesized_expression (pointer_expression argument: (identifier) @reference.call))
  (parenthesized_expression (identifier) @reference.call)])

; Types: `struct s`, `union u`, `enum e` and typedef names wherever they are written
(type_identifier) @reference.type

; A defined name used as a value: function pointers in initializers and arguments,
; `&f`, assigned values (kept when the file defines or declares the name)
(initializer_pair value: [(identifier) @reference.value
                          (pointer_expression argument: (identifier) @reference.value)])
(initializer_list [(identifier) @reference.value
                   (pointer_expression argument: (identifier) @reference.value)])
(argument_list [(identifier) @reference.value
                (pointer_expression argument: (identifier) @reference.value)])
(assignment_expression right: [(identifier) @reference.value
                               (pointer_expression argument: (identifier) @reference.value)])
(init_declarator value: [(identifier) @reference.value
                         (pointer_expression argument: (identifier) @reference.value)])
(return_statement (identifier) @reference.value)
