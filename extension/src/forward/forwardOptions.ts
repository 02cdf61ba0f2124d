// What a Forwarder is told: where the upstream is, how to speak to it, and its limits. Endpoints are checked
// here, once, so that the extension's settings and the CLI's flags fail with the same message.

export type ForwardProtocol = 'http/protobuf' | 'grpc';

export const FORWARD_PROTOCOLS: readonly ForwardProtocol[] = ['http/protobuf', 'grpc'];

export interface ForwardLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ForwardOptions {
  /**
   * http/protobuf: the URL requests are POSTed to (`http:` or `https:`; a URL without a path gets `/v1/traces`).
   * grpc: `host:port`, `http://host:port` (plain) or `https://host:port` (TLS).
   */
  readonly endpoint: string;
  /** Default http/protobuf. */
  readonly protocol?: ForwardProtocol;
  /** HTTP headers, or gRPC metadata: e.g. an `authorization` the backend wants. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The most request bytes waiting (and in flight); beyond it the oldest waiting requests are dropped. Default 64 MiB. */
  readonly maxQueueBytes?: number;
  /** One attempt's deadline. Default 10 s (the OpenTelemetry exporters' default). */
  readonly timeoutMs?: number;
  /** The first retry's delay before jitter; it doubles per attempt. Default 1 s. */
  readonly initialBackoffMs?: number;
  /** The longest delay between attempts, also the cap for Retry-After and RetryInfo. Default 30 s. */
  readonly maxBackoffMs?: number;
  /** A request still not accepted after retrying this long is given up (counted as failed). Default 5 min, the Collector's. */
  readonly maxElapsedMs?: number;
  /** Retrying for this long makes the state `failing` instead of `retrying`. Default 30 s. */
  readonly failingAfterMs?: number;
  /** Drops and failures are logged at once, then summed up at most this often. Default 10 s. */
  readonly logEveryMs?: number;
  readonly logger?: ForwardLogger;
}

export type ResolvedForwardOptions = Required<Omit<ForwardOptions, 'headers'>> & { readonly headers: Readonly<Record<string, string>>; readonly target: ForwardTarget };

/** Where requests go, parsed from the endpoint. */
export type ForwardTarget =
  | { readonly protocol: 'http/protobuf'; readonly url: URL; readonly display: string }
  | { readonly protocol: 'grpc'; readonly address: string; readonly tls: boolean; readonly display: string };

/** A setting or flag that cannot work; its message says which and why. */
export class ForwardConfigError extends Error {}

export const MiB = 1024 * 1024;
export const DEFAULT_QUEUE_BYTES = 64 * MiB;

const silent: ForwardLogger = { info() {}, warn() {}, error() {} };

export function resolveForwardOptions(o: ForwardOptions): ResolvedForwardOptions {
  const protocol = o.protocol ?? 'http/protobuf';
  if (!FORWARD_PROTOCOLS.includes(protocol)) throw new ForwardConfigError(`forward protocol must be ${FORWARD_PROTOCOLS.join(' or ')}, not "${String(protocol)}"`);
  const positive = (v: number | undefined, fallback: number) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback);
  return {
    endpoint: o.endpoint,
    protocol,
    headers: checkHeaders(o.headers ?? {}, protocol),
    target: parseEndpoint(o.endpoint, protocol),
    maxQueueBytes: positive(o.maxQueueBytes, DEFAULT_QUEUE_BYTES),
    timeoutMs: positive(o.timeoutMs, 10_000),
    initialBackoffMs: positive(o.initialBackoffMs, 1000),
    maxBackoffMs: positive(o.maxBackoffMs, 30_000),
    maxElapsedMs: positive(o.maxElapsedMs, 5 * 60_000),
    failingAfterMs: positive(o.failingAfterMs, 30_000),
    logEveryMs: positive(o.logEveryMs, 10_000),
    logger: o.logger ?? silent,
  };
}

/** Parses an endpoint for a protocol; throws ForwardConfigError with a message for the user. */
export function parseEndpoint(endpoint: string, protocol: ForwardProtocol): ForwardTarget {
  const text = endpoint.trim();
  if (!text) throw new ForwardConfigError('the forward endpoint is empty');
  if (protocol === 'http/protobuf') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ForwardConfigError(`forward endpoint "${text}" is not a URL (for OTLP/HTTP write e.g. http://collector:4318/v1/traces; for gRPC set the protocol to grpc)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ForwardConfigError(`forward endpoint "${text}": OTLP/HTTP needs an http: or https: URL`);
    // The OTLP exporters' convention for a base URL: a URL without a path means the traces path.
    if (url.pathname === '/' && !text.endsWith('/')) url.pathname = '/v1/traces';
    return { protocol, url, display: displayUrl(url) };
  }
  const m = /^(?:(https?):\/\/)?(\[[0-9a-fA-F:.]+\]|[^/:[\]\s]+)(?::(\d{1,5}))?\/?$/.exec(text);
  if (!m) throw new ForwardConfigError(`forward endpoint "${text}": OTLP/gRPC needs host:port, http://host:port or https://host:port`);
  const port = m[3] === undefined ? 4317 : Number(m[3]);
  if (port < 1 || port > 65535) throw new ForwardConfigError(`forward endpoint "${text}": port ${port} is not 1-65535`);
  const address = `${m[2]!}:${port}`;
  const tls = m[1] === 'https';
  return { protocol, address, tls, display: `${tls ? 'https://' : ''}${address} (gRPC)` };
}

/** A URL for the log: without a password, which may sit in its user info. */
function displayUrl(url: URL): string {
  if (!url.password) return url.href;
  const copy = new URL(url.href);
  copy.password = '***';
  return copy.href;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Names must be HTTP tokens and values single lines: a newline in a value would split the request. */
function checkHeaders(headers: Readonly<Record<string, string>>, protocol: ForwardProtocol): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw new ForwardConfigError(`forward header name "${name}" is not a valid HTTP header name`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw new ForwardConfigError(`forward header "${name}" must be a one-line string`);
    // What Node's HTTP client accepts in a field value, and grpc-js in a text metadata value (printable ASCII).
    const allowed = protocol === 'grpc' ? /^[\x20-\x7e]*$/ : /^[\t\x20-\x7e\x80-\xff]*$/;
    if (!allowed.test(value)) throw new ForwardConfigError(`forward header "${name}" has characters a header value cannot carry${protocol === 'grpc' ? ' (gRPC: printable ASCII only)' : ''}`);
    // gRPC metadata keys are lowercase, and "-bin" keys carry bytes, which a text setting cannot hold.
    const key = protocol === 'grpc' ? name.toLowerCase() : name;
    if (protocol === 'grpc' && key.endsWith('-bin')) throw new ForwardConfigError(`forward header "${name}": binary gRPC metadata (-bin) is not supported`);
    out[key] = value;
  }
  return out;
}
