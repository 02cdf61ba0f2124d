// Ids and times as the 32-bit words a store row keeps (spanTable.ts): from hex strings, from request bytes, and
// exact nanosecond halves from the model's (ms, ns within the ms) pairs.

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

/** nanosWords' result (two numbers without an array per call). */
export let wordsLo = 0;
export let wordsHi = 0;

/**
 * Unix nanoseconds ms * 1e6 + subMs as 32-bit halves into wordsLo / wordsHi, exactly for every uint64 time: ms
 * goes up to 1.8e13, so ms * 1e6 exceeds 2^53 and is split (ms = msHi * 2^21 + msLo) to stay exact.
 */
export function nanosWords(ms: number, subMs: number): void {
  const msHi = Math.floor(ms / 2097152);
  const msLo = ms - msHi * 2097152;
  const a = msHi * 1_000_000; // < 2^44
  const aHi = Math.floor(a / 2048); // a * 2^21 = aHi * 2^32 + (a mod 2^11) * 2^21
  const rest = (a - aHi * 2048) * 2097152 + msLo * 1_000_000 + subMs; // < 2^43, exact
  const carry = Math.floor(rest / 4294967296);
  wordsLo = rest - carry * 4294967296;
  wordsHi = aHi + carry;
}
