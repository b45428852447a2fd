//! OCaml tuples of 2 to 10 elements (a block of tag 0): their conversions, the model's accessors
//! (`fst`, `snd`, `tuple_3` ...) and their descriptions.

use super::{shape_error, FromOCaml, ToOCaml};
use crate::alloc;
use crate::describe::OCamlDescriber;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, mem};

macro_rules! tuple {
    ($n:literal; $($T:ident $A:ident $i:tt $acc:ident),+) => {
        unsafe impl<$($T, $A: ToOCaml<$T>),+> ToOCaml<($($T,)+)> for ($($A,)+) {
            fn to_ocaml<'a>(&self, cr: &'a mut OCamlRuntime) -> OCaml<'a, ($($T,)+)> {
                let Some(_level) = super::nesting::enter_to_ocaml() else { return unsafe { OCaml::from_raw_unchecked(wire::UNIT) } };
                let Some(b) = alloc::block(0, $n) else { return unsafe { OCaml::from_raw_unchecked(wire::UNIT) } };
                $(
                    let w = unsafe { self.$i.to_ocaml(cr).raw() };
                    unsafe { mem::set_field(b, $i, w) };
                )+
                let _ = cr;
                unsafe { OCaml::from_raw_unchecked(b) }
            }
        }

        unsafe impl<$($T, $A: FromOCaml<$T>),+> FromOCaml<($($T,)+)> for ($($A,)+) {
            fn from_ocaml(v: OCaml<($($T,)+)>) -> Self {
                if !v.is_block() || v.tag_value() != 0 || v.size() != $n {
                    shape_error(concat!("a ", stringify!($n), "-tuple"), unsafe { v.raw() });
                }
                let _level = super::nesting::enter_from_ocaml(unsafe { v.raw() });
                ($($A::from_ocaml(unsafe { v.field::<$T>($i) }),)+)
            }
        }

        impl<'gc, $($T),+> OCaml<'gc, ($($T,)+)> {
            $(
                pub fn $acc(&self) -> OCaml<'gc, $T> {
                    if !self.is_block() || self.size() != $n {
                        shape_error(concat!("a ", stringify!($n), "-tuple"), self.raw);
                    }
                    unsafe { self.field::<$T>($i) }
                }
            )+
            /// All the elements.
            pub fn to_tuple(&self) -> ($(OCaml<'gc, $T>,)+) {
                ($(self.$acc(),)+)
            }
        }

        impl<$($T: OCamlDescriber),+> OCamlDescriber for ($($T,)+) {
            fn describe(out: &mut String) {
                out.push_str("{\"tuple\":[");
                let mut first = true;
                $(
                    if !first { out.push(','); }
                    first = false;
                    $T::describe(out);
                )+
                let _ = first;
                out.push_str("]}");
            }
        }
    };
}

tuple!(2; A RA 0 fst, B RB 1 snd);
tuple!(3; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3);
tuple!(4; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4);
tuple!(5; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4, E RE 4 tuple_5);
tuple!(6; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4, E RE 4 tuple_5, F RF 5 tuple_6);
tuple!(7; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4, E RE 4 tuple_5, F RF 5 tuple_6, G RG 6 tuple_7);
tuple!(8; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4, E RE 4 tuple_5, F RF 5 tuple_6, G RG 6 tuple_7, H RH 7 tuple_8);
tuple!(9; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4, E RE 4 tuple_5, F RF 5 tuple_6, G RG 6 tuple_7, H RH 7 tuple_8, I RI 8 tuple_9);
tuple!(10; A RA 0 fst, B RB 1 snd, C RC 2 tuple_3, D RD 3 tuple_4, E RE 4 tuple_5, F RF 5 tuple_6, G RG 6 tuple_7, H RH 7 tuple_8, I RI 8 tuple_9, J RJ 9 tuple_10);
