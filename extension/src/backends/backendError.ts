// Every way a request to a team backend can fail, as one error type whose message says which backend, what was
// asked and what to do. Views show `message` as text; `kind` lets callers treat cases apart (a 404 on one API
// version means "try the other one").

export type BackendErrorKind =
  /** Connection refused, DNS failure, TLS failure: nothing answered. */
  | 'unreachable'
  /** 401 or 403: a header (a token) is missing or wrong. */
  | 'unauthorized'
  /** 404: the trace (or the API path) is not there. */
  | 'notFound'
  | 'timeout'
  /** The answer is larger than the body limit. */
  | 'tooLarge'
  /** The answer does not parse as what the API documents. */
  | 'badAnswer'
  /** Any other HTTP status. */
  | 'http'
  /** A setting or a header value that cannot be sent. */
  | 'badRequest'
  | 'cancelled';

export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    /** The HTTP status, when one arrived. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The text of an error body worth showing: one line, without control characters, at most `max` characters. */
export function bodyExcerpt(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
