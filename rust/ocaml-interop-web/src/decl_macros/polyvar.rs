//! Polymorphic variants, by tag name (the Rust variant's name; order does not matter):
//! `impl_to_ocaml_polymorphic_variant!`, `impl_from_ocaml_polymorphic_variant!`, and the 0.12
//! building blocks `ocaml_unpack_polymorphic_variant!` and `ocaml_alloc_polymorphic_variant!`.

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
