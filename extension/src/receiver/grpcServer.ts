// OTLP/gRPC with @grpc/grpc-js. The services are registered with pass-through (de)serializers, so the message
// bytes reach the same decoder as HTTP bodies; grpc-js enforces the message size limit (after decompressing
// gzip, as a stream) and answers RESOURCE_EXHAUSTED itself.
import * as grpc from '@grpc/grpc-js';
import type { ExportRequest, TransportContext } from './traceIngest';

const passThrough = (b: Buffer): Buffer => b;

/** A unary OTLP Export method whose messages stay bytes (our decoder reads them); the benchmarks use it too. */
export function exportMethod(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  };
}

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const METRICS_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

export function createGrpcServer(ctx: TransportContext): grpc.Server {
  const { options, stats, handoff } = ctx;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });

  const exportHandler =
    (signal: ExportRequest['signal'], path: string): grpc.handleUnaryCall<Buffer, Buffer> =>
    (call, callback) => {
      stats.grpcRequests++;
      const body = call.request;
      // grpc-js has inflated the message already and does not say how large it was on the wire.
      void handoff.export({ signal, transport: 'grpc', encoding: 'protobuf', path, body, wireBytes: body.length }).then(result => {
        if (result.ok) callback(null, Buffer.from(result.response.buffer, result.response.byteOffset, result.response.byteLength));
        else callback({ code: result.status.grpc, details: result.message });
      });
    };

  server.addService({ Export: exportMethod(TRACE_EXPORT_PATH) }, { Export: exportHandler('traces', TRACE_EXPORT_PATH) });
  server.addService({ Export: exportMethod(LOGS_EXPORT_PATH) }, { Export: exportHandler('logs', LOGS_EXPORT_PATH) });
  server.addService({ Export: exportMethod(METRICS_EXPORT_PATH) }, { Export: exportHandler('metrics', METRICS_EXPORT_PATH) });
  return server;
}

/** Binds host:port; resolves the bound port. */
export function bindGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}

/** Graceful shutdown, forced after `graceMs`. */
export function shutdownGrpc(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
