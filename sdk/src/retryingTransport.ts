// MSGTRACE_MAX_RETRIES for the OTLP/HTTP exporter. @opentelemetry/exporter-trace-otlp-http retries a fixed five
// times; we put our own policy in front of its HTTP transport: at most `maxRetries` retries on 429/502/503/504 and
// network errors (the transport classifies both as "retryable"), exponential backoff with jitter, Retry-After
// honoured, all inside the exporter's per-batch deadline.
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

/** The shape of otlp-exporter-base's ExportResponse and IExporterTransport (not exported by the http exporter). */
export type TransportResponse =
  | { status: 'success'; data?: Uint8Array }
  | { status: 'failure'; error: Error }
  | { status: 'retryable'; error?: Error; retryInMillis?: number };

export interface Transport {
  send(data: Uint8Array, timeoutMillis: number): Promise<TransportResponse>;
  shutdown(): void;
}

export interface RetryPolicy {
  readonly maxRetries: number;
  /** First backoff; doubled on each retry up to maxBackoffMillis, with ±20% jitter. */
  readonly initialBackoffMillis: number;
  readonly maxBackoffMillis: number;
}

export const DEFAULT_RETRY_POLICY = { initialBackoffMillis: 1000, maxBackoffMillis: 8000 } as const;

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

export class RetryingTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly policy: RetryPolicy,
  ) {}

  async send(data: Uint8Array, timeoutMillis: number): Promise<TransportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let backoff = this.policy.initialBackoffMillis;
    let response = await this.inner.send(data, timeoutMillis);
    for (let retry = 1; response.status === 'retryable' && retry <= this.policy.maxRetries; retry++) {
      const jittered = backoff * (0.8 + Math.random() * 0.4);
      const wait = response.retryInMillis !== undefined && response.retryInMillis >= 0 ? response.retryInMillis : jittered;
      backoff = Math.min(backoff * 2, this.policy.maxBackoffMillis);
      const remaining = deadline - Date.now();
      if (wait >= remaining) break;
      await sleep(wait);
      response = await this.inner.send(data, deadline - Date.now());
    }
    return response;
  }

  shutdown(): void {
    this.inner.shutdown();
  }
}

interface ExporterInternals {
  _delegate?: { _transport?: Transport & { _transport?: Transport } };
}

/**
 * Replaces the exporter's built-in retry layer by ours. Relies on private fields of the pinned exporter version;
 * returns false (and the built-in policy stays) if their shape ever changes.
 */
export function applyRetryPolicy(exporter: OTLPTraceExporter, policy: RetryPolicy): boolean {
  const delegate = (exporter as unknown as ExporterInternals)._delegate;
  const builtIn = delegate?._transport;
  const http = builtIn?._transport;
  if (!delegate || !http || typeof http.send !== 'function' || typeof http.shutdown !== 'function') return false;
  delegate._transport = new RetryingTransport(http, policy);
  return true;
}
