// F5 with traces: gives the launch configurations of the chosen debug types the environment that sends
// their spans to the receiver, on a per-session URL path so the spans arrive tied to that session.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../../core/common/event';
import { type LaunchConfigurationLike, launchEnvironment, parseEnvFile } from '../../core/env/launchEnvironment';
import { sessionEndpoint } from '../../core/env/sessionEndpoint';
import { contentCaptureFlagsOn, traceEnvironment } from '../../core/env/traceEnvironment';
import { Settings } from '../ids';
import type { ReceiverService } from '../receiver/receiverService';
import { affects, debugSettings, traceSettings } from '../settings';

/** The launch configuration property that carries our session id into the started session. */
const SESSION_PROPERTY = 'msgtraceSession';

/** A debug session that sends to us. */
export interface TracedSession {
  /** The id in the session's endpoint path. */
  readonly id: string;
  /** The VS Code debug session, once it started. */
  session?: vscode.DebugSession;
  readonly name: string;
  readonly endpoint: string;
  /** Capture flags that record content and were on when the session started. */
  readonly contentCapture: readonly string[];
  readonly startedAt: number;
}

export class DebugEnvProvider implements vscode.DebugConfigurationProvider, vscode.Disposable {
  /** One provider per debug type of the settings, replaced as a whole when they change. */
  private registrations = new DisposableStore();
  private readonly disposables = new DisposableStore();
  private readonly sessions = new Map<string, TracedSession>();
  private readonly _onDidStartSession = new Emitter<TracedSession>();
  /** Fires when a traced debug session has started. */
  readonly onDidStartSession = this._onDidStartSession.event;

  constructor(
    private readonly receiver: ReceiverService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.register();
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (affects(e, Settings.debugTypes)) this.register();
      }),
    );
    this.disposables.add(
      vscode.debug.onDidStartDebugSession(session => {
        const id: unknown = session.configuration[SESSION_PROPERTY];
        const traced = typeof id === 'string' ? this.sessions.get(id) : undefined;
        if (!traced) return;
        traced.session = session;
        this.log.info(`debug session "${session.name}" sends its spans to ${traced.endpoint}`);
        this._onDidStartSession.fire(traced);
      }),
    );
    this.disposables.add(this._onDidStartSession);
  }

  /** The traced session whose endpoint path carries this id. */
  session(id: string): TracedSession | undefined {
    return this.sessions.get(id);
  }

  private register(): void {
    this.registrations.dispose();
    this.registrations = new DisposableStore();
    for (const type of debugSettings().types) this.registrations.add(vscode.debug.registerDebugConfigurationProvider(type, this));
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration> {
    const { enabled, types } = debugSettings();
    if (!enabled || config.msgtrace === false || config.request === 'attach' || !types.includes(config.type)) return config;
    const base = await this.receiver.ensureRunning();
    if (!base) {
      this.log.warn(`debug session "${config.name}" starts without tracing: the receiver is not running`);
      return config;
    }
    const id = randomBytes(9).toString('base64url');
    const endpoint = sessionEndpoint(base, id);
    const settings = traceSettings();
    const env = traceEnvironment(settings, endpoint, config.name);
    const envFileVariables = await readEnvFile(config.envFile, folder);
    const decision = launchEnvironment(config as LaunchConfigurationLike, env, { debugTypes: types, envFileVariables });
    if (!decision.env) {
      this.log.info(`debug session "${config.name}": ${decision.reason}`);
      return config;
    }
    if (decision.keptFromUser.length) {
      this.log.info(`debug session "${config.name}": kept your own ${decision.keptFromUser.join(', ')}`);
    }
    this.sessions.set(id, {
      id,
      name: config.name,
      endpoint,
      contentCapture: contentCaptureFlagsOn(settings.capture),
      startedAt: Date.now(),
    });
    return { ...config, env: decision.env, [SESSION_PROPERTY]: id };
  }

  dispose(): void {
    this.registrations.dispose();
    this.disposables.dispose();
  }
}

async function readEnvFile(envFile: unknown, folder: vscode.WorkspaceFolder | undefined): Promise<Record<string, string> | undefined> {
  if (typeof envFile !== 'string' || !envFile) return undefined;
  const path = envFile.startsWith('/') || /^[A-Za-z]:[\\/]/.test(envFile) || !folder ? envFile : vscode.Uri.joinPath(folder.uri, envFile).fsPath;
  try {
    return parseEnvFile(await readFile(path, 'utf8'));
  } catch {
    // The debug adapter reports a missing envFile itself.
    return undefined;
  }
}
