// Search answers that hold whole traces (Jaeger's APIs) summarized as the traces list shows them: the root span's
// name and service, the trace's start and duration, its span count.
import type { SpanBatch } from '../core/model/batch';
import type { Span } from '../core/model/span';
import type { TraceSummary } from './backendClient';

/** One summary per trace in the batches, newest first. */
export function summarizeTraces(batches: readonly SpanBatch[]): TraceSummary[] {
  const byTrace = new Map<string, Span[]>();
  for (const batch of batches) {
    for (const span of batch.spans) {
      let list = byTrace.get(span.traceId);
      if (!list) byTrace.set(span.traceId, (list = []));
      list.push(span);
    }
  }
  const out: TraceSummary[] = [];
  for (const [traceId, spans] of byTrace) {
    const ids = new Set(spans.map(s => s.spanId));
    let root: Span | undefined;
    let start = Infinity;
    let end = -Infinity;
    for (const s of spans) {
      const startUs = s.startMs * 1000 + Math.floor(s.startSubMsNanos / 1000);
      const endUs = s.endMs * 1000 + Math.floor(s.endSubMsNanos / 1000);
      start = Math.min(start, startUs);
      end = Math.max(end, endUs);
      // The root: no parent, or a parent this answer does not hold; the earliest of them.
      if ((!s.parentSpanId || !ids.has(s.parentSpanId)) && (!root || isBefore(s, root))) root = s;
    }
    out.push({ traceId, rootName: root?.name ?? '', rootService: root?.resource.serviceName ?? '', startUs: start, durationUs: Math.max(0, end - start), spanCount: spans.length });
  }
  return newestFirst(out);
}

function isBefore(a: Span, b: Span): boolean {
  return a.startMs < b.startMs || (a.startMs === b.startMs && a.startSubMsNanos < b.startSubMsNanos);
}

/** Newest first; equal starts by id, so a list reads the same each time. */
export function newestFirst(list: TraceSummary[]): TraceSummary[] {
  return list.sort((a, b) => b.startUs - a.startUs || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));
}
