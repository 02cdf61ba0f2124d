// One GET to a team backend with Node's fetch (undici): a timeout over the whole exchange (headers and body), the
// caller's cancellation, the backend's headers, and a body limit enforced while the body streams in, so a huge or
// endless answer costs at most the limit in memory. Failures become BackendErrors that name the backend and the
// request; HTTP statuses are returned to the caller, which knows what a 404 means for its API.
import { BackendError, bodyExcerpt } from './backendError';

export interface HttpOptions {
  /** Sent with every request (from SecretStorage); names and values are never logged. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Largest body read, after decompression (the receiver's body limit). */
  readonly maxBodyBytes: number;
  readonly signal?: AbortSignal;
}

export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  /** The media type without parameters, lowercase ('' when none). */
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** Error bodies are read for their message only: this much is plenty. */
const ERROR_BODY_BYTES = 64 * 1024;
const MiB = 1024 * 1024;

/**
 * GETs `url` and reads its body. `label` names the backend in messages (`jaeger "team"`); `what` names the request
 * (`GET /api/v3/services`). Throws BackendError for everything but an HTTP status.
 */
export async function httpGet(url: string, accept: string, options: HttpOptions, label: string, what: string): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const fail = (err: unknown): never => {
    throw toBackendError(err, timeout, options, label, what);
  };
  let response: Response;
  try {
    // No redirects: the headers hold tokens, and a redirect could carry them to another host.
    response = await fetch(url, { headers: { ...options.headers, accept }, signal, redirect: 'manual' });
  } catch (err) {
    return fail(err);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location') ?? 'another address';
    throw new BackendError('http', `${label} redirected ${what} to ${location}: put the address it redirects to in msgtrace.backends.list`, response.status);
  }
  const ok = response.status >= 200 && response.status < 300;
  const limit = ok ? options.maxBodyBytes : ERROR_BODY_BYTES;
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (ok && Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(label, what, options.maxBodyBytes);
  }
  let body: Uint8Array;
  try {
    body = await readBounded(response, limit, ok);
  } catch (err) {
    if (err === TOO_LARGE) throw tooLarge(label, what, options.maxBodyBytes);
    return fail(err);
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return { status: response.status, statusText: response.statusText, contentType, body };
}

const TOO_LARGE = new Error('body over the limit');

function tooLarge(label: string, what: string, maxBodyBytes: number): BackendError {
  const size = maxBodyBytes >= MiB ? `${Math.round(maxBodyBytes / MiB)} MiB` : `${maxBodyBytes} bytes`;
  return new BackendError('tooLarge', `${label}: the answer to ${what} is larger than ${size}, the limit set by msgtrace.receiver.maxBodyMiB; it was not read`);
}

/** The body, chunk by chunk; past `limit` the stream is cancelled and TOO_LARGE thrown (or, for error bodies, cut). */
async function readBounded(response: Response, limit: number, strict: boolean): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        if (strict) throw TOO_LARGE;
        chunks.push(value.subarray(0, value.byteLength - (total - limit)));
        total = limit;
        break;
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** What went wrong with a fetch that got no HTTP status (or whose body stopped), said for a person. */
function toBackendError(err: unknown, timeout: AbortSignal, options: HttpOptions, label: string, what: string): BackendError {
  if (err instanceof BackendError) return err;
  if (options.signal?.aborted) return new BackendError('cancelled', `${label}: ${what} was cancelled`);
  if (timeout.aborted) {
    const seconds = options.timeoutMs / 1000;
    return new BackendError('timeout', `${label} did not answer ${what} within ${seconds % 1 ? seconds.toFixed(1) : seconds} s (msgtrace.backends.timeoutSeconds)`);
  }
  const e = err as Error & { cause?: { code?: string; message?: string } };
  // fetch throws TypeError("fetch failed") with the socket's error as its cause; a header value it refuses is a
  // TypeError without a cause.
  const cause = e.cause;
  if (e instanceof TypeError && !cause && /header/i.test(e.message)) {
    // fetch's message quotes the value, which may be a token: it is not repeated.
    return new BackendError('badRequest', `${label}: a header set with "msgtrace: Set Backend Header…" cannot be sent: its name or value holds characters HTTP does not allow (a line break?)`);
  }
  // Node's happy-eyeballs connect gives an AggregateError without a message but with a code.
  const detail = bodyExcerpt(cause?.message || cause?.code || e.message || String(err), 160);
  return new BackendError('unreachable', `${label} is unreachable (${what}): ${detail}`);
}
