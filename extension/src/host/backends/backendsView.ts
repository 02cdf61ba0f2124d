// The team backends in VS Code: the Backends view, "msgtrace: Open Trace by ID…", "msgtrace: Set Backend Header…"
// and the view's actions. Built at activation; nothing is read from SecretStorage or fetched until a row is
// expanded or a command runs.
import * as vscode from 'vscode';
import type { BackendConfig } from '../../backends/backendConfig';
import { parseTraceIdInput } from '../../backends/traceIds';
import type { Run } from '../../core/store/run';
import type { TraceStore } from '../../core/store/traceStore';
import { BuiltinCommands, Commands, Views } from '../ids';
import type { TimelinePanel } from '../timeline/timelinePanel';
import type { SpanExplorer } from '../tree/spanExplorer';
import { BackendConnections } from './backendConnections';
import { BackendNode, type BackendsElement, BackendsTreeProvider, MoreNode, TraceNode } from './backendsTree';
import { RemoteTraceOpener } from './remoteTraceOpener';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class BackendsView implements vscode.Disposable {
  readonly connections: BackendConnections;
  readonly provider: BackendsTreeProvider;
  readonly view: vscode.TreeView<BackendsElement>;
  readonly opener: RemoteTraceOpener;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(secrets: vscode.SecretStorage, store: TraceStore, explorer: SpanExplorer, timeline: TimelinePanel, log: vscode.LogOutputChannel) {
    this.connections = new BackendConnections(secrets);
    this.provider = new BackendsTreeProvider(this.connections, log);
    this.view = vscode.window.createTreeView(Views.backends, { treeDataProvider: this.provider, showCollapseAll: true });
    this.opener = new RemoteTraceOpener(store, this.connections, explorer, timeline, log);
    this.disposables.push(
      this.connections,
      this.provider,
      this.view,
      vscode.commands.registerCommand(Commands.openRemoteTrace, (node?: unknown) => (node instanceof TraceNode ? this.opener.open(node.parent.backend.config, node.summary.traceId) : undefined)),
      vscode.commands.registerCommand(Commands.showMoreTraces, (node?: unknown) => (node instanceof MoreNode ? this.provider.showMore(node) : undefined)),
      vscode.commands.registerCommand(Commands.refreshBackends, (node?: unknown) => this.provider.refresh(node as BackendsElement | undefined)),
      vscode.commands.registerCommand(Commands.configureBackends, () => vscode.commands.executeCommand(BuiltinCommands.openSettings, 'msgtrace.backends')),
      vscode.commands.registerCommand(Commands.openTraceById, (backendName?: unknown, traceId?: unknown) => this.openTraceById(backendName, traceId)),
      vscode.commands.registerCommand(Commands.setBackendHeader, (node?: unknown) => this.setHeader(node instanceof BackendNode ? node.config : undefined)),
    );
  }

  /** Asks for the id (and the backend when there are several) unless given (the API and tests pass them). */
  async openTraceById(backendName?: unknown, traceIdArg?: unknown): Promise<Run | undefined> {
    const config = typeof backendName === 'string' ? this.connections.find(backendName) : await this.pickBackend('Open a trace from which backend?');
    if (!config) return undefined;
    let traceId = typeof traceIdArg === 'string' ? parseTraceIdInput(traceIdArg) : undefined;
    if (traceId === undefined) {
      const input = await vscode.window.showInputBox({
        title: `msgtrace: Open Trace by ID (${config.name})`,
        prompt: 'The trace id: 32 hexadecimal characters (16 for a 64-bit id)',
        placeHolder: '5b8efff798038103d269b633813fc60c',
        ignoreFocusOut: true,
        value: typeof traceIdArg === 'string' ? traceIdArg : undefined,
        validateInput: v => (v.trim() === '' || parseTraceIdInput(v) ? undefined : 'A trace id is 32 hexadecimal characters (or 16), not all zeros'),
      });
      traceId = input === undefined ? undefined : parseTraceIdInput(input);
    }
    return traceId ? this.opener.open(config, traceId) : undefined;
  }

  private async setHeader(given?: BackendConfig): Promise<void> {
    const config = given ?? (await this.pickBackend('Set a header for which backend?'));
    if (!config) return;
    const existing = Object.keys(await this.connections.secrets.headers(config));
    const name = await vscode.window.showInputBox({
      title: `msgtrace: Set Backend Header (${config.name})`,
      prompt: `The header's name${existing.length ? ` (set now: ${existing.join(', ')})` : ''}`,
      value: existing[0] ?? 'Authorization',
      ignoreFocusOut: true,
      validateInput: v => (HEADER_NAME.test(v.trim()) ? undefined : 'A header name: letters, digits and !#$%&\'*+.^_`|~-'),
    });
    if (!name) return;
    const value = await vscode.window.showInputBox({
      title: `msgtrace: Set Backend Header (${config.name}: ${name.trim()})`,
      prompt: 'The value, e.g. "Bearer <token>". Kept in VS Code\'s secret storage, never in settings. Empty removes the header.',
      password: true,
      ignoreFocusOut: true,
      validateInput: v => (/[\r\n\0]/.test(v) ? 'A header value cannot hold a line break' : undefined),
    });
    if (value === undefined) return;
    await this.connections.secrets.setHeader(config, name.trim(), value.trim());
    void vscode.window.showInformationMessage(`msgtrace: ${value.trim() ? 'set' : 'removed'} the header ${name.trim()} for ${config.name} (kept in VS Code's secret storage).`);
  }

  private async pickBackend(title: string): Promise<BackendConfig | undefined> {
    const { backends, problems } = this.connections.settings();
    if (backends.length === 0) {
      const configure = 'Configure Backends';
      const detail = problems.length ? ` (${problems[0]})` : '';
      const choice = await vscode.window.showErrorMessage(`msgtrace: no team backend is configured in msgtrace.backends.list${detail}.`, configure);
      if (choice === configure) await vscode.commands.executeCommand(Commands.configureBackends);
      return undefined;
    }
    if (backends.length === 1) return backends[0];
    const picked = await vscode.window.showQuickPick(
      backends.map(b => ({ label: b.name, description: `${b.kind} · ${b.url}`, config: b })),
      { title, ignoreFocusOut: true },
    );
    return picked?.config;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
