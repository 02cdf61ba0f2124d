// The runs' span trees, kept in the rows' link words (spanTable.ts W_PARENT, W_FIRST_CHILD, W_NEXT, W_PREV):
// child lists are linked in arrival order, newest first, at no cost per span beyond a few stores, and sorted
// when a view reads them. A sorted list is cached per parent until that list changes (docs/store.md).
import { SpanFacts } from '../../protocol/spanFacts';
import type { Run } from './run';
import { F_EVICTED, type SpanTable, W_END, W_FIRST_CHILD, W_FLAGS, W_NEXT, W_PARENT, W_PREV, W_SPAN, W_START } from './spanTable';

export const NO_ROWS = new Int32Array(0);

export class SpanForest {
  private sortedChildren = new Map<number, Int32Array>();

  constructor(private readonly table: SpanTable) {}

  /** Start order: earlier start first, then the longer span (the container), then span id; placeholders first on ties. */
  compare(a: number, b: number): number {
    const t = this.table;
    const c = t.compareTime(a, W_START, b, W_START);
    if (c !== 0) return c;
    const pa = t.get(a, W_FLAGS) & SpanFacts.placeholder;
    const pb = t.get(b, W_FLAGS) & SpanFacts.placeholder;
    if (pa !== pb) return pa ? -1 : 1;
    return t.compareTime(b, W_END, a, W_END) || t.get(a, W_SPAN) - t.get(b, W_SPAN) || t.get(a, W_SPAN + 1) - t.get(b, W_SPAN + 1);
  }

  /** The row's parent row, -1 at the top level (and once evicted). */
  parentOf(row: number): number {
    return this.table.flags(row) & F_EVICTED ? -1 : this.table.link(row, W_PARENT);
  }

  linkChild(parent: number, row: number): void {
    const t = this.table;
    const first = t.link(parent, W_FIRST_CHILD);
    t.set(row, W_NEXT, first);
    t.set(row, W_PREV, -1);
    if (first >= 0) t.set(first, W_PREV, row);
    t.set(parent, W_FIRST_CHILD, row);
    t.set(row, W_PARENT, parent);
    this.sortedChildren.delete(parent);
  }

  linkRoot(run: Run, row: number): void {
    const t = this.table;
    const first = run.firstRoot;
    t.set(row, W_NEXT, first);
    t.set(row, W_PREV, -1);
    if (first >= 0) t.set(first, W_PREV, row);
    run.firstRoot = row;
    t.set(row, W_PARENT, -1);
    run.sortedRoots = undefined;
  }

  /** Takes the row out of its parent's (or its run's top-level) list. */
  unlink(run: Run, row: number): void {
    const t = this.table;
    const prev = t.link(row, W_PREV);
    const next = t.link(row, W_NEXT);
    const parent = t.link(row, W_PARENT);
    if (prev >= 0) t.set(prev, W_NEXT, next);
    else if (parent >= 0) t.set(parent, W_FIRST_CHILD, next);
    else run.firstRoot = next;
    if (next >= 0) t.set(next, W_PREV, prev);
    if (parent >= 0) this.sortedChildren.delete(parent);
    else run.sortedRoots = undefined;
    t.set(row, W_PARENT, -1);
    t.set(row, W_NEXT, -1);
    t.set(row, W_PREV, -1);
  }

  /**
   * A stored row's children in start order, as linked now: the caller brings inferred nesting up to date first,
   * and checks that the row is still stored (this runs once per row of a flatten).
   */
  sortedChildrenOf(row: number): Int32Array {
    let list = this.sortedChildren.get(row);
    if (list === undefined) {
      const first = this.table.link(row, W_FIRST_CHILD);
      if (first < 0) return NO_ROWS;
      list = this.collectSorted(first);
      this.sortedChildren.set(row, list);
    }
    return list;
  }

  /** A run's top-level rows in start order (as linked now). */
  sortedRootsOf(run: Run): Int32Array {
    return (run.sortedRoots ??= this.collectSorted(run.firstRoot));
  }

  private collectSorted(first: number): Int32Array {
    const t = this.table;
    let n = 0;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) n++;
    const out = new Int32Array(n);
    n = 0;
    let sorted = true;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) {
      out[n] = r;
      if (n > 0 && sorted && this.compare(out[n - 1]!, r) > 0) sorted = false;
      n++;
    }
    // Lists are linked newest first: reversed, spans that arrived in start order are sorted already.
    if (!sorted) {
      out.reverse();
      let again = true;
      for (let i = 1; i < n && again; i++) if (this.compare(out[i - 1]!, out[i]!) > 0) again = false;
      if (!again) out.sort((a, b) => this.compare(a, b));
    }
    return out;
  }

  /** Every row of the subtree at `root`, depth-first (pre-order, children in arrival order). */
  walk(root: number, visit: (row: number) => void): void {
    const t = this.table;
    const stack = [root];
    while (stack.length > 0) {
      const r = stack.pop()!;
      visit(r);
      for (let c = t.link(r, W_FIRST_CHILD); c >= 0; c = t.link(c, W_NEXT)) stack.push(c);
    }
  }

  /** Every row of a run, depth-first from each top-level row. */
  walkRun(run: Run, visit: (row: number) => void): void {
    for (let r = run.firstRoot; r >= 0; r = this.table.link(r, W_NEXT)) this.walk(r, visit);
  }

  /** Drops what is cached for a row that is going away. */
  forget(row: number): void {
    this.sortedChildren.delete(row);
  }

  clear(): void {
    this.sortedChildren = new Map();
  }
}
