// The receiver as the extension runs it: started from settings, restarted when they change, reported in the
// log and in messages a user sees when something needs their attention (a taken port, a non-loopback bind).
import * as vscode from 'vscode';
import { DisposableStore, Emitter, type Event } from '../../core/common/event';
import type { TraceStore } from '../../core/store/traceStore';
import { connectIngest } from '../../receiver/ingestConnection';
import { type ListenAddress, OtlpReceiver, type ReceiverAddresses, type ReceiverState, formatHostPort } from '../../receiver/otlpReceiver';
import { isLoopback } from '../../receiver/receiverOptions';
import type { ReceiverStatsSnapshot } from '../../receiver/receiverStats';
import type { ReceivedBatch } from '../../receiver/traceIngest';
import { affects, receiverOptions } from '../settings';
import { BuiltinCommands, ContextKeys, Settings } from '../ids';

export class ReceiverService implements vscode.Disposable {
  // Private: start, stop and restart must go through serialize(), and the store is fed here, in one place.
  private readonly receiver: OtlpReceiver;
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new Emitter<void>());
  /** Fires when the receiver starts, stops or moves. */
  readonly onDidChange = this._onDidChange.event;
  /** Each decoded trace request, after it was counted; the store has it already (or in slices, soon). */
  readonly onDidReceive: Event<ReceivedBatch>;
  private pending: Promise<void> = Promise.resolve();

  /** Every batch the receiver decodes goes into `store`, tagged with its debug session. */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    store: TraceStore,
  ) {
    this.receiver = new OtlpReceiver({ ...receiverOptions(), logger: log });
    this.onDidReceive = this.receiver.onDidReceive;
    this.disposables.add(connectIngest(this.receiver, store, log));
    this.disposables.add(
      this.receiver.onDidChangeState(() => {
        void vscode.commands.executeCommand(BuiltinCommands.setContext, ContextKeys.receiverRunning, this.receiver.state === 'running');
        this._onDidChange.fire();
      }),
    );
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (affects(e, Settings.receiverHost, Settings.receiverHttpPort, Settings.receiverGrpcPort, Settings.receiverMaxBodyMiB)) {
          if (this.receiver.state === 'running') void this.restart();
        }
      }),
    );
    // Last, so the subscriptions above are gone before the receiver reports stopping.
    this.disposables.add({ dispose: () => void this.receiver.dispose() });
  }

  get state(): ReceiverState {
    return this.receiver.state;
  }

  /** Where the servers listen; empty while stopped. */
  get addresses(): ReceiverAddresses {
    return this.receiver.addresses;
  }

  /** The receiver's counters since activation. */
  stats(): ReceiverStatsSnapshot {
    return this.receiver.stats();
  }

  get running(): boolean {
    return this.receiver.state === 'running';
  }

  /** The OTLP/HTTP base URL (`http://127.0.0.1:4318`) while running. */
  httpBaseUrl(): string | undefined {
    const http = this.receiver.addresses.http;
    return http ? `http://${formatHostPort(connectHost(http.host), http.port)}` : undefined;
  }

  /** The OTLP/HTTP traces URL, for exporters that take the full path. */
  tracesUrl(): string | undefined {
    const base = this.httpBaseUrl();
    return base && `${base}/v1/traces`;
  }

  /** Starts the receiver unless it runs; resolves to the OTLP/HTTP base URL, or undefined if it could not start. */
  async ensureRunning(): Promise<string | undefined> {
    if (!this.running) await this.start();
    return this.httpBaseUrl();
  }

  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.running) return;
      try {
        await this.receiver.restart({ ...receiverOptions(), logger: this.log });
        this.announce();
      } catch (err) {
        const message = `msgtrace could not start its OTLP receiver: ${(err as Error).message}`;
        this.log.error(message);
        void vscode.window.showErrorMessage(message, 'Open Settings').then(choice => {
          if (choice) void vscode.commands.executeCommand(BuiltinCommands.openSettings, 'msgtrace.receiver');
        });
      }
    });
  }

  stop(): Promise<void> {
    return this.serialize(async () => {
      await this.receiver.stop();
      this.log.info('receiver stopped');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private announce(): void {
    const { http, grpc } = this.receiver.addresses;
    const moved = [http && describeFallback('OTLP/HTTP', http), grpc && describeFallback('OTLP/gRPC', grpc)].filter(Boolean);
    if (moved.length) {
      void vscode.window.showWarningMessage(
        `${moved.join('; ')}. Debug sessions get the right address automatically; other programs need the new port.`,
      );
    }
    const host = (http ?? grpc)?.host;
    if (host && !isLoopback(host)) {
      void vscode.window.showWarningMessage(
        `The msgtrace receiver listens on ${host}: programs on other machines can send spans to this editor. Set msgtrace.receiver.host to 127.0.0.1 to stop that.`,
      );
    }
  }

  // Start, stop and restart run one at a time, in call order.
  private serialize(work: () => Promise<void>): Promise<void> {
    this.pending = this.pending.then(work, work);
    return this.pending;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function describeFallback(what: string, address: ListenAddress): string | undefined {
  return address.fallback ? `${what} port ${address.requestedPort} is in use, so msgtrace listens on port ${address.port}` : undefined;
}

/** A wildcard bind is reached through loopback. */
function connectHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}
