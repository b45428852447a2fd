//! Type descriptions: how the build learns each export's OCaml signature from the Rust side.
//!
//! Every marker type describes itself as JSON (`"int"`, `{"option":"int"}`, ...). The
//! `#[export]` macro emits, next to each export, an `oiw_describe_<name>` function that returns
//! the export's signature; the build runs those functions to generate the OCaml glue, the
//! OCaml `external` declarations and the TypeScript types. See `docs/wire-format.md`. Each type's
//! `OCamlDescriber` is with its conversions (`conv/`, `bigarray.rs`, `dynbox.rs`, `closure.rs`,
//! `exception.rs`).

pub trait OCamlDescriber {
    /// Appends this type's JSON description to `out`.
    fn describe(out: &mut String);
}

/// The JSON string of a type description.
pub fn describe<T: OCamlDescriber>() -> String {
    let mut s = String::new();
    T::describe(&mut s);
    s
}

/// Escapes a Rust string as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
