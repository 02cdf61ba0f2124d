// Unix nanosecond timestamps as a lossless pair of numbers: whole milliseconds plus the nanoseconds within
// that millisecond. A double holds whole milliseconds exactly for 285,000 years and the remainder exactly,
// so both parts are exact, sort and subtract as plain numbers, and cost no BigInt allocation per span
// (docs/receiver.md has the measurement). Use `toUnixNano` when a bigint is wanted.

/** Nanoseconds in a millisecond. */
export const NS_PER_MS = 1_000_000;

/** The exact bigint nanoseconds of a (ms, sub-ms ns) pair. */
export function toUnixNano(ms: number, subMsNanos: number): bigint {
  return BigInt(ms) * 1_000_000n + BigInt(subMsNanos);
}

/** Splits bigint nanoseconds into the (ms, sub-ms ns) pair; negative input is clamped to 0. */
export function fromUnixNano(ns: bigint): [ms: number, subMsNanos: number] {
  if (ns <= 0n) return [0, 0];
  return [Number(ns / 1_000_000n), Number(ns % 1_000_000n)];
}

/** The pair as the decimal string OTLP/JSON uses for int64 (`"1795493440056396601"`). */
export function formatUnixNano(ms: number, subMsNanos: number): string {
  if (ms === 0) return String(subMsNanos);
  return `${ms}${String(subMsNanos).padStart(6, '0')}`;
}

/** Nanoseconds from a to b as a number (exact below 2^53 ns, about 104 days). */
export function diffNanos(aMs: number, aNs: number, bMs: number, bNs: number): number {
  return (bMs - aMs) * NS_PER_MS + (bNs - aNs);
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
