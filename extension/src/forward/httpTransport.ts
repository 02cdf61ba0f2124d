// OTLP/HTTP protobuf upstream: one POST per request, the body as it was acknowledged, over a keep-alive
// connection (TLS for https: URLs, with Node's trusted certificates).
// By hand on node:http rather than with the OpenTelemetry exporters: they encode spans they made themselves,
// while we must send bytes we received, unchanged; their transport layer (otlp-exporter-base) is not a public
// API and brings its own retry policy (5 attempts) that would fight the forwarder's queue.
import * as http from 'node:http';
import * as https from 'node:https';
import { type ForwardTransport, RETRYABLE_HTTP_STATUS, type SendOutcome, attempt, parseRetryAfter } from './retryPolicy';
import { answerText, decodePartialSuccess, decodeRpcStatus, partialSuccessOfJson } from './upstreamAnswers';

/** More than any Status or partial success needs; the rest of a large answer (an HTML error page) is not kept. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function createHttpTransport(url: URL, headers: Readonly<Record<string, string>>): ForwardTransport {
  const secure = url.protocol === 'https:';
  // noDelay: a request is one write and waits for its answer; Nagle's algorithm only delays it (measured: 1.9 ->
  // 0.7 ms per small request on loopback).
  const agentOptions = { keepAlive: true, maxSockets: 2, noDelay: true };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const request = secure ? https.request : http.request;
  const requests = new Set<http.ClientRequest>();
  // Ours last: a header setting must not change what the body is.
  const head: http.OutgoingHttpHeaders = { 'user-agent': 'msgtrace-forward', ...headers, 'content-type': 'application/x-protobuf' };
  let closed = false;

  return {
    send(body, timeoutMs) {
      if (closed) return Promise.resolve({ kind: 'retry', error: 'the connection was closed' });
      // Node throws, rather than emits, for what it cannot send at all: that request fails, the next one goes on.
      return attempt(resolve => {
        // Resolved once there is an outcome and the body is no longer read: an upstream may answer before it has
        // read the whole body, and the forwarder reuses the body's memory as soon as this resolves.
        let outcome: SendOutcome | undefined;
        let written = false;
        let settled = false;
        const settle = () => {
          if (settled || !outcome || !written) return;
          settled = true;
          clearTimeout(deadline);
          requests.delete(req);
          resolve(outcome);
        };
        const finish = (o: SendOutcome) => {
          outcome ??= o;
          settle();
        };
        const req = request(url, { method: 'POST', agent, headers: { ...head, 'content-length': body.byteLength } }, res => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => finish(outcomeOf(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
          res.on('error', err => finish({ kind: 'retry', error: networkError(err) }));
        });
        // A whole-attempt deadline: the socket timeout alone would let a trickling answer go on for ever.
        const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        requests.add(req);
        req.on('error', err => finish({ kind: 'retry', error: networkError(err) }));
        // 'finish': the body was handed to the system; 'close': the request is over (also after an error).
        const done = () => {
          written = true;
          settle();
        };
        req.on('finish', done);
        req.on('close', done);
        req.end(body);
      });
    },
    close() {
      closed = true;
      for (const req of requests) req.destroy(new Error('the forwarder was closed'));
      agent.destroy();
    },
  };
}

function outcomeOf(status: number, headers: http.IncomingHttpHeaders, body: Buffer): SendOutcome {
  const json = /json/i.test(headers['content-type'] ?? '');
  if (status >= 200 && status < 300) {
    const partial = json ? partialSuccessOfJson(body.toString('utf8')) : decodePartialSuccess(body);
    return { kind: 'ok', rejectedSpans: partial?.rejectedSpans ?? 0, message: partial?.message ? answerText(partial.message) : '' };
  }
  const error = `HTTP ${status}${reasonOf(headers, body, json)}`;
  if (RETRYABLE_HTTP_STATUS.has(status)) {
    const afterMs = parseRetryAfter(headerValue(headers['retry-after']));
    return afterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, afterMs };
  }
  return { kind: 'fail', error };
}

/** The upstream's own words: a google.rpc.Status message (protobuf or JSON), or the start of a text answer. */
function reasonOf(headers: http.IncomingHttpHeaders, body: Buffer, json: boolean): string {
  if (body.length === 0) return '';
  const type = headers['content-type'] ?? '';
  let message: string | undefined;
  if (/protobuf/i.test(type)) message = decodeRpcStatus(body)?.message;
  else if (json) {
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown } | null;
      if (typeof parsed?.message === 'string') message = parsed.message;
    } catch {
      // Not JSON after all: shown as text below.
    }
  }
  const text = answerText(message ?? body.toString('utf8'));
  return text ? `: ${text}` : '';
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function networkError(err: Error & { code?: string }): string {
  return err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
}
