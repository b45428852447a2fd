// The single-memory build of the OCaml runtime files, for engines without multi-memory
// (WebKitGTK 2.50, Safari before 27.3).
//
// The OCaml module normally imports the memory it shares with Rust ("js" "oiw_memory") next to
// wasm_of_ocaml's own, and such an engine refuses a module with two memories. The arena's file
// (ocaml_interop_arena.wat) imports it and exports it as "env" "oiw_rust_memory", which the other
// runtime files import, so that the linked module has it once. In this variant no runtime file
// imports or exports a memory: each of their loads and stores of Rust's memory becomes a call of
// a tiny function of a helper module (src/host/memory-ops.ts) whose only memory is the shared
// one. A wasm function passed as an import is called wasm to wasm, with no JS frame.
//
// The rewrite works on the folded form the runtime files are written in: `(i32.load offset=8 X)`
// becomes `(call $oiw_m_i32_load X (i32.const 8))`, `(memory.size)` `(call $oiw_m_size)`.
// Anything else that touches the memory (an unfolded instruction, another memory
// instruction, an explicit memory index) fails the build, naming the line.
import { MEMORY_OPS, type MemoryOp } from "../host/memory-ops.ts";
import { BuildError } from "./errors.ts";

// the memory as the host gives it (the arena's file), or as another runtime file imports it
const MEMORY_IMPORT = /\(import (?:"js" "oiw_memory"|"env" "oiw_rust_memory") \(memory \$mem \d+\)\)/;
const MEMORY_EXPORT = /\n\s*\(export "oiw_rust_memory" \(memory \$mem\)\)/;
const OP_HEAD = /^(i32|i64|f32|f64)\.(load|store)(8_u|8_s|16_u|16_s|32_u|32_s|8|16|32)?$/;

/** Where a balanced s-expression starting at `open` (a "(") ends (the index after its ")"),
 *  skipping strings and comments. */
function closing(src: string, open: number, where: (i: number) => string): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === "\\") i++;
    } else if (c === ";" && src[i + 1] === ";") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "(" && src[i + 1] === ";") {
      const end = src.indexOf(";)", i + 2);
      if (end < 0) throw new BuildError("glue", `single-memory build: unterminated block comment at ${where(i)}`);
      i = end + 1;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i + 1;
  }
  throw new BuildError("glue", `single-memory build: unbalanced parenthesis at ${where(open)}`);
}

/** The op a memory instruction's head names, with its helper's name. */
function opOf(head: string): MemoryOp | undefined {
  return MEMORY_OPS.find((op) => op.instr === head);
}

/** Whether a runtime file imports Rust's memory (and so is rewritten). */
export function importsRustMemory(src: string): boolean {
  return MEMORY_IMPORT.test(src);
}

/** Rewrites a runtime file (see the file comment). */
export function singleMemoryWat(src: string, file: string): string {
  const lineOf = (i: number) => `${file}:${src.slice(0, i).split("\n").length}`;
  if (!MEMORY_IMPORT.test(src)) throw new BuildError("glue", `single-memory build: ${file} does not import "js" "oiw_memory" as expected`);
  const imports = MEMORY_OPS.map(
    (op) =>
      `(import "js" "oiw_m_${op.name}" (func $oiw_m_${op.name} ${op.params.map((p) => `(param ${p})`).join(" ")}${op.result ? ` (result ${op.result})` : ""}))`,
  );
  const rewrite = (from: number, to: number): string => {
    let text = "",
      last = from;
    for (let i = from; i < to; i++) {
      const c = src[i];
      if (c === '"') {
        for (i++; i < to && src[i] !== '"'; i++) if (src[i] === "\\") i++;
        continue;
      }
      if (c === ";" && src[i + 1] === ";") {
        while (i < to && src[i] !== "\n") i++;
        continue;
      }
      if (c === "(" && src[i + 1] === ";") {
        i = src.indexOf(";)", i + 2) + 1;
        continue;
      }
      if (/[a-z]/.test(c) && !/[\w.$]/.test(src[i - 1] ?? " ")) {
        const word = /^[\w.$=]+/.exec(src.slice(i, to))![0];
        const folded = src[i - 1] === "(";
        if (OP_HEAD.test(word) || word.startsWith("memory.")) {
          if (!folded) throw new BuildError("glue", `single-memory build: ${lineOf(i)}: \`${word}\` is not in folded form ((${word} ...))`);
          const open = i - 1,
            end = closing(src, open, lineOf);
          const op = word === "memory.size" ? MEMORY_OPS.find((o) => o.name === "size") : opOf(word);
          if (!op) throw new BuildError("glue", `single-memory build: ${lineOf(i)}: \`${word}\` has no helper (memory-ops.ts)`);
          // immediates, then the operands (folded children)
          let j = i + word.length,
            offset = 0;
          for (;;) {
            while (/\s/.test(src[j])) j++;
            const m = /^(offset|align)=(0x[0-9a-fA-F]+|\d+)\b/.exec(src.slice(j, end));
            if (!m) break;
            if (m[1] === "offset") offset = Number(m[2]);
            j += m[0].length;
          }
          if (src[j] === "$") throw new BuildError("glue", `single-memory build: ${lineOf(i)}: \`${word}\` names a memory`);
          const operands = rewrite(j, end - 1).trim();
          text +=
            src.slice(last, open) +
            `(call $oiw_m_${op.name}${operands ? ` ${operands}` : ""}${op.instr === "memory.size" ? "" : ` (i32.const ${offset})`})`;
          last = end;
          i = end - 1;
          continue;
        }
        i += word.length - 1;
      }
    }
    return text + src.slice(last, to);
  };
  return rewrite(0, src.length).replace(MEMORY_EXPORT, "").replace(MEMORY_IMPORT, imports.join("\n   "));
}
