// A decoded protobuf request as columns: where each accepted span's fields are in the request body, and the
// few values the store indexes. No object per span: the store copies from here into its own rows
// (core/store/spanTable.ts), and Span objects are made only for consumers that ask for them (SpanBatch.spans).
import type { Resource, Scope } from './span';

/** Bits of SpanColumns.info. */
export const COL_KIND_MASK = 0x7;
export const COL_STATUS_SHIFT = 3; // 2 bits
/** The span has a token usage or cost attribute (semantics/usage.ts keys). */
export const COL_USAGE = 1 << 5;
/** It has a code.file.path (or the older code.filepath) attribute. */
export const COL_SOURCE = 1 << 6;
/** It has events. */
export const COL_EVENTS = 1 << 7;
/** It has a string `span.type` attribute, and whether that is `flow` (the msgflux context rules read these). */
export const COL_SPAN_TYPE = 1 << 8;
export const COL_SPAN_TYPE_FLOW = 1 << 9;

export class SpanColumns {
  count = 0;
  /** Per span: the Span message's start and end in `body`. */
  spanStart: Int32Array;
  spanEnd: Int32Array;
  /** Per span: where the 16-byte trace id, 8-byte span id and 8-byte parent id start; parent -1 when none. */
  traceAt: Int32Array;
  spanAt: Int32Array;
  parentAt: Int32Array;
  /** Per span: start and end time as nanosecond (low, high) 32-bit halves. */
  times: Uint32Array;
  /** Per span: kind, status code and COL_ bits. */
  info: Uint16Array;
  /** Per span: the intrinsic class (semantics/classification.ts) as its SPAN_CLASSES index + 1. */
  cls: Uint8Array;
  /** Per span: index into `scopes` / `resources` (the pair the span came under). */
  group: Int32Array;
  /** Per span: the name (interned by the decoder, so repeated names are one string). */
  names: string[] = [];
  /** Per group: its resource and scope. */
  readonly groupResource: Resource[] = [];
  readonly groupScope: Scope[] = [];

  constructor(
    /** The request body the offsets point into (kept alive until the store has copied what it keeps). */
    readonly body: Uint8Array,
    capacity = 64,
  ) {
    this.spanStart = new Int32Array(capacity);
    this.spanEnd = new Int32Array(capacity);
    this.traceAt = new Int32Array(capacity);
    this.spanAt = new Int32Array(capacity);
    this.parentAt = new Int32Array(capacity);
    this.times = new Uint32Array(capacity * 4);
    this.info = new Uint16Array(capacity);
    this.cls = new Uint8Array(capacity);
    this.group = new Int32Array(capacity);
  }

  /** Room for one more span; returns its index. */
  add(): number {
    const i = this.count++;
    if (i === this.spanStart.length) {
      const n = i * 2;
      const grow = <T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(a: T, size: number): T => {
        const b = new (a.constructor as new (n: number) => T)(size);
        b.set(a);
        return b;
      };
      this.spanStart = grow(this.spanStart, n);
      this.spanEnd = grow(this.spanEnd, n);
      this.traceAt = grow(this.traceAt, n);
      this.spanAt = grow(this.spanAt, n);
      this.parentAt = grow(this.parentAt, n);
      this.times = grow(this.times, n * 4);
      this.info = grow(this.info, n);
      this.cls = grow(this.cls, n);
      this.group = grow(this.group, n);
    }
    return i;
  }

  /** Adds a resource/scope pair; returns its group index. */
  addGroup(resource: Resource, scope: Scope): number {
    this.groupResource.push(resource);
    this.groupScope.push(scope);
    return this.groupResource.length - 1;
  }
}
