// Protobuf encoding of the small messages msgtrace writes itself: Resource and Scope (the journal's requests)
// and the "rest" fields of a span that came decoded (OTLP/JSON, files), so the store keeps it as bytes like a
// span that came as protobuf (core/store/restBytes.ts). Not a hot path: spans that come as protobuf keep their
// own bytes.
import { type AnyValue, type KeyValue, isKeyValueList } from '../model/anyValue';
import type { Resource, Scope, Span } from '../model/span';
import { toUnixNano } from '../model/time';

const utf8 = new TextEncoder();

/** Protobuf writer into a plain number array (cheaper than a buffer per nested message at these sizes). */
export class ProtobufWriter {
  readonly buf: number[] = [];

  private varint(n: number): void {
    while (n > 0x7f) {
      this.buf.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.buf.push(n);
  }

  uint(field: number, n: number): void {
    this.varint(field * 8);
    this.varint(n);
  }

  /** int64 as a varint: negative values are their 64-bit two's complement (10 bytes). */
  int64(field: number, v: bigint): void {
    this.varint(field * 8);
    let u = BigInt.asUintN(64, v);
    while (u > 0x7fn) {
      this.buf.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.buf.push(Number(u));
  }

  double(field: number, v: number): void {
    this.varint(field * 8 + 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    for (const x of b) this.buf.push(x);
  }

  fixed32(field: number, v: number): void {
    this.varint(field * 8 + 5);
    for (let i = 0; i < 4; i++) this.buf.push((v >>> (8 * i)) & 0xff);
  }

  fixed64(field: number, v: bigint): void {
    this.varint(field * 8 + 1);
    let u = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.buf.push(Number(u & 0xffn));
      u >>= 8n;
    }
  }

  string(field: number, s: string): void {
    this.bytes(field, utf8.encode(s));
  }

  bytes(field: number, b: Uint8Array): void {
    this.varint(field * 8 + 2);
    this.varint(b.length);
    for (let i = 0; i < b.length; i++) this.buf.push(b[i]!);
  }

  nested(field: number, w: ProtobufWriter): void {
    this.varint(field * 8 + 2);
    this.varint(w.buf.length);
    for (const x of w.buf) this.buf.push(x);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

export function keyValueMessage(kv: KeyValue): ProtobufWriter {
  const w = new ProtobufWriter();
  w.string(1, kv.key);
  w.nested(2, anyValueMessage(kv.value));
  return w;
}

export function anyValueMessage(v: AnyValue): ProtobufWriter {
  const w = new ProtobufWriter();
  if (v === null) return w;
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') w.uint(2, v ? 1 : 0);
  else if (typeof v === 'bigint') w.int64(3, v);
  else if (typeof v === 'number') w.double(4, v);
  else if (v instanceof Uint8Array) w.bytes(7, v);
  else if (Array.isArray(v)) {
    const arr = new ProtobufWriter();
    for (const item of v as readonly AnyValue[]) arr.nested(1, anyValueMessage(item));
    w.nested(5, arr);
  } else if (isKeyValueList(v)) {
    const list = new ProtobufWriter();
    for (const kv of v.kvlist) list.nested(1, keyValueMessage(kv));
    w.nested(6, list);
  }
  return w;
}

export function encodeResource(r: Resource): Uint8Array {
  const w = new ProtobufWriter();
  for (const kv of r.attributes) w.nested(1, keyValueMessage(kv));
  if (r.droppedAttributesCount) w.uint(2, r.droppedAttributesCount);
  return w.toBytes();
}

export function encodeScope(s: Scope): Uint8Array {
  const w = new ProtobufWriter();
  if (s.name) w.string(1, s.name);
  if (s.version) w.string(2, s.version);
  for (const kv of s.attributes) w.nested(3, keyValueMessage(kv));
  if (s.droppedAttributesCount) w.uint(4, s.droppedAttributesCount);
  return w.toBytes();
}

const hexBytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

/**
 * The Span message fields a store row does not hold (trace_state, attributes, events, links, their dropped
 * counts, status, flags), encoded as a Span message would carry them.
 */
export function encodeSpanRest(span: Span): Uint8Array {
  const w = new ProtobufWriter();
  if (span.traceState) w.string(3, span.traceState);
  const d = span.details();
  for (const kv of d.attributes) w.nested(9, keyValueMessage(kv));
  if (span.droppedAttributesCount) w.uint(10, span.droppedAttributesCount);
  for (const e of d.events) {
    const ev = new ProtobufWriter();
    ev.fixed64(1, toUnixNano(e.timeMs, e.timeSubMsNanos));
    if (e.name) ev.string(2, e.name);
    for (const kv of e.attributes) ev.nested(3, keyValueMessage(kv));
    if (e.droppedAttributesCount) ev.uint(4, e.droppedAttributesCount);
    w.nested(11, ev);
  }
  if (span.droppedEventsCount) w.uint(12, span.droppedEventsCount);
  for (const l of d.links) {
    const lw = new ProtobufWriter();
    lw.bytes(1, hexBytes(l.traceId));
    lw.bytes(2, hexBytes(l.spanId));
    if (l.traceState) lw.string(3, l.traceState);
    for (const kv of l.attributes) lw.nested(4, keyValueMessage(kv));
    if (l.droppedAttributesCount) lw.uint(5, l.droppedAttributesCount);
    if (l.flags) lw.fixed32(6, l.flags);
    w.nested(13, lw);
  }
  if (span.droppedLinksCount) w.uint(14, span.droppedLinksCount);
  if (span.statusMessage || span.statusCode) {
    const st = new ProtobufWriter();
    if (span.statusMessage) st.string(2, span.statusMessage);
    if (span.statusCode) st.uint(3, span.statusCode);
    w.nested(15, st);
  }
  if (span.flags) w.fixed32(16, span.flags);
  return w.toBytes();
}
