import * as assert from 'node:assert/strict';
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
});
