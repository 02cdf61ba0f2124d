// The trace store: every span the receiver accepted, as runs of trees, in bounded memory, with coalesced change
// events for the views. docs/store.md describes the data structures and rules. This class only wires its
// parts and is the one API views use; each part lives in its own module:
// - spanTable.ts: rows in typed-array pages, hash indexes by id, rest bytes in slabs;
// - rowReader.ts: reading one row (facts, name, ids, times, the Span on demand) — `store.rows`;
// - ingest.ts: columns or Span objects into rows (the row writer); scopeRegistry.ts, runRegistry.ts;
// - spanForest.ts: child links, sorted children; nestingInference.ts: flat msgflux roots nested by time;
// - changeCollector.ts: what the next onDidChange says; receivingWatch.ts: when runs stop receiving;
// - eviction.ts: retention and clearing; viewQueries.ts + rowClassification.ts: what views ask of trees.
import { Emitter, type Event } from '../common/event';
import type { SpanBatch } from '../model/batch';
import type { Span } from '../model/span';
import type { SpanClass } from '../semantics/spanClass';
import type { Usage } from '../semantics/usage';
import { ChangeCollector } from './changeCollector';
import { Eviction } from './eviction';
import { type IngestResult, SpanIngest } from './ingest';
import type { IngestOrigin } from './ingestOrigin';
import { NestingInference } from './nestingInference';
import { ReceivingWatch } from './receivingWatch';
import { DEFAULT_RETENTION, type RetentionLimits } from './retention';
import { RowReader } from './rowReader';
import type { Run } from './run';
import { RunRegistry } from './runRegistry';
import { type Scheduler, realScheduler } from './scheduler';
import { ScopeRegistry } from './scopeRegistry';
import { SpanForest } from './spanForest';
import { SpanTable, W_RUN, W_TRACE } from './spanTable';
import { type StoreChange, type StoreClear, type StoreStats, StoreTotals, type TreeParent } from './storeChange';
import { type FlatRows, ViewQueries } from './viewQueries';

export type { FlatRows } from './viewQueries';
export type { IngestResult } from './ingest';
export type { TreeParent } from './storeChange';

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
  private readonly _onDidGoIdle = new Emitter<readonly Run[]>();
  /** Runs that stopped receiving: no batch added to them for the receiving idle time (isReceiving is now false). */
  readonly onDidGoIdle: Event<readonly Run[]> = this._onDidGoIdle.event;

  /** Reads one stored span by its row: the handle children(), flatten() and findRow() give. */
  readonly rows: RowReader;

  private readonly scheduler: Scheduler;
  private retention: RetentionLimits;
  private updateIntervalMs: number;
  private timer: { dispose(): void } | undefined;
  private lastFireAt = -Infinity;

  private readonly table = new SpanTable();
  private readonly totals = new StoreTotals();
  private readonly changes = new ChangeCollector(this.table);
  private readonly forest = new SpanForest(this.table);
  private readonly runRegistry: RunRegistry;
  private readonly nesting: NestingInference;
  private readonly spans: SpanIngest;
  private readonly eviction: Eviction;
  private readonly queries: ViewQueries;
  private readonly watch: ReceivingWatch;

  constructor(options: TraceStoreOptions = {}) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.updateIntervalMs = options.updateIntervalMs ?? 100;
    const scopes = new ScopeRegistry();
    this.rows = new RowReader(this.table, scopes);
    this.runRegistry = new RunRegistry(options.runGapMs ?? 10_000, run => this.changes.runAdded(run));
    this.nesting = new NestingInference(this.table, this.forest, this.runRegistry, this.changes);
    this.watch = new ReceivingWatch(this.scheduler, options.receivingIdleMs ?? 3_000, runs => this.wentIdle(runs));
    this.spans = new SpanIngest(this.table, scopes, this.runRegistry, this.forest, this.nesting, this.changes, this.totals, run => this.watch.received(run));
    this.eviction = new Eviction(this.table, this.runRegistry, this.forest, this.nesting, this.changes, this.totals);
    this.queries = new ViewQueries(this.table, this.forest, this.nesting, this.rows, this.changes);
  }

  // ---------------------------------------------------------------- ingest

  /**
   * Adds a decoded batch (or the spans [from, to) of it). Duplicates (same traceId+spanId as a stored span) are
   * dropped and counted. Batches with columns are copied from their columns and request bytes, with no Span
   * object made.
   */
  ingest(batch: SpanBatch, origin: IngestOrigin, from = 0, to = Infinity): IngestResult {
    if (batch.columns === undefined) return this.ingestSpans(from === 0 && to >= batch.spans.length ? batch.spans : batch.spans.slice(from, to), origin);
    return this.afterIngest(this.spans.fromColumns(batch, origin, from, to, this.scheduler.now()));
  }

  ingestSpans(spans: readonly Span[], origin: IngestOrigin): IngestResult {
    return this.afterIngest(this.spans.fromSpans(spans, origin, this.scheduler.now()));
  }

  private afterIngest(result: IngestResult): IngestResult {
    this.totals.ingested += result.accepted;
    this.totals.duplicates += result.duplicates;
    if (result.accepted > 0) {
      this.changes.version++;
      this.eviction.enforce(this.retention);
      this.scheduleFlush();
    }
    return result;
  }

  // ---------------------------------------------------------------- change events, limits, clearing

  /** Brings inferred nesting up to date and fires the pending change now (if any). */
  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.nesting.ensureAll();
    if (!this.changes.hasNews) return;
    const change = this.changes.take(
      run => this.runRegistry.has(run),
      id => this.runRegistry.get(id),
    );
    this.lastFireAt = this.scheduler.now();
    this._onDidChange.fire(change);
  }

  private scheduleFlush(): void {
    if (this.timer !== undefined) return;
    const delay = Math.max(0, this.lastFireAt + this.updateIntervalMs - this.scheduler.now());
    this.timer = this.scheduler.schedule(delay, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  private wentIdle(runs: readonly Run[]): void {
    const alive = runs.filter(r => this.runRegistry.has(r));
    if (alive.length > 0) this._onDidGoIdle.fire(alive);
  }

  /** Changes the limits (a setting changed); evicts at once when the store is now over them. */
  setLimits(limits: RetentionLimits): void {
    this.retention = limits;
    this.eviction.enforce(limits);
    this.scheduleFlush();
  }

  /** Changes the minimum interval between change events (the "live update rate" setting). */
  setUpdateInterval(ms: number): void {
    this.updateIntervalMs = Math.max(0, ms);
  }

  /** Drops everything (not counted as eviction). */
  clear(): void {
    this.changes.version++;
    this.changes.allCleared(this.runRegistry.clear());
    this.table.clear();
    this.forest.clear();
    this.nesting.clear();
    this.watch.clear();
    this.totals.spans = this.totals.placeholders = this.totals.bytes = 0;
    this.scheduleFlush();
    this._onDidClear.fire({ all: true, traceIds: [] });
  }

  /** Drops one run (not counted as eviction). Returns false when it is not stored. */
  clearRun(run: Run | number): boolean {
    const r = typeof run === 'number' ? this.runRegistry.get(run) : run;
    if (!r || !this.runRegistry.has(r)) return false;
    const traceIds = new Set<string>();
    this.forest.walkRun(r, row => traceIds.add(this.table.hexId(row, W_TRACE, 4)));
    this.eviction.dropRun(r, false);
    this.watch.forget(r);
    this.scheduleFlush();
    this._onDidClear.fire({ all: false, run: r, traceIds: [...traceIds] });
    return true;
  }

  dispose(): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.watch.dispose();
    this._onDidChange.dispose();
    this._onDidClear.dispose();
    this._onDidGoIdle.dispose();
  }

  // ---------------------------------------------------------------- runs

  get stats(): StoreStats {
    return this.totals.stats(this.runRegistry.size);
  }

  /** Runs, newest first. */
  runs(): readonly Run[] {
    return this.runRegistry.newestFirst();
  }

  getRun(id: number): Run | undefined {
    return this.runRegistry.get(id);
  }

  /** The run a row belongs to; undefined once evicted. */
  runOf(row: number): Run | undefined {
    return this.rows.has(row) ? this.runRegistry.get(this.table.get(row, W_RUN)) : undefined;
  }

  /** Whether a batch added to the run recently (the view shows it as live); onDidGoIdle says when it ends. */
  isReceiving(run: Run): boolean {
    return this.watch.isReceiving(run);
  }

  // ---------------------------------------------------------------- trees (rows are read with `rows`)

  /** The row of a stored span or placeholder by ids, or -1. */
  findRow(traceId: string, spanId: string): number {
    return this.rows.find(traceId, spanId);
  }

  /** The row's parent (real or inferred), -1 at the top level or once evicted. */
  parentOf(row: number): number {
    return this.queries.parentOf(row);
  }

  /** Children in start order, `limit` of them from `offset` (tree paging): a run's top level or a row's children. */
  children(parent: TreeParent, offset = 0, limit = Infinity): Int32Array {
    const all = this.queries.children(parent);
    const from = Math.max(0, offset);
    return all.slice(from, Math.min(all.length, from + limit));
  }

  /** Number of children of a row, or top-level rows of a run. */
  childCount(parent: TreeParent): number {
    return this.queries.children(parent).length;
  }

  /**
   * Rows of a run (or of the subtree at a row, the row included) depth-first, children in start order, with
   * depths: the timeline's rows. Rows in `collapsed` appear but their descendants do not.
   */
  flatten(target: TreeParent, collapsed?: ReadonlySet<number>): FlatRows {
    return this.queries.flatten(target, collapsed);
  }

  /** The span's class in its tree (flow, module, agent, tool, model, functional, generic). Cheap: decodes nothing. */
  classOf(row: number): SpanClass {
    return this.queries.classOf(row);
  }

  /** Token usage and cost of a subtree (or a whole run) without double counting (semantics/usage.ts). */
  subtreeUsage(target: TreeParent): Usage {
    return this.queries.subtreeUsage(target);
  }

  /** Spans and error spans in the subtree at a row. */
  subtreeCounts(row: number): { spans: number; errors: number } {
    return this.queries.subtreeCounts(row);
  }

  /** Duration minus the time covered by its children (clipped to the span), in nanoseconds. */
  selfTimeNanos(row: number): number {
    return this.queries.selfTimeNanos(row);
  }
}
