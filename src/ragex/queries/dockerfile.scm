; Dockerfile definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; A `FROM` starts a build stage that lasts until the next `FROM`: the stage names the
; rest of the file (scope "file"), so `ENV`/`ARG`/`LABEL` after it are `stage.NAME`.
; `ARG`s before the first `FROM` are global. A stage is named by its `AS` alias, else by
; its image; the image of a named stage is also reported as an import.

(from_instruction (image_spec) as: (image_alias) @name
  (#set! native_kind "FROM") (#set! scope "file")) @definition.module
(from_instruction (image_spec name: (image_name) @name) !as
  (#set! native_kind "FROM") (#set! scope "file")) @definition.module
(from_instruction (image_spec name: (image_name) @name) as: (_)
  (#set! native_kind "image")) @definition.import

(arg_instruction name: (_) @name (#set! native_kind "ARG")) @definition.variable
(env_instruction (env_pair name: (_) @name) (#set! native_kind "ENV")) @definition.variable
(label_instruction (label_pair key: (_) @name) (#set! native_kind "LABEL")
  (#set! name_strip "\"")) @definition.property
