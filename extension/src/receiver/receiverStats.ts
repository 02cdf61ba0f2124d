// What the receiver has seen since it was created (restarts keep counting): the numbers the UI shows.
import type { ConnectionCounters } from './connectionGate';

/** Why a request failed; each is counted. */
export type ReceiverErrorKind =
  | 'badRequest'
  | 'tooLarge'
  | 'unsupportedMediaType'
  | 'methodNotAllowed'
  | 'timeout'
  | 'aborted'
  | 'internal';

export interface ReceiverStatsSnapshot {
  readonly httpRequests: number;
  readonly grpcRequests: number;
  /** Trace requests that were decoded and answered 200 / OK. */
  readonly traceRequests: number;
  /** Accepted spans. */
  readonly spans: number;
  /** Spans answered with partial_success (invalid ids). */
  readonly rejectedSpans: number;
  /** Body bytes as received (compressed if the sender compressed). */
  readonly wireBytes: number;
  /** Body bytes after decompression. */
  readonly bodyBytes: number;
  /** /v1/logs and LogsService requests: accepted and counted, not shown. */
  readonly logRequests: number;
  /** /v1/metrics and MetricsService requests: accepted and counted, not shown. */
  readonly metricRequests: number;
  readonly errors: Readonly<Record<ReceiverErrorKind, number>>;
  /** The last error's message, for the log and a tooltip. */
  readonly lastError: string;
  /** Connections per server: open now, accepted, refused at the cap, closed idle to make room, closed silent. */
  readonly connections: { readonly http: Readonly<ConnectionCounters>; readonly grpc: Readonly<ConnectionCounters> };
}

const connectionCounters = (): ConnectionCounters => ({ open: 0, accepted: 0, refused: 0, evicted: 0, silent: 0 });

export class ReceiverStats {
  httpRequests = 0;
  grpcRequests = 0;
  traceRequests = 0;
  spans = 0;
  rejectedSpans = 0;
  wireBytes = 0;
  bodyBytes = 0;
  logRequests = 0;
  metricRequests = 0;
  lastError = '';
  readonly connections = { http: connectionCounters(), grpc: connectionCounters() };
  readonly errors: Record<ReceiverErrorKind, number> = {
    badRequest: 0,
    tooLarge: 0,
    unsupportedMediaType: 0,
    methodNotAllowed: 0,
    timeout: 0,
    aborted: 0,
    internal: 0,
  };

  error(kind: ReceiverErrorKind, message: string): void {
    this.errors[kind]++;
    this.lastError = message;
  }

  snapshot(): ReceiverStatsSnapshot {
    return {
      httpRequests: this.httpRequests,
      grpcRequests: this.grpcRequests,
      traceRequests: this.traceRequests,
      spans: this.spans,
      rejectedSpans: this.rejectedSpans,
      wireBytes: this.wireBytes,
      bodyBytes: this.bodyBytes,
      logRequests: this.logRequests,
      metricRequests: this.metricRequests,
      errors: { ...this.errors },
      lastError: this.lastError,
      connections: { http: { ...this.connections.http }, grpc: { ...this.connections.grpc } },
    };
  }
}
