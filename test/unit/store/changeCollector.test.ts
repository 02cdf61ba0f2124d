import * as assert from 'node:assert/strict';
import { hexId, makeSpan } from './spanFactory';
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
