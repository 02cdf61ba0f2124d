// What differs for each pair of an alignment, as Change bits (docs/compare.md, "What counts as changed"). Cheap
// first: status and times come from row words; the rest bytes (attributes, events, status message) are compared
// raw, and only pairs whose bytes differ are decoded and compared fact by fact (spanContent.ts).
import type { TraceStore } from '../store/traceStore';
import { alignmentTrees } from './alignment';
import { type Alignment, Change, MatchKind } from './comparison';
import { sameRestBytes } from './restBytes';
import { isPlaceholder, selfTimes } from './runTree';
import { type SpanContent, sameAttributes, sameUsage, spanContent } from './spanContent';
import { STEP, type SliceOptions, type Steps, runAtOnce, runInSlices } from './steps';

/**
 * Timing noise: a duration (or self time) counts as changed when it moved by at least this many nanoseconds AND
 * by at least this share of A's value. Both, so a 2 µs span that took 4 µs and a 40 s run that took 40.5 s do
 * not show as changes, while 10 ms → 12 ms does.
 */
export const TIME_NOISE = { nanos: 1_000_000, share: 0.1 } as const;

export function timeChanged(a: number, b: number): boolean {
  const d = Math.abs(b - a);
  return d >= TIME_NOISE.nanos && d >= TIME_NOISE.share * Math.abs(a);
}

/** Change bits of every pair (Change.*), at once. */
export function scanChanges(al: Alignment): Uint16Array {
  return runAtOnce(scanSteps(al));
}

/** The same in slices, yielding to the event loop between them; undefined when cancelled. */
export function scanChangesSliced(al: Alignment, options?: SliceOptions): Promise<Uint16Array | undefined> {
  return runInSlices(scanSteps(al), options);
}

export function* scanSteps(al: Alignment): Steps<Uint16Array> {
  const { a: tA, b: tB, indexA, indexB } = alignmentTrees(al);
  const selfA = yield* selfTimes(tA);
  const selfB = yield* selfTimes(tB);
  const storeA = al.a.store;
  const storeB = al.b.store;
  const out = new Uint16Array(al.count);
  for (let p = 0; p < al.count; p++) {
    if ((p & (STEP - 1)) === STEP - 1) yield;
    const kind = al.match[p];
    if (kind === MatchKind.onlyA) {
      out[p] = Change.onlyA;
      continue;
    }
    if (kind === MatchKind.onlyB) {
      out[p] = Change.onlyB;
      continue;
    }
    const i = indexA[p]!;
    const j = indexB[p]!;
    // Placeholders (parents that never arrived) have no times or content of their own.
    if (isPlaceholder(tA, i) || isPlaceholder(tB, j)) continue;
    let bits = 0;
    if (timeChanged(tA.end[i]! - tA.start[i]!, tB.end[j]! - tB.start[j]!)) bits |= Change.duration;
    if (timeChanged(selfA[i]!, selfB[j]!)) bits |= Change.selfTime;
    const rowA = al.rowA[p]!;
    const rowB = al.rowB[p]!;
    if (storeA.rows.status(rowA) !== storeB.rows.status(rowB)) bits |= Change.status;
    if (!sameRestBytes(storeA, rowA, storeB, rowB)) bits |= contentChanges(contentOf(storeA, rowA, storeB, rowB), contentOf(storeB, rowB, storeA, rowA));
    out[p] = bits;
  }
  return out;
}

/** A tool on either side makes both read as tools, so their arguments and results are compared as such. */
function contentOf(store: TraceStore, row: number, other: TraceStore, otherRow: number): SpanContent | undefined {
  const span = store.rows.span(row);
  return span && spanContent(span, store.classOf(row) === 'tool' || other.classOf(otherRow) === 'tool');
}

/** Bits for what differs between two decoded spans. */
export function contentChanges(a: SpanContent | undefined, b: SpanContent | undefined): number {
  if (a === undefined || b === undefined) return 0;
  let bits = 0;
  if (a.statusMessage !== b.statusMessage) bits |= Change.status;
  if (a.model !== b.model) bits |= Change.model;
  if (!sameUsage(a.usage, b.usage)) bits |= Change.usage;
  if (a.toolArguments !== b.toolArguments) bits |= Change.toolArguments;
  if (a.toolResult !== b.toolResult) bits |= Change.toolResult;
  if (a.inputMessages !== b.inputMessages || a.outputMessages !== b.outputMessages) bits |= Change.messages;
  if (!sameAttributes(a.attributes, b.attributes)) bits |= Change.attributes;
  if (a.events !== b.events) bits |= Change.events;
  return bits;
}
