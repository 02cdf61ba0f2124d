// What views ask of whole trees: children in start order (paging), the depth-first rows of a run or subtree
// (the timeline, filters, exports), classes in context, token usage summed without double counting, span and
// error counts, self time. Every query first brings the inferred nesting of the run it reads up to date.
import { SpanFacts } from '../../protocol/spanFacts';
import type { SpanClass } from '../semantics/spanClass';
import { type Usage, combineUsage, ownUsage } from '../semantics/usage';
import type { ChangeCollector } from './changeCollector';
import type { NestingInference } from './nestingInference';
import { RowClasses } from './rowClassification';
import type { RowReader } from './rowReader';
import { Run } from './run';
import { NO_ROWS, type SpanForest } from './spanForest';
import { F_EVICTED, type SpanTable, W_END, W_NEXT, W_PARENT, W_START } from './spanTable';
import type { TreeParent } from './storeChange';

/** Rows depth-first, children in start order, with each row's depth. */
export interface FlatRows {
  readonly rows: Int32Array;
  readonly depths: Uint16Array;
}

const EMPTY_USAGE: Usage = Object.freeze({});
const NO_DEPTHS = new Uint16Array(0);

/** flatten()'s output while it grows. */
interface FlatOut {
  rows: Int32Array;
  depths: Uint16Array;
  n: number;
}

export class ViewQueries {
  // Subtree sums of every row of the subtrees summed so far, until the store's next change: hovering one span
  // after another in a 100k-span run costs one pass, not one per hover.
  private usage: { version: number; byRow: Map<number, Usage>; byRun: Map<Run, Usage> } = { version: -1, byRow: new Map(), byRun: new Map() };
  private readonly classes: RowClasses;

  constructor(
    private readonly table: SpanTable,
    private readonly forest: SpanForest,
    private readonly nesting: NestingInference,
    private readonly reader: RowReader,
    private readonly changes: ChangeCollector,
  ) {
    const classTree = { parentOf: (row: number) => forest.parentOf(row), childrenOf: (row: number) => forest.sortedChildrenOf(row) };
    this.classes = new RowClasses(reader, classTree, () => changes.version);
  }

  /** A run's top-level rows or a row's children, in start order (the cached list: callers copy what they keep). */
  children(parent: TreeParent): Int32Array {
    if (parent instanceof Run) {
      this.nesting.ensure(parent);
      return this.forest.sortedRootsOf(parent);
    }
    if (parent < 0 || this.table.flags(parent) & F_EVICTED) return NO_ROWS;
    this.nesting.ensureOfRow(parent);
    return this.forest.sortedChildrenOf(parent);
  }

  /** The row's parent (real or inferred), -1 at the top level. */
  parentOf(row: number): number {
    this.nesting.ensureOfRow(row);
    return this.forest.parentOf(row);
  }

  /**
   * Rows of a run (or of the subtree at a row, that row included at depth 0) depth-first, children in start
   * order; rows in `collapsed` appear but their descendants do not.
   */
  flatten(target: TreeParent, collapsed?: ReadonlySet<number>): FlatRows {
    // A walk along the links, each child list put in start order in the links as it is entered
    // (SpanForest.firstChildInOrder): no stack, and no array per parent. The output is sized for the whole run up
    // front (a run's rows are all in its tree), so it is neither grown nor copied. Measured against a walk of the
    // cached sorted arrays: docs/store.md, "Performance".
    const out: FlatOut = { rows: new Int32Array(target instanceof Run ? Math.max(16, target.spanCount + target.placeholderCount) : 16), depths: NO_DEPTHS, n: 0 };
    out.depths = new Uint16Array(out.rows.length);
    const skip = collapsed !== undefined && collapsed.size > 0 ? collapsed : undefined;
    if (target instanceof Run) {
      const roots = this.children(target);
      for (let i = 0; i < roots.length; i++) this.walkInOrder(roots[i]!, skip, out);
    } else if (target >= 0 && !(this.table.flags(target) & F_EVICTED)) {
      this.nesting.ensureOfRow(target);
      this.walkInOrder(target, skip, out);
    }
    const { rows, depths, n } = out;
    return n === rows.length ? { rows, depths } : { rows: rows.slice(0, n), depths: depths.slice(0, n) };
  }

  /** Appends the subtree at `root` (at depth 0) to `out`, depth-first, children in start order. */
  private walkInOrder(root: number, skip: ReadonlySet<number> | undefined, out: FlatOut): void {
    const t = this.table;
    const forest = this.forest;
    let { rows, depths, n } = out;
    let r = root;
    let d = 0;
    for (;;) {
      if (n === rows.length) {
        const grownRows = new Int32Array(n * 2);
        grownRows.set(rows);
        rows = grownRows;
        const grownDepths = new Uint16Array(n * 2);
        grownDepths.set(depths);
        depths = grownDepths;
      }
      rows[n] = r;
      depths[n] = d < 0xffff ? d : 0xffff;
      n++;
      if (skip === undefined || !skip.has(r)) {
        const child = forest.firstChildInOrder(r);
        if (child >= 0) {
          r = child;
          d++;
          continue;
        }
      }
      // No children to enter: the next sibling of this row or of the nearest ancestor below the root.
      while (r !== root) {
        const next = t.link(r, W_NEXT);
        if (next >= 0) break;
        r = t.link(r, W_PARENT);
        d--;
      }
      if (r === root) break;
      r = t.link(r, W_NEXT);
    }
    out.rows = rows;
    out.depths = depths;
    out.n = n;
  }

  /** The row's class in its tree (flow, module, agent, tool, model, functional, generic); decodes nothing. */
  classOf(row: number): SpanClass {
    this.nesting.ensureOfRow(row);
    return this.classes.classOf(row);
  }

  /** Token usage and cost of a subtree (or a whole run) without double counting (semantics/usage.ts). */
  subtreeUsage(target: TreeParent): Usage {
    if (this.usage.version !== this.changes.version) this.usage = { version: this.changes.version, byRow: new Map(), byRun: new Map() };
    const { byRow, byRun } = this.usage;
    const hit = target instanceof Run ? byRun.get(target) : byRow.get(target);
    if (hit) return hit;
    const { rows } = this.flatten(target);
    const t = this.table;
    // Post-order: children come after their parent in the flattened order.
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i]!;
      if (byRow.has(r)) continue;
      const kids = this.forest.sortedChildrenOf(r);
      const own = t.flags(r) & SpanFacts.hasUsage ? ownUsage(this.reader.span(r)!) : EMPTY_USAGE;
      byRow.set(r, kids.length === 0 ? own : combineUsage(own, Array.from(kids, k => byRow.get(k) ?? EMPTY_USAGE)));
    }
    if (!(target instanceof Run)) return byRow.get(target) ?? EMPTY_USAGE;
    const total = combineUsage({}, Array.from(this.children(target), k => byRow.get(k) ?? EMPTY_USAGE));
    byRun.set(target, total);
    return total;
  }

  /** Spans and error spans in the subtree at a row. */
  subtreeCounts(row: number): { spans: number; errors: number } {
    let spans = 0;
    let errors = 0;
    const { rows } = this.flatten(row);
    for (let i = 0; i < rows.length; i++) {
      const f = this.table.flags(rows[i]!);
      if (f & SpanFacts.placeholder) continue;
      spans++;
      if (f & SpanFacts.error) errors++;
    }
    return { spans, errors };
  }

  /** Duration minus the time covered by its children (clipped to the span), in nanoseconds. */
  selfTimeNanos(row: number): number {
    const t = this.table;
    if (row < 0 || t.flags(row) & (SpanFacts.placeholder | F_EVICTED)) return 0;
    const kids = this.children(row);
    const startMs = t.ms(row, W_START);
    const startNs = t.subNanos(row, W_START);
    // Times relative to the span start, in ns, as numbers: exact for spans shorter than ~104 days.
    const rel = (ms: number, ns: number) => (ms - startMs) * 1_000_000 + (ns - startNs);
    const end = rel(t.ms(row, W_END), t.subNanos(row, W_END));
    let covered = 0;
    let reach = 0;
    for (const k of kids) {
      if (t.flags(k) & SpanFacts.placeholder) continue;
      const s = Math.max(reach, Math.max(0, rel(t.ms(k, W_START), t.subNanos(k, W_START))));
      const e = Math.min(end, rel(t.ms(k, W_END), t.subNanos(k, W_END)));
      if (e > s) {
        covered += e - s;
        reach = e;
      }
    }
    return Math.max(0, end - covered);
  }
}
