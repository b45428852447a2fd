use super::FromOCaml;
use crate::mlvalues::*;
use crate::value::{check_immediate, OCaml};
use crate::wire;

unsafe impl FromOCaml<()> for () {
    fn from_ocaml(v: OCaml<()>) -> Self {
        check_immediate(unsafe { v.raw() }, "unit");
    }
}

unsafe impl FromOCaml<OCamlInt> for i64 {
    fn from_ocaml(v: OCaml<OCamlInt>) -> Self {
        check_immediate(v.raw, "an int");
        wire::int_val(v.raw) as i64
    }
}
unsafe impl FromOCaml<OCamlInt> for i32 {
    fn from_ocaml(v: OCaml<OCamlInt>) -> Self {
        check_immediate(v.raw, "an int");
        wire::int_val(v.raw)
    }
}
unsafe impl FromOCaml<OCamlInt> for isize {
    fn from_ocaml(v: OCaml<OCamlInt>) -> Self {
        check_immediate(v.raw, "an int");
        wire::int_val(v.raw) as isize
    }
}

unsafe impl FromOCaml<bool> for bool {
    fn from_ocaml(v: OCaml<bool>) -> Self {
        check_immediate(v.raw, "a bool");
        wire::int_val(v.raw) != 0
    }
}

unsafe impl FromOCaml<OCamlFloat> for f64 {
    fn from_ocaml(v: OCaml<OCamlFloat>) -> Self {
        v.to_f64()
    }
}

/// Lossy: invalid UTF-8 becomes U+FFFD, as in the model.
unsafe impl FromOCaml<String> for String {
    fn from_ocaml(v: OCaml<String>) -> Self {
        String::from_utf8_lossy(v.as_bytes()).into_owned()
    }
}
unsafe impl FromOCaml<String> for Vec<u8> {
    fn from_ocaml(v: OCaml<String>) -> Self {
        v.as_bytes().to_vec()
    }
}
unsafe impl FromOCaml<OCamlBytes> for Vec<u8> {
    fn from_ocaml(v: OCaml<OCamlBytes>) -> Self {
        v.as_bytes().to_vec()
    }
}
unsafe impl FromOCaml<OCamlBytes> for Box<[u8]> {
    fn from_ocaml(v: OCaml<OCamlBytes>) -> Self {
        v.as_bytes().into()
    }
}
/// Lossy (the model does no UTF-8 check; Rust's `String` needs one).
unsafe impl FromOCaml<OCamlBytes> for String {
    fn from_ocaml(v: OCaml<OCamlBytes>) -> Self {
        String::from_utf8_lossy(v.as_bytes()).into_owned()
    }
}

unsafe impl<T, R: FromOCaml<T>> FromOCaml<T> for Box<R> {
    fn from_ocaml(v: OCaml<T>) -> Self {
        Box::new(R::from_ocaml(v))
    }
}

unsafe impl<T, R: FromOCaml<T>> FromOCaml<Option<T>> for Option<R> {
    fn from_ocaml(v: OCaml<Option<T>>) -> Self {
        if v.is_long() {
            check_immediate(v.raw, "None or Some _");
            if v.raw != wire::val_int(0) {
                crate::conv::compound::shape_error("None or Some _", v.raw);
            }
            None
        } else {
            if v.tag_value() != 0 || v.size() != 1 {
                crate::conv::compound::shape_error("None or Some _", v.raw);
            }
            let _level = super::nesting::enter_from_ocaml(v.raw);
            Some(R::from_ocaml(unsafe { v.field::<T>(0) }))
        }
    }
}
