// Jaeger's query service: the v3 API (OTLP/JSON answers) first, the v1 JSON API (Jaeger's own span format) when
// the server has no v3. Which one works is learned on the first request and kept.
//   v3: GET /api/v3/services                 → {"services": [...]}
//       GET /api/v3/traces?query.service_name=…&query.start_time_min=…&query.start_time_max=…&query.num_traces=…
//       GET /api/v3/traces/{trace_id}        → {"result": TracesData} (one or more)
//   v1: GET /api/services                    → {"data": [...]}
//       GET /api/traces?service=…&start=…&end=…&limit=…   (microseconds) → {"data": [trace, ...]}
//       GET /api/traces/{traceID}            → {"data": [trace]}
// Jaeger 2.x names v3's query parameters in camelCase (query.serviceName, …) and will drop the snake_case
// names: a 400 for the snake_case names is answered by asking again in camelCase (and remembered).
import type { SpanBatch } from '../core/model/batch';
import { OtlpDecodeError } from '../core/otlp/decodeError';
import { decodeTraceRequestObject } from '../core/otlp/jsonDecoder';
import { type BackendClient, type RemoteTrace, type SearchPage, type SearchQuery, type TraceSummary, remoteTrace } from './backendClient';
import type { BackendConfig } from './backendConfig';
import { BackendError } from './backendError';
import { BackendHttp, type ClientOptions, type QueryParams } from './backendHttp';
import type { HttpAnswer } from './httpGet';
import { JaegerFormatError, jaegerV1Traces } from './jaegerV1';
import { JaegerGatewayError, decodeJaegerV3Traces, gatewayError } from './jaegerV3';
import { JsonScanError, firstNonSpace } from './jsonScan';
import { newestFirst, summarizeTraces } from './traceSummaries';

const JSON_TYPE = 'application/json';

/** The server has no v3 API: ask v1. */
const NO_V3 = new Error('no v3 API');

export class JaegerClient implements BackendClient {
  private readonly http: BackendHttp;
  private api: 'v3' | 'v1' | undefined;
  private params: 'snake' | 'camel' = 'snake';

  constructor(
    readonly config: BackendConfig,
    options: ClientOptions,
  ) {
    this.http = new BackendHttp(config, options);
  }

  get label(): string {
    return this.http.label;
  }

  /** Which API answered last ('v3', 'v1'), undefined before the first answer. */
  get apiVersion(): 'v3' | 'v1' | undefined {
    return this.api;
  }

  services(signal?: AbortSignal): Promise<string[]> {
    return this.either(
      async () => {
        const { answer, what } = await this.http.get('/api/v3/services', {}, JSON_TYPE, signal);
        this.checkV3(answer, what);
        const services = this.json(answer, what, body => (body as { services?: unknown }).services ?? []);
        return this.strings(services, what, '"services"');
      },
      async () => {
        const { answer, what } = await this.http.get('/api/services', {}, JSON_TYPE, signal);
        if (answer.status !== 200) throw this.http.statusError(answer, what);
        const data = this.json(answer, what, body => (body as { data?: unknown }).data ?? []);
        return this.strings(data, what, '"data"');
      },
    );
  }

  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage> {
    return this.either(
      async () => {
        let { answer, what } = await this.http.get('/api/v3/traces', this.searchParams(query), JSON_TYPE, signal);
        if (answer.status === 400 && this.params === 'snake') {
          this.params = 'camel';
          ({ answer, what } = await this.http.get('/api/v3/traces', this.searchParams(query), JSON_TYPE, signal));
        }
        // FindTraces answers 404 "No traces found" for an empty result.
        if (answer.status === 404 && gatewayError(answer.body)) return { traces: [], full: false };
        this.checkV3(answer, what);
        return this.limited(summarizeTraces(await this.v3Batches(answer, what, false, undefined)), query.limit);
      },
      async () => {
        const params = { service: query.service, start: Math.floor(query.startUs), end: Math.ceil(query.endUs), limit: query.limit };
        const { answer, what } = await this.http.get('/api/traces', params, JSON_TYPE, signal);
        if (answer.status !== 200) throw this.http.statusError(answer, what);
        const traces = this.v1(what, () => jaegerV1Traces(this.json(answer, what, b => b)));
        const batches = traces.map(t => this.v1Decode(what, t.request));
        return this.limited(summarizeTraces(batches), query.limit);
      },
    );
  }

  trace(traceId: string, signal?: AbortSignal): Promise<RemoteTrace> {
    const notFound = `trace ${traceId} was not found in ${this.label}`;
    return this.either(
      async () => {
        const { answer, what } = await this.http.get(`/api/v3/traces/${traceId}`, {}, JSON_TYPE, signal);
        if (answer.status === 404 && gatewayError(answer.body)) throw this.http.statusError(answer, what, notFound);
        this.checkV3(answer, what);
        const batches = await this.v3Batches(answer, what, true, notFound);
        return remoteTrace(traceId, batches, 'Jaeger API v3', notFound);
      },
      async () => {
        const { answer, what } = await this.http.get(`/api/traces/${traceId}`, {}, JSON_TYPE, signal);
        if (answer.status !== 200) throw this.http.statusError(answer, what, notFound);
        const traces = this.v1(what, () => jaegerV1Traces(this.json(answer, what, b => b)));
        const batches = traces.map(t => this.v1Decode(what, t.request));
        return remoteTrace(traceId, batches, 'Jaeger API v1', notFound);
      },
    );
  }

  /** v3 unless the server showed it has none; then v1, and v1 from then on. */
  private async either<T>(v3: () => Promise<T>, v1: () => Promise<T>): Promise<T> {
    if (this.api !== 'v1') {
      try {
        const result = await v3();
        this.api = 'v3';
        return result;
      } catch (err) {
        if (err !== NO_V3) throw err;
        this.api = 'v1';
      }
    }
    return v1();
  }

  /**
   * Throws NO_V3 when the answer says the server has no v3 API (a 404 or 405 that is not the gateway's error
   * object, or the UI's HTML page served for an unknown path), a BackendError for other failures.
   */
  private checkV3(answer: HttpAnswer, what: string): void {
    if (answer.status === 200) {
      if (answer.contentType === 'text/html' || firstNonSpace(answer.body) === 0x3c) throw NO_V3;
      return;
    }
    if ((answer.status === 404 || answer.status === 405 || answer.status === 501) && !gatewayError(answer.body)) throw NO_V3;
    throw this.http.statusError(answer, what);
  }

  private searchParams(q: SearchQuery): QueryParams {
    const [service, min, max, depth] = this.params === 'snake' ? ['query.service_name', 'query.start_time_min', 'query.start_time_max', 'query.num_traces'] : ['query.serviceName', 'query.startTimeMin', 'query.startTimeMax', 'query.searchDepth'];
    return { [service]: q.service, [min]: rfc3339(q.startUs), [max]: rfc3339(q.endUs), [depth]: q.limit };
  }

  private async v3Batches(answer: HttpAnswer, what: string, columns: boolean, notFound: string | undefined): Promise<SpanBatch[]> {
    try {
      return await decodeJaegerV3Traces(answer.body, columns);
    } catch (err) {
      if (err instanceof JaegerGatewayError) {
        if (err.isNotFound && notFound) throw new BackendError('notFound', `${notFound} (${err.message})`, 404);
        throw new BackendError(err.httpCode === 401 || err.httpCode === 403 ? 'unauthorized' : 'http', `${this.label} answered ${what} with an error${err.httpCode ? ` (HTTP ${err.httpCode})` : ''}: ${err.message}`, err.httpCode || undefined);
      }
      if (err instanceof JsonScanError || err instanceof OtlpDecodeError) throw this.http.badAnswer(what, `not OTLP/JSON in a {"result": …} envelope: ${err.message}`);
      throw err;
    }
  }

  private v1<T>(what: string, convert: () => T): T {
    try {
      return convert();
    } catch (err) {
      if (err instanceof JaegerFormatError) throw this.http.badAnswer(what, `not Jaeger's JSON span format: ${err.message}`);
      throw err;
    }
  }

  private v1Decode(what: string, request: unknown): SpanBatch {
    try {
      return decodeTraceRequestObject(request);
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw this.http.badAnswer(what, `a span that does not convert to OTLP: ${err.message}`);
      throw err;
    }
  }

  /** The answer as JSON, then `pick` of it; a body that is not JSON is a bad answer. */
  private json(answer: HttpAnswer, what: string, pick: (body: unknown) => unknown): unknown {
    const text = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw this.http.badAnswer(what, `not JSON: ${(err as Error).message}`);
    }
    if (typeof body !== 'object' || body === null) throw this.http.badAnswer(what, `expected a JSON object, found ${body === null ? 'null' : typeof body}`);
    return pick(body);
  }

  private strings(value: unknown, what: string, name: string): string[] {
    if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) throw this.http.badAnswer(what, `${name} is not a list of names`);
    return [...new Set(value as string[])].sort((a, b) => a.localeCompare(b));
  }

  private limited(list: TraceSummary[], limit: number): SearchPage {
    return { traces: newestFirst(list).slice(0, limit), full: list.length >= limit };
  }
}

/** RFC 3339 with microseconds, as Go's time.RFC3339Nano parses it. */
export function rfc3339(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = Math.floor(us - ms * 1000);
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, m: string) => `.${m}${String(micros).padStart(3, '0')}Z`);
}
