// Protobuf encoding of the small messages msgtrace writes from model objects: Resource and Scope (the journal's
// requests) and the "rest" fields of a Span that has no bytes of its own (made in code, not decoded), so the
// store keeps it as bytes like every other span (core/store/restBytes.ts). Not a hot path: decoded spans (OTLP/JSON
// included, through jsonTranscoder.ts) keep their own bytes.
import { type AnyValue, type KeyValue, isKeyValueList } from '../model/anyValue';
import type { Resource, Scope, Span } from '../model/span';
import { nanosWords, wordsHi, wordsLo } from '../model/time';
import { ProtoWriter } from './protoWriter';

/** Writes the fields of one AnyValue message (the caller opened it). */
function writeAnyValue(w: ProtoWriter, v: AnyValue): void {
  if (v === null) return;
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') w.uint32(2, v ? 1 : 0);
  else if (typeof v === 'bigint') w.bigint64(3, v);
  else if (typeof v === 'number') w.double(4, v);
  else if (v instanceof Uint8Array) w.bytes(7, v);
  else if (Array.isArray(v)) {
    const arr = w.begin(5);
    for (const item of v as readonly AnyValue[]) {
      const m = w.begin(1);
      writeAnyValue(w, item);
      w.end(m);
    }
    w.end(arr);
  } else if (isKeyValueList(v)) {
    const list = w.begin(6);
    for (const kv of v.kvlist) writeKeyValue(w, 1, kv);
    w.end(list);
  }
}

/** A KeyValue message as field `field`. */
function writeKeyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  const m = w.begin(field);
  w.string(1, kv.key);
  const v = w.begin(2);
  writeAnyValue(w, kv.value);
  w.end(v);
  w.end(m);
}

/** A (ms, sub-ms ns) time as a fixed64 field, exactly. */
function writeTime(w: ProtoWriter, field: number, ms: number, subMs: number): void {
  nanosWords(ms, subMs);
  w.fixed64(field, wordsLo, wordsHi);
}

/** The bytes written, as a Uint8Array of their own (callers keep them). */
const done = (w: ProtoWriter): Uint8Array => Uint8Array.prototype.slice.call(w.buf, 0, w.pos);

export function encodeResource(r: Resource): Uint8Array {
  const w = new ProtoWriter();
  for (const kv of r.attributes) writeKeyValue(w, 1, kv);
  if (r.droppedAttributesCount) w.uint32(2, r.droppedAttributesCount);
  return done(w);
}

export function encodeScope(s: Scope): Uint8Array {
  const w = new ProtoWriter();
  if (s.name) w.string(1, s.name);
  if (s.version) w.string(2, s.version);
  for (const kv of s.attributes) writeKeyValue(w, 3, kv);
  if (s.droppedAttributesCount) w.uint32(4, s.droppedAttributesCount);
  return done(w);
}

const hexBytes = (hex: string) => Buffer.from(hex, 'hex');

/**
 * The Span message fields a store row does not hold (trace_state, attributes, events, links, their dropped
 * counts, status, flags), encoded as a Span message would carry them.
 */
export function encodeSpanRest(span: Span): Uint8Array {
  const w = new ProtoWriter();
  if (span.traceState) w.string(3, span.traceState);
  const d = span.details();
  for (const kv of d.attributes) writeKeyValue(w, 9, kv);
  if (span.droppedAttributesCount) w.uint32(10, span.droppedAttributesCount);
  for (const e of d.events) {
    const ev = w.begin(11);
    writeTime(w, 1, e.timeMs, e.timeSubMsNanos);
    if (e.name) w.string(2, e.name);
    for (const kv of e.attributes) writeKeyValue(w, 3, kv);
    if (e.droppedAttributesCount) w.uint32(4, e.droppedAttributesCount);
    w.end(ev);
  }
  if (span.droppedEventsCount) w.uint32(12, span.droppedEventsCount);
  for (const l of d.links) {
    const lm = w.begin(13);
    w.bytes(1, hexBytes(l.traceId));
    w.bytes(2, hexBytes(l.spanId));
    if (l.traceState) w.string(3, l.traceState);
    for (const kv of l.attributes) writeKeyValue(w, 4, kv);
    if (l.droppedAttributesCount) w.uint32(5, l.droppedAttributesCount);
    if (l.flags) w.fixed32(6, l.flags);
    w.end(lm);
  }
  if (span.droppedLinksCount) w.uint32(14, span.droppedLinksCount);
  if (span.statusMessage || span.statusCode) {
    const st = w.begin(15);
    if (span.statusMessage) w.string(2, span.statusMessage);
    if (span.statusCode) w.uint32(3, span.statusCode);
    w.end(st);
  }
  if (span.flags) w.fixed32(16, span.flags);
  return done(w);
}
