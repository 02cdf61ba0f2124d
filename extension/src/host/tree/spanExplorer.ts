// The span explorer view: the tree, its title message (filter, evictions), selection of a new debug session's
// run, and the store's eviction notices.
import * as vscode from 'vscode';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { formatCount } from '../../core/views/format';
import { isActive } from '../../core/views/spanFilter';
import type { DebugEnvProvider } from '../debug/debugEnvProvider';
import { Views } from '../ids';
import type { RunNaming } from './spanTreeItems';
import { SpanTreeProvider, type TreeElement } from './spanTreeProvider';

export class SpanExplorer implements vscode.Disposable {
  readonly provider: SpanTreeProvider;
  readonly view: vscode.TreeView<TreeElement>;
  readonly naming: RunNaming;
  private readonly disposables: vscode.Disposable[] = [];
  /** Sessions started whose first run has not appeared yet: it gets the focus when it does. */
  private readonly awaitedSessions = new Set<string>();
  /** Runs shown as receiving; repainted once they have been quiet long enough to stop being so. */
  private readonly receiving = new Set<Run>();
  private quietTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: TraceStore,
    debug: DebugEnvProvider,
  ) {
    this.naming = {
      sessionName: run => (run.debugSessionId ? debug.session(run.debugSessionId)?.name : undefined),
      contentCapture: run => (run.debugSessionId ? (debug.session(run.debugSessionId)?.contentCapture ?? []) : []),
    };
    this.provider = new SpanTreeProvider(store, this.naming);
    this.view = vscode.window.createTreeView(Views.spans, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.provider,
      this.view,
      this.provider.onDidChangeFilter(() => this.updateMessage()),
      store.onDidChange(change => {
        if (change.evictedRuns || change.cleared || change.removedRuns.length) this.updateMessage();
        for (const run of change.addedRuns) this.focusIfAwaited(run);
        if (change.updatedRuns.length) this.watchQuiet(change.updatedRuns);
        void vscode.commands.executeCommand('setContext', 'msgtrace.hasTraces', store.stats.spans > 0);
      }),
      debug.onDidStartSession(session => this.awaitedSessions.add(session.id)),
    );
  }

  private watchQuiet(runs: readonly Run[]): void {
    for (const run of runs) this.receiving.add(run);
    if (this.quietTimer) clearTimeout(this.quietTimer);
    // The store calls a run receiving until it has been quiet for its idle time (3 s by default).
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      const quiet = [...this.receiving].filter(r => !this.store.isReceiving(r));
      for (const r of quiet) this.receiving.delete(r);
      this.provider.refreshRuns(quiet);
      if (this.receiving.size) this.watchQuiet([]);
    }, 3_200);
  }

  private focusIfAwaited(run: Run): void {
    const id = run.debugSessionId;
    if (!id || !this.awaitedSessions.delete(id)) return;
    if (this.view.visible) void this.view.reveal(run, { select: true, focus: false, expand: true });
  }

  private updateMessage(): void {
    void vscode.commands.executeCommand('setContext', 'msgtrace.filterActive', isActive(this.provider.activeFilter));
    const parts: string[] = [];
    const filter = this.provider.filterMessage();
    if (filter) parts.push(filter);
    const { evictedRuns, evictedSpans } = this.store.stats;
    if (evictedRuns) {
      parts.push(`${formatCount(evictedRuns)} older runs (${formatCount(evictedSpans)} spans) were dropped to stay within msgtrace.retention limits.`);
    }
    this.view.message = parts.length ? parts.join(' ') : undefined;
  }

  dispose(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    for (const d of this.disposables) d.dispose();
  }
}
