// Ingests a large batch in slices with a turn of the event loop between them: a 64 MiB request holds about
// 700k spans, and adding them in one go would freeze the extension host for most of a second.
import { type SpanBatch, batchSpanCount } from '../model/batch';
import type { IngestOrigin } from './ingestOrigin';
import type { TraceStore } from './traceStore';

/** Batches up to this many spans go in at once when nothing is queued before them. */
export const INGEST_SLICE_SPANS = 2_048;
/** Work per slice: well under the 50 ms an extension host may stall, with room for a GC pause. */
const SLICE_MS = 8;
/**
 * A slice is made of steps of this many spans, and the clock is read between steps. Predicting a slice's size
 * from the last one's time failed: a step that allocates store pages and slabs (first-touch page faults on these
 * VMs) took 4x its neighbours, and slices of 8,000 spans planned for 8 ms took 38.
 */
const STEP_SPANS = 512;

export class SlicedIngest {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly slice: number;
  private readonly timed: boolean;

  /** `sliceSpans` fixes the slice size (tests); without it each slice runs steps for about SLICE_MS. */
  constructor(
    private readonly store: TraceStore,
    private readonly yieldToLoop: () => Promise<void> = () => new Promise(resolve => setImmediate(resolve)),
    sliceSpans?: number,
  ) {
    this.timed = sliceSpans === undefined;
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
        if (!this.timed) {
          add(i, i + this.slice);
          i += this.slice;
          continue;
        }
        const t0 = performance.now();
        do {
          add(i, i + STEP_SPANS);
          i += STEP_SPANS;
        } while (i < count && performance.now() - t0 < SLICE_MS);
      }
    };
    this.pending++;
    // A failed batch does not stop the ones after it.
    const done = this.tail.then(run, run).finally(() => this.pending--);
    this.tail = done.catch(() => undefined);
    return done;
  }
}
