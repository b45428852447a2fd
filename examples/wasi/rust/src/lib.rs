//! The WASI example's Rust side, built for `wasm32-wasip1` and run in the page with
//! `@bjorn3/browser_wasi_shim`: plain `std` I/O, no `#[wasm_bindgen]`. The page gives the app
//! an in-memory directory (preopened at `/`), its arguments and its environment; here
//! `std::fs` and `walkdir` read and write that directory, `println!`/`eprintln!` go to the
//! page's output sink, and `std::env`, `SystemTime`, `Instant` and `HashMap`'s random seeds
//! work as in a command-line program. OCaml declares these with plain `external`s
//! (ocaml/wasi_files.ml).

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::Path;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use ocaml_interop::{OCaml, OCamlDescriber, OCamlInt, OCamlList, OCamlRuntime, ToOCaml};
use walkdir::WalkDir;

// ---- the types OCaml receives (type file_stat = { path : string; bytes : int; ... }) ----------

/// One text file of a scanned directory.
#[derive(ToOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct FileStat {
    /// as walkdir gives it: the scanned directory joined with the file's path below it
    pub path: String,
    #[ocaml(as_ = "OCamlInt")]
    pub bytes: i64,
    #[ocaml(as_ = "OCamlInt")]
    pub lines: i64,
    /// words separated by whitespace, as `wc -w` counts them
    #[ocaml(as_ = "OCamlInt")]
    pub words: i64,
    /// distinct words, ignoring ASCII case (counted with a `HashMap`)
    #[ocaml(as_ = "OCamlInt")]
    pub distinct: i64,
}

/// What the WASI environment looks like from Rust: the program's arguments and environment as
/// the page gave them, the clocks, and a hash from a `RandomState` seeded by `random_get`.
#[derive(ToOCaml, OCamlDescriber, Debug, Clone, PartialEq)]
pub struct WasiInfo {
    /// `std::env::args()`: the page's `args`, the program name first
    pub args: Vec<String>,
    /// `std::env::var("LANG")`
    pub lang: Option<String>,
    /// how many variables `std::env::vars()` has
    #[ocaml(as_ = "OCamlInt")]
    pub env_count: i64,
    /// the `--top N` argument (10 without one)
    #[ocaml(as_ = "OCamlInt")]
    pub top: i64,
    /// `SystemTime::now()` in seconds since 1970
    pub unix_time: f64,
    pub after_2020: bool,
    /// two `Instant::now()` around some work: the second is not before the first
    pub monotonic: bool,
    /// the hash of "probe" by a new `RandomState`: differs from one load of the app to the next
    pub random_probe: String,
}

// ---- the logic (unit-tested below) --------------------------------------------------------------

/// Lines, words and distinct words (ASCII case ignored) of a text.
pub fn count(text: &str) -> (i64, i64, i64) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut words = 0;
    for w in text.split_whitespace() {
        words += 1;
        *seen.entry(w.to_ascii_lowercase()).or_default() += 1;
    }
    (text.lines().count() as i64, words, seen.len() as i64)
}

pub fn stat(path: String, text: &str) -> FileStat {
    let (lines, words, distinct) = count(text);
    FileStat {
        path,
        bytes: text.len() as i64,
        lines,
        words,
        distinct,
    }
}

/// The value of `--top N` or `--top=N` in the arguments; 10 when there is none.
pub fn top_from_args(args: &[String]) -> Result<i64, String> {
    let mut value = None;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        if a == "--top" {
            value = Some(it.next().ok_or("--top needs a number")?.as_str());
        } else if let Some(v) = a.strip_prefix("--top=") {
            value = Some(v);
        }
    }
    match value {
        None => Ok(10),
        Some(v) => match v.parse::<i64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("--top: expected a positive number, got {v:?}")),
        },
    }
}

/// Every file under `dir` (walkdir, sorted by name), read with std::fs: a line on stdout for
/// each text file, one on stderr for each file that cannot be read or is not UTF-8.
pub fn scan(dir: &str) -> Result<Vec<FileStat>, String> {
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.depth() == 0 => return Err(format!("scan_dir: cannot read {dir}: {e}")),
            Err(e) => {
                eprintln!("skipped: {e}");
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().display().to_string();
        match std::fs::read(entry.path()) {
            Err(e) => eprintln!("skipped {path}: {e}"),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(e) => eprintln!(
                    "skipped {path}: not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
                Ok(text) => {
                    let s = stat(path, &text);
                    println!("{}: {} bytes, {} lines, {} words", s.path, s.bytes, s.lines, s.words);
                    out.push(s);
                }
            },
        }
    }
    Ok(out)
}

/// Writes `text` to `path`, creating its directories; the number of bytes written.
pub fn write_file(path: &str, text: &str) -> Result<i64, String> {
    if let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("write_report: cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("write_report: cannot write {path}: {e}"))?;
    Ok(text.len() as i64)
}

pub fn info() -> WasiInfo {
    let args: Vec<String> = std::env::args().collect();
    let top = top_from_args(&args).unwrap_or_else(|e| {
        eprintln!("wasi_info: {e}; using 10");
        10
    });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let start = Instant::now();
    let mut x = 0u64;
    for i in 0..100_000u64 {
        x = x.wrapping_add(i.wrapping_mul(i));
    }
    std::hint::black_box(x);
    let end = Instant::now();
    WasiInfo {
        lang: std::env::var("LANG").ok(),
        env_count: std::env::vars().count() as i64,
        top,
        unix_time: now,
        // 2020-01-01T00:00:00Z
        after_2020: now > 1_577_836_800.0,
        monotonic: end >= start,
        random_probe: format!("{:016x}", RandomState::new().hash_one("probe")),
        args,
    }
}

// ---- the exports OCaml (and TypeScript) call ----------------------------------------------------

/// `external scan_dir : string -> file_stat list = "scan_dir"`: `Failure` when `dir` cannot be
/// read (its message names it).
#[ocaml_interop::export]
pub fn scan_dir(cr: &mut OCamlRuntime, dir: OCaml<String>) -> Result<OCaml<OCamlList<FileStat>>, String> {
    let dir: String = dir.to_rust();
    let stats = scan(&dir)?;
    Ok(stats.to_ocaml(cr))
}

/// `external read_text : string -> string = "read_text"`: `Failure "<path>: <io error>"` when
/// the file cannot be read.
#[ocaml_interop::export]
pub fn read_text(cr: &mut OCamlRuntime, path: OCaml<String>) -> Result<OCaml<String>, String> {
    let path: String = path.to_rust();
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text.to_ocaml(cr)),
        Err(e) => Err(format!("read_text: {path}: {e}")),
    }
}

/// `external read_required : string -> string = "read_required"`: the same, but a file that
/// cannot be read is a bug here: it panics (OCaml gets `RustPanic`, TypeScript a `RustPanic`
/// error), and the next call works.
#[ocaml_interop::export]
pub fn read_required(cr: &mut OCamlRuntime, path: OCaml<String>) -> OCaml<String> {
    let path: String = path.to_rust();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("required file {path} could not be read: {e}"));
    text.to_ocaml(cr)
}

/// `external write_report : string -> string -> int = "write_report"`: writes the file (and
/// its directories) with std::fs; the number of bytes written.
#[ocaml_interop::export]
pub fn write_report(
    cr: &mut OCamlRuntime,
    path: OCaml<String>,
    text: OCaml<String>,
) -> Result<OCaml<OCamlInt>, String> {
    let path: String = path.to_rust();
    let text: String = text.to_rust();
    let n = write_file(&path, &text)?;
    println!("wrote {path} ({n} bytes)");
    Ok(n.to_ocaml(cr))
}

/// `external wasi_info : unit -> wasi_info = "wasi_info"`
#[ocaml_interop::export]
pub fn wasi_info(cr: &mut OCamlRuntime, _unit: OCaml<()>) -> OCaml<WasiInfo> {
    info().to_ocaml(cr)
}

/// `print_lines n text`: `println!`s `text` `n` times (one WASI `fd_write` per line: std's stdout
/// is line-buffered); `n`. The bench's W15_println times it against `console.log` in a JS loop
/// (examples/bench/src/main.ts).
#[ocaml_interop::export]
pub fn print_lines(cr: &mut OCamlRuntime, n: OCaml<OCamlInt>, text: OCaml<String>) -> OCaml<OCamlInt> {
    let n: i64 = n.to_rust();
    let text = text.as_str();
    for _ in 0..n {
        println!("{text}");
    }
    n.to_ocaml(cr)
}

/// What a crate calling `std::process::exit` gets in a page: WASI's `proc_exit` cannot end the
/// page's process, so the call becomes a fault. TypeScript gets a `RustPanic` ("Rust called
/// std::process::exit(N) in exit_with: ..."), the host re-creates the Rust instance (its WASI
/// directory kept), and the next call works. OCaml does not declare it; TypeScript calls it as
/// `app.rust.exit_with` (e2e/wasi.spec.ts).
#[ocaml_interop::export]
pub fn exit_with(_cr: &mut OCamlRuntime, code: OCaml<OCamlInt>) -> OCaml<()> {
    let code: i64 = code.to_rust();
    println!("exiting with {code}");
    std::process::exit(code as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn counts_lines_words_and_distinct_words() {
        assert_eq!(count(""), (0, 0, 0));
        assert_eq!(count("one"), (1, 1, 1));
        assert_eq!(count("The cat\nthe  dog\n"), (2, 4, 3));
        assert_eq!(count("a\n\n b\tc \r\nA"), (4, 4, 3));
        assert_eq!(count("Straße straße STRASSE"), (1, 3, 2));
        let s = stat("docs/x.txt".into(), "héllo wörld\n");
        assert_eq!(
            (s.path.as_str(), s.bytes, s.lines, s.words, s.distinct),
            ("docs/x.txt", 14, 1, 2, 2)
        );
    }

    #[test]
    fn top_argument() {
        assert_eq!(top_from_args(&args(&["wordcount"])), Ok(10));
        assert_eq!(top_from_args(&args(&["wordcount", "--top", "5"])), Ok(5));
        assert_eq!(top_from_args(&args(&["wordcount", "-v", "--top=3"])), Ok(3));
        // the program name is not an argument
        assert_eq!(top_from_args(&args(&["--top=7"])), Ok(10));
        assert_eq!(
            top_from_args(&args(&["w", "--top"])),
            Err("--top needs a number".into())
        );
        assert_eq!(
            top_from_args(&args(&["w", "--top", "0"])),
            Err("--top: expected a positive number, got \"0\"".into())
        );
        assert_eq!(
            top_from_args(&args(&["w", "--top=x"])),
            Err("--top: expected a positive number, got \"x\"".into())
        );
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_it() {
        let e = scan("no/such/dir").unwrap_err();
        assert!(e.starts_with("scan_dir: cannot read no/such/dir: "), "{e}");
    }

    #[test]
    fn clocks_and_random_seeds() {
        let i = info();
        assert!(i.after_2020 && i.monotonic, "{i:?}");
        assert_eq!(i.random_probe.len(), 16);
    }
}
