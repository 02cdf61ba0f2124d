// Grafana Tempo's query frontend (docs: "Tempo HTTP API"):
//   services: GET /api/v2/search/tag/resource.service.name/values → {"tagValues": [{"type", "value"}]}
//             (older: GET /api/search/tag/service.name/values → {"tagValues": ["…"]})
//   search:   GET /api/search?tags=service.name%3D…&start=…&end=…&limit=… (Unix seconds)
//             → {"traces": [{traceID, rootServiceName, rootTraceName, startTimeUnixNano, durationMs}]}
//   trace:    GET /api/v2/traces/{id} (older: /api/traces/{id}) with Accept: application/protobuf, decoded by core's
//             OTLP protobuf decoder; a JSON answer is read too (tempoFormats.ts).
import type { SpanBatch } from '../core/model/batch';
import { DEFAULT_DECODE_LIMITS, OtlpDecodeError } from '../core/otlp/decodeError';
import { decodeTraceRequestObject } from '../core/otlp/jsonDecoder';
import { decodeTraceRequestSteps } from '../core/otlp/protobufDecoder';
import { type BackendClient, type RemoteTrace, type SearchPage, type SearchQuery, type TraceSummary, remoteTrace } from './backendClient';
import type { BackendConfig } from './backendConfig';
import { BackendHttp, type ClientOptions } from './backendHttp';
import type { HttpAnswer } from './httpGet';
import { firstNonSpace } from './jsonScan';
import { runSteps } from './steps';
import { tempoJsonToOtlp, unwrapTraceByIdResponse } from './tempoFormats';
import { normalizeTraceId } from './traceIds';
import { newestFirst } from './traceSummaries';

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/protobuf';

export class TempoClient implements BackendClient {
  private readonly http: BackendHttp;
  /** Whether the v2 paths exist; undefined until a request told. */
  private v2Tags: boolean | undefined;
  private v2Traces: boolean | undefined;

  constructor(
    readonly config: BackendConfig,
    options: ClientOptions,
  ) {
    this.http = new BackendHttp(config, options);
  }

  get label(): string {
    return this.http.label;
  }

  async services(signal?: AbortSignal): Promise<string[]> {
    if (this.v2Tags !== false) {
      const { answer, what } = await this.http.get('/api/v2/search/tag/resource.service.name/values', {}, JSON_TYPE, signal);
      if (answer.status === 200) {
        this.v2Tags = true;
        return this.names(this.json(answer, what), what, v => (typeof v === 'object' && v !== null ? (v as { value?: unknown }).value : undefined));
      }
      if (answer.status !== 404) throw this.http.statusError(answer, what);
      this.v2Tags = false;
    }
    const { answer, what } = await this.http.get('/api/search/tag/service.name/values', {}, JSON_TYPE, signal);
    if (answer.status !== 200) throw this.http.statusError(answer, what);
    return this.names(this.json(answer, what), what, v => v);
  }

  async search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage> {
    const params = {
      tags: `service.name=${logfmtValue(query.service)}`,
      // Tempo's window is in whole seconds: widened here, and the traces outside it left out below.
      start: Math.floor(query.startUs / 1e6),
      end: Math.ceil(query.endUs / 1e6),
      limit: query.limit,
    };
    const { answer, what } = await this.http.get('/api/search', params, JSON_TYPE, signal);
    if (answer.status !== 200) throw this.http.statusError(answer, what);
    const body = this.json(answer, what);
    const traces = (body as { traces?: unknown }).traces ?? [];
    if (!Array.isArray(traces)) throw this.http.badAnswer(what, '"traces" is not a list');
    const out: TraceSummary[] = [];
    for (const [i, t] of traces.entries()) {
      const summary = searchResult(t);
      if (!summary) throw this.http.badAnswer(what, `traces[${i}] has no valid traceID and startTimeUnixNano`);
      if (summary.startUs >= query.startUs && summary.startUs < query.endUs) out.push(summary);
    }
    return { traces: newestFirst(out).slice(0, query.limit), full: traces.length >= query.limit };
  }

  async trace(traceId: string, signal?: AbortSignal): Promise<RemoteTrace> {
    const notFound = `trace ${traceId} was not found in ${this.label}`;
    if (this.v2Traces !== false) {
      const { answer, what } = await this.http.get(`/api/v2/traces/${traceId}`, {}, PROTOBUF_TYPE, signal);
      if (answer.status === 200) {
        this.v2Traces = true;
        return this.decodeTrace(traceId, answer, what, true, notFound, 'Tempo API v2');
      }
      if (answer.status !== 404) throw this.http.statusError(answer, what, notFound);
    }
    const { answer, what } = await this.http.get(`/api/traces/${traceId}`, {}, PROTOBUF_TYPE, signal);
    if (answer.status !== 200) throw this.http.statusError(answer, what, notFound);
    // v2 said 404 and v1 has the trace: this Tempo has no v2 (before 2.5).
    if (this.v2Traces === undefined) this.v2Traces = false;
    return this.decodeTrace(traceId, answer, what, false, notFound, 'Tempo API v1');
  }

  private async decodeTrace(traceId: string, answer: HttpAnswer, what: string, v2: boolean, notFound: string, api: string): Promise<RemoteTrace> {
    if (answer.body.length === 0) throw this.http.statusError({ ...answer, status: 404, statusText: 'Not Found (empty answer)' }, what, notFound);
    const isJson = answer.contentType.includes('json') || (!answer.contentType.includes('protobuf') && firstNonSpace(answer.body) === 0x7b);
    const warnings: string[] = [];
    let batch: SpanBatch;
    try {
      if (isJson) {
        const request = tempoJsonToOtlp(this.json(answer, what));
        if (!request) throw this.http.badAnswer(what, 'JSON without "batches", "resourceSpans" or "trace"');
        batch = decodeTraceRequestObject(request);
      } else {
        let bytes = answer.body;
        if (v2) {
          const envelope = unwrapTraceByIdResponse(bytes);
          if (envelope.partial) warnings.push(`${this.label} returned part of the trace${envelope.message ? `: ${envelope.message}` : ''}`);
          bytes = envelope.trace;
        }
        batch = await runSteps(decodeTraceRequestSteps(bytes, { limits: DEFAULT_DECODE_LIMITS, columns: true, sliceBytes: 256 * 1024 }));
      }
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw this.http.badAnswer(what, `not an OTLP trace in ${isJson ? 'JSON' : 'protobuf'}: ${err.message}`);
      throw err;
    }
    return remoteTrace(traceId, [batch], api, notFound, warnings);
  }

  private json(answer: HttpAnswer, what: string): object {
    const text = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw this.http.badAnswer(what, `not JSON: ${(err as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.http.badAnswer(what, 'expected a JSON object');
    return body;
  }

  private names(body: object, what: string, valueOf: (v: unknown) => unknown): string[] {
    const values = (body as { tagValues?: unknown }).tagValues ?? [];
    if (!Array.isArray(values)) throw this.http.badAnswer(what, '"tagValues" is not a list');
    const names = values.map(valueOf);
    if (names.some(n => typeof n !== 'string')) throw this.http.badAnswer(what, '"tagValues" holds something other than names');
    return [...new Set(names as string[])].sort((a, b) => a.localeCompare(b));
  }
}

/** One search result; undefined when it lacks the id or the start. */
function searchResult(t: unknown): TraceSummary | undefined {
  if (typeof t !== 'object' || t === null) return undefined;
  const o = t as Record<string, unknown>;
  const traceId = normalizeTraceId(o.traceID);
  const start = o.startTimeUnixNano;
  const startNs = typeof start === 'string' && /^\d+$/.test(start) ? BigInt(start) : typeof start === 'number' && Number.isFinite(start) ? BigInt(Math.round(start)) : undefined;
  if (!traceId || startNs === undefined) return undefined;
  // ProtoJSON leaves out a zero durationMs (a trace under a millisecond).
  const durationMs = typeof o.durationMs === 'number' ? o.durationMs : 0;
  return {
    traceId,
    rootName: typeof o.rootTraceName === 'string' ? o.rootTraceName : '',
    rootService: typeof o.rootServiceName === 'string' ? o.rootServiceName : '',
    startUs: Number(startNs / 1000n),
    durationUs: durationMs * 1000,
  };
}

/** A logfmt value: bare when it can be, else quoted with `"` and `\` escaped. */
export function logfmtValue(v: string): string {
  return /^[^\s="\\]+$/.test(v) ? v : `"${v.replace(/["\\]/g, c => `\\${c}`)}"`;
}
