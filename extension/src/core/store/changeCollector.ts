// What changed since the last onDidChange, collected as it happens and handed out as one StoreChange
// (docs/store.md, "Change events"). Per span it costs a push of the row number: at 100k spans a second the
// event names rows, never objects.
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
  private addedRows = new RowList(1024);
  // Rows changed in place since the last event, each once (F_UPDATED marks the members).
  private updatedRows = new RowList(1024);
  private movedFromRows = new Set<number>();
  private movedFromRuns = new Set<Run>();
  private evictedSpans = 0;
  private evictedRuns = 0;
  private cleared = false;

  constructor(private readonly table: SpanTable) {}

  rowAdded(row: number): void {
    this.addedRows.push(row);
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
    else this.movedFromRuns.add(run);
  }

  spansEvicted(run: Run, spans: number): void {
    this.evictedSpans += spans;
    this.movedFromRuns.add(run);
    this.runUpdated(run);
  }

  /** Everything was cleared: pending rows are gone with it. */
  allCleared(runs: readonly Run[]): void {
    for (const run of runs) this.removedRuns.push(run);
    this.addedRows = new RowList(1024);
    this.updatedRows = new RowList(1024);
    this.movedFromRows = new Set();
    this.movedFromRuns = new Set();
    this.cleared = true;
  }

  get hasNews(): boolean {
    return this.addedRows.length > 0 || this.updatedRows.length > 0 || this.removedRuns.length > 0 || this.updatedRuns.length > 0 || this.cleared || this.evictedSpans > 0;
  }

  /** The change collected since the last call, with evicted rows and removed runs left out; starts a new one. */
  take(isLive: (run: Run) => boolean, runById: (id: number) => Run | undefined): StoreChange {
    const t = this.table;
    const alive = (row: number) => (t.flags(row) & F_EVICTED) === 0;
    // Filtered in place: the lists are replaced below, and a flush of 100k rows allocates one copy of each.
    const added = this.addedRows;
    added.filter(alive);
    const updated = this.updatedRows;
    updated.filter(alive);
    for (let i = 0; i < updated.length; i++) {
      const r = updated.get(i);
      t.set(r, W_FLAGS, t.get(r, W_FLAGS) & ~F_UPDATED);
    }
    // Parents collected once each: F_MARK flags the rows already in changedRows (cleared below).
    const changedRows: number[] = [];
    const parentRuns = new Set<Run>();
    const noteRow = (p: number) => {
      const f = t.flags(p);
      if (f & (F_MARK | F_EVICTED)) return;
      t.set(p, W_FLAGS, f | F_MARK);
      changedRows.push(p);
    };
    const noteParent = (row: number) => {
      const p = t.link(row, W_PARENT);
      if (p >= 0) noteRow(p);
      else {
        const run = runById(t.get(row, W_RUN));
        if (run) parentRuns.add(run);
      }
    };
    for (let i = 0; i < added.length; i++) noteParent(added.get(i));
    for (let i = 0; i < updated.length; i++) noteParent(updated.get(i));
    for (const r of this.movedFromRows) noteRow(r);
    for (const r of changedRows) t.set(r, W_FLAGS, t.get(r, W_FLAGS) & ~F_MARK);
    for (const r of this.movedFromRuns) parentRuns.add(r);
    const changedParents: TreeParent[] = [];
    for (const r of parentRuns) if (isLive(r)) changedParents.push(r);
    for (const r of changedRows) changedParents.push(r);
    const change: StoreChange = {
      addedRuns: this.addedRuns.filter(isLive),
      updatedRuns: this.updatedRuns.filter(isLive),
      removedRuns: this.removedRuns,
      addedRows: added.toArray(),
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
    this.addedRows = new RowList(1024);
    this.updatedRows = new RowList(1024);
    this.movedFromRows = new Set();
    this.movedFromRuns = new Set();
    this.evictedSpans = 0;
    this.evictedRuns = 0;
    this.cleared = false;
    return change;
  }
}
