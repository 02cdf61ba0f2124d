// Reads a file of OTLP/JSON traces: OTLP/JSON lines (one ExportTraceServiceRequest per line: `msgtrace record`,
// the Collector's file exporter, our export; gzip too) or one OTLP/JSON document, pretty-printed or not.
// Lines are streamed and decoded one at a time; a bad line rejects the whole file with an OtlpFileError that
// names the line and the problem, so nothing of a half-read file reaches the store.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { SpanBatch } from '../core/model/batch';
import { OtlpDecodeError } from '../core/otlp/decodeError';
import { decodeTraceRequestObject } from '../core/otlp/jsonDecoder';
import { jsonErrorOffset } from './jsonErrorOffset';

/** A file that is not OTLP/JSON traces; `line` is 1-based, 0 when the problem is not on one line. */
export class OtlpFileError extends Error {
  override readonly name = 'OtlpFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${path.basename(file)}: ${line > 0 ? `line ${line}: ` : ''}${problem}`);
  }
}

export interface ReadOptions {
  /** Called now and then with the bytes of the file read so far and its size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Polled between lines; when true, reading stops and `cancelled` is returned. */
  readonly isCancelled?: () => boolean;
  /** A single (not line-delimited) document must be parsed whole: refuse larger ones (default 256 MiB). */
  readonly maxDocumentBytes?: number;
}

export interface ReadResult {
  readonly batches: SpanBatch[];
  readonly spans: number;
  readonly format: 'lines' | 'document';
  /** Non-empty lines read. */
  readonly lines: number;
  /** Lines of logs, metrics or profiles (a Collector file may hold them too): not traces, skipped. */
  readonly skippedLines: number;
  /** Spans the decoder refused (invalid ids), as the receiver would with partial_success. */
  readonly rejectedSpans: number;
  readonly cancelled: boolean;
}

const MiB = 1024 * 1024;
const NEWLINE = 0x0a;
const SLICE_MS = 8;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

export async function readOtlpJsonFile(file: string, options: ReadOptions = {}): Promise<ReadResult> {
  const fail = (line: number, problem: string): never => {
    throw new OtlpFileError(file, line, problem);
  };
  let totalBytes: number;
  try {
    totalBytes = (await fs.promises.stat(file)).size;
  } catch (err) {
    return fail(0, `cannot read the file: ${(err as Error).message}`);
  }
  const raw = fs.createReadStream(file, { highWaterMark: MiB });
  const input: Readable = (await isGzip(file)) ? raw.pipe(zlib.createGunzip()) : raw;
  raw.on('error', err => input.destroy(err));

  const batches: SpanBatch[] = [];
  let spans = 0;
  let rejectedSpans = 0;
  let lines = 0;
  let skippedLines = 0;
  let lineNo = 0;
  let format: 'lines' | 'document' | undefined;
  let firstLine: { no: number; text: string } | undefined;
  const docParts: Buffer[] = [];
  let docBytes = 0;
  const maxDoc = options.maxDocumentBytes ?? 256 * MiB;
  let carry: Buffer[] = [];
  let sliceStart = performance.now();

  const addRequest = (root: unknown, line: number, where: string) => {
    if (typeof root !== 'object' || root === null || Array.isArray(root)) return fail(line, `${where}expected an ExportTraceServiceRequest object, found ${Array.isArray(root) ? 'an array' : typeof root}`);
    const obj = root as Record<string, unknown>;
    if (!('resourceSpans' in obj)) {
      if ('resourceLogs' in obj || 'resourceMetrics' in obj || 'resourceProfiles' in obj) {
        skippedLines++;
        return;
      }
      return fail(line, `${where}not an OTLP/JSON ExportTraceServiceRequest: no "resourceSpans" (keys: ${Object.keys(obj).slice(0, 5).join(', ') || 'none'})`);
    }
    let batch: SpanBatch;
    try {
      batch = decodeTraceRequestObject(obj);
    } catch (err) {
      if (err instanceof OtlpDecodeError) return fail(line, `${where}${err.message}`);
      throw err;
    }
    rejectedSpans += batch.rejectedSpans;
    if (batch.spans.length > 0) {
      batches.push(batch);
      spans += batch.spans.length;
    }
  };

  const handleLine = (bytes: Buffer) => {
    lineNo++;
    if (format === 'document') return addDocumentPart(bytes, true);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return fail(lineNo, 'not valid UTF-8');
    }
    if (text.trim() === '') return;
    lines++;
    let root: unknown;
    try {
      root = JSON.parse(text);
    } catch (err) {
      if (format === 'lines') return fail(lineNo, `invalid JSON: ${jsonProblem(err, text, false)}`);
      // The first line is not a whole JSON value: the file is one (pretty-printed) document.
      format = 'document';
      firstLine = { no: lineNo, text };
      return addDocumentPart(bytes, true);
    }
    format = 'lines';
    addRequest(root, lineNo, '');
  };

  const addDocumentPart = (bytes: Buffer, newline: boolean) => {
    docBytes += bytes.length + 1;
    if (docBytes > maxDoc) fail(0, `a single JSON document over ${Math.round(maxDoc / MiB)} MiB cannot be imported; write OTLP/JSON lines (one request per line) instead`);
    docParts.push(bytes);
    if (newline) docParts.push(Buffer.from('\n'));
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        if (nl < 0) break;
        const piece = chunk.subarray(start, nl);
        let bytes = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
        handleLine(bytes);
        start = nl + 1;
        if (performance.now() - sliceStart >= SLICE_MS) {
          options.onProgress?.(raw.bytesRead, totalBytes);
          await yieldToLoop();
          sliceStart = performance.now();
          if (options.isCancelled?.()) return cancelledResult();
        }
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
      options.onProgress?.(raw.bytesRead, totalBytes);
      if (options.isCancelled?.()) return cancelledResult();
    }
  } catch (err) {
    if (err instanceof OtlpFileError) throw err;
    return fail(0, `cannot read the file: ${(err as Error).message}`);
  } finally {
    input.destroy();
    raw.destroy();
  }
  if (carry.length > 0) handleLine(Buffer.concat(carry));

  if (format === 'document') parseDocument();
  if (spans === 0 && rejectedSpans === 0) {
    fail(0, skippedLines > 0 ? 'no traces in the file (only logs, metrics or profiles)' : 'no spans in the file');
  }
  return { batches, spans, format: format ?? 'lines', lines, skippedLines, rejectedSpans, cancelled: false };

  function cancelledResult(): ReadResult {
    return { batches: [], spans: 0, format: format ?? 'lines', lines, skippedLines, rejectedSpans: 0, cancelled: true };
  }

  function parseDocument(): void {
    let text: string;
    try {
      text = utf8.decode(Buffer.concat(docParts));
    } catch {
      fail(0, 'not valid UTF-8');
      return;
    }
    let root: unknown;
    try {
      root = JSON.parse(text);
    } catch (err) {
      const at = jsonErrorPosition(err, text);
      const first = firstLine!;
      // A first line that looks like a whole request but does not parse is a bad line of a lines file, not
      // the start of a document: name that line rather than where the document parser gave up.
      const firstEnd = text.indexOf('\n');
      if (first.text.trim().endsWith('}') && at > firstEnd) {
        let firstError: unknown = err;
        try {
          JSON.parse(first.text);
        } catch (e) {
          firstError = e;
        }
        fail(first.no, `invalid JSON: ${jsonProblem(firstError, first.text, false)}`);
      }
      const { line, column } = lineColumn(text, at);
      fail(first.no + line - 1, `invalid JSON at column ${column}: ${jsonProblem(err, text, true)}`);
      return;
    }
    addRequest(root, firstLine!.no, 'in the document starting here: ');
  }
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Where JSON.parse failed: from its message when it says, else found by scanning. */
function jsonErrorPosition(err: unknown, text: string): number {
  const m = /at position (\d+)/.exec((err as Error).message);
  if (m) return Number(m[1]);
  const at = jsonErrorOffset(text);
  return at < 0 ? text.length : at;
}

/** V8's JSON.parse message, with the position said as a column of the line (or dropped for documents). */
function jsonProblem(err: unknown, text: string, dropPosition: boolean): string {
  const msg = (err as Error).message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
  return dropPosition ? msg : `${msg} (column ${jsonErrorPosition(err, text) + 1})`;
}

function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}
