// Nesting by time containment for flat msgflux traffic (docs/msgflux-wire.md#flat-traces: every module call is its own one-span
// trace). The result is a function of the set of spans, not of their arrival order: spans are kept in start
// order (the store's row order) and one stack sweep gives each the innermost earlier span that contains it.
import { SpanFacts } from '../../protocol/spanFacts';
import type { ChangeCollector } from './changeCollector';
import type { RowList } from './rowList';
import type { Run } from './run';
import type { RunRegistry } from './runRegistry';
import type { SpanForest } from './spanForest';
import { F_EVICTED, type SpanTable, W_END, W_FLAGS, W_PARENT, W_RUN } from './spanTable';

/** What the sweep reads of the store: row order, containment in time, current parent. */
export interface NestingRows {
  /** Start order: negative when row a sorts before row b. */
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
  const add = pending.toArray().sort((a, b) => rows.compare(a, b));
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

  constructor(
    private readonly table: SpanTable,
    private readonly forest: SpanForest,
    private readonly runs: RunRegistry,
    private readonly changes: ChangeCollector,
  ) {
    this.rows = {
      compare: (a, b) => forest.compare(a, b),
      contains: (a, b) => table.compareTime(b, W_END, a, W_END) <= 0,
      parentOf: row => table.link(row, W_PARENT),
    };
  }

  /** A top-level row of the msgtrace SDK arrived: it waits in its run until the next read or flush. */
  add(run: Run, row: number): void {
    run.pendingInferable.push(row);
    this.dirty.add(run);
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
    sweepNesting(run.inferable, start, this.rows, (row, parent) => this.setParent(run, row, parent));
  }

  private setParent(run: Run, row: number, parent: number): void {
    const t = this.table;
    this.changes.version++;
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
    this.changes.runUpdated(run);
  }
}
