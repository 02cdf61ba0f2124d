// The comparison of two runs on one timeline page: computes it with core/compare (in slices, so the host stays
// responsive on 100k-span runs), sends the aligned rows, answers the details of a pair, and stays live: while
// either run still receives spans it is compared again (at most once a second for big runs) and sent again; a
// run that is cleared or evicted ends it with a message saying so. TimelineSession owns one while the page
// shows a comparison and hands it the page's comparison commands.
import type { Disposable } from '../core/common/event';
import { compareRuns } from '../core/compare/compareRuns';
import type { RunComparison, RunComparisonSummary } from '../core/compare/comparison';
import { diffPair } from '../core/compare/pairDiff';
import { runInSlices } from '../core/compare/steps';
import type { Run } from '../core/store/run';
import type { StoreChange } from '../core/store/storeChange';
import type { TraceStore } from '../core/store/traceStore';
import {
  type ComparisonColumns,
  type ComparisonSideView,
  type ComparisonState,
  type ComparisonSummaryView,
  DidChangeComparisonNotification,
  DidLoadPairDetailsNotification,
  type PairDetails,
  emptyComparisonColumns,
  packComparisonRows,
} from '../protocol/comparisonProtocol';
import type { IpcMessage } from '../protocol/ipc';
import { buildComparisonColumns, comparisonColumnSteps } from './comparisonRows';
import { pairDiffView } from './pairDetailsView';
import { type RunName, listRuns, runLabel, runOriginMs } from './runLabels';
import { buildSpanDetails, spanMatches } from './spanDetailsView';
import { RowKeys } from './timelineRows';

export interface ComparisonPorts {
  post(message: IpcMessage): void;
  readonly runName?: RunName;
  readonly canOpenSource: boolean;
  readonly warn?: (message: string) => void;
}

/** Both runs together above this many spans: compared again at most once a second while they grow. */
export const BIG_COMPARISON_SPANS = 20_000;
/** A first comparison not done by then shows "Comparing…" until it is. */
const PROGRESS_AFTER_MS = 150;
/** Longest stretch of comparing work between two event-loop turns. */
const SLICE_MS = 12;

/** A comparison, its rows' keys and columns: what a computation gives and a session shows. */
interface Computed {
  readonly result: RunComparison;
  readonly keys: RowKeys;
  readonly columns: ComparisonColumns;
}

async function computeComparison(store: TraceStore, a: Run, b: Run, keys: RowKeys, isCancelled: () => boolean): Promise<Computed | undefined> {
  const options = { sliceMs: SLICE_MS, isCancelled };
  const result = await compareRuns({ store, run: a }, { store, run: b }, options);
  if (!result || isCancelled()) return undefined;
  const columns = await runInSlices(comparisonColumnSteps(result.alignment, result.changes, result.rollUp.changedBelow, keys), options);
  return columns && !isCancelled() ? { result, keys, columns } : undefined;
}

/**
 * A comparison computed while the page loads: `msgtrace serve` starts one when the page's address asks for a
 * comparison (`/?compare=A,B`), and the session of that page takes it when the page asks for the same two runs.
 * Any change to the store cancels it (the session then computes afresh), as it does the rows built ahead.
 */
export class PreparedComparison implements Disposable {
  private cancelled = false;
  private readonly subscription: Disposable;
  /** The comparison, or undefined when it was cancelled or a run is missing. */
  readonly done: Promise<Computed | undefined>;

  constructor(
    store: TraceStore,
    readonly runIdA: number,
    readonly runIdB: number,
  ) {
    this.subscription = store.onDidChange(() => this.dispose());
    const a = store.getRun(runIdA);
    const b = store.getRun(runIdB);
    this.done = a && b ? computeComparison(store, a, b, new RowKeys(), () => this.cancelled).catch(() => undefined) : Promise.resolve(undefined);
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  dispose(): void {
    this.cancelled = true;
    this.subscription.dispose();
  }
}

export class ComparisonSession implements Disposable {
  /**
   * Keys of both runs' spans: both live in this session's store, so one key space serves both sides and a key
   * names one span whichever side it is on (reveal in explorer needs no side).
   */
  private keys = new RowKeys();
  private result: RunComparison | undefined;
  /** The columns of `result` when they were built with it and not sent yet. */
  private columns: ComparisonColumns | undefined;
  /** Pair index by store row of each side, built on the first details request of a result. */
  private pairByRow: { a: Map<number, number>; b: Map<number, number> } | undefined;
  /** Bumped by every computation started and by dispose: a computation whose number is old is dropped. */
  private generation = 0;
  private running = false;
  /** What the next timer does: compare again, or only send the state again (the run list changed). */
  private pending: { timer: ReturnType<typeof setTimeout>; compare: boolean } | undefined;
  private rerun = false;
  private lastStart = 0;
  private started = false;
  private disposed = false;
  /** Labels of the runs while they existed: a message about a gone run still names it. */
  private readonly labels = new Map<number, string>();
  private readonly subscription: Disposable;

  constructor(
    private readonly store: TraceStore,
    private readonly ports: ComparisonPorts,
    readonly runIdA: number,
    readonly runIdB: number,
    /** This comparison computed ahead, if it was (taken when it is of these runs and not cancelled). */
    private prepared?: PreparedComparison,
  ) {
    this.subscription = store.onDidChange(change => this.onStoreChange(change));
  }

  /** The page is ready: compare and send. Once. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.compute();
  }

  /** The store row of a span key of this comparison (either side), or undefined. */
  rowOf(key: number): number | undefined {
    return this.keys.rowOf(key);
  }

  /** Keys of the spans of either run whose name or attributes contain `text` (the page's search). */
  search(text: string): number[] {
    const r = this.result;
    const needle = text.trim().toLowerCase();
    if (!r || needle === '') return [];
    const al = r.alignment;
    const keys: number[] = [];
    const check = (side: typeof al.a, row: number) => {
      const span = row >= 0 ? side.store.rows.span(row) : undefined;
      if (span && spanMatches(span, needle)) keys.push(this.keys.keyOf(row));
    };
    for (let i = 0; i < al.count; i++) {
      check(al.a, al.rowA[i]!);
      check(al.b, al.rowB[i]!);
    }
    return keys;
  }

  /** Answers the page's request for the details of the pair with these keys. */
  details(requestId: number, keyA: number, keyB: number): void {
    this.ports.post(DidLoadPairDetailsNotification.create(this.pairDetails(requestId, keyA, keyB)));
  }

  private pairDetails(requestId: number, keyA: number, keyB: number): PairDetails {
    const none: PairDetails = { requestId, a: undefined, b: undefined, diff: undefined };
    const r = this.result;
    if (!r) return none;
    const index = this.pairIndex(r, keyA, keyB);
    if (index < 0) return none;
    const al = r.alignment;
    const rowA = al.rowA[index]!;
    const rowB = al.rowB[index]!;
    const a = rowA >= 0 && al.a.store.rows.has(rowA) ? buildSpanDetails(al.a.store, rowA, keyA) : undefined;
    const b = rowB >= 0 && al.b.store.rows.has(rowB) ? buildSpanDetails(al.b.store, rowB, keyB) : undefined;
    let diff;
    try {
      diff = pairDiffView(diffPair(al, r.changes, index));
    } catch (err) {
      // A span evicted since the comparison was computed: show what is left rather than nothing.
      this.ports.warn?.(`comparison: no diff for pair ${index}: ${String(err)}`);
    }
    return { requestId, a, b, diff };
  }

  private pairIndex(r: RunComparison, keyA: number, keyB: number): number {
    const al = r.alignment;
    if (!this.pairByRow) {
      const a = new Map<number, number>();
      const b = new Map<number, number>();
      for (let i = 0; i < al.count; i++) {
        if (al.rowA[i]! >= 0) a.set(al.rowA[i]!, i);
        if (al.rowB[i]! >= 0) b.set(al.rowB[i]!, i);
      }
      this.pairByRow = { a, b };
    }
    // A's key decides when both are given: the page's keys may predate an update that paired A with another B.
    const rowA = keyA >= 0 ? this.keys.rowOf(keyA) : undefined;
    if (rowA !== undefined) return this.pairByRow.a.get(rowA) ?? -1;
    const rowB = keyB >= 0 ? this.keys.rowOf(keyB) : undefined;
    return rowB !== undefined ? (this.pairByRow.b.get(rowB) ?? -1) : -1;
  }

  private runs(): { a: Run | undefined; b: Run | undefined } {
    return { a: this.store.getRun(this.runIdA), b: this.store.getRun(this.runIdB) };
  }

  private get big(): boolean {
    const { a, b } = this.runs();
    return (a?.spanCount ?? 0) + (b?.spanCount ?? 0) > BIG_COMPARISON_SPANS;
  }

  private async compute(): Promise<void> {
    const { a, b } = this.runs();
    if (!a || !b) {
      this.result = undefined;
      this.post(this.emptyState(this.goneMessage(a, b), false));
      return;
    }
    const generation = ++this.generation;
    this.running = true;
    this.rerun = false;
    this.lastStart = Date.now();
    const progress = this.result ? undefined : setTimeout(() => this.post(this.emptyState('Comparing the two runs…', true)), PROGRESS_AFTER_MS);
    const prepared = this.prepared;
    this.prepared = undefined;
    let computed: Computed | undefined;
    try {
      if (prepared && prepared.runIdA === a.id && prepared.runIdB === b.id && !prepared.isCancelled) computed = await prepared.done;
      prepared?.dispose();
      const isCancelled = () => generation !== this.generation;
      // A fresh key space only for the first result: later ones keep every span's key.
      computed ??= await computeComparison(this.store, a, b, this.result ? this.keys : new RowKeys(), isCancelled);
    } catch (err) {
      this.ports.warn?.(`comparison of runs ${a.id} and ${b.id} failed: ${String(err)}`);
      if (generation === this.generation) this.post(this.emptyState(`These runs could not be compared: ${String(err)}`, false));
      return;
    } finally {
      if (progress) clearTimeout(progress);
      if (generation === this.generation) this.running = false;
    }
    if (generation !== this.generation || !computed) return;
    this.result = computed.result;
    this.keys = computed.keys;
    this.columns = computed.columns;
    this.pairByRow = undefined;
    this.post(this.state());
    if (this.rerun) this.schedule(true);
  }

  private onStoreChange(change: StoreChange): void {
    if (!this.started || this.disposed) return;
    const { a, b } = this.runs();
    if (!a || !b || change.cleared) {
      // Gone for good (run ids are never reused): stop, say so once, and again only when the pickers' list changes.
      if (this.result || this.running || change.addedRuns.length > 0 || change.removedRuns.length > 0 || change.cleared) {
        this.generation++;
        this.running = false;
        this.result = undefined;
        this.cancelPending();
        this.post(this.emptyState(this.goneMessage(a, b), false));
      }
      return;
    }
    if (change.updatedRuns.includes(a) || change.updatedRuns.includes(b)) this.schedule(true);
    else if (change.addedRuns.length > 0 || change.removedRuns.length > 0) this.schedule(false);
  }

  /**
   * Compares again (or only re-sends, when just the list of runs changed) after the throttle interval. A change
   * during a computation is remembered and compared once that one is done.
   */
  private schedule(compare: boolean): void {
    if (compare && this.running) {
      this.rerun = true;
      return;
    }
    if (this.pending) {
      this.pending.compare ||= compare;
      return;
    }
    const interval = this.big ? 1000 : 100;
    const wait = Math.max(0, this.lastStart + interval - Date.now());
    const pending = {
      compare,
      timer: setTimeout(() => {
        this.pending = undefined;
        if (pending.compare || !this.result) void this.compute();
        else if (!this.running) this.post(this.state());
      }, wait),
    };
    this.pending = pending;
  }

  private cancelPending(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
  }

  private label(run: Run): string {
    const label = runLabel(this.store, run, this.ports.runName);
    this.labels.set(run.id, label);
    return label;
  }

  private side(run: Run): ComparisonSideView {
    return { runId: run.id, label: this.label(run), originMs: runOriginMs(run), spanCount: run.spanCount, receiving: this.store.isReceiving(run) };
  }

  private goneMessage(a: Run | undefined, b: Run | undefined): string {
    const name = (id: number, which: string) => `Run ${which} (${this.labels.get(id) ?? `run ${id}`})`;
    const gone = [!a ? name(this.runIdA, 'A') : '', !b ? name(this.runIdB, 'B') : ''].filter(Boolean);
    const subject = gone.length === 2 && this.runIdA !== this.runIdB ? `${gone.join(' and ')} are` : `${gone[0] ?? 'A run'} is`;
    return `${subject} gone: cleared or dropped by the retention limits, so there is nothing to compare. Pick other runs to compare.`;
  }

  /** A state without rows: why (gone, failed) or that the comparison is still being computed. */
  private emptyState(message: string, comparing: boolean): ComparisonState {
    const { a, b } = this.runs();
    const title = `${a ? this.label(a) : (this.labels.get(this.runIdA) ?? `run ${this.runIdA}`)} → ${b ? this.label(b) : (this.labels.get(this.runIdB) ?? `run ${this.runIdB}`)}`;
    return {
      title,
      message,
      comparing,
      runs: listRuns(this.store, this.ports.runName),
      runIdA: this.runIdA,
      runIdB: this.runIdB,
      a: a ? this.side(a) : undefined,
      b: b ? this.side(b) : undefined,
      summary: undefined,
      rows: packComparisonRows(emptyComparisonColumns()),
      canOpenSource: this.ports.canOpenSource,
    };
  }

  /** The state of the current result, built now. */
  state(): ComparisonState {
    const r = this.result;
    const { a, b } = this.runs();
    if (!r || !a || !b) return this.emptyState(this.goneMessage(a, b), false);
    const columns = this.columns ?? buildComparisonColumns(r.alignment, r.changes, r.rollUp.changedBelow, this.keys);
    this.columns = undefined;
    const sideA = this.side(a);
    const sideB = this.side(b);
    return {
      title: `${sideA.label} → ${sideB.label}`,
      message: columns.count === 0 ? 'Neither run has spans yet.' : '',
      comparing: false,
      runs: listRuns(this.store, this.ports.runName),
      runIdA: this.runIdA,
      runIdB: this.runIdB,
      a: sideA,
      b: sideB,
      summary: summaryView(r.summary),
      rows: packComparisonRows(columns),
      canOpenSource: this.ports.canOpenSource,
    };
  }

  private post(state: ComparisonState): void {
    if (this.disposed) return;
    this.ports.post(DidChangeComparisonNotification.create(state));
  }

  dispose(): void {
    this.disposed = true;
    this.prepared?.dispose();
    this.generation++;
    this.cancelPending();
    this.subscription.dispose();
  }
}

function summaryView(s: RunComparisonSummary): ComparisonSummaryView {
  return {
    rows: s.rows.map(r => ({ label: r.label, unit: r.unit, a: r.a, b: r.b })),
    ...(s.currency !== undefined ? { currency: s.currency } : {}),
    matched: s.matched,
    changed: s.changed,
    onlyA: s.onlyA,
    onlyB: s.onlyB,
  };
}
