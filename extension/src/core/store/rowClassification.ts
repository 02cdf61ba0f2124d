// A row's class in its tree (docs/store.md, "Classification"): the intrinsic class kept at ingest, refined by
// the context rules of semantics/classification.ts for msgflux module spans only. The rules walk parents and
// children as ClassifiableNodes; here each row they visit gets one adapter for the whole classification (so
// `child.parent === node` holds, as the rules check), whose span is the reader's probe: no span is decoded.
import type { Span } from '../model/span';
import { type ClassifiableNode, refineClass } from '../semantics/classification';
import type { SpanClass } from '../semantics/spanClass';
import type { RowReader } from './rowReader';

/** What classification reads of the tree, with inferred nesting already up to date. */
export interface ClassTree {
  parentOf(row: number): number;
  childrenOf(row: number): Int32Array;
}

class RowContext implements ClassifiableNode {
  private probe: Span | undefined | null = null;
  private kids: readonly RowContext[] | undefined | null = null;

  constructor(
    private readonly walk: ContextWalk,
    readonly row: number,
  ) {}

  get span(): Span | undefined {
    if (this.probe === null) this.probe = this.walk.reader.classProbe(this.row);
    return this.probe;
  }

  get parent(): RowContext | undefined {
    const p = this.walk.tree.parentOf(this.row);
    return p >= 0 ? this.walk.at(p) : undefined;
  }

  get children(): readonly RowContext[] | undefined {
    if (this.kids === null) {
      const rows = this.walk.tree.childrenOf(this.row);
      this.kids = rows.length === 0 ? undefined : Array.from(rows, r => this.walk.at(r));
    }
    return this.kids;
  }
}

/** The adapters of one classification. */
class ContextWalk {
  private readonly seen = new Map<number, RowContext>();

  constructor(
    readonly reader: RowReader,
    readonly tree: ClassTree,
  ) {}

  at(row: number): RowContext {
    let c = this.seen.get(row);
    if (c === undefined) this.seen.set(row, (c = new RowContext(this, row)));
    return c;
  }
}

export function classOfRow(reader: RowReader, tree: ClassTree, row: number): SpanClass {
  const intrinsic = reader.intrinsicClass(row);
  // Only msgflux module spans are refined by their neighbours (semantics/classification.ts CONTEXT_RULES).
  if (intrinsic !== 'flow' && intrinsic !== 'module') return intrinsic;
  return refineClass(new ContextWalk(reader, tree).at(row), intrinsic, n => reader.intrinsicClass((n as RowContext).row));
}
