// Nesting by time containment for flat msgflux traffic (docs/msgflux-wire.md#flat-traces: every module call is its own one-span
// trace). The result is a function of the set of spans, not of their arrival order: spans are kept in start
// order (the store's row order) and one stack sweep gives each the innermost earlier span that contains it.
import { SpanFacts } from '../../protocol/spanFacts';
import type { ChangeCollector } from './changeCollector';
import type { RowList } from './rowList';
import { type RowOrder, sortRows } from './rowOrder';
import type { Run } from './run';
import type { RunRegistry } from './runRegistry';
import type { SpanForest } from './spanForest';
import { F_EVICTED, type SpanTable, W_END, W_FLAGS, W_PARENT, W_RUN } from './spanTable';

/** What the sweep reads of the store: row order, containment in time, current parent. */
export interface NestingRows extends RowOrder {
  /** Start order (spanForest.ts): negative when row a sorts before row b. */
  compare(a: number, b: number): number;
  /** Whether `a` (earlier or equal in start order) contains `b` in time. */
  contains(a: number, b: number): boolean;
  /** The row's current parent, -1 for none. */
  parentOf(row: number): number;
}

/**
 * Merges `pending` into `sorted` (both modified: pending is sorted and emptied, sorted grows) and returns the
 * index from which the sweep must run again: the last top-level row before the first new one, whose sweep
 * state (an empty stack) the new rows cannot change.
 */
export function mergeInferable(sorted: RowList, pending: RowList, rows: NestingRows): number {
  if (pending.length === 0) return sorted.length;
  const add = pending.toArray();
  sortRows(add, rows);
  pending.clear();
  let i = sorted.length - 1;
  let k = add.length - 1;
  for (let p = 0; p < add.length; p++) sorted.push(add[0]!);
  const items = sorted.items;
  let w = sorted.length - 1;
  while (k >= 0) {
    if (i >= 0 && rows.compare(items[i]!, add[k]!) > 0) items[w--] = items[i--]!;
    else items[w--] = add[k--]!;
  }
  const firstNew = w + 1;
  for (let j = firstNew - 1; j >= 0; j--) if (rows.parentOf(items[j]!) < 0) return j;
  return 0;
}

/**
 * Sweeps `sorted` from `from` (where the stack is known empty) and calls `setParent` for every row whose
 * inferred parent differs from its current one.
 */
export function sweepNesting(sorted: RowList, from: number, rows: NestingRows, setParent: (row: number, parent: number) => void): void {
  const stack: number[] = [];
  const items = sorted.items;
  for (let i = from; i < sorted.length; i++) {
    const cur = items[i]!;
    while (stack.length > 0 && !rows.contains(stack[stack.length - 1]!, cur)) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
    if (rows.parentOf(cur) !== parent) setParent(cur, parent);
    stack.push(cur);
  }
}

/**
 * The store's side of inference: which runs have rows waiting, and bringing a run up to date when it is read or
 * flushed. An inferred edge is linked like a real one, marked SpanFacts.inferredEdge, and reported as a change.
 */
export class NestingInference {
  private readonly dirty = new Set<Run>();
  private readonly rows: NestingRows;

  /** Rows of the current ensure() that got a new parent. */
  private moved = 0;
  private readonly setParentOfRun = (row: number, parent: number) => this.setParent(row, parent);
  private run: Run | undefined;

  constructor(
    private readonly table: SpanTable,
    private readonly forest: SpanForest,
    private readonly runs: RunRegistry,
    private readonly changes: ChangeCollector,
  ) {
    this.rows = new TableNestingRows(table, forest);
  }

  /** A top-level row of the msgtrace SDK arrived: it waits in its run until the next read or flush. */
  add(run: Run, row: number): void {
    // A run with rows waiting is always in `dirty`: added when its first row starts waiting, not per row.
    if (run.pendingInferable.length === 0) this.dirty.add(run);
    run.pendingInferable.push(row);
  }

  /** Rows left the run (eviction): the next read sweeps all of it again. */
  resweep(run: Run): void {
    run.fullSweep = true;
    this.dirty.add(run);
  }

  forget(run: Run): void {
    this.dirty.delete(run);
  }

  clear(): void {
    this.dirty.clear();
  }

  /** Every run with rows waiting (flush). */
  ensureAll(): void {
    for (const run of [...this.dirty]) this.ensure(run);
    this.dirty.clear();
  }

  /** The run of a row (a query is about to read its tree). */
  ensureOfRow(row: number): void {
    if (this.table.flags(row) & F_EVICTED) return;
    const run = this.runs.get(this.table.get(row, W_RUN));
    if (run) this.ensure(run);
  }

  /** Brings the run's inferred nesting up to date (cheap when nothing arrived since the last call). */
  ensure(run: Run): void {
    if (run.pendingInferable.length === 0 && !run.fullSweep) return;
    const from = mergeInferable(run.inferable, run.pendingInferable, this.rows);
    const start = run.fullSweep ? 0 : from;
    run.fullSweep = false;
    this.dirty.delete(run);
    this.run = run;
    this.moved = 0;
    sweepNesting(run.inferable, start, this.rows, this.setParentOfRun);
    this.run = undefined;
    if (this.moved > 0) {
      // Once per sweep, not per moved row: caches are read after the sweep.
      this.changes.version++;
      this.changes.runUpdated(run);
    }
  }

  /** Links `row` under its inferred parent (or at the top level) in the run being swept. */
  private setParent(row: number, parent: number): void {
    const t = this.table;
    const run = this.run!;
    this.moved++;
    this.changes.childLeft(t.link(row, W_PARENT), run);
    this.forest.unlink(run, row);
    const flags = t.get(row, W_FLAGS);
    if (parent >= 0) {
      t.set(row, W_FLAGS, flags | SpanFacts.inferredEdge);
      this.forest.linkChild(parent, row);
    } else {
      t.set(row, W_FLAGS, flags & ~SpanFacts.inferredEdge);
      this.forest.linkRoot(run, row);
    }
    this.changes.rowUpdated(row);
  }
}

/** The sweep's view of the span table: one class, so the sweep's calls stay monomorphic and inline. */
class TableNestingRows implements NestingRows {
  constructor(
    private readonly table: SpanTable,
    private readonly forest: SpanForest,
  ) {}

  compare(a: number, b: number): number {
    return this.forest.compare(a, b);
  }

  contains(a: number, b: number): boolean {
    return this.table.compareTime(b, W_END, a, W_END) <= 0;
  }

  parentOf(row: number): number {
    return this.table.link(row, W_PARENT);
  }
}
