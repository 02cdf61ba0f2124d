import * as assert from 'node:assert/strict';
import { MSGTRACE_SCOPE, hexId, makeSpan } from './spanFactory';
import { storeParts } from './storeParts';

describe('core/store change collector', () => {
  const isLiveIn = (p: ReturnType<typeof storeParts>) => [(run: Parameters<typeof p.runs.has>[0]) => p.runs.has(run), (id: number) => p.runs.get(id)] as const;

  it('lists added rows, the parents whose child lists changed (each once), and new and updated runs', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 't', spanId: 'c1', parent: 'p', start: 1 }), makeSpan({ traceId: 't', spanId: 'c2', parent: 'p', start: 2 })]);
    assert.equal(p.changes.hasNews, true);
    const placeholder = p.reader.find(hexId('t', 32), hexId('p', 16));
    const change = p.changes.take(...isLiveIn(p));
    const run = p.runs.oldestFirst()[0]!;
    assert.equal(change.addedRows.length, 3);
    assert.deepEqual(change.addedRuns, [run]);
    assert.deepEqual(change.updatedRuns, [run]);
    // The placeholder is in its run's top level; both children under it: two parents, each listed once.
    assert.deepEqual(change.changedParents, [run, placeholder]);
    assert.equal(p.changes.hasNews, false);
    assert.equal(change.cleared, false);
  });

  it('lists a row updated in place once, and leaves out rows and runs gone before the event', () => {
    const p = storeParts(10);
    p.add([makeSpan({ traceId: 't', spanId: 'c', parent: 'p', start: 1 })]);
    p.changes.take(...isLiveIn(p));
    p.add([makeSpan({ traceId: 't', spanId: 'p', start: 0, end: 5 })]);
    const filled = p.reader.find(hexId('t', 32), hexId('p', 16));
    p.changes.rowUpdated(filled);
    p.add([makeSpan({ traceId: 'x', spanId: 'x', start: 100_000 })]);
    const gone = p.runs.newestFirst()[0]!;
    p.eviction.dropRun(gone, true);
    const change = p.changes.take(...isLiveIn(p));
    assert.deepEqual([...change.updatedRows], [filled]);
    assert.deepEqual([...change.addedRows], [], 'the row of the evicted run is left out');
    assert.deepEqual(change.addedRuns, []);
    assert.deepEqual(change.removedRuns, [gone]);
    assert.equal(change.evictedRuns, 1);
    assert.equal(change.evictedSpans, 1);
  });

  it('says cleared, and forgets rows collected before the clear', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 't', spanId: 'a' })]);
    p.changes.allCleared(p.runs.clear());
    p.table.clear();
    const change = p.changes.take(...isLiveIn(p));
    assert.equal(change.cleared, true);
    assert.equal(change.addedRows.length, 0);
    assert.equal(change.removedRuns.length, 1);
  });
});

describe('core/store change collector, rows added per call', () => {
  const isLiveIn = (p: ReturnType<typeof storeParts>) => [(run: Parameters<typeof p.runs.has>[0]) => p.runs.has(run), (id: number) => p.runs.get(id)] as const;

  it('names every row added by several calls exactly once, in row order, placeholders included, retries not', () => {
    const p = storeParts();
    p.add([makeSpan({ traceId: 't', spanId: 'a', start: 0 }), makeSpan({ traceId: 't', spanId: 'b', parent: 'p', start: 1 })]);
    p.add([makeSpan({ traceId: 't', spanId: 'a', start: 0 })], 1);
    p.add([]);
    p.add([makeSpan({ traceId: 'u', spanId: 'c', start: 2 }), makeSpan({ traceId: 't', spanId: 'p', start: 0, end: 5 })]);
    const change = p.changes.take(...isLiveIn(p));
    // a, b, the placeholder for p (filled later: updated, not added again), c.
    assert.deepEqual([...change.addedRows], [0, 1, 2, 3]);
    assert.deepEqual([...change.updatedRows], [2]);
    assert.equal(p.changes.take(...isLiveIn(p)).addedRows.length, 0, 'a new event starts empty');
    p.add([makeSpan({ traceId: 'v', spanId: 'd', start: 3 })]);
    assert.deepEqual([...p.changes.take(...isLiveIn(p)).addedRows], [4]);
  });

  it('merges adjacent ranges and keeps separate ones apart', () => {
    const p = storeParts();
    for (let i = 0; i < 6; i++) p.table.allocate();
    p.changes.rowsAdded(0, 2);
    p.changes.rowsAdded(2, 3);
    p.changes.rowsAdded(3, 3);
    p.changes.rowAdded(5);
    assert.equal(p.changes.hasNews, true);
    assert.deepEqual([...p.changes.take(...isLiveIn(p)).addedRows], [0, 1, 2, 5]);
  });

  it('leaves out added rows evicted before the event, and still names the rest', () => {
    const p = storeParts(10);
    p.add([makeSpan({ traceId: 'a', spanId: 'a', start: 0 })]);
    p.add([makeSpan({ traceId: 'b', spanId: 'b', start: 100_000 }), makeSpan({ traceId: 'b', spanId: 'c', parent: 'b', start: 100_001 })]);
    p.eviction.dropRun(p.runs.oldestFirst()[0]!, true);
    const change = p.changes.take(...isLiveIn(p));
    assert.deepEqual([...change.addedRows], [1, 2]);
    assert.deepEqual(change.changedParents, [p.runs.oldestFirst()[0]!, 1]);
  });

  it('names the new parents of rows added and moved by inference in the same event, once each', () => {
    const p = storeParts();
    p.add([flat('outer', 0, 100), flat('inner', 10, 20), flat('inner2', 30, 40)]);
    p.nesting.ensureAll();
    const change = p.changes.take(...isLiveIn(p));
    const run = p.runs.oldestFirst()[0]!;
    assert.deepEqual([...change.addedRows], [0, 1, 2]);
    assert.deepEqual([...change.updatedRows], [1, 2]);
    assert.deepEqual(change.changedParents, [run, 0]);
    assert.deepEqual(change.updatedRuns, [run]);
  });
});

function flat(id: string, start: number, end: number) {
  return makeSpan({ traceId: id, spanId: id, name: id, scope: MSGTRACE_SCOPE, start, end, attrs: { 'span.type': 'flow' } });
}
