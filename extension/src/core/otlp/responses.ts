// The bodies the receiver answers with, in the request's encoding (OTLP/HTTP: "the response MUST use the same
// Content-Type as the request"): ExportTraceServiceResponse (empty on full success, partial_success otherwise)
// and google.rpc.Status for failures. Hand-encoded: they are two or three fields.

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
    const countKey = signal === 'traces' ? 'rejectedSpans' : signal === 'logs' ? 'rejectedLogRecords' : 'rejectedDataPoints';
    return encoder.encode(JSON.stringify({ partialSuccess: { [countKey]: String(rejected), errorMessage: message } }));
  }
  if (rejected === 0 && message === '') return new Uint8Array(0);
  const inner: number[] = [];
  if (rejected) pushVarintField(inner, 1, rejected);
  if (message) pushBytesField(inner, 2, encoder.encode(message));
  const out: number[] = [];
  pushBytesField(out, 1, Uint8Array.from(inner));
  return Uint8Array.from(out);
}

/** google.rpc.Status { code, message }. */
export function encodeStatus(encoding: OtlpEncoding, code: RpcCode, message: string): Uint8Array {
  if (encoding === 'json') return encoder.encode(JSON.stringify({ code, message }));
  const out: number[] = [];
  if (code) pushVarintField(out, 1, code);
  if (message) pushBytesField(out, 2, encoder.encode(message));
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
  pushVarint(out, field << 3);
  pushVarint(out, v);
}

function pushBytesField(out: number[], field: number, bytes: Uint8Array): void {
  pushVarint(out, (field << 3) | 2);
  pushVarint(out, bytes.length);
  for (const b of bytes) out.push(b);
}
