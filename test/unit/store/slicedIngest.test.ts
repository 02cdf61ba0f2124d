import * as assert from 'node:assert/strict';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { SlicedIngest } from '../../../extension/src/core/store/slicedIngest';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { makeSpan, spanBatch } from './spanFactory';

const HTTP = { transport: 'http' } as const;
const spans = (trace: string, n: number) => spanBatch(Array.from({ length: n }, (_, i) => makeSpan({ traceId: trace, spanId: `s${i}`, start: i, end: i + 1 })));

describe('sliced ingest', () => {
  it('adds a small batch at once, and a large one in slices with a yield between them', async () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    const seen: number[] = [];
    const ingest = new SlicedIngest(store, async () => void seen.push(store.stats.spans), 100);
    await ingest.ingest(spans('a', 50), HTTP);
    assert.equal(store.stats.spans, 50);
    assert.deepEqual(seen, [], 'no yield for a small batch');
    await ingest.ingest(spans('b', 250), HTTP);
    assert.equal(store.stats.spans, 300);
    assert.deepEqual(seen, [150, 250], 'yielded after each slice of 100');
  });

  it('keeps batches in arrival order while a large one is still being added', async () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    const order: string[] = [];
    const original = store.ingestSpans.bind(store);
    store.ingestSpans = (batch, origin) => {
      order.push(batch[0]!.traceId);
      return original(batch, origin);
    };
    const ingest = new SlicedIngest(store, () => new Promise(resolve => setImmediate(resolve)), 100);
    const big = ingest.ingest(spans('big', 300), HTTP);
    // Arrives while the big batch waits between slices: must not jump ahead of it.
    const small = ingest.ingest(spans('small', 10), HTTP);
    await Promise.all([big, small]);
    assert.equal(store.stats.spans, 310);
    const firstSmall = order.findIndex(t => t !== order[0]);
    assert.ok(order.slice(0, firstSmall).every(t => t === order[0]) && order.slice(firstSmall).every(t => t !== order[0]), order.join(','));
  });

  it('without a fixed size, slices are steps of 512 spans run until the time is up (each slice ends on a step)', async () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    const seen: number[] = [];
    const ingest = new SlicedIngest(store, async () => void seen.push(store.stats.spans));
    await ingest.ingest(spans('t', 20_000), HTTP);
    assert.equal(store.stats.spans, 20_000);
    // Span objects cost microseconds each to add (their details are encoded), so 20k take several slices.
    assert.ok(seen.length > 1, `yields: ${seen.length}`);
    // However fast the machine, every slice boundary falls on a step: the clock is read only between steps.
    assert.ok(seen.every(n => n % 512 === 0), seen.join(','));
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, 'in order');
  });
});
