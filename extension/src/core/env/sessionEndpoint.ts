// msgtrace-sdk posts to MSGTRACE_OTLP_ENDPOINT verbatim (docs/msgflux-wire.md#endpoint), so a path in that URL reaches the
// receiver unchanged: each debug session gets its own path, and the receiver tells sessions apart by it.

const SESSION_PATH = /^\/session\/([A-Za-z0-9_-]{1,64})(?:\/|$)/;

/** The OTLP/HTTP traces URL for one session: `<base>/session/<id>/v1/traces`. */
export function sessionEndpoint(baseUrl: string, sessionId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(sessionId)) throw new Error(`invalid session id: ${sessionId}`);
  return `${baseUrl.replace(/\/+$/, '')}/session/${sessionId}/v1/traces`;
}

/** The session id in a request path made by sessionEndpoint, or undefined for any other path. */
export function sessionIdFromPath(path: string): string | undefined {
  return SESSION_PATH.exec(path)?.[1];
}
