// What one export request decodes to: the unit the receiver hands to its listeners (and the store ingests).
import type { Resource, Scope, Span } from './span';

export interface SpanBatch {
  /** Accepted spans, in request order. */
  readonly spans: readonly Span[];
  /** The distinct resources and scopes of `spans`, in request order (for stores that index them). */
  readonly resources: readonly Resource[];
  readonly scopes: readonly Scope[];
  /** Spans of the request that were rejected (invalid ids); they are not in `spans`. */
  readonly rejectedSpans: number;
  /** Why spans were rejected (first reason and how often), '' when none were. */
  readonly rejectionMessage: string;
}
