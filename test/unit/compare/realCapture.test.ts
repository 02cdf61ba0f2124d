// The real msgflux capture (test/fixtures, docs/msgflux-wire.md#the-recorded-request) against an edited copy:
// exactly the edits show as changes, rolled up and summed in the run summary.
import * as assert from 'node:assert/strict';
import { alignRuns } from '../../../extension/src/core/compare/alignment';
import { scanChanges } from '../../../extension/src/core/compare/changeScan';
import { compareRuns } from '../../../extension/src/core/compare/compareRuns';
import { ANY_CHANGE, Change, MatchKind } from '../../../extension/src/core/compare/comparison';
import { diffPair } from '../../../extension/src/core/compare/pairDiff';
import { SLOWED_BY_NANOS, captureSpans, editedCapture, runOf } from './compareHelpers';

describe('core/compare on the real msgflux capture', () => {
  it('against itself: 28 pairs, all matched, no change', async () => {
    const c = (await compareRuns(runOf(captureSpans()), runOf([...captureSpans()].reverse())))!;
    assert.equal(c.alignment.count, 28);
    assert.ok([...c.alignment.match].every(m => m === MatchKind.path || m === MatchKind.order));
    assert.ok(c.changes.every(b => b === 0));
    assert.deepEqual({ ...c.summary, rows: undefined }, { rows: undefined, currency: undefined, matched: 28, changed: 0, onlyA: 0, onlyB: 0 });
  });

  it('one module slowed, one tool result changed, the exploder fixed: exactly those changes', async () => {
    const { a, b } = editedCapture();
    const c = (await compareRuns(runOf(a), runOf(b)))!;
    const al = c.alignment;
    const changed = new Map<string, number>();
    for (let p = 0; p < al.count; p++) {
      assert.ok(al.rowA[p]! >= 0 && al.rowB[p]! >= 0, 'every span matched');
      if (c.changes[p]! & ANY_CHANGE) changed.set(`${al.a.store.rows.name(al.rowA[al.parent[p]!] ?? -1) || '-'} > ${al.a.store.rows.name(al.rowA[p]!)}`, c.changes[p]!);
    }
    assert.deepEqual(
      changed,
      new Map([
        ['- > Pipeline', Change.duration],
        ['Pipeline > Doubler', Change.duration | Change.selfTime],
        ['scatter_gather > Get Capital', Change.toolResult],
        ['- > Exploder', Change.status | Change.events],
      ]),
    );
    // Rolled up: Pipeline's subtree holds two changes, the first My Agent one (its tool).
    const pipeline = [...al.rowA].findIndex(row => al.a.store.rows.name(row) === 'Pipeline');
    assert.equal(c.rollUp.changedBelow[pipeline], 2);
    const agent = [...al.rowA].findIndex(row => al.a.store.rows.name(row) === 'My Agent');
    assert.equal(c.rollUp.changedBelow[agent], 1);
    assert.equal(c.rollUp.changesBelow[agent], Change.toolResult);

    const row = (label: string) => c.summary.rows.find(r => r.label === label)!;
    assert.equal(row('total time').b - row('total time').a, SLOWED_BY_NANOS);
    assert.deepEqual([row('errors').a, row('errors').b], [1, 0]);
    assert.deepEqual([row('spans').a, row('spans').b], [28, 28]);
    assert.deepEqual([row('tool calls').a, row('tool calls').b], [2, 2]);
    assert.deepEqual([row('model calls').a, row('model calls').b], [4, 4]);
    assert.equal(c.summary.changed, 4);

    const tool = diffPair(al, c.changes, [...c.changes].findIndex(bits => bits === Change.toolResult));
    assert.equal(tool.spanClass, 'tool');
    assert.deepEqual(tool.toolResult, { a: 'Paris', b: 'Lyon', parts: [{ kind: 'removed', text: 'Paris' }, { kind: 'added', text: 'Lyon' }] });
    const exploder = diffPair(al, c.changes, [...c.changes].findIndex(bits => bits & Change.status));
    assert.equal(exploder.status.a, 'error');
    assert.equal(exploder.status.b, 'ok');
    assert.equal(exploder.status.messageA, 'boom: 7');
    assert.equal(exploder.status.exceptionA, 'ValueError: boom: 7');
    assert.equal(exploder.status.exceptionB, undefined);
  });

  it('the same alignment whichever order either run arrived in', () => {
    const { a, b } = editedCapture();
    const text = (x: typeof a, y: typeof b) => {
      const al = alignRuns(runOf(x), runOf(y));
      return { ids: Array.from({ length: al.count }, (_, p) => `${al.a.store.rows.spanId(al.rowA[p]!)}>${al.b.store.rows.spanId(al.rowB[p]!)}`), changes: [...scanChanges(al)] };
    };
    assert.deepEqual(text([...a].reverse(), [...b].sort((x, y) => x.name.localeCompare(y.name))), text(a, b));
  });
});
