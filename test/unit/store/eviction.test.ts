import * as assert from 'node:assert/strict';
import { MSGTRACE_SCOPE, hexId, makeSpan } from './spanFactory';
import { storeParts } from './storeParts';

describe('core/store eviction', () => {
  it('does nothing under the limits, then drops whole runs oldest first down to 90 %', () => {
    const p = storeParts(10);
    for (let r = 0; r < 4; r++) p.add(Array.from({ length: 5 }, (_, i) => makeSpan({ traceId: `r${r}t${i}`, spanId: `${r}0${i}`, start: r * 1000 + i })));
    p.eviction.enforce({ maxSpans: 20, maxBytes: Infinity });
    assert.equal(p.runs.size, 4);
    p.eviction.enforce({ maxSpans: 15, maxBytes: Infinity });
    // Over 15: down to 13 (90 %), whole runs: two go.
    assert.deepEqual(p.runs.oldestFirst().map(r => r.id), [3, 4]);
    assert.equal(p.totals.spans, 10);
    assert.equal(p.totals.evictedSpans, 10);
    assert.equal(p.totals.evictedRuns, 2);
    assert.equal(p.totals.bytes, p.runs.oldestFirst().reduce((a, r) => a + r.bytes, 0));
    assert.equal(p.reader.find(hexId('r0t0', 32), hexId('000', 16)), -1);
  });

  it('drops the oldest traces of a run over the limits alone, every span of them, and re-roots what they held', () => {
    const p = storeParts();
    const msgtrace = (trace: string, span: string, start: number, end: number, parent?: string) =>
      makeSpan({ traceId: trace, spanId: span, parent, scope: MSGTRACE_SCOPE, start, end });
    p.add([
      // Trace T has two top-level spans; the later one holds another trace (F) by time.
      msgtrace('T', 't1', 0, 10),
      msgtrace('T', 't1c', 1, 2, 't1'),
      msgtrace('T', 't2', 100, 200),
      msgtrace('F', 'f', 110, 120),
      makeSpan({ traceId: 'y', spanId: 'y', start: 400, end: 500 }),
      makeSpan({ traceId: 'z', spanId: 'z', start: 600, end: 700 }),
    ]);
    const run = p.runs.oldestFirst()[0]!;
    p.nesting.ensure(run);
    const f = p.reader.find(hexId('F', 32), hexId('f', 16));
    assert.equal(p.forest.parentOf(f), p.reader.find(hexId('T', 32), hexId('t2', 16)));
    // 6 spans, at most 5: down to 4. The oldest top-level subtree (t1, t1c) is enough, and its trace goes whole.
    p.eviction.enforce({ maxSpans: 5, maxBytes: Infinity });
    assert.equal(p.reader.find(hexId('T', 32), hexId('t2', 16)), -1, 'a trace is never kept in part');
    assert.equal(p.reader.has(f), true, 'another trace nested by time is not evicted with its container');
    assert.equal(p.forest.parentOf(f), -1);
    assert.deepEqual(Array.from(p.forest.sortedRootsOf(run), r => p.reader.name(r)), ['f', 'y', 'z']);
    assert.equal(run.spanCount, 3);
    assert.equal(p.totals.spans, 3);
    assert.equal(p.totals.evictedSpans, 3);
    assert.equal(p.totals.evictedRuns, 0);
    assert.equal(p.totals.bytes, run.bytes);
    assert.equal(run.fullSweep, true, 'the run is swept again at the next read');
  });

  it('clears a run without counting it as eviction', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 't', spanId: 'c', parent: 'p' })]);
    const run = p.runs.oldestFirst()[0]!;
    p.eviction.dropRun(run, false);
    assert.equal(p.runs.size, 0);
    assert.deepEqual([p.totals.spans, p.totals.placeholders, p.totals.bytes, p.totals.evictedSpans, p.totals.evictedRuns], [0, 0, 0, 0, 0]);
  });
});
