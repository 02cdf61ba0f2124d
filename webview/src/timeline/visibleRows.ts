// Which rows are on the list after collapsing and filtering, in one pass over the depth-first rows (the
// jaeger-ui generateRowStates idea): skipping a collapsed subtree is a jump to its subtreeEnd.
import type { RowModel } from './rowModel';

/**
 * @param collapsed row indices whose descendants are hidden
 * @param shown when given, only rows with shown[i] = 1 appear ("matches only", with their ancestors marked by the caller)
 */
export function visibleRows(model: RowModel, collapsed: ReadonlySet<number>, shown?: Uint8Array): Int32Array {
  const out = new Int32Array(model.count);
  let n = 0;
  let i = 0;
  while (i < model.count) {
    if (shown && !shown[i]) {
      i++;
      continue;
    }
    out[n++] = i;
    i = collapsed.has(i) ? model.subtreeEnd[i]! : i + 1;
  }
  return out.subarray(0, n);
}

/** Marks the matches and every ancestor of a match, so "matches only" keeps the path to each match. */
export function withAncestors(model: RowModel, matches: Uint8Array): Uint8Array {
  const shown = new Uint8Array(model.count);
  for (let i = 0; i < model.count; i++) {
    if (!matches[i]) continue;
    for (let p = i; p >= 0 && !shown[p]; p = model.parent[p]!) shown[p] = 1;
  }
  return shown;
}
