// Nesting by time containment for flat msgflux traffic (docs/msgflux-wire.md#flat-traces: every module call is its own one-span
// trace). The result is a function of the set of spans, not of their arrival order: spans are kept in start
// order (the store's row order) and one stack sweep gives each the innermost earlier span that contains it.
import type { RowList } from './rowList';

/** What the sweep reads of the store: row order, containment in time, current parent. */
export interface NestingRows {
  /** Start order: negative when row a sorts before row b. */
  compare(a: number, b: number): number;
  /** Whether `a` (earlier or equal in start order) contains `b` in time. */
  contains(a: number, b: number): boolean;
  /** The row's current parent, -1 for none. */
  parentOf(row: number): number;
}

/**
 * Merges `pending` into `sorted` (both modified: pending is sorted and emptied, sorted grows) and returns the
 * index from which the sweep must run again: the last top-level row before the first new one, whose sweep
 * state (an empty stack) the new rows cannot change.
 */
export function mergeInferable(sorted: RowList, pending: RowList, rows: NestingRows): number {
  if (pending.length === 0) return sorted.length;
  const add = pending.toArray().sort((a, b) => rows.compare(a, b));
  pending.clear();
  let i = sorted.length - 1;
  let k = add.length - 1;
  for (let p = 0; p < add.length; p++) sorted.push(add[0]!);
  const items = sorted.items;
  let w = sorted.length - 1;
  while (k >= 0) {
    if (i >= 0 && rows.compare(items[i]!, add[k]!) > 0) items[w--] = items[i--]!;
    else items[w--] = add[k--]!;
  }
  const firstNew = w + 1;
  for (let j = firstNew - 1; j >= 0; j--) if (rows.parentOf(items[j]!) < 0) return j;
  return 0;
}

/**
 * Sweeps `sorted` from `from` (where the stack is known empty) and calls `setParent` for every row whose
 * inferred parent differs from its current one.
 */
export function sweepNesting(sorted: RowList, from: number, rows: NestingRows, setParent: (row: number, parent: number) => void): void {
  const stack: number[] = [];
  const items = sorted.items;
  for (let i = from; i < sorted.length; i++) {
    const cur = items[i]!;
    while (stack.length > 0 && !rows.contains(stack[stack.length - 1]!, cur)) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
    if (rows.parentOf(cur) !== parent) setParent(cur, parent);
    stack.push(cur);
  }
}
