// Errors that cross the boundary arrive in TypeScript as these Error subclasses, never as an
// opaque WebAssembly.Exception or RuntimeError.
import { ERROR_KIND_FAILURE, ERROR_KIND_INVALID_ARGUMENT, ERROR_KIND_OCAML_EXCEPTION, ERROR_KIND_RUST_PANIC } from "./protocol.ts";

/** Kinds of the error slot (the protocol's: wire-format/protocol.json). */
export const ErrorKind = {
  RustPanic: ERROR_KIND_RUST_PANIC,
  Failure: ERROR_KIND_FAILURE,
  InvalidArgument: ERROR_KIND_INVALID_ARGUMENT,
  OCamlException: ERROR_KIND_OCAML_EXCEPTION,
} as const;

export class InteropError extends Error {
  /** the function whose call failed */
  readonly functionName: string;
  constructor(message: string, functionName: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InteropError";
    this.functionName = functionName;
  }
}

/** A Rust panic (the Rust module was restarted; see docs/guide for what state survives). */
export class RustPanic extends InteropError {
  constructor(message: string, functionName: string) {
    super(message, functionName);
    this.name = "RustPanic";
  }
}

/** An OCaml exception that escaped a call. */
export class OCamlException extends InteropError {
  /** the exception constructor, e.g. "Not_found" or "Failure" */
  readonly exceptionName: string;
  /** `exceptionName`: the constructor's name from the exception value when the error slot
   *  carried it (Assert_failure's message starts with "File ..."), else the message's start. */
  constructor(message: string, functionName: string, exceptionName?: string) {
    super(message, functionName);
    this.name = "OCamlException";
    this.exceptionName = exceptionName ?? message.match(/^[A-Za-z_][\w.']*/)?.[0] ?? "exception";
  }
}

/** A value that does not fit its declared type, a wrong argument count, a missing function. */
export class BoundaryError extends InteropError {
  constructor(message: string, functionName: string, options?: ErrorOptions) {
    super(message, functionName, options);
    this.name = "BoundaryError";
  }
}

/** An error thrown by JS code that Rust called without wasm-bindgen's `catch`: it unwound
 *  through Rust (which was then restarted, as after a panic). `cause` is the original error. */
export class JavaScriptError extends InteropError {
  constructor(message: string, functionName: string, cause: unknown) {
    super(message, functionName, { cause });
    this.name = "JavaScriptError";
  }
}

export function errorFromSlot(kind: number, message: string, functionName: string, exceptionName?: string): InteropError {
  switch (kind) {
    case ErrorKind.RustPanic:
      return new RustPanic(message, functionName);
    case ErrorKind.OCamlException:
      return new OCamlException(message, functionName, exceptionName);
    default:
      return new BoundaryError(message, functionName);
  }
}
