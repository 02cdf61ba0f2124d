// How a failed export request is answered, on both transports, from one table: a kind of failure has one HTTP
// status and one gRPC status, so the same bad request gets the matching answer over OTLP/HTTP and OTLP/gRPC
// (docs/otlp.md#failures, docs/otlp.md#otlp-over-grpc, docs/receiver.md#error-mapping). The messages that
// both transports can produce are written here too, so they read the same on both.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { OtlpEncoding } from '../core/otlp/responses';
import type { ReceiverErrorKind } from './receiverStats';

export interface ExportStatus {
  /** The HTTP status; 0 when there is no one left to answer (the connection is dropped). */
  readonly http: number;
  /**
   * The gRPC status. An HTTP failure's google.rpc.Status carries the same number as its `code`: gRPC status
   * codes are google.rpc.Code.
   */
  readonly grpc: GrpcStatus;
}

export const EXPORT_STATUS: { readonly [K in ReceiverErrorKind]: ExportStatus } = {
  // Permanent: OTLP clients do not retry 400 / INVALID_ARGUMENT.
  badRequest: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  // grpc-js answers an oversized message with RESOURCE_EXHAUSTED before our handler runs; HTTP matches it.
  tooLarge: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  unsupportedMediaType: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  // gRPC's name for "no such method here".
  methodNotAllowed: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED },
  timeout: { http: 408, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  aborted: { http: 0, grpc: GrpcStatus.CANCELLED },
  internal: { http: 500, grpc: GrpcStatus.INTERNAL },
};

/** `OTLP/HTTP 400` or `OTLP/gRPC INVALID_ARGUMENT`: how the log names a failure's answer. */
export function describeStatus(transport: 'http' | 'grpc', kind: ReceiverErrorKind): string {
  const s = EXPORT_STATUS[kind];
  return transport === 'http' ? `OTLP/HTTP ${s.http || 'dropped'}` : `OTLP/gRPC ${GrpcStatus[s.grpc]}`;
}

/** The failure message for a request body the decoder refused; `detail` says why and where. */
export function decodeFailedMessage(encoding: OtlpEncoding, detail: string): string {
  return `could not decode the ${encoding} ExportTraceServiceRequest: ${detail}`;
}

/** The failure message for a bug: still answered (500 / INTERNAL) and counted. */
export function internalErrorMessage(err: unknown): string {
  return `internal error: ${err instanceof Error ? err.message : String(err)}`;
}
