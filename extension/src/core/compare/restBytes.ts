// Whether two stored spans have the same rest bytes (attributes, events, links, status message as they came on
// the wire): the change scan's cheap test before it decodes anything (docs/compare.md, "What counts as changed").
// RowReader has no accessor for the raw bytes (views never need them), so this one function reads the store's
// table through TypeScript's element-access escape hatch, read only; a `rows.restBytes(row)` would replace it.
import type { SpanTable } from '../store/spanTable';
import { W_REST_LEN } from '../store/spanTable';
import type { TraceStore } from '../store/traceStore';

function tableOf(store: TraceStore): SpanTable {
  return store['table'];
}

/** True when both rows hold byte-identical rest bytes (so identical attributes, events and status message). */
export function sameRestBytes(storeA: TraceStore, rowA: number, storeB: TraceStore, rowB: number): boolean {
  // A row evicted since the alignment has nothing left to compare (and its page may be gone).
  if (!storeA.rows.has(rowA) || !storeB.rows.has(rowB)) return true;
  const ta = tableOf(storeA);
  const tb = tableOf(storeB);
  const len = ta.get(rowA, W_REST_LEN);
  if (len !== tb.get(rowB, W_REST_LEN)) return false;
  if (len === 0) return true;
  const sa = ta.restSlab(rowA)!;
  const sb = tb.restSlab(rowB)!;
  const oa = ta.restOffset(rowA);
  const ob = tb.restOffset(rowB);
  for (let i = 0; i < len; i++) if (sa[oa + i] !== sb[ob + i]) return false;
  return true;
}
