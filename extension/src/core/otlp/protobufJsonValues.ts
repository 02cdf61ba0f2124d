// KeyValue and AnyValue messages (protobuf) -> OTLP/JSON text, walking the bytes: the values half of the
// request line writer (protobufJsonLine.ts), which extends this class with the envelopes and spans. Values and
// strings larger than LARGE are written in steps (a piece of a string, an item of an array at a time); the rest
// in one go. The text is what jsonEncoder.ts makes of the values the decoder (anyValueProto.ts) reads from the
// same bytes: the last field of the AnyValue oneof wins, as do the last key and value of a KeyValue.
import { DEFAULT_DECODE_LIMITS } from './decodeError';
import { JSON_ESCAPE_GROWTH, type JsonChunks, StringKind, ascii, stringKind } from './jsonChunks';
import { AnyValueTag, ArrayValueTag, KeyValueListTag, KeyValueTag, OTLP_MESSAGES, otherField } from './otlpFields';
import { ProtoReader, bufferView, int64 } from './protoReader';

export interface JsonLineOptions {
  /** The AnyValue nesting limit the body was decoded with (the walk refuses deeper values as the decoder did). */
  readonly maxValueDepth?: number;
  /**
   * Yield after about this many bytes of the body were written (generator form). Default 4 KiB: a yield costs
   * about 0.1 us, and while V8 still runs the walk unoptimized (the first request of a process) 64 KiB took
   * 20-70 ms; the caller reads the clock at each yield and takes a turn of the loop when its slice is up.
   */
  readonly sliceBytes?: number;
}

/** Spans and values larger than this are written in steps. */
export const LARGE = 64 * 1024;
/** A step of a large string, and of a large bytes value (a multiple of 3, so the base64 pieces join). */
const STRING_PIECE = 64 * 1024;
const BYTES_PIECE = 3 * 32 * 1024;

const L = {
  key: ascii('{"key":'),
  value: ascii(',"value":'),
  emptyValue: ascii('{}'),
  stringValue: ascii('{"stringValue":'),
  boolTrue: ascii('{"boolValue":true}'),
  boolFalse: ascii('{"boolValue":false}'),
  intValue: ascii('{"intValue":"'),
  doubleValue: ascii('{"doubleValue":'),
  bytesValue: ascii('{"bytesValue":"'),
  arrayValue: ascii('{"arrayValue":{"values":['),
  kvlistValue: ascii('{"kvlistValue":{"values":['),
  valuesEnd: ascii(']}}'),
  quoteBrace: ascii('"}'),
} as const;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

export class ValueWriter {
  protected readonly r: ProtoReader;
  protected readonly src: Buffer;
  private readonly view: DataView;
  protected readonly depth: number;
  protected readonly sliceBytes: number;
  /** Bytes of the body written since the last yield. */
  private work = 0;

  constructor(
    body: Uint8Array,
    protected readonly out: JsonChunks,
    options: JsonLineOptions,
  ) {
    this.r = new ProtoReader(body);
    this.src = bufferView(body);
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    this.depth = options.maxValueDepth ?? DEFAULT_DECODE_LIMITS.maxValueDepth;
    this.sliceBytes = options.sliceBytes ?? 4 * 1024;
  }

  /** Counts `n` bytes of work; true when a slice is full (the caller yields). */
  protected worked(n: number): boolean {
    this.work += n;
    if (this.work < this.sliceBytes) return false;
    this.work = 0;
    return true;
  }

  /** The KeyValue messages in field `tag` of the message [begin, end), comma-separated, in one go. */
  protected keyValuesSmall(begin: number, end: number, tag: number, depth: number): void {
    const r = this.r;
    r.pos = begin;
    let n = 0;
    while (r.pos < end) {
      const t = r.readVarint32(end);
      if (t !== tag) {
        r.skip(t & 7, end, t >>> 3, this.depth);
        continue;
      }
      const stop = r.readLengthEnd(end);
      if (n++ > 0) this.out.byte(COMMA);
      this.keyValueSmall(r.pos, stop, depth);
      r.pos = stop;
    }
  }

  /** The same in steps: a slice at a time, each KeyValue larger than LARGE in steps of its own. */
  protected *keyValues(begin: number, end: number, tag: number): Generator<void, void, void> {
    const r = this.r;
    r.pos = begin;
    let n = 0;
    while (r.pos < end) {
      const t = r.readVarint32(end);
      if (t !== tag) {
        r.skip(t & 7, end, t >>> 3, this.depth);
        continue;
      }
      const stop = r.readLengthEnd(end);
      const start = r.pos;
      if (n++ > 0) this.out.byte(COMMA);
      if (stop - start <= LARGE) this.keyValueSmall(start, stop, this.depth);
      else yield* this.keyValueLarge(start, stop, this.depth);
      r.pos = stop;
      if (this.worked(stop - start + 8)) yield;
    }
  }

  // The key's range and the value's of the KeyValue just scanned (the last of each; valueStart -1 for no value).
  private keyStart = 0;
  private keyStop = 0;
  private kvValueStart = -1;
  private kvValueStop = -1;

  private scanKeyValue(begin: number, end: number, depth: number): void {
    const r = this.r;
    r.pos = begin;
    this.keyStart = this.keyStop = 0;
    this.kvValueStart = this.kvValueStop = -1;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.readVarint32(end);
      if (tag === KeyValueTag.key) {
        this.keyStop = r.readLengthEnd(end);
        this.keyStart = r.pos;
        r.pos = this.keyStop;
      } else if (tag === KeyValueTag.value) {
        this.kvValueStop = r.readLengthEnd(end);
        this.kvValueStart = r.pos;
        r.pos = this.kvValueStop;
      } else otherField(r, OTLP_MESSAGES.KeyValue, tag, end, depth, at);
    }
  }

  private keyValueSmall(begin: number, end: number, depth: number): void {
    this.scanKeyValue(begin, end, depth);
    const out = this.out;
    const valueStart = this.kvValueStart;
    const valueStop = this.kvValueStop;
    out.bytes(L.key);
    out.string(this.src, this.keyStart, this.keyStop);
    out.bytes(L.value);
    if (valueStart < 0) out.bytes(L.emptyValue);
    else this.anyValueSmall(valueStart, valueStop, depth);
    out.byte(CLOSE_BRACE);
    this.r.pos = end;
  }

  private *keyValueLarge(begin: number, end: number, depth: number): Generator<void, void, void> {
    this.scanKeyValue(begin, end, depth);
    const { keyStart, keyStop, kvValueStart: valueStart, kvValueStop: valueStop } = this;
    const out = this.out;
    out.bytes(L.key);
    yield* this.string(keyStart, keyStop);
    out.bytes(L.value);
    if (valueStart < 0) out.bytes(L.emptyValue);
    else yield* this.anyValueLarge(valueStart, valueStop, depth);
    out.byte(CLOSE_BRACE);
    this.r.pos = end;
  }

  // The AnyValue oneof: the last of its fields wins, as in the decoder's readAnyValue.
  private valueTag = 0;
  private valueStart = 0;
  private valueStop = 0;

  private scanAnyValue(begin: number, end: number, depth: number): void {
    const r = this.r;
    r.pos = begin;
    let last = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.readVarint32(end);
      switch (tag) {
        case AnyValueTag.stringValue:
        case AnyValueTag.bytesValue:
        case AnyValueTag.arrayValue:
        case AnyValueTag.kvlistValue: {
          if ((tag === AnyValueTag.arrayValue || tag === AnyValueTag.kvlistValue) && depth <= 0) r.fail('attribute value nested too deeply', at);
          const stop = r.readLengthEnd(end);
          last = tag;
          this.valueStart = r.pos;
          this.valueStop = stop;
          r.pos = stop;
          break;
        }
        case AnyValueTag.boolValue:
        case AnyValueTag.intValue:
          r.readVarint64(end);
          last = tag;
          this.valueStart = r.lo;
          this.valueStop = r.hi;
          break;
        case AnyValueTag.doubleValue:
          if (r.pos + 8 > end) r.fail('truncated double');
          last = tag;
          this.valueStart = r.pos;
          r.pos += 8;
          break;
        default:
          otherField(r, OTLP_MESSAGES.AnyValue, tag, end, depth, at);
      }
    }
    this.valueTag = last;
  }

  /** A scalar value (or none), or false for a string, bytes, array or kvlist, which the caller writes. */
  private scalarValue(): boolean {
    const out = this.out;
    switch (this.valueTag) {
      case 0:
        out.bytes(L.emptyValue);
        return true;
      case AnyValueTag.boolValue:
        out.bytes(this.valueStart !== 0 || this.valueStop !== 0 ? L.boolTrue : L.boolFalse);
        return true;
      case AnyValueTag.intValue: {
        const lo = this.valueStart;
        const hi = this.valueStop;
        out.bytes(L.intValue);
        // Below 2^53 a double holds it exactly; beyond (and negative values), BigInt does the digits.
        if (hi < 0x200000) out.uint(hi * 4294967296 + lo);
        else out.latin1(int64(lo, hi).toString());
        out.bytes(L.quoteBrace);
        return true;
      }
      case AnyValueTag.doubleValue: {
        const v = this.view.getFloat64(this.valueStart, true);
        out.bytes(L.doubleValue);
        // JSON numbers cannot say -0, NaN or ±Infinity: the encoder writes those as strings (jsonEncoder.ts).
        if (Number.isFinite(v) && !Object.is(v, -0)) out.latin1(String(v));
        else {
          out.byte(QUOTE);
          out.latin1(Object.is(v, -0) ? '-0' : String(v));
          out.byte(QUOTE);
        }
        out.byte(CLOSE_BRACE);
        return true;
      }
      default:
        return false;
    }
  }

  private anyValueSmall(begin: number, end: number, depth: number): void {
    this.scanAnyValue(begin, end, depth);
    if (this.scalarValue()) return;
    const out = this.out;
    const tag = this.valueTag;
    const start = this.valueStart;
    const stop = this.valueStop;
    if (tag === AnyValueTag.stringValue) {
      out.bytes(L.stringValue);
      out.string(this.src, start, stop);
      out.byte(CLOSE_BRACE);
    } else if (tag === AnyValueTag.bytesValue) {
      out.bytes(L.bytesValue);
      out.base64(this.src, start, stop);
      out.bytes(L.quoteBrace);
    } else {
      const array = tag === AnyValueTag.arrayValue;
      out.bytes(array ? L.arrayValue : L.kvlistValue);
      // ArrayValue and KeyValueList both hold only `repeated … values = 1`.
      const r = this.r;
      r.pos = start;
      let n = 0;
      while (r.pos < stop) {
        const at = r.pos;
        const t = r.readVarint32(stop);
        if (t !== (array ? ArrayValueTag.values : KeyValueListTag.values)) {
          otherField(r, array ? OTLP_MESSAGES.ArrayValue : OTLP_MESSAGES.KeyValueList, t, stop, depth, at);
          continue;
        }
        const s = r.readLengthEnd(stop);
        if (n++ > 0) out.byte(COMMA);
        if (array) this.anyValueSmall(r.pos, s, depth - 1);
        else this.keyValueSmall(r.pos, s, depth - 1);
        r.pos = s;
      }
      out.bytes(L.valuesEnd);
    }
    this.r.pos = end;
  }

  private *anyValueLarge(begin: number, end: number, depth: number): Generator<void, void, void> {
    this.scanAnyValue(begin, end, depth);
    if (this.scalarValue()) return;
    const out = this.out;
    const r = this.r;
    const tag = this.valueTag;
    const start = this.valueStart;
    const stop = this.valueStop;
    if (tag === AnyValueTag.stringValue) {
      out.bytes(L.stringValue);
      yield* this.string(start, stop);
      out.byte(CLOSE_BRACE);
    } else if (tag === AnyValueTag.bytesValue) {
      out.bytes(L.bytesValue);
      for (let p = start; p < stop; p += BYTES_PIECE) {
        out.base64(this.src, p, Math.min(stop, p + BYTES_PIECE));
        if (this.worked(BYTES_PIECE)) yield;
      }
      out.bytes(L.quoteBrace);
    } else {
      const array = tag === AnyValueTag.arrayValue;
      out.bytes(array ? L.arrayValue : L.kvlistValue);
      r.pos = start;
      let n = 0;
      while (r.pos < stop) {
        const at = r.pos;
        const t = r.readVarint32(stop);
        if (t !== (array ? ArrayValueTag.values : KeyValueListTag.values)) {
          otherField(r, array ? OTLP_MESSAGES.ArrayValue : OTLP_MESSAGES.KeyValueList, t, stop, depth, at);
          continue;
        }
        const s = r.readLengthEnd(stop);
        const itemStart = r.pos;
        if (n++ > 0) out.byte(COMMA);
        if (s - itemStart <= LARGE) {
          if (array) this.anyValueSmall(itemStart, s, depth - 1);
          else this.keyValueSmall(itemStart, s, depth - 1);
        } else if (array) yield* this.anyValueLarge(itemStart, s, depth - 1);
        else yield* this.keyValueLarge(itemStart, s, depth - 1);
        r.pos = s;
        if (this.worked(s - itemStart + 4)) yield;
      }
      out.bytes(L.valuesEnd);
    }
    r.pos = end;
  }

  /** A JSON string of src[start, stop) with its quotes; a long one a piece at a time. */
  protected *string(start: number, stop: number): Generator<void, void, void> {
    const out = this.out;
    const src = this.src;
    if (stop - start <= LARGE) {
      out.string(src, start, stop);
      return;
    }
    const kind = stringKind(src, start, stop);
    out.byte(QUOTE);
    if (kind === StringKind.Invalid) {
      // Decoded as the decoders decode it (TextDecoder), in pieces: a streaming decoder carries a sequence cut
      // between two pieces over to the next.
      const decoder = new TextDecoder('utf-8');
      for (let p = start; p < stop; p += STRING_PIECE) {
        const last = p + STRING_PIECE >= stop;
        const text = decoder.decode(src.subarray(p, Math.min(stop, p + STRING_PIECE)), { stream: !last });
        const json = JSON.stringify(text);
        out.text(json.slice(1, -1));
        if (this.worked(STRING_PIECE * JSON_ESCAPE_GROWTH)) yield;
      }
    } else {
      for (let p = kind === StringKind.Bom ? start + 3 : start; p < stop; p += STRING_PIECE) {
        out.stringPiece(src, p, Math.min(stop, p + STRING_PIECE));
        if (this.worked(STRING_PIECE)) yield;
      }
    }
    out.byte(QUOTE);
  }
}
