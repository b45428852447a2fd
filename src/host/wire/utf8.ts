// UTF-16 -> UTF-8 by hand: a lone surrogate's index (UTF-8 cannot encode it) and the exact
// encoded length (for strings too long to reserve 3 bytes a code unit).
import { charCodeAt } from "./builtins.ts";

/** The index of the first lone surrogate of `s` (from `from`), or -1. */
export function loneSurrogate(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = charCodeAt(s, i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const c2 = charCodeAt(s, i + 1);
      if (c2 >= 0xdc00 && c2 <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = charCodeAt(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
