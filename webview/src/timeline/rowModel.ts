// The rows of a run as the page keeps them: the typed columns of the state message (viewed in place, not
// copied), plus the tree facts every later pass needs (parent, end of subtree), so collapse, filter and
// critical path are linear passes.
import { type RowColumns } from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';

/** The state's columns, plus what the page derives from them once. */
export interface RowModel extends RowColumns {
  /** Row index of the parent, -1 for top-level rows. */
  readonly parent: Int32Array;
  /** One past the last row of the subtree (rows are depth-first). */
  readonly subtreeEnd: Int32Array;
  /** Earliest start and latest end over all rows (ms from the run's start). */
  readonly minTime: number;
  readonly maxTime: number;
  indexOfKey(key: number): number;
}

export function buildRowModel(rows: RowColumns): RowModel {
  const n = rows.count;
  const { key, depth, start, duration, cls, flags, name } = rows;
  const parent = new Int32Array(n);
  const subtreeEnd = new Int32Array(n);
  // A stack of open ancestors: row i's parent is the nearest open row with a smaller depth.
  const stack = new Int32Array(n + 1);
  let top = 0;
  let minTime = n > 0 ? Infinity : 0;
  let maxTime = n > 0 ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    const d = depth[i]!;
    while (top > 0 && depth[stack[top - 1]!]! >= d) subtreeEnd[stack[--top]!] = i;
    parent[i] = top > 0 ? stack[top - 1]! : -1;
    stack[top++] = i;
    if (!(flags[i]! & SpanFacts.placeholder) || duration[i]! > 0) {
      if (start[i]! < minTime) minTime = start[i]!;
      if (start[i]! + duration[i]! > maxTime) maxTime = start[i]! + duration[i]!;
    }
  }
  while (top > 0) subtreeEnd[stack[--top]!] = n;
  if (minTime === Infinity) minTime = maxTime = 0;
  const { eventRow, eventTime, eventException } = rows;
  let keyIndex: Map<number, number> | undefined;
  return {
    count: n,
    key,
    depth,
    start,
    duration,
    cls,
    flags,
    name,
    names: rows.names,
    parent,
    subtreeEnd,
    eventRow,
    eventTime,
    eventException,
    minTime,
    maxTime,
    indexOfKey(k: number): number {
      // Keys are unique, and the first state of a run numbers its rows 0..n-1.
      if (k >= 0 && k < n && key[k] === k) return k;
      // Built on first use: most states are looked up by key only after an update or a search.
      if (!keyIndex) {
        keyIndex = new Map();
        for (let i = 0; i < n; i++) keyIndex.set(key[i]!, i);
      }
      return keyIndex.get(k) ?? -1;
    },
  };
}

/** First index in eventRow holding `row` (eventRow is sorted), or eventRow.length. */
export function firstEventOf(model: RowModel, row: number): number {
  let lo = 0;
  let hi = model.eventRow.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (model.eventRow[mid]! < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
