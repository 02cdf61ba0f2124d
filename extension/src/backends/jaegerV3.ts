// Jaeger's v3 query API answers (api_v3 query_service over HTTP): OTLP/JSON TracesData in a `result` envelope
// (`{"result": {"resourceSpans": [...]}}`, GRPCGatewayWrapper), possibly several such objects in one body when
// the server streams, and errors as `{"error": {"httpCode"|"code", "message"}}` (GRPCGatewayError) — also inside a
// 200 stream when a chunk failed. Older gateways wrote TracesData without the envelope. The OTLP/JSON goes to core's
// one-pass decoder as bytes.
import type { SpanBatch } from '../core/model/batch';
import { DEFAULT_DECODE_LIMITS } from '../core/otlp/decodeError';
import { decodeTraceRequestJsonSteps } from '../core/otlp/jsonDecoder';
import { type ByteRange, JsonScanError, isObject, objectMembers, parseRange, topLevelValues } from './jsonScan';
import { runSteps } from './steps';

/** An error object in a v3 answer. */
export class JaegerGatewayError extends Error {
  override readonly name = 'JaegerGatewayError';
  constructor(
    /** The HTTP status it names (httpCode), or the one its gRPC code maps to; 0 when neither. */
    readonly httpCode: number,
    message: string,
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return this.httpCode === 404;
  }
}

/** gRPC codes a streamed error may carry, as the gateway maps them to HTTP. */
const GRPC_TO_HTTP: Readonly<Record<number, number>> = { 3: 400, 4: 504, 5: 404, 7: 403, 8: 429, 13: 500, 14: 503, 16: 401 };

/** The gateway error of a body, when the whole body is one (`{"error": …}`); undefined otherwise. */
export function gatewayError(body: Uint8Array): JaegerGatewayError | undefined {
  try {
    const values = topLevelValues(body);
    if (values.length !== 1 || !isObject(body, values[0]!)) return undefined;
    const error = objectMembers(body, values[0]!, ['error']).get('error');
    return error ? toGatewayError(parseRange(body, error)) : undefined;
  } catch {
    return undefined;
  }
}

function toGatewayError(error: unknown): JaegerGatewayError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const httpCode = typeof e.httpCode === 'number' ? e.httpCode : typeof e.code === 'number' ? (GRPC_TO_HTTP[e.code] ?? 0) : 0;
  const message = typeof e.message === 'string' ? e.message : typeof error === 'string' ? error : 'error';
  return new JaegerGatewayError(httpCode, message);
}

/**
 * The batches of a v3 traces answer (GetTrace or FindTraces). Throws JaegerGatewayError for an error object,
 * JsonScanError or OtlpDecodeError for bytes that are not what the API documents.
 */
export async function decodeJaegerV3Traces(body: Uint8Array, columns: boolean): Promise<SpanBatch[]> {
  const batches: SpanBatch[] = [];
  for (const value of topLevelValues(body)) {
    if (!isObject(body, value)) throw new JsonScanError('expected an object ({"result": …})', value.start);
    const members = objectMembers(body, value, ['result', 'error', 'resourceSpans']);
    const error = members.get('error');
    if (error) throw toGatewayError(parseRange(body, error));
    const result: ByteRange | undefined = members.get('result') ?? (members.has('resourceSpans') ? value : undefined);
    // An object without either is an empty TracesData (`{}`): ProtoJSON leaves empty fields out.
    if (!result) continue;
    if (!isObject(body, result)) throw new JsonScanError('"result" is not an object', result.start);
    const batch = await runSteps(decodeTraceRequestJsonSteps(body.subarray(result.start, result.end), DEFAULT_DECODE_LIMITS, { columns }));
    batches.push(batch);
  }
  return batches;
}
