// Ids as the 32-bit words a store row keeps (spanTable.ts): from hex strings and from request bytes. Times as
// words: model/time.ts nanosWords.

/** Eight hex digits at hex[at] as an unsigned 32-bit word (the caller passes valid lowercase or uppercase hex). */
export function parseHexWord(hex: string, at: number): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = hex.charCodeAt(at + i);
    v = (v << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return v >>> 0;
}

/** Four big-endian bytes at b[at] as an unsigned 32-bit word. */
export function readWord(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
