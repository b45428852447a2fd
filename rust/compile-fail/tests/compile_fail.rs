//! Each file in tests/ui/ must fail to compile with the error recorded next to it (`.stderr`).
//! To record new expectations: `TRYBUILD=overwrite cargo test -p compile-fail`, then read them.
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
