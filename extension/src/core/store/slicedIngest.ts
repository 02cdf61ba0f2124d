// Ingests a large batch in slices with a turn of the event loop between them: a 64 MiB request holds about
// 700k spans, and adding them in one go would freeze the extension host for most of a second.
import { type SpanBatch, batchSpanCount } from '../model/batch';
import type { IngestOrigin } from './ingestOrigin';
import type { TraceStore } from './traceStore';

/** Spans in the first slice of a large batch; later slices are sized to take about SLICE_MS. */
export const INGEST_SLICE_SPANS = 2_048;
/** Work per slice: well under the 50 ms an extension host may stall, with room for a GC pause. */
const SLICE_MS = 8;
const MAX_SLICE_SPANS = 65_536;

export class SlicedIngest {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private slice: number;
  private readonly adaptive: boolean;

  /**
   * `sliceSpans` fixes the slice size (tests); without it slices adapt to the time they take, so a cold start
   * (code not optimized yet) or a slow machine gets smaller slices and a warm one fewer turns.
   */
  constructor(
    private readonly store: TraceStore,
    private readonly yieldToLoop: () => Promise<void> = () => new Promise(resolve => setImmediate(resolve)),
    sliceSpans?: number,
  ) {
    this.adaptive = sliceSpans === undefined;
    this.slice = sliceSpans ?? INGEST_SLICE_SPANS;
  }

  /**
   * Adds a batch to the store, in slices when it is large. Batches keep their arrival order: a batch waits while
   * an earlier one is still being added; a small batch with nothing before it goes in at once.
   */
  ingest(batch: SpanBatch, origin: IngestOrigin): Promise<void> {
    const count = batchSpanCount(batch);
    const add = (from: number, to: number) => this.store.ingest(batch, origin, from, to);
    if (count <= this.slice && this.pending === 0) {
      add(0, count);
      return Promise.resolve();
    }
    const run = async () => {
      for (let i = 0; i < count; ) {
        if (i > 0) await this.yieldToLoop();
        const n = this.slice;
        const t0 = performance.now();
        add(i, i + n);
        i += n;
        if (this.adaptive) {
          const ms = Math.max(0.1, performance.now() - t0);
          this.slice = Math.max(256, Math.min(MAX_SLICE_SPANS, Math.round((n * SLICE_MS) / ms), n * 2));
        }
      }
    };
    this.pending++;
    // A failed batch does not stop the ones after it.
    const done = this.tail.then(run, run).finally(() => this.pending--);
    this.tail = done.catch(() => undefined);
    return done;
  }
}
