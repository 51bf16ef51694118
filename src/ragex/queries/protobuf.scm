; Protocol Buffers definitions (proto2 and proto3). Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; `package a.b;` names the rest of the file (`a.b.Order`, as protoc names it); a message
; is a struct holding its fields (`map<...>` and `oneof` members too: a oneof field is
; named under its oneof, `Order.payment.card`, as ctags scopes it), nested messages and
; enums; a service is an interface whose `rpc`s are its methods. An `extend` block
; defines fields of the scope it is written in. Imports are named by their path.

(package (full_ident) @name (#set! native_kind "package") (#set! scope "file")
  (#set! name_path "true")) @definition.package
(import path: (string) @name (#set! native_kind "import") (#set! name_strip "\"'")) @definition.import

(message (message_name (identifier) @name) (message_body) @body
  (#set! native_kind "message")) @definition.struct
(enum (enum_name (identifier) @name) (enum_body) @body (#set! native_kind "enum")) @definition.enum
(enum_field (identifier) @name (#set! native_kind "enum value")) @definition.enum_member
(service (service_name (identifier) @name) (#set! native_kind "service")
  (#set! signature "first_line")) @definition.interface
(rpc (rpc_name (identifier) @name) (#set! native_kind "rpc")
  (#set! signature "first_line")) @definition.method

(field (identifier) @name (#set! native_kind "field")) @definition.field
(map_field (identifier) @name (#set! native_kind "map")) @definition.field
(oneof (identifier) @name (#set! native_kind "oneof") (#set! signature "first_line")) @definition.field
(oneof_field (identifier) @name (#set! native_kind "field")) @definition.field
