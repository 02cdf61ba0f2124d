// The latest run's spans indexed by definition, for the CodeLens, the hover and the Problems panel. Rebuilt
// lazily and at most once per debounce interval: a live run changes ~10 times a second, and editors need not.
import * as vscode from 'vscode';
import { type RunSpan, SymbolSpans } from '../../core/source/symbolSpans';
import type { Run } from '../../core/store/run';
import type { StoreChange } from '../../core/store/storeChange';
import type { TraceStore } from '../../core/store/traceStore';

export class LatestRunSpans implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** Fires (debounced) when the latest run changes or gets spans. */
  readonly onDidChange = this._onDidChange.event;
  private current: { run: Run | undefined; spans?: SymbolSpans } | undefined;
  /** Subtree tokens by row. */
  private readonly tokens = new Map<number, number | undefined>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly store: TraceStore,
    private readonly debounceMs = 300,
  ) {
    this.subscription = store.onDidChange(change => this.onStoreChange(change));
  }

  /** The newest run, or undefined when the store is empty. */
  get run(): Run | undefined {
    return (this.current ??= { run: this.store.runs()[0] }).run;
  }

  get spans(): SymbolSpans | undefined {
    const run = this.run;
    if (!run || !this.current) return undefined;
    return (this.current.spans ??= new SymbolSpans(this.spansOf(run), s => this.store.classOf(s.row)));
  }

  /** The run's spans with their rows, placeholders left out (indexing reads each span's code.* attributes). */
  private spansOf(run: Run): RunSpan[] {
    const out: RunSpan[] = [];
    for (const row of this.store.flatten(run).rows) {
      const span = this.store.rows.span(row);
      if (span) out.push({ row, span });
    }
    return out;
  }

  /** Total tokens of a span's subtree, undefined when none reported usage (cached until the run changes). */
  tokensOf(span: RunSpan): number | undefined {
    if (!this.tokens.has(span.row)) {
      const u = this.store.subtreeUsage(span.row);
      this.tokens.set(span.row, u.totalTokens ?? (u.inputTokens !== undefined || u.outputTokens !== undefined ? (u.inputTokens ?? 0) + (u.outputTokens ?? 0) : undefined));
    }
    return this.tokens.get(span.row);
  }

  private onStoreChange(change: StoreChange): void {
    const run = this.current?.run;
    const touched =
      change.cleared ||
      change.addedRuns.length > 0 ||
      (run !== undefined && (change.removedRuns.includes(run) || change.updatedRuns.includes(run))) ||
      (run === undefined && change.updatedRuns.length > 0);
    if (!touched) return;
    if (change.cleared || (run !== undefined && change.removedRuns.includes(run))) {
      // Cleared runs must leave the Problems panel now, not after the debounce.
      this.invalidate();
      return;
    }
    this.timer ??= setTimeout(() => this.invalidate(), this.debounceMs);
  }

  private invalidate(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.current = undefined;
    this.tokens.clear();
    this._onDidChange.fire();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.subscription.dispose();
    this._onDidChange.dispose();
  }
}
