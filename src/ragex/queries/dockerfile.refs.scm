; Dockerfile references. Capture contract: docs/queries.md, "References". The grammar
; wheel ships no tags.scm. (`COPY --from=build` names a stage too, but the grammar keeps
; `--from=build` one node: no reference starts at `build`.)

; `FROM golang:1.22 AS build`, `FROM build AS test`: a stage builds on an image or on an
; earlier stage
(from_instruction (image_spec name: (image_name) @reference.inherit))

; `${GO_VERSION}`, `$APP_PORT`: an ARG or ENV of the file
(expansion (variable) @reference.value)
