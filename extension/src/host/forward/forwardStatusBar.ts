// Forwarding in the status bar, shown while msgtrace.forward.endpoint is set: whether the upstream takes the
// requests, and what was lost (dropped by the queue bound, refused or given up); a click opens the log.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { describeCount, formatMiB } from '../../forward/forwarder';
import { Commands } from '../ids';
import type { ForwardService } from './forwardService';

const REFRESH_MS = 500;
const count = (n: number) => n.toLocaleString('en-US');

export class ForwardStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('msgtrace.forward', vscode.StatusBarAlignment.Left, 9);
  private readonly disposables = new DisposableStore();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly service: ForwardService) {
    this.item.name = 'msgtrace forwarding';
    this.item.command = { command: Commands.showLog, title: 'Show the msgtrace log' };
    // Drops can come thousands a second: at most two repaints a second.
    this.disposables.add(service.onDidChange(() => this.schedule()));
    this.update();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, REFRESH_MS);
  }

  private update(): void {
    const status = this.service.status();
    if (status.kind === 'off') {
      this.item.hide();
      return;
    }
    if (status.kind === 'invalid') {
      this.item.text = '$(error) forward off';
      this.item.tooltip = `msgtrace does not forward: ${status.message}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      this.item.show();
      return;
    }
    const s = status.stats;
    const icon = s.state === 'healthy' ? '$(cloud-upload)' : s.state === 'retrying' ? '$(sync~spin)' : '$(error)';
    const lost = [s.dropped.requests ? `${count(s.dropped.requests)} dropped` : '', s.failed.requests ? `${count(s.failed.requests)} failed` : ''].filter(Boolean);
    this.item.text = [`${icon} forward${s.state === 'healthy' ? '' : ` ${s.state}`}`, ...lost].join(' · ');
    this.item.backgroundColor =
      s.state === 'failing' ? new vscode.ThemeColor('statusBarItem.errorBackground') : s.state === 'retrying' || lost.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const lines = [
      `msgtrace forwards to ${s.endpoint} (${s.protocol}): ${s.state}`,
      `sent ${describeCount(s.sent)}`,
      `waiting ${describeCount(s.queued)}, ${formatMiB(s.queued.bytes)} of ${formatMiB(s.maxQueueBytes)}`,
    ];
    if (s.retries) lines.push(`${count(s.retries)} retries`);
    if (s.dropped.requests) lines.push(`dropped ${describeCount(s.dropped)}: the oldest waiting, when the queue was full`);
    if (s.failed.requests) lines.push(`failed ${describeCount(s.failed)}: refused by the upstream or given up after retrying`);
    if (s.rejectedSpans) lines.push(`${count(s.rejectedSpans)} spans rejected by the upstream (partial success)`);
    if (s.lastError) lines.push(`last error: ${s.lastError}`);
    lines.push('Click for the msgtrace log.');
    // Plain text: the last error's words come from another program.
    this.item.tooltip = lines.join('\n');
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.dispose();
    this.item.dispose();
  }
}
