// OTLP/gRPC upstream: TraceService/Export with the request's bytes as the message. grpc-js takes a serializer
// per call, so ours returns the bytes as they are: no protobuf library, no re-encoding. grpc-js's own retries
// stay off (the forwarder retries, with its queue in view), and its reconnect backoff is capped by ours, so a
// backend that comes back is used again within one of our retry delays.
import * as grpc from '@grpc/grpc-js';
import { type ForwardTransport, type SendOutcome, attempt, isRetryableGrpc } from './retryPolicy';
import { answerText, decodePartialSuccess, decodeRpcStatus } from './upstreamAnswers';

/** The full method path (the receiver's grpcServer.ts has the same; forward may not import receiver). */
export const TRACE_EXPORT_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const asIs = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export interface GrpcTransportOptions {
  readonly address: string;
  readonly tls: boolean;
  readonly headers: Readonly<Record<string, string>>;
  /** The longest reconnect backoff of the channel. */
  readonly maxReconnectMs: number;
}

export function createGrpcTransport(o: GrpcTransportOptions): ForwardTransport {
  const client = new grpc.Client(o.address, o.tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure(), {
    // Requests are bounded by the receiver's body limit; the upstream enforces its own.
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
    'grpc.enable_retries': 0,
    'grpc.initial_reconnect_backoff_ms': Math.min(1000, o.maxReconnectMs),
    'grpc.max_reconnect_backoff_ms': o.maxReconnectMs,
  });
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(o.headers)) metadata.set(key, value);
  const calls = new Set<grpc.ClientUnaryCall>();
  let closed = false;

  return {
    send(body, timeoutMs) {
      if (closed) return Promise.resolve({ kind: 'retry', error: 'the channel was closed' });
      return attempt(resolve => {
        const call = client.makeUnaryRequest<Uint8Array, Buffer>(TRACE_EXPORT_METHOD, asIs, asIs, body, metadata.clone(), { deadline: Date.now() + timeoutMs }, (err, answer) => {
          calls.delete(call);
          if (err) resolve(outcomeOfError(err));
          else {
            const partial = answer ? decodePartialSuccess(answer) : undefined;
            resolve({ kind: 'ok', rejectedSpans: partial?.rejectedSpans ?? 0, message: partial?.message ? answerText(partial.message) : '' });
          }
        });
        calls.add(call);
      });
    },
    close() {
      closed = true;
      for (const call of calls) call.cancel();
      client.close();
    },
  };
}

function outcomeOfError(err: grpc.ServiceError): SendOutcome {
  // The rich status (google.rpc.Status with details) travels in this trailer; a RetryInfo there says when.
  const details = err.metadata?.get('grpc-status-details-bin')[0];
  const rich = details instanceof Uint8Array ? decodeRpcStatus(details) : undefined;
  const name = grpc.status[err.code] ?? String(err.code);
  const error = `gRPC ${name}${err.details ? `: ${answerText(err.details)}` : ''}`;
  if (!isRetryableGrpc(err.code, rich?.retryDelayMs !== undefined)) return { kind: 'fail', error };
  return rich?.retryDelayMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, afterMs: rich.retryDelayMs };
}
