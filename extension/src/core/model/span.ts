// The span model every part of the extension shares: the receiver produces it, the store indexes it, the views
// read it. It is built for ingest speed and memory (docs/receiver.md): a Span holds as fields only what the
// store indexes and what classification reads; its full attributes, events and links stay as bytes of the
// request they came in and are decoded on demand by `span.details()`. Resource and Scope objects are shared by
// all spans of one ResourceSpans / ScopeSpans.
import { type AnyValue, type KeyValue, findAttribute } from './anyValue';
import { diffNanos, toUnixNano } from './time';

/** OTLP SpanKind (the integers of the wire and of OTLP/JSON). */
export enum SpanKind {
  Unspecified = 0,
  Internal = 1,
  Server = 2,
  Client = 3,
  Producer = 4,
  Consumer = 5,
}

/** OTLP Status.code. */
export enum StatusCode {
  Unset = 0,
  Ok = 1,
  Error = 2,
}

/** The entity that produced the spans (one per ResourceSpans), shared by all its spans. */
export interface Resource {
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount: number;
  /** ResourceSpans.schema_url; '' when absent. */
  readonly schemaUrl: string;
  /** The `service.name` attribute when it is a string, else ''. */
  readonly serviceName: string;
}

/** The instrumentation scope (one per ScopeSpans), shared by all its spans. */
export interface Scope {
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount: number;
  /** ScopeSpans.schema_url; '' when absent. */
  readonly schemaUrl: string;
}

/** A Span.Event. */
export interface SpanEvent {
  readonly name: string;
  readonly timeMs: number;
  readonly timeSubMsNanos: number;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount: number;
}

/** A Span.Link. */
export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: readonly KeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

/** What is not indexed at ingest: all attributes (in wire order), events and links. */
export interface SpanDetails {
  readonly attributes: readonly KeyValue[];
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
}

/**
 * Decodes the details of spans that keep their bytes. One shared instance per encoding (core/otlp provides the
 * protobuf one), so a span costs one pointer for it, not an object.
 */
export interface SpanDetailsCodec {
  /** Decodes the Span message at bytes[start, end). The bytes were validated at ingest, so this does not throw. */
  decodeDetails(bytes: Uint8Array, start: number, end: number): SpanDetails;
}

/** The constructor's input; field meanings are those of the Span fields of the same name. */
export interface SpanInit {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startMs: number;
  startSubMsNanos: number;
  endMs: number;
  endSubMsNanos: number;
  statusCode: StatusCode;
  statusMessage: string;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  eventCount: number;
  linkCount: number;
  indexed: readonly KeyValue[];
  resource: Resource;
  scope: Scope;
}

const NO_ATTRIBUTES: readonly KeyValue[] = Object.freeze([]);

export class Span {
  /** 32 lowercase hex characters; never all zeros. */
  readonly traceId: string;
  /** 16 lowercase hex characters; never all zeros. */
  readonly spanId: string;
  /** 16 lowercase hex characters, or '' for a root span. */
  readonly parentSpanId: string;
  /** W3C tracestate; '' when absent. */
  readonly traceState: string;
  /** Span.flags (W3C trace flags in bits 0-7, bits 8-9 say whether the parent is remote); 0 when absent. */
  readonly flags: number;
  readonly name: string;
  readonly kind: SpanKind;
  /** Start time: whole Unix milliseconds. With `startSubMsNanos` this is the exact start_time_unix_nano. */
  readonly startMs: number;
  /** Start time: nanoseconds within `startMs` (0..999999). */
  readonly startSubMsNanos: number;
  /** End time: whole Unix milliseconds. */
  readonly endMs: number;
  /** End time: nanoseconds within `endMs` (0..999999). */
  readonly endSubMsNanos: number;
  readonly statusCode: StatusCode;
  /** Status.message; '' when absent. */
  readonly statusMessage: string;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  /** How many events `details()` will return, known without decoding them. */
  readonly eventCount: number;
  /** How many links `details()` will return. */
  readonly linkCount: number;
  /**
   * The attributes classification and the store read, decoded at ingest (keys chosen by
   * `isIndexedAttributeKey`, in wire order). All attributes, these included, are in `details().attributes`.
   */
  readonly indexed: readonly KeyValue[];
  /** Shared with the other spans of the same ResourceSpans. */
  readonly resource: Resource;
  /** Shared with the other spans of the same ScopeSpans. */
  readonly scope: Scope;

  // Lazy details: either already decoded (JSON input, or after the first details() call), or the byte range
  // of this Span message in the retained request body plus the codec that reads it.
  private decoded: SpanDetails | undefined;
  private bytes: Uint8Array | undefined;
  private byteStart: number;
  private byteEnd: number;
  private codec: SpanDetailsCodec | undefined;

  constructor(init: SpanInit, details: SpanDetails | undefined, bytes?: Uint8Array, byteStart = 0, byteEnd = 0, codec?: SpanDetailsCodec) {
    this.traceId = init.traceId;
    this.spanId = init.spanId;
    this.parentSpanId = init.parentSpanId;
    this.traceState = init.traceState;
    this.flags = init.flags;
    this.name = init.name;
    this.kind = init.kind;
    this.startMs = init.startMs;
    this.startSubMsNanos = init.startSubMsNanos;
    this.endMs = init.endMs;
    this.endSubMsNanos = init.endSubMsNanos;
    this.statusCode = init.statusCode;
    this.statusMessage = init.statusMessage;
    this.droppedAttributesCount = init.droppedAttributesCount;
    this.droppedEventsCount = init.droppedEventsCount;
    this.droppedLinksCount = init.droppedLinksCount;
    this.eventCount = init.eventCount;
    this.linkCount = init.linkCount;
    this.indexed = init.indexed.length === 0 ? NO_ATTRIBUTES : init.indexed;
    this.resource = init.resource;
    this.scope = init.scope;
    this.decoded = details;
    this.bytes = bytes;
    this.byteStart = byteStart;
    this.byteEnd = byteEnd;
    this.codec = codec;
  }

  /** Exact start_time_unix_nano. */
  get startTimeUnixNano(): bigint {
    return toUnixNano(this.startMs, this.startSubMsNanos);
  }

  /** Exact end_time_unix_nano. */
  get endTimeUnixNano(): bigint {
    return toUnixNano(this.endMs, this.endSubMsNanos);
  }

  /** end - start in nanoseconds (exact below about 104 days; negative if the sender's clock went back). */
  get durationNanos(): number {
    return diffNanos(this.startMs, this.startSubMsNanos, this.endMs, this.endSubMsNanos);
  }

  /** An indexed attribute's value (see `indexed`), or undefined. Does not decode anything. */
  indexedAttribute(key: string): AnyValue | undefined {
    return findAttribute(this.indexed, key);
  }

  /** All attributes, events and links. Decoded on first call and cached; never throws. */
  details(): SpanDetails {
    if (this.decoded === undefined) {
      this.decoded = this.codec!.decodeDetails(this.bytes!, this.byteStart, this.byteEnd);
    }
    return this.decoded;
  }

  /** Shorthand for details().attributes. */
  attributes(): readonly KeyValue[] {
    return this.details().attributes;
  }

  /**
   * The encoded protobuf Span message this span was decoded from (a view into the request body, not a copy),
   * or undefined for spans that came as JSON. Lets a store persist or forward the span without re-encoding.
   */
  protobufBytes(): Uint8Array | undefined {
    return this.bytes?.subarray(this.byteStart, this.byteEnd);
  }

  /**
   * Drops the reference to the request body once the details are decoded, so a store that keeps a few spans
   * of a large request does not keep the whole body alive.
   */
  detachBytes(): void {
    this.details();
    this.bytes = undefined;
    this.codec = undefined;
    this.byteStart = this.byteEnd = 0;
  }
}
