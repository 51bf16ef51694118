; HCL / Terraform references. Capture contract: docs/queries.md, "References". The grammar
; wheel ships no tags.scm. A Terraform expression names a definition by a path:
; `var.region` (a variable), `local.prefix` (a local value), `module.network` (a module),
; `data.aws_ami.ubuntu` (a data source), `aws_s3_bucket.assets` (a resource); the name is
; the part after the head (after the type for data sources), the head its qualifier.
; `each`, `count`, `self`, `path`, `terraform` and a `for` expression's variables name
; no definition.

((expression (variable_expr (identifier) @_head) @qualifier .
  (get_attr (identifier) @reference.value))
  (#not-match? @_head "^(data|each|count|self|path|terraform)$"))
((expression (variable_expr (identifier) @_head) @qualifier .
  (get_attr) . (get_attr (identifier) @reference.value))
  (#eq? @_head "data"))

; Functions called (Terraform's own: `lookup(...)`, `file(...)`)
(function_call . (identifier) @reference.call)

; `module "x" { source = "./modules/x" }`: the module's files
(block (identifier) @_module
  (body (attribute (identifier) @_source
    (expression (literal_value (string_lit (template_literal) @import.all)))))
  (#eq? @_module "module") (#eq? @_source "source")) @import
