// Whether two stored spans have the same rest bytes (attributes, events, links, status message as they came on
// the wire): the change scan's cheap test before it decodes anything (docs/compare.md, "What counts as changed").
// The bytes are RowReader.restBytes views of the stores' slabs, compared at once and not kept.
import type { TraceStore } from '../store/traceStore';

/** True when both rows hold byte-identical rest bytes (so identical attributes, events and status message). */
export function sameRestBytes(storeA: TraceStore, rowA: number, storeB: TraceStore, rowB: number): boolean {
  const a = storeA.rows.restBytes(rowA);
  const b = storeB.rows.restBytes(rowB);
  // A row evicted since the alignment has nothing left to compare (and its page may be gone).
  if (a === undefined || b === undefined) return true;
  const len = a.length;
  if (len !== b.length) return false;
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false;
  return true;
}
