// A store row seen as a ClassifiableNode, for the context rules of semantics/classification.ts when a view
// classifies rows (the timeline) instead of nodes: made for one classification, its "span" is a probe with the
// name, kind, scope and span.type the rules read, so no span is decoded.
import type { Span } from '../model/span';
import type { ClassifiableNode } from '../semantics/classification';
import type { SpanClass } from '../semantics/spanClass';

/** What a RowNode reads of its store (TraceStore implements it). */
export interface RowSource {
  rowProbe(row: number): Span | undefined;
  rowParent(row: number): number;
  childRows(row: number): Int32Array;
  intrinsicClassOfRow(row: number): SpanClass;
}

export class RowNode implements ClassifiableNode {
  private probe: Span | undefined | null = null;
  private kids: readonly RowNode[] | undefined | null = null;

  constructor(
    private readonly store: RowSource,
    readonly row: number,
  ) {}

  get span(): Span | undefined {
    if (this.probe === null) this.probe = this.store.rowProbe(this.row);
    return this.probe;
  }

  get parent(): RowNode | undefined {
    const p = this.store.rowParent(this.row);
    return p >= 0 ? new RowNode(this.store, p) : undefined;
  }

  get children(): readonly RowNode[] | undefined {
    if (this.kids === null) {
      const rows = this.store.childRows(this.row);
      this.kids = rows.length === 0 ? undefined : Array.from(rows, r => new RowNode(this.store, r));
    }
    return this.kids;
  }

  intrinsicClass(): SpanClass {
    return this.store.intrinsicClassOfRow(this.row);
  }
}
