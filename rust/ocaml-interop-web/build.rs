//! Defines `oiw_page`: the crate is built for a page, where the host (the TS bridge) and OCaml
//! are there. That is wasm32-unknown-unknown, and wasm32-wasip1 when the app's build says so
//! (`--cfg oiw_wasi_app`, which the Vite plugin passes for an app with `rustTarget:
//! "wasm32-wasip1"`). Without it, wasm32-wasip1 is where the unit tests run, with `test_host`
//! standing in for OCaml.
use std::env;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(oiw_page)");
    println!("cargo::rustc-check-cfg=cfg(oiw_wasi_app)");
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let wasi_app = env::var_os("CARGO_CFG_OIW_WASI_APP").is_some();
    if arch == "wasm32" && (os == "unknown" || (os == "wasi" && wasi_app)) {
        println!("cargo::rustc-cfg=oiw_page");
    }
}
