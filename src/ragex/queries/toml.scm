; TOML definitions: what a reader looks up in a configuration file. Capture contract:
; docs/queries.md. Earlier patterns win when two match the same name node.
;
; Tables (`[a.b]`, `[[a]]`) are namespaces named by their dotted key, so their keys are
; `a.b.key`. Reported keys: the file's top-level keys (fields), the keys of a
; `dependencies` table (Cargo, Poetry: imports) and of a `scripts` table
; (`[project.scripts]`, Poetry's: functions, the commands a package installs). Other keys
; of a table (`version = "1.0"` under `[package]`) are the table's data: reporting each
; would make most of a lock file or a manifest symbols, at twice the floor's cost.

((table [(bare_key) (quoted_key) (dotted_key)] @_t (pair [(bare_key) (quoted_key)] @name) @definition.import)
  (#match? @_t "(^|\\.)\"?(dependencies|dev-dependencies|build-dependencies|dev_dependencies|build_dependencies|optional-dependencies)\"?$")
  (#set! name_strip "\"'") (#set! native_kind "dependency"))
((table [(bare_key) (quoted_key) (dotted_key)] @_t (pair [(bare_key) (quoted_key)] @name) @definition.function)
  (#match? @_t "(^|\\.)(scripts|gui-scripts)$")
  (#set! name_strip "\"'") (#set! native_kind "script"))

(table [(bare_key) (quoted_key) (dotted_key)] @name (#set! name_path "true")
  (#set! name_strip "\"'") (#set! native_kind "table")) @definition.namespace
(table_array_element [(bare_key) (quoted_key) (dotted_key)] @name (#set! name_path "true")
  (#set! name_strip "\"'") (#set! native_kind "array of tables")) @definition.namespace

; Keys of the file (keys inside an inline table are data).
(document (pair [(bare_key) (quoted_key) (dotted_key)] @name) @definition.field
  (#set! name_path "true") (#set! name_strip "\"'") (#set! native_kind "key"))
