// What the views ask of a team backend, whatever its kind: its services, the recent traces of a service, and one
// trace by id, decoded into span batches the store ingests. jaegerClient.ts and tempoClient.ts implement it.
import type { SpanBatch } from '../core/model/batch';
import type { BackendConfig } from './backendConfig';
import { BackendError } from './backendError';

/** One trace of a search: what a list of traces shows before the trace is opened. */
export interface TraceSummary {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  /** The root span's name; '' when the backend did not say (or the root is missing). */
  readonly rootName: string;
  /** The root span's service; '' when unknown. */
  readonly rootService: string;
  /** Start of the trace, Unix microseconds. */
  readonly startUs: number;
  /** Duration in microseconds; -1 when unknown. */
  readonly durationUs: number;
  /** Spans in the trace when the answer held them; undefined otherwise. */
  readonly spanCount?: number;
}

/** A page of search results. */
export interface SearchPage {
  /** Newest first, at most the query's limit, all started in the query's window. */
  readonly traces: readonly TraceSummary[];
  /** The backend returned as many traces as asked for: there may be older ones in the window. */
  readonly full: boolean;
}

export interface SearchQuery {
  readonly service: string;
  /** Traces that started in [startUs, endUs), Unix microseconds. */
  readonly startUs: number;
  readonly endUs: number;
  readonly limit: number;
}

/** A trace fetched by id. */
export interface RemoteTrace {
  readonly traceId: string;
  /** Decoded with columns, ready for TraceStore.ingest. */
  readonly batches: readonly SpanBatch[];
  readonly spanCount: number;
  /** Spans the decoder left out (invalid ids). */
  readonly rejectedSpans: number;
  /** Which API answered, e.g. "Jaeger API v3" (for the log). */
  readonly api: string;
  /** What the backend said besides the trace (a partial answer). */
  readonly warnings: readonly string[];
}

export interface BackendClient {
  readonly config: BackendConfig;
  /** `jaeger "team" at http://…`, as messages name the backend. */
  readonly label: string;
  services(signal?: AbortSignal): Promise<string[]>;
  /** The traces of a service in a time window, newest first, at most `limit`. */
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchPage>;
  /** Throws BackendError 'notFound' when the backend does not have it. */
  trace(traceId: string, signal?: AbortSignal): Promise<RemoteTrace>;
}

/** The trace of batches; none or no spans at all means the backend does not have it. */
export function remoteTrace(traceId: string, batches: readonly SpanBatch[], api: string, notFound: string, warnings: readonly string[] = []): RemoteTrace {
  const spanCount = batches.reduce((n, b) => n + (b.columns ? b.columns.count : b.spans.length), 0);
  const rejectedSpans = batches.reduce((n, b) => n + b.rejectedSpans, 0);
  if (spanCount === 0) throw new BackendError('notFound', rejectedSpans ? `${notFound}: all ${rejectedSpans} spans of the answer have invalid ids` : notFound, 404);
  return { traceId, batches, spanCount, rejectedSpans, api, warnings };
}
