// A run: what one program execution sent (docs/store.md, "Runs"). Views read the public fields; the fields
// marked internal belong to the store's modules (spanForest.ts, nestingInference.ts, changeCollector.ts).
import type { Resource } from '../model/span';
import type { IngestOrigin } from './ingestOrigin';
import { RowList } from './rowList';

export class Run {
  /** Exact time bounds over its spans (ms + ns within the ms, like Span). */
  startMs = Infinity;
  startSubMsNanos = 0;
  endMs = -Infinity;
  endSubMsNanos = 0;
  /** Spans stored (placeholders not counted). */
  spanCount = 0;
  /** Parents referenced but not arrived. */
  placeholderCount = 0;
  /** Spans with status ERROR. */
  errorCount = 0;
  /** Estimated bytes held for its spans (retention accounting). */
  bytes = 0;
  /** Scheduler time of the first and latest batch that added to it. */
  firstReceivedAt: number;
  lastReceivedAt: number;

  /** @internal first top-level row (real roots, placeholders, top-level inferred), linked by W_NEXT; -1 when none. */
  firstRoot = -1;
  /** @internal the top-level rows in start order, until the top level changes. */
  sortedRoots: Int32Array | undefined = undefined;
  /** @internal inferable rows in start order, and those that arrived since the last sweep. */
  inferable = new RowList();
  pendingInferable = new RowList();
  /** @internal the next sweep must start from index 0. */
  fullSweep = false;
  /** @internal flush generation in which this run was last marked updated. */
  changeMark = -1;

  constructor(
    /** Unique in the store, increasing in creation order. */
    public readonly id: number,
    /** Resource identity + debug session: runs with equal keys may be one execution split by a time gap. */
    public readonly identity: string,
    /** The resource of its first span. */
    public readonly resource: Resource,
    public readonly origin: IngestOrigin,
    receivedAt: number,
  ) {
    this.firstReceivedAt = receivedAt;
    this.lastReceivedAt = receivedAt;
  }

  get serviceName(): string {
    return this.resource.serviceName;
  }

  get debugSessionId(): string | undefined {
    return this.origin.debugSessionId;
  }

  /** end - start in nanoseconds; 0 before the first span. */
  get durationNanos(): number {
    if (this.spanCount === 0) return 0;
    return (this.endMs - this.startMs) * 1_000_000 + (this.endSubMsNanos - this.startSubMsNanos);
  }
}
