// Settings of the receiver, with the defaults OTLP and the issue ask for.
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../core/otlp/decodeError';

export interface ReceiverLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ReceiverOptions {
  /** Interface to bind. Anything but loopback needs `allowNonLoopback`. Default 127.0.0.1. */
  readonly host?: string;
  /** OTLP/HTTP port; 0 = any free port; null = no HTTP server. Default 4318. */
  readonly httpPort?: number | null;
  /** OTLP/gRPC port; 0 = any free port; null = no gRPC server. Default 4317. */
  readonly grpcPort?: number | null;
  /** When a port is taken: false (default) = take a free one and say so; true = fail to start. */
  readonly strictPorts?: boolean;
  /** Must be true to bind a non-loopback host (the receiver has no authentication). */
  readonly allowNonLoopback?: boolean;
  /** Largest request body after decompression (and gRPC message), in bytes. Default 64 MiB. */
  readonly maxBodyBytes?: number;
  /** Largest body as sent on the wire (before decompression). Default: maxBodyBytes. */
  readonly maxWireBytes?: number;
  /** A request must be fully received within this time, else 408. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /**
   * Open connections per server (HTTP, gRPC). At the cap the longest-idle connection is closed to make room;
   * when all are busy a new one is refused. Default 256 (docs/receiver.md#connection-limits).
   */
  readonly maxConnections?: number;
  /** Request headers (HTTP) or a connection's first bytes (both) must arrive within this time. Default 10 s. */
  readonly headersTimeoutMs?: number;
  /** A keep-alive connection without a request in flight is closed after this long. Default 60 s, the Collector's. */
  readonly idleTimeoutMs?: number;
  /** Longest stretch of synchronous decoding before yielding to the event loop. Default 8 ms. */
  readonly sliceMs?: number;
  readonly decodeLimits?: DecodeLimits;
  readonly logger?: ReceiverLogger;
}

export type ResolvedReceiverOptions = Required<Omit<ReceiverOptions, 'httpPort' | 'grpcPort'>> & {
  readonly httpPort: number | null;
  readonly grpcPort: number | null;
};

const MiB = 1024 * 1024;

export const silentLogger: ReceiverLogger = { info() {}, warn() {}, error() {} };

export function resolveOptions(o: ReceiverOptions): ResolvedReceiverOptions {
  const maxBodyBytes = o.maxBodyBytes ?? 64 * MiB;
  return {
    host: o.host ?? '127.0.0.1',
    httpPort: o.httpPort === undefined ? 4318 : o.httpPort,
    grpcPort: o.grpcPort === undefined ? 4317 : o.grpcPort,
    strictPorts: o.strictPorts ?? false,
    allowNonLoopback: o.allowNonLoopback ?? false,
    maxBodyBytes,
    maxWireBytes: o.maxWireBytes ?? maxBodyBytes,
    requestTimeoutMs: o.requestTimeoutMs ?? 30_000,
    maxConnections: o.maxConnections ?? 256,
    headersTimeoutMs: o.headersTimeoutMs ?? 10_000,
    idleTimeoutMs: o.idleTimeoutMs ?? 60_000,
    sliceMs: o.sliceMs ?? 8,
    decodeLimits: o.decodeLimits ?? DEFAULT_DECODE_LIMITS,
    logger: o.logger ?? silentLogger,
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
