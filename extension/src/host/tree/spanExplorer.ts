// The span explorer view: the tree, its title message (filter, evictions), selection of a new debug session's
// run, the store's eviction notices, and runs repainted when the store says they stopped receiving.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { formatCount } from '../../core/views/format';
import { isActive } from '../../core/views/spanFilter';
import type { DebugEnvProvider } from '../debug/debugEnvProvider';
import { BuiltinCommands, ContextKeys, Views } from '../ids';
import type { RunNaming } from './spanTreeItems';
import { type SpanItem, SpanTreeProvider, type TreeElement } from './spanTreeProvider';

export class SpanExplorer implements vscode.Disposable {
  readonly provider: SpanTreeProvider;
  readonly view: vscode.TreeView<TreeElement>;
  readonly naming: RunNaming;
  private readonly disposables = new DisposableStore();
  /** Sessions started whose first run has not appeared yet: it gets the focus when it does. */
  private readonly awaitedSessions = new Set<string>();

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
    this.disposables.add(this.provider);
    this.disposables.add(this.view);
    this.disposables.add(this.provider.onDidChangeFilter(() => this.updateMessage()));
    this.disposables.add(
      store.onDidChange(change => {
        if (change.evictedRuns || change.cleared || change.removedRuns.length) this.updateMessage();
        for (const run of change.addedRuns) this.focusIfAwaited(run);
      }),
    );
    // A run shows "receiving" until the store's idle time passes; the store says when (no timer of our own).
    this.disposables.add(store.onDidGoIdle(runs => this.provider.refreshRuns(runs)));
    this.disposables.add(debug.onDidStartSession(session => this.awaitedSessions.add(session.id)));
  }

  /** Selects a stored span in the tree, expanding its ancestors; resolves to its item. */
  async reveal(row: number, options: { select?: boolean; focus?: boolean; expand?: boolean } = { select: true, focus: true, expand: true }): Promise<SpanItem> {
    const item = this.provider.elementOf(row);
    await this.view.reveal(item, options);
    return item;
  }

  private focusIfAwaited(run: Run): void {
    const id = run.debugSessionId;
    if (!id || !this.awaitedSessions.delete(id)) return;
    if (this.view.visible) void this.view.reveal(run, { select: true, focus: false, expand: true });
  }

  private updateMessage(): void {
    void vscode.commands.executeCommand(BuiltinCommands.setContext, ContextKeys.filterActive, isActive(this.provider.activeFilter));
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
    this.disposables.dispose();
  }
}
