// Retention limits. The store counts what each row holds (spanTable.ts ROW_BYTES + its rest bytes).
export interface RetentionLimits {
  /** Stored spans (placeholders not counted). */
  readonly maxSpans: number;
  /** Bytes the store holds for its spans (rows, their index entries and rest bytes; TraceStore.stats.bytes). */
  readonly maxBytes: number;
}

/** Fits a laptop: at most about 0.5 GB of extension-host heap (docs/store.md). */
export const DEFAULT_RETENTION: RetentionLimits = { maxSpans: 500_000, maxBytes: 512 * 1024 * 1024 };

/** Once over a limit, evict down to this fraction of it, so eviction runs once per many batches, not on each. */
export const EVICT_TO_FRACTION = 0.9;
