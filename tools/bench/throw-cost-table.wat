;; tools/bench/throw-cost.wat's loop with the handler the newer exception-handling instructions
;; write (try_table; an engine rejects a module that mixes them with the legacy try).
(module
  (type $raiser (func (param i32)))
  (tag $t (param i32))
  (table $raisers 1 funcref)
  (elem (table $raisers) (i32.const 0) func $raise)
  (func $raise (param $x i32) (throw $t (local.get $x)))
  ;; n raises caught one call up, the raise called directly (`indirect` 0) or not (1); returns n
  (func (export "loop") (param $indirect i32) (param $n i32) (result i32)
    (local $i i32) (local $caught i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (block $not_caught
          (drop
            (block $caught_it (result i32)
              (try_table (catch $t $caught_it)
                (if (local.get $indirect)
                  (then (call_indirect $raisers (type $raiser) (local.get $i) (i32.const 0)))
                  (else (call $raise (local.get $i)))))
              (br $not_caught)))
          (local.set $caught (i32.add (local.get $caught) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $caught)))
