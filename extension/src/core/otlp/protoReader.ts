// Protobuf wire-format reading over a Uint8Array, by hand: no objects are made for what is skipped, and
// every length is checked against its enclosing message so truncated or hostile input fails with
// OtlpDecodeError instead of reading out of bounds.
import { OtlpDecodeError } from './decodeError';

/**
 * Protobuf wire types. An enum, not constants: esbuild inlines an enum member's value where it is used (also
 * across modules when bundling), so a compare against one is a compare against an immediate.
 */
export enum WireType {
  Varint = 0,
  I64 = 1,
  Len = 2,
  StartGroup = 3,
  EndGroup = 4,
  I32 = 5,
}

const utf8 = new TextDecoder('utf-8');

// Node's native slicers (Buffer.prototype.hexSlice / latin1Slice, what buf.toString('hex'|'latin1', s, e)
// calls after its argument checks): one flat string in one allocation. A JS loop of `s += ...` makes a rope of
// one ConsString per step, which a store that keeps the span then keeps alive too.
interface NativeSlicers {
  hexSlice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** A Buffer over the same memory as `bytes` (no copy). */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// Interning of short ASCII strings (span names, attribute keys and values, scope names): they repeat across
// spans and requests, so a span that is kept does not keep its own copy. A direct-mapped table: the slot is a
// hash of the bytes, a hit is checked byte by byte, a miss replaces the slot. Bounded memory, no Map.
const INTERN_MAX = 48;
const INTERN_SLOTS = 8192;
const internBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX);
const internView = new DataView(internBytes.buffer);
const internLen = new Int32Array(INTERN_SLOTS).fill(-1);
const internStr: string[] = new Array<string>(INTERN_SLOTS).fill('');
// Little-endian reinterpretation of 8 bytes as a double without a DataView per call (all Node targets are LE).
const scratchDouble = new Float64Array(1);
const scratchBytes = new Uint8Array(scratchDouble.buffer);

/**
 * Whether n bytes at a[aAt] equal those at b[bAt], four at a time. The decoder's caches (strings, keys,
 * attributes) compare every entry they hit: word reads take a quarter of the loop turns.
 */
export function sameBytes(a: DataView, aAt: number, b: DataView, bAt: number, n: number): boolean {
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getInt32(aAt + i) !== b.getInt32(bAt + i)) return false;
  for (; i < n; i++) if (a.getUint8(aAt + i) !== b.getUint8(bAt + i)) return false;
  return true;
}

export class ProtoReader {
  pos = 0;
  /** Low and high 32 bits of the last readVarint64 / readFixed64. */
  lo = 0;
  hi = 0;

  /** The same bytes as a Buffer, for Node's native string slicers. */
  readonly nb: Buffer & NativeSlicers;
  /** And as a DataView, for word-wise comparisons (sameBytes). */
  readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.nb = bufferView(buf) as Buffer & NativeSlicers;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(message: string, at = this.pos): never {
    throw new OtlpDecodeError(message, at);
  }

  /** A varint as uint32 (higher bits are dropped, as protobuf does for 32-bit fields). */
  readVarint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < end) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** A varint as 64 bits into lo/hi. */
  readVarint64(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint');
      const b = buf[pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (i * 7);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (i * 7 - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    this.fail('varint longer than 10 bytes');
  }

  readFixed32(end: number): number {
    const p = this.pos;
    if (p + 4 > end) this.fail('truncated fixed32');
    const b = this.buf;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  readFixed64(end: number): void {
    this.lo = this.readFixed32(end);
    this.hi = this.readFixed32(end);
  }

  readDouble(end: number): number {
    const p = this.pos;
    if (p + 8 > end) this.fail('truncated double');
    this.pos = p + 8;
    const b = this.buf;
    for (let i = 0; i < 8; i++) scratchBytes[i] = b[p + i]!;
    return scratchDouble[0]!;
  }

  /** Reads a length prefix and returns the end offset of the field, checked against `end`. */
  readLengthEnd(end: number): number {
    const len = this.readVarint32(end);
    const stop = this.pos + len;
    if (stop > end) this.fail(`length ${len} runs past the end of its message`);
    return stop;
  }

  /**
   * UTF-8 text of buf[start, stop). Invalid sequences become U+FFFD (lenient, as most OTLP receivers are).
   * Short ASCII strings are interned (see above); others are decoded natively.
   */
  string(start: number, stop: number): string {
    const n = stop - start;
    if (n === 0) return '';
    if (n > INTERN_MAX) return utf8.decode(this.buf.subarray(start, stop));
    const buf = this.buf;
    // The slot hashes the length and five sampled bytes; a hit is decided by comparing all bytes (an entry is
    // ASCII, so equal bytes are ASCII). Only a miss reads every byte one by one.
    let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
    h = Math.imul(h ^ buf[start]!, 0x01000193);
    h = Math.imul(h ^ buf[start + (n >>> 2)]!, 0x01000193);
    h = Math.imul(h ^ buf[start + (n >>> 1)]!, 0x01000193);
    h = Math.imul(h ^ buf[stop - 1 - (n >>> 2)]!, 0x01000193);
    h = Math.imul(h ^ buf[stop - 1]!, 0x01000193);
    const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
    const base = slot * INTERN_MAX;
    if (internLen[slot] === n && sameBytes(this.view, start, internView, base, n)) return internStr[slot]!;
    for (let i = start; i < stop; i++) if (buf[i]! >= 0x80) return utf8.decode(buf.subarray(start, stop));
    const s = this.nb.latin1Slice(start, stop);
    internLen[slot] = n;
    internStr[slot] = s;
    internBytes.set(buf.subarray(start, stop), base);
    return s;
  }

  /** Lowercase hex of buf[start, stop). */
  hex(start: number, stop: number): string {
    return this.nb.hexSlice(start, stop);
  }

  /** Skips one field's value of the given wire type; `depth` bounds group nesting. */
  skip(wireType: number, end: number, field: number, depth: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.readVarint64(end);
        return;
      case WireType.I64:
        if (this.pos + 8 > end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case WireType.Len:
        this.pos = this.readLengthEnd(end);
        return;
      case WireType.I32:
        if (this.pos + 4 > end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      case WireType.StartGroup: {
        if (depth <= 0) this.fail('groups nested too deeply');
        for (;;) {
          if (this.pos >= end) this.fail('unterminated group');
          const tag = this.readVarint32(end);
          const wt = tag & 7;
          if (wt === WireType.EndGroup) {
            if (tag >>> 3 !== field) this.fail('mismatched end group');
            return;
          }
          this.checkField(tag);
          this.skip(wt, end, tag >>> 3, depth - 1);
        }
      }
      default:
        this.fail(`invalid wire type ${wireType}`);
    }
  }

  /** Rejects field number 0 and wire types 6/7 and stray end-groups, which no valid message contains. */
  checkField(tag: number): void {
    const wt = tag & 7;
    if (tag >>> 3 === 0) this.fail('field number 0');
    if (wt === 6 || wt === 7 || wt === WireType.EndGroup) this.fail(`invalid wire type ${wt}`);
  }

  wrongType(message: string, field: number, wireType: number, at: number): never {
    return this.fail(`${message} field ${field} has wire type ${wireType}`, at);
  }
}

/** The signed int64 of lo/hi as a bigint. */
export function int64(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
}

// 2^32 = 4294 * 1e6 + 967296: splitting hi*2^32 this way keeps every intermediate below 2^53, so the
// (ms, sub-ms ns) pair of a uint64 is computed exactly with doubles alone.
/** Whole milliseconds of the uint64 nanoseconds lo/hi. */
export function nanosToMs(lo: number, hi: number): number {
  const x = hi * 967296 + lo;
  return hi * 4294 + (x - (x % 1_000_000)) / 1_000_000;
}

/** Nanoseconds within the millisecond of lo/hi. */
export function nanosSubMs(lo: number, hi: number): number {
  return (hi * 967296 + lo) % 1_000_000;
}
