// Request bodies for the stress suite and the large-body tests: msgflux-like spans (10 attributes, one event: the shape of
// docs/msgflux-wire.md#agent-example and of the receiver benchmark) with ids that differ per span, written with
// the project's own protobuf writer so that a 64 MiB body is built in well under a second.
import {
  AnyValueField,
  EventField,
  ExportTraceServiceRequestField,
  InstrumentationScopeField,
  KeyValueField,
  ResourceField,
  ResourceSpansField,
  ScopeSpansField,
  SpanField,
  StatusField,
} from '../../../extension/src/core/otlp/otlpFields';
import { ProtoWriter } from '../../../extension/src/core/otlp/protoWriter';

const MiB = 1024 * 1024;

function keyValue(w: ProtoWriter, field: number, key: string, value: string | number): void {
  const kv = w.begin(field);
  w.string(KeyValueField.key, key);
  const v = w.begin(KeyValueField.value);
  if (typeof value === 'string') w.string(AnyValueField.stringValue, value);
  else w.uint32(AnyValueField.intValue, value);
  w.end(v);
  w.end(kv);
}

/** 16-byte trace id and 8-byte span id of span `n` (never zero). */
export function spanIds(n: number): { traceId: Buffer; spanId: Buffer; parentSpanId: Buffer } {
  const traceId = Buffer.alloc(16);
  traceId.writeUInt32BE(0x5eed0000 + (n >>> 20), 0);
  traceId.writeUInt32BE(Math.floor(n / 256) + 1, 12);
  const spanId = Buffer.alloc(8);
  spanId.writeUInt32BE(n + 1, 4);
  spanId[0] = 0x51;
  const parentSpanId = Buffer.alloc(8);
  parentSpanId.writeUInt32BE(n + 1, 4);
  parentSpanId[0] = 0x9a;
  return { traceId, spanId, parentSpanId };
}

function writeSpan(w: ProtoWriter, n: number): void {
  const { traceId, spanId, parentSpanId } = spanIds(n);
  const s = w.begin(ScopeSpansField.spans);
  w.bytes(SpanField.traceId, traceId);
  w.bytes(SpanField.spanId, spanId);
  w.bytes(SpanField.parentSpanId, parentSpanId);
  w.string(SpanField.name, 'chat gpt-4o-mini');
  w.uint32(SpanField.kind, 3);
  const start = 1795493440056396601n + BigInt(n) * 1000n;
  w.fixed64(SpanField.startTimeUnixNano, Number(start & 0xffffffffn), Number(start >> 32n));
  w.fixed64(SpanField.endTimeUnixNano, Number((start + 100_000_000n) & 0xffffffffn), Number((start + 100_000_000n) >> 32n));
  keyValue(w, SpanField.attributes, 'span.type', 'flow');
  keyValue(w, SpanField.attributes, 'gen_ai.operation.name', 'chat');
  keyValue(w, SpanField.attributes, 'gen_ai.system', 'openai');
  keyValue(w, SpanField.attributes, 'gen_ai.request.model', 'gpt-4o-mini');
  keyValue(w, SpanField.attributes, 'gen_ai.usage.input_tokens', 1234 + (n % 100));
  keyValue(w, SpanField.attributes, 'gen_ai.usage.output_tokens', 56);
  keyValue(w, SpanField.attributes, 'module.name', 'MyAgent');
  keyValue(w, SpanField.attributes, 'gen_ai.agent.name', 'My Agent');
  keyValue(w, SpanField.attributes, 'msgflux.response.text', 'The capital of France is Paris.');
  keyValue(w, SpanField.attributes, 'code.lineno', 42);
  const e = w.begin(SpanField.events);
  w.fixed64(EventField.timeUnixNano, Number(start & 0xffffffffn), Number(start >> 32n));
  w.string(EventField.name, 'gen_ai.content.completion');
  keyValue(w, EventField.attributes, 'gen_ai.completion', 'Paris');
  w.end(e);
  const st = w.begin(SpanField.status);
  w.uint32(StatusField.code, 1);
  w.end(st);
  w.fixed32(SpanField.flags, 256);
  w.end(s);
}

/** One request of `count` spans numbered from `first` (their ids come from the number, see spanIds). */
export function msgfluxRequest(count: number, first = 0, service = 'stress-app'): Buffer {
  const w = new ProtoWriter(count * 400 + 256);
  const rs = w.begin(ExportTraceServiceRequestField.resourceSpans);
  const r = w.begin(ResourceSpansField.resource);
  keyValue(w, ResourceField.attributes, 'service.name', service);
  keyValue(w, ResourceField.attributes, 'python.version', '3.11.2');
  w.end(r);
  const ss = w.begin(ResourceSpansField.scopeSpans);
  const sc = w.begin(ScopeSpansField.scope);
  w.string(InstrumentationScopeField.name, 'msgtrace.sdk');
  w.string(InstrumentationScopeField.version, '0.1.0');
  w.end(sc);
  for (let i = 0; i < count; i++) writeSpan(w, first + i);
  w.end(ss);
  w.end(rs);
  return Buffer.from(w.finish());
}

/** The largest msgflux-like request under `limit` bytes, `margin` below it (the 64 MiB stall body). */
export function largestRequest(limit = 64 * MiB, margin = MiB / 2): { body: Buffer; spans: number } {
  const perSpan = msgfluxRequest(2).length - msgfluxRequest(1).length;
  const spans = Math.floor((limit - margin) / perSpan);
  const body = msgfluxRequest(spans);
  if (body.length > limit) throw new Error('the largest request is over the limit');
  return { body, spans };
}

/** The same spans as OTLP/JSON text, written span by span (no object tree: a 64 MiB text is built in about a second). */
export function msgfluxJsonRequest(count: number, first = 0, service = 'stress-app'): Buffer {
  const parts: string[] = [
    `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}}]},"scopeSpans":[{"scope":{"name":"msgtrace.sdk","version":"0.1.0"},"spans":[`,
  ];
  for (let i = 0; i < count; i++) {
    const { traceId, spanId, parentSpanId } = spanIds(first + i);
    const start = 1795493440056396601n + BigInt(first + i) * 1000n;
    parts.push(
      `${i ? ',' : ''}{"traceId":"${traceId.toString('hex')}","spanId":"${spanId.toString('hex')}","parentSpanId":"${parentSpanId.toString('hex')}","name":"chat gpt-4o-mini","kind":3,` +
        `"startTimeUnixNano":"${start}","endTimeUnixNano":"${start + 100_000_000n}","attributes":[{"key":"span.type","value":{"stringValue":"flow"}},` +
        `{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},` +
        `{"key":"gen_ai.usage.input_tokens","value":{"intValue":"${1234 + (i % 100)}"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"56"}},` +
        `{"key":"msgflux.response.text","value":{"stringValue":"The capital of France is Paris."}}],` +
        `"events":[{"timeUnixNano":"${start}","name":"gen_ai.content.completion","attributes":[{"key":"gen_ai.completion","value":{"stringValue":"Paris"}}]}],"status":{"code":1},"flags":256}`,
    );
  }
  parts.push(']}]}]}');
  return Buffer.from(parts.join(''));
}

/** One span whose attributes fill `bytes`: `attribute(i)` writes the i-th KeyValue's fields (as one ProtoWriter message). */
export function oneSpanRequest(bytes: number, attribute: (w: ProtoWriter, i: number) => void): Buffer {
  const w = new ProtoWriter(bytes + 1024);
  const rs = w.begin(ExportTraceServiceRequestField.resourceSpans);
  const ss = w.begin(ResourceSpansField.scopeSpans);
  const s = w.begin(ScopeSpansField.spans);
  const { traceId, spanId } = spanIds(7);
  w.bytes(SpanField.traceId, traceId);
  w.bytes(SpanField.spanId, spanId);
  w.string(SpanField.name, 'hostile span');
  for (let i = 0; w.pos < bytes; i++) {
    const kv = w.begin(SpanField.attributes);
    attribute(w, i);
    w.end(kv);
  }
  w.end(s);
  w.end(ss);
  w.end(rs);
  return Buffer.from(w.finish());
}
