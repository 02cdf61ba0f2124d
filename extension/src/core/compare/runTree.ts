// One side of a comparison as flat typed arrays: the run's rows depth-first (children in start order, as
// store.flatten gives them), each with its parent, children links, match key and times relative to the run's
// start. Built once per side from row words only (name, intrinsic class, facts, times): no span is decoded, so
// aligning two 100k-span runs costs a few reads per span (docs/compare.md, "Cost").
import { SpanFacts } from '../../protocol/spanFacts';
import { SPAN_CLASSES, type SpanClass } from '../semantics/spanClass';
import type { RunSide } from './comparison';
import { STEP, type Steps } from './steps';

/**
 * Match keys shared by both sides: a span's key is its name and the class it has on its own (intrinsic, kept in
 * the row). The class in context is not used: it depends on the inferred nesting, which timing can change.
 */
export class KeyTable {
  private readonly names = new Map<string, number>();

  /** Key of a name and class index (0..7; 7 = placeholder). */
  key(name: string, classIndex: number): number {
    let id = this.names.get(name);
    if (id === undefined) this.names.set(name, (id = this.names.size));
    return id * 8 + classIndex;
  }

  /** One past the largest key handed out so far. */
  get size(): number {
    return this.names.size * 8;
  }
}

const PLACEHOLDER_CLASS = 7;
const CLASS_INDEX = new Map<SpanClass, number>(SPAN_CLASSES.map((c, i) => [c, i]));
export const classIndexOf = (cls: SpanClass): number => CLASS_INDEX.get(cls)!;
export const FUNCTIONAL_CLASS = classIndexOf('functional');

export interface RunTree {
  readonly side: RunSide;
  /** Spans (and placeholders) of the run. Index n is a virtual root whose children are the run's top level. */
  readonly n: number;
  /** Flat index (preorder) → store row. */
  readonly rows: Int32Array;
  /** Flat index of the parent; n (the virtual root) at the top level. */
  readonly parent: Int32Array;
  /** First child and next sibling, in start order; -1 when none. Sized n + 1 (the virtual root's children). */
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly key: Int32Array;
  /** Intrinsic class index (placeholder = 7). */
  readonly classIndex: Uint8Array;
  /** Start and end in nanoseconds from the run's start (exact for runs shorter than ~104 days). */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Whether any span reports token usage or cost (SpanFacts.hasUsage): without one, usage needs no pass. */
  readonly hasUsage: boolean;
}

export function* buildRunTree(side: RunSide, keys: KeyTable): Steps<RunTree> {
  const { store, run } = side;
  const flat = store.flatten(run);
  yield;
  const n = flat.rows.length;
  const rows = flat.rows;
  const parent = new Int32Array(n);
  const firstChild = new Int32Array(n + 1).fill(-1);
  const nextSibling = new Int32Array(n + 1).fill(-1);
  const lastChild = new Int32Array(n + 1).fill(-1);
  const key = new Int32Array(n);
  const classIndex = new Uint8Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  // Parents by depth: the flattened rows are depth-first, so a row's parent is the last row one level up.
  const stack = new Int32Array(Math.max(1, flat.depths.reduce((m, d) => Math.max(m, d), 0) + 2));
  stack[0] = n;
  const r = store.rows;
  const originMs = run.startMs;
  const originNs = run.startSubMsNanos;
  let hasUsage = false;
  for (let i = 0; i < n; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const row = rows[i]!;
    const d = flat.depths[i]!;
    const p = stack[d]!;
    stack[d + 1] = i;
    parent[i] = p;
    if (lastChild[p]! < 0) firstChild[p] = i;
    else nextSibling[lastChild[p]!] = i;
    lastChild[p] = i;
    const facts = r.facts(row);
    if (facts & SpanFacts.hasUsage) hasUsage = true;
    const cls = facts & SpanFacts.placeholder ? PLACEHOLDER_CLASS : CLASS_INDEX.get(r.intrinsicClass(row))!;
    classIndex[i] = cls;
    key[i] = keys.key(r.name(row), cls);
    start[i] = (r.ms(row) - originMs) * 1_000_000 + (r.subMsNanos(row) - originNs);
    end[i] = (r.ms(row, true) - originMs) * 1_000_000 + (r.subMsNanos(row, true) - originNs);
  }
  return { side, n, rows, parent, firstChild, nextSibling, key, classIndex, start, end, hasUsage };
}

/**
 * Self time of every span of the tree (duration minus the time its children cover, clipped to the span), the
 * same rule as store.selfTimeNanos, computed for all spans in one pass over the arrays.
 */
export function* selfTimes(t: RunTree): Steps<Float64Array> {
  const out = new Float64Array(t.n);
  for (let i = 0; i < t.n; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    if (t.classIndex[i] === PLACEHOLDER_CLASS) continue;
    const s = t.start[i]!;
    const e = t.end[i]!;
    let covered = 0;
    let reach = s;
    for (let c = t.firstChild[i]!; c >= 0; c = t.nextSibling[c]!) {
      if (t.classIndex[c] === PLACEHOLDER_CLASS) continue;
      const cs = Math.max(reach, t.start[c]!);
      const ce = Math.min(e, t.end[c]!);
      if (ce > cs) {
        covered += ce - cs;
        reach = ce;
      }
    }
    out[i] = Math.max(0, e - s - covered);
  }
  return out;
}

export function isPlaceholder(t: RunTree, i: number): boolean {
  return t.classIndex[i] === PLACEHOLDER_CLASS;
}
