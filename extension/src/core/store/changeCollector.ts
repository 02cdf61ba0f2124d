// What changed since the last onDidChange, collected as it happens and handed out as one StoreChange
// (docs/store.md, "Change events"). Added rows cost nothing per span: rows are numbered in arrival order, so the
// rows one ingest call adds (spans and placeholders) are one range of row numbers, noted once per call. At 100k
// spans a second the event names rows, never objects.
import { RowList } from './rowList';
import type { Run } from './run';
import { F_EVICTED, F_MARK, F_UPDATED, type SpanTable, W_FLAGS, W_PARENT, W_RUN } from './spanTable';
import type { StoreChange, TreeParent } from './storeChange';

export class ChangeCollector {
  /** Bumped by every change to spans or edges: caches of derived facts are valid for one version. */
  version = 0;
  /** Counts events: a run is listed once per event (Run.changeMark). */
  private generation = 0;
  private addedRuns: Run[] = [];
  private updatedRuns: Run[] = [];
  private removedRuns: Run[] = [];
  /** Rows added, as ranges of row numbers: [from, to) pairs, adjacent ranges merged. */
  private addedRanges = new RowList(16);
  // Rows changed in place since the last event, each once (F_UPDATED marks the members).
  private updatedRows = new RowList(1024);
  private movedFromRows = new Set<number>();
  private movedFromRuns = new Set<Run>();
  /** The run last added to movedFromRuns: inference moves thousands of top-level rows of one run at a flush. */
  private lastMovedFromRun: Run | undefined;
  private evictedSpans = 0;
  private evictedRuns = 0;
  private cleared = false;

  constructor(private readonly table: SpanTable) {}

  /** Rows [from, to) were added (one ingest call's new rows). */
  rowsAdded(from: number, to: number): void {
    if (from >= to) return;
    const r = this.addedRanges;
    if (r.length > 0 && r.items[r.length - 1] === from) r.items[r.length - 1] = to;
    else {
      r.push(from);
      r.push(to);
    }
  }

  rowAdded(row: number): void {
    this.rowsAdded(row, row + 1);
  }

  rowUpdated(row: number): void {
    const f = this.table.get(row, W_FLAGS);
    if (f & F_UPDATED) return;
    this.table.set(row, W_FLAGS, f | F_UPDATED);
    this.updatedRows.push(row);
  }

  runAdded(run: Run): void {
    this.addedRuns.push(run);
  }

  runUpdated(run: Run): void {
    if (run.changeMark === this.generation) return;
    run.changeMark = this.generation;
    this.updatedRuns.push(run);
  }

  /** A run is gone: evicted by the retention limits (counted), or cleared. */
  runRemoved(run: Run, evicted: boolean): void {
    this.removedRuns.push(run);
    if (evicted) {
      this.evictedSpans += run.spanCount;
      this.evictedRuns++;
    }
  }

  /** A row left the child list of `parent` (a row, or a run's top level). */
  childLeft(parent: number, run: Run): void {
    if (parent >= 0) this.movedFromRows.add(parent);
    else if (run !== this.lastMovedFromRun) {
      this.lastMovedFromRun = run;
      this.movedFromRuns.add(run);
    }
  }

  spansEvicted(run: Run, spans: number): void {
    this.evictedSpans += spans;
    this.movedFromRuns.add(run);
    this.lastMovedFromRun = run;
    this.runUpdated(run);
  }

  /** Everything was cleared: pending rows are gone with it. */
  allCleared(runs: readonly Run[]): void {
    for (const run of runs) this.removedRuns.push(run);
    this.addedRanges = new RowList(16);
    this.updatedRows = new RowList(1024);
    this.movedFromRows = new Set();
    this.movedFromRuns = new Set();
    this.lastMovedFromRun = undefined;
    this.cleared = true;
  }

  get hasNews(): boolean {
    return this.addedRanges.length > 0 || this.updatedRows.length > 0 || this.removedRuns.length > 0 || this.updatedRuns.length > 0 || this.cleared || this.evictedSpans > 0;
  }

  /** The change collected since the last call, with evicted rows and removed runs left out; starts a new one. */
  take(isLive: (run: Run) => boolean, runById: (id: number) => Run | undefined): StoreChange {
    const t = this.table;
    const added = this.aliveAddedRows();
    // Filtered in place: the list is replaced below, and a flush of 100k rows allocates one copy.
    const updated = this.updatedRows;
    let n = 0;
    for (let i = 0; i < updated.length; i++) {
      const r = updated.items[i]!;
      const f = t.flags(r);
      if (f & F_EVICTED) continue;
      t.set(r, W_FLAGS, f & ~F_UPDATED);
      updated.items[n++] = r;
    }
    updated.length = n;
    // Parents collected once each: F_MARK flags the rows already in changedRows (cleared below).
    const parents: ParentsSeen = { rows: [], runs: new Set<Run>(), runById, skipFrom: 0, skipTo: 0 };
    this.noteParents(added, added.length, parents);
    // Rows added and then moved before the event (inferred nesting of new flat spans: most of them) have their
    // parent noted already. The added rows are one range unless the store was cleared in between.
    if (this.addedRanges.length === 2) {
      parents.skipFrom = this.addedRanges.items[0]!;
      parents.skipTo = this.addedRanges.items[1]!;
    }
    this.noteParents(updated.items, updated.length, parents);
    const changedRows = parents.rows;
    for (const r of this.movedFromRows) {
      const f = t.flags(r);
      if (f & (F_MARK | F_EVICTED)) continue;
      t.set(r, W_FLAGS, f | F_MARK);
      changedRows.push(r);
    }
    for (const r of changedRows) t.set(r, W_FLAGS, t.get(r, W_FLAGS) & ~F_MARK);
    const parentRuns = parents.runs;
    for (const r of this.movedFromRuns) parentRuns.add(r);
    const liveRuns: TreeParent[] = [];
    for (const r of parentRuns) if (isLive(r)) liveRuns.push(r);
    const changedParents = liveRuns.concat(changedRows);
    const change: StoreChange = {
      addedRuns: this.addedRuns.filter(isLive),
      updatedRuns: this.updatedRuns.filter(isLive),
      removedRuns: this.removedRuns,
      addedRows: added,
      updatedRows: updated.toArray(),
      changedParents,
      evictedSpans: this.evictedSpans,
      evictedRuns: this.evictedRuns,
      cleared: this.cleared,
    };
    this.generation++;
    this.addedRuns = [];
    this.updatedRuns = [];
    this.removedRuns = [];
    this.addedRanges = new RowList(16);
    this.updatedRows = new RowList(1024);
    this.movedFromRows = new Set();
    this.movedFromRuns = new Set();
    this.lastMovedFromRun = undefined;
    this.evictedSpans = 0;
    this.evictedRuns = 0;
    this.cleared = false;
    return change;
  }

  /** The added rows that are still stored, in row order (ranges expanded). */
  private aliveAddedRows(): Int32Array {
    const t = this.table;
    const ranges = this.addedRanges.items;
    let total = 0;
    for (let i = 0; i < this.addedRanges.length; i += 2) total += ranges[i + 1]! - ranges[i]!;
    const out = new Int32Array(total);
    let n = 0;
    for (let i = 0; i < this.addedRanges.length; i += 2) {
      for (let r = ranges[i]!, end = ranges[i + 1]!; r < end; r++) if (!(t.flags(r) & F_EVICTED)) out[n++] = r;
    }
    return n === total ? out : out.slice(0, n);
  }

  /** Notes the tree parent of each row: its parent row (marked F_MARK, listed once) or its run. */
  private noteParents(rows: Int32Array, length: number, seen: ParentsSeen): void {
    const t = this.table;
    // Top-level rows of one run come in long stretches: the run is looked up when the run id changes.
    let lastRunId = -1;
    const { skipFrom, skipTo } = seen;
    for (let i = 0; i < length; i++) {
      const row = rows[i]!;
      if (row >= skipFrom && row < skipTo) continue;
      const p = t.link(row, W_PARENT);
      if (p >= 0) {
        const f = t.flags(p);
        if (f & (F_MARK | F_EVICTED)) continue;
        t.set(p, W_FLAGS, f | F_MARK);
        seen.rows.push(p);
      } else {
        const id = t.get(row, W_RUN);
        if (id === lastRunId) continue;
        lastRunId = id;
        const run = seen.runById(id);
        if (run) seen.runs.add(run);
      }
    }
  }
}

interface ParentsSeen {
  readonly rows: number[];
  readonly runs: Set<Run>;
  readonly runById: (id: number) => Run | undefined;
  /** Rows in [skipFrom, skipTo) are skipped: their parents are noted already. */
  skipFrom: number;
  skipTo: number;
}
