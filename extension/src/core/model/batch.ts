// What one export request decodes to: the unit the receiver hands to its listeners (and the store ingests).
import type { Resource, Scope, Span } from './span';
import type { SpanColumns } from './spanColumns';

export interface SpanBatch {
  /** Accepted spans, in request order. For a batch with `columns`, made on first read (prefer the columns). */
  readonly spans: readonly Span[];
  /** The same spans as columns over the request body, when the decoder made them (protobuf requests). */
  readonly columns?: SpanColumns;
  /** The distinct resources and scopes of `spans`, in request order (for stores that index them). */
  readonly resources: readonly Resource[];
  readonly scopes: readonly Scope[];
  /** Spans of the request that were rejected (invalid ids); they are not in `spans`. */
  readonly rejectedSpans: number;
  /** Why spans were rejected (first reason and how often), '' when none were. */
  readonly rejectionMessage: string;
}

/** How many spans the batch holds, without making Span objects. */
export function batchSpanCount(batch: SpanBatch): number {
  return batch.columns ? batch.columns.count : batch.spans.length;
}
