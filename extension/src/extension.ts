// Composition root: builds the parts and registers the VS Code adapters. Activation stays cheap: the receiver
// starts in the background, and nothing parses or scans until there is something to show.
import * as vscode from 'vscode';
import { TraceStore } from './core/store/traceStore';
import { BackendsView } from './host/backends/backendsView';
import { CaptureView } from './host/capture/captureFlags';
import { registerCompareCommands } from './host/compare/compareCommands';
import { DebugEnvProvider } from './host/debug/debugEnvProvider';
import { registerForwardCommands } from './host/forward/forwardCommands';
import { ForwardService } from './host/forward/forwardService';
import { ForwardStatusBar } from './host/forward/forwardStatusBar';
import { Commands, Settings } from './host/ids';
import { registerReceiverCommands } from './host/receiver/receiverCommands';
import { ReceiverService } from './host/receiver/receiverService';
import { affects, liveUpdateIntervalMs, receiverOptions, retentionLimits } from './host/settings';
import { SourceLinks } from './host/source/sourceLinks';
import { JournalService } from './host/storage/journalService';
import { registerStorageCommands } from './host/storage/storageCommands';
import { ReceiverStatusBar } from './host/status/receiverStatusBar';
import { TerminalEnvironment } from './host/terminal/terminalEnvironment';
import { TimelinePanel } from './host/timeline/timelinePanel';
import { SpanExplorer } from './host/tree/spanExplorer';
import { registerSpanTreeCommands } from './host/tree/spanTreeCommands';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface MsgtraceApi {
  /** Milliseconds spent inside activate(). */
  readonly activationMs: number;
  readonly store: TraceStore;
  readonly timeline: TimelinePanel;
  readonly receiver: ReceiverService;
  readonly debug: DebugEnvProvider;
  readonly explorer: SpanExplorer;
  readonly source: SourceLinks;
  readonly journal: JournalService;
  readonly backends: BackendsView;
  readonly forward: ForwardService;
}

let journalToClose: JournalService | undefined;
let forwardToFlush: ForwardService | undefined;
/** How long closing the window waits for queued requests to reach the forward endpoint. */
const FORWARD_FLUSH_MS = 2000;

export function activate(context: vscode.ExtensionContext): MsgtraceApi {
  const t0 = performance.now();
  // The terminal environment names the receiver's current port: never replay it into a later window.
  context.environmentVariableCollection.persistent = false;
  const log = vscode.window.createOutputChannel('msgtrace', { log: true });
  const store = new TraceStore({ retention: retentionLimits(), updateIntervalMs: liveUpdateIntervalMs() });
  // The receiver feeds the store itself (receiver/ingestConnection.ts), in slices, tagged with debug sessions.
  const receiver = new ReceiverService(log, store);
  const debug = new DebugEnvProvider(receiver, log);
  const explorer = new SpanExplorer(store, debug);
  const timeline = new TimelinePanel(context.extensionUri, log, store, { runName: run => explorer.naming.sessionName(run) });
  const source = new SourceLinks(store, explorer, log);
  // Subscribes to the receiver before anything can arrive, and replays the last session in the background.
  const journal = (journalToClose = new JournalService(JournalService.folderOf(context), store, receiver, log));
  // The tee to a team backend (msgtrace.forward.*), subscribed before anything can arrive too.
  const forward = (forwardToFlush = new ForwardService(context.secrets, receiver, log));
  timeline.onDidRequestReveal(row => void explorer.reveal(row));
  // Jaeger and Tempo as sources: nothing is fetched until the Backends view is expanded or a command runs.
  const backends = new BackendsView(context.secrets, store, explorer, timeline, log);

  context.subscriptions.push(
    log,
    { dispose: () => store.dispose() },
    receiver,
    timeline,
    debug,
    explorer,
    source,
    new ReceiverStatusBar(receiver),
    new CaptureView(),
    new TerminalEnvironment(context.environmentVariableCollection, receiver),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (affects(e, Settings.retentionMaxSpans, Settings.retentionMaxMiB)) store.setLimits(retentionLimits());
      if (affects(e, Settings.liveUpdatesPerSecond)) store.setUpdateInterval(liveUpdateIntervalMs());
    }),
    vscode.commands.registerCommand(Commands.openTimeline, () => timeline.show()),
    vscode.commands.registerCommand(Commands.showLog, () => log.show(true)),
    ...registerReceiverCommands(receiver),
    journal,
    backends,
    ...registerStorageCommands(store, journal, log),
    ...registerSpanTreeCommands(store, explorer.provider, explorer.view, explorer.naming, run => timeline.show(run.id), node => source.goToSource(node)),
    ...registerCompareCommands(store, explorer, timeline),
    forward,
    new ForwardStatusBar(forward),
    ...registerForwardCommands(forward),
  );
  if (receiverOptions().autoStart) void receiver.start();

  const activationMs = performance.now() - t0;
  log.info(`msgtrace ${context.extension.packageJSON.version as string} activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, store, timeline, receiver, debug, explorer, source, journal, forward, backends };
}

export function deactivate(): Promise<void> | undefined {
  // Everything else is disposed through context.subscriptions; the journal's queued spans must reach the disk,
  // and requests queued for the forward endpoint get a bounded wait.
  return Promise.all([journalToClose?.close(), forwardToFlush?.flush(FORWARD_FLUSH_MS)]).then(() => undefined);
}
