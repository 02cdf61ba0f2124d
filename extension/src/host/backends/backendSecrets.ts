// The headers sent to each team backend (tokens, tenant ids), kept in VS Code's SecretStorage (the OS keychain),
// never in settings.json: one secret per backend, a JSON object of header name → value. The secret is keyed by the
// backend's name and its URL's origin: a workspace's settings that point a known name elsewhere get no token.
import type * as vscode from 'vscode';
import type { BackendConfig } from '../../backends/backendConfig';
import { Emitter, type Event } from '../../core/common/event';

const KEY_PREFIX = 'msgtrace.backendHeaders/';

export class BackendSecrets {
  private readonly changed = new Emitter<void>();
  /** Fires when the headers of a backend changed (here or in another window). */
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(e => {
      if (e.key.startsWith(KEY_PREFIX)) this.changed.fire();
    });
  }

  async headers(backend: BackendConfig): Promise<Record<string, string>> {
    const raw = await this.secrets.get(keyOf(backend));
    if (!raw) return {};
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  }

  /** Sets one header; an empty value removes it. */
  async setHeader(backend: BackendConfig, name: string, value: string): Promise<void> {
    // Header names are case-insensitive: one entry per name.
    const headers = Object.fromEntries(Object.entries(await this.headers(backend)).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
    if (value) headers[name] = value;
    if (Object.keys(headers).length) await this.secrets.store(keyOf(backend), JSON.stringify(headers));
    else await this.secrets.delete(keyOf(backend));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function keyOf(backend: BackendConfig): string {
  return `${KEY_PREFIX}${backend.name}@${new URL(backend.url).origin}`;
}
