// Rows leaving the store: retention eviction (whole runs oldest first, then the oldest traces of a run that is
// over the limits alone; docs/store.md, "Retention") and clearing a run. Rows are taken out of the indexes,
// then released; their numbers are never reused, so a view holding one reads it as gone.
import { SpanFacts } from '../../protocol/spanFacts';
import type { ChangeCollector } from './changeCollector';
import type { NestingInference } from './nestingInference';
import { EVICT_TO_FRACTION, type RetentionLimits } from './retention';
import { RowList } from './rowList';
import type { Run } from './run';
import type { RunRegistry } from './runRegistry';
import type { SpanForest } from './spanForest';
import { F_EVICTED, F_MARK, ROW_BYTES, SpanTable, W_FIRST_CHILD, W_FLAGS, W_NEXT, W_NEXT_IN_TRACE, W_PARENT, W_REST_LEN } from './spanTable';
import type { StoreTotals } from './storeChange';

export class Eviction {
  private readonly key = new Uint32Array(6);

  constructor(
    private readonly table: SpanTable,
    private readonly runs: RunRegistry,
    private readonly forest: SpanForest,
    private readonly nesting: NestingInference,
    private readonly changes: ChangeCollector,
    private readonly totals: StoreTotals,
  ) {}

  /** Once over a limit, evicts down to EVICT_TO_FRACTION of it; the newest run is kept while another can go. */
  enforce(limits: RetentionLimits): void {
    const { maxSpans, maxBytes } = limits;
    const totals = this.totals;
    if (totals.spans <= maxSpans && totals.bytes <= maxBytes) return;
    const targetSpans = Math.floor(maxSpans * EVICT_TO_FRACTION);
    const targetBytes = Math.floor(maxBytes * EVICT_TO_FRACTION);
    const over = () => totals.spans > targetSpans || totals.bytes > targetBytes;
    while (over() && this.runs.size > 1) this.dropRun(this.runs.oldestFirst()[0]!, true);
    if (over() && this.runs.size === 1) this.evictOldestTraces(this.runs.oldestFirst()[0]!, targetSpans, targetBytes);
  }

  /** Removes a run with all its spans; counted as eviction when `evicted`, else it was cleared. */
  dropRun(run: Run, evicted: boolean): void {
    if (!this.runs.remove(run)) return;
    this.changes.version++;
    const rows = new RowList(run.spanCount + run.placeholderCount);
    this.forest.walkRun(run, r => rows.push(r));
    this.forget(rows);
    run.firstRoot = -1;
    run.sortedRoots = undefined;
    this.nesting.forget(run);
    const totals = this.totals;
    totals.spans -= run.spanCount;
    totals.placeholders -= run.placeholderCount;
    totals.bytes -= run.bytes;
    if (evicted) {
      totals.evictedSpans += run.spanCount;
      totals.evictedBytes += run.bytes;
      totals.evictedRuns++;
    }
    this.changes.runRemoved(run, evicted);
  }

  /**
   * One run alone is over the limits: drop its oldest top-level subtrees, and with them every span of the
   * traces they touch (a trace is never kept in part by choice).
   */
  private evictOldestTraces(run: Run, targetSpans: number, targetBytes: number): void {
    const t = this.table;
    this.changes.version++;
    this.nesting.ensure(run);
    const heads = new Set<number>();
    let spans = this.totals.spans;
    let bytes = this.totals.bytes;
    for (const root of this.forest.sortedRootsOf(run)) {
      if (spans <= targetSpans && bytes <= targetBytes) break;
      this.forest.walk(root, r => {
        heads.add(this.traceHead(r));
        if (!(t.get(r, W_FLAGS) & SpanFacts.placeholder)) {
          spans--;
          bytes -= this.rowBytes(r);
        }
      });
    }
    if (heads.size === 0) return;
    const victims = new RowList();
    for (const h of heads) for (let r = h; r >= 0; r = t.link(r, W_NEXT_IN_TRACE)) victims.push(r);
    for (let i = 0; i < victims.length; i++) {
      const r = victims.get(i);
      t.set(r, W_FLAGS, t.get(r, W_FLAGS) | F_MARK);
    }
    let evictedSpans = 0;
    let evictedBytes = 0;
    for (let i = 0; i < victims.length; i++) {
      const r = victims.get(i);
      const flags = t.get(r, W_FLAGS);
      if (!(flags & SpanFacts.placeholder)) {
        evictedSpans++;
        evictedBytes += this.rowBytes(r);
        if (flags & SpanFacts.error) run.errorCount--;
      } else {
        run.placeholderCount--;
        this.totals.placeholders--;
      }
      // Children that survive (other traces nested under it by inference) become top-level until the full
      // re-sweep below places them again.
      for (let c = t.link(r, W_FIRST_CHILD); c >= 0; ) {
        const next = t.link(c, W_NEXT);
        if (!(t.get(c, W_FLAGS) & F_MARK)) {
          this.forest.unlink(run, c);
          t.set(c, W_FLAGS, t.get(c, W_FLAGS) & ~SpanFacts.inferredEdge);
          this.forest.linkRoot(run, c);
        }
        c = next;
      }
      const p = t.link(r, W_PARENT);
      if (p < 0 || !(t.get(p, W_FLAGS) & F_MARK)) this.forest.unlink(run, r);
    }
    this.forget(victims);
    run.sortedRoots = undefined;
    run.inferable.filter(r => !(t.flags(r) & F_EVICTED));
    run.pendingInferable.filter(r => !(t.flags(r) & F_EVICTED));
    this.nesting.resweep(run);
    run.spanCount -= evictedSpans;
    run.bytes -= evictedBytes;
    this.totals.spans -= evictedSpans;
    this.totals.bytes -= evictedBytes;
    this.totals.evictedSpans += evictedSpans;
    this.totals.evictedBytes += evictedBytes;
    this.changes.spansEvicted(run, evictedSpans);
  }

  /** What a stored row counts against the byte limit (exactly what ingest added). */
  private rowBytes(row: number): number {
    return ROW_BYTES + this.table.get(row, W_REST_LEN);
  }

  /** The trace index entry of the row's trace. */
  private traceHead(row: number): number {
    const page = this.table.page(row)!;
    const o = SpanTable.offset(row);
    this.key.set(page.subarray(o, o + 6));
    return this.table.traces.find(this.key);
  }

  /** Removes rows from the indexes, then releases them (indexes read the rows they probe past). */
  private forget(rows: RowList): void {
    const t = this.table;
    for (let i = 0; i < rows.length; i++) {
      const r = rows.get(i);
      t.ids.remove(r);
      if (this.traceHead(r) === r) t.traces.remove(r);
    }
    for (let i = 0; i < rows.length; i++) {
      const r = rows.get(i);
      this.forest.forget(r);
      t.release(r);
    }
  }
}
