// When to try a request again and how long to wait, by the OTLP specification (docs/otlp.md#retries): HTTP
// 429/502/503/504 and network errors are retried, honouring Retry-After; gRPC retries the codes the
// specification lists, and RESOURCE_EXHAUSTED only with a RetryInfo. Everything else is permanent.

/** What one attempt came to. */
export type SendOutcome =
  | { readonly kind: 'ok'; readonly rejectedSpans: number; readonly message: string }
  | { readonly kind: 'retry'; readonly error: string; readonly afterMs?: number }
  | { readonly kind: 'fail'; readonly error: string };

/** Sends one request's bytes, once. Never rejects: every failure is an outcome. */
export interface ForwardTransport {
  send(body: Uint8Array, timeoutMs: number): Promise<SendOutcome>;
  /** Closes connections; an attempt in flight ends as a retryable error. */
  close(): void;
}

/** A Promise of an outcome whose executor's throw is a failure, never a rejection. */
export function attempt(executor: (resolve: (outcome: SendOutcome) => void) => void): Promise<SendOutcome> {
  return new Promise<SendOutcome>(resolve => {
    try {
      executor(resolve);
    } catch (err) {
      resolve({ kind: 'fail', error: err instanceof Error ? err.message : String(err) });
    }
  });
}

export const RETRYABLE_HTTP_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** gRPC status codes (grpc.status), named here so this file needs no grpc-js. */
export enum GrpcCode {
  Ok = 0,
  Cancelled = 1,
  DeadlineExceeded = 4,
  ResourceExhausted = 8,
  Aborted = 10,
  OutOfRange = 11,
  Unavailable = 14,
  DataLoss = 15,
}

const RETRYABLE_GRPC: ReadonlySet<number> = new Set([GrpcCode.Cancelled, GrpcCode.DeadlineExceeded, GrpcCode.Aborted, GrpcCode.OutOfRange, GrpcCode.Unavailable, GrpcCode.DataLoss]);

export function isRetryableGrpc(code: number, hasRetryInfo: boolean): boolean {
  return RETRYABLE_GRPC.has(code) || (code === GrpcCode.ResourceExhausted && hasRetryInfo);
}

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * The delay before retry number `attempt` (1 for the first): exponential from `initialMs`, capped at `maxMs`,
 * spread by ±50 % (the Collector's randomization factor), so that editors that lost the same backend do not
 * come back in step.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(30, attempt - 1));
  return Math.min(maxMs, Math.round(base * (0.5 + random())));
}
