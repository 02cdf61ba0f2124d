// Composition root: builds the parts and registers the VS Code adapters. Activation stays cheap: nothing here
// parses, scans or listens before the user opens a view, runs a command or starts a debug session.
import * as vscode from 'vscode';
import { Commands, Views } from './host/ids';
import { TimelinePanel } from './host/timeline/timelinePanel';
import { SpanTreeProvider } from './host/tree/spanTreeProvider';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface MsgtraceApi {
  /** Milliseconds spent inside activate(). */
  readonly activationMs: number;
  readonly timeline: TimelinePanel;
}

export function activate(context: vscode.ExtensionContext): MsgtraceApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('msgtrace', { log: true });
  const timeline = new TimelinePanel(context.extensionUri, log);
  const spans = new SpanTreeProvider();

  context.subscriptions.push(
    log,
    timeline,
    spans,
    vscode.window.createTreeView(Views.spans, { treeDataProvider: spans, showCollapseAll: true }),
    vscode.commands.registerCommand(Commands.openTimeline, () => timeline.show()),
    vscode.commands.registerCommand(Commands.showLog, () => log.show(true)),
  );

  const activationMs = performance.now() - t0;
  log.info(`msgtrace ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, timeline };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
