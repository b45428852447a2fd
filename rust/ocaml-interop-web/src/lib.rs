//! # ocaml-interop for the web
//!
//! The API of the `ocaml-interop` 0.12 crate for Rust compiled to wasm32 and OCaml compiled
//! to WasmGC by wasm_of_ocaml, running in one page. Values cross through a shared
//! linear-memory wire format (`docs/wire-format.md`); the TS host wires the two modules.
//!
//! ```ignore
//! use ocaml_interop::{OCaml, OCamlInt, OCamlRuntime, ToOCaml};
//!
//! #[ocaml_interop::export]
//! pub fn twice(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>) -> OCaml<OCamlInt> {
//!     let n: i64 = n.to_rust();
//!     (2 * n).to_ocaml(cr)
//! }
//! // OCaml: external twice : int -> int = "twice"
//! ```

// `host-typecheck` lets the compile-fail tests (rust/compile-fail, trybuild on the host) check
// types and borrows; nothing built that way can run.
#[cfg(not(any(target_pointer_width = "32", feature = "host-typecheck")))]
compile_error!(
    "ocaml-interop for the web targets wasm32: build with --target wasm32-unknown-unknown \
     (and test with --target wasm32-wasip1)"
);

// build.rs defines oiw_page for a page build: without it the host functions would be the unit
// tests' stand-ins
#[cfg(all(target_arch = "wasm32", target_os = "unknown", not(oiw_page)))]
compile_error!(
    "ocaml-interop-web: its build script (build.rs) did not run, so the crate cannot tell it is built \
     for a page: the package is incomplete (reinstall ocaml-interop-web)"
);

#[doc(hidden)]
pub mod alloc;
#[doc(hidden)]
pub mod arena;
pub mod bigarray;
mod boxroot;
mod closure;
mod conv;
mod decl_macros;
#[doc(hidden)]
pub mod derive_support;
pub mod describe;
mod dynbox;
mod error;
mod exception;
mod exports;
#[cfg(all(target_arch = "wasm32", target_os = "unknown", feature = "reuse-memory"))]
mod heap;
mod host;
#[doc(hidden)]
pub mod internal;
mod macros;
mod mlvalues;
mod panic;
mod promise;
/// The wire format's constants (generated from wire-format/protocol.json by tools/gen-protocol.ts;
/// not formatted by rustfmt: the generator's layout is checked instead).
#[rustfmt::skip]
pub mod protocol;
mod runtime;
mod rust_closure;
mod value;
pub mod wire;

pub use crate::boxroot::{BoxRoot, OCamlCell, OCamlRef};
pub use crate::conv::{alloc_error, alloc_ok, cons, FromOCaml, ToOCaml};
pub use crate::derive_support::{hash_variant, DefaultOCamlMapping, DefaultRustMapping};
pub use crate::describe::OCamlDescriber;
pub use crate::error::{ErrorKind, OCamlFixnumConversionError, OCamlIntRangeError};
pub use crate::mlvalues::*;
pub use crate::promise::{ocaml_async, OCamlPromise, OCamlSettled, PromiseFuture, Rejection};
pub use crate::runtime::{OCamlRuntime, OCamlRuntimeStartupGuard};
pub use crate::value::OCaml;
pub use crate::wire::RawOCaml;
#[doc(hidden)]
pub use ocaml_interop_web_macros::__ocaml_fn;
pub use ocaml_interop_web_macros::{export, FromOCaml, OCamlDescriber, ToOCaml};

#[cfg(not(oiw_page))]
pub use crate::host::test_host;

pub use crate::dynbox::live_boxes;
pub use crate::rust_closure::{rust_closure1, rust_closure2, rust_closure3};

/// Memory the runtime holds in its call arena (for leak checks).
pub fn arena_held_bytes() -> u64 {
    arena::held_bytes()
}
