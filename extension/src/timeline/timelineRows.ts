// The store's rows of one run, as the columns TimelineRows sends. Runs in the extension host and in
// `msgtrace serve`, so it imports core and protocol only (eslint keeps `vscode` out of this folder).
import { StatusCode } from '../core/model/span';
import type { Run } from '../core/store/run';
import type { SpanNode } from '../core/store/spanNode';
import type { TraceStore } from '../core/store/traceStore';
import type { KeyValue } from '../core/model/anyValue';
import { RowFlags, SPAN_CLASS_NAMES, type SpanClassName, type TimelineRows } from '../protocol/timelineProtocol';

/** Spans with events beyond this many get no markers: each marker decodes the span's details. */
export const MAX_EVENT_SPANS = 20_000;

/**
 * Small integer handles for the nodes of the shown run, stable while the page shows that run, so the webview
 * keeps selection and collapsed subtrees across live updates without holding 32-character ids. A plain Map:
 * WeakMap + WeakRef cost 15 µs a node, which is 1.5 s for a 100k-span run. The session calls `reset()` when it
 * shows another run, so nodes of runs no longer shown are not kept alive.
 */
export class RowKeys {
  private byNode = new Map<SpanNode, number>();
  private nodes: SpanNode[] = [];

  keyOf(node: SpanNode): number {
    let key = this.byNode.get(node);
    if (key === undefined) {
      key = this.nodes.length;
      this.nodes.push(node);
      this.byNode.set(node, key);
    }
    return key;
  }

  nodeOf(key: number): SpanNode | undefined {
    return this.nodes[key];
  }

  /** Forgets every key; keys given later do not reuse old numbers' meaning for the page (it drops its state). */
  reset(): void {
    this.byNode = new Map();
    this.nodes = [];
  }
}

export const EMPTY_ROWS: TimelineRows = { count: 0, key: [], depth: [], start: [], duration: [], cls: [], flags: [], name: [], names: [], events: [] };

const CLASS_INDEX = new Map<SpanClassName, number>(SPAN_CLASS_NAMES.map((c, i) => [c, i]));

/** Milliseconds from (originMs, originNs) to (ms, ns), as a fractional number. */
export function relativeMs(originMs: number, originNs: number, ms: number, ns: number): number {
  return ms - originMs + (ns - originNs) / 1e6;
}

export function buildRows(store: TraceStore, run: Run, keys: RowKeys): TimelineRows {
  const { nodes, depths } = store.flatten(run);
  const n = nodes.length;
  const key = new Array<number>(n);
  const depth = new Array<number>(n);
  const start = new Array<number>(n);
  const duration = new Array<number>(n);
  const cls = new Array<number>(n);
  const flags = new Array<number>(n);
  const name = new Array<number>(n);
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const events: number[] = [];
  let eventSpans = 0;
  const oMs = run.startMs;
  const oNs = run.startSubMsNanos;
  // Microsecond rounding keeps the JSON short without losing anything a person can see.
  const round = (x: number) => Math.round(x * 1000) / 1000;
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    key[i] = keys.keyOf(node);
    depth[i] = depths[i]!;
    cls[i] = CLASS_INDEX.get(store.classOf(node)) ?? SPAN_CLASS_NAMES.length - 1;
    let f = 0;
    if (node.children !== undefined && node.children.length > 0) f |= RowFlags.hasChildren;
    if (node.isInferredEdge) f |= RowFlags.inferredEdge;
    const span = node.span;
    let label: string;
    if (span === undefined) {
      f |= RowFlags.placeholder;
      label = `(missing parent ${node.spanId})`;
      // A placeholder spans its children: where they start, to where the last of them ends.
      const extent = placeholderExtent(node, oMs, oNs);
      start[i] = round(extent[0]);
      duration[i] = round(extent[1] - extent[0]);
    } else {
      label = span.name;
      const s = relativeMs(oMs, oNs, span.startMs, span.startSubMsNanos);
      start[i] = round(s);
      duration[i] = round(Math.max(0, relativeMs(oMs, oNs, span.endMs, span.endSubMsNanos) - s));
      if (span.statusCode === StatusCode.Error) f |= RowFlags.error;
      if (span.indexed.length > 0) f |= indexedFlags(span.indexed);
      if (span.eventCount > 0) {
        f |= RowFlags.hasEvents;
        if (eventSpans++ < MAX_EVENT_SPANS) {
          for (const ev of span.details().events) {
            const isException = ev.name === 'exception';
            if (isException) f |= RowFlags.error;
            events.push(i, round(relativeMs(oMs, oNs, ev.timeMs, ev.timeSubMsNanos)), isException ? 1 : 0);
          }
        }
      }
    }
    flags[i] = f;
    let ni = nameIndex.get(label);
    if (ni === undefined) {
      ni = names.length;
      names.push(label);
      nameIndex.set(label, ni);
    }
    name[i] = ni;
  }
  return { count: n, key, depth, start, duration, cls, flags, name, names, events };
}

function placeholderExtent(node: SpanNode, oMs: number, oNs: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of node.children ?? []) {
    if (c.parent !== node || !c.span) continue;
    lo = Math.min(lo, relativeMs(oMs, oNs, c.span.startMs, c.span.startSubMsNanos));
    hi = Math.max(hi, relativeMs(oMs, oNs, c.span.endMs, c.span.endSubMsNanos));
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

const USAGE_PREFIXES = ['gen_ai.usage.', 'llm.token_count.', 'llm.usage.', 'llm.cost.'];

/**
 * hasSource and hasUsage from one look at the indexed keys: computing the span's usage (semantics/usage.ts)
 * for every row costs a third of building a 100k-row state, and the row needs only "has any".
 */
function indexedFlags(indexed: readonly KeyValue[]): number {
  let f = 0;
  for (const kv of indexed) {
    const k = kv.key;
    if (k === 'code.file.path' || k === 'code.filepath') f |= RowFlags.hasSource;
    else if (USAGE_PREFIXES.some(p => k.startsWith(p)) && kv.value !== null) f |= RowFlags.hasUsage;
  }
  return f;
}
