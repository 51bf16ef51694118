; Objective-C definitions: c_family.scm and c.scm (Objective-C is C, and its grammar
; extends C's) plus classes, categories, protocols, methods, properties and instance
; variables. These patterns come before C's (docs/queries.md, "Stacked query files").
; Capture contract: docs/queries.md. Earlier patterns win a name node.
;
; `@interface Shape : NSObject` and `@implementation Shape` are both classes named Shape
; (native_kind `interface` / `implementation`), each holding the methods written in it;
; a category (`@interface Shape (Scaling)`) is a class `Scaling` in scope `Shape`; a
; `@protocol` is an interface. A method is named by its selector as universal-ctags and
; Apple's documentation name it: `initWithName:sides:`, `count`; a class method (`+`)
; has the modifier `class`. `@property` declares a property, an instance variable a
; field. `typedef NS_ENUM(NSInteger, Kind) {...}` (and NS_OPTIONS, CF_ENUM, ...) is an
; enum with its values, which tree-sitter-objc misreads as typedef names.
; Not definitions: `@class X;` and `@protocol X;` forward declarations, `@synthesize`.

; ---------------------------------------------------------------- classes, protocols

(class_interface . (identifier) @scope category: (identifier) @name
  (#set! signature "first_line") (#set! native_kind "category")) @definition.class
(class_interface . (identifier) @name !category
  (#set! signature "first_line") (#set! native_kind "interface")) @definition.class
(class_implementation . (identifier) @scope category: (identifier) @name
  (#set! signature "first_line") (#set! native_kind "category")) @definition.class
(class_implementation . (identifier) @name !category
  (#set! signature "first_line") (#set! native_kind "implementation")) @definition.class
(protocol_declaration . (identifier) @name
  (#set! signature "first_line") (#set! native_kind "protocol")) @definition.interface

; ---------------------------------------------------------------- methods

; `- (id)initWithName:(NSString *)name sides:(int)sides`: named `initWithName:sides:`
(method_definition ((identifier) @name . (method_parameter))+ (compound_statement) @body
  (#set! name_join ":") (#set! native_kind "method")) @definition.method
(method_definition (identifier) @name . (compound_statement) @body
  (#set! native_kind "method")) @definition.method
(method_declaration ((identifier) @name . (method_parameter))+
  (#set! name_join ":") (#set! native_kind "method")) @definition.method
; the later keywords of a selector are no names of their own
(method_declaration (method_parameter) . (identifier) @name (#set! skip "true"))
  @definition.method
(method_declaration (identifier) @name .
  (#set! native_kind "method")) @definition.method

([(method_definition "+") (method_declaration "+")] @target (#set! modifier "class"))

; ---------------------------------------------------------------- properties, ivars

(property_declaration (struct_declaration (struct_declarator [
    (identifier) @name
    (_ declarator: (identifier) @name)
    (_ declarator: (_ declarator: (identifier) @name))
    ; a block: `void (^onChange)(Shape *shape)`
    (function_declarator declarator: (parenthesized_declarator
      (block_pointer_declarator declarator: (identifier) @name)))
  ]))
  (#set! native_kind "property")) @definition.property

(instance_variable (struct_declaration (struct_declarator [
    (identifier) @name
    (_ declarator: (identifier) @name)
    (_ declarator: (_ declarator: (identifier) @name))
  ]))
  (#set! native_kind "ivar")) @definition.field

; ---------------------------------------------------------------- NS_ENUM

(type_definition
  type: (macro_type_specifier name: (identifier) @_macro
    type: (type_descriptor type: (type_identifier) @name))
  (#match? @_macro "^(NS_ENUM|NS_OPTIONS|NS_CLOSED_ENUM|NS_ERROR_ENUM|NS_TYPED_ENUM|CF_ENUM|CF_OPTIONS|CF_CLOSED_ENUM)$")
  (#set! native_kind "NS_ENUM")) @definition.enum
(type_definition
  type: (macro_type_specifier name: (identifier) @_macro)
  declarator: (type_identifier) @name @definition.enum_member
  (#match? @_macro "^(NS_ENUM|NS_OPTIONS|NS_CLOSED_ENUM|NS_ERROR_ENUM|NS_TYPED_ENUM|CF_ENUM|CF_OPTIONS|CF_CLOSED_ENUM)$")
  (#set! native_kind "enumerator"))
; with values (`MaskA = 1 << 0`) the grammar loses the typedef: the name is found, the
; values are not
(ERROR
  (macro_type_specifier name: (identifier) @_macro (ERROR . (identifier) @name))
    @definition.enum
  (#match? @_macro "^(NS_ENUM|NS_OPTIONS|NS_CLOSED_ENUM|NS_ERROR_ENUM|NS_TYPED_ENUM|CF_ENUM|CF_OPTIONS|CF_CLOSED_ENUM)$")
  (#set! native_kind "NS_ENUM"))
