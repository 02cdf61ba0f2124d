// What one timeline page sees of the store: which run it shows, its rows, details and search answers, or the
// comparison of two runs (a ComparisonSession, while the page shows one). The VS Code panel and `msgtrace serve`
// each wrap one session and give it the few things that differ (how to post, how to open a file, reveal or
// copy), so both speak exactly the same protocol.
import type { IpcMessage } from '../protocol/ipc';
import {
  CopyCommand,
  DidChangeStateNotification,
  DidLoadDetailsNotification,
  DidReportNotification,
  DidSearchNotification,
  OpenSourceCommand,
  ReadyCommand,
  RequestDetailsCommand,
  RevealInExplorerCommand,
  SearchCommand,
  SelectRunCommand,
  type SourceLocation,
  type TimelineState,
  emptyRows,
  packRows,
} from '../protocol/timelineProtocol';
import { DidLoadPairDetailsNotification, RequestPairDetailsCommand, SelectComparisonCommand } from '../protocol/comparisonProtocol';
import type { Disposable } from '../core/common/event';
import type { Run } from '../core/store/run';
import type { StoreChange } from '../core/store/storeChange';
import type { TraceStore } from '../core/store/traceStore';
import { ComparisonSession, PreparedComparison } from './comparisonSession';
import { parseWebviewMessage } from './messageValidation';
import { type RunName, listRuns, runLabel, runOriginMs } from './runLabels';
import { buildSpanDetails, spanMatches } from './spanDetailsView';
import { RowKeys, RowsBuilder, buildInSlices, buildRows } from './timelineRows';

export interface TimelinePorts {
  post(message: IpcMessage): void;
  /**
   * Opens a source location through the host's resolver; resolves to an explanation when it refused
   * (outside the workspace, missing), undefined when it opened. Absent: the page cannot open files.
   */
  readonly openSource?: (location: SourceLocation) => Promise<string | undefined>;
  /** Shows a stored span (its store row) in the span explorer. */
  readonly revealInExplorer?: (row: number) => void;
  readonly copy?: (text: string) => void;
  readonly warn?: (message: string) => void;
  /** What the host calls a run (its debug session's name); absent or undefined: the service. */
  readonly runName?: RunName;
}

/** Two runs to compare: A (before) and B (after). */
export interface ComparisonRunIds {
  readonly runIdA: number;
  readonly runIdB: number;
}

const EMPTY_MESSAGE = 'No run selected. Runs appear in the msgtrace sidebar as soon as a program sends spans.';
const GONE_MESSAGE = 'This run is gone: it was cleared or dropped by the retention limits.';
/** Runs smaller than this are built when the page asks: they take a few milliseconds. */
export const BUILD_AHEAD_MIN_SPANS = 5_000;

export class TimelineSession implements Disposable {
  private keys = new RowKeys();
  /** Rows of the newest run built ahead (while the page loaded); valid until the store changes. */
  private prepared: RowsBuilder | undefined;
  private runId: number | undefined;
  /** Until the user picks a run, the page follows the newest one. */
  private followLatest = true;
  private ready = false;
  /** While the page shows a comparison instead of a run. */
  private comparison: ComparisonSession | undefined;
  /** The comparison the page's address asks for, computed while the page loaded; used if the page asks for it. */
  private preparedComparison: PreparedComparison | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private lastPost = 0;
  private readonly subscription: Disposable;

  constructor(
    private readonly store: TraceStore,
    private readonly ports: TimelinePorts,
    initialRunId?: number,
    /** What the host built while the page loaded: the newest run's rows, or the comparison the page will ask for. */
    prepared?: RowsBuilder | PreparedComparison,
    initialComparison?: ComparisonRunIds,
  ) {
    if (prepared instanceof PreparedComparison) this.preparedComparison = prepared;
    else this.prepared = prepared;
    if (initialRunId !== undefined && store.getRun(initialRunId)) {
      this.runId = initialRunId;
      this.followLatest = false;
    }
    this.subscription = store.onDidChange(change => this.onStoreChange(change));
    if (initialComparison) this.showComparison(initialComparison.runIdA, initialComparison.runIdB);
  }

  get currentRunId(): number | undefined {
    return this.comparison ? undefined : this.run()?.id;
  }

  /** The comparison the page shows, or undefined when it shows a run. */
  get currentComparison(): ComparisonRunIds | undefined {
    return this.comparison && { runIdA: this.comparison.runIdA, runIdB: this.comparison.runIdB };
  }

  /** Shows a run (undefined: follow the newest). */
  showRun(runId: number | undefined): void {
    this.endComparison();
    this.followLatest = runId === undefined;
    this.runId = runId;
    this.postState();
  }

  /** Shows the comparison of run A (before) with run B (after) instead of a run; sent once the page is ready. */
  showComparison(runIdA: number, runIdB: number): void {
    if (this.comparison?.runIdA === runIdA && this.comparison.runIdB === runIdB) return;
    this.endComparison();
    this.prepared = undefined;
    if (this.pending) {
      clearTimeout(this.pending);
      this.pending = undefined;
    }
    const prepared = this.preparedComparison;
    this.preparedComparison = undefined;
    this.comparison = new ComparisonSession(
      this.store,
      { post: m => this.ports.post(m), runName: this.ports.runName, canOpenSource: this.ports.openSource !== undefined, warn: this.ports.warn },
      runIdA,
      runIdB,
      prepared,
    );
    // The page shows the run again after the comparison as a new run: its keys start afresh.
    this.lastRunId = undefined;
    if (this.ready) this.comparison.start();
  }

  private endComparison(): void {
    this.comparison?.dispose();
    this.comparison = undefined;
  }

  /**
   * Starts building the rows of the run the page will show while the page loads (in slices, so the host stays
   * responsive); the state sent on the ready message then only finishes them. Any store change drops them.
   */
  buildAhead(): void {
    const run = this.run();
    if (this.ready || this.prepared || this.comparison || !run || run.spanCount < BUILD_AHEAD_MIN_SPANS) return;
    const builder = new RowsBuilder(this.store, run, new RowKeys());
    this.prepared = builder;
    buildInSlices(builder, () => this.prepared === builder);
  }

  /** Handles one message from the page; anything that is not a valid protocol message is dropped and logged. */
  handle(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const method = typeof raw === 'object' && raw !== null ? String((raw as { method?: unknown }).method).slice(0, 60) : typeof raw;
      this.ports.warn?.(`timeline: ignored an invalid message from the webview (${method})`);
      return;
    }
    switch (message.method) {
      case ReadyCommand.method:
        this.ready = true;
        // The page asks for a comparison before it says it is ready: a prepared one not asked for by now is not its.
        this.preparedComparison?.dispose();
        this.preparedComparison = undefined;
        if (this.comparison) this.comparison.start();
        else this.postState();
        return;
      case SelectRunCommand.method:
        if (this.store.getRun(message.params.runId)) this.showRun(message.params.runId);
        return;
      case RequestDetailsCommand.method: {
        const { requestId, key } = message.params;
        const row = this.keys.rowOf(key);
        const details = row !== undefined && this.store.rows.has(row) ? buildSpanDetails(this.store, row, key) : undefined;
        this.ports.post(DidLoadDetailsNotification.create({ requestId, details }));
        return;
      }
      case SearchCommand.method:
        this.ports.post(DidSearchNotification.create({ requestId: message.params.requestId, keys: this.search(message.params.query.text) }));
        return;
      case OpenSourceCommand.method: {
        const location = message.params;
        if (!this.ports.openSource) {
          this.report('This page cannot open files: use the timeline inside VS Code.');
          return;
        }
        void this.ports.openSource(location).then(
          refusal => refusal && this.report(refusal),
          (err: unknown) => this.report(`Could not open ${location.file}: ${String(err)}`),
        );
        return;
      }
      case SelectComparisonCommand.method:
        this.showComparison(message.params.runIdA, message.params.runIdB);
        return;
      case RequestPairDetailsCommand.method: {
        const { requestId, keyA, keyB } = message.params;
        if (this.comparison) this.comparison.details(requestId, keyA, keyB);
        else this.ports.post(DidLoadPairDetailsNotification.create({ requestId, a: undefined, b: undefined, diff: undefined }));
        return;
      }
      case RevealInExplorerCommand.method: {
        const row = this.comparison ? this.comparison.rowOf(message.params.key) : this.keys.rowOf(message.params.key);
        if (row !== undefined && this.store.rows.has(row) && this.ports.revealInExplorer) this.ports.revealInExplorer(row);
        return;
      }
      case CopyCommand.method:
        this.ports.copy?.(message.params.text);
        return;
      default:
        // A command added to the protocol without a handler here is a compile error.
        message satisfies never;
    }
  }

  private report(message: string): void {
    this.ports.post(DidReportNotification.create({ message }));
  }

  private search(text: string): number[] {
    if (this.comparison) return this.comparison.search(text);
    const run = this.run();
    const needle = text.trim().toLowerCase();
    if (!run || needle === '') return [];
    const keys: number[] = [];
    for (const row of this.store.flatten(run).rows) {
      const span = this.store.rows.span(row);
      if (span && spanMatches(span, needle)) keys.push(this.keys.keyOf(row));
    }
    return keys;
  }

  private run(): Run | undefined {
    if (this.followLatest) return this.store.runs()[0];
    return this.runId === undefined ? undefined : this.store.getRun(this.runId);
  }

  private onStoreChange(change: StoreChange): void {
    this.prepared = undefined;
    // A comparison listens to the store itself.
    if (!this.ready || this.comparison) return;
    const run = this.run();
    const relevant =
      change.cleared ||
      change.addedRuns.length > 0 ||
      change.removedRuns.length > 0 ||
      (run !== undefined && change.updatedRuns.includes(run)) ||
      (this.followLatest && run?.id !== this.lastRunId);
    if (relevant) this.schedulePost(run);
  }

  private lastRunId: number | undefined;

  /**
   * Big runs are re-sent less often while they grow: a 100k-row state takes tens of milliseconds to build and
   * to parse, and the page keeps its zoom, scroll and selection across each one anyway.
   */
  private schedulePost(run: Run | undefined): void {
    if (this.pending) return;
    const interval = run && run.spanCount > 20_000 ? 1000 : 100;
    const wait = Math.max(0, this.lastPost + interval - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.postState();
    }, wait);
  }

  /** The state of the shown run, built now. */
  state(): TimelineState {
    const run = this.run();
    const runs = listRuns(this.store, this.ports.runName);
    const canOpenSource = this.ports.openSource !== undefined;
    if (!run) {
      const message = this.followLatest || this.runId === undefined ? EMPTY_MESSAGE : GONE_MESSAGE;
      return { title: 'Timeline', message, runs, runId: undefined, receiving: false, originMs: 0, rows: emptyRows(), canOpenSource };
    }
    // Keys stand for rows of one run: a new run starts a new key space (the page treats it as a new run too).
    const prepared = this.prepared;
    this.prepared = undefined;
    let columns;
    if (prepared && prepared.run === run && run.id !== this.lastRunId) {
      prepared.step(Infinity);
      this.keys = prepared.keys;
      columns = prepared.columns();
    } else {
      if (run.id !== this.lastRunId) this.keys.reset();
      columns = buildRows(this.store, run, this.keys);
    }
    const rows = packRows(columns);
    return {
      title: runLabel(this.store, run, this.ports.runName),
      message: rows.count === 0 ? 'This run has no spans yet.' : '',
      runs,
      runId: run.id,
      receiving: this.store.isReceiving(run),
      originMs: runOriginMs(run),
      rows,
      canOpenSource,
    };
  }

  private postState(): void {
    if (!this.ready || this.comparison) return;
    if (this.pending) {
      clearTimeout(this.pending);
      this.pending = undefined;
    }
    const state = this.state();
    this.lastRunId = state.runId;
    this.lastPost = Date.now();
    this.ports.post(DidChangeStateNotification.create(state));
  }

  dispose(): void {
    this.endComparison();
    this.preparedComparison?.dispose();
    this.prepared = undefined;
    if (this.pending) clearTimeout(this.pending);
    this.subscription.dispose();
  }
}
