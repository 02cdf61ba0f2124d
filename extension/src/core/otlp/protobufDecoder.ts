// ExportTraceServiceRequest (protobuf) -> SpanBatch, written by hand (docs/receiver.md has the measurements
// against protobufjs). At ingest each span is fully validated, but only its indexed fields become JS values;
// the Span keeps the byte range of its message, and `protobufDetailsCodec` decodes the rest on demand.
// The decoder is a generator that yields every `sliceBytes` so a caller can spread a large body over
// several event-loop turns; `decodeTraceRequest` runs it to the end in one go.
import { type AnyValue, type KeyValue } from '../model/anyValue';
import { type SpanBatch } from '../model/batch';
import { INFO_KIND_SHIFT, INFO_STATUS_SHIFT, SpanColumns } from '../model/spanColumns';
import { SpanFacts } from '../../protocol/spanFacts';
import { ClassMemo, KEY_CLASS, KEY_SOURCE, KEY_SPAN_TYPE, KEY_USAGE, factBitsOf, keyKind, newClassProbe } from '../semantics/ingestFacts';
import { type Resource, type Scope, Span, type SpanDetails, type SpanDetailsCodec, type SpanEvent, type SpanInit, type SpanLink, StatusCode } from '../model/span';
import { readAnyValue, readKeyValue, skipAnyValue, skipKeyValue } from './anyValueProto';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './decodeError';
import { cachedKeyKindBytes, isIndexedKeyBytes } from './indexedKeys';
import {
  AnyValueTag,
  EventTag,
  ExportTraceServiceRequestTag,
  InstrumentationScopeTag,
  KeyValueTag,
  LinkTag,
  OTLP_MESSAGES,
  type OtlpMessage,
  ResourceSpansTag,
  ResourceTag,
  ScopeSpansTag,
  SpanTag,
  StatusTag,
  otherField,
} from './otlpFields';
import { ProtoReader, nanosSubMs, nanosToMs, sameBytes } from './protoReader';
import { INVALID_PARENT_ID, INVALID_SPAN_ID, INVALID_TRACE_ID, RejectionTally } from './rejections';

export interface DecodeOptions {
  readonly limits?: DecodeLimits;
  /** Yield after about this many bytes of spans (generator form only). */
  readonly sliceBytes?: number;
  /**
   * Make SpanColumns instead of Span objects (the batch's `spans` are then decoded again on first read). What
   * the receiver does: the store ingests columns, and most requests are never looked at span by span.
   */
  readonly columns?: boolean;
  /** Where rejected spans are counted (the JSON transcoder passes the spans it already rejected). */
  readonly rejections?: RejectionTally;
}

/** Decodes a whole request synchronously. Throws OtlpDecodeError for bad input, nothing else. */
export function decodeTraceRequest(body: Uint8Array, options: DecodeOptions = {}): SpanBatch {
  const steps = decodeTraceRequestSteps(body, { ...options, sliceBytes: Infinity });
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The same decode, yielding between slices of work. */
export function* decodeTraceRequestSteps(body: Uint8Array, options: DecodeOptions = {}): Generator<void, SpanBatch, void> {
  const limits = options.limits ?? DEFAULT_DECODE_LIMITS;
  const ctx: DecodeContext = {
    r: new ProtoReader(body),
    depth: limits.maxValueDepth,
    sliceBytes: options.sliceBytes ?? 256 * 1024,
    lastYield: 0,
    spans: [],
    resources: [],
    scopes: [],
    rejections: options.rejections ?? new RejectionTally(),
    // Sized for ~256 bytes a span (msgflux's are ~90, GenAI ones with content several KB); doubled when short.
    cols: options.columns ? new SpanColumns(body, Math.max(16, Math.min(65536, body.length >>> 8))) : undefined,
    group: -1,
  };
  const r = ctx.r;
  const end = body.length;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    if (tag === ExportTraceServiceRequestTag.resourceSpans) {
      const stop = r.readLengthEnd(end);
      yield* decodeResourceSpans(ctx, stop);
      r.pos = stop;
    } else otherField(r, OTLP_MESSAGES.ExportTraceServiceRequest, tag, end, ctx.depth, at);
  }
  const cols = ctx.cols;
  if (cols !== undefined) {
    let spans: readonly Span[] | undefined;
    return {
      get spans() {
        return (spans ??= decodeTraceRequest(body, { limits }).spans);
      },
      columns: cols,
      resources: ctx.resources,
      scopes: ctx.scopes,
      rejectedSpans: ctx.rejections.total,
      rejectionMessage: ctx.rejections.message(),
    };
  }
  return {
    spans: ctx.spans,
    resources: ctx.resources,
    scopes: ctx.scopes,
    rejectedSpans: ctx.rejections.total,
    rejectionMessage: ctx.rejections.message(),
  };
}

interface DecodeContext {
  readonly r: ProtoReader;
  readonly depth: number;
  readonly sliceBytes: number;
  lastYield: number;
  readonly spans: Span[];
  readonly resources: Resource[];
  readonly scopes: Scope[];
  readonly rejections: RejectionTally;
  /** Columns mode: where spans go instead of `spans`, and the current resource/scope group. */
  readonly cols: SpanColumns | undefined;
  group: number;
}

/**
 * ResourceSpans and ScopeSpans share a shape: a head message (resource or scope), repeated content, and a
 * schema_url; the head may come after the content on the wire.
 */
interface Envelope {
  readonly message: OtlpMessage;
  readonly head: number;
  readonly content: number;
  readonly schemaUrl: number;
}

const RESOURCE_SPANS: Envelope = { message: OTLP_MESSAGES.ResourceSpans, head: ResourceSpansTag.resource, content: ResourceSpansTag.scopeSpans, schemaUrl: ResourceSpansTag.schemaUrl };
const SCOPE_SPANS: Envelope = { message: OTLP_MESSAGES.ScopeSpans, head: ScopeSpansTag.scope, content: ScopeSpansTag.spans, schemaUrl: ScopeSpansTag.schemaUrl };

/** Finds the head and schema_url, checks every field's wire type, and leaves the reader at `end`. */
function scanEnvelope(ctx: DecodeContext, end: number, env: Envelope): { headStart: number; headStop: number; schemaUrl: string } {
  const r = ctx.r;
  let headStart = -1;
  let headStop = -1;
  let schemaUrl = '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    if (tag === env.head) {
      headStop = r.readLengthEnd(end);
      headStart = r.pos;
      r.pos = headStop;
    } else if (tag === env.content) {
      r.pos = r.readLengthEnd(end);
    } else if (tag === env.schemaUrl) {
      const stop = r.readLengthEnd(end);
      schemaUrl = r.string(r.pos, stop);
      r.pos = stop;
    } else otherField(r, env.message, tag, end, ctx.depth, at);
  }
  return { headStart, headStop, schemaUrl };
}

function* decodeResourceSpans(ctx: DecodeContext, end: number): Generator<void, void, void> {
  const r = ctx.r;
  const begin = r.pos;
  // Pass 1: the resource and schema_url, which may follow the scope_spans on the wire.
  const { headStart: resStart, headStop: resStop, schemaUrl } = scanEnvelope(ctx, end, RESOURCE_SPANS);
  let resource: Resource | undefined;
  const getResource = (): Resource => {
    if (!resource) {
      resource = readResource(ctx, resStart, resStop, schemaUrl);
      ctx.resources.push(resource);
    }
    return resource;
  };
  if (resStart >= 0) getResource();
  // Pass 2: the spans (pass 1 checked every field).
  r.pos = begin;
  while (r.pos < end) {
    const tag = r.readVarint32(end);
    if (tag === ResourceSpansTag.scopeSpans) {
      const stop = r.readLengthEnd(end);
      yield* decodeScopeSpans(ctx, stop, getResource);
      r.pos = stop;
    } else r.skip(tag & 7, end, tag >>> 3, ctx.depth);
  }
}

function readResource(ctx: DecodeContext, start: number, stop: number, schemaUrl: string): Resource {
  const r = ctx.r;
  const attributes: KeyValue[] = [];
  let dropped = 0;
  if (start >= 0) {
    r.pos = start;
    while (r.pos < stop) {
      const at = r.pos;
      const tag = r.readVarint32(stop);
      if (tag === ResourceTag.attributes) {
        const s = r.readLengthEnd(stop);
        attributes.push(readKeyValue(r, s, ctx.depth));
        r.pos = s;
      } else if (tag === ResourceTag.droppedAttributesCount) dropped = r.readVarint32(stop);
      else otherField(r, OTLP_MESSAGES.Resource, tag, stop, ctx.depth, at);
    }
  }
  let serviceName = '';
  for (const kv of attributes) if (kv.key === 'service.name' && typeof kv.value === 'string') serviceName = kv.value;
  return { attributes, droppedAttributesCount: dropped, schemaUrl, serviceName };
}

const EMPTY_SCOPE_ATTRIBUTES: readonly KeyValue[] = Object.freeze([]);

function* decodeScopeSpans(ctx: DecodeContext, end: number, getResource: () => Resource): Generator<void, void, void> {
  const r = ctx.r;
  const begin = r.pos;
  const { headStart: scopeStart, headStop: scopeStop, schemaUrl } = scanEnvelope(ctx, end, SCOPE_SPANS);
  let scope: Scope | undefined;
  r.pos = begin;
  while (r.pos < end) {
    const tag = r.readVarint32(end);
    if (tag === ScopeSpansTag.spans) {
      const stop = r.readLengthEnd(end);
      if (!scope) {
        const pos = r.pos;
        scope = readScope(ctx, scopeStart, scopeStop, schemaUrl);
        ctx.scopes.push(scope);
        if (ctx.cols) ctx.group = ctx.cols.addGroup(getResource(), scope);
        r.pos = pos;
      }
      const span = readSpan(ctx, stop, getResource(), scope);
      if (span) ctx.spans.push(span);
      r.pos = stop;
      if (stop - ctx.lastYield >= ctx.sliceBytes) {
        ctx.lastYield = stop;
        yield;
      }
    } else r.skip(tag & 7, end, tag >>> 3, ctx.depth);
  }
}

function readScope(ctx: DecodeContext, start: number, stop: number, schemaUrl: string): Scope {
  const r = ctx.r;
  let name = '';
  let version = '';
  let attributes: KeyValue[] | undefined;
  let dropped = 0;
  if (start >= 0) {
    r.pos = start;
    while (r.pos < stop) {
      const at = r.pos;
      const tag = r.readVarint32(stop);
      if (tag === InstrumentationScopeTag.name || tag === InstrumentationScopeTag.version || tag === InstrumentationScopeTag.attributes) {
        const s = r.readLengthEnd(stop);
        if (tag === InstrumentationScopeTag.name) name = r.string(r.pos, s);
        else if (tag === InstrumentationScopeTag.version) version = r.string(r.pos, s);
        else (attributes ??= []).push(readKeyValue(r, s, ctx.depth));
        r.pos = s;
      } else if (tag === InstrumentationScopeTag.droppedAttributesCount) dropped = r.readVarint32(stop);
      else otherField(r, OTLP_MESSAGES.InstrumentationScope, tag, stop, ctx.depth, at);
    }
  }
  return { name, version, attributes: attributes ?? EMPTY_SCOPE_ATTRIBUTES, droppedAttributesCount: dropped, schemaUrl };
}

function isAllZero(buf: Uint8Array, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (buf[i] !== 0) return false;
  return true;
}

const NO_INDEXED: readonly KeyValue[] = Object.freeze([]);

const classProbe = newClassProbe();
const classMemo = new ClassMemo();

// Per-span scratch state, reused (decoding is synchronous between slices, so one set is enough): the indexed
// attributes collect here and become an array only at the end of a span, and the SpanInit the Span constructor
// copies from is one object for all spans instead of a literal per span.
const scratchIndexed: KeyValue[] = [];
const scratchKinds: number[] = [];
const scratchRelevant: KeyValue[] = [];
let lastIndexed: readonly KeyValue[] = NO_INDEXED;
const scratchInit: SpanInit = {
  traceId: '',
  spanId: '',
  parentSpanId: '',
  traceState: '',
  flags: 0,
  name: '',
  kind: 0,
  startMs: 0,
  startSubMsNanos: 0,
  endMs: 0,
  endSubMsNanos: 0,
  statusCode: 0,
  statusMessage: '',
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 0,
  eventCount: 0,
  linkCount: 0,
  indexed: NO_INDEXED,
  resource: undefined as unknown as Resource,
  scope: undefined as unknown as Scope,
};

/**
 * The indexed attributes of the span just read, as an array: the shared empty one when there are none, the
 * previous span's array when the entries are the same objects (spans of one kind repeat their attributes, and
 * cached KeyValues make equal attributes identical), else a new one.
 */
function takeIndexed(count: number): readonly KeyValue[] {
  if (count === 0) return NO_INDEXED;
  const last = lastIndexed;
  if (last.length === count) {
    let i = 0;
    while (i < count && last[i] === scratchIndexed[i]) i++;
    if (i === count) return last;
  }
  const out = scratchIndexed.slice(0, count);
  lastIndexed = out;
  return out;
}

// The trace id of the previous span: spans of one trace come together, so most trace ids repeat.
const lastTraceBytes = new Uint8Array(16);
let lastTraceId = '';

function traceIdAt(r: ProtoReader, start: number): string {
  const buf = r.buf;
  let i = 0;
  while (i < 16 && buf[start + i] === lastTraceBytes[i]) i++;
  if (i === 16 && lastTraceId !== '') return lastTraceId;
  for (let j = 0; j < 16; j++) lastTraceBytes[j] = buf[start + j]!;
  lastTraceId = r.hex(start, start + 16);
  return lastTraceId;
}

/** Validates and indexes one Span message at [r.pos, end); returns undefined (and tallies why) if rejected. */
function readSpan(ctx: DecodeContext, end: number, resource: Resource, scope: Scope): Span | undefined {
  const r = ctx.r;
  const buf = r.buf;
  const depth = ctx.depth;
  const begin = r.pos;
  let traceStart = 0;
  let traceStop = 0;
  let spanStart = 0;
  let spanStop = 0;
  let parentStart = 0;
  let parentStop = 0;
  let traceState = '';
  let name = '';
  let kind = 0;
  let sLo = 0;
  let sHi = 0;
  let eLo = 0;
  let eHi = 0;
  let droppedAttributes = 0;
  let droppedEvents = 0;
  let droppedLinks = 0;
  let eventCount = 0;
  let linkCount = 0;
  let statusCode = 0;
  let statusMessage = '';
  let flags = 0;
  let indexedCount = 0;
  // Columns mode: facts of attributes that took the quick path (no KeyValue made for them).
  const columnsMode = ctx.cols !== undefined;
  let quickFacts = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case SpanTag.traceId:
        traceStop = r.readLengthEnd(end);
        traceStart = r.pos;
        r.pos = traceStop;
        break;
      case SpanTag.spanId:
        spanStop = r.readLengthEnd(end);
        spanStart = r.pos;
        r.pos = spanStop;
        break;
      case SpanTag.parentSpanId:
        parentStop = r.readLengthEnd(end);
        parentStart = r.pos;
        r.pos = parentStop;
        break;
      case SpanTag.traceState: {
        const stop = r.readLengthEnd(end);
        traceState = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case SpanTag.name: {
        const stop = r.readLengthEnd(end);
        name = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case SpanTag.kind:
        kind = r.readVarint32(end) | 0;
        break;
      case SpanTag.startTimeUnixNano:
        r.readFixed64(end);
        sLo = r.lo;
        sHi = r.hi;
        break;
      case SpanTag.endTimeUnixNano:
        r.readFixed64(end);
        eLo = r.lo;
        eHi = r.hi;
        break;
      case SpanTag.attributes: {
        const stop = r.readLengthEnd(end);
        if (columnsMode) {
          const quick = quickAttribute(buf, r.view, r.pos, stop);
          if (quick >= 0) {
            quickFacts |= quick;
            r.pos = stop;
            break;
          }
        }
        const kv = indexAttribute(r, stop, depth);
        if (kv !== undefined) {
          scratchKinds[indexedCount] = lastKvKind;
          scratchIndexed[indexedCount++] = kv;
        }
        r.pos = stop;
        break;
      }
      case SpanTag.droppedAttributesCount:
        droppedAttributes = r.readVarint32(end);
        break;
      case SpanTag.events: {
        const stop = r.readLengthEnd(end);
        validateEvent(r, stop, depth);
        eventCount++;
        r.pos = stop;
        break;
      }
      case SpanTag.droppedEventsCount:
        droppedEvents = r.readVarint32(end);
        break;
      case SpanTag.links: {
        const stop = r.readLengthEnd(end);
        validateLink(r, stop, depth);
        linkCount++;
        r.pos = stop;
        break;
      }
      case SpanTag.droppedLinksCount:
        droppedLinks = r.readVarint32(end);
        break;
      case SpanTag.status: {
        const stop = r.readLengthEnd(end);
        while (r.pos < stop) {
          const at2 = r.pos;
          const t = r.readVarint32(stop);
          if (t === StatusTag.message) {
            const s = r.readLengthEnd(stop);
            statusMessage = r.string(r.pos, s);
            r.pos = s;
          } else if (t === StatusTag.code) statusCode = r.readVarint32(stop) | 0;
          else otherField(r, OTLP_MESSAGES.Status, t, stop, depth, at2);
        }
        break;
      }
      case SpanTag.flags:
        flags = r.readFixed32(end);
        break;
      default:
        otherField(r, OTLP_MESSAGES.Span, tag, end, depth, at);
    }
  }
  if (traceStop - traceStart !== 16 || isAllZero(buf, traceStart, traceStop)) {
    ctx.rejections.add(INVALID_TRACE_ID);
    return undefined;
  }
  if (spanStop - spanStart !== 8 || isAllZero(buf, spanStart, spanStop)) {
    ctx.rejections.add(INVALID_SPAN_ID);
    return undefined;
  }
  const parentLen = parentStop - parentStart;
  if (parentLen !== 0 && parentLen !== 8) {
    ctx.rejections.add(INVALID_PARENT_ID);
    return undefined;
  }
  const cols = ctx.cols;
  if (cols !== undefined) {
    const i = cols.add();
    cols.spanStart[i] = begin;
    cols.spanEnd[i] = end;
    cols.traceAt[i] = traceStart;
    cols.spanAt[i] = spanStart;
    cols.parentAt[i] = parentLen === 0 || isAllZero(buf, parentStart, parentStop) ? -1 : parentStart;
    const t = i * 4;
    cols.times[t] = sLo;
    cols.times[t + 1] = sHi;
    cols.times[t + 2] = eLo;
    cols.times[t + 3] = eHi;
    // Classified now, from the fields just read: a view of 100k spans then reads a byte per span.
    const probe = classProbe.fields;
    probe.name = name;
    probe.kind = kind;
    probe.eventCount = eventCount;
    probe.indexed = takeIndexed(indexedCount);
    probe.scope = scope;
    probe.resource = resource;
    // Facts and the class-deciding attributes from the kinds the attribute cache keeps: no string lookups.
    // Quick-path attributes carry scalar values (never null), so their kind alone gives their facts.
    let facts = (eventCount > 0 ? SpanFacts.hasEvents : 0) | (statusCode === StatusCode.Error ? SpanFacts.error : 0) | factBitsOf(quickFacts & (KEY_USAGE | KEY_SOURCE), 0);
    let relevant = 0;
    for (let k = 0; k < indexedCount; k++) {
      const kk = scratchKinds[k]!;
      if (kk === 0) continue;
      const kv = scratchIndexed[k]!;
      facts |= factBitsOf(kk, kv.value);
      if (kk & KEY_CLASS) scratchRelevant[relevant++] = kv;
    }
    cols.info[i] = facts | ((kind & 7) << INFO_KIND_SHIFT) | ((statusCode & 3) << INFO_STATUS_SHIFT);
    cols.cls[i] = classMemo.codeWith(classProbe.span, scratchRelevant, relevant);
    cols.group[i] = ctx.group;
    cols.names[i] = name;
    return undefined;
  }
  const init = scratchInit;
  init.traceId = traceIdAt(r, traceStart);
  init.spanId = r.hex(spanStart, spanStop);
  // An all-zero parent is what some SDKs send for "no parent".
  init.parentSpanId = parentLen === 0 || isAllZero(buf, parentStart, parentStop) ? '' : r.hex(parentStart, parentStop);
  init.traceState = traceState;
  init.flags = flags;
  init.name = name;
  init.kind = kind;
  init.startMs = nanosToMs(sLo, sHi);
  init.startSubMsNanos = nanosSubMs(sLo, sHi);
  init.endMs = nanosToMs(eLo, eHi);
  init.endSubMsNanos = nanosSubMs(eLo, eHi);
  init.statusCode = statusCode;
  init.statusMessage = statusMessage;
  init.droppedAttributesCount = droppedAttributes;
  init.droppedEventsCount = droppedEvents;
  init.droppedLinksCount = droppedLinks;
  init.eventCount = eventCount;
  init.linkCount = linkCount;
  init.indexed = takeIndexed(indexedCount);
  init.resource = resource;
  init.scope = scope;
  const span = new Span(init, undefined, buf, begin, end, protobufDetailsCodec);
  init.indexed = NO_INDEXED;
  return span;
}

// Attributes already seen, keyed by the bytes of their KeyValue message: the same bytes always validate and
// decode the same, so a hit skips both. The slot holds the frozen KeyValue of an indexed attribute with a
// primitive value (equal attributes of different spans share it), or undefined for a valid attribute that is
// not indexed; with the nesting limit it was validated against.
// Direct-mapped like the string table: bounded memory, a miss replaces the slot.
const KV_MAX = 96;
const KV_SLOTS = 4096;
const kvBytes = new Uint8Array(KV_SLOTS * KV_MAX);
const kvView = new DataView(kvBytes.buffer);
const kvLen = new Int32Array(KV_SLOTS).fill(-1);
const kvDepth = new Int32Array(KV_SLOTS);
const kvObj: (KeyValue | undefined)[] = new Array<KeyValue | undefined>(KV_SLOTS).fill(undefined);
// keyKind() of each cached KeyValue's key, so a hit costs no string lookup.
const kvKind = new Uint8Array(KV_SLOTS);
/** keyKind() of the KeyValue the last indexAttribute call returned. */
let lastKvKind = 0;

/** Validates one KeyValue at [r.pos, end); decodes it only if its key is indexed. */
/**
 * The common attribute in columns mode, validated without the attribute cache and without a string: a short key
 * and one scalar value (string, bool, int, double) whose key the classification does not read. Returns its
 * KEY_USAGE / KEY_SOURCE bits (0 for an attribute nothing reads at ingest), or -1 for anything else, which then
 * takes indexAttribute. Token counts differ from span to span, so their bytes seldom hit that cache.
 */
function quickAttribute(buf: Uint8Array, view: DataView, begin: number, end: number): number {
  // The tags of these fields are one byte each (field numbers below 16).
  if (buf[begin] !== KeyValueTag.key) return -1;
  const klen = buf[begin + 1]!;
  if (klen >= 0x80 || klen === 0) return -1;
  const keyStart = begin + 2;
  const keyStop = keyStart + klen;
  if (keyStop + 2 > end || buf[keyStop] !== KeyValueTag.value) return -1;
  const vlen = buf[keyStop + 1]!;
  const v = keyStop + 2;
  if (vlen >= 0x80 || vlen === 0 || v + vlen !== end) return -1;
  switch (buf[v]) {
    case AnyValueTag.stringValue: // filling the value exactly
      if (buf[v + 1]! >= 0x80 || buf[v + 1]! + 2 !== vlen) return -1;
      break;
    case AnyValueTag.boolValue:
    case AnyValueTag.intValue: {
      // one varint of at most 10 bytes that ends the value
      let p = v + 1;
      while (p < end && buf[p]! >= 0x80) p++;
      if (p !== end - 1 || p - v > 10) return -1;
      break;
    }
    case AnyValueTag.doubleValue:
      if (vlen !== 9) return -1;
      break;
    default:
      return -1;
  }
  const kind = cachedKeyKindBytes(buf, view, keyStart, keyStop);
  if (kind < 0) return 0;
  return kind & (KEY_CLASS | KEY_SPAN_TYPE) ? -1 : kind;
}

function indexAttribute(r: ProtoReader, end: number, depth: number): KeyValue | undefined {
  const buf = r.buf;
  const begin = r.pos;
  const n = end - begin;
  // Seen these exact bytes before: they were valid then and decode the same, so neither parse nor decode.
  let slot = -1;
  if (n <= KV_MAX && n >= 8) {
    // The slot hashes a sample of the bytes (the full compare decides a hit): the length, the key's first
    // bytes after its common prefix, and the tail, where values differ.
    let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
    h = Math.imul(h ^ buf[begin + 1]!, 0x01000193);
    h = Math.imul(h ^ buf[begin + 9]!, 0x01000193);
    h = Math.imul(h ^ buf[begin + (n >>> 1)]!, 0x01000193);
    h = Math.imul(h ^ buf[end - 1]!, 0x01000193);
    h = Math.imul(h ^ buf[end - 2]!, 0x01000193);
    h = Math.imul(h ^ buf[end - 3]!, 0x01000193);
    h = Math.imul(h ^ buf[end - 5]!, 0x01000193);
    slot = (h ^ (h >>> 15)) & (KV_SLOTS - 1);
    // Validity depends on the nesting limit only through `depth`, and a larger limit accepts more.
    if (kvLen[slot] === n && depth >= kvDepth[slot]! && sameBytes(r.view, begin, kvView, slot * KV_MAX, n)) {
      r.pos = end;
      lastKvKind = kvKind[slot]!;
      return kvObj[slot];
    }
  }
  let keyStart = 0;
  let keyStop = 0;
  let valueStart = -1;
  let valueStop = -1;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    if (tag === KeyValueTag.key) {
      keyStop = r.readLengthEnd(end);
      keyStart = r.pos;
      r.pos = keyStop;
    } else if (tag === KeyValueTag.value) {
      valueStop = r.readLengthEnd(end);
      valueStart = r.pos;
      skipAnyValue(r, valueStop, depth);
      r.pos = valueStop;
    } else otherField(r, OTLP_MESSAGES.KeyValue, tag, end, depth, at);
  }
  let kv: KeyValue | undefined;
  let shareable = true;
  if (isIndexedKeyBytes(buf, keyStart, keyStop)) {
    const key = r.string(keyStart, keyStop);
    let value: AnyValue = null;
    if (valueStart >= 0) {
      r.pos = valueStart;
      value = readAnyValue(r, valueStop, depth);
    }
    kv = { key, value };
    // Only immutable values are shared (not byte arrays, arrays or kvlists).
    shareable = typeof value !== 'object' || value === null;
    if (shareable) Object.freeze(kv);
  }
  lastKvKind = kv === undefined ? 0 : keyKind(kv.key);
  if (slot >= 0 && shareable) {
    const base = slot * KV_MAX - begin;
    for (let i = begin; i < end; i++) kvBytes[base + i] = buf[i]!;
    kvLen[slot] = n;
    kvDepth[slot] = depth;
    kvObj[slot] = kv;
    kvKind[slot] = lastKvKind;
  }
  r.pos = end;
  return kv;
}

// Events and links are checked at ingest without being built, and built when a view asks for the span's details:
// two walks, for the reason anyValueProto.ts gives.

function validateEvent(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case EventTag.timeUnixNano:
        r.readFixed64(end);
        break;
      case EventTag.name:
        r.pos = r.readLengthEnd(end);
        break;
      case EventTag.attributes: {
        const stop = r.readLengthEnd(end);
        skipKeyValue(r, stop, depth);
        r.pos = stop;
        break;
      }
      case EventTag.droppedAttributesCount:
        r.readVarint32(end);
        break;
      default:
        otherField(r, OTLP_MESSAGES['Span.Event'], tag, end, depth, at);
    }
  }
}

function validateLink(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case LinkTag.traceId:
      case LinkTag.spanId:
      case LinkTag.traceState:
        r.pos = r.readLengthEnd(end);
        break;
      case LinkTag.attributes: {
        const stop = r.readLengthEnd(end);
        skipKeyValue(r, stop, depth);
        r.pos = stop;
        break;
      }
      case LinkTag.droppedAttributesCount:
        r.readVarint32(end);
        break;
      case LinkTag.flags:
        r.readFixed32(end);
        break;
      default:
        otherField(r, OTLP_MESSAGES['Span.Link'], tag, end, depth, at);
    }
  }
}

function readEvent(r: ProtoReader, end: number, depth: number): SpanEvent {
  let lo = 0;
  let hi = 0;
  let name = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case EventTag.timeUnixNano:
        r.readFixed64(end);
        lo = r.lo;
        hi = r.hi;
        break;
      case EventTag.name: {
        const stop = r.readLengthEnd(end);
        name = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case EventTag.attributes: {
        const stop = r.readLengthEnd(end);
        attributes.push(readKeyValue(r, stop, depth));
        r.pos = stop;
        break;
      }
      case EventTag.droppedAttributesCount:
        dropped = r.readVarint32(end);
        break;
      default:
        otherField(r, OTLP_MESSAGES['Span.Event'], tag, end, depth, at);
    }
  }
  return { name, timeMs: nanosToMs(lo, hi), timeSubMsNanos: nanosSubMs(lo, hi), attributes, droppedAttributesCount: dropped };
}

function readLink(r: ProtoReader, end: number, depth: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: KeyValue[] = [];
  let dropped = 0;
  let flags = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    switch (tag) {
      case LinkTag.traceId:
      case LinkTag.spanId:
      case LinkTag.traceState: {
        const stop = r.readLengthEnd(end);
        if (tag === LinkTag.traceId) traceId = r.hex(r.pos, stop);
        else if (tag === LinkTag.spanId) spanId = r.hex(r.pos, stop);
        else traceState = r.string(r.pos, stop);
        r.pos = stop;
        break;
      }
      case LinkTag.attributes: {
        const stop = r.readLengthEnd(end);
        attributes.push(readKeyValue(r, stop, depth));
        r.pos = stop;
        break;
      }
      case LinkTag.droppedAttributesCount:
        dropped = r.readVarint32(end);
        break;
      case LinkTag.flags:
        flags = r.readFixed32(end);
        break;
      default:
        otherField(r, OTLP_MESSAGES['Span.Link'], tag, end, depth, at);
    }
  }
  return { traceId, spanId, traceState, attributes, droppedAttributesCount: dropped, flags };
}

// Details are decoded from bytes that passed validation at ingest with the default limits, so they cannot fail;
// the reader still checks every bound.
function decodeDetails(bytes: Uint8Array, start: number, end: number): SpanDetails {
  const r = new ProtoReader(bytes);
  const depth = DETAILS_DEPTH;
  r.pos = start;
  const attributes: KeyValue[] = [];
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  while (r.pos < end) {
    const tag = r.readVarint32(end);
    if (tag === SpanTag.attributes || tag === SpanTag.events || tag === SpanTag.links) {
      const stop = r.readLengthEnd(end);
      if (tag === SpanTag.attributes) attributes.push(readKeyValue(r, stop, depth));
      else if (tag === SpanTag.events) events.push(readEvent(r, stop, depth));
      else links.push(readLink(r, stop, depth));
      r.pos = stop;
    } else r.skip(tag & 7, end, tag >>> 3, depth);
  }
  return { attributes, events, links };
}

// Ingest validated nesting against the caller's limit; details must accept whatever ingest accepted.
const DETAILS_DEPTH = 1 << 20;

/** Decodes the details of spans made by this decoder. */
export const protobufDetailsCodec: SpanDetailsCodec = { decodeDetails };
