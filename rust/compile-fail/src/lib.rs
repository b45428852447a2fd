//! Only tests live here: see `tests/compile_fail.rs` and the cases in `tests/ui/`.
