// Export of stored runs as OTLP/JSON lines (otlpJsonLinesWriter.ts). Each line holds up to `spansPerLine`
// spans of one run, so a line never mixes runs and no line grows to hundreds of MB for a large run.
import { unlink } from 'node:fs/promises';
import type { Span } from '../core/model/span';
import type { Run } from '../core/store/run';
import type { TraceStore } from '../core/store/traceStore';
import { OtlpJsonLinesWriter } from './otlpJsonLinesWriter';

export interface ExportOptions {
  /** Spans per request line (default 1000). */
  readonly spansPerLine?: number;
  /** Called after each line with spans written so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Polled between lines; when true the partial file is deleted and `cancelled` is returned. */
  readonly isCancelled?: () => boolean;
}

export interface ExportResult {
  readonly spans: number;
  readonly lines: number;
  readonly cancelled: boolean;
}

/** The spans of a run in tree order (placeholders have none). */
export function spansOfRun(store: TraceStore, run: Run): Span[] {
  const spans: Span[] = [];
  for (const row of store.flatten(run).rows) {
    const span = store.rows.span(row);
    if (span) spans.push(span);
  }
  return spans;
}

/** Runs to export for "everything": oldest first, as they were received. */
export function allRunsOldestFirst(store: TraceStore): Run[] {
  return [...store.runs()].reverse();
}

/** Writes the given span groups (one per run) to `file`, replacing it. */
export async function exportSpans(file: string, groups: readonly (readonly Span[])[], options: ExportOptions = {}): Promise<ExportResult> {
  const perLine = Math.max(1, options.spansPerLine ?? 1000);
  const total = groups.reduce((n, g) => n + g.length, 0);
  const writer = await OtlpJsonLinesWriter.open(file);
  let done = 0;
  let cancelled = false;
  let sliceStart = performance.now();
  try {
    outer: for (const spans of groups) {
      for (let i = 0; i < spans.length; i += perLine) {
        if (options.isCancelled?.()) {
          cancelled = true;
          break outer;
        }
        const line = spans.slice(i, i + perLine);
        if (!writer.write(line)) await writer.drained();
        done += line.length;
        options.onProgress?.(done, total);
        // Encoding is synchronous: give the extension host (and the progress notification) a turn now and then.
        if (performance.now() - sliceStart >= 8) {
          await new Promise<void>(resolve => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    }
  } finally {
    await writer.close();
  }
  if (cancelled) await unlink(file).catch(() => undefined);
  return { spans: cancelled ? 0 : done, lines: writer.lines, cancelled };
}
