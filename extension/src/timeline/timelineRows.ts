// The store's rows of one run, as the columns TimelineRows sends. Runs in the extension host and in
// `msgtrace serve`, so it imports core and protocol only (eslint keeps `vscode` out of this folder).
import type { Run } from '../core/store/run';
import { ROW_FACTS, SpanFacts } from '../protocol/spanFacts';
import type { TraceStore } from '../core/store/traceStore';
import { type RowColumns, SPAN_CLASS_NAMES, type SpanClassName } from '../protocol/timelineProtocol';

/** Spans with events beyond this many get no markers: each marker decodes the span's details. */
export const MAX_EVENT_SPANS = 20_000;

/**
 * Small integer handles for the rows of the shown run, stable while the page shows that run, so the webview
 * keeps selection and collapsed subtrees across live updates without holding 32-character ids. The first build
 * of a run gives row i the key i (no map); the store-row-to-key map is built on the first later need (a live
 * update, a search). The session calls `reset()` when it shows another run.
 */
export class RowKeys {
  private byRow: Map<number, number> | undefined;
  // The first build's rows as they came (no copy); a plain array once a later key is added.
  private rows: Int32Array | number[] = [];

  /** The key of a store row (TraceStore.flatten). */
  keyOf(row: number): number {
    const byRow = this.index();
    let key = byRow.get(row);
    if (key === undefined) {
      if (!Array.isArray(this.rows)) this.rows = Array.from(this.rows);
      key = this.rows.length;
      this.rows.push(row);
      byRow.set(row, key);
    }
    return key;
  }

  /** Keys of the rows, in order, into `out`. */
  keysOf(rows: Int32Array, out: Int32Array): void {
    if (this.rows.length === 0) {
      this.rows = rows;
      for (let i = 0; i < rows.length; i++) out[i] = i;
      return;
    }
    for (let i = 0; i < rows.length; i++) out[i] = this.keyOf(rows[i]!);
  }

  /** The store row a key stands for. */
  rowOf(key: number): number | undefined {
    return key >= 0 && key < this.rows.length ? this.rows[key] : undefined;
  }

  /** Forgets every key; keys given later do not reuse old numbers' meaning for the page (it drops its state). */
  reset(): void {
    this.byRow = undefined;
    this.rows = [];
  }

  private index(): Map<number, number> {
    if (!this.byRow) {
      this.byRow = new Map();
      for (let i = 0; i < this.rows.length; i++) this.byRow.set(this.rows[i]!, i);
    }
    return this.byRow;
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
  private readonly rows: Int32Array;
  private readonly depths: Uint16Array;
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
    // The store answers every column from its row words without decoding a span, except for the events of
    // spans that have some.
    const { rows, depths } = store.flatten(run);
    this.rows = rows;
    this.depths = depths;
    const n = (this.n = rows.length);
    this.key = new Int32Array(n);
    this.depth = new Uint16Array(n);
    this.start = new Float64Array(n);
    this.duration = new Float64Array(n);
    this.cls = new Uint8Array(n);
    this.flags = new Uint8Array(n);
    this.name = new Int32Array(n);
    keys.keysOf(rows, this.key);
  }

  get done(): boolean {
    return this.next >= this.n;
  }

  /** Builds up to `limit` more rows; true when every row is built. */
  step(limit: number): boolean {
    const { store, rows, depths, depth, start, duration, cls, flags, name } = this;
    const reader = store.rows;
    const end = Math.min(this.n, this.next + limit);
    const oMs = this.run.startMs;
    const oNs = this.run.startSubMsNanos;
    for (let i = this.next; i < end; i++) {
      const row = rows[i]!;
      depth[i] = depths[i]!;
      cls[i] = CLASS_INDEX.get(store.classOf(row)) ?? SPAN_CLASS_NAMES.length - 1;
      const facts = reader.facts(row);
      // The store's facts travel as they are (protocol/spanFacts.ts); the page needs only ROW_FACTS of them.
      let f = facts & ROW_FACTS;
      let label: string;
      if (facts & SpanFacts.placeholder) {
        label = `(missing parent ${reader.spanId(row)})`;
        // A placeholder spans its children: where they start, to where the last of them ends.
        const extent = placeholderExtent(store, row, oMs, oNs);
        start[i] = round(extent[0]);
        duration[i] = round(extent[1] - extent[0]);
      } else {
        label = reader.name(row);
        const s = reader.relativeMs(row, false, oMs, oNs);
        start[i] = round(s);
        duration[i] = round(Math.max(0, reader.relativeMs(row, true, oMs, oNs) - s));
        if (facts & SpanFacts.hasEvents) {
          if (this.eventSpans++ < MAX_EVENT_SPANS) {
            for (const ev of reader.details(row).events) {
              const isException = ev.name === 'exception';
              if (isException) f |= SpanFacts.error; // an exception shows as an error on the page
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

/** A placeholder's times: from where its children start to where the last of them ends (ms from the origin). */
export function placeholderExtent(store: TraceStore, row: number, oMs: number, oNs: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const reader = store.rows;
  for (const c of store.children(row)) {
    if (reader.facts(c) & SpanFacts.placeholder) continue;
    lo = Math.min(lo, reader.relativeMs(c, false, oMs, oNs));
    hi = Math.max(hi, reader.relativeMs(c, true, oMs, oNs));
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}
