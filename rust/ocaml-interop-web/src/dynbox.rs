//! `DynBox<T>`: a Rust value owned by OCaml (`OCaml::box_value(cr, v)`), as in the model.
//!
//! The value stays in a table on the Rust side; OCaml holds an opaque wrapper. The value is
//! dropped when OCaml's GC collects the wrapper (a JS FinalizationRegistry), or when OCaml calls
//! `Ocaml_interop_web.release`. Borrowing checks the type (a wrong type panics, as in the
//! model) and the generation (a released box is an error, never a stale value). A box made but
//! never handed to OCaml is dropped at the next top-level call.

use crate::mlvalues::DynBox;
use crate::runtime::OCamlRuntime;
use crate::value::OCaml;
use crate::wire::{self, custom, mem, tag, RawOCaml};
use std::any::Any;
use std::cell::RefCell;

/// A box's generation: 62 bits, never reused in practice (22 bits of the Rust instance's number,
/// 40 of a counter of the boxes that instance made: 2^40 boxes per instance), carried as two
/// 31-bit halves, which fit OCaml's immediates (the wire's words 3 and 4 of a DynBox block; the
/// fields 3 and 5 of a Rust closure's block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Generation {
    pub(crate) lo: u32,
    pub(crate) hi: u32,
}

impl Generation {
    fn new(instance: u32, counter: u64) -> Generation {
        let g = ((instance as u64 & 0x3f_ffff) << 40) | (counter & 0xff_ffff_ffff);
        Generation {
            lo: (g & 0x7fff_ffff) as u32,
            hi: (g >> 31) as u32,
        }
    }

    /// Whether the box was made by an earlier Rust instance (one the host re-created since).
    pub(crate) fn of_earlier_instance(self) -> bool {
        let g = ((self.hi as u64) << 31) | self.lo as u64;
        let made_by = (g >> 40) as u32 & 0x3f_ffff;
        TABLE.with(|t| made_by != t.borrow().instance & 0x3f_ffff)
    }
}

struct Slot {
    value: Option<Box<dyn Any>>,
    generation: Generation,
    /// OCaml wrappers holding the box (0 while unclaimed)
    refs: u32,
    claimed: bool,
}

#[derive(Default)]
struct Table {
    slots: Vec<Slot>,
    free: Vec<u32>,
    unclaimed: Vec<u32>,
    live: u32,
    /// the Rust instance's number (the host re-creates it after a trap), in the generations'
    /// high bits: a box of a previous instance never aliases one of this instance
    instance: u32,
    /// boxes this instance made (the generations' low bits)
    made: u64,
}

pub(crate) fn set_instance(n: u32) {
    TABLE.with(|t| t.borrow_mut().instance = n);
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table::default());
}

fn insert(v: Box<dyn Any>) -> (u32, Generation) {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        t.live += 1;
        t.made += 1;
        let g = Generation::new(t.instance, t.made);
        let id = match t.free.pop() {
            Some(id) => {
                let s = &mut t.slots[id as usize];
                s.generation = g;
                s.value = Some(v);
                s.refs = 0;
                s.claimed = false;
                id
            }
            None => {
                t.slots.push(Slot {
                    value: Some(v),
                    generation: g,
                    refs: 0,
                    claimed: false,
                });
                t.slots.len() as u32 - 1
            }
        };
        t.unclaimed.push(id);
        (id, t.slots[id as usize].generation)
    })
}

fn drop_slot(t: &mut Table, id: u32) -> Option<Box<dyn Any>> {
    let v = t.slots[id as usize].value.take();
    if v.is_some() {
        t.free.push(id);
        t.live -= 1;
    }
    v
}

/// An OCaml wrapper now holds the box.
pub(crate) fn claim(id: u32, generation: Generation) -> bool {
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        match t.slots.get_mut(id as usize) {
            Some(s) if s.value.is_some() && s.generation == generation => {
                s.refs += 1;
                s.claimed = true;
                true
            }
            _ => false,
        }
    })
}

/// An OCaml wrapper was collected or released.
pub(crate) fn release(id: u32, generation: Generation) {
    let dropped = TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let ok = matches!(t.slots.get(id as usize), Some(s) if s.value.is_some() && s.generation == generation);
        if !ok {
            return None;
        }
        let s = &mut t.slots[id as usize];
        s.refs = s.refs.saturating_sub(1);
        if s.refs == 0 {
            drop_slot(&mut t, id)
        } else {
            None
        }
    });
    drop_values(dropped); // the value's Drop runs outside the table borrow
}

/// Drops values OCaml released or collected. A panic in a value's Drop belongs to no call (the
/// GC or a release decided when it ran): it is caught, and reported to the page's console once,
/// never to the next unrelated call nor as an uncaught error.
fn drop_values(values: impl IntoIterator<Item = Box<dyn Any>>) {
    for v in values {
        #[cfg(panic = "unwind")]
        if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(v))) {
            let msg = crate::panic::message(&*payload);
            crate::panic::forget_payload(payload);
            crate::panic::clear_last();
            crate::host::drop_panicked(&msg);
        }
        #[cfg(not(panic = "unwind"))]
        drop(v);
    }
}

/// Drops the boxes no OCaml wrapper claimed (called when no call is running).
pub(crate) fn sweep_unclaimed() {
    let dropped: Vec<Box<dyn Any>> = TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let t = &mut *t;
        let mut out = Vec::new();
        // (by index, and cleared in place: the list keeps its buffer, so a loop making one box
        // per call allocates nothing here)
        for i in 0..t.unclaimed.len() {
            let id = t.unclaimed[i];
            if !t.slots[id as usize].claimed {
                if let Some(v) = drop_slot(t, id) {
                    out.push(v);
                }
            }
        }
        t.unclaimed.clear();
        out
    });
    drop_values(dropped);
}

pub(crate) fn has_unclaimed() -> bool {
    TABLE.with(|t| !t.borrow().unclaimed.is_empty())
}

/// How many boxes are alive (for leak checks).
pub fn live_boxes() -> u32 {
    TABLE.with(|t| t.borrow().live)
}

impl<'a, T: 'static> OCaml<'a, DynBox<T>> {
    /// Moves `v` into a box owned by OCaml.
    pub fn box_value(_cr: &'a mut OCamlRuntime, v: T) -> OCaml<'a, DynBox<T>> {
        let (id, generation) = insert(Box::new(v));
        let raw = match crate::alloc::block(tag::CUSTOM, custom::INT_PAYLOAD) {
            Some(b) => unsafe {
                mem::write_u32(b + 8, custom::DYNBOX);
                mem::write_u32(b + 12, id);
                mem::write_u32(b + 16, generation.lo);
                mem::write_u32(b + 20, generation.hi);
                b
            },
            None => wire::UNIT,
        };
        unsafe { OCaml::from_raw_unchecked(raw) }
    }

    fn value_ptr(&self) -> *const T {
        let raw: RawOCaml = self.raw;
        unsafe {
            if !wire::is_block(raw) || mem::tag(raw) != tag::CUSTOM || mem::read_u32(raw + 8) != custom::DYNBOX {
                crate::conv::shape_error("a DynBox", raw);
            }
            let id = mem::read_u32(raw + 12);
            let generation = Generation {
                lo: mem::read_u32(raw + 16),
                hi: mem::read_u32(raw + 20),
            };
            TABLE.with(|t| {
                let t = t.borrow();
                match t.slots.get(id as usize) {
                    Some(Slot {
                        value: Some(v),
                        generation: g,
                        ..
                    }) if *g == generation => match v.downcast_ref::<T>() {
                        Some(x) => x as *const T,
                        None => panic!(
                            "ocaml-interop: DynBox holds another type than {}",
                            std::any::type_name::<T>()
                        ),
                    },
                    _ => panic!("ocaml-interop: this DynBox was released (or collected) and its value dropped"),
                }
            })
        }
    }
}

/// Borrows the boxed value; panics on a wrong type, as in the model.
impl<'a, T: 'static> std::borrow::Borrow<T> for OCaml<'a, DynBox<T>> {
    fn borrow(&self) -> &T {
        // SAFETY: the value is heap-allocated and only dropped when OCaml releases the box,
        // which cannot happen while this borrow (tied to the call) is held
        unsafe { &*self.value_ptr() }
    }
}

impl<T: 'static> crate::describe::OCamlDescriber for DynBox<T> {
    fn describe(out: &mut String) {
        out.push_str("{\"dynbox\":");
        out.push_str(&crate::describe::json_string(std::any::type_name::<T>()));
        out.push('}');
    }
}

/// The value of box (id, generation), if alive and of type T.
pub(crate) fn get<T: 'static>(id: u32, generation: Generation) -> Option<*const T> {
    TABLE.with(|t| {
        let t = t.borrow();
        match t.slots.get(id as usize) {
            Some(Slot {
                value: Some(v),
                generation: g,
                ..
            }) if *g == generation => v.downcast_ref::<T>().map(|x| x as *const T),
            _ => None,
        }
    })
}
