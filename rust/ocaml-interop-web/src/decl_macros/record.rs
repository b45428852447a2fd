//! Records: `impl_to_ocaml_record!`, `impl_from_ocaml_record!`, `impl_conv_ocaml_record!`, and
//! the 0.12 building blocks `ocaml_unpack_record!` and `ocaml_alloc_record!`.

#[doc(hidden)]
#[macro_export]
macro_rules! __field_value {
    ($field:ident) => {
        $field
    };
    ($field:ident, $conv:expr) => {
        $conv
    };
}

#[macro_export]
macro_rules! impl_to_ocaml_record {
    ($rust:ty => $ocaml:ty { $($field:ident : $ocaml_typ:ty $(=> $conv:expr)?),+ $(,)? }) => {
        unsafe impl $crate::ToOCaml<$ocaml> for $rust {
            #[allow(unused_variables, clippy::needless_borrow)]
            fn to_ocaml<'a>(&self, cr: &'a mut $crate::OCamlRuntime) -> $crate::OCaml<'a, $ocaml> {
                let Some(__level) = $crate::internal::nesting_to_ocaml() else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
                let __flat = [$( $crate::internal::is_float_marker::<$ocaml_typ>() ),+].iter().all(|f| *f);
                let __n = [$( stringify!($field) ),+].len() as u32;
                let __b = if __flat {
                    $crate::internal::alloc::block(254, __n)
                } else {
                    $crate::internal::alloc::block(0, __n)
                };
                let Some(__b) = __b else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
                let mut __i = 0u32;
                $(
                    let $field = &self.$field;
                    let __v = $crate::__field_value!($field $(, $conv)?);
                    let __w = unsafe { $crate::ToOCaml::<$ocaml_typ>::to_ocaml(&__v, cr).raw() };
                    unsafe { $crate::internal::set_record_field(__b, __i, __w, __flat) };
                    __i += 1;
                )+
                let _ = __i;
                unsafe { $crate::OCaml::from_raw_unchecked(__b) }
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_to_ocaml_record! { $both => $both { $($rest)* } } };
}

#[macro_export]
macro_rules! impl_from_ocaml_record {
    ($ocaml:ty => $rust:ident { $($field:ident : $ocaml_typ:ty),+ $(,)? }) => {
        unsafe impl $crate::FromOCaml<$ocaml> for $rust {
            fn from_ocaml(v: $crate::OCaml<$ocaml>) -> Self {
                let __flat = [$( $crate::internal::is_float_marker::<$ocaml_typ>() ),+].iter().all(|f| *f);
                let __n = [$( stringify!($field) ),+].len() as u32;
                let __raw = unsafe { v.raw() };
                $crate::internal::check_record(__raw, __n, __flat, stringify!($rust));
                let __level = $crate::internal::nesting_from_ocaml(__raw);
                let mut __i = 0u32;
                $(
                    let $field = <_ as $crate::FromOCaml<$ocaml_typ>>::from_ocaml(unsafe { $crate::internal::record_field(__raw, __i, __flat) });
                    __i += 1;
                )+
                let _ = __i;
                $rust { $($field),+ }
            }
        }
    };
    ($ocaml:ty => $rust:ident ( $($field:ident : $ocaml_typ:ty),+ $(,)? )) => {
        unsafe impl $crate::FromOCaml<$ocaml> for $rust {
            fn from_ocaml(v: $crate::OCaml<$ocaml>) -> Self {
                let __n = [$( stringify!($field) ),+].len() as u32;
                let __raw = unsafe { v.raw() };
                $crate::internal::check_record(__raw, __n, false, stringify!($rust));
                let __level = $crate::internal::nesting_from_ocaml(__raw);
                let mut __i = 0u32;
                $(
                    let $field = <_ as $crate::FromOCaml<$ocaml_typ>>::from_ocaml(unsafe { $crate::internal::record_field(__raw, __i, false) });
                    __i += 1;
                )+
                let _ = __i;
                $rust ( $($field),+ )
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_from_ocaml_record! { $both => $both { $($rest)* } } };
}

#[macro_export]
macro_rules! impl_conv_ocaml_record {
    ($rust:ident => $ocaml:ty { $($field:ident : $ocaml_typ:ty $(=> $conv:expr)?),+ $(,)? }) => {
        $crate::impl_to_ocaml_record! { $rust => $ocaml { $($field : $ocaml_typ $(=> $conv)?),+ } }
        $crate::impl_from_ocaml_record! { $ocaml => $rust { $($field : $ocaml_typ),+ } }
    };
    ($both:ident { $($field:ident : $ocaml_typ:ty $(=> $conv:expr)?),+ $(,)? }) => {
        $crate::impl_conv_ocaml_record! { $both => $both { $($field : $ocaml_typ $(=> $conv)?),+ } }
    };
}

/// `self.field`, or `expr` with `field` bound to `&self.field` (the model's helper).
#[doc(hidden)]
#[macro_export]
macro_rules! prepare_field_for_mapping {
    ($self:ident.$field:ident) => {
        $self.$field
    };
    ($self:ident.$field:ident => $conv_expr:expr) => {{
        #[allow(unused_variables)]
        let $field = &$self.$field;
        #[allow(unused_braces)]
        let __v = $conv_expr;
        __v
    }};
}

/// Unpacks an OCaml record into a Rust struct (or a tuple struct with `( ... )`), reading the
/// fields in order, as the model's `ocaml_unpack_record!`:
///
/// ```ignore
/// let ocaml_struct = cr.get(&ocaml_struct_root);
/// let my_struct = ocaml_unpack_record! {
///     ocaml_struct => MyStruct { int_field: OCamlInt, string_field: String }
/// };
/// ```
#[macro_export]
macro_rules! ocaml_unpack_record {
    ($var:ident => $cons:ident { $($field:ident : $ocaml_typ:ty),+ $(,)? }) => {{
        let record = $var;
        let __raw = unsafe { record.raw() };
        let __flat = [$( $crate::internal::is_float_marker::<$ocaml_typ>() ),+].iter().all(|f| *f)
            && $crate::wire::is_block(__raw) && unsafe { $crate::wire::mem::tag(__raw) } == $crate::wire::tag::DOUBLE_ARRAY;
        let mut current = 0usize;
        $(
            let $field = $crate::internal::unpack_field::<$ocaml_typ, _>(record, current, __flat);
            current += 1;
        )+
        let _ = current;
        $cons { $($field),+ }
    }};
    ($var:ident => $cons:ident ( $($field:ident : $ocaml_typ:ty),+ $(,)? )) => {{
        let record = $var;
        let mut current = 0usize;
        $(
            let $field = $crate::internal::unpack_field::<$ocaml_typ, _>(record, current, false);
            current += 1;
        )+
        let _ = current;
        $cons ( $($field),+ )
    }};
}

/// Allocates an OCaml record from the fields of a Rust value, in order (the model's
/// `ocaml_alloc_record!`); `field: T => expr` converts `expr` instead, with `field` bound to
/// `&value.field` inside it:
///
/// ```ignore
/// let ocaml_ms: OCaml<MyStruct> = ocaml_alloc_record! {
///     cr, ms { int_field: OCamlInt => { *int_field as i64 }, string_field: String }
/// };
/// ```
#[macro_export]
macro_rules! ocaml_alloc_record {
    ($cr:ident, $self:ident { $($field:ident : $ocaml_typ:ty $(=> $conv_expr:expr)?),+ $(,)? }) => {{
        let __n = $crate::count_fields!($($field)*) as u32;
        let __flat = [$( $crate::internal::is_float_marker::<$ocaml_typ>() ),+].iter().all(|f| *f);
        let __tag = if __flat { $crate::wire::tag::DOUBLE_ARRAY } else { 0 };
        match $crate::internal::alloc::block(__tag, __n) {
            None => unsafe { $crate::OCaml::new($cr, $crate::wire::UNIT) },
            Some(__record) => {
                let mut current = 0u32;
                $(
                    #[allow(clippy::needless_borrow)]
                    let $field = &$crate::prepare_field_for_mapping!($self.$field $(=> $conv_expr)?);
                    let __w = unsafe { $crate::ToOCaml::<$ocaml_typ>::to_ocaml($field, $cr).raw() };
                    unsafe { $crate::internal::set_record_field(__record, current, __w, __flat) };
                    current += 1;
                )+
                let _ = current;
                unsafe { $crate::OCaml::new($cr, __record) }
            }
        }
    }};
}
