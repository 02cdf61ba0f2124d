// What changed below each pair (docs/compare.md, "Roll-up"): how many pairs of its subtree changed and which
// kinds of change occur there, so a collapsed row can say "3 changes below" and "changed only" can keep the
// path to a change. One pass from the last pair to the first: pairs are depth-first, children after parents.
import { ANY_CHANGE, type Alignment, type RollUp } from './comparison';

export function rollUp(al: Alignment, changes: Uint16Array): RollUp {
  const changedBelow = new Uint32Array(al.count);
  const changesBelow = new Uint16Array(al.count);
  for (let p = al.count - 1; p >= 0; p--) {
    const own = changes[p]! & ANY_CHANGE;
    if (own !== 0) changedBelow[p]!++;
    changesBelow[p]! |= own;
    const parent = al.parent[p]!;
    if (parent >= 0) {
      changedBelow[parent]! += changedBelow[p]!;
      changesBelow[parent]! |= changesBelow[p]!;
    }
  }
  return { changedBelow, changesBelow };
}
