// The Backends view: each configured backend → its services → the recent traces of a service, newest first, a page
// at a time ("Show more"), within the time window setting. Nothing is fetched until a row is expanded. A failure
// becomes an error row with the message (a click retries) and a line in the log. Everything shown comes from
// another system: labels are plain text and tooltips untrusted MarkdownStrings filled with appendText.
import * as vscode from 'vscode';
import type { TraceSummary } from '../../backends/backendClient';
import type { BackendConfig } from '../../backends/backendConfig';
import { BackendError } from '../../backends/backendError';
import { TracePager } from '../../backends/tracePager';
import { formatClock, formatCount, formatDuration, truncate } from '../../core/views/format';
import { Commands, ViewItems, Views } from '../ids';
import type { BackendConnections } from './backendConnections';

export class BackendNode {
  constructor(readonly config: BackendConfig) {}
}

export class ServiceNode {
  constructor(
    readonly backend: BackendNode,
    readonly service: string,
  ) {}
}

export class TraceNode {
  constructor(
    readonly parent: ServiceNode,
    readonly summary: TraceSummary,
  ) {}
}

export class MoreNode {
  constructor(readonly parent: ServiceNode) {}
}

/** An error (or a note) in place of a row's children; clicking an error loads `parent`'s children again. */
export class MessageNode {
  constructor(
    readonly parent: BackendNode | ServiceNode | undefined,
    readonly text: string,
    readonly error: boolean,
  ) {}
}

export type BackendsElement = BackendNode | ServiceNode | TraceNode | MoreNode | MessageNode;

export class BackendsTreeProvider implements vscode.TreeDataProvider<BackendsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BackendsElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private backends: BackendNode[] = [];
  /** Per backend name: its service rows, so a refresh of one row keeps the others' identity. */
  private readonly services = new Map<string, ServiceNode[]>();
  private readonly pagers = new Map<ServiceNode, TracePager>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connections: BackendConnections,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = connections.onDidChange(() => this.refresh());
  }

  /** Lists everything again from the settings (a backend given: only its rows). */
  refresh(element?: BackendsElement): void {
    if (element instanceof BackendNode || element instanceof ServiceNode || element instanceof MessageNode) {
      const target = element instanceof MessageNode ? element.parent : element;
      if (target instanceof BackendNode) {
        this.services.delete(target.config.name);
        for (const s of [...this.pagers.keys()]) if (s.backend === target) this.pagers.delete(s);
      } else if (target instanceof ServiceNode) this.pagers.delete(target);
      this.changed.fire(target);
      return;
    }
    this.backends = [];
    this.services.clear();
    this.pagers.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(element: BackendsElement): vscode.TreeItem {
    if (element instanceof BackendNode) return backendItem(element.config);
    if (element instanceof ServiceNode) {
      const item = new vscode.TreeItem(truncate(element.service, 200) || '(no name)', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `backend:${element.backend.config.name}/service:${element.service}`;
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.contextValue = ViewItems.backendService;
      const minutes = this.connections.settings().timeWindowMinutes;
      item.tooltip = plain(`Traces of ${element.service} in the last ${minutes} minutes (msgtrace.backends.timeWindowMinutes), newest first.`);
      return item;
    }
    if (element instanceof TraceNode) return traceItem(element);
    if (element instanceof MoreNode) {
      const item = new vscode.TreeItem('Show more…', vscode.TreeItemCollapsibleState.None);
      item.id = `backend:${element.parent.backend.config.name}/service:${element.parent.service}/more`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = ViewItems.moreTraces;
      item.command = { command: Commands.showMoreTraces, title: 'Show more', arguments: [element] };
      return item;
    }
    const item = new vscode.TreeItem(truncate(firstLine(element.text), 160), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(element.error ? 'error' : 'info', element.error ? new vscode.ThemeColor('errorForeground') : undefined);
    item.tooltip = plain(element.error && element.parent ? `${element.text}\n\nClick to try again.` : element.text);
    item.contextValue = ViewItems.backendMessage;
    if (element.error && element.parent) item.command = { command: Commands.refreshBackends, title: 'Try again', arguments: [element] };
    return item;
  }

  getParent(element: BackendsElement): BackendsElement | undefined {
    if (element instanceof ServiceNode) return element.backend;
    if (element instanceof TraceNode || element instanceof MoreNode) return element.parent;
    if (element instanceof MessageNode) return element.parent;
    return undefined;
  }

  async getChildren(element?: BackendsElement): Promise<BackendsElement[]> {
    if (!element) return this.roots();
    if (element instanceof BackendNode) return this.servicesOf(element);
    if (element instanceof ServiceNode) return this.tracesOf(element);
    return [];
  }

  /** Fetches the next page of a service's traces into the view. */
  async showMore(node: MoreNode): Promise<void> {
    const pager = this.pagers.get(node.parent);
    if (!pager) return this.refresh(node.parent);
    await vscode.window.withProgress({ location: { viewId: Views.backends }, title: 'Loading traces' }, async () => {
      try {
        await pager.next();
      } catch (err) {
        this.failed(node.parent.backend.config, `listing more traces of ${node.parent.service}`, err, true);
      }
    });
    this.changed.fire(node.parent);
  }

  private roots(): BackendsElement[] {
    const { backends, problems } = this.connections.settings();
    // Keep the row objects of unchanged backends: the tree keeps their expansion.
    const old = new Map(this.backends.map(b => [b.config.name, b]));
    this.backends = backends.map(config => {
      const kept = old.get(config.name);
      return kept && kept.config.kind === config.kind && kept.config.url === config.url ? kept : new BackendNode(config);
    });
    for (const p of problems) this.log.warn(`backends: ${p}`);
    // No backend and no problem: the view's welcome text explains the setting.
    return [...this.backends, ...problems.map(p => new MessageNode(undefined, p, true))];
  }

  private async servicesOf(node: BackendNode): Promise<BackendsElement[]> {
    const cached = this.services.get(node.config.name);
    if (cached) return cached;
    try {
      const client = await this.connections.client(node.config);
      const names = await client.services();
      const rows = names.map(n => new ServiceNode(node, n));
      this.services.set(node.config.name, rows);
      return rows.length ? rows : [new MessageNode(node, 'No services (nothing stored yet?)', false)];
    } catch (err) {
      return [this.failed(node.config, 'listing services', err, false)];
    }
  }

  private async tracesOf(node: ServiceNode): Promise<BackendsElement[]> {
    let pager = this.pagers.get(node);
    try {
      if (!pager) {
        const { timeWindowMinutes, pageSize } = this.connections.settings();
        const client = await this.connections.client(node.backend.config);
        // The window is fixed when the list is made: "Show more" pages back from the same "now".
        const nowUs = Date.now() * 1000;
        pager = new TracePager(client, node.service, nowUs - timeWindowMinutes * 60e6, nowUs + 1, pageSize);
        await pager.next();
        this.pagers.set(node, pager);
      }
    } catch (err) {
      return [this.failed(node.backend.config, `listing traces of ${node.service}`, err, false, node)];
    }
    const rows: BackendsElement[] = pager.traces.map(t => new TraceNode(node, t));
    if (pager.hasMore) rows.push(new MoreNode(node));
    if (rows.length === 0) rows.push(new MessageNode(node, `No traces in the last ${this.connections.settings().timeWindowMinutes} minutes`, false));
    return rows;
  }

  /** Logs a failure and makes its error row; `notify` also shows it (for actions, not for expanding). */
  private failed(config: BackendConfig, what: string, err: unknown, notify: boolean, parent?: ServiceNode): MessageNode {
    const message = err instanceof BackendError ? err.message : `${config.kind} "${config.name}": ${what} failed: ${(err as Error).message ?? String(err)}`;
    this.log.warn(`backends: ${what}: ${message}`);
    if (notify) void vscode.window.showErrorMessage(`msgtrace: ${message}`);
    return new MessageNode(parent ?? this.backends.find(b => b.config.name === config.name), message, true);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function backendItem(config: BackendConfig): vscode.TreeItem {
  const item = new vscode.TreeItem(config.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `backend:${config.name}`;
  item.description = `${config.kind} · ${config.url}`;
  item.iconPath = new vscode.ThemeIcon('cloud');
  item.contextValue = ViewItems.backend;
  item.tooltip = plain(`${config.kind === 'jaeger' ? 'Jaeger' : 'Tempo'} at ${config.url}\nHeaders (tokens) are set with "msgtrace: Set Backend Header…" and kept in VS Code's secret storage.`);
  return item;
}

function traceItem(node: TraceNode): vscode.TreeItem {
  const t = node.summary;
  const item = new vscode.TreeItem(truncate(t.rootName, 200) || '(root span not received)', vscode.TreeItemCollapsibleState.None);
  item.id = `backend:${node.parent.backend.config.name}/trace:${t.traceId}`;
  const startMs = t.startUs / 1000;
  item.description = [t.durationUs >= 0 ? formatDuration(t.durationUs * 1000) : '', formatWhen(startMs)].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon('pulse');
  item.contextValue = ViewItems.remoteTrace;
  item.command = { command: Commands.openRemoteTrace, title: 'Open trace', arguments: [node] };
  const md = plain('');
  md.appendMarkdown('**');
  md.appendText(truncate(t.rootName || '(root span not received)', 300));
  md.appendMarkdown('**  \n');
  const line = (label: string, value: string) => {
    md.appendText(`${label}: ${value}`);
    md.appendMarkdown('  \n');
  };
  line('trace id', t.traceId);
  if (t.rootService) line('service', truncate(t.rootService, 200));
  line('started', new Date(startMs).toLocaleString());
  if (t.durationUs >= 0) line('duration', formatDuration(t.durationUs * 1000));
  if (t.spanCount !== undefined) line('spans', formatCount(t.spanCount));
  md.appendText('Click to open it in the span explorer and the timeline.');
  item.tooltip = md;
  item.accessibilityInformation = { label: `trace ${t.rootName || t.traceId}, ${item.description}` };
  return item;
}

/** The time of day for today's traces, else the date too. */
function formatWhen(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return formatClock(ms);
  return `${d.toLocaleDateString()} ${formatClock(ms)}`;
}

/** An untrusted MarkdownString holding `text` as text. */
function plain(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return text ? md.appendText(text) : md;
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}
