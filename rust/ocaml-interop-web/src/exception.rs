//! `OCaml<OCamlException>`: an OCaml exception value, with the model's `message()`; `Failure msg`
//! built for errors that carry no exception value; its description.
//!
//! In the wire format an exception is what OCaml makes of it: a constant exception is its
//! constructor (a block with tag 248: `[name; id]`), an exception with arguments is a block with
//! tag 0 whose field 0 is the constructor and the rest its arguments.

use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::mlvalues::OCamlException;
use crate::value::OCaml;
use crate::wire::{self, mem, tag, RawOCaml};

impl<'gc> OCaml<'gc, OCamlException> {
    fn constructor(&self) -> Option<u32> {
        if !self.is_block() {
            return None;
        }
        unsafe {
            match mem::tag(self.raw) {
                tag::OBJECT => Some(self.raw),
                0 if mem::size(self.raw) >= 1 => {
                    let c = mem::field(self.raw, 0);
                    (wire::is_block(c) && mem::tag(c) == tag::OBJECT).then_some(c)
                }
                _ => None,
            }
        }
    }

    /// The exception's name, e.g. `"Not_found"` or `"Stdlib.Failure"` as OCaml prints it.
    pub fn name(&self) -> Option<String> {
        self.name_bytes().map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The string argument of exceptions that carry one string (`Failure`, `Invalid_argument`,
    /// user exceptions of one `string`), as in the model; `None` otherwise.
    pub fn message(&self) -> Option<String> {
        self.message_bytes().map(|b| String::from_utf8_lossy(b).into_owned())
    }

    fn name_bytes(&self) -> Option<&'gc [u8]> {
        let c = self.constructor()?;
        unsafe {
            let n = mem::field(c, 0);
            (wire::is_block(n) && mem::tag(n) == tag::STRING).then(|| mem::bytes(n))
        }
    }

    fn message_bytes(&self) -> Option<&'gc [u8]> {
        self.constructor()?;
        unsafe {
            if mem::tag(self.raw) != 0 || mem::size(self.raw) != 2 {
                return None;
            }
            let m = mem::field(self.raw, 1);
            (wire::is_block(m) && mem::tag(m) == tag::STRING).then(|| mem::bytes(m))
        }
    }

    /// What an error made of the exception says: its message, else its name (as bytes of the
    /// OCaml strings, not copied).
    pub(crate) fn text_bytes(&self) -> &'gc [u8] {
        self.message_bytes()
            .or_else(|| self.name_bytes())
            .unwrap_or(b"an OCaml exception")
    }
}

/// `Failure msg` as an exception value, for errors that carry no OCaml exception value.
pub(crate) fn failure(msg: &str) -> RawOCaml {
    let ctor = alloc::tuple(tag::OBJECT, &[alloc::string(b"Failure"), wire::val_int(-3)]);
    let m = alloc::string(msg.as_bytes());
    alloc::tuple(0, &[ctor, m])
}

impl OCamlDescriber for OCamlException {
    fn describe(out: &mut String) {
        out.push_str("\"exn\"");
    }
}
