// Wraps the real exporter: counts what was delivered (for msgtraceStatus()) and turns failures into one
// warning per exporter instead of exceptions or silence (OpenTelemetry's default error handler logs nowhere).
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { warnOnce } from './diagnostics';

export interface ExportCounts {
  exported: number;
  failed: number;
}

let instances = 0;

export class ReportingSpanExporter implements SpanExporter {
  readonly counts: ExportCounts = { exported: 0, failed: 0 };
  private readonly id = ++instances;

  constructor(
    private readonly inner: SpanExporter,
    private readonly destination: string,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let settled = false;
    const done = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      if (result.code === ExportResultCode.SUCCESS) this.counts.exported += spans.length;
      else this.fail(spans.length, result.error);
      resultCallback(result);
    };
    try {
      this.inner.export(spans, done);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  private fail(count: number, error: Error | undefined): void {
    this.counts.failed += count;
    const reason = error?.message || error?.name || 'unknown error';
    warnOnce(
      `export-failed:${this.id}`,
      `could not export ${count} span(s) to ${this.destination}: ${reason}. Further export failures to this destination are not reported.`,
    );
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.().catch(() => undefined) ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown().catch(() => undefined);
  }
}
