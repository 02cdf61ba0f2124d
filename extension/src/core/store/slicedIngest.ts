// Ingests a large batch in slices with a turn of the event loop between them: a 64 MiB request holds about
// 700k spans, and adding them in one go would freeze the extension host for most of a second.
import { type SpanBatch, batchSpanCount } from '../model/batch';
import type { Span } from '../model/span';
import type { IngestOrigin } from './ingestOrigin';
import type { TraceStore } from './traceStore';

/** Spans added per slice: a few milliseconds of work. */
export const INGEST_SLICE_SPANS = 8_192;

export class SlicedIngest {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly store: TraceStore,
    private readonly yieldToLoop: () => Promise<void> = () => new Promise(resolve => setImmediate(resolve)),
    private readonly sliceSpans = INGEST_SLICE_SPANS,
  ) {}

  /**
   * Adds a batch (or plain spans) to the store, in slices when there are many. Batches keep their arrival order:
   * a batch waits while an earlier one is still being added; a small batch with nothing before it goes in at once.
   */
  ingest(input: SpanBatch | readonly Span[], origin: IngestOrigin): Promise<void> {
    const count = isSpanArray(input) ? input.length : batchSpanCount(input);
    const add = (from: number, to: number) => {
      if (isSpanArray(input)) this.store.ingestSpans(from === 0 && to >= count ? input : input.slice(from, to), origin);
      else this.store.ingest(input, origin, from, to);
    };
    if (count <= this.sliceSpans && this.pending === 0) {
      add(0, count);
      return Promise.resolve();
    }
    const run = async () => {
      for (let i = 0; i < count; i += this.sliceSpans) {
        if (i > 0) await this.yieldToLoop();
        add(i, i + this.sliceSpans);
      }
    };
    this.pending++;
    // A failed batch does not stop the ones after it.
    const done = this.tail.then(run, run).finally(() => this.pending--);
    this.tail = done.catch(() => undefined);
    return done;
  }
}

function isSpanArray(input: SpanBatch | readonly Span[]): input is readonly Span[] {
  return Array.isArray(input);
}
