// Test helpers: a receiver on free loopback ports that collects what it delivers, raw HTTP requests and raw
// unary gRPC calls.
import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import { type ReceivedBatch } from '../../../extension/src/receiver/traceIngest';
import { OtlpReceiver } from '../../../extension/src/receiver/otlpReceiver';
import { type ReceiverOptions } from '../../../extension/src/receiver/receiverOptions';

export interface TestReceiver {
  readonly receiver: OtlpReceiver;
  readonly received: ReceivedBatch[];
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly warnings: string[];
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<TestReceiver> {
  const warnings: string[] = [];
  const receiver = new OtlpReceiver({
    httpPort: 0,
    grpcPort: 0,
    logger: { info() {}, warn: m => warnings.push(m), error: m => warnings.push(m) },
    ...options,
  });
  const received: ReceivedBatch[] = [];
  receiver.onDidReceive(b => received.push(b));
  const a = await receiver.start();
  return { receiver, received, httpPort: a.http?.port ?? -1, grpcPort: a.grpc?.port ?? -1, warnings };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export function post(port: number, path: string, headers: http.OutgoingHttpHeaders, body: Uint8Array | string, method = 'POST'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { 'Content-Length': Buffer.byteLength(body), ...headers }, agent: false }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const GRPC_PATHS = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
} as const;

export interface GrpcResult {
  readonly err: grpc.ServiceError | null;
  readonly res?: Buffer;
}

/** One unary call with the message as given (no protobuf library in between), on a fresh channel. */
export function grpcCall(port: number, body: Buffer, path: string = GRPC_PATHS.traces): Promise<GrpcResult> {
  const id = (b: Buffer) => b;
  const Client = grpc.makeGenericClientConstructor(
    { Export: { path, requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } },
    'ExportService',
  );
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise(resolve => {
    (client as unknown as { Export: (b: Buffer, cb: (e: grpc.ServiceError | null, r?: Buffer) => void) => void }).Export(body, (err, res) => {
      client.close();
      resolve({ err, res });
    });
  });
}
