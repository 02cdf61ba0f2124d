// "Compare with Previous Run" and "Compare Runs…" (docs/compare.md): which two runs, picked from the span
// explorer or the command palette; the comparison itself opens in the timeline panel.
import * as vscode from 'vscode';
import { previousRunOf } from '../../core/compare/previousRun';
import { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { formatClock, formatCount, formatDuration } from '../../core/views/format';
import { Commands } from '../ids';
import type { SpanExplorer } from '../tree/spanExplorer';
import { type RunNaming, runLabel } from '../tree/spanTreeItems';
import { MoreItem, SpanItem } from '../tree/spanTreeProvider';

export interface ComparisonTarget {
  /** Opens the comparison of run A (before) with run B (after). */
  showComparison(runIdA: number, runIdB: number): void;
}


export function previousRun(store: TraceStore, run: Run, naming: RunNaming): Run | undefined {
  return previousRunOf(store.runs(), run, r => runLabel(r, naming));
}

export function registerCompareCommands(store: TraceStore, explorer: SpanExplorer, target: ComparisonTarget): vscode.Disposable[] {
  const naming = explorer.naming;
  /** The run a command is about: the run (or id) it was invoked on, the run of a span item, else the selection's run. */
  const runOf = (arg: unknown): Run | undefined => {
    if (arg instanceof Run) return store.getRun(arg.id) === arg ? arg : undefined;
    if (typeof arg === 'number') return store.getRun(arg);
    if (arg instanceof SpanItem || arg instanceof MoreItem) return explorer.provider.runOf(arg);
    const selected = explorer.view.selection[0];
    return selected === undefined ? undefined : explorer.provider.runOf(selected);
  };
  const noPrevious = (run: Run) =>
    vscode.window.showInformationMessage(
      `msgtrace: "${runLabel(run, naming)}" has no earlier run of the same launch configuration or service to compare with. Run it again, or use "Compare Runs…" to pick any two.`,
    );
  return [
    vscode.commands.registerCommand(Commands.compareWithPrevious, (arg?: unknown) => {
      const run = runOf(arg) ?? store.runs()[0];
      if (!run) {
        void vscode.window.showInformationMessage('msgtrace: there is no run to compare yet. Runs appear when a program sends spans (F5).');
        return false;
      }
      const before = previousRun(store, run, naming);
      if (!before) {
        void noPrevious(run);
        return false;
      }
      target.showComparison(before.id, run.id);
      return true;
    }),
    // The disabled menu entry of a run without a previous run; should it run anyway (a stale menu), it says why.
    vscode.commands.registerCommand(Commands.compareWithPreviousUnavailable, (arg?: unknown) => {
      const run = runOf(arg);
      if (run) void noPrevious(run);
    }),
    vscode.commands.registerCommand(Commands.compareRuns, async (arg?: unknown, picked?: { a: number; b: number }) => {
      // `picked` skips the quick picks (tests, other extensions).
      if (picked && store.getRun(picked.a) && store.getRun(picked.b)) {
        target.showComparison(picked.a, picked.b);
        return true;
      }
      const runs = store.runs().filter(r => r.spanCount > 0);
      if (runs.length < 2) {
        void vscode.window.showInformationMessage('msgtrace: comparing needs two runs with spans; there ' + (runs.length === 1 ? 'is one.' : 'are none.'));
        return false;
      }
      const invokedOn = arg === undefined || arg === null ? undefined : runOf(arg);
      const b = invokedOn ?? (await pickRun(runs, naming, 'Compare Runs (1/2): the run after your change (B)'));
      if (!b) return false;
      const a = await pickRun(
        runs.filter(r => r !== b),
        naming,
        `Compare Runs (2/2): compare "${runLabel(b, naming)}" with (A, before)`,
        previousRun(store, b, naming),
      );
      if (!a) return false;
      target.showComparison(a.id, b.id);
      return true;
    }),
  ];
}

async function pickRun(runs: readonly Run[], naming: RunNaming, title: string, suggested?: Run): Promise<Run | undefined> {
  const items = runs.map(run => ({
    label: runLabel(run, naming),
    description: [formatClock(run.startMs), `${formatCount(run.spanCount)} spans`, formatDuration(run.durationNanos), run.errorCount ? `${formatCount(run.errorCount)} errors` : '']
      .filter(Boolean)
      .join(' · '),
    detail: run === suggested ? 'the previous run of the same launch configuration or service' : undefined,
    run,
  }));
  if (suggested) {
    const i = items.findIndex(item => item.run === suggested);
    if (i > 0) items.unshift(...items.splice(i, 1));
  }
  const choice = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return choice?.run;
}
