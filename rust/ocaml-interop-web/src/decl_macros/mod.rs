//! The declarative record and variant macros of ocaml-interop 0.12, for source compatibility
//! (the derives are the recommended way: they also describe the type to the build).
//!
//! ```ignore
//! impl_conv_ocaml_record! { Point { x: OCamlFloat, y: OCamlFloat } }
//! impl_conv_ocaml_record! { Person => PersonMarker { name: String, age: OCamlInt => { *age as i64 } } }
//! impl_conv_ocaml_variant! { Shape { Shape::Empty, Shape::Circle(r: OCamlFloat), Shape::Rect(w: OCamlFloat, h: OCamlFloat) } }
//! impl_to_ocaml_polymorphic_variant! { Move { Move::StepLeft, Move::Rotate(r: OCamlFloat) } }
//! impl_from_ocaml_polymorphic_variant! { Move { StepLeft => Move::StepLeft, Rotate(r: OCamlFloat) => Move::Rotate(r) } }
//! ```
//! Records whose fields are all `OCamlFloat` use OCaml's flat layout (tag 254), which the
//! model's macros did not handle.
//!
//! The 0.12 building blocks (`ocaml_unpack_record!`, `ocaml_alloc_variant!` ...) have the same
//! syntax and results as ocaml-interop 0.12 (`src/macros.rs` there), including the
//! `Result<_, &'static str>` of the unpack macros and their error strings. Beyond the model,
//! `ocaml_unpack_record!` and `ocaml_alloc_record!` use the flat layout too (the model's would
//! build or expect a block of boxed floats, which is not what OCaml makes of such a record).
//!
//! One file per kind of type: `record.rs`, `variant.rs`, `polyvar.rs`; `count_fields!`, which
//! records and variants both use, is here; the runtime functions they call are in
//! `internal/records.rs`.

mod polyvar;
mod record;
mod variant;

/// Counts identifiers (the model's helper).
#[doc(hidden)]
#[macro_export]
macro_rules! count_fields {
    () => {0usize};
    ($field:ident $($fields:ident)*) => {1usize + $crate::count_fields!($($fields)*)};
}
