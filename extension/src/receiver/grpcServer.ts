// OTLP/gRPC with @grpc/grpc-js. The services are registered with pass-through (de)serializers, so the message
// bytes reach the same decoder as HTTP bodies; grpc-js enforces the message size limit (after decompressing
// gzip, as a stream) and answers RESOURCE_EXHAUSTED itself. The socket is ours: a net.Server accepts the
// connections, under the same connection limits as HTTP (connectionGate.ts), and hands them to grpc-js through
// its connection injector, since grpc-js has no cap of its own.
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import type { ConnectionGate } from './connectionGate';
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

/** A gRPC server and the listener whose connections it serves (listen on `listener`, not with bindAsync). */
export interface GrpcServer {
  readonly server: grpc.Server;
  readonly listener: net.Server;
  readonly gate: ConnectionGate;
}

/** At most this many calls at once on one connection (HTTP/2 streams): each may hold a body of up to the limit. */
const MAX_CONCURRENT_STREAMS = 100;

export function createGrpcServer(ctx: TransportContext, gate: ConnectionGate): GrpcServer {
  const { options, stats, handoff } = ctx;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
    // A connection without calls is closed (GOAWAY) after the idle timeout, like an idle HTTP keep-alive socket.
    'grpc.max_connection_idle_ms': options.idleTimeoutMs,
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
  });

  const exportHandler =
    (signal: ExportRequest['signal'], path: string): grpc.handleUnaryCall<Buffer, Buffer> =>
    (call, callback) => {
      stats.grpcRequests++;
      // The call's connection is busy until answered: the gate closes only idle connections to make room.
      const socket = gate.socketOf(call.getPeer());
      if (socket) gate.busy(socket);
      const body = call.request;
      // grpc-js has inflated the message already and does not say how large it was on the wire.
      void handoff.export({ signal, transport: 'grpc', encoding: 'protobuf', path, body, wireBytes: body.length }).then(result => {
        if (socket) gate.idle(socket);
        if (result.ok) callback(null, Buffer.from(result.response.buffer, result.response.byteOffset, result.response.byteLength));
        else callback({ code: result.status.grpc, details: result.message });
      });
    };

  server.addService({ Export: exportMethod(TRACE_EXPORT_PATH) }, { Export: exportHandler('traces', TRACE_EXPORT_PATH) });
  server.addService({ Export: exportMethod(LOGS_EXPORT_PATH) }, { Export: exportHandler('logs', LOGS_EXPORT_PATH) });
  server.addService({ Export: exportMethod(METRICS_EXPORT_PATH) }, { Export: exportHandler('metrics', METRICS_EXPORT_PATH) });
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const listener = net.createServer(socket => injector.injectConnection(socket));
  gate.guard(listener);
  return { server, listener, gate };
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
