// Writes OTLP/JSON lines: one ExportTraceServiceRequest per line, the OpenTelemetry Collector file exporter's
// format. Shared by `msgtrace record` (whole requests, from their protobuf bytes) and the extension's export
// (Span objects), which write exactly the same text for the same spans (test/unit/storage/protobufJsonLine.test.ts).
import * as fs from 'node:fs';
import type { Span } from '../core/model/span';
import { ChunkPool, JsonChunks } from '../core/otlp/jsonChunks';
import { encodeTraceRequestJson } from '../core/otlp/jsonEncoder';
import { type JsonLineOptions, writeTraceRequestJsonLine } from '../core/otlp/protobufJsonLine';

/** One line of the format (with its newline). */
export function otlpJsonLine(spans: Iterable<Span>): string {
  return `${encodeTraceRequestJson(spans)}\n`;
}

export interface RequestWriteOptions extends JsonLineOptions {
  /** Longest stretch of synchronous writing before the event loop gets a turn. Default 8 ms. */
  readonly sliceMs?: number;
}

const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));

export class OtlpJsonLinesWriter {
  private error: Error | undefined;
  private lineCount = 0;
  /** Requests queued by writeRequest, in order: the last one's promise settles after all the others. */
  private queue: Promise<void> = Promise.resolve();
  private queuedBytes = 0;
  private readonly belowWaiters: { bytes: number; resolve: () => void }[] = [];
  /** Chunks the file has taken come back here for the next ones (jsonChunks.ts says why). */
  private readonly pool = new ChunkPool();

  private constructor(
    readonly file: string,
    private readonly out: fs.WriteStream,
  ) {
    out.on('error', err => (this.error ??= err));
  }

  /** Opens `file` for writing (`append`: keep what is there, as `msgtrace record` does). */
  static async open(file: string, options: { append?: boolean } = {}): Promise<OtlpJsonLinesWriter> {
    // 1 MiB of buffer (not the 16 KiB default): a large request's line goes out in chunks of 256 KiB, each of
    // which would otherwise wait for the disk on its own.
    const out = fs.createWriteStream(file, { flags: options.append ? 'a' : 'w', highWaterMark: 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    return new OtlpJsonLinesWriter(file, out);
  }

  /** Lines written so far. */
  get lines(): number {
    return this.lineCount;
  }

  /** The first write error, if any (writes after it are dropped by the stream). */
  get writeError(): Error | undefined {
    return this.error;
  }

  /**
   * Queues one request line for these spans (nothing for none). Returns false when the stream's buffer is full:
   * a producer that can wait should await drained() (a receiver cannot, and relies on the stream's buffer).
   */
  write(spans: readonly Span[]): boolean {
    if (spans.length === 0) return true;
    this.lineCount++;
    return this.out.write(otlpJsonLine(spans));
  }

  /**
   * Queues one request line for `body`, an ExportTraceServiceRequest in protobuf that the decoder accepted (for a
   * JSON request, the protobuf it was transcoded into). Lines are written in the order of the calls, each from
   * the bytes (protobufJsonLine.ts) in slices of `sliceMs` with the event loop's turns between them and the
   * file's pace (a full stream buffer is waited for), so a 64 MiB request is neither one 150 MB string nor one
   * long block of the loop. A request without accepted spans writes nothing. Resolves when the line is handed
   * to the file; never rejects: a failure is the writer's `writeError`, as for write().
   */
  writeRequest(body: Uint8Array, options: RequestWriteOptions = {}): Promise<void> {
    this.queuedBytes += body.length;
    const done = this.queue.then(() => this.writeLine(body, options));
    this.queue = done.finally(() => {
      this.queuedBytes -= body.length;
      this.wakeBelow();
    });
    return this.queue;
  }

  /** Bytes of request bodies queued by writeRequest and not written yet. */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** Resolves once at most `bytes` of request bodies wait to be written: how a receiver paces its senders. */
  whenPendingAtMost(bytes: number): Promise<void> {
    if (this.queuedBytes <= bytes) return Promise.resolve();
    return new Promise(resolve => this.belowWaiters.push({ bytes, resolve }));
  }

  private wakeBelow(): void {
    for (let i = this.belowWaiters.length - 1; i >= 0; i--) {
      const w = this.belowWaiters[i]!;
      if (this.queuedBytes <= w.bytes) {
        this.belowWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private async writeLine(body: Uint8Array, options: RequestWriteOptions): Promise<void> {
    if (this.error) return;
    const sliceMs = options.sliceMs ?? 8;
    const chunks = new JsonChunks(this.pool);
    const steps = writeTraceRequestJsonLine(body, chunks, options);
    // Nothing reaches the file before the first span: a request whose spans were all rejected writes no line.
    let spans = 0;
    let sent = false;
    // A turn of the loop first: the receiver answers the request in the same turn it hands it over, and that
    // answer should not wait for a slice of writing.
    await yieldToLoop();
    let sliceStart = performance.now();
    try {
      for (;;) {
        const next = steps.next();
        if (next.done) spans = next.value;
        if (next.done || chunks.hasFull) {
          if (next.done && spans === 0 && !sent) return;
          for (const chunk of next.done ? chunks.takeAll() : chunks.take()) {
            sent = true;
            if (!this.out.write(chunk, () => this.pool.put(chunk))) await this.drained();
          }
        }
        if (next.done) break;
        if (performance.now() - sliceStart >= sliceMs) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
      this.lineCount++;
    } catch (err) {
      // The body passed the same decoder, so this is a bug: said on close, and the line is ended so that the
      // lines after it stay lines.
      this.error ??= err instanceof Error ? err : new Error(String(err));
      if (sent) this.out.write('\n');
    }
  }

  drained(): Promise<void> {
    if (!this.out.writableNeedDrain || this.error) return Promise.resolve();
    return new Promise(resolve => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('error', done);
    });
  }

  /** Writes what writeRequest queued, ends the file; rejects with the first write error. */
  async close(): Promise<void> {
    await this.queue;
    if (!this.out.closed) {
      await new Promise<void>(resolve => {
        this.out.once('close', resolve);
        this.out.end();
      });
    }
    if (this.error) throw this.error;
  }
}
