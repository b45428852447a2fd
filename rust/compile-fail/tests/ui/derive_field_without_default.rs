// As in the model, only some Rust types have a default OCaml type; a field of another type
// (here u8) must name its OCaml type with #[ocaml(as_ = "...")].
use ocaml_interop::*;

#[derive(ToOCaml)]
struct Pixel {
    level: u8,
}

fn main() {}
