import * as vscode from 'vscode';
import { DidChangeStateNotification, ReadyCommand, type TimelineState } from '../../protocol/timelineProtocol';
import { WebviewPanels } from '../ids';
import { webviewHtml } from './webviewHtml';

/** The timeline webview: one panel, revealed again when it is already open. */
export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private state: TimelineState = {
    title: 'Timeline',
    message: 'No run selected. Runs appear in the msgtrace sidebar as soon as a program sends spans.',
  };
  private readonly onDidReceiveReadyEmitter = new vscode.EventEmitter<void>();
  /** Fires when the webview finished loading and asked for its state. */
  readonly onDidReceiveReady = this.onDidReceiveReadyEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const mediaRoot = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(WebviewPanels.timeline, 'msgtrace Timeline', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [mediaRoot],
    });
    panel.iconPath = vscode.Uri.joinPath(mediaRoot, 'activity.svg');
    panel.webview.html = webviewHtml(panel.webview, mediaRoot, {
      title: 'msgtrace Timeline',
      script: 'dist/webview.js',
      style: 'timeline.css',
    });
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (ReadyCommand.is(message)) {
        this.ready = true;
        this.post();
        this.onDidReceiveReadyEmitter.fire();
      } else {
        this.log.warn('timeline: ignored an unknown message from the webview');
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
    this.panel = panel;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  setState(state: TimelineState): void {
    this.state = state;
    this.post();
  }

  private post(): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(DidChangeStateNotification.create(this.state));
  }

  dispose(): void {
    this.panel?.dispose();
    this.onDidReceiveReadyEmitter.dispose();
  }
}
