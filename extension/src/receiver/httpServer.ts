// OTLP/HTTP: method, media type and encoding checks, the limited body read, and answers in the request's
// encoding (docs/otlp.md#otlp-over-http). Any path but /v1/logs and /v1/metrics is a trace export, because msgtrace-sdk posts
// to whatever URL it was given (docs/msgflux-wire.md#endpoint).
import * as http from 'node:http';
import { batchSpanCount } from '../core/model/batch';
import { OtlpDecodeError } from '../core/otlp/decodeError';
import { type OtlpEncoding, RpcCode, encodeExportResponse, encodeStatus } from '../core/otlp/responses';
import { BodyError, readBody } from './bodyReader';
import type { ResolvedReceiverOptions } from './receiverOptions';
import type { ReceiverErrorKind, ReceiverStats } from './receiverStats';
import { type ReceivedBatch, decodeBody } from './traceIngest';

const MEDIA_TYPES: Record<string, OtlpEncoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};
const CONTENT_TYPE: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };
const ENCODINGS: Record<string, string> = { '': '', identity: '', gzip: 'gzip', 'x-gzip': 'gzip', deflate: 'deflate' };

export interface HttpHandlerContext {
  readonly options: ResolvedReceiverOptions;
  readonly stats: ReceiverStats;
  deliver(batch: ReceivedBatch): void;
}

export function createHttpServer(ctx: HttpHandlerContext): http.Server {
  const server = http.createServer((req, res) => {
    handle(ctx, req, res).catch(err => {
      // handle() answers every failure it expects; reaching here is a bug, still answered and counted.
      fail(ctx, res, 'internal', 500, undefined, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  // Node's own limits back up the receiver's body deadline and bound slow header senders.
  server.requestTimeout = ctx.options.requestTimeoutMs + 5_000;
  server.headersTimeout = Math.min(60_000, server.requestTimeout);
  server.on('clientError', (err, socket) => {
    ctx.stats.error('badRequest', `malformed HTTP request: ${err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(ctx: HttpHandlerContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { options, stats } = ctx;
  stats.httpRequests++;
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return fail(ctx, res, 'methodNotAllowed', 405, undefined, `405 method not allowed, supported: [POST]`, req);
  }
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const encoding = MEDIA_TYPES[mediaType];
  if (!encoding) {
    return fail(ctx, res, 'unsupportedMediaType', 415, undefined, 'unsupported media type, supported: [application/json, application/x-protobuf]', req);
  }
  const contentEncoding = ENCODINGS[(req.headers['content-encoding'] ?? '').trim().toLowerCase()];
  if (contentEncoding === undefined) {
    return fail(ctx, res, 'unsupportedMediaType', 415, encoding, `unsupported Content-Encoding "${req.headers['content-encoding']}", supported: gzip, deflate`, req);
  }
  const declared = Number(req.headers['content-length']);
  if (declared > options.maxWireBytes) {
    return fail(ctx, res, 'tooLarge', 413, encoding, `request body of ${declared} bytes is larger than the limit of ${options.maxWireBytes} bytes`, req);
  }

  let body;
  try {
    body = await readBody(req, contentEncoding, { maxWireBytes: options.maxWireBytes, maxBodyBytes: options.maxBodyBytes, timeoutMs: options.requestTimeoutMs });
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    if (err.kind === 'aborted') {
      stats.error('aborted', err.message);
      res.destroy();
      return;
    }
    return fail(ctx, res, err.kind, err.status, encoding, err.message, req);
  }
  stats.wireBytes += body.wireBytes;
  stats.bodyBytes += body.bytes.length;

  if (path === '/v1/logs' || path === '/v1/metrics') {
    // Accepted so that exporters do not log errors; the UI says these signals are not shown.
    if (path === '/v1/logs') stats.logRequests++;
    else stats.metricRequests++;
    return reply(res, 200, encoding, encodeExportResponse(encoding, 0, '', path === '/v1/logs' ? 'logs' : 'metrics'));
  }

  let batch;
  try {
    batch = await decodeBody(body.bytes, encoding, options.decodeLimits, options.sliceMs);
  } catch (err) {
    if (err instanceof OtlpDecodeError) return fail(ctx, res, 'badRequest', 400, encoding, `could not decode the ${encoding} ExportTraceServiceRequest: ${err.message}`);
    throw err;
  }
  stats.traceRequests++;
  stats.spans += batchSpanCount(batch);
  stats.rejectedSpans += batch.rejectedSpans;
  if (batchSpanCount(batch) > 0 || batch.rejectedSpans > 0) ctx.deliver({ batch, transport: 'http', encoding, wireBytes: body.wireBytes, path, body: batch.columns.body });
  reply(res, 200, encoding, encodeExportResponse(encoding, batch.rejectedSpans, batch.rejectionMessage));
}

function reply(res: http.ServerResponse, status: number, encoding: OtlpEncoding, body: Uint8Array): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': body.length });
  res.end(body);
}

/**
 * Counts the failure and answers it: a google.rpc.Status in the request's encoding when it has one, plain text
 * otherwise (the Collector does the same for 405/415). When the request body was not read to the end the
 * connection is closed after the answer, so the unread rest is never parsed as a next request.
 */
function fail(
  ctx: HttpHandlerContext,
  res: http.ServerResponse,
  kind: ReceiverErrorKind,
  status: number,
  encoding: OtlpEncoding | undefined,
  message: string,
  unreadRequest?: http.IncomingMessage,
): void {
  ctx.stats.error(kind, message);
  ctx.options.logger.warn(`OTLP/HTTP ${status}: ${message}`);
  if (res.headersSent || res.destroyed) return;
  const closing = unreadRequest !== undefined && !unreadRequest.complete;
  if (closing) res.shouldKeepAlive = false;
  if (encoding) {
    const code = status === 413 ? RpcCode.ResourceExhausted : status === 408 ? RpcCode.DeadlineExceeded : status >= 500 ? RpcCode.Internal : RpcCode.InvalidArgument;
    reply(res, status, encoding, encodeStatus(encoding, code, message));
  } else {
    const text = Buffer.from(message);
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': text.length });
    res.end(text);
  }
  if (closing) {
    // Keep the socket from stalling on the unread body until the answer is flushed, then drop it.
    unreadRequest.resume();
    res.on('finish', () => unreadRequest.socket?.destroySoon?.());
  }
}
