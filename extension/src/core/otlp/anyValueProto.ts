// KeyValue / AnyValue in protobuf: one walk that checks the bytes and, when asked, builds the model's plain
// values. The ingest validates the attributes that stay encoded without building them (`skip*`); details and
// indexed attributes build them (`read*`). One walk, so the two cannot disagree about what is valid.
import { type AnyValue, type KeyValue } from '../model/anyValue';
import { AnyValueTag, ArrayValueTag, KeyValueListTag, KeyValueTag, OTLP_MESSAGES, otherField } from './otlpFields';
import { type ProtoReader, int64 } from './protoReader';

/** Decodes a KeyValue message ending at `end`. */
export function readKeyValue(r: ProtoReader, end: number, depth: number): KeyValue {
  return keyValue(r, end, depth, true)!;
}

/** Decodes an AnyValue message ending at `end`; leaves r.pos at `end`. */
export function readAnyValue(r: ProtoReader, end: number, depth: number): AnyValue {
  return anyValue(r, end, depth, true);
}

/** Checks a KeyValue message as readKeyValue would, without building it. */
export function skipKeyValue(r: ProtoReader, end: number, depth: number): void {
  keyValue(r, end, depth, false);
}

/** Checks an AnyValue message as readAnyValue would, without building it. */
export function skipAnyValue(r: ProtoReader, end: number, depth: number): void {
  anyValue(r, end, depth, false);
}

/** Decodes `repeated KeyValue` occurrences appended to `out` (one call per occurrence). */
export function pushKeyValue(r: ProtoReader, end: number, depth: number, out: KeyValue[]): void {
  const stop = r.readLengthEnd(end);
  out.push(readKeyValue(r, stop, depth));
  r.pos = stop;
}

function keyValue(r: ProtoReader, end: number, depth: number, build: boolean): KeyValue | undefined {
  let key = '';
  let value: AnyValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    if (tag === KeyValueTag.key) {
      const stop = r.readLengthEnd(end);
      if (build) key = r.string(r.pos, stop);
      r.pos = stop;
    } else if (tag === KeyValueTag.value) {
      const stop = r.readLengthEnd(end);
      value = anyValue(r, stop, depth, build);
    } else otherField(r, OTLP_MESSAGES.KeyValue, tag, end, depth, at);
  }
  return build ? { key, value } : undefined;
}

function anyValue(r: ProtoReader, end: number, depth: number, build: boolean): AnyValue {
  let value: AnyValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case AnyValueTag.stringValue: {
        const stop = r.readLengthEnd(end);
        if (build) value = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case AnyValueTag.boolValue:
        r.readVarint64(end);
        value = r.lo !== 0 || r.hi !== 0;
        break;
      case AnyValueTag.intValue:
        r.readVarint64(end);
        if (build) value = int64(r.lo, r.hi);
        break;
      case AnyValueTag.doubleValue:
        value = r.readDouble(end);
        break;
      case AnyValueTag.arrayValue:
      case AnyValueTag.kvlistValue: {
        if (depth <= 0) r.fail('attribute value nested too deeply', at);
        const stop = r.readLengthEnd(end);
        const array = tag === AnyValueTag.arrayValue;
        const items: (AnyValue | KeyValue)[] | undefined = build ? [] : undefined;
        // ArrayValue and KeyValueList both hold only `repeated … values = 1`.
        const itemTag = array ? ArrayValueTag.values : KeyValueListTag.values;
        while (r.pos < stop) {
          const at2 = r.pos;
          const t = r.readVarint32(stop);
          if (t === itemTag) {
            const s = r.readLengthEnd(stop);
            const item = array ? anyValue(r, s, depth - 1, build) : keyValue(r, s, depth - 1, build);
            items?.push(item!);
            r.pos = s;
          } else otherField(r, array ? OTLP_MESSAGES.ArrayValue : OTLP_MESSAGES.KeyValueList, t, stop, depth, at2);
        }
        if (items !== undefined) value = array ? (items as AnyValue[]) : { kvlist: items as KeyValue[] };
        break;
      }
      case AnyValueTag.bytesValue: {
        const stop = r.readLengthEnd(end);
        if (build) {
          // A copy, as a plain Uint8Array: the value must not pin the request body nor be a Buffer.
          value = new Uint8Array(stop - r.pos);
          value.set(r.buf.subarray(r.pos, stop));
        }
        r.pos = stop;
        break;
      }
      default:
        otherField(r, OTLP_MESSAGES.AnyValue, tag, end, depth, at);
    }
  }
  return value;
}
