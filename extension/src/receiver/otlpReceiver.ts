// The receiver the extension (and the CLI) starts: OTLP/HTTP and OTLP/gRPC servers around one decoder, with
// port fallback, start/stop/restart, an event per decoded batch and counters. No `vscode` here: the host
// turns `onDidReceive`, `addresses` and `stats()` into the store, the status bar and the log.
import type * as http from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { Emitter, type Event } from '../core/common/event';
import { ConnectionGate } from './connectionGate';
import { type GrpcServer, createGrpcServer, shutdownGrpc } from './grpcServer';
import { createHttpServer } from './httpServer';
import { type ReceiverOptions, type ResolvedReceiverOptions, isLoopback, resolveOptions } from './receiverOptions';
import { ReceiverStats, type ReceiverStatsSnapshot } from './receiverStats';
import { ExportHandoff, type ReceivedBatch } from './traceIngest';

/** Where one transport listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
  /** The port the settings asked for. */
  readonly requestedPort: number;
  /** True when the requested port was taken and a free one was used instead. */
  readonly fallback: boolean;
}

export interface ReceiverAddresses {
  readonly http?: ListenAddress;
  readonly grpc?: ListenAddress;
}

export type ReceiverState = 'stopped' | 'starting' | 'running' | 'stopping';

export class OtlpReceiver {
  private readonly _onDidReceive = new Emitter<ReceivedBatch>();
  /** Fired once per trace request with at least one span (accepted or rejected), after counting it. */
  readonly onDidReceive: Event<ReceivedBatch> = this._onDidReceive.event;
  private readonly _onDidChangeState = new Emitter<ReceiverState>();
  /** Fired after start, stop and restart change the state (addresses are current when it fires). */
  readonly onDidChangeState: Event<ReceiverState> = this._onDidChangeState.event;

  private options: ResolvedReceiverOptions;
  private readonly counters = new ReceiverStats();
  private httpServer: http.Server | undefined;
  private grpcServer: GrpcServer | undefined;
  private gates: ConnectionGate[] = [];
  private _addresses: ReceiverAddresses = {};
  private _state: ReceiverState = 'stopped';

  constructor(options: ReceiverOptions = {}) {
    this.options = resolveOptions(options);
  }

  get state(): ReceiverState {
    return this._state;
  }

  /** Where the servers listen; empty while stopped. */
  get addresses(): ReceiverAddresses {
    return this._addresses;
  }

  /** Counters since construction (restarts keep counting). */
  stats(): ReceiverStatsSnapshot {
    return this.counters.snapshot();
  }

  /**
   * Starts the configured servers. Rejects (with nothing left listening) if the host is not loopback without
   * `allowNonLoopback`, or a port is taken with `strictPorts`, or binding fails otherwise.
   */
  async start(): Promise<ReceiverAddresses> {
    if (this._state !== 'stopped') throw new Error(`receiver is ${this._state}`);
    const o = this.options;
    if (!isLoopback(o.host)) {
      if (!o.allowNonLoopback) throw new Error(`refusing to listen on ${o.host}: only loopback is allowed unless the setting allows other interfaces`);
      o.logger.warn(`listening on ${o.host}: the OTLP receiver has no authentication, anyone who can reach this interface can send spans`);
    }
    this.setState('starting');
    // One hand-off for both servers: they count, deliver and fail alike (traceIngest.ts).
    const ctx = { options: o, stats: this.counters, handoff: new ExportHandoff(o, this.counters, b => this._onDidReceive.fire(b)) };
    try {
      const addresses: { http?: ListenAddress; grpc?: ListenAddress } = {};
      // Each server has its own connection limits (docs/receiver.md#connection-limits), counted across restarts.
      const gate = (transport: 'http' | 'grpc') => {
        const g = new ConnectionGate({ maxConnections: o.maxConnections, silentTimeoutMs: o.headersTimeoutMs }, this.counters.connections[transport]);
        this.gates.push(g);
        return g;
      };
      if (o.httpPort !== null) {
        const server = (this.httpServer = createHttpServer(ctx, gate('http')));
        addresses.http = await this.withFallback('OTLP/HTTP', o.httpPort, port => listen(server, o.host, port));
      }
      if (o.grpcPort !== null) {
        const { listener } = (this.grpcServer = createGrpcServer(ctx, gate('grpc')));
        addresses.grpc = await this.withFallback('OTLP/gRPC', o.grpcPort, port => listen(listener, o.host, port));
      }
      this._addresses = addresses;
    } catch (err) {
      // Like the Collector: if the second server fails, the first one does not stay up alone.
      await this.closeServers();
      this.setState('stopped');
      throw err;
    }
    this.setState('running');
    return this._addresses;
  }

  /** Stops both servers; open connections are closed. Safe to call when stopped. */
  async stop(): Promise<void> {
    if (this._state === 'stopped') return;
    this.setState('stopping');
    await this.closeServers();
    this._addresses = {};
    this.setState('stopped');
  }

  /** Stops, applies new options (if given) and starts again. */
  async restart(options?: ReceiverOptions): Promise<ReceiverAddresses> {
    await this.stop();
    if (options) this.options = resolveOptions(options);
    return this.start();
  }

  /** Stops and releases the listeners. */
  async dispose(): Promise<void> {
    await this.stop();
    this._onDidReceive.dispose();
    this._onDidChangeState.dispose();
  }

  private setState(state: ReceiverState): void {
    this._state = state;
    this._onDidChangeState.fire(state);
  }

  private async withFallback(what: string, port: number, bind: (port: number) => Promise<number>): Promise<ListenAddress> {
    const host = this.options.host;
    try {
      const bound = await bind(port);
      this.options.logger.info(`${what} listening on ${formatHostPort(host, bound)}`);
      return { host, port: bound, requestedPort: port, fallback: false };
    } catch (err) {
      if (port === 0 || this.options.strictPorts || !isAddressInUse(err)) throw err;
      const bound = await bind(0);
      this.options.logger.warn(`${what}: port ${port} is in use; listening on ${formatHostPort(host, bound)} instead`);
      return { host, port: bound, requestedPort: port, fallback: true };
    }
  }

  private async closeServers(): Promise<void> {
    const httpServer = this.httpServer;
    const grpcServer = this.grpcServer;
    const gates = this.gates;
    this.httpServer = undefined;
    this.grpcServer = undefined;
    this.gates = [];
    await Promise.all([
      httpServer?.listening
        ? new Promise<void>(resolve => {
            httpServer.close(() => resolve());
            httpServer.closeAllConnections();
          })
        : undefined,
      grpcServer ? closeGrpc(grpcServer) : undefined,
    ]);
    // Anything a server did not close itself (a socket that never became a request or an HTTP/2 session).
    for (const g of gates) g.closeAll();
  }
}

/** Lets calls in flight finish (up to a second), then closes the listener and every connection left. */
async function closeGrpc({ server, listener, gate }: GrpcServer): Promise<void> {
  const closed = listener.listening ? new Promise<void>(resolve => listener.close(() => resolve())) : undefined;
  await shutdownGrpc(server, 1000);
  gate.closeAll();
  await closed;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function isAddressInUse(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'EADDRINUSE' || /EADDRINUSE|address already in use/i.test(e?.message ?? '');
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
