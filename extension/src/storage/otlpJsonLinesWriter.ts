// Writes OTLP/JSON lines: one ExportTraceServiceRequest per line, the OpenTelemetry Collector file exporter's
// format. Shared by `msgtrace record` and the extension's export, so both write exactly the same thing.
import * as fs from 'node:fs';
import type { Span } from '../core/model/span';
import { encodeTraceRequestJson } from '../core/otlp/jsonEncoder';

/** One line of the format (with its newline). */
export function otlpJsonLine(spans: Iterable<Span>): string {
  return `${encodeTraceRequestJson(spans)}\n`;
}

export class OtlpJsonLinesWriter {
  private error: Error | undefined;
  private lineCount = 0;

  private constructor(
    readonly file: string,
    private readonly out: fs.WriteStream,
  ) {
    out.on('error', err => (this.error ??= err));
  }

  /** Opens `file` for writing (`append`: keep what is there, as `msgtrace record` does). */
  static async open(file: string, options: { append?: boolean } = {}): Promise<OtlpJsonLinesWriter> {
    const out = fs.createWriteStream(file, { flags: options.append ? 'a' : 'w' });
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

  /** Ends the file; rejects with the first write error. */
  async close(): Promise<void> {
    if (!this.out.closed) {
      await new Promise<void>(resolve => {
        this.out.once('close', resolve);
        this.out.end();
      });
    }
    if (this.error) throw this.error;
  }
}
