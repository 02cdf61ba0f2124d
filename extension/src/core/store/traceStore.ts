// The trace store: every span the receiver accepted, as runs of trees, in bounded memory, with coalesced change
// events for the views. docs/store.md describes the data structures and rules; the short version:
// - a Map from span id to SpanNode (dedupe, parent lookup, placeholders) and one from trace id to Run;
// - real parent edges are linked at ingest; flat msgflux roots are nested by time containment lazily, at the
//   next flush or query of their run;
// - child lists are appended at ingest and sorted / cleaned lazily when a view reads them;
// - change events are coalesced by a Scheduler the caller provides.
import { Emitter, type Event } from '../common/event';
import type { SpanBatch } from '../model/batch';
import { type Resource, type Span, StatusCode } from '../model/span';
import { type Classification, classifyInContext, classifySpan, refineClass } from '../semantics/classification';
import { SPAN_CLASSES, type SpanClass } from '../semantics/spanClass';
import { isMsgtraceScope } from '../semantics/spanFacts';
import { type Usage, combineUsage, ownUsage } from '../semantics/usage';
import type { IngestOrigin } from './ingestOrigin';
import { mergeInferable, sweepNesting } from './nestingInference';
import { DEFAULT_RETENTION, EVICT_TO_FRACTION, type RetentionLimits, estimateSpanBytes } from './retention';
import { Run } from './run';
import { resourceIdentity } from './runIdentity';
import { type Scheduler, realScheduler } from './scheduler';
import {
  CHILDREN_STALE,
  CHILDREN_UNSORTED,
  CLASS_MASK,
  EVICTED,
  INFERABLE,
  INFERRED_EDGE,
  MARK,
  SpanNode,
  compareByStart,
} from './spanNode';
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

export class TraceStore {
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

  // Keyed by span id alone: no string is built per span. The rare span id shared by two traces goes to
  // `collisions`, keyed by trace id + span id.
  private byId = new Map<string, SpanNode>();
  private collisions = new Map<string, SpanNode>();
  private traceRun = new Map<string, Run>();
  private runList: Run[] = [];
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
  private pAddedSpans: SpanNode[] = [];
  private pUpdatedSpans = new Set<SpanNode>();
  private pMovedFrom = new Set<TreeParent>();
  private pEvictedSpans = 0;
  private pEvictedRuns = 0;
  private pCleared = false;
  private dirtyRuns = new Set<Run>();
  private timer: { dispose(): void } | undefined;
  private lastFireAt = -Infinity;

  /** Bumped by every change to spans or edges; caches of derived facts are valid for one version. */
  private version = 0;
  private usageCache: { version: number; totals: Map<TreeParent, Usage> } = { version: -1, totals: new Map() };
  private lastIdentity: { resource: Resource | undefined; session: string | undefined; identity: string } = { resource: undefined, session: undefined, identity: '' };

  constructor(options: TraceStoreOptions = {}) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.updateIntervalMs = options.updateIntervalMs ?? 100;
    this.runGapMs = options.runGapMs ?? 10_000;
    this.receivingIdleMs = options.receivingIdleMs ?? 3_000;
  }

  // ---------------------------------------------------------------- ingest

  /** Adds a decoded batch. Duplicates (same traceId+spanId as a stored span) are dropped and counted. */
  ingest(batch: SpanBatch, origin: IngestOrigin): IngestResult {
    return this.ingestSpans(batch.spans, origin);
  }

  ingestSpans(spans: readonly Span[], origin: IngestOrigin): IngestResult {
    const now = this.scheduler.now();
    let accepted = 0;
    let duplicates = 0;
    for (let i = 0; i < spans.length; i++) {
      if (this.add(spans[i]!, origin, now)) accepted++;
      else duplicates++;
    }
    this.ingestedTotal += accepted;
    this.duplicateTotal += duplicates;
    if (accepted > 0) {
      this.enforceRetention();
      this.scheduleFlush();
    }
    return { accepted, duplicates };
  }

  private add(span: Span, origin: IngestOrigin, now: number): boolean {
    this.version++;
    const traceId = span.traceId;
    const spanId = span.spanId;
    let node = this.lookup(traceId, spanId);
    let run: Run;
    // A filled placeholder already sits among its run's roots, with children.
    let wasPlaceholder = false;
    if (node !== undefined) {
      if (node.span !== undefined) return false;
      node.span = span;
      wasPlaceholder = true;
      run = this.traceRun.get(traceId)!;
      run.placeholderCount--;
      this.placeholderTotal--;
      this.pUpdatedSpans.add(node);
    } else {
      run = this.traceRun.get(traceId) ?? this.assignRun(span, origin, now);
      node = new SpanNode(span, traceId, spanId);
      this.insert(node);
      this.pAddedSpans.push(node);
    }

    const parentId = span.parentSpanId;
    if (parentId !== '') {
      let parent = this.lookup(traceId, parentId);
      if (parent === undefined) {
        parent = new SpanNode(undefined, traceId, parentId);
        this.insert(parent);
        run.placeholderCount++;
        this.placeholderTotal++;
        this.pushRoot(run, parent);
        this.pAddedSpans.push(parent);
      }
      if (wasPlaceholder) {
        run.rootsStale = true;
        this.pMovedFrom.add(run);
      }
      node.parent = parent;
      this.pushChild(parent, node);
      // A placeholder sorts by its earliest child, which may just have changed.
      if (parent.span === undefined && parent.parent === undefined) run.rootsUnsorted = true;
    } else {
      // A placeholder keeps its place among the roots, but now sorts by its own start.
      if (wasPlaceholder) run.rootsUnsorted = true;
      else this.pushRoot(run, node);
      if (isMsgtraceScope(span)) {
        node.flags |= INFERABLE;
        run.pendingInferable.push(node);
        this.dirtyRuns.add(run);
      }
    }

    run.spanCount++;
    this.spanTotal++;
    if (span.statusCode === StatusCode.Error) run.errorCount++;
    const bytes = estimateSpanBytes(span);
    run.bytes += bytes;
    this.byteTotal += bytes;
    if (span.startMs < run.startMs || (span.startMs === run.startMs && span.startSubMsNanos < run.startSubMsNanos)) {
      run.startMs = span.startMs;
      run.startSubMsNanos = span.startSubMsNanos;
    }
    if (span.endMs > run.endMs || (span.endMs === run.endMs && span.endSubMsNanos > run.endSubMsNanos)) {
      run.endMs = span.endMs;
      run.endSubMsNanos = span.endSubMsNanos;
    }
    run.lastReceivedAt = now;
    if (run.changeMark !== this.gen) {
      run.changeMark = this.gen;
      this.pUpdatedRuns.push(run);
    }
    return true;
  }

  private lookup(traceId: string, spanId: string): SpanNode | undefined {
    const n = this.byId.get(spanId);
    if (n === undefined || n.traceId === traceId) return n;
    return this.collisions.get(traceId + spanId);
  }

  private insert(node: SpanNode): void {
    const existing = this.byId.get(node.spanId);
    if (existing === undefined) this.byId.set(node.spanId, node);
    else this.collisions.set(node.traceId + node.spanId, node);
  }

  private remove(node: SpanNode): void {
    if (this.byId.get(node.spanId) === node) this.byId.delete(node.spanId);
    else this.collisions.delete(node.traceId + node.spanId);
  }

  private pushChild(parent: SpanNode, child: SpanNode): void {
    const list = parent.children;
    if (list === undefined) {
      parent.children = [child];
      return;
    }
    const last = list[list.length - 1];
    if (last !== undefined && compareByStart(last, child) > 0) parent.flags |= CHILDREN_UNSORTED;
    list.push(child);
  }

  private pushRoot(run: Run, node: SpanNode): void {
    const last = run.roots[run.roots.length - 1];
    if (last !== undefined && compareByStart(last, node) > 0) run.rootsUnsorted = true;
    run.roots.push(node);
  }

  /** A new trace joins the latest run of the same resource (and debug session) that it fits in time. */
  private assignRun(span: Span, origin: IngestOrigin, now: number): Run {
    // Flat msgflux traffic makes every span a new trace: the identity of a batch's resource and session is
    // built once, not per span (a long string built and hashed per span cost about 1 µs).
    let identity: string;
    if (span.resource === this.lastIdentity.resource && origin.debugSessionId === this.lastIdentity.session) identity = this.lastIdentity.identity;
    else {
      identity = `${resourceIdentity(span.resource)}\u0002${origin.debugSessionId ?? ''}`;
      this.lastIdentity = { resource: span.resource, session: origin.debugSessionId, identity };
    }
    let list = this.runsByIdentity.get(identity);
    if (list !== undefined) {
      for (let i = list.length - 1; i >= 0 && i >= list.length - 8; i--) {
        const r = list[i]!;
        if (origin.debugSessionId !== undefined || r.spanCount === 0) {
          this.traceRun.set(span.traceId, r);
          return r;
        }
        if (span.startMs <= r.endMs + this.runGapMs && span.endMs >= r.startMs - this.runGapMs) {
          this.traceRun.set(span.traceId, r);
          return r;
        }
      }
    } else {
      list = [];
      this.runsByIdentity.set(identity, list);
    }
    const run = new Run(this.nextRunId++, identity, span.resource, origin, now);
    list.push(run);
    this.runList.push(run);
    this.pAddedRuns.push(run);
    this.traceRun.set(span.traceId, run);
    return run;
  }

  // ---------------------------------------------------------------- inference

  /** Brings the run's inferred nesting up to date (cheap when nothing arrived since the last call). */
  private ensureInferred(run: Run): void {
    if (run.pendingInferable.length === 0 && !run.fullSweep) return;
    const from = mergeInferable(run.inferable, run.pendingInferable);
    run.pendingInferable = [];
    const start = run.fullSweep ? 0 : from;
    run.fullSweep = false;
    this.dirtyRuns.delete(run);
    sweepNesting(run.inferable, start, (node, parent) => this.setInferredParent(run, node, parent));
  }

  private setInferredParent(run: Run, node: SpanNode, parent: SpanNode | undefined): void {
    this.version++;
    const old = node.parent;
    if (old !== undefined) {
      old.flags |= CHILDREN_STALE;
      this.pMovedFrom.add(old);
    } else {
      run.rootsStale = true;
      this.pMovedFrom.add(run);
    }
    node.parent = parent;
    if (parent !== undefined) {
      node.flags |= INFERRED_EDGE;
      this.pushChild(parent, node);
    } else {
      node.flags &= ~INFERRED_EDGE;
      this.pushRoot(run, node);
    }
    this.pUpdatedSpans.add(node);
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
    const alive = (n: SpanNode) => (n.flags & EVICTED) === 0;
    const aliveRun = (r: Run) => this.runList.includes(r);
    const hasNews =
      this.pAddedSpans.length > 0 || this.pUpdatedSpans.size > 0 || this.pRemovedRuns.length > 0 || this.pUpdatedRuns.length > 0 || this.pCleared || this.pEvictedSpans > 0;
    if (!hasNews) return;
    const liveRuns = new Set(this.runList);
    const addedSpans = this.pAddedSpans.filter(alive);
    const updatedSpans = [...this.pUpdatedSpans].filter(alive);
    const parents = new Set<TreeParent>();
    const parentOf = (n: SpanNode): TreeParent | undefined => n.parent ?? this.traceRun.get(n.traceId);
    for (const n of addedSpans) {
      const p = parentOf(n);
      if (p) parents.add(p);
    }
    for (const n of updatedSpans) {
      const p = parentOf(n);
      if (p) parents.add(p);
    }
    for (const p of this.pMovedFrom) parents.add(p);
    const changedParents = [...parents].filter(p => (p instanceof Run ? liveRuns.has(p) : alive(p)));
    const change: StoreChange = {
      addedRuns: this.pAddedRuns.filter(aliveRun),
      updatedRuns: this.pUpdatedRuns.filter(r => liveRuns.has(r)),
      removedRuns: this.pRemovedRuns,
      addedSpans,
      updatedSpans,
      changedParents,
      evictedSpans: this.pEvictedSpans,
      evictedRuns: this.pEvictedRuns,
      cleared: this.pCleared,
    };
    this.gen++;
    this.pAddedRuns = [];
    this.pUpdatedRuns = [];
    this.pRemovedRuns = [];
    this.pAddedSpans = [];
    this.pUpdatedSpans = new Set();
    this.pMovedFrom = new Set();
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

  /**
   * One run alone is over the limits: drop its oldest top-level subtrees, and with them every span of the
   * traces they touch (a trace is never kept in part by choice).
   */
  private evictOldestTraces(run: Run, targetSpans: number, targetBytes: number): void {
    this.version++;
    this.ensureInferred(run);
    const roots = this.cleanChildren(run);
    const traces = new Set<string>();
    let spans = this.spanTotal;
    let bytes = this.byteTotal;
    for (const root of roots) {
      if (spans <= targetSpans && bytes <= targetBytes) break;
      this.walk(root, n => {
        traces.add(n.traceId);
        if (n.span) {
          spans--;
          bytes -= estimateSpanBytes(n.span);
        }
      });
    }
    if (traces.size === 0) return;
    let evictedSpans = 0;
    let evictedBytes = 0;
    const victims: SpanNode[] = [];
    for (const root of run.roots) this.walk(root, n => {
      if (traces.has(n.traceId)) victims.push(n);
    });
    for (const n of victims) {
      if (n.flags & EVICTED) continue;
      n.flags |= EVICTED;
      this.remove(n);
      if (n.parent) n.parent.flags |= CHILDREN_STALE;
      if (n.span) {
        const b = estimateSpanBytes(n.span);
        evictedSpans++;
        evictedBytes += b;
        if (n.span.statusCode === StatusCode.Error) run.errorCount--;
      } else {
        run.placeholderCount--;
        this.placeholderTotal--;
      }
    }
    // Children of evicted nodes that survive (other traces nested under them by inference) become top-level
    // until the full re-sweep below places them again.
    for (const n of victims) {
      if (!n.children) continue;
      for (const c of n.children) if (c.parent === n && !(c.flags & EVICTED)) {
        c.parent = undefined;
        c.flags &= ~INFERRED_EDGE;
        run.roots.push(c);
      }
    }
    for (const t of traces) this.traceRun.delete(t);
    run.rootsStale = true;
    run.rootsUnsorted = true;
    run.inferable = run.inferable.filter(n => !(n.flags & EVICTED));
    run.pendingInferable = run.pendingInferable.filter(n => !(n.flags & EVICTED));
    run.fullSweep = true;
    this.dirtyRuns.add(run);
    run.spanCount -= evictedSpans;
    run.bytes -= evictedBytes;
    this.spanTotal -= evictedSpans;
    this.byteTotal -= evictedBytes;
    this.evictedSpanTotal += evictedSpans;
    this.evictedByteTotal += evictedBytes;
    this.pEvictedSpans += evictedSpans;
    this.pMovedFrom.add(run);
    if (run.changeMark !== this.gen) {
      run.changeMark = this.gen;
      this.pUpdatedRuns.push(run);
    }
  }

  /** Removes a run with all its spans; counted as eviction when `evicted`, else it was cleared. */
  private dropRun(run: Run, evicted: boolean): void {
    this.version++;
    const i = this.runList.indexOf(run);
    if (i < 0) return;
    this.runList.splice(i, 1);
    const same = this.runsByIdentity.get(run.identity);
    if (same) {
      same.splice(same.indexOf(run), 1);
      if (same.length === 0) this.runsByIdentity.delete(run.identity);
    }
    for (const root of run.roots) {
      this.walk(root, n => {
        if (n.flags & EVICTED) return;
        n.flags |= EVICTED;
        this.remove(n);
        this.traceRun.delete(n.traceId);
      });
    }
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

  /** Every node reachable from `root` (including stale child entries, so each node may be visited twice). */
  private walk(root: SpanNode, visit: (n: SpanNode) => void): void {
    const stack = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      visit(n);
      if (n.children) for (const c of n.children) stack.push(c);
    }
  }

  // ---------------------------------------------------------------- clear

  /** Drops everything (not counted as eviction). */
  clear(): void {
    this.version++;
    for (const run of this.runList) this.pRemovedRuns.push(run);
    for (const n of this.byId.values()) n.flags |= EVICTED;
    for (const n of this.collisions.values()) n.flags |= EVICTED;
    this.byId = new Map();
    this.collisions = new Map();
    this.traceRun = new Map();
    this.runList = [];
    this.runsByIdentity = new Map();
    this.dirtyRuns.clear();
    this.spanTotal = this.placeholderTotal = this.byteTotal = 0;
    this.pAddedSpans = [];
    this.pUpdatedSpans = new Set();
    this.pMovedFrom = new Set();
    this.pCleared = true;
    this.scheduleFlush();
    this._onDidClear.fire({ all: true, traceIds: [] });
  }

  /** Drops one run (not counted as eviction). Returns false when it is not stored. */
  clearRun(run: Run | number): boolean {
    const r = typeof run === 'number' ? this.getRun(run) : run;
    if (!r || !this.runList.includes(r)) return false;
    const traceIds: string[] = [];
    for (const [traceId, owner] of this.traceRun) if (owner === r) traceIds.push(traceId);
    this.dropRun(r, false);
    this.scheduleFlush();
    this._onDidClear.fire({ all: false, run: r, traceIds });
    return true;
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this._onDidChange.dispose();
    this._onDidClear.dispose();
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
    return this.runList.find(r => r.id === id);
  }

  /** The run holding a trace. */
  runOfTrace(traceId: string): Run | undefined {
    return this.traceRun.get(traceId);
  }

  /** The run a node belongs to; undefined once evicted. */
  runOf(node: SpanNode): Run | undefined {
    return node.flags & EVICTED ? undefined : this.traceRun.get(node.traceId);
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
    return this.lookup(traceId, spanId);
  }

  /** Number of children of a node, or top-level nodes of a run. */
  childCount(parent: TreeParent): number {
    return this.cleanChildren(parent).length;
  }

  /** Children in start order, `limit` of them from `offset` (tree paging). */
  children(parent: TreeParent, offset = 0, limit = Infinity): readonly SpanNode[] {
    const list = this.cleanChildren(parent);
    if (offset === 0 && limit >= list.length) return list;
    return list.slice(offset, Math.min(list.length, offset + limit));
  }

  /** The node's ancestors, nearest first (for reveal). */
  ancestors(node: SpanNode): SpanNode[] {
    const out: SpanNode[] = [];
    for (let p = node.parent; p !== undefined; p = p.parent) out.push(p);
    return out;
  }

  /**
   * The timeline's rows for a run (or one of its subtrees): depth-first, children in start order. Nodes in
   * `collapsed` appear but their descendants do not.
   */
  flatten(target: TreeParent, collapsed?: ReadonlySet<SpanNode>): FlatRows {
    const nodes: SpanNode[] = [];
    const depthList: number[] = [];
    const stack: SpanNode[] = [];
    const stackDepth: number[] = [];
    const pushChildren = (p: TreeParent, depth: number) => {
      const kids = this.cleanChildren(p);
      for (let i = kids.length - 1; i >= 0; i--) {
        stack.push(kids[i]!);
        stackDepth.push(depth);
      }
    };
    if (target instanceof SpanNode) {
      stack.push(target);
      stackDepth.push(0);
    } else pushChildren(target, 0);
    while (stack.length > 0) {
      const n = stack.pop()!;
      const d = stackDepth.pop()!;
      nodes.push(n);
      depthList.push(d);
      if (n.children !== undefined && !(collapsed && collapsed.has(n))) pushChildren(n, d + 1);
    }
    const depths = new Uint16Array(depthList.length);
    for (let i = 0; i < depthList.length; i++) depths[i] = Math.min(depthList[i]!, 0xffff);
    return { nodes, depths };
  }

  /** Every node of one trace, depth-first within its run's tree. */
  traceNodes(traceId: string): SpanNode[] {
    const run = this.traceRun.get(traceId);
    if (!run) return [];
    return this.flatten(run).nodes.filter(n => n.traceId === traceId);
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

  private intrinsicClass(node: SpanNode): SpanClass {
    const cached = node.flags & CLASS_MASK;
    if (cached !== 0) return SPAN_CLASSES[cached - 1]!;
    if (!node.span) return 'generic';
    const cls = classifySpan(node.span).cls;
    node.flags = (node.flags & ~CLASS_MASK) | (SPAN_CLASSES.indexOf(cls) + 1);
    return cls;
  }

  /** Token usage and cost of a subtree (or a whole run) without double counting (semantics/usage.ts). */
  subtreeUsage(target: TreeParent): Usage {
    // One pass over a subtree gives the totals of every node in it: they are kept until the next change of the
    // store, so hovering one span after another in a 100k-span run costs one pass, not one per hover.
    const version = this.version;
    if (this.usageCache.version !== version) this.usageCache = { version, totals: new Map() };
    const cache = this.usageCache.totals;
    const hit = cache.get(target);
    if (hit) return hit;
    // Post-order without recursion: a run of 100k nested spans must not overflow the stack.
    const order = this.flatten(target).nodes;
    for (let i = order.length - 1; i >= 0; i--) {
      const n = order[i]!;
      if (cache.has(n)) continue;
      const kids = n.children ? this.cleanChildren(n) : [];
      const own = n.span ? ownUsage(n.span) : {};
      cache.set(n, kids.length === 0 ? own : combineUsage(own, kids.map(k => cache.get(k) ?? {})));
    }
    const total = target instanceof SpanNode ? (cache.get(target) ?? {}) : combineUsage({}, this.cleanChildren(target).map(k => cache.get(k) ?? {}));
    cache.set(target, total);
    return total;
  }

  /** Spans and error spans in a subtree. */
  subtreeCounts(node: SpanNode): { spans: number; errors: number } {
    let spans = 0;
    let errors = 0;
    for (const n of this.flatten(node).nodes) {
      if (!n.span) continue;
      spans++;
      if (n.span.statusCode === StatusCode.Error) errors++;
    }
    return { spans, errors };
  }

  /** Duration minus the time covered by its children (clipped to the span), in nanoseconds. */
  selfTimeNanos(node: SpanNode): number {
    const span = node.span;
    if (!span) return 0;
    const kids = this.cleanChildren(node);
    // Times relative to the span start, in ns, as numbers: exact for spans shorter than ~104 days.
    const rel = (ms: number, ns: number) => (ms - span.startMs) * 1_000_000 + (ns - span.startSubMsNanos);
    const end = rel(span.endMs, span.endSubMsNanos);
    let covered = 0;
    let reach = 0;
    for (const k of kids) {
      if (!k.span) continue;
      const s = Math.max(reach, Math.max(0, rel(k.span.startMs, k.span.startSubMsNanos)));
      const e = Math.min(end, rel(k.span.endMs, k.span.endSubMsNanos));
      if (e > s) {
        covered += e - s;
        reach = e;
      }
    }
    return Math.max(0, end - covered);
  }

  /** The child list after removing moved/evicted entries and sorting, both only when needed. */
  private cleanChildren(parent: TreeParent): readonly SpanNode[] {
    if (parent instanceof Run) {
      this.ensureInferred(parent);
      if (parent.rootsStale) {
        parent.roots = dedupe(parent.roots, n => n.parent === undefined && !(n.flags & EVICTED));
        parent.rootsStale = false;
      }
      if (parent.rootsUnsorted) {
        parent.roots.sort(compareByStart);
        parent.rootsUnsorted = false;
      }
      return parent.roots;
    }
    const run = this.runOf(parent);
    if (run) this.ensureInferred(run);
    let list = parent.children;
    if (list === undefined) return EMPTY;
    if (parent.flags & CHILDREN_STALE) {
      list = parent.children = dedupe(list, n => n.parent === parent && !(n.flags & EVICTED));
      parent.flags &= ~CHILDREN_STALE;
    }
    if (parent.flags & CHILDREN_UNSORTED) {
      list.sort(compareByStart);
      parent.flags &= ~CHILDREN_UNSORTED;
    }
    return list;
  }
}

const EMPTY: readonly SpanNode[] = Object.freeze([]);

/** Keeps the entries that pass `keep`, each once (a node that moved away and back is listed twice). */
function dedupe(list: readonly SpanNode[], keep: (n: SpanNode) => boolean): SpanNode[] {
  const out: SpanNode[] = [];
  for (const n of list) {
    if (n.flags & MARK || !keep(n)) continue;
    n.flags |= MARK;
    out.push(n);
  }
  for (const n of out) n.flags &= ~MARK;
  return out;
}
