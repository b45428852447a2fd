// A build failure that names what failed and where: the file and line when a compiler gave
// one (rustc, dune, the signature check), so the Vite overlay and the terminal can show it.

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export class BuildError extends Error {
  /** which step failed: "config", "toolchain", "cargo", "wasm-bindgen", "glue", "check", "dune" */
  readonly step: string;
  readonly loc?: SourceLocation;
  /** the compiler's own rendering of the error (with its code frame), if any */
  readonly details?: string;
  constructor(step: string, message: string, opts: { loc?: SourceLocation; details?: string } = {}) {
    super(message);
    this.name = "BuildError";
    this.step = step;
    this.loc = opts.loc;
    this.details = opts.details;
  }
}

/** `File "x.ml", line 3, characters 4-9:` (dune, ocamlc, wasm_of_ocaml) */
export function ocamlLocation(text: string, cwd: string): SourceLocation | undefined {
  const m = text.match(/File "([^"]+)", line (\d+)(?:, characters (\d+)-\d+)?/);
  if (!m) return undefined;
  const file = m[1].startsWith("/") ? m[1] : `${cwd}/${m[1]}`;
  return { file, line: Number(m[2]), column: Number(m[3] ?? 0) + 1 };
}
