// The wire format (docs/wire-format.md) in TypeScript: JS values <-> wire values in the
// shared linear memory. Typed conversions follow the JS representation of each OCaml type
// (docs/guide/part8-typescript.md); `RawValue` is the untyped view the shared test vectors use.
// This module is what other code imports; the codec's parts are in wire/ (memory access,
// type descriptions, encoding, decoding, the untyped view, messages).
//
// The page is not trusted: other scripts share the realm and may have polluted prototypes.
// So the codec reads only own properties of the values it is given (Object.hasOwn, arrays by
// own index), calls none of their methods, recognises typed arrays by their internal slots
// (any realm), and builds the objects it returns so that every field is an own data property
// (a record is a copy of a template made with defineProperty; fixed keys are object literals),
// whatever the field's name (`__proto__`, `constructor`, `tag`) and whatever Object.prototype
// or Array.prototype hold. The built-ins it relies on are captured when its modules load.
// Errors name the function and the path of the value (`id_items: argument x[3].shape.args[0]`),
// and anything a value throws while it is read (a getter, a Proxy trap) becomes a
// ConversionError naming that path, with the original as `cause`.
export { BIGARRAY_TYPED_ARRAYS } from "./wire/bigarray-kinds.ts";
export { show, showThrown } from "./wire/messages.ts";
export { WireCodec } from "./wire/raw.ts";
export {
  ARENA_MAX_BYTES,
  type Allocator,
  type BoxedKind,
  CUSTOM_DYNBOX,
  ConversionError,
  Custom,
  ERROR_SENTINEL,
  type FnType,
  type HandleHost,
  MAX_DEPTH,
  MAX_INT,
  MIN_INT,
  type RawValue,
  TAG_CLOSURE,
  Tag,
  WIRE_VERSION,
} from "./wire/types.ts";
