//! OCaml `string` and `bytes` (tag 252): their conversions, the borrowed views of their bytes
//! (`as_bytes`, `as_str`) and their descriptions.

use super::{shape_error, wrap, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlBytes;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem, tag, RawOCaml};

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

impl<'gc> OCaml<'gc, String> {
    /// The string's bytes, borrowed from the wire buffer (no copy).
    pub fn as_bytes(&self) -> &'gc [u8] {
        check_string(self.raw);
        unsafe { mem::bytes(self.raw) }
    }
    /// The string as `&str`. Panics if it is not valid UTF-8, as in the model.
    pub fn as_str(&self) -> &'gc str {
        match std::str::from_utf8(self.as_bytes()) {
            Ok(s) => s,
            Err(e) => panic!("OCaml string is not valid UTF-8 ({e}); use as_bytes() or to_rust::<String>() (lossy)"),
        }
    }
    /// The string as `&str`, or the UTF-8 error (never panics).
    pub fn try_as_str(&self) -> Result<&'gc str, std::str::Utf8Error> {
        std::str::from_utf8(self.as_bytes())
    }
    /// The string as `&str` without a UTF-8 check.
    ///
    /// # Safety
    /// The string must be valid UTF-8.
    pub unsafe fn as_str_unchecked(&self) -> &'gc str {
        std::str::from_utf8_unchecked(self.as_bytes())
    }
}

impl<'gc> OCaml<'gc, OCamlBytes> {
    pub fn as_bytes(&self) -> &'gc [u8] {
        check_string(self.raw);
        unsafe { mem::bytes(self.raw) }
    }
    /// The bytes as `&str`. Panics if they are not valid UTF-8, as in the model.
    pub fn as_str(&self) -> &'gc str {
        match std::str::from_utf8(self.as_bytes()) {
            Ok(s) => s,
            Err(e) => panic!("OCaml bytes are not valid UTF-8 ({e}); use as_bytes()"),
        }
    }
    /// The bytes as `&str` without a UTF-8 check.
    ///
    /// # Safety
    /// The bytes must be valid UTF-8.
    pub unsafe fn as_str_unchecked(&self) -> &'gc str {
        std::str::from_utf8_unchecked(self.as_bytes())
    }
}

#[inline]
fn check_string(raw: RawOCaml) {
    if !wire::is_block(raw) || unsafe { mem::tag(raw) } != tag::STRING {
        shape_error("a string (tag 252)", raw);
    }
}

impl OCamlDescriber for String {
    fn describe(out: &mut String) {
        out.push_str("\"string\"");
    }
}
impl OCamlDescriber for OCamlBytes {
    fn describe(out: &mut String) {
        out.push_str("\"bytes\"");
    }
}
