// What an upstream answers, read from its bytes: a failure's google.rpc.Status (its message for the log, and a
// google.rpc.RetryInfo among its details, which says when to try again) and a success's partial_success.
// With core's ProtoReader: three small messages do not need a protobuf library, and a malformed answer must
// only lose its details, never throw into the forwarder.
import { ExportTracePartialSuccessField, ExportTraceServiceResponseField, RpcStatusField } from '../core/otlp/otlpFields';
import { ProtoReader, WireType } from '../core/otlp/protoReader';

export interface UpstreamStatus {
  readonly code: number;
  readonly message: string;
  /** From a google.rpc.RetryInfo detail: when the upstream wants the request again. */
  readonly retryDelayMs?: number;
}

/** google.rpc.Status.details (repeated google.protobuf.Any), which otlpFields.ts leaves out because the receiver never writes it. */
const STATUS_DETAILS = 3;
const ANY_TYPE_URL = 1;
const ANY_VALUE = 2;
const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';
/** google.rpc.RetryInfo.retry_delay (google.protobuf.Duration { seconds = 1; nanos = 2 }). */
const RETRY_DELAY = 1;

/** A google.rpc.Status in protobuf; undefined when the bytes are not one. */
export function decodeRpcStatus(bytes: Uint8Array): UpstreamStatus | undefined {
  try {
    const r = new ProtoReader(bytes);
    const end = bytes.length;
    let code = 0;
    let message = '';
    let retryDelayMs: number | undefined;
    while (r.pos < end) {
      const tag = r.readVarint32(end);
      r.checkField(tag);
      const field = tag >>> 3;
      const wt = tag & 7;
      if (field === RpcStatusField.code && wt === WireType.Varint) code = r.readVarint32(end);
      else if (field === RpcStatusField.message && wt === WireType.Len) {
        const stop = r.readLengthEnd(end);
        message = r.string(r.pos, stop);
        r.pos = stop;
      } else if (field === STATUS_DETAILS && wt === WireType.Len) {
        const stop = r.readLengthEnd(end);
        retryDelayMs ??= retryInfoOf(r, stop);
        r.pos = stop;
      } else r.skip(wt, end, field, 8);
    }
    return retryDelayMs === undefined ? { code, message } : { code, message, retryDelayMs };
  } catch {
    return undefined;
  }
}

/** The delay of an Any that holds a RetryInfo, else undefined. */
function retryInfoOf(r: ProtoReader, end: number): number | undefined {
  let typeUrl = '';
  let value: [number, number] | undefined;
  while (r.pos < end) {
    const tag = r.readVarint32(end);
    r.checkField(tag);
    const wt = tag & 7;
    if (wt === WireType.Len && (tag >>> 3 === ANY_TYPE_URL || tag >>> 3 === ANY_VALUE)) {
      const stop = r.readLengthEnd(end);
      if (tag >>> 3 === ANY_TYPE_URL) typeUrl = r.string(r.pos, stop);
      else value = [r.pos, stop];
      r.pos = stop;
    } else r.skip(wt, end, tag >>> 3, 8);
  }
  if (typeUrl !== RETRY_INFO_TYPE || !value) return undefined;
  r.pos = value[0];
  let ms: number | undefined;
  while (r.pos < value[1]) {
    const tag = r.readVarint32(value[1]);
    r.checkField(tag);
    if (tag >>> 3 === RETRY_DELAY && (tag & 7) === WireType.Len) {
      const stop = r.readLengthEnd(value[1]);
      ms = durationMs(r, stop);
      r.pos = stop;
    } else r.skip(tag & 7, value[1], tag >>> 3, 8);
  }
  return ms;
}

function durationMs(r: ProtoReader, end: number): number {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const tag = r.readVarint32(end);
    r.checkField(tag);
    if ((tag & 7) !== WireType.Varint) r.skip(tag & 7, end, tag >>> 3, 8);
    else if (tag >>> 3 === 1) {
      r.readVarint64(end);
      // A negative or absurd delay is no delay; the forwarder caps long ones.
      seconds = r.hi === 0 ? r.lo : 0;
    } else if (tag >>> 3 === 2) nanos = r.readVarint32(end) | 0;
    else r.readVarint64(end);
  }
  return Math.max(0, seconds * 1000 + Math.round(nanos / 1e6));
}

export interface PartialSuccess {
  readonly rejectedSpans: number;
  readonly message: string;
}

/** The partial_success of an ExportTraceServiceResponse in protobuf; undefined when there is none (full success). */
export function decodePartialSuccess(bytes: Uint8Array): PartialSuccess | undefined {
  try {
    const r = new ProtoReader(bytes);
    const end = bytes.length;
    let found: PartialSuccess | undefined;
    while (r.pos < end) {
      const tag = r.readVarint32(end);
      r.checkField(tag);
      if (tag >>> 3 !== ExportTraceServiceResponseField.partialSuccess || (tag & 7) !== WireType.Len) {
        r.skip(tag & 7, end, tag >>> 3, 8);
        continue;
      }
      const stop = r.readLengthEnd(end);
      let rejectedSpans = 0;
      let message = '';
      while (r.pos < stop) {
        const t = r.readVarint32(stop);
        r.checkField(t);
        if (t >>> 3 === ExportTracePartialSuccessField.rejectedSpans && (t & 7) === WireType.Varint) {
          r.readVarint64(stop);
          rejectedSpans = r.hi * 2 ** 32 + r.lo;
        } else if (t >>> 3 === ExportTracePartialSuccessField.errorMessage && (t & 7) === WireType.Len) {
          const s = r.readLengthEnd(stop);
          message = r.string(r.pos, s);
          r.pos = s;
        } else r.skip(t & 7, stop, t >>> 3, 8);
      }
      found = { rejectedSpans, message };
    }
    return found && (found.rejectedSpans || found.message) ? found : undefined;
  } catch {
    return undefined;
  }
}

/** The partial success of a JSON answer (`{"partialSuccess":{"rejectedSpans":"2","errorMessage":"…"}}`). */
export function partialSuccessOfJson(text: string): PartialSuccess | undefined {
  try {
    const p = (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } } | null)?.partialSuccess;
    if (!p) return undefined;
    const rejectedSpans = Number(p.rejectedSpans ?? 0) || 0;
    const message = typeof p.errorMessage === 'string' ? p.errorMessage : '';
    return rejectedSpans || message ? { rejectedSpans, message } : undefined;
  } catch {
    return undefined;
  }
}

/** An answer body's text for the log: one line, printable, short (it comes from another program). */
export function answerText(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
