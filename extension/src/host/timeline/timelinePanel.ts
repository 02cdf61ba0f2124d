import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import type { IpcMessage } from '../../protocol/ipc';
import { ReadyCommand, type SourceLocation, type TimelineViewState } from '../../protocol/timelineProtocol';
import { WebviewPanels } from '../ids';
import { type ComparisonRunIds, TimelineSession } from '../../timeline/timelineSession';
import { type SourceResolver, workspaceSourceResolver } from './sourceResolver';
import { webviewHtml } from './webviewHtml';

export interface TimelinePanelOptions {
  /** What the host calls a run (its debug session's name), shown in the title and picker. */
  readonly runName?: (run: Run) => string | undefined;
  readonly resolveSource?: SourceResolver;
}

/**
 * The timeline webview: one panel, revealed again when it is already open, and restored after a window reload
 * (registerWebviewPanelSerializer), showing a run or the comparison of two runs. The protocol work happens in a
 * TimelineSession; this class gives it the VS Code parts: the webview, the editor for source links, the clipboard.
 */
export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** Exists exactly while the panel does. */
  private session: TimelineSession | undefined;
  private readonly runName: ((run: Run) => string | undefined) | undefined;
  private readonly resolveSource: SourceResolver;
  private readonly disposables = new DisposableStore();
  private readonly onDidReceiveReadyEmitter = new vscode.EventEmitter<void>();
  /** Fires when the webview finished loading and asked for its state. */
  readonly onDidReceiveReady = this.onDidReceiveReadyEmitter.event;
  private readonly onDidRequestRevealEmitter = new vscode.EventEmitter<number>();
  /** The user asked to see a span in the span explorer; whoever owns the explorer reveals it. */
  readonly onDidRequestReveal = this.onDidRequestRevealEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly store: TraceStore,
    options: TimelinePanelOptions = {},
  ) {
    this.runName = options.runName;
    this.resolveSource = options.resolveSource ?? workspaceSourceResolver;
    this.disposables.add(
      vscode.window.registerWebviewPanelSerializer(WebviewPanels.timeline, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const saved = typeof state === 'object' && state !== null ? (state as TimelineViewState) : undefined;
          const runId = saved?.runId;
          this.adopt(panel, typeof runId === 'number' ? runId : undefined, comparisonOf(saved?.compare));
        },
      }),
    );
  }

  show(runId?: number): void {
    if (this.panel) {
      this.panel.reveal();
      if (runId !== undefined) this.session?.showRun(runId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(WebviewPanels.timeline, 'msgtrace Timeline', vscode.ViewColumn.Active, this.options());
    this.adopt(panel, runId);
  }

  /** Shows the comparison of run A (before) with run B (after) in the panel, opening it when needed. */
  showComparison(runIdA: number, runIdB: number): void {
    if (this.panel) {
      this.panel.reveal();
      this.session?.showComparison(runIdA, runIdB);
      return;
    }
    const panel = vscode.window.createWebviewPanel(WebviewPanels.timeline, 'msgtrace Timeline', vscode.ViewColumn.Active, this.options());
    this.adopt(panel, undefined, { runIdA, runIdB });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')], retainContextWhenHidden: false };
  }

  private adopt(panel: vscode.WebviewPanel, runId: number | undefined, comparison?: ComparisonRunIds): void {
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'media');
    if (this.panel !== panel) {
      this.panel = panel;
      panel.webview.options = this.options();
      panel.iconPath = vscode.Uri.joinPath(mediaRoot, 'activity.svg');
      this.disposables.add(panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)));
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.session?.dispose();
        this.session = undefined;
      });
    }
    this.session?.dispose();
    const post = (message: IpcMessage) => void panel.webview.postMessage(message);
    this.session = new TimelineSession(
      this.store,
      {
        post,
        openSource: location => this.openSource(location),
        revealInExplorer: row => this.onDidRequestRevealEmitter.fire(row),
        copy: text => void vscode.env.clipboard.writeText(text),
        warn: message => this.log.warn(message),
        runName: this.runName,
      },
      runId,
      undefined,
      comparison,
    );
    // The rows are built while the webview loads; the ready message then finds them (nearly) done.
    this.session.buildAhead();
    // A fresh HTML load restarts the handshake, so the new session gets the webview's ready message.
    panel.webview.html = webviewHtml(panel.webview, mediaRoot, { title: 'msgtrace Timeline', script: 'dist/webview.js', style: 'timeline.css' });
  }

  private onMessage(message: unknown): void {
    this.session?.handle(message);
    if (ReadyCommand.is(message)) this.onDidReceiveReadyEmitter.fire();
  }

  private async openSource(location: SourceLocation): Promise<string | undefined> {
    const uri = await this.resolveSource(location.file);
    if (!uri) return `${location.file} is not a file in this workspace, so msgtrace does not open it.`;
    const pos = new vscode.Position(location.line - 1, Math.max(0, (location.column ?? 1) - 1));
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: true, viewColumn: vscode.ViewColumn.Beside });
    return undefined;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The run the panel shows, for tests and commands (undefined while it shows a comparison). */
  get runId(): number | undefined {
    return this.session?.currentRunId;
  }

  /** The comparison the panel shows, for tests and commands. */
  get comparison(): ComparisonRunIds | undefined {
    return this.session?.currentComparison;
  }

  dispose(): void {
    this.panel?.dispose();
    this.session?.dispose();
    this.disposables.dispose();
    this.onDidReceiveReadyEmitter.dispose();
    this.onDidRequestRevealEmitter.dispose();
  }
}

/** The comparison a restored panel showed, when its saved state names one. */
function comparisonOf(saved: unknown): ComparisonRunIds | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const { runIdA, runIdB } = saved as { runIdA?: unknown; runIdB?: unknown };
  const id = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  return id(runIdA) && id(runIdB) ? { runIdA, runIdB } : undefined;
}
