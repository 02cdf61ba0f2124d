// The runs' span trees, kept in the rows' link words (spanTable.ts W_PARENT, W_FIRST_CHILD, W_NEXT, W_PREV):
// a new child is linked first in its list, at no cost per span beyond a few stores; a list is put in start order
// in the links when a view reads it (so a depth-first walk needs no arrays), and as an array for paging, cached
// per parent until that list changes (docs/store.md).
import { SpanFacts } from '../../protocol/spanFacts';
import { type RowOrder, sortRows } from './rowOrder';
import type { Run } from './run';
import { F_EVICTED, type SpanTable, W_END, W_FIRST_CHILD, W_FLAGS, W_NEXT, W_PARENT, W_PREV, W_SPAN, W_START } from './spanTable';

export const NO_ROWS = new Int32Array(0);

export class SpanForest implements RowOrder {
  private sortedChildren = new Map<number, Int32Array>();
  /** Reused by sortLinks. */
  private scratch = new Int32Array(256);

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
    // Checked first: while no view has read a sorted list (a run being received), no Map work per link.
    if (this.sortedChildren.size > 0) this.sortedChildren.delete(parent);
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
    if (parent < 0) run.sortedRoots = undefined;
    else if (this.sortedChildren.size > 0) this.sortedChildren.delete(parent);
    t.set(row, W_PARENT, -1);
    t.set(row, W_NEXT, -1);
    t.set(row, W_PREV, -1);
  }

  /**
   * A stored row's children in start order, as linked now: the caller brings inferred nesting up to date first,
   * and checks that the row is still stored.
   */
  sortedChildrenOf(row: number): Int32Array {
    // Leaves (most rows) answer from the row, without a Map lookup.
    const first = this.table.link(row, W_FIRST_CHILD);
    if (first < 0) return NO_ROWS;
    let list = this.sortedChildren.get(row);
    if (list === undefined) {
      list = this.collect(this.firstChildInOrder(row));
      this.sortedChildren.set(row, list);
    }
    return list;
  }

  /** A run's top-level rows in start order (as linked now). */
  sortedRootsOf(run: Run): Int32Array {
    if (run.sortedRoots === undefined) {
      run.firstRoot = this.sortLinks(run.firstRoot);
      run.sortedRoots = this.collect(run.firstRoot);
    }
    return run.sortedRoots;
  }

  /**
   * The row's first child in start order, -1 for none, with its child list put in start order in the links
   * (W_NEXT), so a walk reads the children in order without an array: flatten() walks a whole run this way.
   */
  firstChildInOrder(row: number): number {
    const first = this.table.link(row, W_FIRST_CHILD);
    if (first < 0) return first;
    const sorted = this.sortLinks(first);
    if (sorted !== first) this.table.set(row, W_FIRST_CHILD, sorted);
    return sorted;
  }

  /**
   * Relinks the sibling list starting at `first` in start order and returns its new first row. A list already
   * in order costs one compare per row; lists are linked newest first, so one that arrived in start order is
   * reversed; the rest is sorted (rowOrder.ts). Only the order changes: cached sorted lists stay valid.
   */
  private sortLinks(first: number): number {
    const t = this.table;
    let n = 0;
    let ascending = true;
    let descending = true;
    for (let prev = -1, r = first; r >= 0; prev = r, r = t.link(r, W_NEXT)) {
      if (prev >= 0) {
        const c = this.compare(prev, r);
        if (c > 0) ascending = false;
        else if (c < 0) descending = false;
      }
      n++;
    }
    if (ascending) return first;
    let rows = this.scratch;
    if (rows.length < n) rows = this.scratch = new Int32Array(Math.max(n, rows.length * 2));
    n = 0;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) rows[n++] = r;
    const list = rows.subarray(0, n);
    if (descending) list.reverse();
    else sortRows(list, this);
    for (let i = 0; i < n; i++) {
      const r = list[i]!;
      t.set(r, W_PREV, i > 0 ? list[i - 1]! : -1);
      t.set(r, W_NEXT, i + 1 < n ? list[i + 1]! : -1);
    }
    return list[0]!;
  }

  /** The sibling list starting at `first`, in link order, as an array. */
  private collect(first: number): Int32Array {
    const t = this.table;
    let n = 0;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) n++;
    const out = new Int32Array(n);
    n = 0;
    for (let r = first; r >= 0; r = t.link(r, W_NEXT)) out[n++] = r;
    return out;
  }

  /** Every row of the subtree at `root`, depth-first (pre-order, children in link order: arrival or start). */
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
