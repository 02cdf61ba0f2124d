// The aligned pairs of a comparison as the columns ComparisonRows sends: per pair its depth, each side's key,
// times (relative to the side's own run start), facts, the change bits and the rolled-up count. Read from the
// stores' row words: no span is decoded. Written as steps (core/compare/steps.ts), so the session builds the
// columns of two 100k-span runs in slices like the comparison itself.
import type { Alignment, RunSide } from '../core/compare/comparison';
import { STEP, type Steps, runAtOnce } from '../core/compare/steps';
import type { TraceStore } from '../core/store/traceStore';
import type { ComparisonColumns } from '../protocol/comparisonProtocol';
import { ROW_FACTS, SpanFacts } from '../protocol/spanFacts';
import { SPAN_CLASS_NAMES, type SpanClassName } from '../protocol/timelineProtocol';
import { type RowKeys, placeholderExtent } from './timelineRows';

const CLASS_INDEX = new Map<SpanClassName, number>(SPAN_CLASS_NAMES.map((c, i) => [c, i]));
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Keys of both sides' rows (-1 where a pair has no span on that side), A's spans then B's through one RowKeys
 * call: the first build of a comparison numbers them 0..n-1 without a map, and later builds keep each span's key.
 */
function pairKeys(keys: RowKeys, rowA: Int32Array, rowB: Int32Array, keyA: Int32Array, keyB: Int32Array): void {
  const n = rowA.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += (rowA[i]! >= 0 ? 1 : 0) + (rowB[i]! >= 0 ? 1 : 0);
  const present = new Int32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if (rowA[i]! >= 0) present[m++] = rowA[i]!;
  for (let i = 0; i < n; i++) if (rowB[i]! >= 0) present[m++] = rowB[i]!;
  const presentKeys = new Int32Array(m);
  keys.keysOf(present, presentKeys);
  m = 0;
  for (let i = 0; i < n; i++) keyA[i] = rowA[i]! >= 0 ? presentKeys[m++]! : -1;
  for (let i = 0; i < n; i++) keyB[i] = rowB[i]! >= 0 ? presentKeys[m++]! : -1;
}

interface SideColumns {
  readonly start: Float64Array;
  readonly duration: Float64Array;
  readonly flags: Uint8Array;
}

/** Times and facts of one side's rows; where a pair has no span there, zeros. */
function* sideColumns(side: RunSide, rows: Int32Array): Steps<SideColumns> {
  const n = rows.length;
  const start = new Float64Array(n);
  const duration = new Float64Array(n);
  const flags = new Uint8Array(n);
  const { store, run } = side;
  const reader = store.rows;
  const oMs = run.startMs;
  const oNs = run.startSubMsNanos;
  for (let i = 0; i < n; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const row = rows[i]!;
    if (row < 0 || !reader.has(row)) continue;
    const facts = reader.facts(row);
    flags[i] = facts & ROW_FACTS;
    if (facts & SpanFacts.placeholder) {
      const [lo, hi] = placeholderExtent(store, row, oMs, oNs);
      start[i] = round(lo);
      duration[i] = round(hi - lo);
    } else {
      const s = reader.relativeMs(row, false, oMs, oNs);
      start[i] = round(s);
      duration[i] = round(Math.max(0, reader.relativeMs(row, true, oMs, oNs) - s));
    }
  }
  return { start, duration, flags };
}

function labelOf(store: TraceStore, row: number): string {
  return store.rows.facts(row) & SpanFacts.placeholder ? `(missing parent ${store.rows.spanId(row)})` : store.rows.name(row);
}

/**
 * The columns of an alignment, its change bits and roll-up. `keys` gives both sides' keys, so both runs must
 * live in one store (rows are unique within a store): a key then names one span whichever side it is on.
 */
export function buildComparisonColumns(al: Alignment, changes: Uint16Array, changedBelow: Uint32Array, keys: RowKeys): ComparisonColumns {
  return runAtOnce(comparisonColumnSteps(al, changes, changedBelow, keys));
}

export function* comparisonColumnSteps(al: Alignment, changes: Uint16Array, changedBelow: Uint32Array, keys: RowKeys): Steps<ComparisonColumns> {
  if (al.a.store !== al.b.store) throw new Error('buildComparisonColumns: both runs must be in one store');
  const n = al.count;
  const keyA = new Int32Array(n);
  const keyB = new Int32Array(n);
  pairKeys(keys, al.rowA.subarray(0, n), al.rowB.subarray(0, n), keyA, keyB);
  yield;
  const a = yield* sideColumns(al.a, al.rowA);
  const b = yield* sideColumns(al.b, al.rowB);
  const cls = new Uint8Array(n);
  const name = new Int32Array(n);
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  let lastLabel: string | undefined;
  let lastName = -1;
  for (let i = 0; i < n; i++) {
    // Classes in context are the costly part (a few microseconds a span): yield more often.
    if ((i & (STEP / 4 - 1)) === STEP / 4 - 1) yield;
    const rowA = al.rowA[i]!;
    const useA = rowA >= 0 && al.a.store.rows.has(rowA);
    const store = useA ? al.a.store : al.b.store;
    const row = useA ? rowA : al.rowB[i]!;
    if (row < 0 || !store.rows.has(row)) {
      cls[i] = SPAN_CLASS_NAMES.length - 1;
      name[i] = nameOf('(gone)');
      continue;
    }
    cls[i] = CLASS_INDEX.get(store.classOf(row)) ?? SPAN_CLASS_NAMES.length - 1;
    name[i] = nameOf(labelOf(store, row));
  }
  return {
    count: n,
    depth: al.depth.subarray(0, n),
    keyA,
    keyB,
    startA: a.start,
    durationA: a.duration,
    startB: b.start,
    durationB: b.duration,
    cls,
    flagsA: a.flags,
    flagsB: b.flags,
    change: changes.subarray(0, n),
    changedBelow: changedBelow.subarray(0, n),
    match: al.match.subarray(0, n),
    name,
    names,
  };

  // Neighbouring pairs often share a name (siblings of a loop): skip the map then.
  function nameOf(label: string): number {
    if (label === lastLabel) return lastName;
    let ni = nameIndex.get(label);
    if (ni === undefined) {
      ni = names.length;
      names.push(label);
      nameIndex.set(label, ni);
    }
    lastLabel = label;
    lastName = ni;
    return ni;
  }
}
