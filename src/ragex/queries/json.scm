; JSON definitions: what a reader looks up in a data file. Capture contract:
; docs/queries.md. Earlier patterns win when two match the same name node.
;
; The keys of the top-level object are fields. In a `package.json` (any JSON whose top
; level has these keys) the entries of `scripts` are functions (`npm run NAME`), those
; of `dependencies`, `devDependencies`, `peerDependencies` and `optionalDependencies`
; imports. Deeper keys are data, not names to look up, and are not reported.

((document (object (pair key: (string (string_content) @_s)
   value: (object (pair key: (string (string_content) @name)) @definition.function))))
  (#eq? @_s "scripts") (#set! native_kind "script"))
((document (object (pair key: (string (string_content) @_s)
   value: (object (pair key: (string (string_content) @name)) @definition.import))))
  (#any-of? @_s "dependencies" "devDependencies" "peerDependencies" "optionalDependencies")
  (#set! native_kind "dependency"))

(document (object (pair key: (string (string_content) @name)) @definition.field)
  (#set! native_kind "key"))
