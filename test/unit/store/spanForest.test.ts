import * as assert from 'node:assert/strict';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { Run } from '../../../extension/src/core/store/run';
import { SpanForest } from '../../../extension/src/core/store/spanForest';
import { F_EVICTED, SpanTable, W_FLAGS, W_SPAN, W_START, W_END } from '../../../extension/src/core/store/spanTable';

/** A table with rows at the given [start, end] (nanoseconds), span id = index + 1. */
function rows(times: readonly [number, number][]) {
  const table = new SpanTable();
  const forest = new SpanForest(table);
  const run = new Run(1, 'id', { attributes: [], droppedAttributesCount: 0, schemaUrl: '', serviceName: 's' }, { transport: 'test' }, 0);
  const r = times.map(([start, end], i) => {
    const row = table.allocate();
    table.setTime(row, W_START, start, 0);
    table.setTime(row, W_END, end, 0);
    table.set(row, W_SPAN + 1, i + 1);
    return row;
  });
  return { table, forest, run, r };
}

describe('core/store span forest', () => {
  it('sorts children by start, the longer first on equal starts, then by span id', () => {
    const { forest, r } = rows([
      [0, 100],
      [50, 60],
      [10, 20],
      [10, 40],
      [10, 40],
    ]);
    for (const c of [r[1]!, r[2]!, r[3]!, r[4]!]) forest.linkChild(r[0]!, c);
    assert.deepEqual([...forest.sortedChildrenOf(r[0]!)], [r[3], r[4], r[2], r[1]]);
    assert.deepEqual([...forest.sortedChildrenOf(r[1]!)], [], 'a leaf');
  });

  it('puts a placeholder first among equal starts', () => {
    const { table, forest, run, r } = rows([
      [5, 9],
      [5, 5],
    ]);
    table.set(r[1]!, W_FLAGS, SpanFacts.placeholder);
    forest.linkRoot(run, r[0]!);
    forest.linkRoot(run, r[1]!);
    assert.deepEqual([...forest.sortedRootsOf(run)], [r[1], r[0]]);
  });

  it('caches a sorted list until that list changes, and unlinks from parents and from the top level', () => {
    const { forest, run, r } = rows([
      [0, 100],
      [30, 40],
      [10, 20],
    ]);
    forest.linkRoot(run, r[0]!);
    forest.linkChild(r[0]!, r[1]!);
    const first = forest.sortedChildrenOf(r[0]!);
    assert.equal(forest.sortedChildrenOf(r[0]!), first, 'the same array while nothing changed');
    forest.linkChild(r[0]!, r[2]!);
    assert.deepEqual([...forest.sortedChildrenOf(r[0]!)], [r[2], r[1]]);
    assert.equal(forest.parentOf(r[2]!), r[0]);
    forest.unlink(run, r[2]!);
    assert.equal(forest.parentOf(r[2]!), -1);
    assert.deepEqual([...forest.sortedChildrenOf(r[0]!)], [r[1]]);
    forest.unlink(run, r[0]!);
    assert.deepEqual([...forest.sortedRootsOf(run)], []);
  });

  it('walks a subtree and a run depth-first, every row once', () => {
    const { forest, run, r } = rows([
      [0, 100],
      [1, 50],
      [2, 10],
      [60, 90],
      [200, 300],
    ]);
    forest.linkRoot(run, r[0]!);
    forest.linkChild(r[0]!, r[1]!);
    forest.linkChild(r[1]!, r[2]!);
    forest.linkChild(r[0]!, r[3]!);
    forest.linkRoot(run, r[4]!);
    const seen: number[] = [];
    forest.walk(r[0]!, row => seen.push(row));
    assert.deepEqual(seen.sort(), [r[0], r[1], r[2], r[3]].sort());
    const all: number[] = [];
    forest.walkRun(run, row => all.push(row));
    assert.deepEqual(all.sort(), [...r].sort());
  });

  it('reads an evicted row as having no parent', () => {
    const { table, forest, run, r } = rows([
      [0, 100],
      [1, 2],
    ]);
    forest.linkRoot(run, r[0]!);
    forest.linkChild(r[0]!, r[1]!);
    table.set(r[0]!, W_FLAGS, F_EVICTED);
    table.set(r[1]!, W_FLAGS, F_EVICTED);
    assert.equal(forest.parentOf(r[1]!), -1);
  });
});
