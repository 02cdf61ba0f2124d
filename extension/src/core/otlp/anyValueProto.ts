// KeyValue / AnyValue in protobuf: a decoder that builds the model's plain values, and a validator that walks
// the same bytes without making anything, used at ingest for the attributes that stay encoded. Both take their
// tags from otlpFields.ts and leave every other field to `otherField`, so they accept and reject the same bytes.
// They stay two walks rather than one with a "build" flag (as do the event and link walks in protobufDecoder.ts):
// V8 then compiles one function for both uses, and merged walks cost span details 6% more instructions
// (cachegrind, details of 4096 receiver-benchmark spans) for under 1% fewer at ingest.
import { type AnyValue, type KeyValue } from '../model/anyValue';
import { AnyValueTag, ArrayValueTag, KeyValueListTag, KeyValueTag, OTLP_MESSAGES, otherField } from './otlpFields';
import { type ProtoReader, WireType, int64 } from './protoReader';

/** Decodes a KeyValue message ending at `end`. */
export function readKeyValue(r: ProtoReader, end: number, depth: number): KeyValue {
  let key = '';
  let value: AnyValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    if (tag === KeyValueTag.key) {
      const stop = r.readLengthEnd(end);
      key = r.string(r.pos, stop);
      r.pos = stop;
    } else if (tag === KeyValueTag.value) {
      const stop = r.readLengthEnd(end);
      value = readAnyValue(r, stop, depth);
    } else otherField(r, OTLP_MESSAGES.KeyValue, tag, end, depth, at);
  }
  return { key, value };
}

/** Decodes an AnyValue message ending at `end`; leaves r.pos at `end`. */
export function readAnyValue(r: ProtoReader, end: number, depth: number): AnyValue {
  let value: AnyValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case AnyValueTag.stringValue: {
        const stop = r.readLengthEnd(end);
        value = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case AnyValueTag.boolValue:
        r.readVarint64(end);
        value = r.lo !== 0 || r.hi !== 0;
        break;
      case AnyValueTag.intValue:
        r.readVarint64(end);
        value = int64(r.lo, r.hi);
        break;
      case AnyValueTag.doubleValue:
        value = r.readDouble(end);
        break;
      case AnyValueTag.arrayValue:
      case AnyValueTag.kvlistValue: {
        if (depth <= 0) r.fail('attribute value nested too deeply', at);
        const stop = r.readLengthEnd(end);
        const array = tag === AnyValueTag.arrayValue;
        const items: (AnyValue | KeyValue)[] = [];
        // ArrayValue and KeyValueList both hold only `repeated … values = 1`.
        const itemTag = array ? ArrayValueTag.values : KeyValueListTag.values;
        while (r.pos < stop) {
          const at2 = r.pos;
          const t = r.readVarint32(stop);
          if (t === itemTag) {
            const s = r.readLengthEnd(stop);
            items.push(array ? readAnyValue(r, s, depth - 1) : readKeyValue(r, s, depth - 1));
            r.pos = s;
          } else otherField(r, array ? OTLP_MESSAGES.ArrayValue : OTLP_MESSAGES.KeyValueList, t, stop, depth, at2);
        }
        value = array ? (items as AnyValue[]) : { kvlist: items as KeyValue[] };
        break;
      }
      case AnyValueTag.bytesValue: {
        const stop = r.readLengthEnd(end);
        // A copy, as a plain Uint8Array: the value must not pin the request body nor be a Buffer.
        value = new Uint8Array(stop - r.pos);
        value.set(r.buf.subarray(r.pos, stop));
        r.pos = stop;
        break;
      }
      default:
        otherField(r, OTLP_MESSAGES.AnyValue, tag, end, depth, at);
    }
  }
  return value;
}

/** Checks a KeyValue message as readKeyValue would, without building it. */
export function skipKeyValue(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    if (tag === KeyValueTag.key) r.pos = r.readLengthEnd(end);
    else if (tag === KeyValueTag.value) {
      const stop = r.readLengthEnd(end);
      skipAnyValue(r, stop, depth);
    } else otherField(r, OTLP_MESSAGES.KeyValue, tag, end, depth, at);
  }
}

/** Checks an AnyValue message as readAnyValue would, without building it. */
export function skipAnyValue(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case AnyValueTag.stringValue:
      case AnyValueTag.bytesValue:
        r.pos = r.readLengthEnd(end);
        break;
      case AnyValueTag.boolValue:
      case AnyValueTag.intValue:
        r.readVarint64(end);
        break;
      case AnyValueTag.doubleValue:
        r.skip(WireType.I64, end, tag >>> 3, depth);
        break;
      case AnyValueTag.arrayValue:
      case AnyValueTag.kvlistValue: {
        if (depth <= 0) r.fail('attribute value nested too deeply', at);
        const stop = r.readLengthEnd(end);
        const array = tag === AnyValueTag.arrayValue;
        const itemTag = array ? ArrayValueTag.values : KeyValueListTag.values;
        while (r.pos < stop) {
          const at2 = r.pos;
          const t = r.readVarint32(stop);
          if (t === itemTag) {
            const s = r.readLengthEnd(stop);
            if (array) skipAnyValue(r, s, depth - 1);
            else skipKeyValue(r, s, depth - 1);
            r.pos = s;
          } else otherField(r, array ? OTLP_MESSAGES.ArrayValue : OTLP_MESSAGES.KeyValueList, t, stop, depth, at2);
        }
        break;
      }
      default:
        otherField(r, OTLP_MESSAGES.AnyValue, tag, end, depth, at);
    }
  }
}

/** Decodes `repeated KeyValue` occurrences appended to `out` (one call per occurrence). */
export function pushKeyValue(r: ProtoReader, end: number, depth: number, out: KeyValue[]): void {
  const stop = r.readLengthEnd(end);
  out.push(readKeyValue(r, stop, depth));
  r.pos = stop;
}
