// Tempo's trace answers. Protobuf (what msgtrace asks for): /api/traces/{id} is a tempopb.Trace, whose field 1
// holds ResourceSpans exactly as an ExportTraceServiceRequest's field 1 does; /api/v2/traces/{id} wraps it in a
// TraceByIDResponse { Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4 }.
// JSON (when a proxy or an old Tempo answers JSON anyway) is gogo's jsonpb of the same messages: the list is
// `batches` (v1) or `trace.resourceSpans`/`trace.batches` (v2), ids are base64 (not OTLP/JSON's hex), enums are
// names, and old versions say instrumentationLibrarySpans. Both are turned into what core's decoders read.
import { WireType } from '../core/otlp/protoReader';
import { ProtoReader } from '../core/otlp/protoReader';

export interface TraceByIdEnvelope {
  /** The Trace message's bytes (an ExportTraceServiceRequest to the decoder); empty when the answer had none. */
  readonly trace: Uint8Array;
  /** PartialStatus: 1 when Tempo could not read every block. */
  readonly partial: boolean;
  readonly message: string;
}

/** Unwraps a v2 TraceByIDResponse. Throws OtlpDecodeError for bytes that are not protobuf. */
export function unwrapTraceByIdResponse(body: Uint8Array): TraceByIdEnvelope {
  const r = new ProtoReader(body);
  const end = body.length;
  let trace: Uint8Array = new Uint8Array(0);
  let partial = false;
  let message = '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.readVarint32(end);
    r.checkField(tag);
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 1 && wire === WireType.Len) {
      const stop = r.readLengthEnd(end);
      trace = body.subarray(r.pos, stop);
      r.pos = stop;
    } else if (field === 3 && wire === WireType.Varint) {
      partial = r.readVarint32(end) === 1;
    } else if (field === 4 && wire === WireType.Len) {
      const stop = r.readLengthEnd(end);
      message = r.string(r.pos, stop);
      r.pos = stop;
    } else if (field <= 4 && field !== 2) {
      r.wrongType('TraceByIDResponse', field, wire, at);
    } else r.skip(wire, end, field, 8);
  }
  return { trace, partial, message };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Tempo's JSON trace as an OTLP/JSON ExportTraceServiceRequest object; undefined when it holds no trace list. */
export function tempoJsonToOtlp(root: unknown): { resourceSpans: Json[] } | undefined {
  if (!isObject(root)) return undefined;
  const trace = isObject(root.trace) ? root.trace : root;
  const list = trace.resourceSpans ?? trace.batches;
  if (list === undefined) return isObject(root.trace) || 'trace' in root ? { resourceSpans: [] } : undefined;
  if (!Array.isArray(list)) return undefined;
  return { resourceSpans: list.map(rs => (isObject(rs) ? resourceSpans(rs) : rs) as Json) };
}

function resourceSpans(rs: Json): Json {
  const scopes = rs.scopeSpans ?? rs.instrumentationLibrarySpans;
  const out: Json = { ...rs, scopeSpans: Array.isArray(scopes) ? scopes.map(s => (isObject(s) ? scopeSpans(s) : s)) : scopes };
  delete out.instrumentationLibrarySpans;
  return out;
}

function scopeSpans(ss: Json): Json {
  const out: Json = { ...ss, scope: ss.scope ?? ss.instrumentationLibrary, spans: Array.isArray(ss.spans) ? ss.spans.map(s => (isObject(s) ? span(s) : s)) : ss.spans };
  delete out.instrumentationLibrary;
  return out;
}

function span(s: Json): Json {
  const out: Json = { ...s, traceId: hexId(s.traceId, 16), spanId: hexId(s.spanId, 8) };
  if (s.parentSpanId !== undefined) out.parentSpanId = hexId(s.parentSpanId, 8);
  if (Array.isArray(s.links)) out.links = s.links.map(l => (isObject(l) ? { ...l, traceId: hexId(l.traceId, 16), spanId: hexId(l.spanId, 8) } : l));
  return out;
}

/** An id as OTLP/JSON's hex: kept when it is hex of the right length, else read as base64 (jsonpb's bytes). */
export function hexId(v: unknown, bytes: number): unknown {
  if (typeof v !== 'string' || v === '') return v;
  if (v.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(v)) return v;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return v;
  const decoded = Buffer.from(v, 'base64');
  return decoded.length === bytes ? decoded.toString('hex') : v;
}
