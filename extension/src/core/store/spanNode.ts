// One span in the store's tree, or a placeholder for a parent that has not arrived. Kept small (six fields)
// because there is one per stored span; everything else is derived on demand or read from the Span.
import type { Span } from '../model/span';
import type { SpanClass } from '../semantics/spanClass';
import { SPAN_CLASSES } from '../semantics/spanClass';

// Bits of SpanNode.flags (plain constants: they inline, an enum lookup would not).
/** bits 0-3: the intrinsic class index + 1 (0 = not computed yet). */
export const CLASS_MASK = 0xf;
/** The edge to `parent` was inferred by time containment, not sent as parentSpanId. */
export const INFERRED_EDGE = 1 << 4;
/** Takes part in nesting inference: a root span of flat msgflux traffic. */
export const INFERABLE = 1 << 5;
/** `children` may be out of start order. */
export const CHILDREN_UNSORTED = 1 << 6;
/** `children` may hold entries that moved away or were evicted. */
export const CHILDREN_STALE = 1 << 7;
export const EVICTED = 1 << 8;
/** Scratch bit for de-duplicating passes; always clear between calls. */
export const MARK = 1 << 9;

/**
 * Read-only for views: the store owns every field. `children` is in start order only as returned by
 * TraceStore.children(); read it through the store.
 */
export class SpanNode {
  constructor(
    /** undefined while this is a placeholder for a parent that has not arrived. */
    public span: Span | undefined,
    public readonly traceId: string,
    public readonly spanId: string,
    public parent: SpanNode | undefined = undefined,
    public children: SpanNode[] | undefined = undefined,
    public flags = 0,
  ) {}

  get isPlaceholder(): boolean {
    return this.span === undefined;
  }

  /** Whether the edge to the parent is a guess from time containment (flat msgflux traffic). */
  get isInferredEdge(): boolean {
    return (this.flags & INFERRED_EDGE) !== 0;
  }

  get isEvicted(): boolean {
    return (this.flags & EVICTED) !== 0;
  }

  /** The cached intrinsic class, or undefined when not computed yet. */
  get cachedClass(): SpanClass | undefined {
    const i = this.flags & CLASS_MASK;
    return i === 0 ? undefined : SPAN_CLASSES[i - 1];
  }
}

/** Start order: earlier start first, then the longer span (the container) first, then span id for determinism. */
export function compareByStart(a: SpanNode, b: SpanNode): number {
  const sa = a.span;
  const sb = b.span;
  if (!sa || !sb) return placeholderStart(a) - placeholderStart(b) || (sa ? 1 : sb ? -1 : 0) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
  return (
    sa.startMs - sb.startMs ||
    sa.startSubMsNanos - sb.startSubMsNanos ||
    sb.endMs - sa.endMs ||
    sb.endSubMsNanos - sa.endSubMsNanos ||
    (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0)
  );
}

/** A placeholder sorts where its earliest known child starts (in ms; placeholders are rare). */
function placeholderStart(n: SpanNode): number {
  if (n.span) return n.span.startMs + n.span.startSubMsNanos / 1e6;
  let min = Infinity;
  if (n.children) for (const c of n.children) if (c.parent === n && c.span) min = Math.min(min, c.span.startMs + c.span.startSubMsNanos / 1e6);
  return min;
}
