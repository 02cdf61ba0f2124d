// ExportTraceServiceRequest (protobuf) -> one OTLP/JSON line (the Collector file exporter's format, what
// `msgtrace record` writes), by walking the protobuf bytes: no Span, KeyValue or string is made per span or
// value, and the line is written into chunks (jsonChunks.ts) a caller can write to a file while the rest is
// still being walked. The walk is a generator that yields every `sliceBytes` of work, and any span or value
// larger than LARGE is written in steps too (a string a piece at a time, an array an item at a time), so a
// 64 MiB request never holds the event loop for long.
//
// The text is exactly what encodeTraceRequestJson (jsonEncoder.ts) makes of the same request decoded into Span
// objects (test/unit/storage/protobufJsonLine.test.ts checks it byte for byte): the decoder's choices are
// repeated here (the KeyValue/AnyValue half in protobufJsonValues.ts). Spans with invalid ids are left out and ResourceSpans/ScopeSpans left without spans are
// dropped; the last occurrence of a singular field wins (of the resource and scope messages too); status
// fields are taken from every status message; strings read as TextDecoder reads them (U+FFFD for invalid
// UTF-8, a leading BOM dropped); member order and omitted defaults are the encoder's.
//
// Written by hand because no library turns protobuf bytes into OTLP/JSON text without building the message
// as objects first (protobufjs' toObject + JSON.stringify is the object per span this replaces).
import { JsonChunks, ascii } from './jsonChunks';
import {
  EventTag,
  ExportTraceServiceRequestTag,
  InstrumentationScopeTag,
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
import { nanosSubMs, nanosToMs } from './protoReader';
import { type JsonLineOptions, LARGE, ValueWriter } from './protobufJsonValues';

export type { JsonLineOptions } from './protobufJsonValues';

// Every key and bracket the line is made of, as bytes.
const L = {
  open: ascii('{"resourceSpans":['),
  close: ascii(']}\n'),
  resource: ascii('{"resource":{"attributes":['),
  resourceEnd: ascii('},"scopeSpans":['),
  scope: ascii('{"scope":{"name":'),
  version: ascii(',"version":'),
  scopeAttributes: ascii(',"attributes":['),
  scopeEnd: ascii('},"spans":['),
  dropped: ascii(',"droppedAttributesCount":'),
  schemaUrl: ascii(',"schemaUrl":'),
  traceId: ascii('{"traceId":"'),
  spanId: ascii('","spanId":"'),
  traceState: ascii(',"traceState":'),
  parent: ascii(',"parentSpanId":"'),
  flags: ascii(',"flags":'),
  name: ascii(',"name":'),
  kind: ascii(',"kind":'),
  start: ascii(',"startTimeUnixNano":"'),
  end: ascii('","endTimeUnixNano":"'),
  attributes: ascii(',"attributes":['),
  events: ascii(',"events":['),
  droppedEvents: ascii(',"droppedEventsCount":'),
  links: ascii(',"links":['),
  droppedLinks: ascii(',"droppedLinksCount":'),
  status: ascii(',"status":{'),
  statusMessage: ascii('"message":'),
  statusCode: ascii('"code":'),
  eventTime: ascii('{"timeUnixNano":"'),
  eventName: ascii('","name":'),
  linkTrace: ascii('{"traceId":"'),
  linkSpan: ascii('","spanId":"'),
} as const;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Writes `body`, a request the protobuf decoder accepted, as one OTLP/JSON line (with its newline) into `out`,
 * yielding between slices of work; returns the number of spans written. A line without spans is still written
 * (`{"resourceSpans":[]}`): the caller decides whether to keep it. Throws OtlpDecodeError for bytes the decoder
 * would have refused.
 */
export function* writeTraceRequestJsonLine(body: Uint8Array, out: JsonChunks, options: JsonLineOptions = {}): Generator<void, number, void> {
  return yield* new LineWriter(body, out, options).request();
}

/** The same line in one go, as one buffer (tests, small requests). */
export function traceRequestJsonLine(body: Uint8Array, options: JsonLineOptions = {}): Buffer {
  const out = new JsonChunks();
  const steps = writeTraceRequestJsonLine(body, out, options);
  while (!steps.next().done);
  return Buffer.concat(out.takeAll());
}

class LineWriter extends ValueWriter {
  private spans = 0;
  // Where the line is: an envelope is opened when its first accepted span is written.
  private resourcesWritten = 0;
  private resourceOpen = false;
  private scopesWritten = 0;
  private scopeOpen = false;
  private spansInScope = 0;

  // The current span's singular fields (the last occurrence of each), found by scanSpan.
  private traceAt = 0;
  private traceLen = 0;
  private spanAt = 0;
  private spanLen = 0;
  private parentAt = 0;
  private parentLen = 0;
  private stateStart = 0;
  private stateStop = 0;
  private nameStart = 0;
  private nameStop = 0;
  private kind = 0;
  private sLo = 0;
  private sHi = 0;
  private eLo = 0;
  private eHi = 0;
  private droppedAttributes = 0;
  private droppedEvents = 0;
  private droppedLinks = 0;
  private attributeCount = 0;
  private eventCount = 0;
  private linkCount = 0;
  private messageStart = 0;
  private messageStop = 0;
  private statusCode = 0;
  private flags = 0;

  *request(): Generator<void, number, void> {
    const r = this.r;
    const end = this.src.length;
    this.out.bytes(L.open);
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.readVarint32(end);
      if (tag === ExportTraceServiceRequestTag.resourceSpans) {
        const stop = r.readLengthEnd(end);
        yield* this.resourceSpans(r.pos, stop);
        r.pos = stop;
      } else otherField(r, OTLP_MESSAGES.ExportTraceServiceRequest, tag, end, this.depth, at);
    }
    this.out.bytes(L.close);
    return this.spans;
  }

  /**
   * The head (resource or scope) and schema_url of an envelope: their last occurrences, which may follow the
   * content. A ScopeSpans of a 64 MiB request has hundreds of thousands of spans to step over: in steps too.
   */
  private *scanEnvelope(begin: number, end: number, head: number, content: number, schemaUrl: number, message: OtlpMessage): Generator<void, [number, number, number, number], void> {
    const r = this.r;
    r.pos = begin;
    let headStart = -1;
    let headStop = -1;
    let urlStart = 0;
    let urlStop = 0;
    let fields = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.readVarint32(end);
      if (tag === head || tag === schemaUrl) {
        const stop = r.readLengthEnd(end);
        if (tag === head) [headStart, headStop] = [r.pos, stop];
        else [urlStart, urlStop] = [r.pos, stop];
        r.pos = stop;
      } else if (tag === content) r.pos = r.readLengthEnd(end);
      else otherField(r, message, tag, end, this.depth, at);
      if ((++fields & 1023) === 0 && this.worked(this.sliceBytes)) {
        const pos = r.pos;
        yield;
        r.pos = pos;
      }
    }
    return hasText(this.src, urlStart, urlStop) ? [headStart, headStop, urlStart, urlStop] : [headStart, headStop, 0, 0];
  }

  private *resourceSpans(begin: number, end: number): Generator<void, void, void> {
    const r = this.r;
    const [resStart, resStop, urlStart, urlStop] = yield* this.scanEnvelope(begin, end, ResourceSpansTag.resource, ResourceSpansTag.scopeSpans, ResourceSpansTag.schemaUrl, OTLP_MESSAGES.ResourceSpans);
    this.resourceOpen = false;
    r.pos = begin;
    while (r.pos < end) {
      const tag = r.readVarint32(end);
      if (tag === ResourceSpansTag.scopeSpans) {
        const stop = r.readLengthEnd(end);
        yield* this.scopeSpans(r.pos, stop, resStart, resStop);
        r.pos = stop;
      } else r.skip(tag & 7, end, tag >>> 3, this.depth);
    }
    if (this.resourceOpen) yield* this.closeEnvelope(urlStart, urlStop);
  }

  /** `]`, the schema_url when set, `}`. */
  private *closeEnvelope(urlStart: number, urlStop: number): Generator<void, void, void> {
    const out = this.out;
    out.byte(CLOSE_BRACKET);
    if (urlStop > urlStart) {
      out.bytes(L.schemaUrl);
      yield* this.string(urlStart, urlStop);
    }
    out.byte(CLOSE_BRACE);
  }

  private *scopeSpans(begin: number, end: number, resStart: number, resStop: number): Generator<void, void, void> {
    const r = this.r;
    const [scopeStart, scopeStop, urlStart, urlStop] = yield* this.scanEnvelope(begin, end, ScopeSpansTag.scope, ScopeSpansTag.spans, ScopeSpansTag.schemaUrl, OTLP_MESSAGES.ScopeSpans);
    this.scopeOpen = false;
    r.pos = begin;
    while (r.pos < end) {
      const tag = r.readVarint32(end);
      if (tag !== ScopeSpansTag.spans) {
        r.skip(tag & 7, end, tag >>> 3, this.depth);
        continue;
      }
      const stop = r.readLengthEnd(end);
      const start = r.pos;
      if (this.scanSpan(start, stop)) {
        if (!this.scopeOpen) yield* this.openScope(resStart, resStop, scopeStart, scopeStop);
        if (this.spansInScope++ > 0) this.out.byte(COMMA);
        if (stop - start <= LARGE) this.spanSmall(start, stop);
        else yield* this.spanLarge(start, stop);
        this.spans++;
      }
      r.pos = stop;
      if (this.worked(stop - start)) yield;
    }
    if (this.scopeOpen) yield* this.closeEnvelope(urlStart, urlStop);
  }

  /** Writes the resource (if this is its first span) and the scope up to their span lists. */
  private *openScope(resStart: number, resStop: number, scopeStart: number, scopeStop: number): Generator<void, void, void> {
    const r = this.r;
    const out = this.out;
    const pos = r.pos;
    if (!this.resourceOpen) {
      if (this.resourcesWritten++ > 0) out.byte(COMMA);
      out.bytes(L.resource);
      let dropped = 0;
      if (resStart >= 0) {
        yield* this.keyValues(resStart, resStop, ResourceTag.attributes);
        // droppedAttributesCount: its last occurrence.
        r.pos = resStart;
        while (r.pos < resStop) {
          const at = r.pos;
          const tag = r.readVarint32(resStop);
          if (tag === ResourceTag.droppedAttributesCount) dropped = r.readVarint32(resStop);
          else otherField(r, OTLP_MESSAGES.Resource, tag, resStop, this.depth, at);
        }
      }
      out.byte(CLOSE_BRACKET);
      this.droppedCount(dropped);
      out.bytes(L.resourceEnd);
      this.resourceOpen = true;
      this.scopesWritten = 0;
    }
    let nameStart = 0;
    let nameStop = 0;
    let versionStart = 0;
    let versionStop = 0;
    let dropped = 0;
    if (scopeStart >= 0) {
      r.pos = scopeStart;
      while (r.pos < scopeStop) {
        const at = r.pos;
        const tag = r.readVarint32(scopeStop);
        if (tag === InstrumentationScopeTag.name || tag === InstrumentationScopeTag.version) {
          const stop = r.readLengthEnd(scopeStop);
          if (tag === InstrumentationScopeTag.name) [nameStart, nameStop] = [r.pos, stop];
          else [versionStart, versionStop] = [r.pos, stop];
          r.pos = stop;
        } else if (tag === InstrumentationScopeTag.droppedAttributesCount) dropped = r.readVarint32(scopeStop);
        else otherField(r, OTLP_MESSAGES.InstrumentationScope, tag, scopeStop, this.depth, at);
      }
    }
    if (this.scopesWritten++ > 0) out.byte(COMMA);
    out.bytes(L.scope);
    yield* this.string(nameStart, nameStop);
    out.bytes(L.version);
    yield* this.string(versionStart, versionStop);
    out.bytes(L.scopeAttributes);
    if (scopeStart >= 0) yield* this.keyValues(scopeStart, scopeStop, InstrumentationScopeTag.attributes);
    out.byte(CLOSE_BRACKET);
    this.droppedCount(dropped);
    out.bytes(L.scopeEnd);
    this.scopeOpen = true;
    this.spansInScope = 0;
    r.pos = pos;
  }

  private droppedCount(n: number): void {
    if (n === 0) return;
    this.out.bytes(L.dropped);
    this.out.uint(n);
  }

  /**
   * Reads the span's singular fields and counts its lists; false when the decoder rejects the span (invalid ids),
   * in its words: trace id 16 bytes, span id 8, both not all zero, parent id empty or 8 bytes.
   */
  private scanSpan(begin: number, end: number): boolean {
    const r = this.r;
    r.pos = begin;
    let traceStop = 0;
    let spanStop = 0;
    let parentStop = 0;
    this.traceAt = this.spanAt = this.parentAt = 0;
    this.stateStart = this.stateStop = this.nameStart = this.nameStop = 0;
    this.messageStart = this.messageStop = 0;
    this.kind = this.sLo = this.sHi = this.eLo = this.eHi = 0;
    this.droppedAttributes = this.droppedEvents = this.droppedLinks = 0;
    this.attributeCount = this.eventCount = this.linkCount = 0;
    this.statusCode = this.flags = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.readVarint32(end);
      switch (tag) {
        case SpanTag.traceId:
          traceStop = r.readLengthEnd(end);
          this.traceAt = r.pos;
          r.pos = traceStop;
          break;
        case SpanTag.spanId:
          spanStop = r.readLengthEnd(end);
          this.spanAt = r.pos;
          r.pos = spanStop;
          break;
        case SpanTag.parentSpanId:
          parentStop = r.readLengthEnd(end);
          this.parentAt = r.pos;
          r.pos = parentStop;
          break;
        case SpanTag.traceState:
          this.stateStop = r.readLengthEnd(end);
          this.stateStart = r.pos;
          r.pos = this.stateStop;
          break;
        case SpanTag.name:
          this.nameStop = r.readLengthEnd(end);
          this.nameStart = r.pos;
          r.pos = this.nameStop;
          break;
        case SpanTag.kind:
          this.kind = r.readVarint32(end) | 0;
          break;
        case SpanTag.startTimeUnixNano:
          r.readFixed64(end);
          this.sLo = r.lo;
          this.sHi = r.hi;
          break;
        case SpanTag.endTimeUnixNano:
          r.readFixed64(end);
          this.eLo = r.lo;
          this.eHi = r.hi;
          break;
        case SpanTag.attributes:
          r.pos = r.readLengthEnd(end);
          this.attributeCount++;
          break;
        case SpanTag.droppedAttributesCount:
          this.droppedAttributes = r.readVarint32(end);
          break;
        case SpanTag.events:
          r.pos = r.readLengthEnd(end);
          this.eventCount++;
          break;
        case SpanTag.droppedEventsCount:
          this.droppedEvents = r.readVarint32(end);
          break;
        case SpanTag.links:
          r.pos = r.readLengthEnd(end);
          this.linkCount++;
          break;
        case SpanTag.droppedLinksCount:
          this.droppedLinks = r.readVarint32(end);
          break;
        case SpanTag.status: {
          const stop = r.readLengthEnd(end);
          while (r.pos < stop) {
            const at2 = r.pos;
            const t = r.readVarint32(stop);
            if (t === StatusTag.message) {
              this.messageStop = r.readLengthEnd(stop);
              this.messageStart = r.pos;
              r.pos = this.messageStop;
            } else if (t === StatusTag.code) this.statusCode = r.readVarint32(stop) | 0;
            else otherField(r, OTLP_MESSAGES.Status, t, stop, this.depth, at2);
          }
          break;
        }
        case SpanTag.flags:
          this.flags = r.readFixed32(end);
          break;
        default:
          otherField(r, OTLP_MESSAGES.Span, tag, end, this.depth, at);
      }
    }
    // Omitted when empty, as the encoder omits '' (a lone BOM decodes to '').
    if (!hasText(this.src, this.stateStart, this.stateStop)) this.stateStart = this.stateStop = 0;
    if (!hasText(this.src, this.messageStart, this.messageStop)) this.messageStart = this.messageStop = 0;
    this.traceLen = traceStop - this.traceAt;
    this.spanLen = spanStop - this.spanAt;
    this.parentLen = parentStop - this.parentAt;
    const src = this.src;
    if (this.traceLen !== 16 || isAllZero(src, this.traceAt, traceStop)) return false;
    if (this.spanLen !== 8 || isAllZero(src, this.spanAt, spanStop)) return false;
    if (this.parentLen !== 0 && this.parentLen !== 8) return false;
    // An all-zero parent is what some SDKs send for "no parent"; the decoder reads it as none.
    if (this.parentLen === 8 && isAllZero(src, this.parentAt, parentStop)) this.parentLen = 0;
    return true;
  }

  // A span is written in this order: ids, trace state, parent, flags | name | kind and times | attributes |
  // events | links | status. spanSmall writes it in one go, spanLarge in steps; both from these parts.

  private headIds(): void {
    const out = this.out;
    out.bytes(L.traceId);
    out.hex(this.src, this.traceAt, this.traceAt + 16);
    out.bytes(L.spanId);
    out.hex(this.src, this.spanAt, this.spanAt + 8);
    out.byte(QUOTE);
  }

  private headParent(): void {
    const out = this.out;
    if (this.parentLen > 0) {
      out.bytes(L.parent);
      out.hex(this.src, this.parentAt, this.parentAt + 8);
      out.byte(QUOTE);
    }
    if (this.flags !== 0) {
      out.bytes(L.flags);
      out.uint(this.flags);
    }
    out.bytes(L.name);
  }

  private headTimes(): void {
    const out = this.out;
    out.bytes(L.kind);
    out.int32(this.kind);
    out.bytes(L.start);
    out.nanos(nanosToMs(this.sLo, this.sHi), nanosSubMs(this.sLo, this.sHi));
    out.bytes(L.end);
    out.nanos(nanosToMs(this.eLo, this.eHi), nanosSubMs(this.eLo, this.eHi));
    out.byte(QUOTE);
  }

  /** `,"status":{` and the code after the message (written by the caller). */
  private statusOpen(): void {
    this.out.bytes(L.status);
    if (this.messageStop > this.messageStart) this.out.bytes(L.statusMessage);
  }

  private statusClose(): void {
    const out = this.out;
    if (this.statusCode !== 0) {
      if (this.messageStop > this.messageStart) out.byte(COMMA);
      out.bytes(L.statusCode);
      out.int32(this.statusCode);
    }
    out.byte(CLOSE_BRACE);
    out.byte(CLOSE_BRACE);
  }

  private spanSmall(begin: number, end: number): void {
    const out = this.out;
    const src = this.src;
    this.headIds();
    if (this.stateStop > this.stateStart) {
      out.bytes(L.traceState);
      out.string(src, this.stateStart, this.stateStop);
    }
    this.headParent();
    out.string(src, this.nameStart, this.nameStop);
    this.headTimes();
    const { attributeCount, eventCount, linkCount, messageStart, messageStop } = this;
    if (attributeCount > 0) {
      out.bytes(L.attributes);
      this.keyValuesSmall(begin, end, SpanTag.attributes, this.depth);
      out.byte(CLOSE_BRACKET);
    }
    this.droppedCount(this.droppedAttributes);
    if (eventCount > 0) {
      out.bytes(L.events);
      this.listSmall(begin, end, SpanTag.events);
      out.byte(CLOSE_BRACKET);
    }
    if (this.droppedEvents !== 0) {
      out.bytes(L.droppedEvents);
      out.uint(this.droppedEvents);
    }
    if (linkCount > 0) {
      out.bytes(L.links);
      this.listSmall(begin, end, SpanTag.links);
      out.byte(CLOSE_BRACKET);
    }
    if (this.droppedLinks !== 0) {
      out.bytes(L.droppedLinks);
      out.uint(this.droppedLinks);
    }
    this.statusOpen();
    if (messageStop > messageStart) out.string(src, messageStart, messageStop);
    this.statusClose();
  }

  private *spanLarge(begin: number, end: number): Generator<void, void, void> {
    const out = this.out;
    const { stateStart, stateStop, nameStart, nameStop, attributeCount, eventCount, linkCount, droppedAttributes, droppedEvents, droppedLinks, messageStart, messageStop } = this;
    this.headIds();
    if (stateStop > stateStart) {
      out.bytes(L.traceState);
      yield* this.string(stateStart, stateStop);
    }
    this.headParent();
    yield* this.string(nameStart, nameStop);
    this.headTimes();
    if (attributeCount > 0) {
      out.bytes(L.attributes);
      yield* this.keyValues(begin, end, SpanTag.attributes);
      out.byte(CLOSE_BRACKET);
    }
    this.droppedCount(droppedAttributes);
    if (eventCount > 0) {
      out.bytes(L.events);
      yield* this.list(begin, end, SpanTag.events);
      out.byte(CLOSE_BRACKET);
    }
    if (droppedEvents !== 0) {
      out.bytes(L.droppedEvents);
      out.uint(droppedEvents);
    }
    if (linkCount > 0) {
      out.bytes(L.links);
      yield* this.list(begin, end, SpanTag.links);
      out.byte(CLOSE_BRACKET);
    }
    if (droppedLinks !== 0) {
      out.bytes(L.droppedLinks);
      out.uint(droppedLinks);
    }
    this.statusOpen();
    if (messageStop > messageStart) yield* this.string(messageStart, messageStop);
    this.statusClose();
  }

  /** The events or links (`tag`) of the span [begin, end), comma-separated, each in one go. */
  private listSmall(begin: number, end: number, tag: number): void {
    const r = this.r;
    r.pos = begin;
    let n = 0;
    while (r.pos < end) {
      const t = r.readVarint32(end);
      if (t !== tag) {
        r.skip(t & 7, end, t >>> 3, this.depth);
        continue;
      }
      const stop = r.readLengthEnd(end);
      const start = r.pos;
      if (n++ > 0) this.out.byte(COMMA);
      if (tag === SpanTag.events) this.eventSmall(start, stop);
      else this.linkSmall(start, stop);
      r.pos = stop;
    }
  }

  /** The same, each event or link larger than LARGE in steps. */
  private *list(begin: number, end: number, tag: number): Generator<void, void, void> {
    const r = this.r;
    r.pos = begin;
    let n = 0;
    while (r.pos < end) {
      const t = r.readVarint32(end);
      if (t !== tag) {
        r.skip(t & 7, end, t >>> 3, this.depth);
        continue;
      }
      const stop = r.readLengthEnd(end);
      const start = r.pos;
      if (n++ > 0) this.out.byte(COMMA);
      if (stop - start <= LARGE) {
        if (tag === SpanTag.events) this.eventSmall(start, stop);
        else this.linkSmall(start, stop);
      } else if (tag === SpanTag.events) yield* this.eventLarge(start, stop);
      else yield* this.linkLarge(start, stop);
      r.pos = stop;
      if (this.worked(stop - start)) yield;
    }
  }

  // Events and links: their singular fields (last occurrence) first, then the attributes.

  private eventLoTime = 0;
  private eventHiTime = 0;
  private eventDropped = 0;
  private eventNameStart = 0;
  private eventNameStop = 0;

  /** The event's name range, time and dropped count into the fields above. */
  private scanEvent(begin: number, end: number): void {
    const r = this.r;
    r.pos = begin;
    this.eventLoTime = this.eventHiTime = this.eventDropped = this.eventNameStart = this.eventNameStop = 0;
    while (r.pos < end) {
      const at = r.pos;
      const tag = r.readVarint32(end);
      switch (tag) {
        case EventTag.timeUnixNano:
          r.readFixed64(end);
          this.eventLoTime = r.lo;
          this.eventHiTime = r.hi;
          break;
        case EventTag.name:
          this.eventNameStop = r.readLengthEnd(end);
          this.eventNameStart = r.pos;
          r.pos = this.eventNameStop;
          break;
        case EventTag.attributes:
          r.pos = r.readLengthEnd(end);
          break;
        case EventTag.droppedAttributesCount:
          this.eventDropped = r.readVarint32(end);
          break;
        default:
          otherField(r, OTLP_MESSAGES['Span.Event'], tag, end, this.depth, at);
      }
    }
  }

  private eventHead(): void {
    this.out.bytes(L.eventTime);
    this.out.nanos(nanosToMs(this.eventLoTime, this.eventHiTime), nanosSubMs(this.eventLoTime, this.eventHiTime));
    this.out.bytes(L.eventName);
  }

  private eventSmall(begin: number, end: number): void {
    this.scanEvent(begin, end);
    const dropped = this.eventDropped;
    this.eventHead();
    this.out.string(this.src, this.eventNameStart, this.eventNameStop);
    this.out.bytes(L.scopeAttributes);
    this.keyValuesSmall(begin, end, EventTag.attributes, this.depth);
    this.out.byte(CLOSE_BRACKET);
    this.droppedCount(dropped);
    this.out.byte(CLOSE_BRACE);
  }

  private *eventLarge(begin: number, end: number): Generator<void, void, void> {
    this.scanEvent(begin, end);
    const { eventNameStart: nameStart, eventNameStop: nameStop, eventDropped: dropped } = this;
    this.eventHead();
    yield* this.string(nameStart, nameStop);
    this.out.bytes(L.scopeAttributes);
    yield* this.keyValues(begin, end, EventTag.attributes);
    this.out.byte(CLOSE_BRACKET);
    this.droppedCount(dropped);
    this.out.byte(CLOSE_BRACE);
  }

  /** Writes the link's head up to its trace state (exclusive); returns the trace state's range, its dropped count and flags. */
  private linkHead(begin: number, end: number): [number, number, number, number] {
    const r = this.r;
    const out = this.out;
    r.pos = begin;
    let traceStart = 0;
    let traceStop = 0;
    let spanStart = 0;
    let spanStop = 0;
    let stateStart = 0;
    let stateStop = 0;
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
          if (tag === LinkTag.traceId) [traceStart, traceStop] = [r.pos, stop];
          else if (tag === LinkTag.spanId) [spanStart, spanStop] = [r.pos, stop];
          else [stateStart, stateStop] = [r.pos, stop];
          r.pos = stop;
          break;
        }
        case LinkTag.attributes:
          r.pos = r.readLengthEnd(end);
          break;
        case LinkTag.droppedAttributesCount:
          dropped = r.readVarint32(end);
          break;
        case LinkTag.flags:
          flags = r.readFixed32(end);
          break;
        default:
          otherField(r, OTLP_MESSAGES['Span.Link'], tag, end, this.depth, at);
      }
    }
    // Link ids are not checked by the decoder: whatever bytes they hold, as hex.
    out.bytes(L.linkTrace);
    out.hex(this.src, traceStart, traceStop);
    out.bytes(L.linkSpan);
    out.hex(this.src, spanStart, spanStop);
    out.byte(QUOTE);
    return hasText(this.src, stateStart, stateStop) ? [stateStart, stateStop, dropped, flags] : [0, 0, dropped, flags];
  }

  private linkTail(dropped: number, flags: number): void {
    const out = this.out;
    out.byte(CLOSE_BRACKET);
    this.droppedCount(dropped);
    if (flags !== 0) {
      out.bytes(L.flags);
      out.uint(flags);
    }
    out.byte(CLOSE_BRACE);
  }

  private linkSmall(begin: number, end: number): void {
    const [stateStart, stateStop, dropped, flags] = this.linkHead(begin, end);
    if (stateStop > stateStart) {
      this.out.bytes(L.traceState);
      this.out.string(this.src, stateStart, stateStop);
    }
    this.out.bytes(L.scopeAttributes);
    this.keyValuesSmall(begin, end, LinkTag.attributes, this.depth);
    this.linkTail(dropped, flags);
  }

  private *linkLarge(begin: number, end: number): Generator<void, void, void> {
    const [stateStart, stateStop, dropped, flags] = this.linkHead(begin, end);
    if (stateStop > stateStart) {
      this.out.bytes(L.traceState);
      yield* this.string(stateStart, stateStop);
    }
    this.out.bytes(L.scopeAttributes);
    yield* this.keyValues(begin, end, LinkTag.attributes);
    this.linkTail(dropped, flags);
  }
}

/** Whether src[start, stop) decodes to a non-empty string (the decoders drop a leading BOM). */
function hasText(src: Uint8Array, start: number, stop: number): boolean {
  const n = stop - start;
  return n > 3 || (n > 0 && !(n === 3 && src[start] === 0xef && src[start + 1] === 0xbb && src[start + 2] === 0xbf));
}

function isAllZero(buf: Uint8Array, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (buf[i] !== 0) return false;
  return true;
}
