; SQL references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm.

; Functions called: `count(*)`, `shop.total(x)`
(invocation (object_reference name: (identifier) @reference.call) @qualified)

; Tables, views, types, sequences and functions named as objects (`FROM shop.customers`,
; `INSERT INTO orders`, `REFERENCES customers (id)`, `ON orders`, `EXECUTE FUNCTION f()`)
(object_reference name: (identifier) @reference.type) @qualified

; A column's table or alias (`o.total`): mostly an alias of the query, no reference
(field (object_reference name: (identifier) @skip))
