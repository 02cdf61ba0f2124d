// OTLP/HTTP: method, media type and encoding checks, the limited body read, and answers in the request's
// encoding (docs/otlp.md#otlp-over-http). Any path but /v1/logs and /v1/metrics is a trace export, because msgtrace-sdk posts
// to whatever URL it was given (docs/msgflux-wire.md#endpoint).
import * as http from 'node:http';
import { type OtlpEncoding, encodeStatus } from '../core/otlp/responses';
import { BodyError, readBody } from './bodyReader';
import type { ConnectionGate } from './connectionGate';
import { EXPORT_STATUS, internalErrorMessage } from './exportStatus';
import type { ReceiverErrorKind } from './receiverStats';
import type { ExportFailure, ExportRequest, TransportContext } from './traceIngest';

const MEDIA_TYPES: Record<string, OtlpEncoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};
const CONTENT_TYPE: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };
const ENCODINGS: Record<string, string> = { '': '', identity: '', gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

export function createHttpServer(ctx: TransportContext, gate: ConnectionGate): http.Server {
  const { options } = ctx;
  const requestTimeout = options.requestTimeoutMs + 5_000;
  const server = http.createServer(
    {
      // Node's own limits (docs/receiver.md#connection-limits) back up the receiver's body deadline and bound
      // slow header senders and idle keep-alive sockets; they are checked every second (Node's default, 30 s,
      // let a silent socket stay up to 30 s past its deadline).
      requestTimeout,
      headersTimeout: Math.min(options.headersTimeoutMs, requestTimeout),
      keepAliveTimeout: options.idleTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      // In flight until answered or dropped: the gate closes only idle connections to make room.
      gate.busy(req.socket);
      res.once('close', () => gate.idle(req.socket));
      handle(ctx, req, res).catch(err => {
        // handle() answers every failure it expects; reaching here is a bug, still answered and counted.
        fail(ctx, res, 'internal', undefined, internalErrorMessage(err));
      });
    },
  );
  gate.guard(server);
  server.on('clientError', (err, socket) => {
    // Counted, not logged: Node reports resets of idle keep-alive sockets here too, and headers that did not
    // arrive within headersTimeout (a timeout, answered 408).
    const kind = (err as NodeJS.ErrnoException).code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'timeout' : 'badRequest';
    ctx.stats.error(kind, kind === 'timeout' ? `request headers not received in time: ${err.message}` : `malformed HTTP request: ${err.message}`);
    const status = EXPORT_STATUS[kind].http;
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}

async function handle(ctx: TransportContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { options, stats, handoff } = ctx;
  stats.httpRequests++;
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return fail(ctx, res, 'methodNotAllowed', undefined, `405 method not allowed, supported: [POST]`, req);
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = MEDIA_TYPES[mediaType];
  if (!encoding) {
    return fail(ctx, res, 'unsupportedMediaType', undefined, 'unsupported media type, supported: [application/json, application/x-protobuf]', req);
  }
  const contentEncoding = ENCODINGS[(req.headers['content-encoding'] ?? '').trim().toLowerCase()];
  if (contentEncoding === undefined) {
    return fail(ctx, res, 'unsupportedMediaType', encoding, `unsupported Content-Encoding "${req.headers['content-encoding']}", supported: gzip, deflate`, req);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > options.maxWireBytes) {
    return fail(ctx, res, 'tooLarge', encoding, `request body of ${declared} bytes is larger than the limit of ${options.maxWireBytes} bytes`, req);
  }

  let body;
  try {
    body = await readBody(req, contentEncoding, { maxWireBytes: options.maxWireBytes, maxBodyBytes: options.maxBodyBytes, timeoutMs: options.requestTimeoutMs });
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    return fail(ctx, res, err.kind, encoding, err.message, req);
  }
  const request: ExportRequest = { signal: signalOf(path), transport: 'http', encoding, path, body: body.bytes, wireBytes: body.wireBytes };
  const result = await handoff.export(request);
  if (result.ok) reply(res, 200, encoding, result.response);
  else answer(res, result, encoding);
}

/** Any path but these two is a trace export (see the top of this file). */
function signalOf(path: string): ExportRequest['signal'] {
  return path === '/v1/logs' ? 'logs' : path === '/v1/metrics' ? 'metrics' : 'traces';
}

function reply(res: http.ServerResponse, status: number, encoding: OtlpEncoding, body: Uint8Array): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': body.length });
  res.end(body);
}

/** Has the hand-off count and log a failure the server found itself, and answers it. */
function fail(
  ctx: TransportContext,
  res: http.ServerResponse,
  kind: ReceiverErrorKind,
  encoding: OtlpEncoding | undefined,
  message: string,
  unreadRequest?: http.IncomingMessage,
): void {
  answer(res, ctx.handoff.fail('http', kind, message), encoding, unreadRequest);
}

/**
 * Answers a failure with its status from the table: a google.rpc.Status in the request's encoding when it has
 * one, plain text otherwise (the Collector does the same for 405/415); status 0 drops the connection. When the
 * request body was not read to the end the connection is closed after the answer, so the unread rest is never
 * parsed as a next request.
 */
function answer(res: http.ServerResponse, failure: ExportFailure, encoding: OtlpEncoding | undefined, unreadRequest?: http.IncomingMessage): void {
  const { status, message } = failure;
  if (status.http === 0) {
    res.destroy();
    return;
  }
  if (res.headersSent || res.destroyed) return;
  const closing = unreadRequest !== undefined && !unreadRequest.complete;
  if (closing) res.shouldKeepAlive = false;
  if (encoding) {
    // google.rpc.Code numbers are gRPC's: the body carries the status a gRPC client would get.
    const code: number = status.grpc;
    reply(res, status.http, encoding, encodeStatus(encoding, code, message));
  } else {
    const text = Buffer.from(message);
    res.writeHead(status.http, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': text.length });
    res.end(text);
  }
  if (closing) {
    // Keep the socket from stalling on the unread body until the answer is flushed, then drop it.
    unreadRequest.resume();
    res.on('finish', () => unreadRequest.socket?.destroySoon?.());
  }
}
