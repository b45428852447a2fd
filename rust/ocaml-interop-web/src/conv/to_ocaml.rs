use super::ToOCaml;
use crate::alloc;
use crate::boxroot::{BoxRoot, OCamlCell};
use crate::error::pending;
use crate::mlvalues::*;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, RawOCaml};

#[inline]
fn wrap<'a, T>(_cr: &'a mut OCamlRuntime, raw: RawOCaml) -> OCaml<'a, T> {
    unsafe { OCaml::from_raw_unchecked(raw) }
}

unsafe impl ToOCaml<()> for () {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, ()> {
        wrap(cr, wire::UNIT)
    }
}

/// Range-checked: a value outside OCaml's 31-bit `int` fails the call (never wraps).
fn int_word(n: i64) -> RawOCaml {
    match wire::val_int_checked(n) {
        Some(w) => w,
        None => {
            pending::int_out_of_range(n);
            wire::val_int(0)
        }
    }
}

macro_rules! to_ocaml_int {
    ($($t:ty),*) => {$(
        unsafe impl ToOCaml<OCamlInt> for $t {
            fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlInt> {
                wrap(cr, int_word(*self as i64))
            }
        }
    )*};
}
to_ocaml_int!(i64, i32, isize, i16, i8, u8, u16, u32);

unsafe impl ToOCaml<OCamlInt> for u64 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlInt> {
        let n = i64::try_from(*self).unwrap_or(i64::MAX);
        wrap(cr, int_word(n))
    }
}

unsafe impl ToOCaml<bool> for bool {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, bool> {
        wrap(cr, if *self { wire::TRUE } else { wire::FALSE })
    }
}

unsafe impl ToOCaml<OCamlFloat> for f64 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlFloat> {
        wrap(cr, alloc::float(*self))
    }
}

unsafe impl ToOCaml<OCamlFloat> for f32 {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, OCamlFloat> {
        wrap(cr, alloc::float(*self as f64))
    }
}

macro_rules! to_ocaml_bytes_like {
    ($marker:ty: $($t:ty => $e:expr),*) => {$(
        unsafe impl ToOCaml<$marker> for $t {
            fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, $marker> {
                let f: for<'x> fn(&'x $t) -> &'x [u8] = $e;
                wrap(cr, alloc::string(f(self)))
            }
        }
    )*};
}
to_ocaml_bytes_like!(String:
    str => |s| s.as_bytes(), String => |s| s.as_bytes(),
    [u8] => |s| s, Vec<u8> => |s| s.as_slice(), Box<[u8]> => |s| s);
to_ocaml_bytes_like!(OCamlBytes:
    str => |s| s.as_bytes(), String => |s| s.as_bytes(),
    [u8] => |s| s, Vec<u8> => |s| s.as_slice(), Box<[u8]> => |s| s);

unsafe impl<T, A: ToOCaml<T>> ToOCaml<T> for Box<A> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        self.as_ref().to_ocaml(cr)
    }
}

unsafe impl<T, A: ToOCaml<T> + ?Sized> ToOCaml<T> for &A {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        (**self).to_ocaml(cr)
    }
}

/// A rooted value is passed as it is (no copy).
unsafe impl<T> ToOCaml<T> for BoxRoot<T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        wrap(cr, unsafe { self.get_raw() })
    }
}

/// An OCaml value is passed as it is (as on the model's main branch; with `ToOCaml for &A`,
/// `&value` and `&OCaml::unit()` work as `ocaml!` arguments, as in 0.12).
unsafe impl<T> ToOCaml<T> for OCaml<'_, T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        wrap(cr, self.raw)
    }
}

unsafe impl<T> ToOCaml<T> for OCamlCell<T> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, T> {
        wrap(cr, unsafe { self.get_raw() })
    }
}

unsafe impl<T, A: ToOCaml<T>> ToOCaml<Option<T>> for Option<A> {
    fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, Option<T>> {
        match self {
            None => wrap(cr, wire::val_int(0)),
            Some(x) => {
                let Some(_level) = super::nesting::enter_to_ocaml() else {
                    return wrap(cr, wire::UNIT);
                };
                // pre-order, as the wire format specifies: the block before its field
                let Some(b) = alloc::block(0, 1) else {
                    return wrap(cr, wire::UNIT);
                };
                let v = unsafe { x.to_ocaml(cr).raw() };
                unsafe { crate::wire::mem::set_field(b, 0, v) };
                wrap(cr, b)
            }
        }
    }
}
