; Objective-C references, stacked on c.refs.scm (Objective-C is C, and its grammar extends
; C's). Capture contract: docs/queries.md, "References".
;
; A message's name is its selector's first part: `[obj initWithName:x sides:3]` is a call
; of `initWithName`, while the method is named `initWithName:sides:` (docs/references.md:
; a keyword message resolves by name only when its selector has one part and no argument).

; `@import UIKit;` (a module: every name of it becomes visible); `#import` is C's include
(module_import path: (_) @import.all) @import
(preproc_include path: [(system_lib_string) (string_literal (string_content))]
  @import.all) @import

; Messages: `[obj m]`, `[obj m:x n:y]`, `[super init]`, `[Foo alloc]`
(message_expression receiver: (_) @qualifier . method: (identifier) @reference.call)

; Inheritance: `@interface A : B <P, Q>` (the protocols it adopts are implemented);
; `@protocol P <Q>` extends Q; a category's class is the class it adds to
(class_interface superclass: (identifier) @reference.inherit)
(class_interface (parameterized_arguments (type_name (type_identifier) @reference.implement)))
(protocol_declaration (protocol_reference_list (identifier) @reference.inherit))
(class_interface . (identifier) @reference.type category: (identifier))
(class_implementation . (identifier) @reference.type category: (identifier))

; `@selector(m)` names a method as a value; `@protocol(P)` a protocol
(selector_expression (identifier) @reference.value)
