// ExportTraceServiceRequest in OTLP/JSON -> SpanBatch, the same model the protobuf decoder makes. OTLP/JSON
// rules (PROTOCOL.md): lowerCamelCase keys, hex ids (any case), integer enums, int64 as decimal string or
// number, bytes as base64, unknown fields ignored. JSON spans carry their details already decoded.
import { type AnyValue, type KeyValue } from '../model/anyValue';
import { type SpanBatch } from '../model/batch';
import { type Resource, type Scope, Span, type SpanDetails, type SpanEvent, type SpanLink } from '../model/span';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, OtlpDecodeError } from './decodeError';
import { isIndexedKeyString } from './indexedKeys';
import { type JsonStepsOptions, materializeJson, parseJsonSteps } from './jsonSteps';
import { RejectionTally } from './rejections';
import { decodeUtf8Strict } from './utf8';

type Json = unknown;
type JsonObject = Record<string, Json>;


/** Decodes an OTLP/JSON request body (bytes or text). Throws OtlpDecodeError for bad input, nothing else. */
export function decodeTraceRequestJson(body: Uint8Array | string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): SpanBatch {
  const text = typeof body === 'string' ? body : decodeUtf8Strict(body, true);
  let root: Json;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  return decodeTraceRequestObject(root, limits);
}

/** Decodes an already parsed OTLP/JSON ExportTraceServiceRequest (e.g. one line of a file export). */
export function decodeTraceRequestObject(root: Json, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): SpanBatch {
  const steps = decodeTraceRequestObjectSteps(root, limits, Infinity);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Decodes a large OTLP/JSON body without blocking the event loop for long: the text is parsed in steps
 * (jsonSteps.ts) and the spans are decoded in steps; the generator yields between slices of either.
 */
export function* decodeTraceRequestJsonSteps(body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, parse?: JsonStepsOptions): Generator<void, SpanBatch, void> {
  const root = yield* parseJsonSteps(body, parse);
  return yield* decodeTraceRequestObjectSteps(root, limits, 256);
}

/** decodeTraceRequestObject, yielding after every `spansPerSlice` spans. */
export function* decodeTraceRequestObjectSteps(root: Json, limits: DecodeLimits, spansPerSlice: number): Generator<void, SpanBatch, void> {
  const d = new JsonDecoder(limits.maxValueDepth);
  const obj = d.object(root, '$');
  const spans: Span[] = [];
  const resources: Resource[] = [];
  const scopes: Scope[] = [];
  let sinceYield = 0;
  const resourceSpans = d.array(obj.resourceSpans, 'resourceSpans');
  for (let i = 0; i < resourceSpans.length; i++) {
    const path = `resourceSpans[${i}]`;
    const rs = d.object(materializeJson(resourceSpans[i]), path);
    const resJson = rs.resource === undefined || rs.resource === null ? {} : d.object(rs.resource, `${path}.resource`);
    const attributes = d.attributes(resJson.attributes, `${path}.resource.attributes`);
    let serviceName = '';
    for (const kv of attributes) if (kv.key === 'service.name' && typeof kv.value === 'string') serviceName = kv.value;
    const resource: Resource = {
      attributes,
      droppedAttributesCount: d.uint32(resJson.droppedAttributesCount, `${path}.resource.droppedAttributesCount`),
      schemaUrl: d.string(rs.schemaUrl, `${path}.schemaUrl`),
      serviceName,
    };
    let resourceUsed = false;
    const scopeSpans = d.array(rs.scopeSpans, `${path}.scopeSpans`);
    for (let j = 0; j < scopeSpans.length; j++) {
      const sp = `${path}.scopeSpans[${j}]`;
      const ss = d.object(materializeJson(scopeSpans[j]), sp);
      const scJson = ss.scope === undefined || ss.scope === null ? {} : d.object(ss.scope, `${sp}.scope`);
      const scope: Scope = {
        name: d.string(scJson.name, `${sp}.scope.name`),
        version: d.string(scJson.version, `${sp}.scope.version`),
        attributes: d.attributes(scJson.attributes, `${sp}.scope.attributes`),
        droppedAttributesCount: d.uint32(scJson.droppedAttributesCount, `${sp}.scope.droppedAttributesCount`),
        schemaUrl: d.string(ss.schemaUrl, `${sp}.schemaUrl`),
      };
      const list = d.array(ss.spans, `${sp}.spans`);
      if (list.length === 0) continue;
      if (!resourceUsed) {
        resources.push(resource);
        resourceUsed = true;
      }
      scopes.push(scope);
      for (let k = 0; k < list.length; k++) {
        const span = d.span(materializeJson(list[k]), `${sp}.spans[${k}]`, resource, scope);
        list[k] = null;
        if (span) spans.push(span);
        if (++sinceYield >= spansPerSlice) {
          sinceYield = 0;
          yield;
        }
      }
    }
  }
  return { spans, resources, scopes, rejectedSpans: d.rejections.total, rejectionMessage: d.rejections.message() };
}

const HEX_RE = /^[0-9a-fA-F]*$/;
const UINT_RE = /^\d+$/;
const INT_RE = /^-?\d+$/;
const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;
const UINT64_MAX = (1n << 64n) - 1n;

class JsonDecoder {
  readonly rejections = new RejectionTally();
  constructor(private readonly maxDepth: number) {}

  fail(path: string, what: string): never {
    throw new OtlpDecodeError(`${path}: ${what}`);
  }

  object(v: Json, path: string): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'expected an object');
    return v as JsonObject;
  }

  /** Absent or null is an empty list, as in ProtoJSON. */
  array(v: Json, path: string): Json[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(path, 'expected an array');
    return v;
  }

  string(v: Json, path: string): string {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') this.fail(path, 'expected a string');
    return v;
  }

  uint32(v: Json, path: string): number {
    if (v === undefined || v === null) return 0;
    const n = typeof v === 'string' && UINT_RE.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) this.fail(path, 'expected a uint32');
    return n;
  }

  /** An enum: an integer (or a decimal string of one); OTLP forbids names, but accepting them costs nothing. */
  enumValue(v: Json, path: string, names: readonly string[]): number {
    if (v === undefined || v === null) return 0;
    if (typeof v === 'string') {
      const i = names.indexOf(v);
      if (i >= 0) return i;
      if (INT_RE.test(v)) return Number(v) | 0;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(path, 'expected an integer enum value');
    return v | 0;
  }

  /** uint64 nanoseconds as the (ms, sub-ms ns) pair. */
  nanos(v: Json, path: string): [number, number] {
    if (v === undefined || v === null) return [0, 0];
    if (typeof v === 'string') {
      if (!UINT_RE.test(v) || v.length > 20 || (v.length === 20 && BigInt(v) > UINT64_MAX)) this.fail(path, 'expected a uint64 decimal string');
      if (v.length <= 6) return [0, Number(v)];
      return [Number(v.slice(0, -6)), Number(v.slice(-6))];
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(path, 'expected a uint64');
    // A JSON number above 2^53 has already lost precision in JSON.parse; nothing better can be done with it.
    const sub = v % 1_000_000;
    return [(v - sub) / 1_000_000, sub];
  }

  int64(v: Json, path: string): bigint {
    if (typeof v === 'string' && INT_RE.test(v)) {
      const b = BigInt(v);
      if (BigInt.asIntN(64, b) !== b) this.fail(path, 'int64 out of range');
      return b;
    }
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
    return this.fail(path, 'expected an int64 (decimal string or integer)');
  }

  attributes(v: Json, path: string, depth = this.maxDepth): KeyValue[] {
    return this.array(v, path).map((kvJson, i) => {
      const p = `${path}[${i}]`;
      const kv = this.object(kvJson, p);
      const value = kv.value === undefined || kv.value === null ? null : this.anyValue(kv.value, `${p}.value`, depth);
      return { key: this.string(kv.key, `${p}.key`), value };
    });
  }

  anyValue(v: Json, path: string, depth: number): AnyValue {
    const o = this.object(v, path);
    if (o.stringValue !== undefined && o.stringValue !== null) return this.string(o.stringValue, `${path}.stringValue`);
    if (o.boolValue !== undefined && o.boolValue !== null) {
      if (typeof o.boolValue !== 'boolean') this.fail(`${path}.boolValue`, 'expected a boolean');
      return o.boolValue;
    }
    if (o.intValue !== undefined && o.intValue !== null) return this.int64(o.intValue, `${path}.intValue`);
    if (o.doubleValue !== undefined && o.doubleValue !== null) {
      const d = o.doubleValue;
      if (typeof d === 'number') return d;
      if (d === 'NaN') return NaN;
      if (d === 'Infinity') return Infinity;
      if (d === '-Infinity') return -Infinity;
      if (typeof d === 'string' && d.trim() !== '' && Number.isFinite(Number(d))) return Number(d);
      return this.fail(`${path}.doubleValue`, 'expected a number');
    }
    if (o.arrayValue !== undefined && o.arrayValue !== null) {
      if (depth <= 0) this.fail(path, 'attribute value nested too deeply');
      const values = this.object(o.arrayValue, `${path}.arrayValue`).values;
      return this.array(values, `${path}.arrayValue.values`).map((x, i) => this.anyValue(x, `${path}.arrayValue.values[${i}]`, depth - 1));
    }
    if (o.kvlistValue !== undefined && o.kvlistValue !== null) {
      if (depth <= 0) this.fail(path, 'attribute value nested too deeply');
      const values = this.object(o.kvlistValue, `${path}.kvlistValue`).values;
      return { kvlist: this.attributes(values, `${path}.kvlistValue.values`, depth - 1) };
    }
    if (o.bytesValue !== undefined && o.bytesValue !== null) {
      const b = o.bytesValue;
      if (typeof b !== 'string' || !BASE64_RE.test(b)) this.fail(`${path}.bytesValue`, 'expected base64');
      return new Uint8Array(Buffer.from(b, 'base64'));
    }
    return null;
  }

  /** A hex id, lowercased; undefined when it is not hex of the right length (the span is then rejected). */
  id(v: Json, path: string, bytes: number): string | undefined {
    const s = this.string(v, path);
    if (s.length !== bytes * 2 || !HEX_RE.test(s)) return undefined;
    return s.toLowerCase();
  }

  span(v: Json, path: string, resource: Resource, scope: Scope): Span | undefined {
    const o = this.object(v, path);
    const traceId = this.id(o.traceId, `${path}.traceId`, 16);
    const spanId = this.id(o.spanId, `${path}.spanId`, 8);
    const parentRaw = this.string(o.parentSpanId, `${path}.parentSpanId`);
    const parentSpanId = parentRaw === '' ? '' : this.id(parentRaw, `${path}.parentSpanId`, 8);
    const [startMs, startSub] = this.nanos(o.startTimeUnixNano, `${path}.startTimeUnixNano`);
    const [endMs, endSub] = this.nanos(o.endTimeUnixNano, `${path}.endTimeUnixNano`);
    const statusJson = o.status === undefined || o.status === null ? {} : this.object(o.status, `${path}.status`);
    const attributes = this.attributes(o.attributes, `${path}.attributes`);
    const events: SpanEvent[] = this.array(o.events, `${path}.events`).map((eJson, i) => {
      const p = `${path}.events[${i}]`;
      const e = this.object(eJson, p);
      const [timeMs, timeSub] = this.nanos(e.timeUnixNano, `${p}.timeUnixNano`);
      return {
        name: this.string(e.name, `${p}.name`),
        timeMs,
        timeSubMsNanos: timeSub,
        attributes: this.attributes(e.attributes, `${p}.attributes`),
        droppedAttributesCount: this.uint32(e.droppedAttributesCount, `${p}.droppedAttributesCount`),
      };
    });
    const links: SpanLink[] = this.array(o.links, `${path}.links`).map((lJson, i) => {
      const p = `${path}.links[${i}]`;
      const l = this.object(lJson, p);
      return {
        traceId: this.string(l.traceId, `${p}.traceId`).toLowerCase(),
        spanId: this.string(l.spanId, `${p}.spanId`).toLowerCase(),
        traceState: this.string(l.traceState, `${p}.traceState`),
        attributes: this.attributes(l.attributes, `${p}.attributes`),
        droppedAttributesCount: this.uint32(l.droppedAttributesCount, `${p}.droppedAttributesCount`),
        flags: this.uint32(l.flags, `${p}.flags`),
      };
    });
    const init = {
      traceState: this.string(o.traceState, `${path}.traceState`),
      flags: this.uint32(o.flags, `${path}.flags`),
      name: this.string(o.name, `${path}.name`),
      kind: this.enumValue(o.kind, `${path}.kind`, SPAN_KIND_NAMES),
      startMs,
      startSubMsNanos: startSub,
      endMs,
      endSubMsNanos: endSub,
      statusCode: this.enumValue(statusJson.code, `${path}.status.code`, STATUS_CODE_NAMES),
      statusMessage: this.string(statusJson.message, `${path}.status.message`),
      droppedAttributesCount: this.uint32(o.droppedAttributesCount, `${path}.droppedAttributesCount`),
      droppedEventsCount: this.uint32(o.droppedEventsCount, `${path}.droppedEventsCount`),
      droppedLinksCount: this.uint32(o.droppedLinksCount, `${path}.droppedLinksCount`),
      eventCount: events.length,
      linkCount: links.length,
      indexed: attributes.filter(kv => isIndexedKeyString(kv.key)),
      resource,
      scope,
    };
    // Checked after the whole span parsed, so malformed data is a 400 even when the ids are also bad.
    if (traceId === undefined || /^0+$/.test(traceId)) {
      this.rejections.add('an invalid trace_id (must be 16 bytes, not all zero)');
      return undefined;
    }
    if (spanId === undefined || /^0+$/.test(spanId)) {
      this.rejections.add('an invalid span_id (must be 8 bytes, not all zero)');
      return undefined;
    }
    if (parentSpanId === undefined) {
      this.rejections.add('an invalid parent_span_id (must be 8 bytes or empty)');
      return undefined;
    }
    const details: SpanDetails = { attributes, events, links };
    return new Span({ ...init, traceId, spanId, parentSpanId: /^0+$/.test(parentSpanId) ? '' : parentSpanId }, details);
  }
}

const SPAN_KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
