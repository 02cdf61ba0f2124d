// Spans decoded from protobuf -> one protobuf ExportTraceServiceRequest, reusing each span's encoded bytes.
// The receiver's batch does not carry the request body, but every protobuf span keeps a view of its own Span
// message, so the journal rebuilds an equivalent request by re-encoding only the (few, small) Resource and
// Scope messages and copying the span bytes once. Spans that came as JSON have no bytes: callers encode those
// as OTLP/JSON instead (see `splitByEncoding`).
import { type AnyValue, type KeyValue, isKeyValueList } from '../core/model/anyValue';
import type { Resource, Scope, Span } from '../core/model/span';

const utf8 = new TextEncoder();

/** Spans that keep protobuf bytes, and those that do not (decoded from JSON). */
export function splitByEncoding(spans: readonly Span[]): { protobuf: Span[]; json: Span[] } {
  const protobuf: Span[] = [];
  const json: Span[] = [];
  for (const s of spans) (s.protobufBytes() ? protobuf : json).push(s);
  return { protobuf, json };
}

/** One ExportTraceServiceRequest; every span must have protobufBytes() (see splitByEncoding). */
export function encodeTraceRequestProtobuf(spans: readonly Span[]): Uint8Array {
  const byResource = new Map<Resource, Map<Scope, Uint8Array[]>>();
  for (const span of spans) {
    const bytes = span.protobufBytes();
    if (!bytes) throw new Error('encodeTraceRequestProtobuf: span without protobuf bytes');
    let scopes = byResource.get(span.resource);
    if (!scopes) byResource.set(span.resource, (scopes = new Map()));
    let list = scopes.get(span.scope);
    if (!list) scopes.set(span.scope, (list = []));
    list.push(bytes);
  }
  const w = new Writer();
  for (const [resource, scopes] of byResource) {
    const res = new Writer();
    res.message(1, encodeResource(resource));
    for (const [scope, list] of scopes) {
      const ss = new Writer();
      ss.message(1, encodeScope(scope));
      for (const bytes of list) ss.message(2, bytes);
      if (scope.schemaUrl) ss.string(3, scope.schemaUrl);
      res.message(2, ss.finish());
    }
    if (resource.schemaUrl) res.string(3, resource.schemaUrl);
    w.message(1, res.finish());
  }
  return w.finish();
}

function encodeResource(r: Resource): Uint8Array {
  const w = new Writer();
  for (const kv of r.attributes) w.message(1, encodeKeyValue(kv));
  if (r.droppedAttributesCount) w.uint(2, r.droppedAttributesCount);
  return w.finish();
}

function encodeScope(s: Scope): Uint8Array {
  const w = new Writer();
  if (s.name) w.string(1, s.name);
  if (s.version) w.string(2, s.version);
  for (const kv of s.attributes) w.message(3, encodeKeyValue(kv));
  if (s.droppedAttributesCount) w.uint(4, s.droppedAttributesCount);
  return w.finish();
}

function encodeKeyValue(kv: KeyValue): Uint8Array {
  const w = new Writer();
  w.string(1, kv.key);
  w.message(2, encodeAnyValue(kv.value));
  return w.finish();
}

function encodeAnyValue(v: AnyValue): Uint8Array {
  const w = new Writer();
  if (v === null) return w.finish();
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') w.uint(2, v ? 1 : 0);
  else if (typeof v === 'bigint') w.int64(3, v);
  else if (typeof v === 'number') w.double(4, v);
  else if (v instanceof Uint8Array) w.message(7, v);
  else if (Array.isArray(v)) {
    const arr = new Writer();
    for (const item of v as readonly AnyValue[]) arr.message(1, encodeAnyValue(item));
    w.message(5, arr.finish());
  } else if (isKeyValueList(v)) {
    const list = new Writer();
    for (const kv of v.kvlist) list.message(1, encodeKeyValue(kv));
    w.message(6, list.finish());
  }
  return w.finish();
}

/** Append-only protobuf writer: parts are collected and concatenated once, so span bytes are copied once. */
class Writer {
  private parts: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.parts.push(Uint8Array.from(this.scratch));
    this.length += this.scratch.length;
    this.scratch = [];
  }

  private varint(n: number): void {
    while (n > 0x7f) {
      this.scratch.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.scratch.push(n);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, n: number): void {
    this.tag(field, 0);
    this.varint(n);
  }

  /** int64 as a varint: negative values are their 64-bit two's complement (10 bytes). */
  int64(field: number, v: bigint): void {
    this.tag(field, 0);
    let u = BigInt.asUintN(64, v);
    while (u > 0x7fn) {
      this.scratch.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.scratch.push(Number(u));
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    for (const x of b) this.scratch.push(x);
  }

  string(field: number, s: string): void {
    this.message(field, utf8.encode(s));
  }

  /** A length-delimited field (message, string or bytes). */
  message(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.varint(bytes.length);
    this.flushScratch();
    if (bytes.length > 0) {
      this.parts.push(bytes);
      this.length += bytes.length;
    }
  }

  finish(): Uint8Array {
    this.flushScratch();
    if (this.parts.length === 1) return this.parts[0]!;
    return Buffer.concat(this.parts, this.length);
  }
}
