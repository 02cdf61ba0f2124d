// What one coalesced TraceStore.onDidChange says, what clear() says, and the store's counters. Spans are named
// by their rows (stable handles, read through TraceStore.rows), so an event costs no object per span.
import type { Run } from './run';

/** A tree parent: a run (its top level) or a row (its children). */
export type TreeParent = Run | number;

export interface StoreChange {
  /** Runs created since the last event (also in updatedRuns). */
  readonly addedRuns: readonly Run[];
  /** Runs that got spans or whose tree changed, alive at the time of the event. */
  readonly updatedRuns: readonly Run[];
  /** Runs evicted or cleared since the last event (also when they were added in between). */
  readonly removedRuns: readonly Run[];
  /** Rows created (spans and placeholders) that are still stored. */
  readonly addedRows: Int32Array;
  /** Stored rows changed in place: a placeholder whose span arrived, or a row that got a new parent. */
  readonly updatedRows: Int32Array;
  /** Tree parents whose child list changed (what a tree view refreshes), alive at the time of the event. */
  readonly changedParents: readonly TreeParent[];
  /** Spans and runs dropped by the retention limits since the last event (not by clear). */
  readonly evictedSpans: number;
  readonly evictedRuns: number;
  /** clear() was called since the last event: views drop everything they hold. */
  readonly cleared: boolean;
}

export interface StoreStats {
  readonly spans: number;
  readonly placeholders: number;
  readonly bytes: number;
  readonly runs: number;
  /** Spans ingested since creation (duplicates not counted). */
  readonly ingested: number;
  /** Spans dropped as retries of a stored traceId+spanId. */
  readonly duplicates: number;
  /** Totals of retention evictions since creation (clear and clearRun are not evictions). */
  readonly evictedSpans: number;
  readonly evictedRuns: number;
  readonly evictedBytes: number;
}

/** What TraceStore.onDidClear says: everything, or one run and the traces it held. */
export interface StoreClear {
  readonly all: boolean;
  readonly run?: Run;
  /** The trace ids the cleared run held (empty when `all`). */
  readonly traceIds: readonly string[];
}

/** The counters behind StoreStats: ingest adds, eviction and clearing take away. */
export class StoreTotals {
  spans = 0;
  placeholders = 0;
  bytes = 0;
  ingested = 0;
  duplicates = 0;
  evictedSpans = 0;
  evictedRuns = 0;
  evictedBytes = 0;

  stats(runs: number): StoreStats {
    const { spans, placeholders, bytes, ingested, duplicates, evictedSpans, evictedRuns, evictedBytes } = this;
    return { spans, placeholders, bytes, runs, ingested, duplicates, evictedSpans, evictedRuns, evictedBytes };
  }
}
