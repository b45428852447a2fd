;; What a wasm throw costs an engine, caught one call up (tools/bench/throw-cost.ts): the raising
;; function called directly (small: the engine may inline it, and the throw then meets the
;; handler inside one function) or through call_indirect (not inlined: the throw leaves a
;; function). The bridge's raises are of the second kind unless written in a function the
;; engine inlines into the caller's. `deep` runs the same loop under d frames of its own, for
;; engines whose throw costs more the deeper the stack is (SpiderMonkey's does).
(module
  (type $raiser (func (param i32)))
  (tag $t (param i32))
  (table $raisers 1 funcref)
  (elem (table $raisers) (i32.const 0) func $raise)
  (func $raise (param $x i32) (throw $t (local.get $x)))
  ;; n raises caught one call up, the raise called directly (`indirect` 0) or not (1); returns n
  (func $loop (export "loop") (param $indirect i32) (param $n i32) (result i32)
    (local $i i32) (local $caught i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (try
          (do
            (if (local.get $indirect)
              (then (call_indirect $raisers (type $raiser) (local.get $i) (i32.const 0)))
              (else (call $raise (local.get $i)))))
          (catch $t (drop (pop i32)) (local.set $caught (i32.add (local.get $caught) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $caught))
  ;; the loop under d more frames (a recursion the engine does not turn into a loop)
  (func $deep (export "deep") (param $d i32) (param $indirect i32) (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $d))
      (then (call $loop (local.get $indirect) (local.get $n)))
      (else
        (i32.add
          (call $deep (i32.sub (local.get $d) (i32.const 1)) (local.get $indirect) (local.get $n))
          (i32.const 0))))))
