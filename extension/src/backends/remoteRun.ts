// A trace fetched from a team backend, into the store as a run of its own marked with its source. The store keeps
// runs of different debug sessions apart by their session id and ties the spans of one session together; a remote
// trace is given a key of that kind of its own (`remote:<source>/<trace id>`), so two traces opened from the same
// service are two runs, and never join a local run of a program with the same resource. The store dedupes spans
// by (trace id, span id): opening a trace again, or one the local receiver already has, adds nothing and answers
// the run that holds it.
import type { SpanBatch } from '../core/model/batch';
import type { IngestOrigin } from '../core/store/ingestOrigin';
import type { Run } from '../core/store/run';
import type { TraceStore } from '../core/store/traceStore';
import type { BackendConfig } from './backendConfig';
import { sourceLabel } from './backendConfig';
import type { RemoteTrace } from './backendClient';

export interface OpenedRun {
  /** The run holding the trace (a new one, or the one that already held it). */
  readonly run: Run | undefined;
  readonly accepted: number;
  /** Spans the store already had. */
  readonly duplicates: number;
}

export function remoteOrigin(config: BackendConfig, traceId: string): IngestOrigin {
  const source = sourceLabel(config);
  return { transport: 'remote', source, debugSessionId: `remote:${source}/${traceId}`, path: config.url };
}

/** Ingests the trace's batches and returns the run that holds it. */
export async function ingestRemoteTrace(store: TraceStore, config: BackendConfig, trace: RemoteTrace): Promise<OpenedRun> {
  const origin = remoteOrigin(config, trace.traceId);
  let accepted = 0;
  let duplicates = 0;
  let sliceStart = performance.now();
  for (const batch of trace.batches) {
    // Large batches go in slices, so the extension host keeps answering while 10k spans are stored.
    const count = batch.columns ? batch.columns.count : batch.spans.length;
    for (let from = 0; from < count; from += 2048) {
      const r = store.ingest(batch, origin, from, Math.min(count, from + 2048));
      accepted += r.accepted;
      duplicates += r.duplicates;
      if (performance.now() - sliceStart >= 8) {
        await new Promise<void>(resolve => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }
  store.flush();
  return { run: runOfTrace(store, trace.batches), accepted, duplicates };
}

/** The stored run of the first span of the batches; undefined when none of them is stored. */
export function runOfTrace(store: TraceStore, batches: readonly SpanBatch[]): Run | undefined {
  for (const batch of batches) {
    const ids = firstIds(batch);
    if (!ids) continue;
    const row = store.findRow(ids.traceId, ids.spanId);
    if (row >= 0) return store.runOf(row);
  }
  return undefined;
}

/** The trace and span id of a batch's first span, without making Span objects for a batch of columns. */
export function firstIds(batch: SpanBatch): { traceId: string; spanId: string } | undefined {
  const cols = batch.columns;
  if (cols) {
    if (cols.count === 0) return undefined;
    const body = Buffer.from(cols.body.buffer, cols.body.byteOffset, cols.body.byteLength);
    return { traceId: body.toString('hex', cols.traceAt[0]!, cols.traceAt[0]! + 16), spanId: body.toString('hex', cols.spanAt[0]!, cols.spanAt[0]! + 8) };
  }
  const span = batch.spans[0];
  return span ? { traceId: span.traceId, spanId: span.spanId } : undefined;
}
