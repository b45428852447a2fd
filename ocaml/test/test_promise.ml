(* The library's Promise module on its own (no Rust, no host call): settling once, the order
   continuations run in, map and bind, exceptions as rejections, and a subscribe function that
   fails. Promises crossing the bridge are tested in the browsers
   (examples/conformance/e2e/async.spec.ts). *)

open Ocaml_interop_web
open Wire_test

let outcome p =
  let got = ref None in
  Promise.await p (fun r -> got := Some r);
  !got

let () =
  (* settles once: the first call wins, later ones do nothing *)
  let p, ok, err = Promise.make () in
  let seen = ref [] in
  Promise.await p (fun r -> seen := ("a", r) :: !seen);
  Promise.await p (fun r -> seen := ("b", r) :: !seen);
  check "pending: no continuation ran" (!seen = []);
  ok 1;
  ok 2;
  err (Failure "late");
  check "fulfilled once, continuations in the order they came"
    (List.rev !seen = [ ("a", Ok 1); ("b", Ok 1) ]);
  (* awaiting a settled promise runs the continuation at once *)
  check "settled: at once" (outcome p = Some (Ok 1));
  check "resolved" (outcome (Promise.resolved "x") = Some (Ok "x"));
  (* rejections: a Failure comes back as itself, Rust_panic too, other exceptions as Failure of
     their text *)
  check "rejected Failure"
    (outcome (Promise.rejected (Failure "no")) = Some (Error (Failure "no")));
  check "rejected Rust_panic"
    (outcome (Promise.rejected (Rust_panic "boom"))
    = Some (Error (Rust_panic "boom")));
  check "rejected Not_found"
    (match outcome (Promise.rejected Not_found) with
    | Some (Error (Failure m)) -> m = "Not_found"
    | _ -> false);
  (* map and bind *)
  check "map"
    (outcome (Promise.map (fun x -> x * 2) (Promise.resolved 21)) = Some (Ok 42));
  check "map raising rejects"
    (outcome (Promise.map (fun _ -> failwith "in map") (Promise.resolved 0))
    = Some (Error (Failure "in map")));
  check "map of a rejection"
    (outcome (Promise.map (fun x -> x + 1) (Promise.rejected (Failure "r")))
    = Some (Error (Failure "r")));
  check "bind"
    (outcome
       (Promise.bind (Promise.resolved 3) (fun x -> Promise.resolved (x + 1)))
    = Some (Ok 4));
  let q, ok_q, _ = Promise.make () in
  let chained = Promise.bind (Promise.resolved ()) (fun () -> q) in
  check "bind waits for the inner promise" (outcome chained = None);
  ok_q "later";
  check "bind: the inner value" (outcome chained = Some (Ok "later"));
  (* a continuation that raises does not keep the others from running *)
  let r, ok_r, _ = Promise.make () in
  let after = ref false in
  Promise.await r (fun _ -> failwith "a bad continuation");
  Promise.await r (fun _ -> after := true);
  ok_r ();
  check "a raising continuation does not stop the others" !after;
  Printf.printf "ocaml promise tests: %d passed, %d failed\n" !passed !failed;
  if !failed > 0 then exit 1
