// What the app's programs print: OCaml's stdout and stderr (wasm_of_ocaml's runtime writes each
// flush with console.log / console.error), and in a WASI app Rust's (println!, eprintln!: WASI's
// fd_write on 1 and 2). Given loadInterop's `output`, both reach it one complete line at a time
// (without its "\n"), a last partial line when the app is disposed; without it, Rust's lines go
// to the console, and OCaml's writes as they always did.
import { consoleAtLoad } from "./intrinsics.ts";

export type OutputStream = "stdout" | "stderr";
/** Receives each line the app's programs print (LoadOptions.output). */
export type OutputSink = (line: string, stream: OutputStream) => void;

export class AppOutput {
  private readonly pending: Record<OutputStream, string> = { stdout: "", stderr: "" };
  private readonly decoders: Record<OutputStream, TextDecoder>;
  private readonly app: string;
  private readonly sink: OutputSink | undefined;

  constructor(app: string, sink: OutputSink | undefined) {
    this.app = app;
    this.sink = sink;
    this.decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  }

  /** Whether the page gave a sink (else OCaml's console is left as it is). */
  get redirected(): boolean {
    return this.sink !== undefined;
  }

  /** Text a program wrote (any part of a line, or several). */
  text(stream: OutputStream, text: string) {
    let buf = this.pending[stream] + text;
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      this.line(stream, buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf("\n");
    }
    this.pending[stream] = buf;
  }

  /** Bytes a program wrote (UTF-8, a character possibly split between two writes). */
  bytes(stream: OutputStream, bytes: Uint8Array) {
    this.text(stream, this.decoders[stream].decode(bytes, { stream: true }));
  }

  /** Emits what is left of each stream's last line (at dispose). */
  flush() {
    for (const stream of ["stdout", "stderr"] as const) {
      const rest = this.pending[stream] + this.decoders[stream].decode();
      this.pending[stream] = "";
      if (rest !== "") this.line(stream, rest);
    }
  }

  private line(stream: OutputStream, line: string) {
    if (!this.sink) {
      (stream === "stderr" ? consoleAtLoad.error : consoleAtLoad.log)(line);
      return;
    }
    try {
      this.sink(line, stream);
    } catch (e) {
      // the page's sink failing must not fail the program that printed
      consoleAtLoad.error(`ocaml-interop: ${this.app}: the output sink threw on a ${stream} line:`, e);
    }
  }

  /** The console OCaml's runtime writes with: its writes go to the sink, line by line (its
   *  other methods are the page's console's). */
  ocamlConsole(): Console | undefined {
    if (!this.sink) return undefined;
    // made once: the runtime reads console.log at every flush
    const log = (s: unknown) => this.text("stdout", String(s));
    const error = (s: unknown) => this.text("stderr", String(s));
    return new Proxy(Object.create(null) as Console, {
      get: (_, k) => (k === "log" ? log : k === "error" ? error : (globalThis.console as unknown as Record<PropertyKey, unknown>)[k]),
    });
  }
}

/** Checks loadInterop's `output` option. */
export function checkSink(app: string, sink: unknown): OutputSink | undefined {
  if (sink === undefined) return undefined;
  if (typeof sink !== "function")
    throw new TypeError(
      `ocaml-interop: loadInterop(${app}): output must be a function (line: string, stream: "stdout" | "stderr") => void (got ${sink === null ? "null" : typeof sink})`,
    );
  return sink as OutputSink;
}
