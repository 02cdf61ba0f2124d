// Reads an HTTP request body with limits: wire bytes are capped as they arrive, and a compressed body is
// inflated as a stream whose output is capped as it grows (a gzip bomb stops at the limit, it is never
// inflated in full), within a deadline for slow senders.
import type { IncomingMessage } from 'node:http';
import * as zlib from 'node:zlib';
import type { ReceiverErrorKind } from './receiverStats';

/** Why a body could not be read; how it is answered follows from `kind` (exportStatus.ts). */
export class BodyError extends Error {
  constructor(
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
    // An uncompressed body of known length is copied into its final buffer as it arrives: no concatenation
    // at the end (for a 64 MiB body that copy alone would block the loop for tens of ms).
    const declared = encoding ? NaN : Number(req.headers['content-length']);
    const presized = Number.isSafeInteger(declared) && declared > 0 && declared <= limits.maxBodyBytes ? Buffer.allocUnsafe(declared) : undefined;
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
      } else if (presized) {
        // Node's parser stops at Content-Length, so a complete body fills the buffer exactly.
        resolve({ bytes: bodyBytes === presized.length ? presized : presized.subarray(0, bodyBytes), wireBytes });
      } else concatChunks(chunks, bodyBytes).then(bytes => resolve({ bytes, wireBytes }), reject);
    };
    const tooLarge = (what: string, limit: number) =>
      new BodyError('tooLarge', `request body${what ? ` ${what}` : ''} is larger than the limit of ${limit} bytes`);

    const timer = setTimeout(
      () => finish(new BodyError('timeout', `request body not received within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );

    const onOutput = (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes > limits.maxBodyBytes) finish(tooLarge(encoding ? 'after decompression' : '', limits.maxBodyBytes));
      else if (!presized) chunks.push(chunk);
      else if (bodyBytes <= presized.length) presized.set(chunk, bodyBytes - chunk.length);
      else finish(new BodyError('badRequest', 'request body is longer than its Content-Length'));
    };

    if (encoding) {
      inflater = encoding === 'gzip' ? zlib.createGunzip() : zlib.createInflate();
      inflater.on('data', onOutput);
      inflater.on('error', err => finish(new BodyError('badRequest', `could not decompress the ${encoding} body: ${err.message}`)));
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
    req.on('aborted', () => finish(new BodyError('aborted', 'the client aborted the upload')));
    req.on('error', err => finish(new BodyError('aborted', `upload failed: ${err.message}`)));
    req.on('close', () => {
      if (!req.complete) finish(new BodyError('aborted', 'the client aborted the upload'));
    });
  });
}

/** Bodies above this size are concatenated in steps of this size, a turn of the event loop apart. */
const CONCAT_STEP_BYTES = 8 * 1024 * 1024;

/** Buffer.concat, but a large result is copied in steps so that the copy never blocks the loop for long. */
export async function concatChunks(chunks: readonly Buffer[], total: number): Promise<Buffer> {
  if (chunks.length === 1) return chunks[0]!;
  if (total <= CONCAT_STEP_BYTES) return Buffer.concat(chunks as Buffer[], total);
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  let sinceYield = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
    sinceYield += c.length;
    if (sinceYield >= CONCAT_STEP_BYTES) {
      sinceYield = 0;
      await new Promise<void>(resolve => setImmediate(resolve));
    }
  }
  return out;
}
