; Haskell references. Capture contract: docs/queries.md, "References". The grammar wheel
; ships no tags.scm.

; Imports: `import A.B` (all its names), `import qualified A.B as M` (binds M),
; `import A.B (f, T)` (binds f and T)
(import module: (module) @import.all !names !alias) @import
(import module: (module) @reference.import alias: (module) @import.alias !names)
  @import @import.clause
(import module: (module) @import.from
  names: (import_list (import_name [(variable) (name)] @reference.import))) @import

; Calls: a function applied (`f x`, `M.f x`, `Circle 1.0`), an infix `x \`div\` y`
(apply function: [
  (variable) @reference.call
  (constructor) @reference.call
  (qualified id: [(variable) (constructor)] @reference.call) @qualified])
(infix operator: (infix_id [
  (variable) @reference.call
  (qualified id: (variable) @reference.call) @qualified]))

; Classes: `instance C T` implements C, `deriving (Show)` too; a class's context
; (`class Show a => Pretty a`) names its superclasses
(instance name: (name) @reference.implement)
(instance name: (qualified id: (name) @reference.implement) @qualified)
(deriving (name) @reference.implement)
(deriving (_ (name) @reference.implement))
(class context: (context (apply constructor: (name) @reference.inherit)))
(class context: (context (tuple (apply constructor: (name) @reference.inherit))))

; Types and type classes wherever they are written
(name) @reference.type
(qualified id: (name) @reference.type) @qualified

; A defined name used as a value (kept when the file defines or imports it)
(apply argument: [
  (variable) @reference.value
  (constructor) @reference.value
  (qualified id: [(variable) (constructor)] @reference.value) @qualified])
(infix [left_operand: (variable) @reference.value right_operand: (variable) @reference.value])
(match expression: (variable) @reference.value)
(export variable: (variable) @reference.value)
