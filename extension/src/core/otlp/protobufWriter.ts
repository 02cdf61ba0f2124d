// Protobuf encoding of the small messages msgtrace writes from model objects: Resource and Scope (the journal's
// requests) and the "rest" fields of a Span that has no bytes of its own (made in code, not decoded), so the
// store keeps it as bytes like every other span (core/store/restBytes.ts). Not a hot path: decoded spans (OTLP/JSON
// included, through jsonTranscoder.ts) keep their own bytes.
import { type AnyValue, type KeyValue, isKeyValueList } from '../model/anyValue';
import type { Resource, Scope, Span } from '../model/span';
import { nanosWords, wordsHi, wordsLo } from '../model/time';
import {
  AnyValueField,
  ArrayValueField,
  EventField,
  InstrumentationScopeField,
  KeyValueField,
  KeyValueListField,
  LinkField,
  ResourceField,
  SpanField,
  StatusField,
} from './otlpFields';
import { ProtoWriter } from './protoWriter';

/** Writes the fields of one AnyValue message (the caller opened it). */
function writeAnyValue(w: ProtoWriter, v: AnyValue): void {
  if (v === null) return;
  if (typeof v === 'string') w.string(AnyValueField.stringValue, v);
  else if (typeof v === 'boolean') w.uint32(AnyValueField.boolValue, v ? 1 : 0);
  else if (typeof v === 'bigint') w.bigint64(AnyValueField.intValue, v);
  else if (typeof v === 'number') w.double(AnyValueField.doubleValue, v);
  else if (v instanceof Uint8Array) w.bytes(AnyValueField.bytesValue, v);
  else if (Array.isArray(v)) {
    const arr = w.begin(AnyValueField.arrayValue);
    for (const item of v as readonly AnyValue[]) {
      const m = w.begin(ArrayValueField.values);
      writeAnyValue(w, item);
      w.end(m);
    }
    w.end(arr);
  } else if (isKeyValueList(v)) {
    const list = w.begin(AnyValueField.kvlistValue);
    for (const kv of v.kvlist) writeKeyValue(w, KeyValueListField.values, kv);
    w.end(list);
  }
}

/** A KeyValue message as field `field`. */
function writeKeyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  const m = w.begin(field);
  w.string(KeyValueField.key, kv.key);
  const v = w.begin(KeyValueField.value);
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
  for (const kv of r.attributes) writeKeyValue(w, ResourceField.attributes, kv);
  if (r.droppedAttributesCount) w.uint32(ResourceField.droppedAttributesCount, r.droppedAttributesCount);
  return done(w);
}

export function encodeScope(s: Scope): Uint8Array {
  const w = new ProtoWriter();
  if (s.name) w.string(InstrumentationScopeField.name, s.name);
  if (s.version) w.string(InstrumentationScopeField.version, s.version);
  for (const kv of s.attributes) writeKeyValue(w, InstrumentationScopeField.attributes, kv);
  if (s.droppedAttributesCount) w.uint32(InstrumentationScopeField.droppedAttributesCount, s.droppedAttributesCount);
  return done(w);
}

const hexBytes = (hex: string) => Buffer.from(hex, 'hex');

/**
 * The Span message fields a store row does not hold (trace_state, attributes, events, links, their dropped
 * counts, status, flags), encoded as a Span message would carry them.
 */
export function encodeSpanRest(span: Span): Uint8Array {
  const w = new ProtoWriter();
  if (span.traceState) w.string(SpanField.traceState, span.traceState);
  const d = span.details();
  for (const kv of d.attributes) writeKeyValue(w, SpanField.attributes, kv);
  if (span.droppedAttributesCount) w.uint32(SpanField.droppedAttributesCount, span.droppedAttributesCount);
  for (const e of d.events) {
    const ev = w.begin(SpanField.events);
    writeTime(w, EventField.timeUnixNano, e.timeMs, e.timeSubMsNanos);
    if (e.name) w.string(EventField.name, e.name);
    for (const kv of e.attributes) writeKeyValue(w, EventField.attributes, kv);
    if (e.droppedAttributesCount) w.uint32(EventField.droppedAttributesCount, e.droppedAttributesCount);
    w.end(ev);
  }
  if (span.droppedEventsCount) w.uint32(SpanField.droppedEventsCount, span.droppedEventsCount);
  for (const l of d.links) {
    const lm = w.begin(SpanField.links);
    w.bytes(LinkField.traceId, hexBytes(l.traceId));
    w.bytes(LinkField.spanId, hexBytes(l.spanId));
    if (l.traceState) w.string(LinkField.traceState, l.traceState);
    for (const kv of l.attributes) writeKeyValue(w, LinkField.attributes, kv);
    if (l.droppedAttributesCount) w.uint32(LinkField.droppedAttributesCount, l.droppedAttributesCount);
    if (l.flags) w.fixed32(LinkField.flags, l.flags);
    w.end(lm);
  }
  if (span.droppedLinksCount) w.uint32(SpanField.droppedLinksCount, span.droppedLinksCount);
  if (span.statusMessage || span.statusCode) {
    const st = w.begin(SpanField.status);
    if (span.statusMessage) w.string(StatusField.message, span.statusMessage);
    if (span.statusCode) w.uint32(StatusField.code, span.statusCode);
    w.end(st);
  }
  if (span.flags) w.fixed32(SpanField.flags, span.flags);
  return done(w);
}
