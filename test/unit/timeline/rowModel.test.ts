import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { type RowColumns } from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { criticalPath } from '../../../webview/src/timeline/criticalPath';
import { buildRowModel, firstEventOf } from '../../../webview/src/timeline/rowModel';
import { matchRows, nextMatch } from '../../../webview/src/timeline/searchFilter';
import { visibleRows, withAncestors } from '../../../webview/src/timeline/visibleRows';
import { maxScrollTop, scrollToReveal, visibleRange } from '../../../webview/src/timeline/virtualList';

/** Rows from [depth, start, duration, name, flags] tuples. */
function rows(spec: [number, number, number, string, number?][], events: number[] = []): RowColumns {
  const names = [...new Set(spec.map(s => s[3]))];
  const triples = (k: number) => events.filter((_, j) => j % 3 === k);
  return {
    count: spec.length,
    key: Int32Array.from(spec, (_, i) => 100 + i),
    depth: Uint16Array.from(spec, s => s[0]),
    start: Float64Array.from(spec, s => s[1]),
    duration: Float64Array.from(spec, s => s[2]),
    cls: Uint8Array.from(spec, () => 1),
    flags: Uint8Array.from(spec, s => s[4] ?? 0),
    name: Int32Array.from(spec, s => names.indexOf(s[3])),
    names,
    eventRow: Int32Array.from(triples(0)),
    eventTime: Float64Array.from(triples(1)),
    eventException: Uint8Array.from(triples(2)),
  };
}

//   0 root [0,100]
//   1   a [0,40]
//   2     a1 [5,30]
//   3   b [40,100]   error
//   4     b1 [45,60]
//   5     b2 [60,99]
//   6 root2 [110,120]
const TREE = rows(
  [
    [0, 0, 100, 'root'],
    [1, 0, 40, 'a'],
    [2, 5, 25, 'a1'],
    [1, 40, 60, 'b', SpanFacts.error],
    [2, 45, 15, 'b1'],
    [2, 60, 39, 'b2'],
    [0, 110, 10, 'root2'],
  ],
  [3, 50, 1, 3, 70, 0, 5, 80, 0],
);

describe('timeline rows', () => {
  const model = buildRowModel(TREE);

  it('derives parents and subtree ends from depth-first depths', () => {
    assert.deepEqual([...model.parent], [-1, 0, 1, 0, 3, 3, -1]);
    assert.deepEqual([...model.subtreeEnd], [6, 3, 3, 6, 5, 6, 7]);
    assert.equal(model.minTime, 0);
    assert.equal(model.maxTime, 120);
    assert.equal(model.indexOfKey(103), 3);
    assert.equal(model.indexOfKey(999), -1);
  });

  it('finds the event markers of a row', () => {
    assert.equal(firstEventOf(model, 3), 0);
    assert.equal(firstEventOf(model, 4), 2);
    assert.equal(firstEventOf(model, 5), 2);
    assert.equal(firstEventOf(model, 6), 3);
    assert.equal(model.eventException[0], 1);
  });

  it('hides collapsed subtrees in one pass', () => {
    assert.deepEqual([...visibleRows(model, new Set())], [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...visibleRows(model, new Set([3]))], [0, 1, 2, 3, 6]);
    assert.deepEqual([...visibleRows(model, new Set([0, 3]))], [0, 6]);
  });

  it('collapsing equals filtering out the descendants (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 20 }), fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { maxLength: 10 }), (steps, collapsedList) => {
        // A random valid depth-first depth sequence: each depth at most one deeper than the previous.
        const depths: number[] = [0];
        for (const s of steps) depths.push(Math.min(depths[depths.length - 1]! + 1, s));
        const m = buildRowModel(rows(depths.map(d => [d, 0, 1, 'x'] as [number, number, number, string])));
        const collapsed = new Set(collapsedList.filter(i => i < m.count));
        const expected: number[] = [];
        for (let i = 0; i < m.count; i++) {
          let hidden = false;
          for (let p = m.parent[i]!; p >= 0; p = m.parent[p]!) if (collapsed.has(p)) hidden = true;
          if (!hidden) expected.push(i);
        }
        assert.deepEqual([...visibleRows(m, collapsed)], expected);
      }),
    );
  });

  it('filters by name, duration and errors, keeping ancestors for "matches only"', () => {
    const byName = matchRows(model, { text: 'B1', minDurationMs: 0, errorsOnly: false })!;
    assert.deepEqual([...byName], [0, 0, 0, 0, 1, 0, 0]);
    assert.deepEqual([...visibleRows(model, new Set(), withAncestors(model, byName))], [0, 3, 4]);
    const errors = matchRows(model, { text: '', minDurationMs: 0, errorsOnly: true })!;
    assert.deepEqual([...errors], [0, 0, 0, 1, 0, 0, 0]);
    const long = matchRows(model, { text: '', minDurationMs: 39, errorsOnly: false })!;
    assert.deepEqual([...long], [1, 1, 0, 1, 0, 1, 0]);
    const host = matchRows(model, { text: 'llm.prompt', hostKeys: new Set([105]), minDurationMs: 0, errorsOnly: false })!;
    assert.deepEqual([...host], [0, 0, 0, 0, 0, 1, 0]);
    assert.equal(matchRows(model, { text: '  ', minDurationMs: 0, errorsOnly: false }), undefined);
  });

  it('steps through matches in list order, wrapping', () => {
    const visible = visibleRows(model, new Set());
    const m = new Uint8Array([0, 1, 0, 0, 1, 0, 0]);
    assert.equal(nextMatch(visible, m, -1), 1);
    assert.equal(nextMatch(visible, m, 1), 4);
    assert.equal(nextMatch(visible, m, 4), 1);
    assert.equal(nextMatch(visible, m, 1, true), 4);
    assert.equal(nextMatch(visible, new Uint8Array(7), 0), -1);
  });

  it('takes the chain that decided the end as the critical path', () => {
    // root2 ends last among top-level rows; root ended before it started, so root is on the path too.
    // Inside root: b ends last; inside b: b2, then b1 ended before b2 started. a ended exactly when b started.
    assert.deepEqual([...criticalPath(model)], [1, 1, 1, 1, 1, 1, 1]);
    const parallel = buildRowModel(
      rows([
        [0, 0, 100, 'root'],
        [1, 0, 90, 'slow'],
        [1, 10, 20, 'parallel'],
        [1, 92, 8, 'tail'],
      ]),
    );
    assert.deepEqual([...criticalPath(parallel)], [1, 1, 0, 1]);
  });

  it('computes the rows on screen from scrollTop', () => {
    assert.deepEqual(visibleRange(0, 100, 22, 1000, 0), { first: 0, end: 5 });
    assert.deepEqual(visibleRange(2200, 100, 22, 1000, 2), { first: 98, end: 107 });
    assert.deepEqual(visibleRange(0, 100, 22, 3), { first: 0, end: 3 });
    assert.deepEqual(visibleRange(0, 100, 22, 0), { first: 0, end: 0 });
    assert.equal(scrollToReveal(0, 100, 22, 10), 22 * 11 - 100);
    assert.equal(scrollToReveal(500, 100, 22, 10), 220);
    assert.equal(scrollToReveal(200, 100, 22, 10), 200);
    assert.equal(maxScrollTop(10, 22, 1000), 0);
  });
});
