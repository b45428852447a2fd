//! OCaml closures in Rust: `OCaml<fn(A) -> R>` and `BoxRoot<fn(A) -> R>` with `try_call`, as
//! in the model (1 to 7 arguments). A closure crosses as a handle to the OCaml value; a call
//! writes the arguments into the arena and asks the host to apply the closure. The handle lives
//! for the call that passed it, or until the `BoxRoot` holding it is dropped.

use crate::boxroot::BoxRoot;
use crate::conv::ToOCaml;
use crate::error;
use crate::exception::failure;
use crate::host::Handle;
use crate::mlvalues::OCamlException;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag, RawOCaml, ERROR_SENTINEL};

/// The handle of an OCaml closure, `[handle; 0; generation low; generation high]`.
pub(crate) fn handle_of(raw: RawOCaml) -> Handle {
    unsafe {
        if !wire::is_block(raw)
            || mem::tag(raw) != tag::CLOSURE
            || mem::size(raw) != 4
            || mem::field(raw, 1) != wire::val_int(0)
        {
            crate::conv::shape_error("an OCaml closure (tag 247)", raw);
        }
        Handle {
            id: wire::int_val(mem::field(raw, 0)) as u32,
            gen_lo: wire::int_val(mem::field(raw, 2)) as u32,
            gen_hi: wire::int_val(mem::field(raw, 3)) as u32,
        }
    }
}

/// Rooting a block (`boxroot::copy_blocks`): an OCaml closure's handle, retained for the root
/// (which releases it when dropped); `None` for any other block.
///
/// # Safety
/// `b` must be a block of the wire format.
pub(crate) unsafe fn root_handle(b: RawOCaml) -> Option<Handle> {
    if mem::tag(b) != tag::CLOSURE || mem::size(b) != 4 || mem::field(b, 1) != wire::val_int(0) {
        return None;
    }
    let h = handle_of(b);
    crate::host::retain(h);
    Some(h)
}

#[doc(hidden)]
pub fn call_closure<'a, R>(
    _cr: &'a mut OCamlRuntime,
    closure: RawOCaml,
    args: &[RawOCaml],
) -> Result<OCaml<'a, R>, OCaml<'a, OCamlException>> {
    let h = handle_of(closure);
    if let Some(msg) = crate::error::pending::take() {
        return Err(unsafe { OCaml::from_raw_unchecked(failure(&msg)) });
    }
    // (the argument words are read where the caller keeps them, during the call only)
    let r = crate::host::call_handle(h, wire::words_ptr(args), args.len() as u32);
    if r != ERROR_SENTINEL {
        return Ok(unsafe { OCaml::from_raw_unchecked(r) });
    }
    let (_, msg, exn) = error::take_call_error(|| "unknown error".into());
    Err(unsafe { OCaml::from_raw_unchecked(if exn != 0 { exn } else { failure(&msg) }) })
}

macro_rules! closure_arity {
    ($($A:ident $a:ident),+) => {
        impl<'gc, $($A,)+ R> OCaml<'gc, fn($($A),+) -> R> {
            /// Calls the closure; an OCaml exception comes back as `Err`.
            #[allow(clippy::too_many_arguments)]
            pub fn try_call<'a>(&self, cr: &'a mut OCamlRuntime, $($a: impl ToOCaml<$A>),+) -> Result<OCaml<'a, R>, OCaml<'a, OCamlException>> {
                let args = [$( unsafe { $a.to_ocaml(cr).raw() } ),+];
                call_closure(cr, self.raw, &args)
            }
        }

        impl<$($A,)+ R> BoxRoot<fn($($A),+) -> R> {
            /// Calls the rooted closure; an OCaml exception comes back as `Err`.
            #[allow(clippy::too_many_arguments)]
            pub fn try_call<'a>(&self, cr: &'a mut OCamlRuntime, $($a: impl ToOCaml<$A>),+) -> Result<OCaml<'a, R>, OCaml<'a, OCamlException>> {
                let args = [$( unsafe { $a.to_ocaml(cr).raw() } ),+];
                call_closure(cr, unsafe { self.get_raw() }, &args)
            }
        }

        impl<$($A: crate::describe::OCamlDescriber,)+ R: crate::describe::OCamlDescriber> crate::describe::OCamlDescriber for fn($($A),+) -> R {
            fn describe(out: &mut String) {
                out.push_str("{\"fn\":[");
                $( $A::describe(out); out.push(','); )+
                R::describe(out);
                out.push_str("]}");
            }
        }
    };
}

closure_arity!(A a);
closure_arity!(A a, B b);
closure_arity!(A a, B b, C c);
closure_arity!(A a, B b, C c, D d);
closure_arity!(A a, B b, C c, D d, E e);
closure_arity!(A a, B b, C c, D d, E e, F f);
closure_arity!(A a, B b, C c, D d, E e, F f, G g);
