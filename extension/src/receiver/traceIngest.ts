// The single hand-off both transports call (the Collector's Receiver.Export): decode a trace request body
// without blocking the event loop for long, count it, and pass the batch to the listeners.
import { type SpanBatch } from '../core/model/batch';
import { type SpanColumns } from '../core/model/spanColumns';
import { type DecodeLimits } from '../core/otlp/decodeError';
import { decodeTraceRequestJson, decodeTraceRequestJsonSteps } from '../core/otlp/jsonDecoder';
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
  /**
   * The request as protobuf: the body after decompression, or for a JSON request the protobuf it was transcoded
   * into. What the batch's columns point into; a journal can store it as it is instead of encoding the spans again.
   */
  readonly body: Uint8Array;
}

const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * JSON bodies up to this size are parsed with one JSON.parse (about 10 ms at this size on the reference
 * machines); larger ones in steps (core/otlp/jsonSteps.ts), which is slower per byte but never blocks long.
 */
export const JSON_STEPS_MIN_BYTES = 512 * 1024;

/** A decoded request: always columns (JSON too, over the protobuf it was transcoded into). */
export type ColumnBatch = SpanBatch & { readonly columns: SpanColumns };

/**
 * Decodes a request, giving the event loop a turn every `sliceMs` of work, so a 64 MiB body does not freeze
 * the extension host. Throws OtlpDecodeError for bad input.
 * Columns, not Span objects: the store copies what it keeps from them and their body (docs/receiver.md).
 */
export function decodeBody(body: Uint8Array, encoding: OtlpEncoding, limits: DecodeLimits, sliceMs: number): Promise<ColumnBatch> {
  if (encoding === 'json') {
    if (body.length < JSON_STEPS_MIN_BYTES) return settle(() => decodeTraceRequestJson(body, limits, { columns: true }) as ColumnBatch);
    return runSteps(decodeTraceRequestJsonSteps(body, limits, { columns: true }), sliceMs) as Promise<ColumnBatch>;
  }
  // Yield checks are by bytes (cheap); the clock is read only at those points.
  return runSteps(decodeTraceRequestSteps(body, { limits, sliceBytes: 64 * 1024, columns: true }), sliceMs) as Promise<ColumnBatch>;
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Runs a decode generator to its end, taking a turn of the event loop whenever a slice ran `sliceMs`. */
async function runSteps<T>(steps: Generator<void, T, void>, sliceMs: number): Promise<T> {
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
