// The aligned rows of a comparison as the page keeps them: the host's columns (viewed in place), plus the rows
// the shared timeline parts list (RowList, selection, labels, zoom): one row per pair, spanning both lanes,
// keyed so a live update keeps selection and collapse. No DOM, so it is tested in plain Node.
import { type ComparisonColumns, PAIR_ANY_CHANGE, PAIR_CHANGE_NAMES, PairChange } from '../../../extension/src/protocol/comparisonProtocol';
import type { RowColumns } from '../../../extension/src/protocol/timelineProtocol';

export interface ComparisonModel {
  readonly columns: ComparisonColumns;
  /** One row per pair for the timeline's list: key from pairKey, times covering both lanes, facts of both sides. */
  readonly rows: RowColumns;
  /** changed[i] = 1 for pairs with any change (one-sided ones included). */
  readonly changed: Uint8Array;
  readonly changedCount: number;
}

/**
 * The page's key of a pair: A's span key when it has one (even) else B's (odd). A span keeps its key while the
 * comparison is shown, so a pair keeps its key across live updates as long as its A span stays.
 */
export function pairKey(keyA: number, keyB: number): number {
  return keyA >= 0 ? keyA * 2 : keyB * 2 + 1;
}

export function buildComparisonModel(c: ComparisonColumns): ComparisonModel {
  const n = c.count;
  const key = new Int32Array(n);
  const start = new Float64Array(n);
  const duration = new Float64Array(n);
  const flags = new Uint8Array(n);
  const changed = new Uint8Array(n);
  let changedCount = 0;
  for (let i = 0; i < n; i++) {
    const hasA = c.keyA[i]! >= 0;
    const hasB = c.keyB[i]! >= 0;
    key[i] = pairKey(c.keyA[i]!, c.keyB[i]!);
    const s = Math.min(hasA ? c.startA[i]! : Infinity, hasB ? c.startB[i]! : Infinity);
    const e = Math.max(hasA ? c.startA[i]! + c.durationA[i]! : -Infinity, hasB ? c.startB[i]! + c.durationB[i]! : -Infinity);
    start[i] = s === Infinity ? 0 : s;
    duration[i] = e === -Infinity ? 0 : Math.max(0, e - start[i]!);
    flags[i] = c.flagsA[i]! | c.flagsB[i]!;
    if (c.change[i]! & PAIR_ANY_CHANGE) {
      changed[i] = 1;
      changedCount++;
    }
  }
  const rows: RowColumns = {
    count: n,
    key,
    depth: c.depth,
    start,
    duration,
    cls: c.cls,
    flags,
    name: c.name,
    names: c.names,
    eventRow: new Int32Array(0),
    eventTime: new Float64Array(0),
    eventException: new Uint8Array(0),
  };
  return { columns: c, rows, changed, changedCount };
}

export type ChangeKind = 'removed' | 'added' | 'modified' | 'same';

export function changeKind(change: number): ChangeKind {
  if (change & PairChange.onlyA) return 'removed';
  if (change & PairChange.onlyB) return 'added';
  return change & PAIR_ANY_CHANGE ? 'modified' : 'same';
}

/** The gutter mark of a row: − only in A, + only in B, ~ changed. */
export const CHANGE_MARKS: Readonly<Record<ChangeKind, string>> = { removed: '−', added: '+', modified: '~', same: '' };

/** What changed, in words ("duration, tool result"); '' when nothing did. */
export function describeChange(change: number): string {
  return PAIR_CHANGE_NAMES.filter(([bit]) => change & bit).map(([, name]) => name).join(', ');
}

/**
 * The page keys of the pairs holding these span keys (the host's search answers with span keys of either run).
 */
export function pairKeysOfSpans(model: ComparisonModel, spanKeys: readonly number[]): number[] {
  const c = model.columns;
  const rowOfSpan = new Map<number, number>();
  for (let i = 0; i < c.count; i++) {
    if (c.keyA[i]! >= 0) rowOfSpan.set(c.keyA[i]!, i);
    if (c.keyB[i]! >= 0) rowOfSpan.set(c.keyB[i]!, i);
  }
  const out = new Set<number>();
  for (const k of spanKeys) {
    const row = rowOfSpan.get(k);
    if (row !== undefined) out.add(model.rows.key[row]!);
  }
  return [...out];
}

/** Each side's keys of the row with this page key, for the details request; undefined when it is not a row. */
export function sideKeysOf(model: ComparisonModel, row: number): { keyA: number; keyB: number } | undefined {
  if (row < 0 || row >= model.columns.count) return undefined;
  return { keyA: model.columns.keyA[row]!, keyB: model.columns.keyB[row]! };
}
