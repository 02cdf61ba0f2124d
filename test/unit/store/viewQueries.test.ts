import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { hexId, makeSpan } from './spanFactory';
import { storeParts } from './storeParts';

describe('core/store view queries', () => {
  const tree = () => {
    const p = storeParts();
    p.add([
      makeSpan({ traceId: 'f', spanId: 'a', start: 0, end: 10 }),
      makeSpan({ traceId: 'f', spanId: 'd', parent: 'a', start: 6, end: 9 }),
      makeSpan({ traceId: 'f', spanId: 'b', parent: 'a', start: 1, end: 5 }),
      makeSpan({ traceId: 'f', spanId: 'c', parent: 'b', start: 2, end: 3, status: 2 }),
      makeSpan({ traceId: 'g', spanId: 'e', start: 20, end: 30 }),
    ]);
    const row = (id: string) => p.reader.find(hexId(id.startsWith('e') ? 'g' : 'f', 32), hexId(id, 16));
    return { p, run: p.runs.oldestFirst()[0]!, row, names: (rows: Int32Array) => Array.from(rows, r => p.reader.name(r)) };
  };

  it('lists children in start order and flattens depth-first with depths, honouring collapsed rows', () => {
    const { p, run, row, names } = tree();
    assert.deepEqual(names(p.queries.children(run)), ['a', 'e']);
    assert.deepEqual(names(p.queries.children(row('a'))), ['b', 'd']);
    const flat = p.queries.flatten(run);
    assert.deepEqual(names(flat.rows), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual([...flat.depths], [0, 1, 2, 1, 0]);
    assert.deepEqual(names(p.queries.flatten(run, new Set([row('b')])).rows), ['a', 'b', 'd', 'e']);
    assert.deepEqual(names(p.queries.flatten(row('b')).rows), ['b', 'c'], 'a subtree, its root at depth 0');
    assert.deepEqual(names(p.queries.flatten(-1).rows), []);
  });

  it('counts spans and errors in a subtree, and self time net of the children', () => {
    const { p, row } = tree();
    assert.deepEqual(p.queries.subtreeCounts(row('a')), { spans: 4, errors: 1 });
    assert.equal(p.queries.selfTimeNanos(row('a')), 10e6 - 4e6 - 3e6);
    assert.equal(p.queries.selfTimeNanos(row('c')), 1e6);
  });

  it('sums usage once per store version', () => {
    const p = storeParts();
    p.add([
      makeSpan({ traceId: 'u', spanId: 'flow', start: 0, end: 100 }),
      makeSpan({ traceId: 'u', spanId: 'm1', parent: 'flow', start: 1, end: 2, attrs: { 'gen_ai.usage.input_tokens': 10n, 'gen_ai.usage.output_tokens': 5n } }),
    ]);
    const run = p.runs.oldestFirst()[0]!;
    const first = p.queries.subtreeUsage(run);
    assert.deepEqual(first, { inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    assert.equal(p.queries.subtreeUsage(run), first);
    p.add([makeSpan({ traceId: 'u', spanId: 'm2', parent: 'flow', start: 3, end: 4, attrs: { 'gen_ai.usage.input_tokens': 1n, 'gen_ai.usage.output_tokens': 1n } })]);
    assert.equal(p.queries.subtreeUsage(run), first, 'until the version moves');
    p.changes.version++;
    assert.deepEqual(p.queries.subtreeUsage(run), { inputTokens: 11, outputTokens: 6, totalTokens: 17 });
  });

  it('flattens a large subtree and a deep chain as a recursive walk does (the output grows past its first guess)', () => {
    const p = storeParts();
    const spans = [makeSpan({ traceId: 'w', spanId: 'root', start: 0, end: 10_000 })];
    // A root with 40 children of 3 grandchildren each, arriving in reverse, and a chain 300 deep under child 0.
    for (let c = 39; c >= 0; c--) {
      spans.push(makeSpan({ traceId: 'w', spanId: `c${c}`, parent: 'root', start: 1 + c * 100, end: 90 + c * 100 }));
      for (let g = 2; g >= 0; g--) spans.push(makeSpan({ traceId: 'w', spanId: `g${c}x${g}`, parent: `c${c}`, start: 2 + c * 100 + g * 10, end: 9 + c * 100 + g * 10 }));
    }
    for (let d = 0; d < 300; d++) spans.push(makeSpan({ traceId: 'w', spanId: `d${d}`, parent: d === 0 ? 'c0' : `d${d - 1}`, start: 50 + d / 1000, end: 60 }));
    p.add(spans);
    const run = p.runs.oldestFirst()[0]!;
    const expected: [number, number][] = [];
    const walk = (row: number, depth: number) => {
      expected.push([row, depth]);
      for (const k of p.queries.children(row)) walk(k, depth + 1);
    };
    for (const r of p.queries.children(run)) walk(r, 0);
    const all = p.queries.flatten(run);
    assert.equal(all.rows.length, run.spanCount);
    assert.deepEqual(Array.from(all.rows, (r, i) => [r, all.depths[i]]), expected);
    const root = p.queries.children(run)[0]!;
    const sub = p.queries.flatten(root);
    assert.deepEqual(Array.from(sub.rows, (r, i) => [r, sub.depths[i]]), expected, 'the subtree at the root: the same rows');
    const collapsed = p.queries.flatten(run, new Set([p.queries.children(root)[0]!]));
    assert.equal(collapsed.rows.length, 1 + 40 + 39 * 3);
  });

  it('flattens as a recursive walk of children() does, whatever the arrival order and wherever reads fall (property)', () => {
    // Reads between batches put child lists in start order in the links; later arrivals must still come out sorted.
    const arb = fc.integer({ min: 1, max: 40 }).chain(n =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 })))),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { minLength: n, maxLength: n }),
        fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
        fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(arb, ([parents, times, order, reads]) => {
        const p = storeParts();
        const spans = parents.map((parent, i) =>
          makeSpan({ traceId: 'q', spanId: `s${i}`, parent: parent < 0 ? undefined : `s${parent}`, start: times[i]![0], end: times[i]![0] + times[i]![1] }),
        );
        const check = () => {
          const run = p.runs.oldestFirst()[0]!;
          const expected: number[] = [];
          const walk = (row: number) => {
            expected.push(row);
            for (const k of p.queries.children(row)) walk(k);
          };
          for (const r of p.queries.children(run)) walk(r);
          assert.deepEqual([...p.queries.flatten(run).rows], expected);
        };
        order.forEach((i, k) => {
          p.add([spans[i]!]);
          if (reads[k]) check();
        });
        check();
      }),
      { numRuns: 200 },
    );
  });

  it('reads the same children from the cached array and the links after more children arrive', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 'h', spanId: 'r', start: 0, end: 100 }), ...[5, 3, 9].map(s => makeSpan({ traceId: 'h', spanId: `c${s}`, parent: 'r', name: `c${s}`, start: s, end: s + 1 }))]);
    const run = p.runs.oldestFirst()[0]!;
    const names = (rows: Int32Array) => Array.from(rows, r => p.reader.name(r));
    const root = p.queries.children(run)[0]!;
    assert.deepEqual(names(p.queries.children(root)), ['c3', 'c5', 'c9']);
    assert.deepEqual(names(p.queries.flatten(run).rows).slice(1), ['c3', 'c5', 'c9']);
    p.add([makeSpan({ traceId: 'h', spanId: 'c1', parent: 'r', name: 'c1', start: 1, end: 2 }), makeSpan({ traceId: 'h', spanId: 'c7', parent: 'r', name: 'c7', start: 7, end: 8 })]);
    assert.deepEqual(names(p.queries.flatten(run).rows).slice(1), ['c1', 'c3', 'c5', 'c7', 'c9']);
    assert.deepEqual(names(p.queries.children(root)), ['c1', 'c3', 'c5', 'c7', 'c9']);
  });
});
