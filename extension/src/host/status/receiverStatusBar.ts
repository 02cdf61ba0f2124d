// The receiver in the status bar: state, port and spans received; a click opens the span explorer.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { BuiltinCommands } from '../ids';
import type { ReceiverService } from '../receiver/receiverService';

const REFRESH_MS = 500;

export class ReceiverStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('msgtrace.receiver', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables = new DisposableStore();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly service: ReceiverService) {
    this.item.name = 'msgtrace receiver';
    this.item.command = { command: BuiltinCommands.focusSpans, title: 'Open the span explorer' };
    this.disposables.add(service.onDidChange(() => this.update()));
    // Counting is cheap; repainting per request is not: at most two updates a second.
    this.disposables.add(service.onDidReceive(() => this.schedule()));
    this.update();
    this.item.show();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, REFRESH_MS);
  }

  private update(): void {
    const receiver = this.service;
    const stats = receiver.stats();
    const { http, grpc } = receiver.addresses;
    if (receiver.state !== 'running') {
      this.item.text = '$(circle-slash) msgtrace';
      this.item.tooltip = `msgtrace receiver: ${receiver.state}. Click to open the span explorer; "msgtrace: Start Receiver" starts it.`;
      this.item.backgroundColor = undefined;
      return;
    }
    const spans = stats.spans.toLocaleString('en-US');
    this.item.text = `$(radio-tower) msgtrace :${http?.port ?? grpc?.port} · ${spans} spans`;
    const lines = [
      'msgtrace receiver running',
      http ? `OTLP/HTTP  ${this.service.httpBaseUrl()}  (protobuf, JSON)` : 'OTLP/HTTP off',
      grpc ? `OTLP/gRPC  ${grpc.host}:${grpc.port}` : 'OTLP/gRPC off',
      `${spans} spans in ${stats.traceRequests.toLocaleString('en-US')} requests` + (stats.rejectedSpans ? `, ${stats.rejectedSpans} rejected` : ''),
    ];
    if (stats.logRequests || stats.metricRequests) {
      lines.push(`${stats.logRequests} log and ${stats.metricRequests} metric requests accepted but not shown (msgtrace shows traces only)`);
    }
    const errors = Object.values(stats.errors).reduce((a, b) => a + b, 0);
    if (errors) lines.push(`${errors} bad requests; last: ${stats.lastError}`);
    // A plain-text tooltip: the last error's text comes from another program.
    this.item.tooltip = lines.join('\n');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.dispose();
    this.item.dispose();
  }
}
