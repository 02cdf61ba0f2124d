// ExportTraceServiceRequest in OTLP/JSON -> SpanBatch: the JSON is checked and written as the equivalent protobuf
// request, which the protobuf decoder then reads. One decoder for both encodings: JSON spans become columns for the
// store, or Span objects whose details are decoded from bytes on demand, like any other. Two ways to the protobuf:
// one pass over the bytes for what exporters send (jsonBytesTranscoder.ts), and JSON.parse + jsonTranscoder.ts for
// everything else, which is exact and says what is wrong with bad input.
import { type SpanBatch } from '../model/batch';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits, OtlpDecodeError } from './decodeError';
import { transcodeJsonBytes } from './jsonBytesTranscoder';
import { type JsonStepsOptions, parseJsonSteps } from './jsonSteps';
import { JsonTranscoder } from './jsonTranscoder';
import { decodeTraceRequestSteps } from './protobufDecoder';
import { RejectionTally } from './rejections';
import { decodeUtf8Strict } from './utf8';

export interface JsonDecodeOptions {
  /** Make SpanColumns instead of Span objects (as the protobuf decoder's option of the same name). */
  readonly columns?: boolean;
  /** How the text of a large body is parsed in steps (exact path). */
  readonly parse?: JsonStepsOptions;
  /** Skip the one-pass path and take the exact one (what the one-pass path falls back to; tests compare them). */
  readonly exact?: boolean;
}

/** Decodes an OTLP/JSON request body (bytes or text). Throws OtlpDecodeError for bad input, nothing else. */
export function decodeTraceRequestJson(body: Uint8Array | string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, options: JsonDecodeOptions = {}): SpanBatch {
  if (typeof body !== 'string' && !options.exact) {
    const fast = runToEnd(decodeFastSteps(body, limits, options.columns ?? false));
    if (fast) return fast;
  }
  const text = typeof body === 'string' ? body : decodeUtf8Strict(body, true);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  return runToEnd(decodeRootSteps(root, text.length, limits, options.columns ?? false));
}

/** Decodes an already parsed OTLP/JSON ExportTraceServiceRequest (e.g. one line of a file export). */
export function decodeTraceRequestObject(root: unknown, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): SpanBatch {
  return runToEnd(decodeRootSteps(root, 4096, limits, false));
}

/**
 * Decodes a large OTLP/JSON body without blocking the event loop for long: the text is parsed in steps
 * (jsonSteps.ts, which leaves each span's text unparsed until the transcoder gets to it), written as protobuf and
 * decoded in steps; the generator yields between slices of each.
 */
export function* decodeTraceRequestJsonSteps(body: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS, options: JsonDecodeOptions = {}): Generator<void, SpanBatch, void> {
  if (!options.exact) {
    const fast = yield* decodeFastSteps(body, limits, options.columns ?? false);
    if (fast) return fast;
  }
  const root = yield* parseJsonSteps(body, options.parse);
  return yield* decodeRootSteps(root, body.length, limits, options.columns ?? false);
}

/** The one-pass path (jsonBytesTranscoder.ts); undefined when the body needs the exact one. */
function* decodeFastSteps(body: Uint8Array, limits: DecodeLimits, columns: boolean): Generator<void, SpanBatch | undefined, void> {
  const rejections = new RejectionTally();
  const bytes = yield* transcodeJsonBytes(body, limits.maxValueDepth, rejections, 256);
  if (bytes === undefined) return undefined;
  return yield* decodeTraceRequestSteps(bytes, { limits, columns, rejections, sliceBytes: 64 * 1024 });
}

function* decodeRootSteps(root: unknown, sizeHint: number, limits: DecodeLimits, columns: boolean): Generator<void, SpanBatch, void> {
  const rejections = new RejectionTally();
  // Protobuf takes fewer bytes than the same request in JSON (jsonBytesTranscoder.ts says why).
  const transcoder = new JsonTranscoder(limits.maxValueDepth, rejections, Math.max(256, sizeHint + 16));
  const bytes = yield* transcoder.request(root, 256);
  return yield* decodeTraceRequestSteps(bytes, { limits, columns, rejections, sliceBytes: 64 * 1024 });
}

function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
