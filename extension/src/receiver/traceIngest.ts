// The single hand-off both transports call (the Collector's Receiver.Export): count the request, decode a
// trace request body without blocking the event loop for long, pass the batch to the listeners, and say how to
// answer. The servers only read the request and write the answer, so both transports count, deliver and fail
// the same way.
import { type SpanBatch } from '../core/model/batch';
import { type SpanColumns } from '../core/model/spanColumns';
import { type DecodeLimits, OtlpDecodeError } from '../core/otlp/decodeError';
import { decodeTraceRequestJson, decodeTraceRequestJsonSteps } from '../core/otlp/jsonDecoder';
import { decodeTraceRequestSteps } from '../core/otlp/protobufDecoder';
import { type OtlpEncoding, encodeExportResponse } from '../core/otlp/responses';
import { EXPORT_STATUS, type ExportStatus, decodeFailedMessage, describeStatus, internalErrorMessage } from './exportStatus';
import type { ResolvedReceiverOptions } from './receiverOptions';
import type { ReceiverErrorKind, ReceiverStats } from './receiverStats';

/** A decoded request: always columns (JSON too, over the protobuf it was transcoded into). */
export type ColumnBatch = SpanBatch & { readonly columns: SpanColumns };

export type ReceiverTransport = 'http' | 'grpc';

/** A decoded batch and where it came from: what `OtlpReceiver.onDidReceive` carries. */
export interface ReceivedBatch {
  /**
   * The spans as columns. `batch.columns.body` is the request as protobuf: the body after decompression, or for
   * a JSON request the protobuf it was transcoded into; a journal can store it as it is instead of encoding the
   * spans again.
   */
  readonly batch: ColumnBatch;
  readonly transport: ReceiverTransport;
  /** The encoding the request was sent in. */
  readonly encoding: OtlpEncoding;
  /** Body size as received (before decompression). */
  readonly wireBytes: number;
  /** The HTTP path (or gRPC method) it was sent to. */
  readonly path: string;
  /**
   * Holds the answer to this request until `promise` settles (its outcome does not change the answer): how a
   * listener that cannot keep up paces the senders, as `msgtrace record` does while its file lags. Call it
   * during the event; a listener that never calls it adds no delay.
   */
  waitUntil(promise: Promise<unknown>): void;
}

/** One export request as a transport read it, limits already applied. */
export interface ExportRequest {
  /** Logs and metrics are counted and acknowledged, never decoded (docs/receiver.md#logs-and-metrics). */
  readonly signal: 'traces' | 'logs' | 'metrics';
  readonly transport: ReceiverTransport;
  readonly encoding: OtlpEncoding;
  /** The HTTP path (or gRPC method). */
  readonly path: string;
  /** After decompression. */
  readonly body: Uint8Array;
  /** Before decompression. */
  readonly wireBytes: number;
}

export interface ExportSuccess {
  readonly ok: true;
  /** The Export*ServiceResponse in the request's encoding: empty on full success, partial_success otherwise. */
  readonly response: Uint8Array;
}

export interface ExportFailure {
  readonly ok: false;
  readonly kind: ReceiverErrorKind;
  /** The row of EXPORT_STATUS for `kind`. */
  readonly status: ExportStatus;
  /** For the google.rpc.Status (HTTP) or the status details (gRPC), and the log. */
  readonly message: string;
}

export type ExportResult = ExportSuccess | ExportFailure;

// Full success is the common answer; one shared result per encoding leaves nothing to allocate for it.
const ACCEPTED: Readonly<Record<OtlpEncoding, ExportSuccess>> = {
  protobuf: Object.freeze({ ok: true, response: encodeExportResponse('protobuf') }),
  json: Object.freeze({ ok: true, response: encodeExportResponse('json') }),
};

/** What both transports hand their requests to: one per start of the receiver, over its counters. */
export class ExportHandoff {
  constructor(
    private readonly options: ResolvedReceiverOptions,
    private readonly stats: ReceiverStats,
    private readonly deliver: (received: ReceivedBatch) => void,
  ) {}

  /**
   * Counts the request, decodes a trace request and delivers its batch (when it has spans, accepted or
   * rejected) before resolving. Never rejects: a failure is a result, already counted and logged.
   */
  async export(request: ExportRequest): Promise<ExportResult> {
    const { stats } = this;
    const { transport, encoding } = request;
    stats.wireBytes += request.wireBytes;
    stats.bodyBytes += request.body.length;
    if (request.signal !== 'traces') {
      // Acknowledged so that exporters configured for every signal do not log errors or retry.
      if (request.signal === 'logs') stats.logRequests++;
      else stats.metricRequests++;
      return ACCEPTED[encoding];
    }
    let batch: ColumnBatch;
    try {
      batch = await decodeBody(request.body, encoding, this.options.decodeLimits, this.options.sliceMs);
    } catch (err) {
      if (err instanceof OtlpDecodeError) return this.fail(transport, 'badRequest', decodeFailedMessage(encoding, err.message));
      return this.fail(transport, 'internal', internalErrorMessage(err));
    }
    const spans = batch.columns.count;
    const rejected = batch.rejectedSpans;
    stats.traceRequests++;
    stats.spans += spans;
    stats.rejectedSpans += rejected;
    if (spans > 0 || rejected > 0) {
      let holds: Promise<unknown>[] | undefined;
      const waitUntil = (promise: Promise<unknown>) => void (holds ??= []).push(promise);
      this.deliver({ batch, transport, encoding, wireBytes: request.wireBytes, path: request.path, waitUntil });
      if (holds) await Promise.allSettled(holds);
    }
    if (rejected === 0 && batch.rejectionMessage === '') return ACCEPTED[encoding];
    return { ok: true, response: encodeExportResponse(encoding, rejected, batch.rejectionMessage) };
  }

  /** Counts and logs a failure, the hand-off's own or one a transport found before it (method, size, ...). */
  fail(transport: ReceiverTransport, kind: ReceiverErrorKind, message: string): ExportFailure {
    this.stats.error(kind, message);
    this.options.logger.warn(`${describeStatus(transport, kind)}: ${message}`);
    return { ok: false, kind, status: EXPORT_STATUS[kind], message };
  }
}

/** What a transport's server is made with. */
export interface TransportContext {
  readonly options: ResolvedReceiverOptions;
  /** For the transport's own request counter; everything else is counted by the hand-off. */
  readonly stats: ReceiverStats;
  readonly handoff: ExportHandoff;
}

const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

/**
 * JSON bodies up to this size are parsed with one JSON.parse (about 10 ms at this size on the reference
 * machines); larger ones in steps (core/otlp/jsonSteps.ts), which is slower per byte but never blocks long.
 */
export const JSON_STEPS_MIN_BYTES = 512 * 1024;

/**
 * Decodes a request, giving the event loop a turn every `sliceMs` of work, so a 64 MiB body does not freeze
 * the extension host. Throws OtlpDecodeError for bad input.
 * Columns, not Span objects: the store copies what it keeps from them and their body (docs/receiver.md).
 */
export function decodeBody(body: Uint8Array, encoding: OtlpEncoding, limits: DecodeLimits, sliceMs: number): Promise<ColumnBatch> {
  if (encoding === 'json') {
    if (body.length < JSON_STEPS_MIN_BYTES) return settle(() => withColumns(decodeTraceRequestJson(body, limits, { columns: true })));
    return runSteps(decodeTraceRequestJsonSteps(body, limits, { columns: true }), sliceMs);
  }
  // Yield checks are by bytes (cheap); the clock is read only at those points.
  return runSteps(decodeTraceRequestSteps(body, { limits, sliceBytes: 64 * 1024, columns: true }), sliceMs);
}

const hasColumns = (batch: SpanBatch): batch is ColumnBatch => batch.columns !== undefined;

/** The decoders' result type does not say that `columns: true` made columns; this checks it once per request. */
function withColumns(batch: SpanBatch): ColumnBatch {
  if (!hasColumns(batch)) throw new Error('the decoder was asked for columns and made none');
  return batch;
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/** Runs a decode generator to its end, taking a turn of the event loop whenever a slice ran `sliceMs`. */
async function runSteps(steps: Generator<void, SpanBatch, void>, sliceMs: number): Promise<ColumnBatch> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return withColumns(next.value);
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}
