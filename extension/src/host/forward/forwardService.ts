// Forwarding as the extension runs it: a Forwarder built from msgtrace.forward.*, fed by the receiver, changed
// in place when the settings or a header secret change, logged to the msgtrace log and shown in the status bar.
// Header values written as "${secret}" in msgtrace.forward.headers are read from VS Code's SecretStorage under
// the header's name; "msgtrace: Set Forward Header…" writes both, so a token never sits in settings.json.
import * as vscode from 'vscode';
import { DisposableStore, Emitter, type Disposable } from '../../core/common/event';
import { type AcknowledgedRequests, spansOf } from '../../forward/forwardConnection';
import { ForwardConfigError } from '../../forward/forwardOptions';
import { Forwarder, type ForwardStats, describeForwardStats, formatMiB } from '../../forward/forwarder';
import { Settings, SettingsSection } from '../ids';
import { affects, forwardSettings } from '../settings';

/** The value in msgtrace.forward.headers that means "read it from the secret storage". */
export const SECRET_PLACEHOLDER = '${secret}';
const SECRET_PREFIX = 'msgtrace.forward.header.';
/** Header names are case-insensitive: one secret per name. */
export const secretKeyOf = (header: string): string => `${SECRET_PREFIX}${header.toLowerCase()}`;

export type ForwardStatus =
  | { readonly kind: 'off' }
  /** The settings cannot work (a bad URL, a header whose secret is not set): nothing is forwarded. */
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'on'; readonly stats: ForwardStats };

export class ForwardService implements vscode.Disposable {
  private forwarder: Forwarder | undefined;
  private forwarderEvents: Disposable | undefined;
  private problem: string | undefined;
  private announced = '';
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new Emitter<void>());
  /** Something the status bar shows changed (often: per request while forwarding; listeners throttle). */
  readonly onDidChange = this._onDidChange.event;
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    receiver: AcknowledgedRequests,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.add(
      receiver.onDidReceive(received => {
        const forwarder = this.forwarder;
        if (!forwarder) return;
        forwarder.enqueue(received.batch.columns.body, spansOf(received));
        this._onDidChange.fire();
      }),
    );
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (affects(e, Settings.forwardEndpoint, Settings.forwardProtocol, Settings.forwardHeaders, Settings.forwardQueueMiB)) void this.apply();
      }),
    );
    this.disposables.add(secrets.onDidChange(e => e.key.startsWith(SECRET_PREFIX) && void this.apply()));
    void this.apply();
  }

  status(): ForwardStatus {
    if (this.problem !== undefined) return { kind: 'invalid', message: this.problem };
    return this.forwarder ? { kind: 'on', stats: this.forwarder.stats() } : { kind: 'off' };
  }

  /** Applies the current settings and secrets; calls run one after another, so the last one wins. */
  apply(): Promise<void> {
    this.applying = this.applying.then(() => this.applyNow()).catch((err: unknown) => this.log.error(`forward: ${(err as Error).message}`));
    return this.applying;
  }

  /** Waits until what is queued was sent, at most `timeoutMs`; true when nothing is left. */
  flush(timeoutMs: number): Promise<boolean> {
    return this.forwarder?.flush(timeoutMs) ?? Promise.resolve(true);
  }

  /**
   * Keeps `value` for header `name` in the secret storage and marks the header "${secret}" in the (user)
   * settings; an empty value removes both.
   */
  async setHeader(name: string, value: string): Promise<void> {
    const config = vscode.workspace.getConfiguration(SettingsSection);
    const current = Object.fromEntries(
      Object.entries(config.inspect<Record<string, string>>(Settings.forwardHeaders)?.globalValue ?? {}).filter(([key]) => key.toLowerCase() !== name.toLowerCase()),
    );
    if (value === '') await this.secrets.delete(secretKeyOf(name));
    else {
      await this.secrets.store(secretKeyOf(name), value);
      current[name] = SECRET_PLACEHOLDER;
    }
    // The endpoint and headers are machine settings (a workspace cannot redirect traces), so they live in user settings.
    await config.update(Settings.forwardHeaders, Object.keys(current).length ? current : undefined, vscode.ConfigurationTarget.Global);
    await this.apply();
  }

  private async applyNow(): Promise<void> {
    const s = forwardSettings();
    if (!s.endpoint) {
      this.problem = undefined;
      this.stop('forwarding off (msgtrace.forward.endpoint is empty)');
      return;
    }
    const headers: Record<string, string> = {};
    const missing: string[] = [];
    for (const [name, value] of Object.entries(s.headers)) {
      if (value !== SECRET_PLACEHOLDER) headers[name] = value;
      else {
        const secret = await this.secrets.get(secretKeyOf(name));
        if (secret === undefined) missing.push(name);
        else headers[name] = secret;
      }
    }
    try {
      if (missing.length) {
        throw new ForwardConfigError(
          `msgtrace.forward.headers takes ${missing.join(', ')} from the secret storage, which holds no value for ${missing.length === 1 ? 'it' : 'them'}: run "msgtrace: Set Forward Header…"`,
        );
      }
      const options = { endpoint: s.endpoint, protocol: s.protocol, headers, maxQueueBytes: s.maxQueueBytes, logger: this.log };
      if (this.forwarder) this.forwarder.configure(options);
      else {
        const forwarder = (this.forwarder = new Forwarder(options));
        this.forwarderEvents = forwarder.onDidChange(() => this._onDidChange.fire());
      }
      this.problem = undefined;
      const o = this.forwarder.options;
      // Header names only: their values may be secrets.
      const names = Object.keys(headers);
      const announcement = `forward: every accepted request goes to ${o.target.display} (${o.protocol}${names.length ? `, headers ${names.join(', ')}` : ''}); up to ${formatMiB(o.maxQueueBytes)} wait while it is slow or down`;
      // A header set by the command changes a secret and a setting: one line, not one per event.
      if (announcement !== this.announced) this.log.info(announcement);
      this.announced = announcement;
    } catch (err) {
      if (!(err instanceof ForwardConfigError)) throw err;
      this.problem = err.message;
      this.log.error(`forward: not forwarding: ${err.message}`);
      this.stop(undefined);
    }
    this._onDidChange.fire();
  }

  private stop(message: string | undefined): void {
    this.announced = '';
    const forwarder = this.forwarder;
    this.forwarder = undefined;
    this.forwarderEvents?.dispose();
    this.forwarderEvents = undefined;
    if (forwarder) {
      forwarder.dispose();
      this.log.info(describeForwardStats(forwarder.stats()));
      if (message) this.log.info(`forward: ${message}`);
    }
    this._onDidChange.fire();
  }

  dispose(): void {
    this.disposables.dispose();
    this.forwarderEvents?.dispose();
    this.forwarder?.dispose();
    this.forwarder = undefined;
  }
}
