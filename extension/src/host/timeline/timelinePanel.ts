import * as vscode from 'vscode';
import type { Run } from '../../core/store/run';
import type { SpanNode } from '../../core/store/spanNode';
import type { TraceStore } from '../../core/store/traceStore';
import type { IpcMessage } from '../../protocol/ipc';
import { DidChangeStateNotification, type SourceLocation, type TimelineViewState, emptyRows } from '../../protocol/timelineProtocol';
import { WebviewPanels } from '../ids';
import { EMPTY_MESSAGE, TimelineSession } from '../../timeline/timelineSession';
import { type SourceResolver, workspaceSourceResolver } from './sourceResolver';
import { webviewHtml } from './webviewHtml';

/**
 * The timeline webview: one panel, revealed again when it is already open, and restored after a window reload
 * (registerWebviewPanelSerializer). The protocol work happens in a TimelineSession; this class gives it the
 * VS Code parts: the webview, the editor for source links, the clipboard.
 */
export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private session: TimelineSession | undefined;
  private store: TraceStore | undefined;
  private runName: ((run: Run) => string | undefined) | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onDidReceiveReadyEmitter = new vscode.EventEmitter<void>();
  /** Fires when the webview finished loading and asked for its state. */
  readonly onDidReceiveReady = this.onDidReceiveReadyEmitter.event;
  private readonly onDidRequestRevealEmitter = new vscode.EventEmitter<SpanNode>();
  /** The user asked to see a span in the span explorer; whoever owns the explorer reveals it. */
  readonly onDidRequestReveal = this.onDidRequestRevealEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly resolveSource: SourceResolver = workspaceSourceResolver,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(WebviewPanels.timeline, {
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const runId = typeof state === 'object' && state !== null ? (state as TimelineViewState).runId : undefined;
          this.adopt(panel, typeof runId === 'number' ? runId : undefined);
        },
      }),
    );
  }

  /** Gives the timeline its data; until then it shows the empty state. */
  /** @param runName what the host calls a run (its debug session's name), shown in the title and picker. */
  attachStore(store: TraceStore, runName?: (run: Run) => string | undefined): void {
    this.store = store;
    this.runName = runName;
    if (this.panel) this.adopt(this.panel, undefined);
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

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')], retainContextWhenHidden: false };
  }

  private adopt(panel: vscode.WebviewPanel, runId: number | undefined): void {
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'media');
    if (this.panel !== panel) {
      this.panel = panel;
      panel.webview.options = this.options();
      panel.iconPath = vscode.Uri.joinPath(mediaRoot, 'activity.svg');
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message), undefined, this.disposables);
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.session?.dispose();
        this.session = undefined;
      });
    }
    this.session?.dispose();
    const post = (message: IpcMessage) => void panel.webview.postMessage(message);
    this.session = this.store
      ? new TimelineSession(
          this.store,
          {
            post,
            openSource: location => this.openSource(location),
            revealInExplorer: node => this.onDidRequestRevealEmitter.fire(node),
            copy: text => void vscode.env.clipboard.writeText(text),
            warn: message => this.log.warn(message),
            runName: this.runName,
          },
          runId,
        )
      : undefined;
    // The rows are built while the webview loads; the ready message then finds them (nearly) done.
    this.session?.buildAhead();
    // A fresh HTML load restarts the handshake, so the new session gets the webview's ready message.
    panel.webview.html = webviewHtml(panel.webview, mediaRoot, { title: 'msgtrace Timeline', script: 'dist/webview.js', style: 'timeline.css' });
  }

  private onMessage(message: unknown): void {
    if (this.session) this.session.handle(message);
    else if (typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'webview/ready') {
      void this.panel?.webview.postMessage(
        DidChangeStateNotification.create({
          title: 'Timeline',
          message: EMPTY_MESSAGE,
          runs: [],
          runId: undefined,
          receiving: false,
          originMs: 0,
          rows: emptyRows(),
          canOpenSource: false,
        }),
      );
    } else {
      this.log.warn('timeline: ignored a message from the webview (no store attached)');
    }
    if (typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'webview/ready') {
      this.onDidReceiveReadyEmitter.fire();
    }
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

  /** The run the panel shows, for tests and commands. */
  get runId(): number | undefined {
    return this.session?.currentRunId;
  }

  dispose(): void {
    this.panel?.dispose();
    this.session?.dispose();
    for (const d of this.disposables) d.dispose();
    this.onDidReceiveReadyEmitter.dispose();
    this.onDidRequestRevealEmitter.dispose();
  }
}
