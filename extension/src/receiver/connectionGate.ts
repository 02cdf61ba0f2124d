// The receiver's connection limits (docs/receiver.md#connection-limits), for one listening server: at most
// `maxConnections` open at once. Node refuses a connection over the cap before reading a byte of it
// (net.Server.maxConnections, counted here by its 'drop' event); this gate keeps that from locking real exporters
// out: whenever the cap is reached it closes the connection that has been idle longest (no request in flight: a
// keep-alive socket between exports, or one that never sent anything), so there is room for the next one unless
// every open connection is busy. And a connection that sends nothing at all is closed after `silentTimeoutMs`.
// Written here because Node's cap alone refuses even when the open connections are idle, and grpc-js has none.
import type { Server, Socket } from 'node:net';

export interface ConnectionGateOptions {
  readonly maxConnections: number;
  /** A connection that has sent no byte by then is closed; 0 = never. */
  readonly silentTimeoutMs: number;
}

/** What a gate counts (into the receiver's stats, which outlive a restart's gates). */
export interface ConnectionCounters {
  /** Connections open now. */
  open: number;
  /** Connections accepted. */
  accepted: number;
  /** New connections refused at the cap because every open one was busy. */
  refused: number;
  /** Idle connections closed to make room for a new one. */
  evicted: number;
  /** Connections closed because they sent nothing within the silent timeout. */
  silent: number;
}

export class ConnectionGate {
  /** Requests in flight per open connection; Map order is the order in which they last became idle. */
  private readonly open = new Map<Socket, number>();
  /** The same connections by `address:port` of the peer (how a gRPC call names its connection). */
  private readonly byPeer = new Map<string, Socket>();

  constructor(
    private readonly options: ConnectionGateOptions,
    private readonly counts: ConnectionCounters,
  ) {}

  /** Caps `server`'s connections and passes each one it accepts through admit(). */
  guard(server: Server): void {
    server.maxConnections = this.options.maxConnections;
    server.on('drop', () => this.counts.refused++);
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  /**
   * Takes a new connection in; at the cap, closes the longest-idle other one so that the next can come in (if
   * all are busy, Node refuses the next one).
   */
  admit(socket: Socket): void {
    this.counts.accepted++;
    this.open.set(socket, 0);
    this.counts.open = this.open.size;
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.byPeer.set(peer, socket);
    if (this.open.size >= this.options.maxConnections) this.evictIdle(socket);
    let timer: NodeJS.Timeout | undefined;
    if (this.options.silentTimeoutMs > 0) {
      // A timer and bytesRead, not socket.setTimeout or a 'data' listener: those belong to the protocol's server.
      timer = setTimeout(() => {
        if (socket.bytesRead === 0 && !socket.destroyed) {
          this.counts.silent++;
          socket.destroy();
        }
      }, this.options.silentTimeoutMs);
      timer.unref();
    }
    socket.once('close', () => {
      clearTimeout(timer);
      this.open.delete(socket);
      this.counts.open = this.open.size;
      if (this.byPeer.get(peer) === socket) this.byPeer.delete(peer);
    });
  }

  /** The open connection of a peer named `address:port` (grpc-js call.getPeer()). */
  socketOf(peer: string): Socket | undefined {
    return this.byPeer.get(peer);
  }

  /** A request started on this connection. */
  busy(socket: Socket): void {
    const n = this.open.get(socket);
    if (n !== undefined) this.open.set(socket, n + 1);
  }

  /** A request on this connection was answered (or dropped). */
  idle(socket: Socket): void {
    const n = this.open.get(socket);
    if (n === undefined) return;
    // Moved to the end: the longest-idle connections stay first.
    this.open.delete(socket);
    this.open.set(socket, Math.max(0, n - 1));
  }

  /** Closes every open connection (stopping). */
  closeAll(): void {
    for (const socket of this.open.keys()) socket.destroy();
  }

  /** Closes the longest-idle connection but `keep` (the one just admitted, which has not had a chance yet). */
  private evictIdle(keep: Socket): void {
    for (const [socket, inFlight] of this.open) {
      if (inFlight > 0 || socket === keep) continue;
      this.open.delete(socket);
      this.counts.evicted++;
      socket.destroy();
      return;
    }
  }
}
