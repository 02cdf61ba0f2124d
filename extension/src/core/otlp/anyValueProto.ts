// KeyValue / AnyValue in protobuf: a decoder that builds the model's plain values, and a validator that walks
// the same bytes without making anything, used at ingest for the attributes that stay encoded.
import { type AnyValue, type KeyValue } from '../model/anyValue';
import { type ProtoReader, WIRE_I64, WIRE_LEN, WIRE_VARINT, int64 } from './protoReader';

/** Decodes a KeyValue message ending at `end`. */
export function readKeyValue(r: ProtoReader, end: number, depth: number): KeyValue {
  let key = '';
  let value: AnyValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      if (wt !== WIRE_LEN) r.wrongType('KeyValue', field, wt, at);
      const stop = r.readLengthEnd(end);
      key = r.string(r.pos, stop);
      r.pos = stop;
    } else if (field === 2) {
      if (wt !== WIRE_LEN) r.wrongType('KeyValue', field, wt, at);
      const stop = r.readLengthEnd(end);
      value = readAnyValue(r, stop, depth);
    } else {
      r.checkField(tag);
      r.skip(wt, end, field, depth);
    }
  }
  return { key, value };
}

/** Decodes an AnyValue message ending at `end`; leaves r.pos at `end`. */
export function readAnyValue(r: ProtoReader, end: number, depth: number): AnyValue {
  let value: AnyValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1: {
        if (wt !== WIRE_LEN) r.wrongType('AnyValue', field, wt, at);
        const stop = r.readLengthEnd(end);
        value = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case 2:
        if (wt !== WIRE_VARINT) r.wrongType('AnyValue', field, wt, at);
        r.readVarint64(end);
        value = r.lo !== 0 || r.hi !== 0;
        break;
      case 3:
        if (wt !== WIRE_VARINT) r.wrongType('AnyValue', field, wt, at);
        r.readVarint64(end);
        value = int64(r.lo, r.hi);
        break;
      case 4:
        if (wt !== WIRE_I64) r.wrongType('AnyValue', field, wt, at);
        value = r.readDouble(end);
        break;
      case 5:
      case 6: {
        if (wt !== WIRE_LEN) r.wrongType('AnyValue', field, wt, at);
        if (depth <= 0) r.fail('attribute value nested too deeply', at);
        const stop = r.readLengthEnd(end);
        const items: (AnyValue | KeyValue)[] = [];
        // ArrayValue and KeyValueList both hold `repeated ... values = 1`.
        while (r.pos < stop) {
          const at2 = r.pos;
          const t = r.readVarint32(stop);
          if (t >>> 3 === 1) {
            if ((t & 7) !== WIRE_LEN) r.wrongType(field === 5 ? 'ArrayValue' : 'KeyValueList', 1, t & 7, at2);
            const s = r.readLengthEnd(stop);
            items.push(field === 5 ? readAnyValue(r, s, depth - 1) : readKeyValue(r, s, depth - 1));
            r.pos = s;
          } else {
            r.checkField(t);
            r.skip(t & 7, stop, t >>> 3, depth);
          }
        }
        value = field === 5 ? (items as AnyValue[]) : { kvlist: items as KeyValue[] };
        break;
      }
      case 7: {
        if (wt !== WIRE_LEN) r.wrongType('AnyValue', field, wt, at);
        const stop = r.readLengthEnd(end);
        // A copy, as a plain Uint8Array: the value must not pin the request body nor be a Buffer.
        value = new Uint8Array(stop - r.pos);
        value.set(r.buf.subarray(r.pos, stop));
        r.pos = stop;
        break;
      }
      default:
        r.checkField(tag);
        r.skip(wt, end, field, depth);
    }
  }
  return value;
}

/** Checks a KeyValue message as readKeyValue would, without building it. */
export function skipKeyValue(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field === 1) {
      if (wt !== WIRE_LEN) r.wrongType('KeyValue', field, wt, at);
      r.pos = r.readLengthEnd(end);
    } else if (field === 2) {
      if (wt !== WIRE_LEN) r.wrongType('KeyValue', field, wt, at);
      const stop = r.readLengthEnd(end);
      skipAnyValue(r, stop, depth);
    } else {
      r.checkField(tag);
      r.skip(wt, end, field, depth);
    }
  }
}

/** Checks an AnyValue message as readAnyValue would, without building it. */
export function skipAnyValue(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1:
      case 7:
        if (wt !== WIRE_LEN) r.wrongType('AnyValue', field, wt, at);
        r.pos = r.readLengthEnd(end);
        break;
      case 2:
      case 3:
        if (wt !== WIRE_VARINT) r.wrongType('AnyValue', field, wt, at);
        r.readVarint64(end);
        break;
      case 4:
        if (wt !== WIRE_I64) r.wrongType('AnyValue', field, wt, at);
        r.skip(WIRE_I64, end, field, depth);
        break;
      case 5:
      case 6: {
        if (wt !== WIRE_LEN) r.wrongType('AnyValue', field, wt, at);
        if (depth <= 0) r.fail('attribute value nested too deeply', at);
        const stop = r.readLengthEnd(end);
        while (r.pos < stop) {
          const at2 = r.pos;
          const t = r.readVarint32(stop);
          if (t >>> 3 === 1) {
            if ((t & 7) !== WIRE_LEN) r.wrongType(field === 5 ? 'ArrayValue' : 'KeyValueList', 1, t & 7, at2);
            const s = r.readLengthEnd(stop);
            if (field === 5) skipAnyValue(r, s, depth - 1);
            else skipKeyValue(r, s, depth - 1);
            r.pos = s;
          } else {
            r.checkField(t);
            r.skip(t & 7, stop, t >>> 3, depth);
          }
        }
        break;
      }
      default:
        r.checkField(tag);
        r.skip(wt, end, field, depth);
    }
  }
}

/** Decodes `repeated KeyValue` occurrences appended to `out` (one call per occurrence). */
export function pushKeyValue(r: ProtoReader, end: number, depth: number, out: KeyValue[]): void {
  const stop = r.readLengthEnd(end);
  out.push(readKeyValue(r, stop, depth));
  r.pos = stop;
}

