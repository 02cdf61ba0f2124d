// Opt-in (msgtrace.terminal.injectEnvironment): new integrated terminals get the tracing environment, for
// programs started with "Run Python File" or from a shell. Their spans arrive as the "terminal" session.
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/common/event';
import { sessionEndpoint } from '../../core/env/sessionEndpoint';
import { traceEnvironment } from '../../core/env/traceEnvironment';
import { Settings, SettingsSection } from '../ids';
import type { ReceiverService } from '../receiver/receiverService';
import { traceSettings } from '../settings';

const TERMINAL_SESSION = 'terminal';

export class TerminalEnvironment implements vscode.Disposable {
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly collection: vscode.GlobalEnvironmentVariableCollection,
    private readonly receiver: ReceiverService,
  ) {
    this.disposables.add(receiver.onDidChange(() => this.update()));
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(SettingsSection)) this.update();
      }),
    );
    this.update();
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration(SettingsSection).get<boolean>(Settings.terminalInjectEnvironment, false);
  }

  private update(): void {
    this.collection.clear();
    const base = this.receiver.httpBaseUrl();
    if (!this.enabled() || !base) return;
    const env = traceEnvironment(traceSettings(), sessionEndpoint(base, TERMINAL_SESSION), 'terminal');
    for (const [key, value] of Object.entries(env)) this.collection.replace(key, value);
    this.collection.description = new vscode.MarkdownString(`msgtrace: tracing on. Programs started here send their spans to ${base} (setting msgtrace.terminal.injectEnvironment).`);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
