// OTLP/JSON -> the same ExportTraceServiceRequest as protobuf bytes, checked as it is written, so that a JSON
// request takes the protobuf decoder's path (columns, details kept as bytes) instead of becoming Span objects with
// all their details. Each span's JSON objects are garbage as soon as the span is written: with a large body they
// die young, where a Span object per span kept them all alive until the major GC pauses alone broke the 50 ms
// stall target (docs/receiver.md).
//
// OTLP/JSON rules (docs/otlp.md#json-encoding): lowerCamelCase keys, hex ids (any case), integer enums (names accepted too),
// int64 as decimal string or number, bytes as base64, unknown fields ignored. Malformed data throws
// OtlpDecodeError naming the JSON path; spans with invalid ids are left out and counted in `rejections`.
// Member names and field numbers are otlpFields.ts's: each object is typed as its message's OTLP/JSON object,
// so reading a member the table does not have is a compile error.
import { nanosWords, wordsHi, wordsLo } from '../model/time';
import { OtlpDecodeError } from './decodeError';
import { HEX } from './jsonCursor';
import { materializeJson } from './jsonSteps';
import {
  type AnyOtlpJsonName,
  AnyValueField,
  ArrayValueField,
  EventField,
  ExportTraceServiceRequestField,
  InstrumentationScopeField,
  KeyValueField,
  KeyValueListField,
  LinkField,
  type OtlpJsonObject,
  type OtlpMessageName,
  ResourceField,
  ResourceSpansField,
  ScopeSpansField,
  SpanField,
  StatusField,
} from './otlpFields';
import { ProtoWriter } from './protoWriter';
import { type RejectionTally, idRejection } from './rejections';

type Json = unknown;

const INT_RE = /^-?\d+$/;
const BASE64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;
const UINT64_MAX = (1n << 64n) - 1n;
const UINT64_MAX_NUMBER = Number(UINT64_MAX);
const SPAN_KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];


export class JsonTranscoder {
  readonly w: ProtoWriter;
  /** Where the walk is, for error messages: property names and array indexes (built into a path only on error). */
  private readonly path: (AnyOtlpJsonName | number)[] = [];
  /** nanos() result. */
  private lo = 0;
  private hi = 0;
  /** Scratch for ids, reused. */
  private readonly id = new Uint8Array(16);

  constructor(
    private readonly maxDepth: number,
    private readonly rejections: RejectionTally,
    capacity: number,
  ) {
    this.w = new ProtoWriter(capacity);
  }

  /**
   * Writes the request, yielding after every `spansPerSlice` spans; returns the protobuf bytes. Resources and
   * scopes without accepted spans are left out (they would only be empty groups).
   */
  *request(root: Json, spansPerSlice: number): Generator<void, Uint8Array, void> {
    const w = this.w;
    const obj = this.object<'ExportTraceServiceRequest'>(root, undefined);
    const resourceSpans = this.array(obj.resourceSpans, 'resourceSpans');
    let sinceYield = 0;
    this.path.push('resourceSpans');
    for (let i = 0; i < resourceSpans.length; i++) {
      this.path.push(i);
      const rs = this.object<'ResourceSpans'>(materializeJson(resourceSpans[i]), undefined);
      const rsStart = w.pos;
      const rsMark = w.begin(ExportTraceServiceRequestField.resourceSpans);
      if (rs.resource !== undefined && rs.resource !== null) this.resource(rs.resource);
      const schemaUrl = this.string(rs.schemaUrl, 'schemaUrl');
      if (schemaUrl) w.string(ResourceSpansField.schemaUrl, schemaUrl);
      const scopeSpans = this.array(rs.scopeSpans, 'scopeSpans');
      let spansInResource = 0;
      this.path.push('scopeSpans');
      for (let j = 0; j < scopeSpans.length; j++) {
        this.path.push(j);
        const ss = this.object<'ScopeSpans'>(materializeJson(scopeSpans[j]), undefined);
        const ssStart = w.pos;
        const ssMark = w.begin(ResourceSpansField.scopeSpans);
        if (ss.scope !== undefined && ss.scope !== null) this.scope(ss.scope);
        const scopeSchemaUrl = this.string(ss.schemaUrl, 'schemaUrl');
        if (scopeSchemaUrl) w.string(ScopeSpansField.schemaUrl, scopeSchemaUrl);
        const spans = this.array(ss.spans, 'spans');
        let spansInScope = 0;
        this.path.push('spans');
        for (let k = 0; k < spans.length; k++) {
          this.path.push(k);
          if (this.span(materializeJson(spans[k]))) spansInScope++;
          this.path.pop();
          if (++sinceYield >= spansPerSlice) {
            sinceYield = 0;
            yield;
          }
        }
        this.path.pop();
        if (spansInScope > 0) w.end(ssMark);
        else w.pos = ssStart;
        spansInResource += spansInScope;
        this.path.pop();
      }
      this.path.pop();
      if (spansInResource > 0) w.end(rsMark);
      else w.pos = rsStart;
      this.path.pop();
    }
    return w.finish();
  }

  /** The Resource of a ResourceSpans. */
  private resource(v: Json): void {
    const w = this.w;
    this.path.push('resource');
    const o = this.object<'Resource'>(v, undefined);
    const mark = w.begin(ResourceSpansField.resource);
    this.attributes(o.attributes, ResourceField.attributes, this.maxDepth);
    const dropped = this.uint32(o.droppedAttributesCount, 'droppedAttributesCount');
    if (dropped) w.uint32(ResourceField.droppedAttributesCount, dropped);
    w.end(mark);
    this.path.pop();
  }

  /** The InstrumentationScope of a ScopeSpans. */
  private scope(v: Json): void {
    const w = this.w;
    this.path.push('scope');
    const o = this.object<'InstrumentationScope'>(v, undefined);
    const mark = w.begin(ScopeSpansField.scope);
    const name = this.string(o.name, 'name');
    if (name) w.string(InstrumentationScopeField.name, name);
    const version = this.string(o.version, 'version');
    if (version) w.string(InstrumentationScopeField.version, version);
    this.attributes(o.attributes, InstrumentationScopeField.attributes, this.maxDepth);
    const dropped = this.uint32(o.droppedAttributesCount, 'droppedAttributesCount');
    if (dropped) w.uint32(InstrumentationScopeField.droppedAttributesCount, dropped);
    w.end(mark);
    this.path.pop();
  }

  /** Writes one Span of a ScopeSpans; false when it was rejected for its ids (nothing is written then). */
  private span(v: Json): boolean {
    const w = this.w;
    const o = this.object<'Span'>(v, undefined);
    const start = w.pos;
    const mark = w.begin(ScopeSpansField.spans);
    // Every field is checked before the ids decide, so malformed data is a 400 even when the ids are also bad.
    const traceOk = this.hexId(o.traceId, 'traceId', 16, SpanField.traceId);
    const spanOk = this.hexId(o.spanId, 'spanId', 8, SpanField.spanId);
    const parentRaw = this.string(o.parentSpanId, 'parentSpanId');
    const parentOk = parentRaw === '' || this.hexId(parentRaw, 'parentSpanId', 8, SpanField.parentSpanId);
    const traceState = this.string(o.traceState, 'traceState');
    if (traceState) w.string(SpanField.traceState, traceState);
    const name = this.string(o.name, 'name');
    if (name) w.string(SpanField.name, name);
    const kind = this.enumValue(o.kind, 'kind', SPAN_KIND_NAMES);
    if (kind) w.uint32(SpanField.kind, kind);
    this.nanos(o.startTimeUnixNano, 'startTimeUnixNano');
    if (this.lo || this.hi) w.fixed64(SpanField.startTimeUnixNano, this.lo, this.hi);
    this.nanos(o.endTimeUnixNano, 'endTimeUnixNano');
    if (this.lo || this.hi) w.fixed64(SpanField.endTimeUnixNano, this.lo, this.hi);
    this.attributes(o.attributes, SpanField.attributes, this.maxDepth);
    const droppedAttributes = this.uint32(o.droppedAttributesCount, 'droppedAttributesCount');
    if (droppedAttributes) w.uint32(SpanField.droppedAttributesCount, droppedAttributes);
    const events = this.array(o.events, 'events');
    if (events.length > 0) {
      this.path.push('events');
      for (let i = 0; i < events.length; i++) {
        this.path.push(i);
        const e = this.object<'Span.Event'>(events[i], undefined);
        const m = w.begin(SpanField.events);
        this.nanos(e.timeUnixNano, 'timeUnixNano');
        if (this.lo || this.hi) w.fixed64(EventField.timeUnixNano, this.lo, this.hi);
        const eventName = this.string(e.name, 'name');
        if (eventName) w.string(EventField.name, eventName);
        this.attributes(e.attributes, EventField.attributes, this.maxDepth);
        const dropped = this.uint32(e.droppedAttributesCount, 'droppedAttributesCount');
        if (dropped) w.uint32(EventField.droppedAttributesCount, dropped);
        w.end(m);
        this.path.pop();
      }
      this.path.pop();
    }
    const droppedEvents = this.uint32(o.droppedEventsCount, 'droppedEventsCount');
    if (droppedEvents) w.uint32(SpanField.droppedEventsCount, droppedEvents);
    const links = this.array(o.links, 'links');
    if (links.length > 0) {
      this.path.push('links');
      for (let i = 0; i < links.length; i++) {
        this.path.push(i);
        const l = this.object<'Span.Link'>(links[i], undefined);
        const m = w.begin(SpanField.links);
        this.linkId(l.traceId, 'traceId', LinkField.traceId);
        this.linkId(l.spanId, 'spanId', LinkField.spanId);
        const linkState = this.string(l.traceState, 'traceState');
        if (linkState) w.string(LinkField.traceState, linkState);
        this.attributes(l.attributes, LinkField.attributes, this.maxDepth);
        const dropped = this.uint32(l.droppedAttributesCount, 'droppedAttributesCount');
        if (dropped) w.uint32(LinkField.droppedAttributesCount, dropped);
        const flags = this.uint32(l.flags, 'flags');
        if (flags) w.fixed32(LinkField.flags, flags);
        w.end(m);
        this.path.pop();
      }
      this.path.pop();
    }
    const droppedLinks = this.uint32(o.droppedLinksCount, 'droppedLinksCount');
    if (droppedLinks) w.uint32(SpanField.droppedLinksCount, droppedLinks);
    if (o.status !== undefined && o.status !== null) {
      this.path.push('status');
      const st = this.object<'Status'>(o.status, undefined);
      const message = this.string(st.message, 'message');
      const code = this.enumValue(st.code, 'code', STATUS_CODE_NAMES);
      if (message || code) {
        const m = w.begin(SpanField.status);
        if (message) w.string(StatusField.message, message);
        if (code) w.uint32(StatusField.code, code);
        w.end(m);
      }
      this.path.pop();
    }
    const flags = this.uint32(o.flags, 'flags');
    if (flags) w.fixed32(SpanField.flags, flags);
    const reason = idRejection(traceOk, spanOk, parentOk);
    if (reason) {
      this.rejections.add(reason);
      w.pos = start;
      return false;
    }
    w.end(mark);
    return true;
  }

  /**
   * Writes a span's hex id as bytes field `field`; false (nothing written) when it is not hex of `bytes` bytes or
   * is all zero. An all-zero parent is "no parent", as some SDKs send it: nothing is written and it is valid.
   */
  private hexId(v: Json, name: AnyOtlpJsonName, bytes: number, field: number): boolean {
    const s = this.string(v, name);
    if (s.length !== bytes * 2) return false;
    const id = this.id;
    let nonZero = 0;
    for (let i = 0; i < bytes; i++) {
      const a = s.charCodeAt(2 * i);
      const b = s.charCodeAt(2 * i + 1);
      const hi = a < 256 ? HEX[a]! : -1;
      const lo = b < 256 ? HEX[b]! : -1;
      if (hi < 0 || lo < 0) return false;
      nonZero |= id[i] = (hi << 4) | lo;
    }
    if (nonZero === 0) return field === SpanField.parentSpanId;
    this.w.bytes(field, id.subarray(0, bytes));
    return true;
  }

  /** A link's trace or span id: hex of any even length (empty allowed), else malformed data. */
  private linkId(v: Json, name: AnyOtlpJsonName, field: number): void {
    const s = this.string(v, name);
    if (s === '') return;
    if (s.length % 2 !== 0) this.fail('expected a hex id', name);
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) {
      const a = s.charCodeAt(2 * i);
      const b = s.charCodeAt(2 * i + 1);
      const hi = a < 256 ? HEX[a]! : -1;
      const lo = b < 256 ? HEX[b]! : -1;
      if (hi < 0 || lo < 0) this.fail('expected a hex id', name);
      out[i] = (hi << 4) | lo;
    }
    this.w.bytes(field, out);
  }

  /** Writes each KeyValue of `v` as message field `field`. */
  private attributes(v: Json, field: number, depth: number, name: 'attributes' | 'values' = 'attributes'): void {
    const list = this.array(v, name);
    if (list.length === 0) return;
    const w = this.w;
    this.path.push(name);
    for (let i = 0; i < list.length; i++) {
      this.path.push(i);
      const kv = this.object<'KeyValue'>(list[i], undefined);
      const mark = w.begin(field);
      const key = this.string(kv.key, 'key');
      if (key) w.string(KeyValueField.key, key);
      const value = kv.value;
      if (value !== undefined && value !== null) {
        this.path.push('value');
        const m = w.begin(KeyValueField.value);
        this.anyValue(value, depth);
        w.end(m);
        this.path.pop();
      }
      w.end(mark);
      this.path.pop();
    }
    this.path.pop();
  }

  /** Writes the fields of one AnyValue message (the caller opened it). */
  private anyValue(v: Json, depth: number): void {
    const w = this.w;
    const o = this.object<'AnyValue'>(v, undefined);
    const s = o.stringValue;
    if (s !== undefined && s !== null) {
      w.string(AnyValueField.stringValue, this.string(s, 'stringValue'));
      return;
    }
    const b = o.boolValue;
    if (b !== undefined && b !== null) {
      if (typeof b !== 'boolean') this.fail('expected a boolean', 'boolValue');
      w.uint32(AnyValueField.boolValue, b ? 1 : 0);
      return;
    }
    if (o.intValue !== undefined && o.intValue !== null) return this.int64(o.intValue, AnyValueField.intValue, 'intValue');
    const d = o.doubleValue;
    if (d !== undefined && d !== null) {
      let n: number;
      if (typeof d === 'number') n = d;
      else if (d === 'NaN') n = NaN;
      else if (d === 'Infinity') n = Infinity;
      else if (d === '-Infinity') n = -Infinity;
      else if (typeof d === 'string' && d.trim() !== '' && Number.isFinite(Number(d))) n = Number(d);
      else return this.fail('expected a number', 'doubleValue');
      w.double(AnyValueField.doubleValue, n);
      return;
    }
    const arr = o.arrayValue;
    if (arr !== undefined && arr !== null) {
      if (depth <= 0) this.fail('attribute value nested too deeply', undefined);
      this.path.push('arrayValue');
      const values = this.array(this.object<'ArrayValue'>(arr, undefined).values, 'values');
      const m = w.begin(AnyValueField.arrayValue);
      this.path.push('values');
      for (let i = 0; i < values.length; i++) {
        this.path.push(i);
        const item = w.begin(ArrayValueField.values);
        this.anyValue(values[i], depth - 1);
        w.end(item);
        this.path.pop();
      }
      this.path.pop();
      w.end(m);
      this.path.pop();
      return;
    }
    const kvl = o.kvlistValue;
    if (kvl !== undefined && kvl !== null) {
      if (depth <= 0) this.fail('attribute value nested too deeply', undefined);
      this.path.push('kvlistValue');
      const m = w.begin(AnyValueField.kvlistValue);
      this.attributes(this.object<'KeyValueList'>(kvl, undefined).values, KeyValueListField.values, depth - 1, 'values');
      w.end(m);
      this.path.pop();
      return;
    }
    const bytes = o.bytesValue;
    if (bytes !== undefined && bytes !== null) {
      if (typeof bytes !== 'string' || !BASE64_RE.test(bytes)) this.fail('expected base64', 'bytesValue');
      w.bytes(AnyValueField.bytesValue, Buffer.from(bytes, 'base64'));
    }
  }

  private int64(v: Json, field: number, name: AnyOtlpJsonName): void {
    const w = this.w;
    if (typeof v === 'string' && INT_RE.test(v)) {
      // Up to 15 digits is exact as a double; longer ones go through BigInt, which also checks the range.
      if (v.length <= 15) return w.int64(field, Number(v));
      const big = BigInt(v);
      if (BigInt.asIntN(64, big) !== big) this.fail('int64 out of range', name);
      return w.bigint64(field, big);
    }
    if (typeof v === 'number' && Number.isInteger(v)) {
      return Number.isSafeInteger(v) ? w.int64(field, v) : w.bigint64(field, BigInt(v));
    }
    this.fail('expected an int64 (decimal string or integer)', name);
  }

  fail(what: string, name: string | undefined): never {
    let p = '';
    for (const part of this.path) p += typeof part === 'number' ? `[${part}]` : p === '' ? part : `.${part}`;
    if (name !== undefined) p += p === '' ? name : `.${name}`;
    throw new OtlpDecodeError(`${p === '' ? '$' : p}: ${what}`);
  }

  private object<M extends OtlpMessageName>(v: Json, name: AnyOtlpJsonName | undefined): OtlpJsonObject<M> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail('expected an object', name);
    return v as OtlpJsonObject<M>;
  }

  /** Absent or null is an empty list, as in ProtoJSON. */
  private array(v: Json, name: AnyOtlpJsonName): Json[] {
    if (v === undefined || v === null) return EMPTY;
    if (!Array.isArray(v)) this.fail('expected an array', name);
    return v;
  }

  private string(v: Json, name: AnyOtlpJsonName): string {
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') this.fail('expected a string', name);
    return v;
  }

  private uint32(v: Json, name: AnyOtlpJsonName): number {
    if (v === undefined || v === null) return 0;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) this.fail('expected a uint32', name);
    return n;
  }

  /** An enum: an integer (or a decimal string of one); OTLP forbids names, but accepting them costs nothing. */
  private enumValue(v: Json, name: AnyOtlpJsonName, names: readonly string[]): number {
    if (v === undefined || v === null) return 0;
    if (typeof v === 'string') {
      const i = names.indexOf(v);
      if (i >= 0) return i;
      if (INT_RE.test(v)) return Number(v) | 0;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail('expected an integer enum value', name);
    return v | 0;
  }

  /** uint64 nanoseconds into lo/hi, exactly (a decimal string is read digit by digit). */
  private nanos(v: Json, name: AnyOtlpJsonName): void {
    let ms = 0;
    let sub = 0;
    if (v === undefined || v === null) {
      // 0
    } else if (typeof v === 'string') {
      const n = v.length;
      if (n === 0 || n > 20) this.fail('expected a uint64 decimal string', name);
      const split = n - 6;
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i) - 48;
        if (c < 0 || c > 9) this.fail('expected a uint64 decimal string', name);
        if (i < split) ms = ms * 10 + c;
        else sub = sub * 10 + c;
      }
      if (n === 20 && BigInt(v) > UINT64_MAX) this.fail('expected a uint64 decimal string', name);
    } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= UINT64_MAX_NUMBER) {
      // A JSON number above 2^53 has already lost precision in JSON.parse; nothing better can be done with it.
      sub = v % 1_000_000;
      ms = (v - sub) / 1_000_000;
    } else this.fail('expected a uint64', name);
    nanosWords(ms, sub);
    this.lo = wordsLo;
    this.hi = wordsHi;
  }
}

const EMPTY: Json[] = [];
