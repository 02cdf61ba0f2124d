// What one coalesced TraceStore.onDidChange says.
import type { Run } from './run';
import type { SpanNode } from './spanNode';

export interface StoreChange {
  /** Runs created since the last event (also in updatedRuns). */
  readonly addedRuns: readonly Run[];
  /** Runs that got spans or whose tree changed, alive at the time of the event. */
  readonly updatedRuns: readonly Run[];
  /** Runs evicted or cleared since the last event (also when they were added in between). */
  readonly removedRuns: readonly Run[];
  /** Nodes created (spans and placeholders) that are still alive (made when read: prefer addedCount). */
  readonly addedSpans: readonly SpanNode[];
  /** How many nodes were created, without making them. */
  readonly addedCount: number;
  /** Alive nodes that changed in place: a placeholder whose span arrived, or a node that got a new parent. */
  readonly updatedSpans: readonly SpanNode[];
  /**
   * Tree elements whose child list changed (a node, or a Run for its top level): what a tree view refreshes.
   * Alive at the time of the event.
   */
  readonly changedParents: readonly (SpanNode | Run)[];
  /** How many parents changed, without making their nodes (a tree view refreshes all above a limit). */
  readonly changedParentCount: number;
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
