// What both clients share: the backend's base URL and label, GETs with its headers and limits, and the HTTP
// statuses said as BackendErrors with the backend's own message (Jaeger's `{"error": {...}}` and `{"errors": [...]}`,
// Tempo's text) when it sent one.
import type { BackendConfig } from './backendConfig';
import { BackendError, bodyExcerpt } from './backendError';
import { type HttpAnswer, type HttpOptions, httpGet } from './httpGet';

export type ClientOptions = Omit<HttpOptions, 'signal'>;

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

export class BackendHttp {
  /** Names the backend in every message: `jaeger "team" at http://jaeger:16686`. */
  readonly label: string;

  constructor(
    readonly config: BackendConfig,
    private readonly options: ClientOptions,
  ) {
    this.label = `${config.kind} "${config.name}" at ${config.url}`;
  }

  /** GETs path?params; `what` (e.g. `GET /api/v3/services`) comes back for messages. */
  async get(path: string, params: QueryParams, accept: string, signal?: AbortSignal): Promise<{ answer: HttpAnswer; what: string }> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
    const q = query.toString();
    const relative = `${path}${q ? `?${q}` : ''}`;
    const what = `GET ${relative}`;
    const answer = await httpGet(`${this.config.url}${relative}`, accept, { ...this.options, signal }, this.label, what);
    return { answer, what };
  }

  /** The error for an answer that is not 2xx; `notFound` says what a 404 means for this request. */
  statusError(answer: HttpAnswer, what: string, notFound?: string): BackendError {
    const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    const said = errorMessage(answer);
    const tail = said ? `: ${said}` : '';
    if (answer.status === 401 || answer.status === 403) {
      return new BackendError('unauthorized', `${this.label} refused ${what} (${status}${tail}). Set the header it needs (e.g. Authorization) with "msgtrace: Set Backend Header…"`, answer.status);
    }
    if (answer.status === 404) return new BackendError('notFound', `${notFound ?? `${this.label} has no ${what}`} (${status}${tail})`, answer.status);
    return new BackendError('http', `${this.label} answered ${what} with ${status}${tail}`, answer.status);
  }

  /** An answer that does not parse as what the API documents. */
  badAnswer(what: string, problem: string): BackendError {
    return new BackendError('badAnswer', `${this.label} sent an answer to ${what} that msgtrace cannot read: ${bodyExcerpt(problem, 300)}`);
  }
}

/** What an error body says: the message of Jaeger's or Tempo's error JSON, else its text; '' for HTML or binary. */
export function errorMessage(answer: HttpAnswer): string {
  if (answer.body.length === 0 || answer.contentType === 'text/html') return '';
  const text = Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8');
  if (text.includes('\ufffd') && answer.contentType.includes('protobuf')) return '';
  try {
    const json = JSON.parse(text) as unknown;
    const found = messageOf(json);
    if (found) return bodyExcerpt(found);
  } catch {
    // Not JSON: the text itself.
  }
  return bodyExcerpt(text);
}

function messageOf(json: unknown): string {
  if (typeof json === 'string') return json;
  if (typeof json !== 'object' || json === null) return '';
  const o = json as Record<string, unknown>;
  // Jaeger v3: {"error": {"httpCode": 404, "message": "..."}}; v1: {"errors": [{"code": 404, "msg": "..."}]}.
  if (typeof o.error === 'object' && o.error !== null) return messageOf(o.error);
  if (typeof o.error === 'string') return o.error;
  if (Array.isArray(o.errors)) {
    return o.errors
      .map(e => (typeof e === 'object' && e !== null ? String((e as Record<string, unknown>).msg ?? (e as Record<string, unknown>).message ?? '') : String(e)))
      .filter(Boolean)
      .join('; ');
  }
  if (typeof o.message === 'string') return o.message;
  return '';
}
