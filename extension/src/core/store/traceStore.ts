// The trace store: every span the receiver accepted, as runs of trees, in bounded memory, with coalesced change
// events for the views. docs/store.md describes the data structures and rules; the short version:
// - spans are rows of a SpanTable (typed-array pages, no object per span), found by id through its hash
//   indexes; a span's unindexed fields stay as protobuf bytes until a view asks (SpanNode.span);
// - real parent edges are linked at ingest (intrusive child lists in the rows); flat msgflux roots are nested by
//   time containment lazily, at the next flush or query of their run;
// - child lists are in arrival order and sorted when a view reads them (the sorted order is cached per parent
//   until its children change);
// - change events are coalesced by a Scheduler the caller provides.
import { Emitter, type Event } from '../common/event';
import { type KeyValue, formatAnyValue } from '../model/anyValue';
import type { SpanBatch } from '../model/batch';
import { INFO_KIND_SHIFT, INFO_STATUS_SHIFT } from '../model/spanColumns';
import { ALL_FACTS, DECODED_FACTS, SpanFacts } from '../../protocol/spanFacts';
import { ingestFactBits, intrinsicClassCode, newClassProbe } from '../semantics/ingestFacts';
import { isIndexedAttributeKey } from '../model/indexedAttributes';
import { type Resource, type Scope, Span, type SpanDetails, type SpanKind, StatusCode } from '../model/span';
import { protobufDetailsCodec } from '../otlp/protobufDecoder';
import { encodeSpanRest } from '../otlp/protobufWriter';
import { nanosSubMs, nanosToMs } from '../otlp/protoReader';
import { type Classification, classifyInContext, classifySpan, refineClass } from '../semantics/classification';
import { SPAN_CLASSES, type SpanClass } from '../semantics/spanClass';
import { type Usage, combineUsage, ownUsage } from '../semantics/usage';
import type { IngestOrigin } from './ingestOrigin';
import { type NestingRows, mergeInferable, sweepNesting } from './nestingInference';
import { copyRestFields, lastSpanFlags, readRestScalars } from './restBytes';
import { DEFAULT_RETENTION, EVICT_TO_FRACTION, type RetentionLimits } from './retention';
import { RowList } from './rowList';
import { Run } from './run';
import { resourceIdentity } from './runIdentity';
import { type Scheduler, realScheduler } from './scheduler';
import { type NodeSource, SpanNode } from './spanNode';
import { parseHexWord, readWord } from './idWords';
import { nanosWords, wordsHi, wordsLo } from '../model/time';
import { RowNode, type RowSource } from './rowNode';
import {
  F_CLASS_MASK,
  F_CLASS_SHIFT,
  F_EVICTED,
  F_INFERABLE,
  F_KIND_SHIFT,
  F_MARK,
  F_STATUS_SHIFT,
  F_UPDATED,
  F_W3C_MASK,
  F_W3C_SHIFT,
  ROW_BYTES,
  SpanTable,
  W_END,
  W_FIRST_CHILD,
  W_FLAGS,
  W_NAME,
  W_NEXT,
  W_NEXT_IN_TRACE,
  W_PARENT,
  W_PREV,
  W_REST_LEN,
  W_RUN,
  W_SCOPE,
  W_SPAN,
  W_START,
  W_TRACE,
} from './spanTable';
import type { StoreChange, StoreClear, StoreStats } from './storeChange';

export interface TraceStoreOptions {
  readonly scheduler?: Scheduler;
  readonly retention?: RetentionLimits;
  /** Minimum time between two change events (default 100 ms: at most 10 a second). */
  readonly updateIntervalMs?: number;
  /**
   * Spans of one resource further apart than this (by their own times) start a new run, unless a debug
   * session id ties them together. Default 10 s.
   */
  readonly runGapMs?: number;
  /** A run counts as receiving while its last batch is younger than this. Default 3 s. */
  readonly receivingIdleMs?: number;
}

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
}

/** The timeline's rows: depth-first, children in start order, with each row's depth. */
export interface FlatRows {
  readonly nodes: readonly SpanNode[];
  readonly depths: Uint16Array;
}

export type TreeParent = Run | SpanNode;

/** A resource and scope pair, shared by the rows that came in the same ResourceSpans / ScopeSpans. */
interface ScopeRef {
  readonly resource: Resource;
  readonly scope: Scope;
  readonly msgtrace: boolean;
}

/** One span to add: its fields as the store keeps them, from a Span object or from request columns. */
interface IngestFields {
  hasParent: boolean;
  /** The parent's span id words (when hasParent). */
  parent0: number;
  parent1: number;
  startMs: number;
  startSub: number;
  endMs: number;
  endSub: number;
  /** The same times as the low and high 32 bits of Unix nanoseconds (what a row keeps). */
  startLo: number;
  startHi: number;
  endLo: number;
  endHi: number;
  name: string;
  kind: number;
  status: number;
  /** DECODED_FACTS bits (protocol/spanFacts.ts). */
  facts: number;
  /** Intrinsic class code (SPAN_CLASSES index + 1). */
  cls: number;
  scopeRef: number;
  resource: Resource | undefined;
  /** The encoded Span message (or its rest fields) to take the rest bytes from. */
  bytes: Uint8Array | undefined;
  bytesStart: number;
  bytesEnd: number;
}

const NO_CHILDREN = new Int32Array(0);
const EMPTY_DETAILS: SpanDetails = Object.freeze({ attributes: Object.freeze([]), events: Object.freeze([]), links: Object.freeze([]) }) as SpanDetails;

export class TraceStore implements NodeSource, RowSource {
  private readonly _onDidChange = new Emitter<StoreChange>();
  /** Coalesced: at most one event per update interval, fired after the state changed. */
  readonly onDidChange: Event<StoreChange> = this._onDidChange.event;
  private readonly _onDidClear = new Emitter<StoreClear>();
  /**
   * Fires synchronously in clear() and clearRun() (never for retention eviction), so a persisted copy of the
   * spans (the journal) forgets the same spans.
   */
  readonly onDidClear: Event<StoreClear> = this._onDidClear.event;

  private readonly scheduler: Scheduler;
  private retention: RetentionLimits;
  private updateIntervalMs: number;
  private readonly runGapMs: number;
  private readonly receivingIdleMs: number;

  private readonly table = new SpanTable();
  /** Trace id in words 0-3 and span id in 4-5, as a row holds them: the key for the table's indexes. */
  private readonly key = new Uint32Array(6);
  /** The span being added, besides its ids in `key`: filled by each ingest path, read by add(). */
  private readonly fields: IngestFields = {
    hasParent: false,
    parent0: 0,
    parent1: 0,
    startMs: 0,
    startSub: 0,
    endMs: 0,
    endSub: 0,
    startLo: 0,
    startHi: 0,
    endLo: 0,
    endHi: 0,
    name: '',
    kind: 0,
    status: 0,
    facts: 0,
    cls: 0,
    scopeRef: 0,
    resource: undefined,
    bytes: undefined,
    bytesStart: 0,
    bytesEnd: 0,
  };
  private scopeRefs: ScopeRef[] = [];
  private scopeRefIds = new Map<string, number>();
  private scopeRefOf = new WeakMap<Scope, { resource: Resource; id: number }>();
  private sortedChildren = new Map<number, Int32Array>();
  // Nodes handed to views: the same object while anyone holds it, collected when nobody does.
  private nodes = new Map<number, WeakRef<SpanNode>>();
  private readonly nodeRegistry = new FinalizationRegistry<number>(row => {
    const ref = this.nodes.get(row);
    if (ref !== undefined && ref.deref() === undefined) this.nodes.delete(row);
  });

  private runList: Run[] = [];
  private runsById = new Map<number, Run>();
  private runsByIdentity = new Map<string, Run[]>();
  private nextRunId = 1;

  private spanTotal = 0;
  private placeholderTotal = 0;
  private byteTotal = 0;
  private ingestedTotal = 0;
  private duplicateTotal = 0;
  private evictedSpanTotal = 0;
  private evictedRunTotal = 0;
  private evictedByteTotal = 0;

  // The change being collected for the next event.
  private gen = 0;
  private pAddedRuns: Run[] = [];
  private pUpdatedRuns: Run[] = [];
  private pRemovedRuns: Run[] = [];
  private pAddedRows = new RowList(1024);
  // Rows changed in place since the last event, each once (F_UPDATED marks the members).
  private pUpdatedRows = new RowList(1024);
  private pMovedFromRows = new Set<number>();
  private pMovedFromRuns = new Set<Run>();
  private pEvictedSpans = 0;
  private pEvictedRuns = 0;
  private pCleared = false;
  private dirtyRuns = new Set<Run>();
  private timer: { dispose(): void } | undefined;
  private lastFireAt = -Infinity;

  /** Bumped by every change to spans or edges; caches of derived facts are valid for one version. */
  private version = 0;
  private usageCache: { version: number; byRow: Map<number, Usage>; byRun: Map<Run, Usage> } = { version: -1, byRow: new Map(), byRun: new Map() };
  private lastIdentity: { resource: Resource | undefined; session: string | undefined; identity: string } = { resource: undefined, session: undefined, identity: '' };

  private readonly nesting: NestingRows = {
    compare: (a, b) => this.compareRows(a, b),
    contains: (a, b) => this.table.compareTime(b, W_END, a, W_END) <= 0,
    parentOf: row => this.table.link(row, W_PARENT),
  };

  constructor(options: TraceStoreOptions = {}) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.updateIntervalMs = options.updateIntervalMs ?? 100;
    this.runGapMs = options.runGapMs ?? 10_000;
    this.receivingIdleMs = options.receivingIdleMs ?? 3_000;
  }

  // ---------------------------------------------------------------- ingest

  /**
   * Adds a decoded batch (or the spans [from, to) of it). Duplicates (same traceId+spanId as a stored span) are
   * dropped and counted. Batches with columns are copied from their columns and request bytes, with no Span
   * object made.
   */
  ingest(batch: SpanBatch, origin: IngestOrigin, from = 0, to = Infinity): IngestResult {
    const cols = batch.columns;
    if (cols === undefined) return this.ingestSpans(from === 0 && to >= batch.spans.length ? batch.spans : batch.spans.slice(from, to), origin);
    const now = this.scheduler.now();
    const f = this.fields;
    const body = cols.body;
    const end = Math.min(to, cols.count);
    let accepted = 0;
    let duplicates = 0;
    let group = -1;
    let scopeRef = 0;
    for (let i = from; i < end; i++) {
      const g = cols.group[i]!;
      if (g !== group) {
        group = g;
        scopeRef = this.scopeRefId(cols.groupResource[g]!, cols.groupScope[g]!);
      }
      this.keyFromBytes(body, cols.traceAt[i]!, cols.spanAt[i]!);
      const p = cols.parentAt[i]!;
      f.hasParent = p >= 0;
      if (p >= 0) {
        f.parent0 = readWord(body, p);
        f.parent1 = readWord(body, p + 4);
      }
      const t = i * 4;
      const times = cols.times;
      f.startLo = times[t]!;
      f.startHi = times[t + 1]!;
      f.endLo = times[t + 2]!;
      f.endHi = times[t + 3]!;
      f.startMs = nanosToMs(f.startLo, f.startHi);
      f.startSub = nanosSubMs(f.startLo, f.startHi);
      f.endMs = nanosToMs(f.endLo, f.endHi);
      f.endSub = nanosSubMs(f.endLo, f.endHi);
      const info = cols.info[i]!;
      f.name = cols.names[i]!;
      f.kind = (info >>> INFO_KIND_SHIFT) & 7;
      f.status = (info >>> INFO_STATUS_SHIFT) & 3;
      f.facts = info & DECODED_FACTS;
      f.cls = cols.cls[i]!;
      f.scopeRef = scopeRef;
      f.resource = cols.groupResource[g]!;
      f.bytes = body;
      f.bytesStart = cols.spanStart[i]!;
      f.bytesEnd = cols.spanEnd[i]!;
      if (this.add(origin, now)) accepted++;
      else duplicates++;
    }
    return this.afterIngest(accepted, duplicates);
  }

  ingestSpans(spans: readonly Span[], origin: IngestOrigin): IngestResult {
    const now = this.scheduler.now();
    const f = this.fields;
    let accepted = 0;
    let duplicates = 0;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      this.setKey(span.traceId, span.spanId);
      f.hasParent = span.parentSpanId !== '';
      if (f.hasParent) {
        f.parent0 = parseHexWord(span.parentSpanId, 0);
        f.parent1 = parseHexWord(span.parentSpanId, 8);
      }
      f.startMs = span.startMs;
      f.startSub = span.startSubMsNanos;
      f.endMs = span.endMs;
      f.endSub = span.endSubMsNanos;
      nanosWords(span.startMs, span.startSubMsNanos);
      f.startLo = wordsLo;
      f.startHi = wordsHi;
      nanosWords(span.endMs, span.endSubMsNanos);
      f.endLo = wordsLo;
      f.endHi = wordsHi;
      f.name = span.name;
      f.kind = span.kind;
      f.status = span.statusCode;
      f.facts = ingestFactBits(span);
      f.cls = intrinsicClassCode(span);
      f.scopeRef = this.scopeRefId(span.resource, span.scope);
      f.resource = span.resource;
      // A span that came decoded (OTLP/JSON, a file) is encoded once, so every row keeps bytes, not objects.
      const encoded = span.protobufBytes() ?? encodeSpanRest(span);
      f.bytes = encoded;
      f.bytesStart = 0;
      f.bytesEnd = encoded.length;
      if (this.add(origin, now)) accepted++;
      else duplicates++;
    }
    return this.afterIngest(accepted, duplicates);
  }

  private afterIngest(accepted: number, duplicates: number): IngestResult {
    this.ingestedTotal += accepted;
    this.duplicateTotal += duplicates;
    if (accepted > 0) {
      this.version++;
      this.enforceRetention();
      this.scheduleFlush();
    }
    return { accepted, duplicates };
  }

  private setKey(traceId: string, spanId: string): void {
    const k = this.key;
    for (let i = 0; i < 4; i++) k[i] = parseHexWord(traceId, i << 3);
    k[4] = parseHexWord(spanId, 0);
    k[5] = parseHexWord(spanId, 8);
  }

  private keyFromBytes(body: Uint8Array, traceAt: number, spanAt: number): void {
    const k = this.key;
    for (let i = 0; i < 4; i++) k[i] = readWord(body, traceAt + i * 4);
    k[4] = readWord(body, spanAt);
    k[5] = readWord(body, spanAt + 4);
  }

  /** Adds the span described by `this.key` and `this.fields`; false for a duplicate. */
  private add(origin: IngestOrigin, now: number): boolean {
    const t = this.table;
    const f = this.fields;
    let row = t.ids.find(this.key);
    let run: Run;
    let wasPlaceholder = false;
    if (row >= 0) {
      if (!(t.get(row, W_FLAGS) & SpanFacts.placeholder)) return false;
      // A placeholder: it sits among its run's roots, with children, and now gets its span.
      wasPlaceholder = true;
      run = this.runsById.get(t.get(row, W_RUN))!;
      run.placeholderCount--;
      this.placeholderTotal--;
      this.markUpdated(row);
    } else {
      const head = t.traces.find(this.key);
      run = head >= 0 ? this.runsById.get(t.get(head, W_RUN))! : this.assignRun(f.resource!, f.startMs, f.endMs, origin, now);
      row = this.newRow(run, head);
      this.pAddedRows.push(row);
    }

    // The decoder's facts go into the row as they are (one vocabulary, protocol/spanFacts.ts).
    let flags =
      (t.get(row, W_FLAGS) & ~(SpanFacts.placeholder | F_CLASS_MASK)) |
      f.facts |
      (f.cls << F_CLASS_SHIFT) |
      (f.kind << F_KIND_SHIFT) |
      (f.status << F_STATUS_SHIFT);
    t.set(row, W_NAME, t.internName(f.name));
    t.setTime(row, W_START, f.startLo, f.startHi);
    t.setTime(row, W_END, f.endLo, f.endHi);
    t.set(row, W_SCOPE, f.scopeRef);
    const len = copyRestFields(f.bytes!, f.bytesStart, f.bytesEnd, t, row);
    if (lastSpanFlags >= 0) flags |= lastSpanFlags << F_W3C_SHIFT;
    const bytes = ROW_BYTES + len;

    if (f.hasParent) {
      this.key[4] = f.parent0;
      this.key[5] = f.parent1;
      let parent = t.ids.find(this.key);
      if (parent < 0) {
        parent = this.newRow(run, row);
        t.set(parent, W_FLAGS, SpanFacts.placeholder);
        // A placeholder sorts where its earliest known child starts.
        t.copyTime(parent, W_START, row, W_START);
        t.copyTime(parent, W_END, row, W_START);
        run.placeholderCount++;
        this.placeholderTotal++;
        this.linkRoot(run, parent);
        this.pAddedRows.push(parent);
      } else if (t.get(parent, W_FLAGS) & SpanFacts.placeholder && t.compareTime(row, W_START, parent, W_START) < 0) {
        t.copyTime(parent, W_START, row, W_START);
        t.copyTime(parent, W_END, row, W_START);
        if (t.link(parent, W_PARENT) < 0) run.sortedRoots = undefined;
      }
      if (wasPlaceholder) {
        this.unlink(run, row);
        this.pMovedFromRuns.add(run);
      }
      this.linkChild(parent, row);
    } else {
      // A placeholder keeps its place among the roots, but now sorts by its own start.
      if (wasPlaceholder) run.sortedRoots = undefined;
      else this.linkRoot(run, row);
      if (this.scopeRefs[f.scopeRef]!.msgtrace) {
        flags |= F_INFERABLE;
        run.pendingInferable.push(row);
        this.dirtyRuns.add(run);
      }
    }
    t.set(row, W_FLAGS, flags);

    run.spanCount++;
    this.spanTotal++;
    if (f.status === StatusCode.Error) run.errorCount++;
    run.bytes += bytes;
    this.byteTotal += bytes;
    if (f.startMs < run.startMs || (f.startMs === run.startMs && f.startSub < run.startSubMsNanos)) {
      run.startMs = f.startMs;
      run.startSubMsNanos = f.startSub;
    }
    if (f.endMs > run.endMs || (f.endMs === run.endMs && f.endSub > run.endSubMsNanos)) {
      run.endMs = f.endMs;
      run.endSubMsNanos = f.endSub;
    }
    run.lastReceivedAt = now;
    if (run.changeMark !== this.gen) {
      run.changeMark = this.gen;
      this.pUpdatedRuns.push(run);
    }
    return true;
  }

  /** A row for the ids in `key`, in `run`, indexed; `traceRow` is a row of the same trace, or -1 for a new trace. */
  private newRow(run: Run, traceRow: number): number {
    const t = this.table;
    const row = t.allocate();
    const page = t.page(row)!;
    const o = SpanTable.offset(row);
    const k = this.key;
    page[o + W_TRACE] = k[0]!;
    page[o + W_TRACE + 1] = k[1]!;
    page[o + W_TRACE + 2] = k[2]!;
    page[o + W_TRACE + 3] = k[3]!;
    page[o + W_SPAN] = k[4]!;
    page[o + W_SPAN + 1] = k[5]!;
    page[o + W_RUN] = run.id;
    t.ids.insert(row);
    if (traceRow < 0) t.traces.insert(row);
    else {
      // Into the trace's chain right after a row already in it, so the head (the trace index's entry) stays.
      t.set(row, W_NEXT_IN_TRACE, t.get(traceRow, W_NEXT_IN_TRACE));
      t.set(traceRow, W_NEXT_IN_TRACE, row);
    }
    return row;
  }

  private scopeRefId(resource: Resource, scope: Scope): number {
    const known = this.scopeRefOf.get(scope);
    if (known !== undefined && known.resource === resource) return known.id;
    const attrs = (kvs: Scope['attributes']) => kvs.map(kv => `${kv.key}=${kv.value === null ? '' : formatAnyValue(kv.value)}`).join('\u0001');
    const key = [resourceIdentity(resource), resource.schemaUrl, resource.droppedAttributesCount, scope.name, scope.version, scope.schemaUrl, scope.droppedAttributesCount, attrs(scope.attributes)].join('\u0002');
    let id = this.scopeRefIds.get(key);
    if (id === undefined) {
      id = this.scopeRefs.length;
      this.scopeRefs.push({ resource, scope, msgtrace: scope.name.startsWith('msgtrace') });
      this.scopeRefIds.set(key, id);
    }
    this.scopeRefOf.set(scope, { resource, id });
    return id;
  }

  // ---------------------------------------------------------------- tree links

  private markUpdated(row: number): void {
    const f = this.table.get(row, W_FLAGS);
    if (f & F_UPDATED) return;
    this.table.set(row, W_FLAGS, f | F_UPDATED);
    this.pUpdatedRows.push(row);
  }

  private linkChild(parent: number, row: number): void {
    const t = this.table;
    const first = t.link(parent, W_FIRST_CHILD);
    t.set(row, W_NEXT, first);
    t.set(row, W_PREV, -1);
    if (first >= 0) t.set(first, W_PREV, row);
    t.set(parent, W_FIRST_CHILD, row);
    t.set(row, W_PARENT, parent);
    this.sortedChildren.delete(parent);
  }

  private linkRoot(run: Run, row: number): void {
    const t = this.table;
    const first = run.firstRoot;
    t.set(row, W_NEXT, first);
    t.set(row, W_PREV, -1);
    if (first >= 0) t.set(first, W_PREV, row);
    run.firstRoot = row;
    t.set(row, W_PARENT, -1);
    run.sortedRoots = undefined;
  }

  /** Takes the row out of its parent's (or its run's top-level) list. */
  private unlink(run: Run, row: number): void {
    const t = this.table;
    const prev = t.link(row, W_PREV);
    const next = t.link(row, W_NEXT);
    const parent = t.link(row, W_PARENT);
    if (prev >= 0) t.set(prev, W_NEXT, next);
    else if (parent >= 0) t.set(parent, W_FIRST_CHILD, next);
    else run.firstRoot = next;
    if (next >= 0) t.set(next, W_PREV, prev);
    if (parent >= 0) this.sortedChildren.delete(parent);
    else run.sortedRoots = undefined;
    t.set(row, W_PARENT, -1);
    t.set(row, W_NEXT, -1);
    t.set(row, W_PREV, -1);
  }

  /** Start order: earlier start first, then the longer span (the container), then span id; placeholders first on ties. */
  private compareRows(a: number, b: number): number {
    const t = this.table;
    const c = t.compareTime(a, W_START, b, W_START);
    if (c !== 0) return c;
    const pa = t.get(a, W_FLAGS) & SpanFacts.placeholder;
    const pb = t.get(b, W_FLAGS) & SpanFacts.placeholder;
    if (pa !== pb) return pa ? -1 : 1;
    return t.compareTime(b, W_END, a, W_END) || t.get(a, W_SPAN) - t.get(b, W_SPAN) || t.get(a, W_SPAN + 1) - t.get(b, W_SPAN + 1);
  }

  /** A run's top-level rows or a row's children, in start order (cached until that list changes). */
  private sortedRows(parent: TreeParent): Int32Array {
    const t = this.table;
    if (parent instanceof Run) {
      this.ensureInferred(parent);
      if (parent.sortedRoots === undefined) parent.sortedRoots = this.collectSorted(parent.firstRoot);
      return parent.sortedRoots;
    }
    if (parent.row < 0 || t.flags(parent.row) & F_EVICTED) return NO_CHILDREN;
    const run = this.runsById.get(t.get(parent.row, W_RUN));
    if (run) this.ensureInferred(run);
    return this.sortedChildRows(parent.row);
  }

  private sortedChildRows(row: number): Int32Array {
    let list = this.sortedChildren.get(row);
    if (list === undefined) {
      const first = this.table.link(row, W_FIRST_CHILD);
      if (first < 0) return NO_CHILDREN;
      list = this.collectSorted(first);
      this.sortedChildren.set(row, list);
    }
    return list;
  }

  private collectSorted(first: number): Int32Array {
    const t = this.table;
    let n = 0;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) n++;
    const out = new Int32Array(n);
    n = 0;
    let sorted = true;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) {
      out[n] = r;
      if (n > 0 && sorted && this.compareRows(out[n - 1]!, r) > 0) sorted = false;
      n++;
    }
    // Lists are linked newest first: reversed, spans that arrived in start order are sorted already.
    if (!sorted) {
      out.reverse();
      let again = true;
      for (let i = 1; i < n && again; i++) if (this.compareRows(out[i - 1]!, out[i]!) > 0) again = false;
      if (!again) out.sort((a, b) => this.compareRows(a, b));
    }
    return out;
  }

  /** A new trace joins the latest run of the same resource (and debug session) that it fits in time. */
  private assignRun(resource: Resource, startMs: number, endMs: number, origin: IngestOrigin, now: number): Run {
    // Flat msgflux traffic makes every span a new trace: the identity of a batch's resource and session is
    // built once, not per span (a long string built and hashed per span cost about 1 µs).
    let identity: string;
    if (resource === this.lastIdentity.resource && origin.debugSessionId === this.lastIdentity.session) identity = this.lastIdentity.identity;
    else {
      identity = `${resourceIdentity(resource)}\u0002${origin.debugSessionId ?? ''}`;
      this.lastIdentity = { resource, session: origin.debugSessionId, identity };
    }
    let list = this.runsByIdentity.get(identity);
    if (list !== undefined) {
      for (let i = list.length - 1; i >= 0 && i >= list.length - 8; i--) {
        const r = list[i]!;
        if (origin.debugSessionId !== undefined || r.spanCount === 0) return r;
        if (startMs <= r.endMs + this.runGapMs && endMs >= r.startMs - this.runGapMs) return r;
      }
    } else {
      list = [];
      this.runsByIdentity.set(identity, list);
    }
    const run = new Run(this.nextRunId++, identity, resource, origin, now);
    list.push(run);
    this.runList.push(run);
    this.runsById.set(run.id, run);
    this.pAddedRuns.push(run);
    return run;
  }

  // ---------------------------------------------------------------- inference

  /** Brings the run's inferred nesting up to date (cheap when nothing arrived since the last call). */
  private ensureInferred(run: Run): void {
    if (run.pendingInferable.length === 0 && !run.fullSweep) return;
    const from = mergeInferable(run.inferable, run.pendingInferable, this.nesting);
    const start = run.fullSweep ? 0 : from;
    run.fullSweep = false;
    this.dirtyRuns.delete(run);
    sweepNesting(run.inferable, start, this.nesting, (row, parent) => this.setInferredParent(run, row, parent));
  }

  private setInferredParent(run: Run, row: number, parent: number): void {
    this.version++;
    const t = this.table;
    const old = t.link(row, W_PARENT);
    if (old >= 0) this.pMovedFromRows.add(old);
    else this.pMovedFromRuns.add(run);
    this.unlink(run, row);
    const flags = t.get(row, W_FLAGS);
    if (parent >= 0) {
      t.set(row, W_FLAGS, flags | SpanFacts.inferredEdge);
      this.linkChild(parent, row);
    } else {
      t.set(row, W_FLAGS, flags & ~SpanFacts.inferredEdge);
      this.linkRoot(run, row);
    }
    this.markUpdated(row);
    if (run.changeMark !== this.gen) {
      run.changeMark = this.gen;
      this.pUpdatedRuns.push(run);
    }
  }

  // ---------------------------------------------------------------- change events

  private scheduleFlush(): void {
    if (this.timer !== undefined) return;
    const delay = Math.max(0, this.lastFireAt + this.updateIntervalMs - this.scheduler.now());
    this.timer = this.scheduler.schedule(delay, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  /** Brings inferred nesting up to date and fires the pending change now (if any). */
  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    for (const run of [...this.dirtyRuns]) this.ensureInferred(run);
    this.dirtyRuns.clear();
    const t = this.table;
    const alive = (row: number) => (t.flags(row) & F_EVICTED) === 0;
    const hasNews =
      this.pAddedRows.length > 0 || this.pUpdatedRows.length > 0 || this.pRemovedRuns.length > 0 || this.pUpdatedRuns.length > 0 || this.pCleared || this.pEvictedSpans > 0;
    if (!hasNews) return;
    const liveRuns = new Set(this.runList);
    const added = new RowList(this.pAddedRows.length);
    for (let i = 0; i < this.pAddedRows.length; i++) {
      const r = this.pAddedRows.get(i);
      if (alive(r)) added.push(r);
    }
    const updated: number[] = [];
    for (let i = 0; i < this.pUpdatedRows.length; i++) {
      const r = this.pUpdatedRows.get(i);
      if (!alive(r)) continue;
      t.set(r, W_FLAGS, t.get(r, W_FLAGS) & ~F_UPDATED);
      updated.push(r);
    }
    // Parents collected once each: F_MARK flags the rows already in changedRows (cleared below).
    const changedRows: number[] = [];
    const parentRuns = new Set<Run>();
    const noteRow = (p: number) => {
      const f = t.flags(p);
      if (f & (F_MARK | F_EVICTED)) return;
      t.set(p, W_FLAGS, f | F_MARK);
      changedRows.push(p);
    };
    const noteParent = (row: number) => {
      const p = t.link(row, W_PARENT);
      if (p >= 0) noteRow(p);
      else {
        const run = this.runsById.get(t.get(row, W_RUN));
        if (run) parentRuns.add(run);
      }
    };
    for (let i = 0; i < added.length; i++) noteParent(added.get(i));
    for (const r of updated) noteParent(r);
    for (const r of this.pMovedFromRows) noteRow(r);
    for (const r of changedRows) t.set(r, W_FLAGS, t.get(r, W_FLAGS) & ~F_MARK);
    for (const r of this.pMovedFromRuns) parentRuns.add(r);
    const changedRuns: TreeParent[] = [];
    for (const r of parentRuns) if (liveRuns.has(r)) changedRuns.push(r);
    let changedParents: readonly TreeParent[] | undefined;
    const nodeAt = (r: number) => this.nodeAt(r);
    const addedRows = added.toArray();
    let addedNodes: readonly SpanNode[] | undefined;
    let updatedNodes: readonly SpanNode[] | undefined;
    const change: StoreChange = {
      addedRuns: this.pAddedRuns.filter(r => liveRuns.has(r)),
      updatedRuns: this.pUpdatedRuns.filter(r => liveRuns.has(r)),
      removedRuns: this.pRemovedRuns,
      // Made on first read: at 100k spans a second, no view wants a node per added span.
      get addedSpans() {
        return (addedNodes ??= Array.from(addedRows, r => nodeAt(r)));
      },
      get updatedSpans() {
        return (updatedNodes ??= updated.map(r => nodeAt(r)));
      },
      addedCount: addedRows.length,
      get changedParents() {
        return (changedParents ??= [...changedRuns, ...changedRows.map(r => nodeAt(r))]);
      },
      changedParentCount: changedRuns.length + changedRows.length,
      evictedSpans: this.pEvictedSpans,
      evictedRuns: this.pEvictedRuns,
      cleared: this.pCleared,
    };
    this.gen++;
    this.pAddedRuns = [];
    this.pUpdatedRuns = [];
    this.pRemovedRuns = [];
    this.pAddedRows = new RowList(1024);
    this.pUpdatedRows = new RowList(1024);
    this.pMovedFromRows = new Set();
    this.pMovedFromRuns = new Set();
    this.pEvictedSpans = 0;
    this.pEvictedRuns = 0;
    this.pCleared = false;
    this.lastFireAt = this.scheduler.now();
    this._onDidChange.fire(change);
  }

  // ---------------------------------------------------------------- retention

  get limits(): RetentionLimits {
    return this.retention;
  }

  /** Changes the limits (a setting changed); evicts at once when the store is now over them. */
  setLimits(limits: RetentionLimits): void {
    this.retention = limits;
    this.enforceRetention();
    this.scheduleFlush();
  }

  /** Changes the minimum interval between change events (the "live update rate" setting). */
  setUpdateInterval(ms: number): void {
    this.updateIntervalMs = Math.max(0, ms);
  }

  private enforceRetention(): void {
    const { maxSpans, maxBytes } = this.retention;
    if (this.spanTotal <= maxSpans && this.byteTotal <= maxBytes) return;
    const targetSpans = Math.floor(maxSpans * EVICT_TO_FRACTION);
    const targetBytes = Math.floor(maxBytes * EVICT_TO_FRACTION);
    const over = () => this.spanTotal > targetSpans || this.byteTotal > targetBytes;
    // Whole runs, oldest first; the newest run is kept while another can go.
    while (over() && this.runList.length > 1) this.dropRun(this.runList[0]!, true);
    if (over() && this.runList.length === 1) this.evictOldestTraces(this.runList[0]!, targetSpans, targetBytes);
  }

  /** What a stored row counts against the byte limit (exactly what ingest added). */
  private rowBytes(row: number): number {
    const t = this.table;
    return ROW_BYTES + t.get(row, W_REST_LEN);
  }

  /** Every row of the trace whose chain `head` starts (the trace index's entry). */
  private traceRows(head: number, out: RowList): void {
    for (let r = head; r >= 0; r = this.table.link(r, W_NEXT_IN_TRACE)) out.push(r);
  }

  /** The trace index entry of the row's trace. */
  private traceHead(row: number): number {
    const page = this.table.page(row)!;
    const o = SpanTable.offset(row);
    this.key.set(page.subarray(o, o + 6));
    return this.table.traces.find(this.key);
  }

  /**
   * One run alone is over the limits: drop its oldest top-level subtrees, and with them every span of the
   * traces they touch (a trace is never kept in part by choice).
   */
  private evictOldestTraces(run: Run, targetSpans: number, targetBytes: number): void {
    this.version++;
    const t = this.table;
    this.ensureInferred(run);
    const roots = this.sortedRows(run);
    const heads = new Set<number>();
    let spans = this.spanTotal;
    let bytes = this.byteTotal;
    for (const root of roots) {
      if (spans <= targetSpans && bytes <= targetBytes) break;
      this.walkRows(root, r => {
        heads.add(this.traceHead(r));
        if (!(t.get(r, W_FLAGS) & SpanFacts.placeholder)) {
          spans--;
          bytes -= this.rowBytes(r);
        }
      });
    }
    if (heads.size === 0) return;
    const victims = new RowList();
    for (const h of heads) this.traceRows(h, victims);
    let evictedSpans = 0;
    let evictedBytes = 0;
    for (let i = 0; i < victims.length; i++) {
      const r = victims.get(i);
      t.set(r, W_FLAGS, t.get(r, W_FLAGS) | F_MARK);
    }
    for (let i = 0; i < victims.length; i++) {
      const r = victims.get(i);
      const flags = t.get(r, W_FLAGS);
      if (!(flags & SpanFacts.placeholder)) {
        evictedSpans++;
        evictedBytes += this.rowBytes(r);
        if (flags & SpanFacts.error) run.errorCount--;
      } else {
        run.placeholderCount--;
        this.placeholderTotal--;
      }
      // Children that survive (other traces nested under it by inference) become top-level until the full
      // re-sweep below places them again.
      for (let c = t.link(r, W_FIRST_CHILD); c >= 0; ) {
        const next = t.link(c, W_NEXT);
        if (!(t.get(c, W_FLAGS) & F_MARK)) {
          this.unlink(run, c);
          t.set(c, W_FLAGS, t.get(c, W_FLAGS) & ~SpanFacts.inferredEdge);
          this.linkRoot(run, c);
        }
        c = next;
      }
      const p = t.link(r, W_PARENT);
      if (p < 0 || !(t.get(p, W_FLAGS) & F_MARK)) this.unlink(run, r);
    }
    this.forgetRows(victims);
    run.sortedRoots = undefined;
    run.inferable.filter(r => !(t.flags(r) & F_EVICTED));
    run.pendingInferable.filter(r => !(t.flags(r) & F_EVICTED));
    run.fullSweep = true;
    this.dirtyRuns.add(run);
    run.spanCount -= evictedSpans;
    run.bytes -= evictedBytes;
    this.spanTotal -= evictedSpans;
    this.byteTotal -= evictedBytes;
    this.evictedSpanTotal += evictedSpans;
    this.evictedByteTotal += evictedBytes;
    this.pEvictedSpans += evictedSpans;
    this.pMovedFromRuns.add(run);
    if (run.changeMark !== this.gen) {
      run.changeMark = this.gen;
      this.pUpdatedRuns.push(run);
    }
  }

  /** Removes rows from the indexes, then releases them (indexes read the rows they probe past). */
  private forgetRows(rows: RowList): void {
    const t = this.table;
    for (let i = 0; i < rows.length; i++) {
      const r = rows.get(i);
      t.ids.remove(r);
      if (this.traceHead(r) === r) t.traces.remove(r);
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows.get(i);
      this.sortedChildren.delete(r);
      t.release(r);
    }
  }

  /** Removes a run with all its spans; counted as eviction when `evicted`, else it was cleared. */
  private dropRun(run: Run, evicted: boolean): void {
    this.version++;
    const i = this.runList.indexOf(run);
    if (i < 0) return;
    this.runList.splice(i, 1);
    this.runsById.delete(run.id);
    const same = this.runsByIdentity.get(run.identity);
    if (same) {
      same.splice(same.indexOf(run), 1);
      if (same.length === 0) this.runsByIdentity.delete(run.identity);
    }
    const rows = new RowList(run.spanCount + run.placeholderCount);
    for (let r = run.firstRoot; r >= 0; r = this.table.link(r, W_NEXT)) this.walkRows(r, x => rows.push(x));
    this.forgetRows(rows);
    run.firstRoot = -1;
    run.sortedRoots = undefined;
    this.dirtyRuns.delete(run);
    this.spanTotal -= run.spanCount;
    this.placeholderTotal -= run.placeholderCount;
    this.byteTotal -= run.bytes;
    if (evicted) {
      this.evictedSpanTotal += run.spanCount;
      this.evictedByteTotal += run.bytes;
      this.evictedRunTotal++;
      this.pEvictedSpans += run.spanCount;
      this.pEvictedRuns++;
    }
    this.pRemovedRuns.push(run);
  }

  /** Every row of the subtree at `root`, depth-first (pre-order, children in arrival order). */
  private walkRows(root: number, visit: (row: number) => void): void {
    const t = this.table;
    const stack = [root];
    while (stack.length > 0) {
      const r = stack.pop()!;
      visit(r);
      for (let c = t.link(r, W_FIRST_CHILD); c >= 0; c = t.link(c, W_NEXT)) stack.push(c);
    }
  }

  // ---------------------------------------------------------------- clear

  /** Drops everything (not counted as eviction). */
  clear(): void {
    this.version++;
    for (const run of this.runList) this.pRemovedRuns.push(run);
    this.table.clear();
    this.sortedChildren = new Map();
    this.runList = [];
    this.runsById = new Map();
    this.runsByIdentity = new Map();
    this.dirtyRuns.clear();
    this.spanTotal = this.placeholderTotal = this.byteTotal = 0;
    this.pAddedRows = new RowList(1024);
    this.pUpdatedRows = new RowList(1024);
    this.pMovedFromRows = new Set();
    this.pMovedFromRuns = new Set();
    this.pCleared = true;
    this.scheduleFlush();
    this._onDidClear.fire({ all: true, traceIds: [] });
  }

  /** Drops one run (not counted as eviction). Returns false when it is not stored. */
  clearRun(run: Run | number): boolean {
    const r = typeof run === 'number' ? this.getRun(run) : run;
    if (!r || !this.runList.includes(r)) return false;
    const traceIds = new Set<string>();
    for (let root = r.firstRoot; root >= 0; root = this.table.link(root, W_NEXT)) this.walkRows(root, x => traceIds.add(this.table.hexId(x, W_TRACE, 4)));
    this.dropRun(r, false);
    this.scheduleFlush();
    this._onDidClear.fire({ all: false, run: r, traceIds: [...traceIds] });
    return true;
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this._onDidChange.dispose();
    this._onDidClear.dispose();
  }

  // ---------------------------------------------------------------- nodes (NodeSource)

  /** The node of a row: the same object while a view holds it. */
  private nodeAt(row: number): SpanNode {
    const node = this.nodes.get(row)?.deref();
    if (node !== undefined) return node;
    const t = this.table;
    const made = new SpanNode(this, row, t.hexId(row, W_TRACE, 4), t.hexId(row, W_SPAN, 2));
    this.nodes.set(row, new WeakRef(made));
    this.nodeRegistry.register(made, row);
    return made;
  }

  /** @internal */
  nodeSpan(row: number): Span | undefined {
    const t = this.table;
    const flags = t.flags(row);
    if (flags & (SpanFacts.placeholder | F_EVICTED)) return undefined;
    const slab = t.get(row, W_REST_LEN) > 0 ? t.restSlab(row) : undefined;
    const len = t.get(row, W_REST_LEN);
    const off = len > 0 ? t.restOffset(row) : 0;
    const rest = readRestScalars(slab, off, off + len, (flags >>> F_W3C_SHIFT) & F_W3C_MASK);
    const details = len > 0 ? protobufDetailsCodec.decodeDetails(slab!, off, off + len) : EMPTY_DETAILS;
    const parent = t.link(row, W_PARENT);
    const ref = this.scopeRefs[t.get(row, W_SCOPE)]!;
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

  /** @internal */
  nodeParent(row: number): SpanNode | undefined {
    const t = this.table;
    if (t.flags(row) & F_EVICTED) return undefined;
    const p = t.link(row, W_PARENT);
    return p >= 0 ? this.nodeAt(p) : undefined;
  }

  /** @internal */
  nodeChildren(row: number): readonly SpanNode[] | undefined {
    const t = this.table;
    if (t.flags(row) & F_EVICTED || t.link(row, W_FIRST_CHILD) < 0) return undefined;
    const run = this.runsById.get(t.get(row, W_RUN));
    if (run) this.ensureInferred(run);
    const rows = this.sortedChildRows(row);
    return rows.length === 0 ? undefined : Array.from(rows, r => this.nodeAt(r));
  }

  /** @internal */
  nodeFlags(row: number): number {
    return this.table.flags(row);
  }

  // ---------------------------------------------------------------- queries for views

  get stats(): StoreStats {
    return {
      spans: this.spanTotal,
      placeholders: this.placeholderTotal,
      bytes: this.byteTotal,
      runs: this.runList.length,
      ingested: this.ingestedTotal,
      duplicates: this.duplicateTotal,
      evictedSpans: this.evictedSpanTotal,
      evictedRuns: this.evictedRunTotal,
      evictedBytes: this.evictedByteTotal,
    };
  }

  /** Runs, newest first. */
  runs(): readonly Run[] {
    return [...this.runList].reverse();
  }

  getRun(id: number): Run | undefined {
    return this.runsById.get(id);
  }

  /** The run holding a trace. */
  runOfTrace(traceId: string): Run | undefined {
    if (!/^[0-9a-f]{32}$/i.test(traceId)) return undefined;
    this.setKey(traceId, '0000000000000000');
    const head = this.table.traces.find(this.key);
    return head >= 0 ? this.runsById.get(this.table.get(head, W_RUN)) : undefined;
  }

  /** The run a node belongs to; undefined once evicted. */
  runOf(node: SpanNode): Run | undefined {
    if (node.row < 0 || this.table.flags(node.row) & F_EVICTED) return undefined;
    return this.runsById.get(this.table.get(node.row, W_RUN));
  }

  runsOfService(serviceName: string): readonly Run[] {
    return this.runs().filter(r => r.serviceName === serviceName);
  }

  runsOfDebugSession(debugSessionId: string): readonly Run[] {
    return this.runs().filter(r => r.debugSessionId === debugSessionId);
  }

  /** Runs whose time span overlaps [fromMs, toMs]. */
  runsInTime(fromMs: number, toMs: number): readonly Run[] {
    return this.runs().filter(r => r.spanCount > 0 && r.startMs <= toMs && r.endMs >= fromMs);
  }

  /** Whether a batch added to the run recently (the view shows it as live). */
  isReceiving(run: Run): boolean {
    return this.scheduler.now() - run.lastReceivedAt < this.receivingIdleMs;
  }

  /** A stored span or placeholder by ids. */
  getNode(traceId: string, spanId: string): SpanNode | undefined {
    if (!/^[0-9a-f]{32}$/i.test(traceId) || !/^[0-9a-f]{16}$/i.test(spanId)) return undefined;
    this.setKey(traceId, spanId);
    const row = this.table.ids.find(this.key);
    return row >= 0 ? this.nodeAt(row) : undefined;
  }

  /** Number of children of a node, or top-level nodes of a run. */
  childCount(parent: TreeParent): number {
    return this.sortedRows(parent).length;
  }

  /** Children in start order, `limit` of them from `offset` (tree paging). */
  children(parent: TreeParent, offset = 0, limit = Infinity): readonly SpanNode[] {
    const rows = this.sortedRows(parent);
    const end = Math.min(rows.length, offset + limit);
    const out: SpanNode[] = [];
    for (let i = Math.max(0, offset); i < end; i++) out.push(this.nodeAt(rows[i]!));
    return out;
  }

  /** The node's ancestors, nearest first (for reveal). */
  ancestors(node: SpanNode): SpanNode[] {
    const out: SpanNode[] = [];
    for (let p = node.parent; p !== undefined; p = p.parent) out.push(p);
    return out;
  }

  /**
   * Rows of a run (or of one subtree) depth-first, children in start order, with depths; rows in `collapsed`
   * appear but their descendants do not.
   */
  private flattenRows(target: TreeParent, collapsedRows?: ReadonlySet<number>): { rows: RowList; depths: RowList } {
    const rows = new RowList(target instanceof Run ? target.spanCount + target.placeholderCount : 16);
    const depths = new RowList(rows.items.length);
    const stack: number[] = [];
    const stackDepth: number[] = [];
    const pushChildren = (kids: Int32Array, depth: number) => {
      for (let i = kids.length - 1; i >= 0; i--) {
        stack.push(kids[i]!);
        stackDepth.push(depth);
      }
    };
    if (target instanceof SpanNode) {
      if (target.row < 0 || this.table.flags(target.row) & F_EVICTED) return { rows, depths };
      this.sortedRows(target);
      stack.push(target.row);
      stackDepth.push(0);
    } else pushChildren(this.sortedRows(target), 0);
    while (stack.length > 0) {
      const r = stack.pop()!;
      const d = stackDepth.pop()!;
      rows.push(r);
      depths.push(d);
      if (!(collapsedRows && collapsedRows.has(r))) pushChildren(this.sortedChildRows(r), d + 1);
    }
    return { rows, depths };
  }

  /**
   * The timeline's rows for a run (or one of its subtrees): depth-first, children in start order. Nodes in
   * `collapsed` appear but their descendants do not.
   */
  flatten(target: TreeParent, collapsed?: ReadonlySet<SpanNode>): FlatRows {
    const { rows, depths } = this.flattenRows(target, collapsed && collapsed.size > 0 ? new Set([...collapsed].map(n => n.row)) : undefined);
    const nodes = new Array<SpanNode>(rows.length);
    const d = new Uint16Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      nodes[i] = this.nodeAt(rows.get(i));
      d[i] = Math.min(depths.get(i), 0xffff);
    }
    return { nodes, depths: d };
  }

  // ---------------------------------------------------------------- rows: for views that go over many spans

  /**
   * flatten() as row numbers, without a node per row: what the timeline builds its columns from. Rows are
   * stable handles (never reused); read them with the row* methods, or make a node with nodeOfRow().
   */
  flattenToRows(target: TreeParent, collapsedRows?: ReadonlySet<number>): { rows: Int32Array; depths: Uint16Array } {
    const { rows, depths } = this.flattenRows(target, collapsedRows);
    const d = new Uint16Array(depths.length);
    for (let i = 0; i < depths.length; i++) d[i] = Math.min(depths.get(i), 0xffff);
    return { rows: rows.toArray(), depths: d };
  }

  /** The node of a row (the same object while a view holds it); undefined once evicted. */
  nodeOfRow(row: number): SpanNode | undefined {
    return row >= 0 && row < this.table.size && !(this.table.flags(row) & F_EVICTED) ? this.nodeAt(row) : undefined;
  }

  /** Facts of a row as SpanFacts bits (cheap: no span is decoded). */
  rowFacts(row: number): number {
    const t = this.table;
    const f = t.flags(row);
    const children = !(f & F_EVICTED) && t.link(row, W_FIRST_CHILD) >= 0 ? SpanFacts.hasChildren : 0;
    return (f & ALL_FACTS) | children;
  }

  rowName(row: number): string {
    return this.table.flags(row) & SpanFacts.placeholder ? '' : this.table.name(row);
  }

  rowSpanId(row: number): string {
    return this.table.hexId(row, W_SPAN, 2);
  }

  /** Milliseconds from (originMs, originNs) to the row's start or end, as a fractional number (no allocation). */
  rowRelativeMs(row: number, end: boolean, originMs: number, originNs: number): number {
    const w = end ? W_END : W_START;
    return this.table.ms(row, w) - originMs + (this.table.subNanos(row, w) - originNs) / 1e6;
  }

  /** The row's span, made for the caller (not kept); undefined for a placeholder. */
  rowSpan(row: number): Span | undefined {
    return this.spanAt(row);
  }

  /** The row's class in its tree; decodes nothing (the same answer as classOf(node)). */
  classOfRow(row: number): SpanClass {
    const t = this.table;
    const f = t.flags(row);
    if (f & (SpanFacts.placeholder | F_EVICTED)) return 'generic';
    const intrinsic = SPAN_CLASSES[((f & F_CLASS_MASK) >>> F_CLASS_SHIFT) - 1] ?? 'generic';
    // Only msgflux module spans are refined by their neighbours (semantics/classification.ts).
    if (intrinsic !== 'flow' && intrinsic !== 'module') return intrinsic;
    const run = this.runsById.get(t.get(row, W_RUN));
    if (run) this.ensureInferred(run);
    return refineClass(new RowNode(this, row), intrinsic, n => (n as RowNode).intrinsicClass());
  }

  /** @internal for RowNode: a span-like probe with the fields the context rules read. */
  rowProbe(row: number): Span | undefined {
    const t = this.table;
    const f = t.flags(row);
    if (f & (SpanFacts.placeholder | F_EVICTED)) return undefined;
    const { fields: probe, span } = newClassProbe();
    const ref = this.scopeRefs[t.get(row, W_SCOPE)]!;
    probe.name = t.name(row);
    probe.kind = ((f >>> F_KIND_SHIFT) & 7) as SpanKind;
    probe.scope = ref.scope;
    probe.resource = ref.resource;
    probe.indexed = f & SpanFacts.spanType ? (f & SpanFacts.spanTypeFlow ? SPAN_TYPE_FLOW : SPAN_TYPE_OTHER) : NO_ATTRIBUTES;
    return span;
  }

  /** @internal for RowNode */
  rowParent(row: number): number {
    return this.table.link(row, W_PARENT);
  }

  /** A row's children in start order. */
  childRows(row: number): Int32Array {
    const t = this.table;
    if (t.flags(row) & F_EVICTED) return NO_CHILDREN;
    const run = this.runsById.get(t.get(row, W_RUN));
    if (run) this.ensureInferred(run);
    return this.sortedChildRows(row);
  }

  /** Every node of one trace, depth-first within its run's tree. */
  traceNodes(traceId: string): SpanNode[] {
    const run = this.runOfTrace(traceId);
    if (!run) return [];
    this.setKey(traceId, '0000000000000000');
    const head = this.table.traces.find(this.key);
    const { rows } = this.flattenRows(run);
    const out: SpanNode[] = [];
    for (let i = 0; i < rows.length; i++) if (this.table.sameTrace(rows.get(i), head)) out.push(this.nodeAt(rows.get(i)));
    return out;
  }

  /** The span's class in its tree (flow, module, agent, tool, model, functional, generic). Cheap. */
  classOf(node: SpanNode): SpanClass {
    const run = this.runOf(node);
    if (run) this.ensureInferred(run);
    return refineClass(node, this.intrinsicClass(node), n => this.intrinsicClass(n as SpanNode));
  }

  /** The full classification with the rule that decided and the dialect, for tooltips. */
  classify(node: SpanNode): Classification {
    const run = this.runOf(node);
    if (run) this.ensureInferred(run);
    return classifyInContext(node, n => this.intrinsicClass(n as SpanNode));
  }

  /** @internal the class a row's span has on its own (computed at ingest). */
  intrinsicClassOfRow(row: number): SpanClass {
    const f = this.table.flags(row);
    if (f & (SpanFacts.placeholder | F_EVICTED)) return 'generic';
    return SPAN_CLASSES[((f & F_CLASS_MASK) >>> F_CLASS_SHIFT) - 1] ?? 'generic';
  }

  private intrinsicClass(node: SpanNode): SpanClass {
    const t = this.table;
    const row = node.row;
    const flags = row >= 0 ? t.flags(row) : 0;
    const cached = (flags & F_CLASS_MASK) >>> F_CLASS_SHIFT;
    if (cached !== 0) return SPAN_CLASSES[cached - 1]!;
    if (!node.span) return 'generic';
    const cls = classifySpan(node.span).cls;
    if (row >= 0 && !(flags & F_EVICTED)) t.set(row, W_FLAGS, (flags & ~F_CLASS_MASK) | ((SPAN_CLASSES.indexOf(cls) + 1) << F_CLASS_SHIFT));
    return cls;
  }

  /** Token usage and cost of a subtree (or a whole run) without double counting (semantics/usage.ts). */
  subtreeUsage(target: TreeParent): Usage {
    // One pass over a subtree gives the totals of every row in it: they are kept until the next change of the
    // store, so hovering one span after another in a 100k-span run costs one pass, not one per hover.
    if (this.usageCache.version !== this.version) this.usageCache = { version: this.version, byRow: new Map(), byRun: new Map() };
    const { byRow, byRun } = this.usageCache;
    if (target instanceof SpanNode) {
      const hit = byRow.get(target.row);
      if (hit) return hit;
    } else {
      const hit = byRun.get(target);
      if (hit) return hit;
    }
    const { rows } = this.flattenRows(target);
    const t = this.table;
    // Post-order: children come after their parent in the flattened order.
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows.get(i);
      if (byRow.has(r)) continue;
      const kids = this.sortedChildRows(r);
      const own = t.flags(r) & SpanFacts.hasUsage ? ownUsage(this.spanAt(r)!) : EMPTY_USAGE;
      byRow.set(r, kids.length === 0 ? own : combineUsage(own, Array.from(kids, k => byRow.get(k) ?? EMPTY_USAGE)));
    }
    if (target instanceof SpanNode) return byRow.get(target.row) ?? EMPTY_USAGE;
    const total = combineUsage({}, Array.from(this.sortedRows(target), k => byRow.get(k) ?? EMPTY_USAGE));
    byRun.set(target, total);
    return total;
  }

  /** The row's span: the one its node holds, else made for this call only. */
  private spanAt(row: number): Span | undefined {
    return this.nodes.get(row)?.deref()?.span ?? this.nodeSpan(row);
  }

  /** Spans and error spans in a subtree. */
  subtreeCounts(node: SpanNode): { spans: number; errors: number } {
    let spans = 0;
    let errors = 0;
    const { rows } = this.flattenRows(node);
    for (let i = 0; i < rows.length; i++) {
      const f = this.table.flags(rows.get(i));
      if (f & SpanFacts.placeholder) continue;
      spans++;
      if (f & SpanFacts.error) errors++;
    }
    return { spans, errors };
  }

  /** Duration minus the time covered by its children (clipped to the span), in nanoseconds. */
  selfTimeNanos(node: SpanNode): number {
    const span = node.span;
    if (!span || node.row < 0) return 0;
    const t = this.table;
    const kids = this.sortedRows(node);
    // Times relative to the span start, in ns, as numbers: exact for spans shorter than ~104 days.
    const rel = (ms: number, ns: number) => (ms - span.startMs) * 1_000_000 + (ns - span.startSubMsNanos);
    const end = rel(span.endMs, span.endSubMsNanos);
    let covered = 0;
    let reach = 0;
    for (const k of kids) {
      if (t.flags(k) & SpanFacts.placeholder) continue;
      const s = Math.max(reach, Math.max(0, rel(t.ms(k, W_START), t.subNanos(k, W_START))));
      const e = Math.min(end, rel(t.ms(k, W_END), t.subNanos(k, W_END)));
      if (e > s) {
        covered += e - s;
        reach = e;
      }
    }
    return Math.max(0, end - covered);
  }
}

const EMPTY_USAGE: Usage = Object.freeze({});

const NO_ATTRIBUTES: readonly KeyValue[] = Object.freeze([]);
const SPAN_TYPE_FLOW: readonly KeyValue[] = Object.freeze([Object.freeze({ key: 'span.type', value: 'flow' })]);
// The context rules ask only whether span.type is present and whether it is "flow".
const SPAN_TYPE_OTHER: readonly KeyValue[] = Object.freeze([Object.freeze({ key: 'span.type', value: '(not flow)' })]);
