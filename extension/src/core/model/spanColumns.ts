// A decoded protobuf request as columns: where each accepted span's fields are in the request body, and the
// few values the store indexes. No object per span: the store copies from here into its own rows
// (core/store/spanTable.ts), and Span objects are made only for consumers that ask for them (SpanBatch.spans).
import type { Resource, Scope } from './span';

/**
 * SpanColumns.info: the span's facts (protocol/spanFacts.ts, the DECODED_FACTS bits) in bits 0-8, its kind in
 * bits 9-11 and its status code in bits 12-13.
 */
export const INFO_KIND_SHIFT = 9;
export const INFO_STATUS_SHIFT = 12;

const EMPTY_I32 = new Int32Array(0);
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U16 = new Uint16Array(0);
const EMPTY_U8 = new Uint8Array(0);
/** Six Int32 columns, four Uint32 times, a Uint16 and a Uint8 per span, in that order (keeps views aligned). */
const BYTES_PER_SPAN = 6 * 4 + 4 * 4 + 2 + 1;

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
  /** Per span: facts, kind and status code (INFO_ layout above). */
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
    this.spanStart = this.spanEnd = this.traceAt = this.spanAt = this.parentAt = this.group = EMPTY_I32;
    this.times = EMPTY_U32;
    this.info = EMPTY_U16;
    this.cls = EMPTY_U8;
    this.allocate(Math.max(1, capacity));
  }

  /** Room for one more span; returns its index. */
  add(): number {
    const i = this.count++;
    if (i === this.spanStart.length) this.allocate(i * 2);
    return i;
  }

  // All columns are views of one ArrayBuffer: one allocation per request (and per doubling), not one per column.
  private allocate(capacity: number): void {
    const n = capacity;
    const buffer = new ArrayBuffer(n * BYTES_PER_SPAN);
    let at = 0;
    const view = <T extends Int32Array | Uint32Array | Uint16Array | Uint8Array>(make: new (b: ArrayBuffer, o: number, l: number) => T, old: T, length: number, bytes: number): T => {
      const v = new make(buffer, at, length);
      v.set(old);
      at += length * bytes;
      return v;
    };
    this.spanStart = view(Int32Array, this.spanStart, n, 4);
    this.spanEnd = view(Int32Array, this.spanEnd, n, 4);
    this.traceAt = view(Int32Array, this.traceAt, n, 4);
    this.spanAt = view(Int32Array, this.spanAt, n, 4);
    this.parentAt = view(Int32Array, this.parentAt, n, 4);
    this.group = view(Int32Array, this.group, n, 4);
    this.times = view(Uint32Array, this.times, n * 4, 4);
    this.info = view(Uint16Array, this.info, n, 2);
    this.cls = view(Uint8Array, this.cls, n, 1);
  }

  /** Adds a resource/scope pair; returns its group index. */
  addGroup(resource: Resource, scope: Scope): number {
    this.groupResource.push(resource);
    this.groupScope.push(scope);
    return this.groupResource.length - 1;
  }
}
