//! `ocaml!`: declares OCaml functions registered with `Callback.register`, as in the model.
//!
//! ```ignore
//! ocaml! {
//!     pub fn greet(name: String) -> String;
//!     fn log(msg: String);
//! }
//! let r: BoxRoot<String> = greet(cr, &name_root);      // an OCamlRef / BoxRoot ...
//! let r: BoxRoot<String> = greet(cr, &"plain value");  // ... or any ToOCaml value
//! ```
//! The Rust name is the registered name. An OCaml exception panics with
//! `OCaml exception, message: ...`, and a name OCaml never registered panics with a message
//! naming it, as in the model. Each function also gets a `try_` form (`try_greet`) that
//! returns `Err(OCaml<OCamlException>)` instead of panicking:
//!
//! ```ignore
//! match try_greet(cr, &"x") {
//!     Ok(r) => { let s: String = r.to_rust(cr); }
//!     Err(e) => { let m = e.message(); }  // e.g. Some("boom") for Failure "boom"
//! }
//! ```

#[macro_export]
macro_rules! ocaml {
    () => {};
    ($vis:vis fn $name:ident( $($arg:ident : $typ:ty),* $(,)? ) $(-> $ret:ty)? ; $($rest:tt)*) => {
        $crate::__ocaml_fn!($vis fn $name( $($arg : $typ),* ) -> ($($ret)?));
        $crate::ocaml!($($rest)*);
    };
}
