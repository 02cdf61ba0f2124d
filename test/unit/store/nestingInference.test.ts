import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NestingRows } from '../../../extension/src/core/store/nestingInference';
import { sortRows } from '../../../extension/src/core/store/rowOrder';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { MSGTRACE_SCOPE, makeSpan } from './spanFactory';
import { storeParts } from './storeParts';

const flat = (id: string, start: number, end: number) => makeSpan({ traceId: id, spanId: id, name: id, scope: MSGTRACE_SCOPE, start, end, attrs: { 'span.type': 'flow' } });

describe('core/store nesting inference', () => {
  it('nests flat roots by time containment when their run is read, marking each edge inferred', () => {
    const p = storeParts();
    p.add([flat('a', 0, 100), flat('b', 10, 50), flat('c', 20, 30), flat('d', 60, 70), flat('e', 200, 300)]);
    const [a, b, c, d, e] = [0, 1, 2, 3, 4];
    const run = p.runs.oldestFirst()[0]!;
    const version = p.changes.version;
    p.nesting.ensure(run);
    assert.deepEqual([a, b, c, d, e].map(r => p.forest.parentOf(r)), [-1, a, b, a, -1]);
    assert.deepEqual([a, b, c, d, e].map(r => (p.reader.facts(r) & SpanFacts.inferredEdge) !== 0), [false, true, true, true, false]);
    assert.ok(p.changes.version > version, 'caches of derived facts are stale');
    const again = p.changes.version;
    p.nesting.ensure(run);
    assert.equal(p.changes.version, again, 'nothing to do when nothing arrived');
  });

  it('moves rows already nested when a container arrives later, and only sweeps from the new rows', () => {
    const p = storeParts();
    p.add([flat('b', 10, 50), flat('c', 20, 30)]);
    p.nesting.ensureAll();
    assert.equal(p.forest.parentOf(1), 0);
    p.add([flat('a', 0, 100)]);
    p.nesting.ensureAll();
    assert.deepEqual([0, 1, 2].map(r => p.forest.parentOf(r)), [2, 0, -1]);
  });

  it('sweeps a whole run again after rows left it', () => {
    const p = storeParts();
    p.add([flat('a', 0, 100), flat('b', 10, 50)]);
    const run = p.runs.oldestFirst()[0]!;
    p.nesting.ensure(run);
    run.fullSweep = false;
    p.nesting.resweep(run);
    assert.equal(run.fullSweep, true);
    p.nesting.ensureOfRow(1);
    assert.equal(run.fullSweep, false);
    assert.equal(p.forest.parentOf(1), 0);
  });
});

describe('core/store nesting inference, sorting the rows that arrived', () => {
  const byValue = (values: readonly number[]): NestingRows => ({
    compare: (a, b) => values[a]! - values[b]! || a - b,
    contains: () => false,
    parentOf: () => -1,
  });

  it('sorts nearly sorted input (by insertion) and any input (past the budget, by the built-in sort) alike', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), fc.nat(), (values, shuffles) => {
        const rows = byValue(values);
        const expected = Int32Array.from(values.keys()).sort((a, b) => rows.compare(a, b));
        // Nearly sorted: the sorted order with a few neighbours swapped; and the raw arrival order.
        const nearly = expected.slice();
        for (let s = 0; s < shuffles % 5 && nearly.length > 1; s++) {
          const i = (s * 7 + shuffles) % (nearly.length - 1);
          [nearly[i], nearly[i + 1]] = [nearly[i + 1]!, nearly[i]!];
        }
        for (const input of [nearly, Int32Array.from(values.keys())]) {
          sortRows(input, rows);
          assert.deepEqual([...input], [...expected]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sorts reversed input (the worst case for insertion) correctly', () => {
    const values = Array.from({ length: 2000 }, (_, i) => 2000 - i);
    const input = Int32Array.from(values.keys());
    sortRows(input, byValue(values));
    assert.deepEqual([...input], Array.from(values.keys()).reverse());
  });

  it('sweeps rows that arrive after a run was read directly, at the next flush', () => {
    const p = storeParts();
    p.add([flat('b', 10, 50)]);
    const run = p.runs.oldestFirst()[0]!;
    p.nesting.ensure(run);
    p.add([flat('a', 0, 100), flat('c', 20, 30)]);
    p.nesting.ensureAll();
    assert.deepEqual([0, 1, 2].map(r => p.forest.parentOf(r)), [1, -1, 0]);
    assert.equal(run.pendingInferable.length, 0);
  });
});
