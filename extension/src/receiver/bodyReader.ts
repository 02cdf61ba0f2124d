// Reads an HTTP request body with limits: wire bytes are capped as they arrive, and a compressed body is
// inflated as a stream whose output is capped as it grows (a gzip bomb stops at the limit, it is never
// inflated in full), within a deadline for slow senders.
import type { IncomingMessage } from 'node:http';
import * as zlib from 'node:zlib';
import type { ReceiverErrorKind } from './receiverStats';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ReceiverErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  readonly maxWireBytes: number;
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
}

export interface Body {
  readonly bytes: Buffer;
  readonly wireBytes: number;
}

/** `encoding` is '', 'gzip' or 'deflate' (checked by the caller). Rejects with BodyError. */
export function readBody(req: IncomingMessage, encoding: string, limits: BodyLimits): Promise<Body> {
  return new Promise<Body>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let done = false;
    let inflater: zlib.Gunzip | zlib.Inflate | undefined;

    const finish = (err: BodyError | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      if (err) {
        inflater?.destroy();
        // Stop reading what is left; the response (if any) closes the connection.
        req.pause();
        reject(err);
      } else resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bodyBytes), wireBytes });
    };
    const tooLarge = (what: string, limit: number) =>
      new BodyError(413, 'tooLarge', `request body${what ? ` ${what}` : ''} is larger than the limit of ${limit} bytes`);

    const timer = setTimeout(
      () => finish(new BodyError(408, 'timeout', `request body not received within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );

    const onOutput = (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes > limits.maxBodyBytes) finish(tooLarge(encoding ? 'after decompression' : '', limits.maxBodyBytes));
      else chunks.push(chunk);
    };

    if (encoding) {
      inflater = encoding === 'gzip' ? zlib.createGunzip() : zlib.createInflate();
      inflater.on('data', onOutput);
      inflater.on('error', err => finish(new BodyError(400, 'badRequest', `could not decompress the ${encoding} body: ${err.message}`)));
      inflater.on('end', () => finish(undefined));
    }

    function onData(chunk: Buffer) {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxWireBytes) return finish(tooLarge('', limits.maxWireBytes));
      if (inflater) inflater.write(chunk);
      else onOutput(chunk);
    }
    req.on('data', onData);
    req.on('end', () => {
      if (inflater) inflater.end();
      else finish(undefined);
    });
    req.on('aborted', () => finish(new BodyError(0, 'aborted', 'the client aborted the upload')));
    req.on('error', err => finish(new BodyError(0, 'aborted', `upload failed: ${err.message}`)));
    req.on('close', () => {
      if (!req.complete) finish(new BodyError(0, 'aborted', 'the client aborted the upload'));
    });
  });
}
