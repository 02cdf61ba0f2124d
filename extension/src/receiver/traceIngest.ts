// The single hand-off both transports call (the Collector's Receiver.Export): decode a trace request body
// without blocking the event loop for long, count it, and pass the batch to the listeners.
import { type SpanBatch } from '../core/model/batch';
import { type DecodeLimits } from '../core/otlp/decodeError';
import { decodeTraceRequestJson } from '../core/otlp/jsonDecoder';
import { decodeTraceRequestSteps } from '../core/otlp/protobufDecoder';
import { type OtlpEncoding } from '../core/otlp/responses';

/** A decoded batch and where it came from: what `OtlpReceiver.onDidReceive` carries. */
export interface ReceivedBatch {
  readonly batch: SpanBatch;
  readonly transport: 'http' | 'grpc';
  readonly encoding: OtlpEncoding;
  /** Body size as received (before decompression). */
  readonly wireBytes: number;
  /** The HTTP path (or gRPC method) it was sent to. */
  readonly path: string;
}

const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * Decodes a request, giving the event loop a turn every `sliceMs` of work, so a 64 MiB body does not freeze
 * the extension host. Throws OtlpDecodeError for bad input.
 */
export async function decodeBody(body: Uint8Array, encoding: OtlpEncoding, limits: DecodeLimits, sliceMs: number): Promise<SpanBatch> {
  if (encoding === 'json') return decodeTraceRequestJson(body, limits);
  // Yield checks are by bytes (cheap); the clock is read only at those points.
  const steps = decodeTraceRequestSteps(body, { limits, sliceBytes: 64 * 1024 });
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}
