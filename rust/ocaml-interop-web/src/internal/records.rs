//! What the derives and the record and variant macros (`decl_macros/`) build on: a failed
//! allocation's value, records (OCaml's flat layout when every field is a float) and
//! polymorphic variants' tags.

use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, RawOCaml};

use super::shape_error;

/// `()` as the value of a failed allocation (the pending error then fails the call).
#[inline]
pub fn unit_value(_cr: &mut OCamlRuntime) -> RawOCaml {
    wire::UNIT
}

/// The floats of a tag-254 block.
pub unsafe fn read_f64s<'a>(raw: RawOCaml) -> &'a [f64] {
    std::slice::from_raw_parts((raw + 8) as usize as *const f64, wire::mem::size(raw) as usize)
}

/// Whether `M` is `OCamlFloat` (records whose fields are all floats are stored flat).
pub fn is_float_marker<M: 'static>() -> bool {
    std::any::TypeId::of::<M>() == std::any::TypeId::of::<crate::OCamlFloat>()
}

/// Writes field `i` of a record; in a flat float record the field's boxed float is unboxed.
pub unsafe fn set_record_field(b: RawOCaml, i: u32, w: RawOCaml, flat: bool) {
    if flat {
        let x = crate::wire::mem::read_f64(w + 8);
        crate::wire::mem::write_f64(b + 8 + 8 * i, x);
    } else {
        crate::wire::mem::set_field(b, i, w);
    }
}

/// Checks a record's block: tag 0 (or 254 when flat) with `n` fields.
pub fn check_record(raw: RawOCaml, n: u32, flat: bool, what: &'static str) {
    let tag = if flat { 254 } else { 0 };
    if !wire::is_block(raw) || unsafe { wire::mem::tag(raw) != tag || wire::mem::size(raw) != n } {
        shape_error(&format!("the record {what} (tag {tag}, {n} fields)"), raw);
    }
}

/// Field `i` of a record; a flat float record's field is boxed into the arena first.
pub unsafe fn record_field<'a, T>(raw: RawOCaml, i: u32, flat: bool) -> OCaml<'a, T> {
    if flat {
        OCaml::from_raw_unchecked(crate::alloc::float(crate::wire::mem::read_f64(raw + 8 + 8 * i)))
    } else {
        OCaml::from_raw_unchecked(crate::wire::mem::field(raw, i))
    }
}

/// Field `i` of a record, for `ocaml_unpack_record!` (a flat float record's field is boxed).
pub fn unpack_field<T, R: crate::FromOCaml<T>>(record: OCaml<'_, impl Sized>, i: usize, flat: bool) -> R {
    if flat {
        let n = record.size();
        assert!(
            i < n,
            "ocaml_unpack_record!: field {i} out of bounds (the record has {n} fields)"
        );
        R::from_ocaml(unsafe { record_field(record.raw, i as u32, true) })
    } else {
        R::from_ocaml(unsafe { record.field::<T>(i) })
    }
}

/// The tag hash of a polymorphic variant with arguments (a block `(hash, payload)`).
pub fn polyvar_hash(raw: RawOCaml) -> Option<i32> {
    if wire::is_block(raw) && unsafe { wire::mem::tag(raw) == 0 && wire::mem::size(raw) == 2 } {
        let h = unsafe { wire::mem::field(raw, 0) };
        if wire::is_immediate(h) {
            return Some(wire::int_val(h));
        }
    }
    None
}
