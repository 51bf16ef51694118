; Protocol Buffers references. Capture contract: docs/queries.md, "References".

; `import "a/b.proto";` (and `import public`): every definition of that file becomes visible
(import path: (string) @import.all) @import

; Message and enum types: of fields, map values, rpc requests and responses (`Item`,
; `a.b.Item`, `.a.b.Item`), and the message an `extend` block extends
(message_or_enum_type (identifier) @reference.type .) @qualified
(extend (full_ident (identifier) @reference.type .) @qualified)
