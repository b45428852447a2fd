//! Marker types: the OCaml type a value has, as in ocaml-interop 0.12.

/// OCaml `int`. Under wasm_of_ocaml it is 31-bit; conversions from wider Rust integers are
/// range-checked and fail with an error naming the value instead of wrapping.
pub type OCamlInt = isize;
/// Alias kept from the model.
pub type Intnat = isize;

/// OCaml `float` (boxed).
pub struct OCamlFloat;
/// OCaml `int32` (boxed).
pub struct OCamlInt32;
/// OCaml `int64` (boxed).
pub struct OCamlInt64;
/// OCaml `bytes`.
pub struct OCamlBytes;
/// OCaml `exn`.
pub struct OCamlException;
/// OCaml `nativeint` (boxed; 32-bit under wasm_of_ocaml).
pub struct OCamlNativeInt;
/// OCaml `char` (an immediate 0..=255).
pub struct OCamlChar;
/// OCaml `'a list`.
pub struct OCamlList<T>(std::marker::PhantomData<T>);
/// OCaml `'a array` whose elements are boxed (every element type but `float`).
pub struct OCamlUniformArray<T>(std::marker::PhantomData<T>);
/// OCaml `floatarray` and `float array` (flat floats).
pub struct OCamlFloatArray;

/// A Rust value owned by OCaml (`OCaml::box_value`). Abstract in OCaml.
pub struct DynBox<T>(std::marker::PhantomData<T>);
