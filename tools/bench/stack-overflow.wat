;; Whether a wasm handler catches the engine's stack overflow (tools/bench/throw-cost.ts): a
;; recursion with no end under a legacy try with catch_all, the widest handler the glue and the
;; dispatcher have. `probe` returns 1 if the handler caught it; otherwise the overflow passes to
;; the JS caller. Why Rust calls OCaml through a JS frame by default (docs/architecture.md,
;; "Direct calls from Rust to OCaml, when asked").
(module
  (func $recurse (param $x i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $x) (i32.const 1))) (i32.const 1)))
  (func (export "probe") (result i32)
    (try (result i32)
      (do (drop (call $recurse (i32.const 0))) (i32.const 0))
      (catch_all (i32.const 1)))))
