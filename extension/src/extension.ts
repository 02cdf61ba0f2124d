// Composition root: builds the parts and registers the VS Code adapters. Activation stays cheap: the receiver
// starts in the background, and nothing parses or scans until there is something to show.
import * as vscode from 'vscode';
import { DebugEnvProvider } from './host/debug/debugEnvProvider';
import { Commands, Views } from './host/ids';
import { registerReceiverCommands } from './host/receiver/receiverCommands';
import { ReceiverService } from './host/receiver/receiverService';
import { receiverOptions } from './host/settings';
import { ReceiverStatusBar } from './host/status/receiverStatusBar';
import { TimelinePanel } from './host/timeline/timelinePanel';
import { SpanTreeProvider } from './host/tree/spanTreeProvider';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface MsgtraceApi {
  /** Milliseconds spent inside activate(). */
  readonly activationMs: number;
  readonly timeline: TimelinePanel;
  readonly receiver: ReceiverService;
  readonly debug: DebugEnvProvider;
}

export function activate(context: vscode.ExtensionContext): MsgtraceApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('msgtrace', { log: true });
  const receiver = new ReceiverService(log);
  const timeline = new TimelinePanel(context.extensionUri, log);
  const spans = new SpanTreeProvider();
  const debug = new DebugEnvProvider(receiver, log);

  context.subscriptions.push(
    log,
    receiver,
    timeline,
    spans,
    debug,
    new ReceiverStatusBar(receiver),
    vscode.window.createTreeView(Views.spans, { treeDataProvider: spans, showCollapseAll: true }),
    vscode.commands.registerCommand(Commands.openTimeline, () => timeline.show()),
    vscode.commands.registerCommand(Commands.showLog, () => log.show(true)),
    ...registerReceiverCommands(receiver),
  );
  if (receiverOptions().autoStart) void receiver.start();

  const activationMs = performance.now() - t0;
  log.info(`msgtrace ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, timeline, receiver, debug };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
