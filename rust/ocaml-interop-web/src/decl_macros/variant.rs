//! Variants: `impl_to_ocaml_variant!`, `impl_from_ocaml_variant!`, `impl_conv_ocaml_variant!`,
//! and the 0.12 building blocks `ocaml_unpack_variant!`, `ocaml_alloc_variant!` and
//! `ocaml_alloc_tagged_block!`. Constant constructors are immediates 0, 1, ... among
//! themselves, the others blocks tagged 0, 1, ... among themselves, in the order listed.

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
