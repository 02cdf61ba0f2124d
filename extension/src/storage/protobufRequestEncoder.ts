// Spans decoded from protobuf -> one protobuf ExportTraceServiceRequest, reusing each span's encoded bytes.
// The receiver's batch does not carry the request body, but every protobuf span keeps a view of its own Span
// message, so the journal rebuilds an equivalent request by re-encoding only the (few, small) Resource and
// Scope messages and copying the span bytes once. Spans that came as JSON have no bytes: callers encode those
// as OTLP/JSON instead (see `splitByEncoding`).
import type { Resource, Scope, Span } from '../core/model/span';
import { ExportTraceServiceRequestField, ResourceSpansField, ScopeSpansField } from '../core/otlp/otlpFields';
import { encodeResource, encodeScope } from '../core/otlp/protobufWriter';
import { WireType } from '../core/otlp/protoReader';

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
  // Sizes first, then one buffer: the span bytes (nearly all of it) are copied exactly once.
  const plan: { length: number; resource: Uint8Array; schemaUrl: Uint8Array; scopes: { length: number; scope: Uint8Array; schemaUrl: Uint8Array; spans: Uint8Array[] }[] }[] = [];
  let total = 0;
  for (const [resource, scopes] of byResource) {
    const r = { length: 0, resource: encodeResource(resource), schemaUrl: utf8.encode(resource.schemaUrl), scopes: [] as (typeof plan)[number]['scopes'] };
    r.length = field(r.resource.length) + (r.schemaUrl.length ? field(r.schemaUrl.length) : 0);
    for (const [scope, list] of scopes) {
      const sc = { length: 0, scope: encodeScope(scope), schemaUrl: utf8.encode(scope.schemaUrl), spans: list };
      sc.length = field(sc.scope.length) + (sc.schemaUrl.length ? field(sc.schemaUrl.length) : 0);
      for (const b of list) sc.length += field(b.length);
      r.scopes.push(sc);
      r.length += field(sc.length);
    }
    plan.push(r);
    total += field(r.length);
  }
  const out = new Uint8Array(total);
  let pos = 0;
  const put = (fieldNo: number, length: number) => {
    out[pos++] = (fieldNo << 3) | WireType.Len;
    for (let n = length; ; n = Math.floor(n / 128)) {
      if (n < 0x80) {
        out[pos++] = n;
        break;
      }
      out[pos++] = (n & 0x7f) | 0x80;
    }
  };
  const bytes = (fieldNo: number, b: Uint8Array) => {
    put(fieldNo, b.length);
    out.set(b, pos);
    pos += b.length;
  };
  for (const r of plan) {
    put(ExportTraceServiceRequestField.resourceSpans, r.length);
    bytes(ResourceSpansField.resource, r.resource);
    for (const sc of r.scopes) {
      put(ResourceSpansField.scopeSpans, sc.length);
      bytes(ScopeSpansField.scope, sc.scope);
      for (const b of sc.spans) bytes(ScopeSpansField.spans, b);
      if (sc.schemaUrl.length) bytes(ScopeSpansField.schemaUrl, sc.schemaUrl);
    }
    if (r.schemaUrl.length) bytes(ResourceSpansField.schemaUrl, r.schemaUrl);
  }
  return out;
}

/** Bytes of a length-delimited field with a one-byte tag (fields 1..15, which every field written here is). */
function field(length: number): number {
  let n = 2;
  for (let v = length; v >= 0x80; v = Math.floor(v / 128)) n++;
  return n + length;
}
