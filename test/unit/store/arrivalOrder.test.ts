// Property: whatever order and batching the spans of a trace arrive in, the store ends with the same tree.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Span } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { MSGTRACE_SCOPE, makeSpan } from './spanFactory';
import { treeText } from './treeText';

/** Ingests `spans` in the given order, cut into batches at `cuts`, flushing after the batches in `flushes`. */
function finalTree(spans: readonly Span[], order: readonly number[], cuts: readonly number[], flushes: readonly boolean[]): { text: string; placeholders: number; runs: number } {
  const store = new TraceStore({ scheduler: new ManualScheduler() });
  const ordered = order.map(i => spans[i]!);
  const bounds = [...new Set([0, ...cuts.map(c => c % (ordered.length + 1)), ordered.length])].sort((a, b) => a - b);
  for (let b = 0; b + 1 < bounds.length; b++) {
    store.ingestSpans(ordered.slice(bounds[b], bounds[b + 1]), { transport: 'test' });
    if (flushes[b % Math.max(1, flushes.length)]) store.flush();
  }
  store.flush();
  const runs = store.runs();
  return { text: runs.map(r => treeText(store, r, { inferred: true })).join('\n---\n'), placeholders: store.stats.placeholders, runs: runs.length };
}

const arrival = (n: number) =>
  fc.tuple(
    fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    fc.array(fc.nat(), { maxLength: 8 }),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  );

describe('core/store arrival-order independence (property)', () => {
  it('a nested trace with real parents: any arrival order gives the same tree, no placeholders left', () => {
    const treeArb = fc.integer({ min: 1, max: 40 }).chain(n =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: 0, max: i - 1 })))),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { minLength: n, maxLength: n }),
        arrival(n),
      ),
    );
    fc.assert(
      fc.property(treeArb, ([parents, times, [order, cuts, flushes]]) => {
        const spans = parents.map((p, i) =>
          makeSpan({ traceId: 'prop', spanId: `s${i}`, name: `n${i}`, parent: p < 0 ? undefined : `s${p}`, start: times[i]![0], end: times[i]![0] + times[i]![1] }),
        );
        const reference = finalTree(spans, spans.map((_, i) => i), [], [false]);
        const shuffled = finalTree(spans, order, cuts, flushes);
        assert.equal(reference.placeholders, 0);
        assert.deepEqual(shuffled, reference);
      }),
      { numRuns: 300 },
    );
  });

  it('flat msgflux roots with arbitrary (also overlapping and equal) times: the inferred tree does not depend on arrival', () => {
    const flatArb = fc.integer({ min: 1, max: 30 }).chain(n =>
      fc.tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })), { minLength: n, maxLength: n }), arrival(n)),
    );
    fc.assert(
      fc.property(flatArb, ([times, [order, cuts, flushes]]) => {
        const spans = times.map(([s, d], i) =>
          makeSpan({ traceId: `f${i}`, spanId: `s${i}`, name: `n${i}`, scope: MSGTRACE_SCOPE, start: s, end: s + d, attrs: { 'span.type': 'flow' } }),
        );
        const reference = finalTree(spans, spans.map((_, i) => i), [], [false]);
        assert.equal(reference.runs, 1);
        assert.deepEqual(finalTree(spans, order, cuts, flushes), reference);
      }),
      { numRuns: 300 },
    );
  });

  it('the real capture in any order and batching reads as the same tree', () => {
    const spans = decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb'))).spans;
    const reference = finalTree(spans, spans.map((_, i) => i), [], [false]);
    assert.match(reference.text, /^My Agent\n {2}~Generator\n {2}~Myagent Tool Library\n {4}~scatter_gather\n {6}~Get Capital\n {2}~Generator$/m);
    fc.assert(
      fc.property(arrival(spans.length), ([order, cuts, flushes]) => {
        assert.deepEqual(finalTree(spans, order, cuts, flushes), reference);
      }),
      { numRuns: 200 },
    );
  });
});
