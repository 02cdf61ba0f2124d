// Jaeger's own JSON span format (the v1 query API: /api/traces, /api/traces/{id}; model/json/model.go in
// jaegertracing/jaeger) converted to an OTLP/JSON ExportTraceServiceRequest, which core's decoder then reads like
// any other request. The mapping follows Jaeger's own OTLP translator:
// - processes become resources (`serviceName` as service.name, tags as attributes);
// - `otel.scope.name`/`otel.library.name` (+ version) tags become the scope;
// - the first CHILD_OF reference into the same trace (else the first FOLLOWS_FROM) is the parent; the other
//   references become links with `opentracing.ref_type`;
// - `span.kind` gives the kind; `otel.status_code` (+ `otel.status_description`) or an `error` tag the status;
// - `w3c.tracestate` the trace state; logs become events named by their `event` field;
// - times are microseconds.

import { normalizeSpanId, normalizeTraceId } from './traceIds';

/** Jaeger v1 JSON that does not have the documented shape. */
export class JaegerFormatError extends Error {
  override readonly name = 'JaegerFormatError';
}

type Json = Record<string, unknown>;
type OtlpAnyValue = Json;
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

const KINDS: Readonly<Record<string, number>> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
/** Tags the translator turns into span fields, not attributes. */
const FIELD_TAGS = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'error', 'w3c.tracestate', 'otel.scope.name', 'otel.scope.version', 'otel.library.name', 'otel.library.version', 'internal.span.format']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The traces of a v1 answer's `data` (search: many; by id: one), each as an OTLP/JSON request object. */
export function jaegerV1Traces(answer: unknown): { traceId: string; request: Json; spanCount: number }[] {
  if (!isObject(answer)) throw new JaegerFormatError(`expected an object with "data", found ${describe(answer)}`);
  const data = answer.data;
  if (data === null || data === undefined) return [];
  if (!Array.isArray(data)) throw new JaegerFormatError(`"data" is ${describe(data)}, not an array of traces`);
  return data.map((trace, i) => jaegerV1Trace(trace, `data[${i}]`));
}

export function jaegerV1Trace(trace: unknown, where = 'trace'): { traceId: string; request: Json; spanCount: number } {
  if (!isObject(trace)) throw new JaegerFormatError(`${where} is ${describe(trace)}, not a trace`);
  const spans = trace.spans;
  if (!Array.isArray(spans)) throw new JaegerFormatError(`${where}.spans is ${describe(spans)}, not an array`);
  const processes = isObject(trace.processes) ? trace.processes : {};
  // Resource per process, scope per (process, scope name, version), in first-seen order.
  const resources = new Map<string, { resource: Json; scopes: Map<string, { scope: Json; spans: Json[] }> }>();
  let traceId = normalizeTraceId(trace.traceID) ?? '';
  spans.forEach((raw, i) => {
    const at = `${where}.spans[${i}]`;
    if (!isObject(raw)) throw new JaegerFormatError(`${at} is ${describe(raw)}, not a span`);
    const { span, scope } = convertSpan(raw, at);
    traceId ||= span.traceId as string;
    const processId = typeof raw.processID === 'string' ? raw.processID : '';
    let entry = resources.get(processId);
    if (!entry) resources.set(processId, (entry = { resource: convertProcess(processes[processId], processId), scopes: new Map() }));
    const scopeKey = `${scope.name}\u0000${scope.version}`;
    let group = entry.scopes.get(scopeKey);
    if (!group) entry.scopes.set(scopeKey, (group = { scope, spans: [] }));
    group.spans.push(span);
  });
  const resourceSpans = [...resources.values()].map(r => ({ resource: r.resource, scopeSpans: [...r.scopes.values()].map(s => ({ scope: s.scope, spans: s.spans })) }));
  return { traceId, request: { resourceSpans }, spanCount: spans.length };
}

function convertSpan(raw: Json, at: string): { span: Json; scope: { name: string; version: string } } {
  const traceId = normalizeTraceId(raw.traceID);
  const spanId = normalizeSpanId(raw.spanID);
  if (!traceId) throw new JaegerFormatError(`${at}.traceID is not a hex id: ${describe(raw.traceID)}`);
  if (!spanId) throw new JaegerFormatError(`${at}.spanID is not a hex id: ${describe(raw.spanID)}`);
  const startUs = micros(raw.startTime, `${at}.startTime`);
  const durationUs = raw.duration === undefined ? 0 : micros(raw.duration, `${at}.duration`);
  const tags = keyValues(raw.tags, `${at}.tags`);
  const tag = (key: string) => tags.find(t => t.key === key)?.raw;

  const { parent, links } = references(raw.references, traceId, `${at}.references`);
  const span: Json = {
    traceId,
    spanId,
    name: typeof raw.operationName === 'string' ? raw.operationName : '',
    kind: KINDS[String(tag('span.kind') ?? '').toLowerCase()] ?? 0,
    startTimeUnixNano: nanos(startUs),
    endTimeUnixNano: nanos(startUs + durationUs),
  };
  if (parent) span.parentSpanId = parent;
  const traceState = tag('w3c.tracestate');
  if (typeof traceState === 'string' && traceState) span.traceState = traceState;
  // Jaeger's flags: bit 0 is "sampled", as W3C's.
  if (typeof raw.flags === 'number' && raw.flags & 1) span.flags = 1;
  const attributes = tags.filter(t => !FIELD_TAGS.has(t.key)).map(t => t.kv);
  if (attributes.length) span.attributes = attributes;
  const events = logs(raw.logs, `${at}.logs`);
  if (events.length) span.events = events;
  if (links.length) span.links = links;
  span.status = status(tag('otel.status_code'), tag('otel.status_description'), tag('error'));
  const scopeName = tag('otel.scope.name') ?? tag('otel.library.name');
  const scopeVersion = tag('otel.scope.version') ?? tag('otel.library.version');
  return { span, scope: { name: typeof scopeName === 'string' ? scopeName : '', version: typeof scopeVersion === 'string' ? scopeVersion : '' } };
}

function status(code: unknown, description: unknown, error: unknown): Json {
  const c = typeof code === 'string' ? code.toUpperCase() : '';
  if (c === 'ERROR') return { code: 2, message: typeof description === 'string' ? description : '' };
  if (c === 'OK') return { code: 1 };
  if (error === true || error === 'true') return { code: 2, message: typeof description === 'string' ? description : '' };
  return {};
}

function references(refs: unknown, traceId: string, at: string): { parent: string | undefined; links: Json[] } {
  if (refs === undefined || refs === null) return { parent: undefined, links: [] };
  if (!Array.isArray(refs)) throw new JaegerFormatError(`${at} is ${describe(refs)}, not an array`);
  const parsed = refs.map((r, i) => {
    if (!isObject(r)) throw new JaegerFormatError(`${at}[${i}] is ${describe(r)}, not a reference`);
    const refTraceId = normalizeTraceId(r.traceID);
    const spanId = normalizeSpanId(r.spanID);
    if (!refTraceId || !spanId) throw new JaegerFormatError(`${at}[${i}] has no valid traceID/spanID`);
    const refType = r.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of';
    return { traceId: refTraceId, spanId, refType };
  });
  const sameTrace = parsed.filter(r => r.traceId === traceId);
  const parentRef = sameTrace.find(r => r.refType === 'child_of') ?? sameTrace.find(r => r.refType === 'follows_from');
  const links = parsed
    .filter(r => r !== parentRef)
    .map(r => ({ traceId: r.traceId, spanId: r.spanId, attributes: [{ key: 'opentracing.ref_type', value: { stringValue: r.refType } }] }));
  return { parent: parentRef?.spanId, links };
}

function logs(raw: unknown, at: string): Json[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new JaegerFormatError(`${at} is ${describe(raw)}, not an array`);
  return raw.map((log, i) => {
    if (!isObject(log)) throw new JaegerFormatError(`${at}[${i}] is ${describe(log)}, not a log`);
    const fields = keyValues(log.fields, `${at}[${i}].fields`);
    const name = fields.find(f => f.key === 'event')?.raw;
    const event: Json = { timeUnixNano: nanos(micros(log.timestamp, `${at}[${i}].timestamp`)), name: typeof name === 'string' ? name : 'log' };
    const attributes = fields.filter(f => !(f.key === 'event' && typeof f.raw === 'string')).map(f => f.kv);
    if (attributes.length) event.attributes = attributes;
    return event;
  });
}

function convertProcess(process: unknown, processId: string): Json {
  if (!isObject(process)) return { attributes: [{ key: 'service.name', value: { stringValue: processId ? `unknown (${processId})` : 'unknown' } }] };
  const tags = keyValues(process.tags, `processes.${processId}.tags`).map(t => t.kv);
  const serviceName = typeof process.serviceName === 'string' ? process.serviceName : '';
  return { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }, ...tags.filter(t => t.key !== 'service.name')] };
}

/** Jaeger KeyValues ({key, type, value}) as OTLP/JSON KeyValues, with the raw value for the field tags. */
function keyValues(raw: unknown, at: string): { key: string; raw: unknown; kv: OtlpKeyValue }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new JaegerFormatError(`${at} is ${describe(raw)}, not an array`);
  return raw.map((t, i) => {
    if (!isObject(t) || typeof t.key !== 'string') throw new JaegerFormatError(`${at}[${i}] is not a {key, type, value} tag`);
    return { key: t.key, raw: t.value, kv: { key: t.key, value: anyValue(t.type, t.value) } };
  });
}

function anyValue(type: unknown, value: unknown): OtlpAnyValue {
  switch (type) {
    case 'string':
      return { stringValue: typeof value === 'string' ? value : JSON.stringify(value) ?? '' };
    case 'bool':
      return { boolValue: value === true || value === 'true' };
    case 'int64':
      // A number past 2^53 arrives rounded (Jaeger writes a JSON number); a string keeps its digits.
      if (typeof value === 'number' && Number.isInteger(value)) return { intValue: BigInt(value).toString() };
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return { intValue: value };
      return { stringValue: String(value) };
    case 'float64':
      return typeof value === 'number' ? { doubleValue: value } : { stringValue: String(value) };
    case 'binary':
      // Base64, as Go's encoding/json writes []byte.
      return typeof value === 'string' ? { bytesValue: value } : { stringValue: String(value) };
  }
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: BigInt(value).toString() } : { doubleValue: value };
  return { stringValue: JSON.stringify(value) ?? '' };
}

function micros(v: unknown, at: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new JaegerFormatError(`${at} is ${describe(v)}, not microseconds`);
  return Math.round(n);
}

const nanos = (us: number): string => (BigInt(us) * 1000n).toString();

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
