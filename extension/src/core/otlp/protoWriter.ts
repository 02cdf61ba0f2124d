// Protobuf wire-format writing into one growing byte buffer, by hand: the OTLP/JSON transcoder writes every span
// of a JSON request through it (jsonTranscoder.ts), so it must not allocate per field. Nested messages get a
// one-byte length placeholder, and the rare message of 128 bytes or more is moved right once to make room for a
// longer length (most KeyValues are short; a span moves once).
import { WireType, bufferView } from './protoReader';

interface NativeWriter {
  utf8Write(s: string, offset: number, length: number): number;
}

const scratchDouble = new Float64Array(1);
const scratchBytes = new Uint8Array(scratchDouble.buffer);

export class ProtoWriter {
  buf: Uint8Array;
  private nb: Buffer & NativeWriter;
  pos = 0;

  constructor(capacity = 256) {
    // Not zero-filled: every byte is written before it is read.
    this.buf = Buffer.allocUnsafe(Math.max(16, capacity));
    this.nb = bufferView(this.buf) as Buffer & NativeWriter;
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.nb = bufferView(next) as Buffer & NativeWriter;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** A uint32 varint (callers ensure room for 5 bytes). */
  private v32(n: number): void {
    const b = this.buf;
    let p = this.pos;
    while (n > 0x7f) {
      b[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    b[p++] = n;
    this.pos = p;
  }

  tag(field: number, wireType: number): void {
    this.ensure(5);
    this.v32(((field << 3) | wireType) >>> 0);
  }

  /** A varint field of a uint32 value; a negative int32 (an enum) is written sign-extended to 64 bits. */
  uint32(field: number, n: number): void {
    if (n < 0) return this.varint64(field, n >>> 0, 0xffffffff);
    this.ensure(10);
    this.v32((field << 3) | WireType.Varint);
    this.v32(n >>> 0);
  }

  /** A varint field of the 64 bits lo/hi. */
  varint64(field: number, lo: number, hi: number): void {
    this.ensure(15);
    this.v32((field << 3) | WireType.Varint);
    const b = this.buf;
    let p = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 0x7f) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  /** An int64 varint field of a safe integer (a negative one as its 64-bit two's complement). */
  int64(field: number, n: number): void {
    const m = Math.abs(n);
    const mHi = Math.floor(m / 4294967296);
    const mLo = m - mHi * 4294967296;
    if (n >= 0) return this.varint64(field, mLo, mHi);
    // -m = ~m + 1 in 64 bits.
    const lo = (~mLo + 1) >>> 0;
    this.varint64(field, lo, (~mHi + (lo === 0 ? 1 : 0)) >>> 0);
  }

  /** An int64 varint field of any 64-bit value. */
  bigint64(field: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.varint64(field, Number(u & 0xffffffffn), Number(u >> 32n));
  }

  fixed32(field: number, v: number): void {
    this.ensure(9);
    this.v32((field << 3) | WireType.I32);
    this.raw32(v);
  }

  fixed64(field: number, lo: number, hi: number): void {
    this.ensure(13);
    this.v32((field << 3) | WireType.I64);
    this.raw32(lo);
    this.raw32(hi);
  }

  double(field: number, v: number): void {
    this.ensure(13);
    this.v32((field << 3) | WireType.I64);
    scratchDouble[0] = v;
    this.buf.set(scratchBytes, this.pos);
    this.pos += 8;
  }

  private raw32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v & 0xff;
    b[p + 1] = (v >>> 8) & 0xff;
    b[p + 2] = (v >>> 16) & 0xff;
    b[p + 3] = (v >>> 24) & 0xff;
    this.pos = p + 4;
  }

  /** A length-delimited field of UTF-8 text (lone surrogates become U+FFFD, as in every UTF-8 encoder). */
  string(field: number, s: string): void {
    const n = s.length;
    if (n < 43) {
      // At most 3 bytes per UTF-16 unit, so the length fits one byte: ASCII is copied by hand, the rest natively.
      this.ensure(6 + n * 3);
      this.v32((field << 3) | WireType.Len);
      const b = this.buf;
      const at = this.pos;
      let p = at + 1;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          p = at + 1 + this.nb.utf8Write(s, at + 1, n * 3);
          break;
        }
        b[p++] = c;
      }
      b[at] = p - at - 1;
      this.pos = p;
      return;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(10 + len);
    this.v32((field << 3) | WireType.Len);
    this.v32(len);
    this.pos += this.nb.utf8Write(s, this.pos, len);
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.ensure(10 + bytes.length);
    this.v32((field << 3) | WireType.Len);
    this.v32(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * A length-delimited field of src[start, end), copied without a subarray: short ranges (keys, names, values of
   * the one-pass JSON path) by hand, longer ones natively.
   */
  bytesFrom(field: number, src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.ensure(10 + n);
    this.v32((field << 3) | WireType.Len);
    this.v32(n);
    if (n <= 32) {
      const b = this.buf;
      let p = this.pos;
      for (let i = start; i < end; i++) b[p++] = src[i]!;
      this.pos = p;
    } else this.pos += src.copy(this.buf, this.pos, start, end);
  }

  /** Starts a nested message field; returns the mark to pass to `end`. */
  begin(field: number): number {
    this.ensure(6);
    this.v32((field << 3) | WireType.Len);
    this.buf[this.pos] = 0;
    return ++this.pos;
  }

  /** Ends the nested message started at `mark`, writing its length. */
  end(mark: number): void {
    const len = this.pos - mark;
    if (len < 0x80) {
      this.buf[mark - 1] = len;
      return;
    }
    const extra = len < 0x4000 ? 1 : len < 0x200000 ? 2 : len < 0x10000000 ? 3 : 4;
    this.ensure(extra);
    const b = this.buf;
    b.copyWithin(mark + extra, mark, this.pos);
    let p = mark - 1;
    let n = len;
    while (n > 0x7f) {
      b[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    b[p] = n;
    this.pos += extra;
  }
}
