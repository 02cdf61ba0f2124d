// JSON text written as bytes into fixed-size chunks that the caller takes as they fill: what the protobuf ->
// OTLP/JSON line writer (protobufJsonLine.ts) writes into. No string per value: literals, digits, hex ids and
// string contents go straight into the chunk, and a caller can hand full chunks to a file while the rest of a
// large request is still being written, so a 64 MiB request never becomes one 150 MB string (JSON.stringify's
// way) nor one buffer.
import { isAscii, isUtf8 } from 'node:buffer';

// Node's native Buffer methods behind buf.write / buf.toString, without their argument checks.
interface NativeBuffer {
  latin1Write(s: string, offset: number, length: number): number;
  utf8Write(s: string, offset: number, length: number): number;
  base64Slice(start: number, end: number): string;
}

/** Bytes JSON.stringify escapes: 1 = `\"` / `\\`, 2 = a short escape (\b \t \n \f \r), 3 = `\u00XX`. */
const ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESCAPE[b] = 3;
for (const b of [0x08, 0x09, 0x0a, 0x0c, 0x0d]) ESCAPE[b] = 2;
ESCAPE[0x22] = 1;
ESCAPE[0x5c] = 1;
const SHORT_ESCAPE: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', c => c.charCodeAt(0));
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Worst case growth of a string's bytes in JSON (`\u00XX` for one control byte). */
export const JSON_ESCAPE_GROWTH = 6;

/** An ASCII literal as bytes, made once (keys and punctuation of the writer). */
export const ascii = (s: string): Uint8Array => Uint8Array.from(s, c => c.charCodeAt(0));

// The decoders turn a protobuf string into text with this (TextDecoder drops a leading BOM and makes invalid
// UTF-8 U+FFFD); a string whose bytes are not valid UTF-8 goes through it so it reads the same as decoded.
const utf8 = new TextDecoder('utf-8');

/**
 * Chunks a caller is done with (written to the file), for the next JsonChunks to fill again: a 64 MiB request's
 * 150 MB of text then passes through a few chunks instead of leaving hundreds of dead ArrayBuffers for the
 * garbage collector (which showed as 50-110 MB more peak RSS and longer pauses).
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly chunkBytes = 256 * 1024,
    private readonly keep = 16,
  ) {}

  get(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.chunkBytes);
  }

  /** Gives back a chunk JsonChunks handed out (take() or takeAll()); larger or foreign buffers are left to the GC. */
  put(chunk: Uint8Array): void {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== this.chunkBytes || this.free.length >= this.keep) return;
    this.free.push(Buffer.from(chunk.buffer, 0, this.chunkBytes));
  }
}

const NO_CHUNK = Buffer.alloc(0);

export class JsonChunks {
  /** The chunk being written and the next free byte in it (the writer writes into them directly). */
  chunk: Buffer;
  pos = 0;
  private full: Buffer[] = [];
  private flushed = 0;
  private readonly chunkBytes: number;

  constructor(private readonly pool: ChunkPool = new ChunkPool()) {
    this.chunkBytes = pool.chunkBytes;
    this.chunk = pool.get();
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + this.pos;
  }

  /** Whether full chunks wait to be taken. */
  get hasFull(): boolean {
    return this.full.length > 0;
  }

  /** The full chunks, in order, handed over (the caller owns them). */
  take(): Buffer[] {
    const f = this.full;
    this.full = [];
    return f;
  }

  /** Everything not taken yet, the last chunk included: the end of the text (writing more starts a new chunk). */
  takeAll(): Buffer[] {
    if (this.pos > 0) {
      this.full.push(this.chunk.subarray(0, this.pos));
      this.flushed += this.pos;
    }
    this.chunk = NO_CHUNK;
    this.pos = 0;
    return this.take();
  }

  /** Makes room for `n` more bytes in the current chunk. */
  room(n: number): void {
    if (this.pos + n > this.chunk.length) this.next(n);
  }

  private next(n: number): void {
    if (this.pos > 0) {
      this.full.push(this.chunk.subarray(0, this.pos));
      this.flushed += this.pos;
      this.chunk = n > this.chunkBytes ? Buffer.allocUnsafe(n) : this.pool.get();
    } else if (this.chunk.length < Math.max(n, 1)) this.chunk = n > this.chunkBytes ? Buffer.allocUnsafe(n) : this.pool.get();
    this.pos = 0;
  }

  /** Literal bytes (short: keys and punctuation). */
  bytes(lit: Uint8Array): void {
    const n = lit.length;
    this.room(n);
    const c = this.chunk;
    let p = this.pos;
    for (let i = 0; i < n; i++) c[p++] = lit[i]!;
    this.pos = p;
  }

  byte(b: number): void {
    this.room(1);
    this.chunk[this.pos++] = b;
  }

  /** A non-negative integer below 2^53 in decimal. */
  uint(x: number): void {
    this.room(16);
    this.pos = writeDigits(this.chunk, this.pos, x);
  }

  /** A signed 32-bit integer in decimal. */
  int32(x: number): void {
    if (x < 0) {
      this.byte(0x2d);
      x = -x;
    }
    this.uint(x);
  }

  /** An ASCII string as it is (numbers, base64), no quotes added. */
  latin1(s: string): void {
    this.room(s.length);
    this.pos += (this.chunk as Buffer & NativeBuffer).latin1Write(s, this.pos, s.length);
  }

  /** Unix nanoseconds as (whole ms, ns within the ms), as the decimal of their sum: the digits of formatUnixNano. */
  nanos(ms: number, subMs: number): void {
    this.room(24);
    const c = this.chunk;
    let p = this.pos;
    if (ms === 0) p = writeDigits(c, p, subMs);
    else p = writePadded(c, writeDigits(c, p, ms), subMs, 6);
    this.pos = p;
  }

  /** Lowercase hex of src[start, stop), without quotes. */
  hex(src: Uint8Array, start: number, stop: number): void {
    this.room(2 * (stop - start));
    const c = this.chunk;
    let p = this.pos;
    for (let i = start; i < stop; i++) {
      const b = src[i]!;
      c[p++] = HEX_DIGITS[b >>> 4]!;
      c[p++] = HEX_DIGITS[b & 15]!;
    }
    this.pos = p;
  }

  /** Base64 of src[start, stop), without quotes; a caller splitting a long value cuts it at multiples of 3 bytes. */
  base64(src: Buffer, start: number, stop: number): void {
    this.latin1((src as Buffer & NativeBuffer).base64Slice(start, stop));
  }

  /**
   * The protobuf string src[start, stop) as a JSON string with its quotes, the same text JSON.stringify gives for
   * the string the decoders read from those bytes. Copied byte by byte, escaping only what JSON.stringify
   * escapes; the rare string with bytes above 0x7f that is not valid UTF-8 (or starts with a BOM) is written
   * again over the copy (room for all of it was made first, so the copy is still in this chunk).
   */
  string(src: Buffer, start: number, stop: number): void {
    this.room(JSON_ESCAPE_GROWTH * (stop - start) + 2);
    const begin = this.pos;
    const c = this.chunk;
    c[this.pos++] = 0x22;
    const high = this.copyEscaped(src, start, stop);
    c[this.pos++] = 0x22;
    if (high < 0x80) return;
    const kind = stringKind(src, start, stop);
    if (kind === StringKind.Plain) return;
    this.pos = begin;
    if (kind === StringKind.Invalid) this.text(JSON.stringify(utf8.decode(src.subarray(start, stop))));
    else {
      c[this.pos++] = 0x22;
      this.copyEscaped(src, start + 3, stop);
      c[this.pos++] = 0x22;
    }
  }

  /**
   * Part of a string's content that is valid UTF-8 as a whole (see stringKind), escaped, without quotes. A caller may
   * cut a long string anywhere: the bytes escaped are ASCII, which never occur inside a multi-byte sequence.
   */
  stringPiece(src: Uint8Array, start: number, stop: number): void {
    this.room(JSON_ESCAPE_GROWTH * (stop - start));
    this.copyEscaped(src, start, stop);
  }

  /** Copies src[start, stop) escaped (room made by the caller); returns the OR of its bytes (>= 0x80: not ASCII). */
  private copyEscaped(src: Uint8Array, start: number, stop: number): number {
    const c = this.chunk;
    let p = this.pos;
    let or = 0;
    for (let i = start; i < stop; i++) {
      const b = src[i]!;
      or |= b;
      const e = ESCAPE[b]!;
      if (e === 0) c[p++] = b;
      else {
        c[p++] = 0x5c;
        if (e === 1) c[p++] = b;
        else if (e === 2) c[p++] = SHORT_ESCAPE[b]!;
        else {
          c[p++] = 0x75;
          c[p++] = 0x30;
          c[p++] = 0x30;
          c[p++] = HEX_DIGITS[b >>> 4]!;
          c[p++] = HEX_DIGITS[b & 15]!;
        }
      }
    }
    this.pos = p;
    return or;
  }

  /** Any JS string as UTF-8 (already JSON text: a caller's JSON.stringify). */
  text(s: string): void {
    this.room(3 * s.length);
    this.pos += (this.chunk as Buffer & NativeBuffer).utf8Write(s, this.pos, this.chunk.length - this.pos);
  }
}

export enum StringKind {
  /** Valid UTF-8 without a leading BOM: copied as it is. */
  Plain,
  /** Valid UTF-8 after a BOM, which the decoders drop. */
  Bom,
  /** Not valid UTF-8: the decoders' replacement characters are needed. */
  Invalid,
}

/** What writing src[start, stop) as a JSON string needs (see JsonChunks.string). */
export function stringKind(src: Buffer, start: number, stop: number): StringKind {
  const bytes = src.subarray(start, stop);
  if (isAscii(bytes)) return StringKind.Plain;
  if (!isUtf8(bytes)) return StringKind.Invalid;
  return stop - start >= 3 && src[start] === UTF8_BOM[0] && src[start + 1] === UTF8_BOM[1] && src[start + 2] === UTF8_BOM[2] ? StringKind.Bom : StringKind.Plain;
}

/** Writes the decimal digits of an integer 0 <= x < 2^53 at c[p]; returns the position after them. */
function writeDigits(c: Uint8Array, p: number, x: number): number {
  if (x < 1e9) return writeSmall(c, p, x);
  // Two parts that int32 arithmetic handles (a time in ms has 13 digits): the high digits, then 9 padded.
  const high = Math.floor(x / 1e9);
  p = writeSmall(c, p, high);
  return writePadded(c, p, x - high * 1e9, 9);
}

/** The digits of 0 <= x < 1e9 (int32 division, which is cheaper than Math.floor on doubles). */
function writeSmall(c: Uint8Array, p: number, x: number): number {
  let digits = 1;
  for (let t = x; t >= 10; t = (t / 10) | 0) digits++;
  return writePadded(c, p, x, digits);
}

/** The last `digits` digits of 0 <= x < 1e9, zero-padded. */
function writePadded(c: Uint8Array, p: number, x: number, digits: number): number {
  let t = x | 0;
  for (let q = p + digits - 1; q >= p; q--) {
    const next = (t / 10) | 0;
    c[q] = 0x30 + t - next * 10;
    t = next;
  }
  return p + digits;
}
