// The "rest" of a protobuf Span message: the fields the store does not keep as columns (trace_state,
// attributes, dropped counts, events, links, status, flags), copied raw from the request. Together with the
// columns they are the whole span; a view decodes them when it shows the span (Span.details()).
// Fields kept as columns (ids, name, kind, times) are left out; unknown fields are dropped. Field numbers and
// tags are core/otlp/otlpFields.ts's.
import { OTLP_MESSAGES, type OtlpField, SpanField, SpanTag, StatusTag } from '../otlp/otlpFields';
import { ProtoReader, WireType } from '../otlp/protoReader';
import type { SpanInit } from '../model/span';
import type { SpanTable } from './spanTable';

const COLUMN_FIELDS: readonly number[] = [
  SpanField.traceId,
  SpanField.spanId,
  SpanField.parentSpanId,
  SpanField.name,
  SpanField.kind,
  SpanField.startTimeUnixNano,
  SpanField.endTimeUnixNano,
];

/** Bit n set: Span field n goes to the rest bytes (every Span field has a number below 32). */
const REST_FIELDS = Object.values<OtlpField>(OTLP_MESSAGES.Span.fields).reduce((mask, f) => (COLUMN_FIELDS.includes(f.no) ? mask : mask | (1 << f.no)), 0);

// Ranges of fields to keep, reused between calls (a Span message has a few dozen fields at most in practice;
// the array grows for hostile ones).
let ranges = new Int32Array(64);

/** Span.flags of the last copyRestFields call when it was left out of the rest bytes (fits 10 bits), else -1. */
export let lastSpanFlags = -1;

/**
 * Copies the rest fields of the Span message at bytes[start, end) into the table's rest slabs for `row` and
 * returns their length. Left out as well, because the row holds them: flags that fit in 10 bits, and a status
 * that carries only its code. The message passed validation when it was decoded, so bounds are not checked again.
 */
export function copyRestFields(bytes: Uint8Array, start: number, end: number, table: SpanTable, row: number): number {
  let n = 0;
  let length = 0;
  let pos = start;
  lastSpanFlags = -1;
  while (pos < end) {
    const fieldStart = pos;
    let tag = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      tag |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    tag >>>= 0;
    const field = tag >>> 3;
    const wt = tag & 7;
    let keep = field < 32 && ((REST_FIELDS >>> field) & 1) !== 0;
    if (wt === WireType.Varint) while (bytes[pos++]! >= 0x80);
    else if (wt === WireType.I64) pos += 8;
    else if (wt === WireType.I32) {
      if (tag === SpanTag.flags) {
        const v = (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16) | (bytes[pos + 3]! << 24)) >>> 0;
        if (v < 1024) {
          lastSpanFlags = v;
          keep = false;
        }
      }
      pos += 4;
    } else if (wt === WireType.Len) {
      let len = 0;
      let s = 0;
      for (;;) {
        const b = bytes[pos++]!;
        len += (b & 0x7f) * 2 ** s;
        if (b < 0x80) break;
        s += 7;
      }
      // A Status of only its code (its one-byte tag and a one-byte varint) is in the row's flags already.
      if (tag === SpanTag.status && (len === 0 || (len === 2 && bytes[pos] === StatusTag.code && bytes[pos + 1]! < 0x80))) keep = false;
      pos += len;
    } else {
      // A group: only an unknown field can be one (the decoder checked and skipped it), and unknown fields are
      // dropped. Rare, so the reader walks it.
      const r = new ProtoReader(bytes);
      r.pos = pos;
      r.skip(wt, end, field, 1 << 20);
      pos = r.pos;
    }
    if (!keep) continue;
    // Adjacent kept fields merge into one range.
    if (n > 0 && ranges[n - 1] === fieldStart) ranges[n - 1] = pos;
    else {
      if (n + 2 > ranges.length) {
        const grown = new Int32Array(ranges.length * 2);
        grown.set(ranges);
        ranges = grown;
      }
      ranges[n++] = fieldStart;
      ranges[n++] = pos;
    }
    length += pos - fieldStart;
  }
  if (length === 0) return 0;
  const out = table.reserveRest(row, length);
  let w = table.restOffset(row);
  for (let i = 0; i < n; i += 2) {
    const a = ranges[i]!;
    const b = ranges[i + 1]!;
    // Most ranges are a few dozen bytes: a loop beats making a subarray object for set().
    if (b - a < 64) for (let j = a; j < b; j++) out[w++] = bytes[j]!;
    else {
      out.set(bytes.subarray(a, b), w);
      w += b - a;
    }
  }
  return length;
}

/** The scalar rest fields of a stored span (the attributes, events and links are decoded by details()). */
export type RestScalars = Pick<
  SpanInit,
  'traceState' | 'flags' | 'statusMessage' | 'droppedAttributesCount' | 'droppedEventsCount' | 'droppedLinksCount' | 'eventCount' | 'linkCount'
>;

/** `flags` is the value the row holds, used when the rest bytes have none. */
export function readRestScalars(bytes: Uint8Array | undefined, start: number, end: number, flags: number): RestScalars {
  const out: RestScalars = { traceState: '', flags, statusMessage: '', droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0, eventCount: 0, linkCount: 0 };
  if (bytes === undefined || start === end) return out;
  const r = new ProtoReader(bytes);
  r.pos = start;
  while (r.pos < end) {
    const tag = r.readVarint32(end);
    switch (tag) {
      case SpanTag.traceState: {
        const stop = r.readLengthEnd(end);
        out.traceState = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case SpanTag.status: {
        const stop = r.readLengthEnd(end);
        while (r.pos < stop) {
          const t = r.readVarint32(stop);
          if (t === StatusTag.message) {
            const s = r.readLengthEnd(stop);
            out.statusMessage = r.string(r.pos, s);
            r.pos = s;
          } else r.skip(t & 7, stop, t >>> 3, 1 << 20);
        }
        break;
      }
      case SpanTag.flags:
        out.flags = r.readFixed32(end);
        break;
      case SpanTag.droppedAttributesCount:
        out.droppedAttributesCount = r.readVarint32(end);
        break;
      case SpanTag.droppedEventsCount:
        out.droppedEventsCount = r.readVarint32(end);
        break;
      case SpanTag.droppedLinksCount:
        out.droppedLinksCount = r.readVarint32(end);
        break;
      default:
        if (tag === SpanTag.events) out.eventCount++;
        else if (tag === SpanTag.links) out.linkCount++;
        r.skip(tag & 7, end, tag >>> 3, 1 << 20);
    }
  }
  return out;
}
