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
    ($field:ident) => { $field };
    ($field:ident, $conv:expr) => { $conv };
}

#[macro_export]
macro_rules! impl_to_ocaml_record {
    ($rust:ty => $ocaml:ty { $($field:ident : $ocaml_typ:ty $(=> $conv:expr)?),+ $(,)? }) => {
        unsafe impl $crate::ToOCaml<$ocaml> for $rust {
            #[allow(unused_variables, clippy::needless_borrow)]
            fn to_ocaml<'a>(&self, cr: &'a mut $crate::OCamlRuntime) -> $crate::OCaml<'a, $ocaml> {
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
                $( $crate::__from_polyvar_arm!(__raw, $tag $( ( $($arg : $typ),+ ) )? => $build); )+
                $crate::internal::shape_error(concat!("a tag of the polymorphic variant ", stringify!($rust)), __raw)
            }
        }
    };
    ($both:ident { $($rest:tt)* }) => { $crate::impl_from_ocaml_polymorphic_variant! { $both => $both { $($rest)* } } };
}
