//! Bigarrays: a slice is copied into a new bigarray (as in the model); a rooted bigarray and
//! OCaml share its data, so what OCaml writes Rust reads through the root (the model's
//! testing/rust-caller `test_bigarray`, with the stand-in host playing OCaml's view).
use ocaml_interop::bigarray::{self, Array1, SharedArray1};
use ocaml_interop::internal::{arena, recover_runtime_handle_mut};
use ocaml_interop::test_host;
use ocaml_interop::wire::{self, mem, RawOCaml};
use ocaml_interop::*;

extern "C" {
    fn oiw_ba_claim(ptr: u32) -> u32;
    fn oiw_ba_release(ptr: u32);
}

fn cr() -> &'static mut OCamlRuntime {
    unsafe { recover_runtime_handle_mut() }
}

/// (element word, length, data address) of a bigarray block.
fn header(w: RawOCaml) -> (u32, u32, u32) {
    unsafe { (mem::read_u32(w + 12), mem::read_u32(w + 16), mem::read_u32(w + 20)) }
}

mod ocaml {
    use ocaml_interop::*;
    ocaml! {
        pub fn double_u16_array(array: bigarray::Array1<u16>);
    }
}

/// What OCaml's `double_u16_array` does to the bigarray it gets: the host gives OCaml a view of
/// the data when Rust shares it (flag 0x100), else a copy; here the stand-in writes where the
/// view would.
fn register_double() {
    test_host::register("double_u16_array", |a| {
        let (elt, n, p) = header(a[0]);
        if elt & 0x100 != 0 {
            for i in 0..n {
                unsafe {
                    let x = std::ptr::read((p + 2 * i) as usize as *const u16);
                    std::ptr::write((p + 2 * i) as usize as *mut u16, x * 2);
                }
            }
        }
        wire::UNIT
    });
}

#[test]
fn test_bigarray_of_the_model() {
    register_double();
    let cr = cr();
    let m = arena::mark();
    let arr: Vec<u16> = (0..16).collect();

    let arr_ocaml: BoxRoot<bigarray::Array1<_>> = arr.as_slice().to_boxroot(cr);
    ocaml::double_u16_array(cr, &arr_ocaml);
    assert_eq!(
        cr.get(&arr_ocaml).as_slice(),
        (0..16u16).map(|i| i * 2).collect::<Vec<_>>().as_slice()
    );
    // the slice itself was copied, as in the model
    assert_eq!(arr[3], 3);
    arena::release(m);
}

#[test]
fn a_rooted_bigarray_lives_as_long_as_the_root_or_an_ocaml_view() {
    let cr = cr();
    let m = arena::mark();
    let live0 = bigarray::live_buffers();
    let v: OCaml<Array1<f64>> = vec![1.0, 2.0, 3.0].to_ocaml(cr);
    let (elt, _, p) = header(unsafe { v.raw() });
    assert_eq!(
        elt & 0x300,
        0,
        "unrooted: data in the call arena, copied when OCaml decodes it"
    );
    assert!(arena::contains(p));
    let root = v.root();
    let (elt, len, data) = header(unsafe { root.get_raw() });
    assert_eq!(
        (elt & 0xff, elt & 0x300, len),
        (1, 0x300, 3),
        "rooted: a shared, counted buffer"
    );
    assert!(!arena::contains(data));
    assert_eq!(bigarray::live_buffers(), live0 + 1);
    arena::release(m);
    // OCaml views it (the host claims it), then the root goes: OCaml's view keeps the data
    assert_eq!(unsafe { oiw_ba_claim(data) }, 1);
    drop(root);
    assert_eq!(bigarray::live_buffers(), live0 + 1);
    assert_eq!(
        unsafe { std::slice::from_raw_parts(data as usize as *const f64, 3) },
        &[1.0, 2.0, 3.0]
    );
    // OCaml's GC collects the view: the buffer is freed
    unsafe { oiw_ba_release(data) };
    assert_eq!(bigarray::live_buffers(), live0);
    // something else is not claimable (the host then copies)
    assert_eq!(unsafe { oiw_ba_claim(12345 * 8) }, 0);
}

#[test]
fn a_view_that_comes_back_is_the_same_memory() {
    let cr = cr();
    let m = arena::mark();
    let root: BoxRoot<Array1<i32>> = vec![5i32, 6].to_boxroot(cr);
    let (_, _, data) = header(unsafe { root.get_raw() });
    // OCaml passes its view back: the encoder writes the view's address, without flags
    let back = ocaml_interop::internal::alloc::block(wire::tag::CUSTOM, 16).unwrap();
    unsafe {
        mem::write_u32(back + 8, wire::custom::BIGARRAY);
        mem::write_u32(back + 12, 6);
        mem::write_u32(back + 16, 2);
        mem::write_u32(back + 20, data);
    }
    let again: BoxRoot<Array1<i32>> = unsafe { OCaml::<Array1<i32>>::from_raw_unchecked(back) }.root();
    let (elt, _, p) = header(unsafe { again.get_raw() });
    assert_eq!((elt & 0x300, p), (0x300, data), "the same buffer, held by both roots");
    drop(root);
    assert_eq!(again.get(cr).as_slice(), &[5, 6]);
    // a SharedArray1 is viewed where it is, by roots too, and its buffer is counted (it lives
    // as long as the SharedArray1 or a view)
    let shared = SharedArray1::from_vec(vec![1u8, 2, 3]);
    let r: BoxRoot<Array1<u8>> = shared.to_boxroot(cr);
    let (elt, _, p) = header(unsafe { r.get_raw() });
    assert_eq!((elt & 0x300, p), (0x300, shared.as_slice().as_ptr() as usize as u32));
    arena::release(m);
}
