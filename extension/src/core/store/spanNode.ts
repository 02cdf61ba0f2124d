// A view's handle on one stored span (or a placeholder for a parent that has not arrived). The store keeps its
// spans as table rows (spanTable.ts), not objects: a SpanNode is made when a view asks for a span, is the same
// object for as long as a view holds it, and reads everything through the store. Its Span is materialized on
// first use and kept by the node.
import type { Span } from '../model/span';
import type { SpanClass } from '../semantics/spanClass';
import { SPAN_CLASSES } from '../semantics/spanClass';
import { SpanFacts } from '../../protocol/spanFacts';
import { F_CLASS_MASK, F_CLASS_SHIFT, F_EVICTED } from './spanTable';

/** What a node reads from its store (TraceStore implements it). */
export interface NodeSource {
  nodeSpan(row: number): Span | undefined;
  nodeParent(row: number): SpanNode | undefined;
  /** Children in start order, undefined when there are none. */
  nodeChildren(row: number): readonly SpanNode[] | undefined;
  nodeFlags(row: number): number;
}

/** For nodes outside a store (tests, views of one span): the span alone, no tree. */
class DetachedSource implements NodeSource {
  constructor(private readonly span: Span | undefined) {}
  nodeSpan(): Span | undefined {
    return this.span;
  }
  nodeParent(): undefined {
    return undefined;
  }
  nodeChildren(): undefined {
    return undefined;
  }
  nodeFlags(): number {
    return this.span ? 0 : SpanFacts.placeholder;
  }
}

/** Read-only for views: the store owns every fact. */
export class SpanNode {
  private cachedSpan: Span | undefined;

  constructor(
    private readonly source: NodeSource,
    /** The store's row: stable while the span is stored, never reused for another span. */
    readonly row: number,
    readonly traceId: string,
    readonly spanId: string,
  ) {}

  /** A node for a span outside any store. */
  static detached(span: Span | undefined, traceId: string, spanId: string): SpanNode {
    return new SpanNode(new DetachedSource(span), -1, traceId, spanId);
  }

  /** undefined while this is a placeholder for a parent that has not arrived (and after eviction). */
  get span(): Span | undefined {
    return (this.cachedSpan ??= this.source.nodeSpan(this.row));
  }

  get parent(): SpanNode | undefined {
    return this.source.nodeParent(this.row);
  }

  /** Children in start order; undefined when there are none. */
  get children(): readonly SpanNode[] | undefined {
    return this.source.nodeChildren(this.row);
  }

  get flags(): number {
    return this.source.nodeFlags(this.row);
  }

  get isPlaceholder(): boolean {
    return this.span === undefined;
  }

  /** Whether the edge to the parent is a guess from time containment (flat msgflux traffic). */
  get isInferredEdge(): boolean {
    return (this.flags & SpanFacts.inferredEdge) !== 0;
  }

  get isEvicted(): boolean {
    return (this.flags & F_EVICTED) !== 0;
  }

  /** The cached intrinsic class, or undefined when not computed yet. */
  get cachedClass(): SpanClass | undefined {
    const i = (this.flags & F_CLASS_MASK) >>> F_CLASS_SHIFT;
    return i === 0 ? undefined : SPAN_CLASSES[i - 1];
  }
}
