; HCL and Terraform definitions. Capture contract: docs/queries.md.
; Earlier patterns win when two match the same name node.
;
; What a Terraform user looks up is an address: `aws_s3_bucket.assets` (a resource: its
; type is the @scope), `data.aws_ami.ubuntu` (reported as `aws_ami.ubuntu`, native kind
; `data`), `var.region`, `local.name_prefix`, `module.network`, `output`s. Other HCL
; files (Packer, Nomad, Vault, Terragrunt) have top-level blocks with labels: each is
; named by its last label.

((block (identifier) @_t . (string_lit (template_literal) @scope) . (string_lit (template_literal) @name)
   (block_start) @body) @definition.class
  (#eq? @_t "resource") (#set! native_kind "resource"))
((block (identifier) @_t . (string_lit (template_literal) @scope) . (string_lit (template_literal) @name)
   (block_start) @body) @definition.class
  (#eq? @_t "data") (#set! native_kind "data"))
((block (identifier) @_t . (string_lit (template_literal) @name) (block_start) @body) @definition.variable
  (#eq? @_t "variable") (#set! native_kind "variable"))
((block (identifier) @_t . (string_lit (template_literal) @name) (block_start) @body) @definition.variable
  (#eq? @_t "output") (#set! native_kind "output"))
((block (identifier) @_t . (string_lit (template_literal) @name) (block_start) @body) @definition.module
  (#eq? @_t "module") (#set! native_kind "module"))
((block (identifier) @_t . (string_lit (template_literal) @name) (block_start) @body) @definition.module
  (#eq? @_t "provider") (#set! native_kind "provider"))
; `locals { x = ... }` is the namespace `local` of `local.x` (the keyword less its `s`).
((block (identifier) @name . (block_start) @body) @definition.namespace
  (#eq? @name "locals") (#set! name_strip "s") (#set! native_kind "locals"))
((block (identifier) @_t (body (attribute (identifier) @name) @definition.variable))
  (#eq? @_t "locals") (#set! native_kind "local"))

; Any other labelled top-level block: named by its last label.
(config_file (body (block (identifier) (string_lit (template_literal) @name) . (block_start) @body)
  @definition.class (#set! native_kind "block")))
(config_file (body (block (identifier) (identifier) @name . (block_start) @body)
  @definition.class (#set! native_kind "block")))
; Top-level attributes (`.tfvars`, other HCL configuration).
(config_file (body (attribute (identifier) @name) @definition.variable
  (#set! native_kind "attribute")))
