// OTLP/gRPC with @grpc/grpc-js. The services are registered with pass-through (de)serializers, so the message
// bytes reach the same decoder as HTTP bodies; grpc-js enforces the message size limit (after decompressing
// gzip, as a stream) and answers RESOURCE_EXHAUSTED itself.
import * as grpc from '@grpc/grpc-js';
import { batchSpanCount } from '../core/model/batch';
import { OtlpDecodeError } from '../core/otlp/decodeError';
import { encodeExportResponse } from '../core/otlp/responses';
import type { ResolvedReceiverOptions } from './receiverOptions';
import type { ReceiverStats } from './receiverStats';
import { type ReceivedBatch, decodeBody } from './traceIngest';

export interface GrpcHandlerContext {
  readonly options: ResolvedReceiverOptions;
  readonly stats: ReceiverStats;
  deliver(batch: ReceivedBatch): void;
}

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
const EMPTY = Buffer.alloc(0);

export function createGrpcServer(ctx: GrpcHandlerContext): grpc.Server {
  const { options, stats } = ctx;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxBodyBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });

  const traceExport: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    stats.grpcRequests++;
    const body = call.request;
    stats.wireBytes += body.length;
    stats.bodyBytes += body.length;
    decodeBody(body, 'protobuf', options.decodeLimits, options.sliceMs).then(
      batch => {
        stats.traceRequests++;
        stats.spans += batchSpanCount(batch);
        stats.rejectedSpans += batch.rejectedSpans;
        if (batchSpanCount(batch) > 0 || batch.rejectedSpans > 0) ctx.deliver({ batch, transport: 'grpc', encoding: 'protobuf', wireBytes: body.length, path: TRACE_EXPORT_PATH, body });
        callback(null, Buffer.from(encodeExportResponse('protobuf', batch.rejectedSpans, batch.rejectionMessage)));
      },
      (err: unknown) => {
        const bad = err instanceof OtlpDecodeError;
        const message = bad ? `could not decode the ExportTraceServiceRequest: ${err.message}` : `internal error: ${String(err)}`;
        stats.error(bad ? 'badRequest' : 'internal', message);
        options.logger.warn(`OTLP/gRPC ${bad ? 'INVALID_ARGUMENT' : 'INTERNAL'}: ${message}`);
        callback({ code: bad ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL, details: message });
      },
    );
  };
  const otherSignal =
    (signal: 'logs' | 'metrics'): grpc.handleUnaryCall<Buffer, Buffer> =>
    (call, callback) => {
      stats.grpcRequests++;
      stats.wireBytes += call.request.length;
      stats.bodyBytes += call.request.length;
      if (signal === 'logs') stats.logRequests++;
      else stats.metricRequests++;
      callback(null, EMPTY);
    };

  server.addService({ Export: exportMethod(TRACE_EXPORT_PATH) }, { Export: traceExport });
  server.addService({ Export: exportMethod(LOGS_EXPORT_PATH) }, { Export: otherSignal('logs') });
  server.addService({ Export: exportMethod(METRICS_EXPORT_PATH) }, { Export: otherSignal('metrics') });
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
