//! How `#[export]` describes its signature: each type by its `OCamlDescriber`, or as unknown.

use crate::describe::json_string;

/// How `#[export]` describes each type of its signature: with its `OCamlDescriber` when it has
/// one, else as `{"unknown": "<Rust type>"}` (ocaml-interop does not require a describer; the
/// build then warns that it cannot check that argument). Autoref specialization: the export's
/// types are concrete, so `(&&Describe::<T>::new()).describe_into(..)` picks `DescribeKnown`
/// when `T: OCamlDescriber` and `DescribeUnknown` otherwise.
pub struct Describe<T: ?Sized>(std::marker::PhantomData<*const T>);
impl<T: ?Sized> Describe<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Describe(std::marker::PhantomData)
    }
}
impl<T: ?Sized> Default for Describe<T> {
    fn default() -> Self {
        Self::new()
    }
}
pub trait DescribeKnown {
    fn describe_into(&self, out: &mut String);
}
impl<T: crate::describe::OCamlDescriber + ?Sized> DescribeKnown for &Describe<T> {
    fn describe_into(&self, out: &mut String) {
        T::describe(out)
    }
}
pub trait DescribeUnknown {
    fn describe_into(&self, out: &mut String);
}
impl<T: ?Sized> DescribeUnknown for Describe<T> {
    fn describe_into(&self, out: &mut String) {
        out.push_str("{\"unknown\":");
        out.push_str(&json_string(std::any::type_name::<T>()));
        out.push('}');
    }
}
