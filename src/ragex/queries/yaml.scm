; YAML definitions: what a reader looks up in a data file. Capture contract:
; docs/queries.md. Earlier patterns win when two match the same name node.
;
; - A Kubernetes-style object (a document with `kind:` then `metadata: name:`) is a class
;   named by `metadata.name`; its signature is the text before its next key
;   (`apiVersion: apps/v1 kind: Deployment metadata: name: web`), and its keys are its
;   members.
; - Docker Compose `services:` entries are classes (native kind `service`), GitHub Actions
;   `jobs:` entries functions (native kind `job`).
; - The top-level keys of every document are fields; anchors (`&name`) variables.
; Deeper keys are not reported: in a data file they are data, not names to look up.

; Kubernetes objects.
((document (block_node (block_mapping
   (block_mapping_pair key: (flow_node) @_k)
   (block_mapping_pair key: (flow_node) @_m value: (block_node (block_mapping
     (block_mapping_pair key: (flow_node) @_n value: (flow_node) @name))))
   .
   (block_mapping_pair)? @body) @definition.class))
  (#eq? @_k "kind") (#eq? @_m "metadata") (#eq? @_n "name") (#set! name_strip "\"'")
  (#set! native_kind "object"))

; Compose services and GitHub Actions jobs.
((document (block_node (block_mapping (block_mapping_pair key: (flow_node) @_s
   value: (block_node (block_mapping (block_mapping_pair key: (flow_node) @name value: (_)? @body)
     @definition.class))))))
  (#eq? @_s "services") (#set! name_strip "\"'") (#set! native_kind "service"))
((document (block_node (block_mapping (block_mapping_pair key: (flow_node) @_s
   value: (block_node (block_mapping (block_mapping_pair key: (flow_node) @name value: (_)? @body)
     @definition.function))))))
  (#eq? @_s "jobs") (#set! name_strip "\"'") (#set! native_kind "job"))

; Top-level keys.
(document (block_node (block_mapping (block_mapping_pair key: (flow_node) @name)
  @definition.field)) (#set! name_strip "\"'") (#set! native_kind "key"))
(document (flow_node (flow_mapping (flow_pair key: (flow_node) @name) @definition.field))
  (#set! name_strip "\"'") (#set! native_kind "key"))

; Anchors.
((_ (anchor (anchor_name) @name)) @definition.variable (#set! native_kind "anchor"))
