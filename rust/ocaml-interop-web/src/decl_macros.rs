//! The declarative record and variant macros of ocaml-interop 0.12, for source compatibility
//! (the derives are the recommended way: they also describe the type to the build).
//!
//! ```ignore
//! impl_conv_ocaml_record! { Point { x: OCamlFloat, y: OCamlFloat } }
//! impl_conv_ocaml_record! { Person => PersonMarker { name: String, age: OCamlInt => { *age as i64 } } }
//! impl_conv_ocaml_variant! { Shape { Shape::Empty, Shape::Circle(r: OCamlFloat), Shape::Rect(w: OCamlFloat, h: OCamlFloat) } }
//! impl_to_ocaml_polymorphic_variant! { Move { Move::StepLeft, Move::Rotate(r: OCamlFloat) } }
//! impl_from_ocaml_polymorphic_variant! { Move { StepLeft => Move::StepLeft, Rotate(r: OCamlFloat) => Move::Rotate(r) } }
//! ```
//! Records whose fields are all `OCamlFloat` use OCaml's flat layout (tag 254), which the
//! model's macros did not handle.

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

// ---- variants: constant constructors are immediates 0, 1, ... among themselves, the others
// blocks tagged 0, 1, ... among themselves, in the order listed -----------------------------

#[doc(hidden)]
#[macro_export]
macro_rules! __to_variant_arm {
    ($self:ident, $cr:ident, $c:ident, $b:ident, $($ctor:ident)::+) => {
        #[allow(unreachable_patterns)]
        if let $($ctor)::+ = $self {
            return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::val_int($c)) };
        }
        $c += 1;
    };
    ($self:ident, $cr:ident, $c:ident, $b:ident, $($ctor:ident)::+ ( $($arg:ident : $typ:ty),+ )) => {
        #[allow(unreachable_patterns)]
        if let $($ctor)::+ ( $($arg),+ ) = $self {
            let Some(__level) = $crate::internal::nesting_to_ocaml() else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
            let Some(__blk) = $crate::internal::alloc::block($b, [$( stringify!($arg) ),+].len() as u32) else {
                return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) };
            };
            let mut __i = 0u32;
            $(
                let __w = unsafe { $crate::ToOCaml::<$typ>::to_ocaml($arg, $cr).raw() };
                unsafe { $crate::wire::mem::set_field(__blk, __i, __w) };
                __i += 1;
            )+
            let _ = __i;
            return unsafe { $crate::OCaml::from_raw_unchecked(__blk) };
        }
        $b += 1;
    };
}

#[macro_export]
macro_rules! impl_to_ocaml_variant {
    ($rust:ty => $ocaml:ty { $( $($ctor:ident)::+ $( ( $($arg:ident : $typ:ty),+ $(,)? ) )? ),+ $(,)? }) => {
        unsafe impl $crate::ToOCaml<$ocaml> for $rust {
            #[allow(unused_assignments, unused_variables, unused_mut)]
            fn to_ocaml<'a>(&self, cr: &'a mut $crate::OCamlRuntime) -> $crate::OCaml<'a, $ocaml> {
                let mut __c: i32 = 0;
                let mut __b: u8 = 0;
                $( $crate::__to_variant_arm!(self, cr, __c, __b, $($ctor)::+ $( ( $($arg : $typ),+ ) )?); )+
                unreachable!("impl_to_ocaml_variant: a variant of {} is missing from the list", stringify!($rust))
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_to_ocaml_variant! { $both => $both { $($rest)* } } };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __from_variant_arm {
    ($raw:ident, $c:ident, $b:ident, $($ctor:ident)::+) => {
        if $crate::wire::is_immediate($raw) && $crate::wire::int_val($raw) == $c {
            return $($ctor)::+;
        }
        $c += 1;
    };
    ($raw:ident, $c:ident, $b:ident, $($ctor:ident)::+ ( $($arg:ident : $typ:ty),+ )) => {
        if $crate::wire::is_block($raw) && unsafe { $crate::wire::mem::tag($raw) } == $b {
            let __n = [$( stringify!($arg) ),+].len() as u32;
            if unsafe { $crate::wire::mem::size($raw) } != __n {
                $crate::internal::shape_error(concat!("the constructor ", stringify!($($ctor)::+), " with its arguments"), $raw);
            }
            let mut __i = 0u32;
            $(
                let $arg = <_ as $crate::FromOCaml<$typ>>::from_ocaml(unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::mem::field($raw, __i)) });
                __i += 1;
            )+
            let _ = __i;
            return $($ctor)::+ ( $($arg),+ );
        }
        $b += 1;
    };
    ($raw:ident, $c:ident, $b:ident, $($ctor:ident)::+ { $($arg:ident : $typ:ty),+ }) => {
        if $crate::wire::is_block($raw) && unsafe { $crate::wire::mem::tag($raw) } == $b {
            let mut __i = 0u32;
            $(
                let $arg = <_ as $crate::FromOCaml<$typ>>::from_ocaml(unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::mem::field($raw, __i)) });
                __i += 1;
            )+
            let _ = __i;
            return $($ctor)::+ { $($arg),+ };
        }
        $b += 1;
    };
}

#[macro_export]
macro_rules! impl_from_ocaml_variant {
    ($ocaml:ty => $rust:ty { $( $($ctor:ident)::+ $( ( $($arg:ident : $typ:ty),+ $(,)? ) )? $( { $($rarg:ident : $rtyp:ty),+ $(,)? } )? ),+ $(,)? }) => {
        unsafe impl $crate::FromOCaml<$ocaml> for $rust {
            #[allow(unused_assignments, unused_mut)]
            fn from_ocaml(v: $crate::OCaml<$ocaml>) -> Self {
                let __raw = unsafe { v.raw() };
                let __level = $crate::internal::nesting_from_ocaml(__raw);
                let mut __c: i32 = 0;
                let mut __b: u8 = 0;
                $( $crate::__from_variant_arm!(__raw, __c, __b, $($ctor)::+ $( ( $($arg : $typ),+ ) )? $( { $($rarg : $rtyp),+ } )?); )+
                $crate::internal::shape_error(concat!("a constructor of ", stringify!($rust)), __raw)
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_from_ocaml_variant! { $both => $both { $($rest)* } } };
}

#[macro_export]
macro_rules! impl_conv_ocaml_variant {
    ($rust:ty => $ocaml:ty { $( $($ctor:ident)::+ $( ( $($arg:ident : $typ:ty),+ $(,)? ) )? ),+ $(,)? }) => {
        $crate::impl_to_ocaml_variant! { $rust => $ocaml { $( $($ctor)::+ $( ( $($arg : $typ),+ ) )? ),+ } }
        $crate::impl_from_ocaml_variant! { $ocaml => $rust { $( $($ctor)::+ $( ( $($arg : $typ),+ ) )? ),+ } }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_conv_ocaml_variant! { $both => $both { $($rest)* } } };
}

// ---- polymorphic variants: by tag name (the Rust variant's name), order does not matter -------

#[doc(hidden)]
#[macro_export]
macro_rules! __to_polyvar_arm {
    ($self:ident, $cr:ident, $enum:ident :: $tag:ident) => {
        #[allow(unreachable_patterns)]
        if let $enum :: $tag = $self {
            return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::val_int($crate::hash_variant(stringify!($tag)))) };
        }
    };
    ($self:ident, $cr:ident, $enum:ident :: $tag:ident ( $arg:ident : $typ:ty )) => {
        #[allow(unreachable_patterns)]
        if let $enum :: $tag ( $arg ) = $self {
            let Some(__level) = $crate::internal::nesting_to_ocaml() else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
            let Some(__blk) = $crate::internal::alloc::block(0, 2) else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
            unsafe { $crate::wire::mem::set_field(__blk, 0, $crate::wire::val_int($crate::hash_variant(stringify!($tag)))) };
            let __w = unsafe { $crate::ToOCaml::<$typ>::to_ocaml($arg, $cr).raw() };
            unsafe { $crate::wire::mem::set_field(__blk, 1, __w) };
            return unsafe { $crate::OCaml::from_raw_unchecked(__blk) };
        }
    };
    ($self:ident, $cr:ident, $enum:ident :: $tag:ident ( $($arg:ident : $typ:ty),+ )) => {
        #[allow(unreachable_patterns)]
        if let $enum :: $tag ( $($arg),+ ) = $self {
            let Some(__level) = $crate::internal::nesting_to_ocaml() else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
            let Some(__blk) = $crate::internal::alloc::block(0, 2) else { return unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::UNIT) } };
            unsafe { $crate::wire::mem::set_field(__blk, 0, $crate::wire::val_int($crate::hash_variant(stringify!($tag)))) };
            let __t = unsafe { $crate::ToOCaml::<($($typ,)+)>::to_ocaml(&($($arg,)+), $cr).raw() };
            unsafe { $crate::wire::mem::set_field(__blk, 1, __t) };
            return unsafe { $crate::OCaml::from_raw_unchecked(__blk) };
        }
    };
}

#[macro_export]
macro_rules! impl_to_ocaml_polymorphic_variant {
    ($rust:ty => $ocaml:ty { $( $enum:ident :: $tag:ident $( ( $($arg:ident : $typ:ty),+ $(,)? ) )? ),+ $(,)? }) => {
        unsafe impl $crate::ToOCaml<$ocaml> for $rust {
            #[allow(unused_variables)]
            fn to_ocaml<'a>(&self, cr: &'a mut $crate::OCamlRuntime) -> $crate::OCaml<'a, $ocaml> {
                $( $crate::__to_polyvar_arm!(self, cr, $enum :: $tag $( ( $($arg : $typ),+ ) )?); )+
                unreachable!("impl_to_ocaml_polymorphic_variant: a variant of {} is missing from the list", stringify!($rust))
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_to_ocaml_polymorphic_variant! { $both => $both { $($rest)* } } };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __from_polyvar_arm {
    ($raw:ident, $tag:ident => $build:expr) => {
        if $crate::wire::is_immediate($raw) && $crate::wire::int_val($raw) == $crate::hash_variant(stringify!($tag)) {
            return $build;
        }
    };
    ($raw:ident, $tag:ident ( $arg:ident : $typ:ty ) => $build:expr) => {
        if $crate::internal::polyvar_hash($raw) == Some($crate::hash_variant(stringify!($tag))) {
            let $arg = <_ as $crate::FromOCaml<$typ>>::from_ocaml(unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::mem::field($raw, 1)) });
            return $build;
        }
    };
    ($raw:ident, $tag:ident ( $($arg:ident : $typ:ty),+ ) => $build:expr) => {
        if $crate::internal::polyvar_hash($raw) == Some($crate::hash_variant(stringify!($tag))) {
            let ($($arg,)+) = <_ as $crate::FromOCaml<($($typ,)+)>>::from_ocaml(unsafe { $crate::OCaml::from_raw_unchecked($crate::wire::mem::field($raw, 1)) });
            return $build;
        }
    };
}

#[macro_export]
macro_rules! impl_from_ocaml_polymorphic_variant {
    ($ocaml:ty => $rust:ty { $( $tag:ident $( ( $($arg:ident : $typ:ty),+ $(,)? ) )? => $build:expr ),+ $(,)? }) => {
        unsafe impl $crate::FromOCaml<$ocaml> for $rust {
            fn from_ocaml(v: $crate::OCaml<$ocaml>) -> Self {
                let __raw = unsafe { v.raw() };
                let __level = $crate::internal::nesting_from_ocaml(__raw);
                $( $crate::__from_polyvar_arm!(__raw, $tag $( ( $($arg : $typ),+ ) )? => $build); )+
                $crate::internal::shape_error(concat!("a tag of the polymorphic variant ", stringify!($rust)), __raw)
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_from_ocaml_polymorphic_variant! { $both => $both { $($rest)* } } };
}

// ---- the 0.12 building blocks: unpack / alloc a record, a variant, a polymorphic variant -------
//
// Same syntax and results as ocaml-interop 0.12 (`src/macros.rs` there), including the
// `Result<_, &'static str>` of the unpack macros and their error strings. Beyond the model:
// `ocaml_unpack_record!` and `ocaml_alloc_record!` use OCaml's flat layout for records whose
// fields are all `OCamlFloat` (the model's would build or expect a block of boxed floats, which
// is not what OCaml makes of such a record).

/// Counts identifiers (the model's helper).
#[doc(hidden)]
#[macro_export]
macro_rules! count_fields {
    () => {0usize};
    ($field:ident $($fields:ident)*) => {1usize + $crate::count_fields!($($fields)*)};
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

/// The hash of a polymorphic variant tag: the last segment of `Path::To::Tag` (as in the model).
#[doc(hidden)]
#[macro_export]
macro_rules! polymorphic_variant_tag_hash {
    ($prefix:ident :: $($tag:ident)::+) => {
        $crate::polymorphic_variant_tag_hash!($($tag)::+)
    };
    ($tag:ident) => {
        $crate::hash_variant(stringify!($tag))
    };
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

/// Allocates a block with tag `$tag` whose fields are the variables listed, converted to the
/// OCaml types given (the model's `ocaml_alloc_tagged_block!`, used by `ocaml_alloc_variant!`).
#[macro_export]
macro_rules! ocaml_alloc_tagged_block {
    ($cr:ident, $tag:expr, $($field:ident : $ocaml_typ:ty),+ $(,)?) => {{
        let __n = $crate::count_fields!($($field)*) as u32;
        match $crate::internal::alloc::block(($tag) as u8, __n) {
            None => unsafe { $crate::OCaml::new($cr, $crate::wire::UNIT) },
            Some(__block) => {
                let mut current = 0u32;
                $(
                    let __w = unsafe { $crate::ToOCaml::<$ocaml_typ>::to_ocaml(&$field, $cr).raw() };
                    unsafe { $crate::wire::mem::set_field(__block, current, __w) };
                    current += 1;
                )+
                let _ = current;
                unsafe { $crate::OCaml::new($cr, __block) }
            }
        }
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

/// One constructor of `ocaml_unpack_variant!` (the model's helper): constant constructors are
/// the immediates 0, 1, ... in the order listed, the others blocks tagged 0, 1, ...
#[doc(hidden)]
#[macro_export]
macro_rules! unpack_variant_tag {
    ($self:ident, $current_block_tag:ident, $current_long_tag:ident, $($tag:ident)::+) => {
        $crate::unpack_variant_tag!($self, $current_block_tag, $current_long_tag, $($tag)::+ => $($tag)::+)
    };
    ($self:ident, $current_block_tag:ident, $current_long_tag:ident, $($tag:ident)::+ => $conv:expr) => {
        if $self.is_long() && $crate::wire::int_val(unsafe { $self.raw() }) == $current_long_tag {
            return Ok($conv);
        }
        $current_long_tag += 1;
    };
    ($self:ident, $current_block_tag:ident, $current_long_tag:ident, $($tag:ident)::+ ($($slot_name:ident: $slot_typ:ty),+)) => {
        $crate::unpack_variant_tag!($self, $current_block_tag, $current_long_tag,
            $($tag)::+ ($($slot_name: $slot_typ),+) => $($tag)::+($($slot_name),+))
    };
    ($self:ident, $current_block_tag:ident, $current_long_tag:ident, $($tag:ident)::+ {$($slot_name:ident: $slot_typ:ty),+}) => {
        $crate::unpack_variant_tag!($self, $current_block_tag, $current_long_tag,
            $($tag)::+ {$($slot_name: $slot_typ),+} => $($tag)::+{$($slot_name),+})
    };
    ($self:ident, $current_block_tag:ident, $current_long_tag:ident, $($tag:ident)::+ ($($slot_name:ident: $slot_typ:ty),+) => $conv:expr) => {
        if $self.is_block() && $self.tag_value() == $current_block_tag {
            let mut current_field = 0usize;
            $(
                let $slot_name = unsafe { $self.field::<$slot_typ>(current_field).to_rust() };
                current_field += 1;
            )+
            let _ = current_field;
            return Ok($conv);
        }
        $current_block_tag += 1;
    };
    ($self:ident, $current_block_tag:ident, $current_long_tag:ident, $($tag:ident)::+ {$($slot_name:ident: $slot_typ:ty),+} => $conv:expr) => {
        if $self.is_block() && $self.tag_value() == $current_block_tag {
            let mut current_field = 0usize;
            $(
                let $slot_name = unsafe { $self.field::<$slot_typ>(current_field).to_rust() };
                current_field += 1;
            )+
            let _ = current_field;
            return Ok($conv);
        }
        $current_block_tag += 1;
    };
}

/// Unpacks an OCaml variant (the model's `ocaml_unpack_variant!`): `Ok(value)`, or
/// `Err("Invalid tag value found when converting from an OCaml variant")` for a constructor
/// the list does not have. Constructors with arguments name them (`Rotate(rotation: OCamlFloat)`
/// or `Step { count: OCamlInt }`); `=> expr` builds the value (default: the constructor itself).
///
/// ```ignore
/// let result = ocaml_unpack_variant! {
///     ocaml_variant => {
///         Movement::StepLeft,
///         Movement::StepRight,
///         Movement::Rotate(rotation: OCamlFloat),
///     }
/// }.unwrap();
/// ```
#[macro_export]
macro_rules! ocaml_unpack_variant {
    ($self:ident => { $($($tag:ident)::+ $(($($slot_name:ident: $slot_typ:ty),+ $(,)?))? $(=> $conv:expr)?),+ $(,)? }) => {
        (|| {
            #[allow(unused_mut, unused_assignments)]
            let mut current_block_tag: u8 = 0;
            #[allow(unused_mut, unused_assignments)]
            let mut current_long_tag: i32 = 0;
            $(
                $crate::unpack_variant_tag!($self, current_block_tag, current_long_tag,
                    $($tag)::+ $(($($slot_name: $slot_typ),+))? $(=> $conv)?);
            )+
            Err("Invalid tag value found when converting from an OCaml variant")
        })()
    };
    ($self:ident => { $($($tag:ident)::+ $({$($slot_name:ident: $slot_typ:ty),+ $(,)?})? $(=> $conv:expr)?),+ $(,)? }) => {
        (|| {
            #[allow(unused_mut, unused_assignments)]
            let mut current_block_tag: u8 = 0;
            #[allow(unused_mut, unused_assignments)]
            let mut current_long_tag: i32 = 0;
            $(
                $crate::unpack_variant_tag!($self, current_block_tag, current_long_tag,
                    $($tag)::+ $({$($slot_name: $slot_typ),+})? $(=> $conv)?);
            )+
            Err("Invalid tag value found when converting from an OCaml variant")
        })()
    };
}

/// Allocates an OCaml variant from a Rust enum (the model's `ocaml_alloc_variant!`): an
/// exhaustive `match`; constant constructors are the immediates 0, 1, ... in the order listed,
/// the others blocks tagged 0, 1, ...
///
/// ```ignore
/// let ocaml_movement: OCaml<Movement> = ocaml_alloc_variant! {
///     cr, movement => {
///         Movement::StepLeft,
///         Movement::StepRight,
///         Movement::Rotate(rotation: OCamlFloat),
///     }
/// };
/// ```
#[macro_export]
macro_rules! ocaml_alloc_variant {
    ($cr:ident, $self:ident => { $($($tag:ident)::+ $(($($slot_name:ident: $slot_typ:ty),+ $(,)?))? $(,)?),+ }) => {
        $crate::ocaml_alloc_variant_match! {
            $cr, $self, 0u8, 0u8,
            @units {}
            @blocks {}
            @pending $({ $($tag)::+ $(($($slot_name: $slot_typ),+))? })+
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! ocaml_alloc_variant_match {
    ($cr:ident, $self:ident, $current_block_tag:expr, $current_long_tag:expr,
        @units { $({ $($unit_tag:ident)::+ @ $unit_tag_counter:expr })* }
        @blocks { $({ $($block_tag:ident)::+ ($($block_slot_name:ident: $block_slot_typ:ty),+) @ $block_tag_counter:expr })* }
        @pending
    ) => {
        match $self {
            $(
                $($unit_tag)::+ => unsafe { $crate::OCaml::new($cr, $crate::wire::val_int(($unit_tag_counter) as i32)) },
            )*
            $(
                $($block_tag)::+($($block_slot_name),+) =>
                    $crate::ocaml_alloc_tagged_block!($cr, $block_tag_counter, $($block_slot_name: $block_slot_typ),+),
            )*
        }
    };
    ($cr:ident, $self:ident, $current_block_tag:expr, $current_long_tag:expr,
        @units { $($unit_tags_accum:tt)* }
        @blocks { $($block_tags_accum:tt)* }
        @pending { $($found_tag:ident)::+ } $($tail:tt)*
    ) => {
        $crate::ocaml_alloc_variant_match! {
            $cr, $self, $current_block_tag, {1u8 + $current_long_tag},
            @units { $($unit_tags_accum)* { $($found_tag)::+ @ $current_long_tag } }
            @blocks { $($block_tags_accum)* }
            @pending $($tail)*
        }
    };
    ($cr:ident, $self:ident, $current_block_tag:expr, $current_long_tag:expr,
        @units { $($unit_tags_accum:tt)* }
        @blocks { $($block_tags_accum:tt)* }
        @pending { $($found_tag:ident)::+ ($($found_slot_name:ident: $found_slot_typ:ty),+) } $($tail:tt)*
    ) => {
        $crate::ocaml_alloc_variant_match! {
            $cr, $self, {1u8 + $current_block_tag}, $current_long_tag,
            @units { $($unit_tags_accum)* }
            @blocks { $($block_tags_accum)* { $($found_tag)::+ ($($found_slot_name: $found_slot_typ),+) @ $current_block_tag } }
            @pending $($tail)*
        }
    };
}

/// One tag of `ocaml_unpack_polymorphic_variant!` (the model's helper).
#[doc(hidden)]
#[macro_export]
macro_rules! unpack_polymorphic_variant_tag {
    ($self:ident, $tag:ident => $conv:expr) => {
        if $self.is_long() && $crate::wire::int_val(unsafe { $self.raw() }) == $crate::polymorphic_variant_tag_hash!($tag) {
            return Ok($conv);
        }
    };
    ($self:ident, $tag:ident($slot_name:ident: $slot_typ:ty) => $conv:expr) => {
        if $crate::internal::polyvar_hash(unsafe { $self.raw() }) == Some($crate::polymorphic_variant_tag_hash!($tag)) {
            let $slot_name = unsafe { $self.field::<$slot_typ>(1).to_rust() };
            return Ok($conv);
        }
    };
    ($self:ident, $tag:ident($($slot_name:ident: $slot_typ:ty),+) => $conv:expr) => {
        if $crate::internal::polyvar_hash(unsafe { $self.raw() }) == Some($crate::polymorphic_variant_tag_hash!($tag)) {
            let ($($slot_name),+) = unsafe { $self.field::<($($slot_typ),+)>(1).to_rust() };
            return Ok($conv);
        }
    };
}

/// Unpacks an OCaml polymorphic variant (the model's `ocaml_unpack_polymorphic_variant!`):
/// `Ok(value)`, or `Err("Invalid tag value found when converting from an OCaml polymorphic
/// variant")`. Tags are bare names (hashed as OCaml does); `=> expr` is required; a tag with
/// several arguments carries them as a tuple (`` `Multiple of (int * string) ``).
///
/// ```ignore
/// let result = ocaml_unpack_polymorphic_variant! {
///     ocaml_polymorphic_variant => {
///         StepLeft  => Movement::StepLeft,
///         StepRight => Movement::StepRight,
///         Rotate(rotation: OCamlFloat) => Movement::Rotate(rotation),
///     }
/// }.unwrap();
/// ```
#[macro_export]
macro_rules! ocaml_unpack_polymorphic_variant {
    ($self:ident => { $($tag:ident $(($($slot_name:ident: $slot_typ:ty),+ $(,)?))? => $conv:expr),+ $(,)? }) => {
        (|| {
            $(
                $crate::unpack_polymorphic_variant_tag!($self, $tag $(($($slot_name: $slot_typ),+))? => $conv);
            )+
            Err("Invalid tag value found when converting from an OCaml polymorphic variant")
        })()
    };
}

/// Allocates an OCaml polymorphic variant from a Rust enum (the model's
/// `ocaml_alloc_polymorphic_variant!`): the tag is the variant's name (the last path segment);
/// one argument is `[hash; value]`, several a tuple `[hash; (a, b, ...)]`.
///
/// ```ignore
/// let ocaml_movement: OCaml<Movement> = ocaml_alloc_polymorphic_variant! {
///     cr, movement => {
///         Movement::StepLeft,
///         Movement::StepRight,
///         Movement::Rotate(rotation: OCamlFloat),
///     }
/// };
/// ```
#[macro_export]
macro_rules! ocaml_alloc_polymorphic_variant {
    ($cr:ident, $self:ident => { $($($tag:ident)::+ $(($($slot_name:ident: $slot_typ:ty),+ $(,)?))? $(,)?),+ }) => {
        $crate::ocaml_alloc_polymorphic_variant_match! {
            $cr, $self,
            @units {}
            @unit_blocks {}
            @blocks {}
            @pending $({ $($tag)::+ $(($($slot_name: $slot_typ),+))? })+
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! ocaml_alloc_polymorphic_variant_match {
    ($cr:ident, $self:ident,
        @units { $({ $($unit_tag:ident)::+ })* }
        @unit_blocks { $({ $($unit_block_tag:ident)::+ ($unit_block_slot_name:ident: $unit_block_slot_typ:ty) })* }
        @blocks { $({ $($block_tag:ident)::+ ($($block_slot_name:ident: $block_slot_typ:ty),+) })* }
        @pending
    ) => {
        match &$self {
            $(
                $($unit_tag)::+ => unsafe {
                    $crate::OCaml::new($cr, $crate::wire::val_int($crate::polymorphic_variant_tag_hash!($($unit_tag)::+)))
                },
            )*
            $(
                $($unit_block_tag)::+($unit_block_slot_name) => {
                    let __hash = $crate::wire::val_int($crate::polymorphic_variant_tag_hash!($($unit_block_tag)::+));
                    match $crate::internal::alloc::block(0, 2) {
                        None => unsafe { $crate::OCaml::new($cr, $crate::wire::UNIT) },
                        Some(__block) => {
                            let __w = unsafe { $crate::ToOCaml::<$unit_block_slot_typ>::to_ocaml($unit_block_slot_name, $cr).raw() };
                            unsafe {
                                $crate::wire::mem::set_field(__block, 0, __hash);
                                $crate::wire::mem::set_field(__block, 1, __w);
                                $crate::OCaml::new($cr, __block)
                            }
                        }
                    }
                },
            )*
            $(
                $($block_tag)::+($($block_slot_name),+) => {
                    let __hash = $crate::wire::val_int($crate::polymorphic_variant_tag_hash!($($block_tag)::+));
                    match $crate::internal::alloc::block(0, 2) {
                        None => unsafe { $crate::OCaml::new($cr, $crate::wire::UNIT) },
                        Some(__block) => {
                            unsafe { $crate::wire::mem::set_field(__block, 0, __hash) };
                            let __t = unsafe { $crate::ToOCaml::<($($block_slot_typ,)+)>::to_ocaml(&($($block_slot_name,)+), $cr).raw() };
                            unsafe {
                                $crate::wire::mem::set_field(__block, 1, __t);
                                $crate::OCaml::new($cr, __block)
                            }
                        }
                    }
                },
            )*
        }
    };
    ($cr:ident, $self:ident,
        @units { $($unit_tags_accum:tt)* }
        @unit_blocks { $($unit_block_tags_accum:tt)* }
        @blocks { $($block_tags_accum:tt)* }
        @pending { $($found_tag:ident)::+ } $($tail:tt)*
    ) => {
        $crate::ocaml_alloc_polymorphic_variant_match! {
            $cr, $self,
            @units { $($unit_tags_accum)* { $($found_tag)::+ } }
            @unit_blocks { $($unit_block_tags_accum)* }
            @blocks { $($block_tags_accum)* }
            @pending $($tail)*
        }
    };
    ($cr:ident, $self:ident,
        @units { $($unit_tags_accum:tt)* }
        @unit_blocks { $($unit_block_tags_accum:tt)* }
        @blocks { $($block_tags_accum:tt)* }
        @pending { $($found_tag:ident)::+ ($found_slot_name:ident: $found_slot_typ:ty) } $($tail:tt)*
    ) => {
        $crate::ocaml_alloc_polymorphic_variant_match! {
            $cr, $self,
            @units { $($unit_tags_accum)* }
            @unit_blocks { $($unit_block_tags_accum)* { $($found_tag)::+ ($found_slot_name: $found_slot_typ) } }
            @blocks { $($block_tags_accum)* }
            @pending $($tail)*
        }
    };
    ($cr:ident, $self:ident,
        @units { $($unit_tags_accum:tt)* }
        @unit_blocks { $($unit_block_tags_accum:tt)* }
        @blocks { $($block_tags_accum:tt)* }
        @pending { $($found_tag:ident)::+ ($($found_slot_name:ident: $found_slot_typ:ty),+) } $($tail:tt)*
    ) => {
        $crate::ocaml_alloc_polymorphic_variant_match! {
            $cr, $self,
            @units { $($unit_tags_accum)* }
            @unit_blocks { $($unit_block_tags_accum)* }
            @blocks { $($block_tags_accum)* { $($found_tag)::+ ($($found_slot_name: $found_slot_typ),+) } }
            @pending $($tail)*
        }
    };
}
