import * as assert from 'node:assert/strict';
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
