// Shared by the comparison tests: runs from Span objects, the real msgflux capture and edited copies of it, and
// an alignment read as span ids so two alignments (of different stores) can be compared.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alignment, RunSide } from '../../../extension/src/core/compare/comparison';
import type { AnyValue, KeyValue } from '../../../extension/src/core/model/anyValue';
import { isIndexedAttributeKey } from '../../../extension/src/core/model/indexedAttributes';
import { Span, type SpanDetails, type SpanEvent, StatusCode } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';

/** One store holding `spans` (in the given arrival order, cut into batches at `cuts`), and its only run. */
export function runOf(spans: readonly Span[], cuts: readonly number[] = []): RunSide {
  const store = new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });
  const bounds = [...new Set([0, ...cuts.map(c => c % (spans.length + 1)), spans.length])].sort((a, b) => a - b);
  for (let i = 0; i + 1 < bounds.length; i++) store.ingestSpans(spans.slice(bounds[i], bounds[i + 1]), { transport: 'test' });
  store.flush();
  const runs = store.runs();
  if (runs.length !== 1) throw new Error(`expected one run, got ${runs.length}`);
  return { store, run: runs[0]! };
}

/** Each pair as "spanIdA>spanIdB match depth parent" ('-' for a missing side): comparable across stores. */
export function alignmentText(al: Alignment): string[] {
  const id = (side: RunSide, row: number) => (row < 0 ? '-' : side.store.rows.spanId(row) || `(placeholder ${side.store.rows.name(row)})`);
  return Array.from({ length: al.count }, (_, p) => `${id(al.a, al.rowA[p]!)}>${id(al.b, al.rowB[p]!)} m${al.match[p]} d${al.depth[p]} p${al.parent[p]}`);
}

/** Pairs as span id of A → span id of B (matched pairs only). */
export function pairedIds(al: Alignment): Map<string, string> {
  const out = new Map<string, string>();
  for (let p = 0; p < al.count; p++) {
    if (al.rowA[p]! >= 0 && al.rowB[p]! >= 0) out.set(al.a.store.rows.spanId(al.rowA[p]!), al.b.store.rows.spanId(al.rowB[p]!));
  }
  return out;
}

/** The 28 spans of the recorded msgflux request (docs/msgflux-wire.md#the-recorded-request). */
export function captureSpans(): Span[] {
  return [...decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb'))).spans];
}

export interface SpanEdit {
  /** Nanoseconds added to the start and to the end. */
  readonly shiftStart?: number;
  readonly shiftEnd?: number;
  readonly name?: string;
  readonly status?: StatusCode;
  readonly statusMessage?: string;
  /** Attributes set (added or replaced). */
  readonly attrs?: Record<string, AnyValue>;
  readonly events?: readonly SpanEvent[];
}

const addNanos = (ms: number, ns: number, delta: number): [number, number] => {
  const total = ns + delta;
  const whole = Math.floor(total / 1_000_000);
  return [ms + whole, total - whole * 1_000_000];
};

/** A copy of a span with some fields changed (Span objects are immutable). */
export function editSpan(span: Span, edit: SpanEdit): Span {
  const attributes: KeyValue[] = span.attributes().filter(kv => !(edit.attrs && kv.key in edit.attrs));
  for (const [key, value] of Object.entries(edit.attrs ?? {})) attributes.push({ key, value });
  const events = edit.events ?? span.details().events;
  const details: SpanDetails = { attributes, events, links: span.details().links };
  const [startMs, startSubMsNanos] = addNanos(span.startMs, span.startSubMsNanos, edit.shiftStart ?? 0);
  const [endMs, endSubMsNanos] = addNanos(span.endMs, span.endSubMsNanos, edit.shiftEnd ?? 0);
  return new Span(
    {
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      traceState: span.traceState,
      flags: span.flags,
      name: edit.name ?? span.name,
      kind: span.kind,
      startMs,
      startSubMsNanos,
      endMs,
      endSubMsNanos,
      statusCode: edit.status ?? span.statusCode,
      statusMessage: edit.statusMessage ?? span.statusMessage,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
      eventCount: events.length,
      linkCount: span.linkCount,
      indexed: attributes.filter(kv => isIndexedAttributeKey(kv.key)),
      resource: span.resource,
      scope: span.scope,
    },
    details,
  );
}

/** Exact comparison of two (ms, ns) times: Unix nanoseconds do not fit in a double. */
const cmp = (ms1: number, ns1: number, ms2: number, ns2: number) => ms1 - ms2 || ns1 - ns2;

/**
 * The capture with one span made `slowBy` nanoseconds longer the way a slower call is: the spans that contain it
 * end later by as much, and every span that starts after it ends moves by as much.
 */
export function slowDown(spans: readonly Span[], target: Span, slowBy: number): Span[] {
  return spans.map(s => {
    if (s === target) return editSpan(s, { shiftEnd: slowBy });
    if (cmp(s.startMs, s.startSubMsNanos, target.endMs, target.endSubMsNanos) >= 0) return editSpan(s, { shiftStart: slowBy, shiftEnd: slowBy });
    const contains = cmp(s.startMs, s.startSubMsNanos, target.startMs, target.startSubMsNanos) <= 0 && cmp(s.endMs, s.endSubMsNanos, target.endMs, target.endSubMsNanos) >= 0;
    return contains ? editSpan(s, { shiftEnd: slowBy }) : s;
  });
}

export { StatusCode };

/** Milliseconds the edited capture's module is slowed by. */
export const SLOWED_BY_NANOS = 5_000_000;

/**
 * The real capture as run A, and run B = A with one module slowed by 5 ms (the Doubler that Pipeline calls
 * first), one tool result changed (the first Get Capital: Paris → Lyon) and the failing Exploder fixed (status
 * OK, no exception). msgflux 0.1.0a23 drops tool results (docs/msgflux-wire.md#agents-and-tools), so both runs
 * get the `gen_ai.tool.response` a newer msgflux sends.
 */
export function editedCapture(): { a: Span[]; b: Span[] } {
  const spans = captureSpans();
  const side = runOf(spans);
  const pipeline = side.store.children(side.run).find(row => side.store.rows.name(row) === 'Pipeline')!;
  const doublerId = side.store.rows.spanId([...side.store.children(pipeline)].find(row => side.store.rows.name(row) === 'Doubler')!);
  side.store.dispose();
  const toolCalls = spans.filter(s => s.name === 'Get Capital').sort((x, y) => x.startMs - y.startMs || x.startSubMsNanos - y.startSubMsNanos);
  const a = spans.map(s => (s.name === 'Get Capital' ? editSpan(s, { attrs: { 'gen_ai.tool.response': 'Paris' } }) : s));
  let b = spans.map(s => {
    if (s === toolCalls[0]) return editSpan(s, { attrs: { 'gen_ai.tool.response': 'Lyon' } });
    if (s.name === 'Get Capital') return editSpan(s, { attrs: { 'gen_ai.tool.response': 'Paris' } });
    if (s.name === 'Exploder') return editSpan(s, { status: StatusCode.Ok, statusMessage: '', events: [] });
    return s;
  });
  b = slowDown(b, b.find(s => s.spanId === doublerId)!, SLOWED_BY_NANOS);
  return { a, b };
}
