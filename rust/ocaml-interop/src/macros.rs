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

#[doc(hidden)]
#[macro_export]
macro_rules! __ocaml_fn {
    ($vis:vis fn $name:ident( $($arg:ident : $typ:ty),* ) -> ()) => {
        $crate::__ocaml_fn!($vis fn $name( $($arg : $typ),* ) -> (()));
    };
    ($vis:vis fn $name:ident( $($arg:ident : $typ:ty),* ) -> ($ret:ty)) => {

        #[allow(clippy::unused_unit)]
        $vis fn $name<'a>(
            cr: &'a mut $crate::OCamlRuntime,
            $($arg: &impl $crate::ToOCaml<$typ>),*
        ) -> $crate::BoxRoot<$ret> {
            static F: $crate::internal::NamedFunction = $crate::internal::NamedFunction::new(stringify!($name));
            let mark = $crate::internal::call_mark();
            let args = [$( unsafe { $crate::ToOCaml::<$typ>::to_ocaml($arg, cr).raw() } ),*];
            $crate::internal::call_named(cr, &F, mark, &args)
        }

        $crate::__ocaml_try_fn!($vis fn $name( $($arg : $typ),* ) -> ($ret));
    };
}
