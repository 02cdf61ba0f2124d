// Which span of run A is which span of run B (docs/compare.md, "Alignment"). The rules, in order:
//  1. path: under two matched parents (the runs themselves at the top), children of one class + name are paired
//     by their occurrence in start order: the k-th "Generator" of A with the k-th of B;
//  2. concurrency: when such a group runs concurrently (its spans overlap in time on either side, or its parent
//     is a fan-out op), start order means nothing, so the spans are paired by their recorded inputs (tool
//     arguments, input messages, ...) where those tell them apart (input), and the rest by order (order);
//  3. moved: spans still unmatched (inferred nesting put them under another parent, or their parent was
//     renamed) are paired by class + name + occurrence among the unmatched spans of the whole run, A in
//     depth-first order taking B's earliest unmatched span of its key; the children of a moved pair are matched
//     under it by rules 1-2;
//  4. the rest is only in A or only in B.
// Only row words are read (names, classes, times); spans are decoded for rule 2 alone. The result depends on the
// runs' trees, not on the order their spans arrived in.
import { type Alignment, MatchKind, type RunSide } from './comparison';
import { inputFingerprint } from './inputs';
import { FUNCTIONAL_CLASS, KeyTable, type RunTree, buildRunTree } from './runTree';
import { STEP, type SliceOptions, type Steps, runAtOnce, runInSlices } from './steps';

/** What the alignment computed on the way, kept for the change scan (same alignment object, no second build). */
export interface AlignmentTrees {
  readonly a: RunTree;
  readonly b: RunTree;
  /** Per pair: flat index in a / b, -1 on the missing side. */
  readonly indexA: Int32Array;
  readonly indexB: Int32Array;
}

const trees = new WeakMap<Alignment, AlignmentTrees>();

/** The run trees behind an alignment made by alignRuns; rebuilt (same result) for one made another way. */
export function alignmentTrees(al: Alignment): AlignmentTrees {
  let t = trees.get(al);
  if (t === undefined) {
    const keys = new KeyTable();
    const a = runAtOnce(buildRunTree(al.a, keys));
    const b = runAtOnce(buildRunTree(al.b, keys));
    const pos = (tree: RunTree) => {
      const at = new Map<number, number>();
      for (let i = 0; i < tree.n; i++) at.set(tree.rows[i]!, i);
      return at;
    };
    const posA = pos(a);
    const posB = pos(b);
    const indexA = new Int32Array(al.count);
    const indexB = new Int32Array(al.count);
    for (let p = 0; p < al.count; p++) {
      indexA[p] = al.rowA[p]! < 0 ? -1 : (posA.get(al.rowA[p]!) ?? -1);
      indexB[p] = al.rowB[p]! < 0 ? -1 : (posB.get(al.rowB[p]!) ?? -1);
    }
    t = { a, b, indexA, indexB };
    trees.set(al, t);
  }
  return t;
}

/** Aligns two runs at once (tests, the CLI): see the rules above. */
export function alignRuns(a: RunSide, b: RunSide): Alignment {
  return runAtOnce(alignSteps(a, b));
}

/** Aligns two runs in slices, yielding to the event loop between them; undefined when cancelled. */
export function alignRunsSliced(a: RunSide, b: RunSide, options?: SliceOptions): Promise<Alignment | undefined> {
  return runInSlices(alignSteps(a, b), options);
}

export function* alignSteps(sideA: RunSide, sideB: RunSide): Steps<Alignment> {
  const keys = new KeyTable();
  const A = yield* buildRunTree(sideA, keys);
  const B = yield* buildRunTree(sideB, keys);
  const m = new Matcher(A, B, keys.size);
  yield* m.matchByPath();
  yield* m.matchMoved();
  return yield* emit(A, B, m);
}

/** Rules 1-3 over the two trees; matchA / matchB hold the other side's flat index (-1: unmatched). */
class Matcher {
  readonly matchA: Int32Array;
  readonly matchB: Int32Array;
  readonly kindA: Uint8Array;
  // Scratch for one parent's children, reused: counts and offsets per key, children bucketed by key.
  private readonly cntA: Int32Array;
  private readonly cntB: Int32Array;
  private readonly offA: Int32Array;
  private readonly offB: Int32Array;
  private readonly bucketA: Int32Array;
  private readonly bucketB: Int32Array;
  private readonly touched: Int32Array;
  // A nodes whose children still need matching (their B counterpart is matchA).
  private readonly pending: Int32Array;
  private pendingCount = 0;
  private work = 0;

  constructor(
    private readonly A: RunTree,
    private readonly B: RunTree,
    keyCount: number,
  ) {
    this.matchA = new Int32Array(A.n + 1).fill(-1);
    this.matchB = new Int32Array(B.n + 1).fill(-1);
    this.kindA = new Uint8Array(A.n + 1);
    this.cntA = new Int32Array(keyCount);
    this.cntB = new Int32Array(keyCount);
    this.offA = new Int32Array(keyCount);
    this.offB = new Int32Array(keyCount);
    this.bucketA = new Int32Array(A.n + 1);
    this.bucketB = new Int32Array(B.n + 1);
    this.touched = new Int32Array(A.n + B.n + 1);
    this.pending = new Int32Array(A.n + 1);
  }

  *matchByPath(): Steps<void> {
    this.pair(this.A.n, this.B.n, MatchKind.path);
    yield* this.drain();
  }

  /** Rule 3: unmatched A spans in depth-first order take B's earliest unmatched span of their key. */
  *matchMoved(): Steps<void> {
    const { A, B } = this;
    const unmatchedB: number[] = [];
    for (let j = 0; j < B.n; j++) if (this.matchB[j]! < 0) unmatchedB.push(j);
    if (unmatchedB.length === 0) return;
    unmatchedB.sort((x, y) => B.start[x]! - B.start[y]! || x - y);
    yield;
    // B's unmatched spans bucketed by key, each bucket in start order; next[k] is where its scan resumes.
    const byKey = new Map<number, number[]>();
    for (const j of unmatchedB) {
      const k = B.key[j]!;
      let list = byKey.get(k);
      if (list === undefined) byKey.set(k, (list = []));
      list.push(j);
    }
    const next = new Map<number, number>();
    for (let i = 0; i < A.n; i++) {
      if (++this.work % STEP === 0) yield;
      if (this.matchA[i]! >= 0) continue;
      const k = A.key[i]!;
      const list = byKey.get(k);
      if (list === undefined) continue;
      let at = next.get(k) ?? 0;
      while (at < list.length && this.matchB[list[at]!]! >= 0) at++;
      next.set(k, at + 1);
      if (at >= list.length) continue;
      this.pair(i, list[at]!, MatchKind.moved);
      yield* this.drain();
    }
  }

  private pair(i: number, j: number, kind: MatchKind): void {
    this.matchA[i] = j;
    this.matchB[j] = i;
    this.kindA[i] = kind;
    this.pending[this.pendingCount++] = i;
  }

  /** Matches the children of every pending pair (rules 1-2), depth-first, until none is left. */
  private *drain(): Steps<void> {
    while (this.pendingCount > 0) {
      const i = this.pending[--this.pendingCount]!;
      this.matchChildren(i, this.matchA[i]!);
      if (this.work >= STEP) {
        this.work = 0;
        yield;
      }
    }
  }

  private matchChildren(pa: number, pb: number): void {
    const { A, B, cntA, cntB, offA, offB, bucketA, bucketB, touched } = this;
    let keysTouched = 0;
    let na = 0;
    let nb = 0;
    for (let c = A.firstChild[pa]!; c >= 0; c = A.nextSibling[c]!) {
      if (this.matchA[c]! >= 0) continue;
      const k = A.key[c]!;
      if (cntA[k] === 0 && cntB[k] === 0) touched[keysTouched++] = k;
      cntA[k]!++;
      na++;
    }
    if (na === 0) return;
    for (let c = B.firstChild[pb]!; c >= 0; c = B.nextSibling[c]!) {
      if (this.matchB[c]! >= 0) continue;
      const k = B.key[c]!;
      if (cntA[k] === 0 && cntB[k] === 0) touched[keysTouched++] = k;
      cntB[k]!++;
      nb++;
    }
    this.work += na + nb;
    if (nb > 0) {
      // Bucket both child lists by key (a counting sort that keeps start order within a key).
      let posA = 0;
      let posB = 0;
      for (let t = 0; t < keysTouched; t++) {
        const k = touched[t]!;
        offA[k] = posA;
        offB[k] = posB;
        posA += cntA[k]!;
        posB += cntB[k]!;
      }
      for (let c = A.firstChild[pa]!; c >= 0; c = A.nextSibling[c]!) if (this.matchA[c]! < 0) bucketA[offA[A.key[c]!]!++] = c;
      for (let c = B.firstChild[pb]!; c >= 0; c = B.nextSibling[c]!) if (this.matchB[c]! < 0) bucketB[offB[B.key[c]!]!++] = c;
      const fanOut = (pa < A.n && A.classIndex[pa] === FUNCTIONAL_CLASS) || (pb < B.n && B.classIndex[pb] === FUNCTIONAL_CLASS);
      for (let t = 0; t < keysTouched; t++) {
        const k = touched[t]!;
        const ga = cntA[k]!;
        const gb = cntB[k]!;
        if (ga === 0 || gb === 0) continue;
        // offX[k] now points past the group: its start is offX[k] - count.
        const sa = offA[k]! - ga;
        const sb = offB[k]! - gb;
        if (ga === 1 && gb === 1) this.pair(bucketA[sa]!, bucketB[sb]!, MatchKind.path);
        else if (fanOut || overlaps(A, bucketA, sa, ga) || overlaps(B, bucketB, sb, gb)) this.matchConcurrent(sa, ga, sb, gb);
        else for (let x = 0; x < Math.min(ga, gb); x++) this.pair(bucketA[sa + x]!, bucketB[sb + x]!, MatchKind.path);
      }
    }
    for (let t = 0; t < keysTouched; t++) cntA[touched[t]!] = cntB[touched[t]!] = 0;
  }

  /** Rule 2: a concurrent group of one key, by recorded inputs where they tell the spans apart, else by order. */
  private matchConcurrent(sa: number, ga: number, sb: number, gb: number): void {
    const { A, B, bucketA, bucketB } = this;
    const groupA = Array.from(bucketA.subarray(sa, sa + ga));
    const groupB = Array.from(bucketB.subarray(sb, sb + gb));
    const fpA = groupA.map(i => inputFingerprint(A.side.store.rows.details(A.rows[i]!).attributes));
    const fpB = groupB.map(j => inputFingerprint(B.side.store.rows.details(B.rows[j]!).attributes));
    const all = [...fpA, ...fpB];
    const distinct = all.some(f => f !== '') && all.some(f => f !== all[0]);
    const leftA: number[] = [];
    const takenB = new Uint8Array(gb);
    if (distinct) {
      // B's spans by fingerprint, in start order; `next` is the first one not taken yet.
      const byFp = new Map<string, { list: number[]; next: number }>();
      fpB.forEach((f, x) => {
        if (f === '') return;
        let entry = byFp.get(f);
        if (entry === undefined) byFp.set(f, (entry = { list: [], next: 0 }));
        entry.list.push(x);
      });
      groupA.forEach((i, x) => {
        const entry = fpA[x] === '' ? undefined : byFp.get(fpA[x]!);
        const y = entry !== undefined && entry.next < entry.list.length ? entry.list[entry.next++] : undefined;
        if (y === undefined) leftA.push(i);
        else {
          takenB[y] = 1;
          this.pair(i, groupB[y]!, MatchKind.input);
        }
      });
    } else leftA.push(...groupA);
    const leftB = groupB.filter((_, y) => takenB[y] === 0);
    for (let x = 0; x < Math.min(leftA.length, leftB.length); x++) this.pair(leftA[x]!, leftB[x]!, MatchKind.order);
  }
}

/** Whether spans of one group overlap in time (or start together): they ran concurrently. */
function overlaps(t: RunTree, bucket: Int32Array, s: number, g: number): boolean {
  let reach = -Infinity;
  let lastStart = NaN;
  for (let x = 0; x < g; x++) {
    const i = bucket[s + x]!;
    const st = t.start[i]!;
    if (st < reach || st === lastStart) return true;
    reach = Math.max(reach, t.end[i]!);
    lastStart = st;
  }
  return false;
}

/**
 * The merged tree, depth-first: a pair with an A span sits under the pair of its A parent, in A's start order; a
 * span only in B sits under the pair of its B parent, right after the pair of its nearest preceding B sibling that
 * sits there too (first when there is none). Built as linked lists over typed arrays, then walked once.
 */
function* emit(A: RunTree, B: RunTree, m: Matcher): Steps<Alignment> {
  const { matchA, matchB, kindA } = m;
  // Nodes of the merged tree: A flat index i for a pair with an A span, ROOT for the top, ROOT + 1 + j for the
  // B-only span j. Their children lists start as A's and take in the B-only spans.
  const ROOT = A.n;
  const nodes = A.n + 1 + B.n;
  const first = new Int32Array(nodes).fill(-1);
  const next = new Int32Array(nodes).fill(-1);
  first.set(A.firstChild);
  next.set(A.nextSibling.subarray(0, A.n));
  let onlyB = 0;
  for (let j = 0; j < B.n; j++) if (matchB[j]! < 0) onlyB++;
  if (onlyB > 0) {
    // Where the B-only spans inserted so far after a pair end, and the B-only spans at the start of a list end.
    const lastAfter = new Int32Array(A.n).fill(-1);
    const leadTail = new Int32Array(nodes).fill(-1);
    for (let jb = 0; jb <= B.n; jb++) {
      if ((jb & (STEP - 1)) === STEP - 1) yield;
      const at = jb === B.n ? ROOT : matchB[jb]! >= 0 ? matchB[jb]! : ROOT + 1 + jb;
      let anchor = -1;
      for (let c = B.firstChild[jb]!; c >= 0; c = B.nextSibling[c]!) {
        const ca = matchB[c]!;
        if (ca >= 0) {
          if (A.parent[ca] === at) anchor = ca;
          continue;
        }
        const node = ROOT + 1 + c;
        if (anchor >= 0) {
          const tail = lastAfter[anchor]! >= 0 ? lastAfter[anchor]! : anchor;
          next[node] = next[tail]!;
          next[tail] = node;
          lastAfter[anchor] = node;
        } else {
          const tail = leadTail[at]!;
          if (tail < 0) {
            next[node] = first[at]!;
            first[at] = node;
          } else {
            next[node] = next[tail]!;
            next[tail] = node;
          }
          leadTail[at] = node;
        }
      }
    }
  }
  const count = A.n + onlyB;
  const rowA = new Int32Array(count);
  const rowB = new Int32Array(count);
  const depth = new Uint16Array(count);
  const parent = new Int32Array(count);
  const match = new Uint8Array(count);
  const indexA = new Int32Array(count);
  const indexB = new Int32Array(count);
  // Depth-first walk: the stack holds, per open level, the next sibling to visit and the parent pair's index.
  const stackNode = new Int32Array(count + 1);
  const stackParent = new Int32Array(count + 1);
  let top = 0;
  let node = first[ROOT]!;
  let parentAt = -1;
  let out = 0;
  for (;;) {
    while (node >= 0) {
      const at = out++;
      if ((at & (STEP - 1)) === STEP - 1) yield;
      if (node < ROOT) {
        const j = matchA[node]!;
        rowA[at] = A.rows[node]!;
        rowB[at] = j >= 0 ? B.rows[j]! : -1;
        indexA[at] = node;
        indexB[at] = j;
        match[at] = j >= 0 ? kindA[node]! : MatchKind.onlyA;
      } else {
        const j = node - ROOT - 1;
        rowA[at] = -1;
        rowB[at] = B.rows[j]!;
        indexA[at] = -1;
        indexB[at] = j;
        match[at] = MatchKind.onlyB;
      }
      parent[at] = parentAt;
      depth[at] = parentAt < 0 ? 0 : Math.min(0xffff, depth[parentAt]! + 1);
      stackNode[top] = next[node]!;
      stackParent[top++] = parentAt;
      parentAt = at;
      node = first[node]!;
    }
    if (top === 0) break;
    node = stackNode[--top]!;
    parentAt = stackParent[top]!;
  }
  const al: Alignment = { a: A.side, b: B.side, count, rowA, rowB, depth, parent, match };
  trees.set(al, { a: A, b: B, indexA, indexB });
  return al;
}
