// The bodies the receiver answers with, in the request's encoding (OTLP/HTTP: "the response MUST use the same
// Content-Type as the request"): ExportTraceServiceResponse (empty on full success, partial_success otherwise)
// and google.rpc.Status for failures. Hand-encoded: they are two or three fields (numbers and names from
// otlpFields.ts).
import {
  ExportTracePartialSuccessField,
  ExportTraceServiceResponseField,
  OTLP_MESSAGES,
  type OtlpJsonObject,
  RpcStatusField,
} from './otlpFields';
import { WireType } from './protoReader';

export type OtlpEncoding = 'protobuf' | 'json';

/** gRPC status codes used by the receiver (google.rpc.Code). */
export enum RpcCode {
  Ok = 0,
  InvalidArgument = 3,
  DeadlineExceeded = 4,
  ResourceExhausted = 8,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
}

const encoder = new TextEncoder();

/**
 * ExportTraceServiceResponse. With rejected = 0 and no message it is empty (`{}` in JSON), which OTLP
 * requires for full success. The same shape serves logs and metrics, whose partial_success field names differ.
 */
export function encodeExportResponse(encoding: OtlpEncoding, rejected = 0, message = '', signal: 'traces' | 'logs' | 'metrics' = 'traces'): Uint8Array {
  if (encoding === 'json') {
    if (rejected === 0 && message === '') return encoder.encode('{}');
    const partial = PARTIAL_SUCCESS[signal];
    const body: OtlpJsonObject<'ExportTraceServiceResponse'> = {
      partialSuccess: { [partial.count]: String(rejected), [partial.message]: message },
    };
    return encoder.encode(JSON.stringify(body));
  }
  if (rejected === 0 && message === '') return new Uint8Array(0);
  // The three signals' partial successes share their field numbers; only the count's name differs.
  const inner: number[] = [];
  if (rejected) pushVarintField(inner, ExportTracePartialSuccessField.rejectedSpans, rejected);
  if (message) pushBytesField(inner, ExportTracePartialSuccessField.errorMessage, encoder.encode(message));
  const out: number[] = [];
  pushBytesField(out, ExportTraceServiceResponseField.partialSuccess, Uint8Array.from(inner));
  return Uint8Array.from(out);
}

const PARTIAL_SUCCESS = {
  traces: { count: OTLP_MESSAGES.ExportTracePartialSuccess.fields.rejectedSpans.json, message: OTLP_MESSAGES.ExportTracePartialSuccess.fields.errorMessage.json },
  logs: { count: OTLP_MESSAGES.ExportLogsPartialSuccess.fields.rejectedLogRecords.json, message: OTLP_MESSAGES.ExportLogsPartialSuccess.fields.errorMessage.json },
  metrics: { count: OTLP_MESSAGES.ExportMetricsPartialSuccess.fields.rejectedDataPoints.json, message: OTLP_MESSAGES.ExportMetricsPartialSuccess.fields.errorMessage.json },
} as const;

/** google.rpc.Status { code, message }. */
export function encodeStatus(encoding: OtlpEncoding, code: RpcCode, message: string): Uint8Array {
  if (encoding === 'json') return encoder.encode(JSON.stringify({ code, message } satisfies OtlpJsonObject<'google.rpc.Status'>));
  const out: number[] = [];
  if (code) pushVarintField(out, RpcStatusField.code, code);
  if (message) pushBytesField(out, RpcStatusField.message, encoder.encode(message));
  return Uint8Array.from(out);
}

function pushVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function pushVarintField(out: number[], field: number, v: number): void {
  pushVarint(out, (field << 3) | WireType.Varint);
  pushVarint(out, v);
}

function pushBytesField(out: number[], field: number, bytes: Uint8Array): void {
  pushVarint(out, (field << 3) | WireType.Len);
  pushVarint(out, bytes.length);
  for (const b of bytes) out.push(b);
}
