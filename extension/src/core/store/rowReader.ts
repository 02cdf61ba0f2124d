// The one way views read a stored span: by its row (a number, stable while the span is stored, never reused),
// one fact at a time, from the row's words where they are kept (facts, name, ids, times, kind, status) and
// from its rest bytes only when asked (status message, details, the whole Span). No object is made per row, so
// a view reads exactly what it shows: a tree label costs a name, a time and a few bits; the timeline reads
// 100k rows without a span decoded. Reading a row that is no longer stored gives '' / NaN / undefined.
// docs/store.md, "Reading rows".
import type { KeyValue } from '../model/anyValue';
import { isIndexedAttributeKey } from '../model/indexedAttributes';
import { type Resource, type Scope, Span, type SpanDetails, type SpanKind, StatusCode } from '../model/span';
import { protobufDetailsCodec } from '../otlp/protobufDecoder';
import { ALL_FACTS, SpanFacts } from '../../protocol/spanFacts';
import { newClassProbe } from '../semantics/ingestFacts';
import { SPAN_CLASSES, type SpanClass } from '../semantics/spanClass';
import { parseHexWord } from './idWords';
import { readRestScalars } from './restBytes';
import type { ScopeRegistry } from './scopeRegistry';
import {
  F_CLASS_MASK,
  F_CLASS_SHIFT,
  F_EVICTED,
  F_KIND_SHIFT,
  F_STATUS_SHIFT,
  F_W3C_MASK,
  F_W3C_SHIFT,
  type SpanTable,
  W_END,
  W_FIRST_CHILD,
  W_PARENT,
  W_REST_LEN,
  W_SCOPE,
  W_SPAN,
  W_START,
  W_TRACE,
} from './spanTable';

const EMPTY_DETAILS: SpanDetails = Object.freeze({ attributes: Object.freeze([]), events: Object.freeze([]), links: Object.freeze([]) }) as SpanDetails;
const HEX_32 = /^[0-9a-f]{32}$/i;
const HEX_16 = /^[0-9a-f]{16}$/i;

export class RowReader {
  private readonly key = new Uint32Array(6);

  constructor(
    private readonly table: SpanTable,
    private readonly scopes: ScopeRegistry,
  ) {}

  /** Whether the row is stored now (a span or a placeholder); false once evicted or cleared, and for -1. */
  has(row: number): boolean {
    return row >= 0 && row < this.table.size && !(this.table.flags(row) & F_EVICTED);
  }

  /** The row of a stored span or placeholder by its ids, or -1. */
  find(traceId: string, spanId: string): number {
    if (!HEX_32.test(traceId) || !HEX_16.test(spanId)) return -1;
    const k = this.key;
    for (let i = 0; i < 4; i++) k[i] = parseHexWord(traceId, i << 3);
    k[4] = parseHexWord(spanId, 0);
    k[5] = parseHexWord(spanId, 8);
    return this.table.ids.find(k);
  }

  /**
   * The row's SpanFacts bits (protocol/spanFacts.ts) as the decoder wrote them, with hasChildren from the
   * links. Children nested by inference are linked once the row's run was read or flushed (rows from
   * TraceStore.children and flatten are).
   */
  facts(row: number): number {
    const t = this.table;
    const f = t.flags(row);
    if (f & F_EVICTED) return 0;
    return (f & ALL_FACTS) | (t.link(row, W_FIRST_CHILD) >= 0 ? SpanFacts.hasChildren : 0);
  }

  /** '' for a placeholder. */
  name(row: number): string {
    return this.table.flags(row) & (SpanFacts.placeholder | F_EVICTED) ? '' : this.table.name(row);
  }

  traceId(row: number): string {
    return this.has(row) ? this.table.hexId(row, W_TRACE, 4) : '';
  }

  spanId(row: number): string {
    return this.has(row) ? this.table.hexId(row, W_SPAN, 2) : '';
  }

  kind(row: number): SpanKind {
    return ((this.table.flags(row) >>> F_KIND_SHIFT) & 7) as SpanKind;
  }

  status(row: number): StatusCode {
    const f = this.table.flags(row);
    return f & F_EVICTED ? StatusCode.Unset : (((f >>> F_STATUS_SHIFT) & 3) as StatusCode);
  }

  /** Whole Unix milliseconds of the start (or end); a placeholder's are its earliest child's start. */
  ms(row: number, end = false): number {
    return this.table.flags(row) & F_EVICTED ? NaN : this.table.ms(row, end ? W_END : W_START);
  }

  /** Nanoseconds within that millisecond. */
  subMsNanos(row: number, end = false): number {
    return this.table.flags(row) & F_EVICTED ? NaN : this.table.subNanos(row, end ? W_END : W_START);
  }

  /** Milliseconds from (originMs, originNs) to the row's start or end, as a fractional number (no allocation). */
  relativeMs(row: number, end: boolean, originMs: number, originNs: number): number {
    return this.ms(row, end) - originMs + (this.subMsNanos(row, end) - originNs) / 1e6;
  }

  /** end - start in nanoseconds (exact below ~104 days). */
  durationNanos(row: number): number {
    return (this.ms(row, true) - this.ms(row)) * 1_000_000 + (this.subMsNanos(row, true) - this.subMsNanos(row));
  }

  /** The status message, read from the rest bytes without decoding the details. */
  statusMessage(row: number): string {
    return this.table.flags(row) & (SpanFacts.placeholder | F_EVICTED) ? '' : this.scalars(row).statusMessage;
  }

  /** The resource and scope the span came with. */
  scopeOf(row: number): { readonly resource: Resource; readonly scope: Scope } | undefined {
    return this.table.flags(row) & (SpanFacts.placeholder | F_EVICTED) ? undefined : this.scopes.get(this.table.get(row, W_SCOPE));
  }

  /** Attributes, events and links, decoded from the rest bytes for this call. */
  details(row: number): SpanDetails {
    const t = this.table;
    if (t.flags(row) & (SpanFacts.placeholder | F_EVICTED)) return EMPTY_DETAILS;
    const len = t.get(row, W_REST_LEN);
    if (len === 0) return EMPTY_DETAILS;
    const off = t.restOffset(row);
    return protobufDetailsCodec.decodeDetails(t.restSlab(row)!, off, off + len);
  }

  /**
   * The row's raw rest bytes (attributes, events, links, status message as they came on the wire), as a view of
   * the store's slab, not a copy: valid only until the next ingest, eviction or clear (a freed slab is reused),
   * so read it at once and keep nothing. Empty for a placeholder or a span without any; undefined for a row that
   * is not stored. A view because the change scan compares every aligned pair of two whole runs: a copy would
   * allocate and copy every span's bytes twice to compare them once.
   */
  restBytes(row: number): Uint8Array | undefined {
    if (!this.has(row)) return undefined;
    const t = this.table;
    const len = t.get(row, W_REST_LEN);
    if (len === 0) return NO_BYTES;
    const off = t.restOffset(row);
    return t.restSlab(row)!.subarray(off, off + len);
  }

  /** The whole span, made for the caller and not kept (it decodes the details); undefined for a placeholder. */
  span(row: number): Span | undefined {
    const t = this.table;
    if (row < 0 || row >= t.size) return undefined;
    const flags = t.flags(row);
    if (flags & (SpanFacts.placeholder | F_EVICTED)) return undefined;
    const rest = this.scalars(row);
    const details = this.details(row);
    const parent = t.link(row, W_PARENT);
    const ref = this.scopes.get(t.get(row, W_SCOPE));
    return new Span(
      {
        traceId: t.hexId(row, W_TRACE, 4),
        spanId: t.hexId(row, W_SPAN, 2),
        parentSpanId: parent >= 0 && !(flags & SpanFacts.inferredEdge) ? t.hexId(parent, W_SPAN, 2) : '',
        traceState: rest.traceState,
        flags: rest.flags,
        name: t.name(row),
        kind: ((flags >>> F_KIND_SHIFT) & 7) as SpanKind,
        startMs: t.ms(row, W_START),
        startSubMsNanos: t.subNanos(row, W_START),
        endMs: t.ms(row, W_END),
        endSubMsNanos: t.subNanos(row, W_END),
        statusCode: ((flags >>> F_STATUS_SHIFT) & 3) as StatusCode,
        statusMessage: rest.statusMessage,
        droppedAttributesCount: rest.droppedAttributesCount,
        droppedEventsCount: rest.droppedEventsCount,
        droppedLinksCount: rest.droppedLinksCount,
        eventCount: rest.eventCount,
        linkCount: rest.linkCount,
        indexed: details.attributes.filter(kv => isIndexedAttributeKey(kv.key)),
        resource: ref.resource,
        scope: ref.scope,
      },
      details,
    );
  }

  /** The class the span has on its own, computed at ingest; 'generic' for a placeholder. */
  intrinsicClass(row: number): SpanClass {
    const f = this.table.flags(row);
    if (f & (SpanFacts.placeholder | F_EVICTED)) return 'generic';
    return SPAN_CLASSES[((f & F_CLASS_MASK) >>> F_CLASS_SHIFT) - 1] ?? 'generic';
  }

  /**
   * A span-like probe with only what the context rules of semantics/classification.ts read (name, kind, scope,
   * whether span.type is present and "flow"), from the row's words: no rest bytes are read.
   */
  classProbe(row: number): Span | undefined {
    const t = this.table;
    const f = t.flags(row);
    if (f & (SpanFacts.placeholder | F_EVICTED)) return undefined;
    const { fields: probe, span } = newClassProbe();
    const ref = this.scopes.get(t.get(row, W_SCOPE));
    probe.name = t.name(row);
    probe.kind = ((f >>> F_KIND_SHIFT) & 7) as SpanKind;
    probe.scope = ref.scope;
    probe.resource = ref.resource;
    probe.indexed = f & SpanFacts.spanType ? (f & SpanFacts.spanTypeFlow ? SPAN_TYPE_FLOW : SPAN_TYPE_OTHER) : NO_ATTRIBUTES;
    return span;
  }

  private scalars(row: number) {
    const t = this.table;
    const len = t.get(row, W_REST_LEN);
    const off = len > 0 ? t.restOffset(row) : 0;
    return readRestScalars(len > 0 ? t.restSlab(row) : undefined, off, off + len, (t.flags(row) >>> F_W3C_SHIFT) & F_W3C_MASK);
  }
}

const NO_ATTRIBUTES: readonly KeyValue[] = Object.freeze([]);
const NO_BYTES = new Uint8Array(0);
const SPAN_TYPE_FLOW: readonly KeyValue[] = Object.freeze([Object.freeze({ key: 'span.type', value: 'flow' })]);
// The context rules ask only whether span.type is present and whether it is "flow".
const SPAN_TYPE_OTHER: readonly KeyValue[] = Object.freeze([Object.freeze({ key: 'span.type', value: '(not flow)' })]);
