// Nesting by time containment for flat msgflux traffic (WIRE.md §3.1: every module call is its own one-span
// trace). The result is a function of the set of spans, not of their arrival order: spans are kept in start
// order (compareByStart) and one stack sweep gives each the innermost earlier span that contains it.
import { type SpanNode, compareByStart } from './spanNode';

/** Whether `a` (earlier or equal in start order) contains `b` in time. */
function contains(a: SpanNode, b: SpanNode): boolean {
  const sa = a.span!;
  const sb = b.span!;
  return sb.endMs < sa.endMs || (sb.endMs === sa.endMs && sb.endSubMsNanos <= sa.endSubMsNanos);
}

/**
 * Merges `pending` into `sorted` (both modified: pending is sorted, sorted grows) and returns the index from
 * which the sweep must run again: the last top-level node before the first new one, whose sweep state (an
 * empty stack) the new nodes cannot change.
 */
export function mergeInferable(sorted: SpanNode[], pending: SpanNode[]): number {
  if (pending.length === 0) return sorted.length;
  pending.sort(compareByStart);
  let i = sorted.length - 1;
  let k = pending.length - 1;
  for (let p = 0; p < pending.length; p++) sorted.push(pending[0]!);
  let w = sorted.length - 1;
  while (k >= 0) {
    if (i >= 0 && compareByStart(sorted[i]!, pending[k]!) > 0) sorted[w--] = sorted[i--]!;
    else sorted[w--] = pending[k--]!;
  }
  const firstNew = w + 1;
  for (let j = firstNew - 1; j >= 0; j--) if (sorted[j]!.parent === undefined) return j;
  return 0;
}

/**
 * Sweeps `sorted` from `from` (where the stack is known empty) and calls `setParent` for every node whose
 * inferred parent differs from its current one.
 */
export function sweepNesting(sorted: readonly SpanNode[], from: number, setParent: (node: SpanNode, parent: SpanNode | undefined) => void): void {
  const stack: SpanNode[] = [];
  for (let i = from; i < sorted.length; i++) {
    const cur = sorted[i]!;
    while (stack.length > 0 && !contains(stack[stack.length - 1]!, cur)) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1] : undefined;
    if (cur.parent !== parent) setParent(cur, parent);
    stack.push(cur);
  }
}
