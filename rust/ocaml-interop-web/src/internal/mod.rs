//! Support for the code `#[export]`, `ocaml!`, the derives and the record/variant macros
//! generate. Not a public API. The generated code names everything as `internal::<item>`, so
//! this module re-exports each part's items at its top.

mod export;
mod ocaml_call;
mod records;
mod signature;

pub use crate::alloc;
pub use crate::arena;
pub use crate::closure::call_closure;
pub use crate::conv::nesting::{enter_from_ocaml as nesting_from_ocaml, enter_to_ocaml as nesting_to_ocaml};
pub use crate::conv::shape_error;
pub use crate::derive_support::describe_named;
pub use crate::describe::{describe, json_string};
pub use crate::runtime::{recover_runtime_handle, recover_runtime_handle_mut};

pub use export::{arg, arg_root, describe_result, run_export, run_export_with, take_error, ExportResult};
pub use ocaml_call::{
    call_mark, call_named, exception_panic_text, try_call_named, try_call_named_exn, NamedFunction,
    EXCEPTION_PANIC_PREFIX,
};
pub use records::{
    check_record, is_float_marker, polyvar_hash, read_f64s, record_field, set_record_field, unit_value, unpack_field,
};
pub use signature::{Describe, DescribeKnown, DescribeUnknown};
