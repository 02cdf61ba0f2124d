// The clients of the configured team backends: made when a view or command first needs one (with the headers
// from SecretStorage and the receiver's body limit), kept while the settings and headers stay the same.
import * as vscode from 'vscode';
import { Emitter, type Event } from '../../core/common/event';
import type { BackendClient } from '../../backends/backendClient';
import { createBackendClient } from '../../backends/backendClients';
import type { BackendConfig } from '../../backends/backendConfig';
import { affects, backendSettings, receiverOptions } from '../settings';
import { Settings } from '../ids';
import { BackendSecrets } from './backendSecrets';

export class BackendConnections implements vscode.Disposable {
  readonly secrets: BackendSecrets;
  private readonly clients = new Map<string, Promise<BackendClient>>();
  private readonly changed = new Emitter<void>();
  /** The backends, their settings or their headers changed: lists and clients are stale. */
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(secretStorage: vscode.SecretStorage) {
    this.secrets = new BackendSecrets(secretStorage);
    this.disposables.push(
      this.secrets,
      vscode.workspace.onDidChangeConfiguration(e => {
        if (affects(e, Settings.backendsList, Settings.backendsTimeoutSeconds, Settings.receiverMaxBodyMiB)) this.forget();
        else if (affects(e, Settings.backendsTimeWindowMinutes, Settings.backendsPageSize)) this.changed.fire();
      }),
    );
    const sub = this.secrets.onDidChange(() => this.forget());
    this.disposables.push({ dispose: () => sub.dispose() });
  }

  /** The settings as they are now (read each time: they are cheap, and always current). */
  settings(): ReturnType<typeof backendSettings> {
    return backendSettings();
  }

  find(name: string): BackendConfig | undefined {
    return this.settings().backends.find(b => b.name === name);
  }

  client(config: BackendConfig): Promise<BackendClient> {
    const key = `${config.name}\u0000${config.kind}\u0000${config.url}`;
    let client = this.clients.get(key);
    if (!client) {
      const { timeoutMs } = this.settings();
      // The receiver's body limit bounds what a backend's answer may cost too.
      const maxBodyBytes = receiverOptions().maxBodyBytes ?? 64 * 1024 * 1024;
      client = this.secrets.headers(config).then(headers => createBackendClient(config, { headers, timeoutMs, maxBodyBytes }));
      this.clients.set(key, client);
    }
    return client;
  }

  /** Drops the clients (of one backend, or all) and says the lists are stale. */
  forget(name?: string): void {
    for (const key of [...this.clients.keys()]) if (name === undefined || key.startsWith(`${name}\u0000`)) this.clients.delete(key);
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
