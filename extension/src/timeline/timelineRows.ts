// The store's rows of one run, as the columns TimelineRows sends. Runs in the extension host and in
// `msgtrace serve`, so it imports core and protocol only (eslint keeps `vscode` out of this folder).
import { StatusCode } from '../core/model/span';
import type { Run } from '../core/store/run';
import type { SpanNode } from '../core/store/spanNode';
import type { TraceStore } from '../core/store/traceStore';
import type { KeyValue } from '../core/model/anyValue';
import { type RowColumns, RowFlags, SPAN_CLASS_NAMES, type SpanClassName } from '../protocol/timelineProtocol';

/** Spans with events beyond this many get no markers: each marker decodes the span's details. */
export const MAX_EVENT_SPANS = 20_000;

/**
 * Small integer handles for the nodes of the shown run, stable while the page shows that run, so the webview
 * keeps selection and collapsed subtrees across live updates without holding 32-character ids. The first build
 * of a run gives row i the key i (no map: a Map of 100k nodes costs ~60 ms); the node-to-key map is built on the
 * first later need (a live update, a search). WeakMap + WeakRef cost 15 µs a node, which is 1.5 s for a
 * 100k-span run. The session calls `reset()` when it shows another run, so nodes of runs no longer shown are not
 * kept alive.
 */
export class RowKeys {
  private byNode: Map<SpanNode, number> | undefined;
  private nodes: SpanNode[] = [];

  keyOf(node: SpanNode): number {
    const byNode = this.index();
    let key = byNode.get(node);
    if (key === undefined) {
      key = this.nodes.length;
      this.nodes.push(node);
      byNode.set(node, key);
    }
    return key;
  }

  /** Keys of the rows, in order, into `out`. */
  keysOf(nodes: readonly SpanNode[], out: Int32Array): void {
    if (this.nodes.length === 0) {
      this.nodes = nodes.slice();
      for (let i = 0; i < nodes.length; i++) out[i] = i;
      return;
    }
    for (let i = 0; i < nodes.length; i++) out[i] = this.keyOf(nodes[i]!);
  }

  nodeOf(key: number): SpanNode | undefined {
    return this.nodes[key];
  }

  /** Forgets every key; keys given later do not reuse old numbers' meaning for the page (it drops its state). */
  reset(): void {
    this.byNode = undefined;
    this.nodes = [];
  }

  private index(): Map<SpanNode, number> {
    if (!this.byNode) {
      this.byNode = new Map();
      for (let i = 0; i < this.nodes.length; i++) this.byNode.set(this.nodes[i]!, i);
    }
    return this.byNode;
  }
}

const CLASS_INDEX = new Map<SpanClassName, number>(SPAN_CLASS_NAMES.map((c, i) => [c, i]));

/** Milliseconds from (originMs, originNs) to (ms, ns), as a fractional number. */
export function relativeMs(originMs: number, originNs: number, ms: number, ns: number): number {
  return ms - originMs + (ns - originNs) / 1e6;
}

/** Microsecond rounding: nothing a person can see is lost, and the packed rows send whole microseconds. */
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The rows of a run as typed columns, written in one pass over the flattened tree. */
export function buildRows(store: TraceStore, run: Run, keys: RowKeys): RowColumns {
  const builder = new RowsBuilder(store, run, keys);
  builder.step(Infinity);
  return builder.columns();
}

/**
 * buildRows in slices: `msgtrace serve` builds the newest run's rows while the page loads, a few thousand rows
 * per event-loop turn so the page's own requests are still answered meanwhile.
 */
export class RowsBuilder {
  private readonly nodes: readonly SpanNode[];
  private readonly depths: ArrayLike<number>;
  private readonly n: number;
  private next = 0;
  private readonly key: Int32Array;
  private readonly depth: Uint16Array;
  private readonly start: Float64Array;
  private readonly duration: Float64Array;
  private readonly cls: Uint8Array;
  private readonly flags: Uint8Array;
  private readonly name: Int32Array;
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly eventRow: number[] = [];
  private readonly eventTime: number[] = [];
  private readonly eventException: number[] = [];
  private eventSpans = 0;
  private lastLabel: string | undefined;
  private lastName = -1;

  constructor(
    private readonly store: TraceStore,
    readonly run: Run,
    readonly keys: RowKeys,
  ) {
    const { nodes, depths } = store.flatten(run);
    this.nodes = nodes;
    this.depths = depths;
    const n = (this.n = nodes.length);
    this.key = new Int32Array(n);
    this.depth = new Uint16Array(n);
    this.start = new Float64Array(n);
    this.duration = new Float64Array(n);
    this.cls = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.name = new Int32Array(n);
    keys.keysOf(nodes, this.key);
  }

  get done(): boolean {
    return this.next >= this.n;
  }

  /** Builds up to `limit` more rows; true when every row is built. */
  step(limit: number): boolean {
    const { store, nodes, depths, depth, start, duration, cls, flags, name } = this;
    const end = Math.min(this.n, this.next + limit);
    const oMs = this.run.startMs;
    const oNs = this.run.startSubMsNanos;
    for (let i = this.next; i < end; i++) {
      const node = nodes[i]!;
      depth[i] = Math.min(0xffff, depths[i]!);
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
          if (this.eventSpans++ < MAX_EVENT_SPANS) {
            for (const ev of span.details().events) {
              const isException = ev.name === 'exception';
              if (isException) f |= RowFlags.error;
              this.eventRow.push(i);
              this.eventTime.push(round(relativeMs(oMs, oNs, ev.timeMs, ev.timeSubMsNanos)));
              this.eventException.push(isException ? 1 : 0);
            }
          }
        }
      }
      flags[i] = f;
      // Neighbouring rows often share a name (siblings of a loop): skip the map then.
      if (label !== this.lastLabel) {
        let ni = this.nameIndex.get(label);
        if (ni === undefined) {
          ni = this.names.length;
          this.names.push(label);
          this.nameIndex.set(label, ni);
        }
        this.lastLabel = label;
        this.lastName = ni;
      }
      name[i] = this.lastName;
    }
    this.next = end;
    return this.done;
  }

  /** The columns; call when done. */
  columns(): RowColumns {
    return {
      count: this.n,
      key: this.key,
      depth: this.depth,
      start: this.start,
      duration: this.duration,
      cls: this.cls,
      flags: this.flags,
      name: this.name,
      names: this.names,
      eventRow: Int32Array.from(this.eventRow),
      eventTime: Float64Array.from(this.eventTime),
      eventException: Uint8Array.from(this.eventException),
    };
  }
}

/** Rows built per event-loop turn when building ahead: a few milliseconds. */
const SLICE_ROWS = 4_000;

/** Steps the builder one slice per event-loop turn, while `keepGoing()` says so, until it is done. */
export function buildInSlices(builder: RowsBuilder, keepGoing: () => boolean): void {
  const slice = () => {
    if (keepGoing() && !builder.step(SLICE_ROWS)) setImmediate(slice);
  };
  setImmediate(slice);
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
