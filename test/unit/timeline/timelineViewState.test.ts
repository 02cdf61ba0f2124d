// The page's view state without the DOM: the list (collapse, filter, critical path), the selection and the
// zoom state that the keyboard, the mouse and live updates drive.
import * as assert from 'node:assert/strict';
import { type RowColumns } from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { RowList } from '../../../webview/src/timeline/rowList';
import { Selection } from '../../../webview/src/timeline/selection';
import { fitWindow } from '../../../webview/src/timeline/timeAxis';
import { ZoomState } from '../../../webview/src/timeline/zoomState';

/** Rows from [key, depth, start, duration, name, flags] tuples. */
function rows(spec: [number, number, number, number, string, number?][]): RowColumns {
  const names = [...new Set(spec.map(s => s[4]))];
  return {
    count: spec.length,
    key: Int32Array.from(spec, s => s[0]),
    depth: Uint16Array.from(spec, s => s[1]),
    start: Float64Array.from(spec, s => s[2]),
    duration: Float64Array.from(spec, s => s[3]),
    cls: Uint8Array.from(spec, () => 1),
    flags: Uint8Array.from(spec, s => s[5] ?? 0),
    name: Int32Array.from(spec, s => names.indexOf(s[4])),
    names,
    eventRow: new Int32Array(0),
    eventTime: new Float64Array(0),
    eventException: new Uint8Array(0),
  };
}

//   10 root [0,100]
//   11   a [0,40]
//   12     a1 [5,30]
//   13   b [40,100]   error
//   14 root2 [110,120]
const RUN = rows([
  [10, 0, 0, 100, 'root'],
  [11, 1, 0, 40, 'a'],
  [12, 2, 5, 25, 'a1'],
  [13, 1, 40, 60, 'b', SpanFacts.error],
  [14, 0, 110, 10, 'root2'],
]);
/** The same run after a live update put a span before `a`: every row index after it moved by one. */
const GROWN = rows([
  [10, 0, 0, 100, 'root'],
  [15, 1, 0, 1, 'early'],
  [11, 1, 0, 40, 'a'],
  [12, 2, 5, 25, 'a1'],
  [13, 1, 40, 60, 'b', SpanFacts.error],
  [14, 0, 110, 10, 'root2'],
]);

function setup() {
  let changes = 0;
  const list = new RowList(() => changes++);
  const selected: (number | undefined)[] = [];
  const revealed: number[] = [];
  const selection = new Selection(list, key => selected.push(key), pos => revealed.push(pos));
  return { list, selection, selected, revealed, changes: () => changes };
}

const keys = (list: RowList) => [...list.visible].map(i => list.model!.key[i]);

describe('timeline view state: the list', () => {
  it('folds by key, so a live update that moves rows keeps the subtree folded', () => {
    const { list, changes } = setup();
    list.setRows(RUN, false);
    list.toggle(11);
    assert.deepEqual(keys(list), [10, 11, 13, 14]);
    list.setRows(GROWN, true);
    assert.deepEqual(keys(list), [10, 15, 11, 13, 14]);
    list.toggle(11);
    assert.deepEqual(keys(list), [10, 15, 11, 12, 13, 14]);
    // Another run starts unfolded.
    list.toggle(10, false);
    list.setRows(RUN, false);
    assert.equal(list.visible.length, 5);
    assert.ok(changes() >= 5, 'every change is reported, so the view redraws');
  });

  it('keeps the host matches of the filter text for a live update, and drops them for another run', () => {
    const { list } = setup();
    list.setRows(RUN, false);
    assert.equal(list.setFilter({ text: 'zz', minDurationMs: 0, errorsOnly: false }), true);
    list.setHostMatches('zz', [14]);
    list.setHostMatches('older text', [10]);
    assert.equal(list.matchCount, 1);
    assert.equal(list.setFilter({ text: 'zz', minDurationMs: 0, errorsOnly: true }), false);
    assert.equal(list.matchCount, 0);
    list.setFilter({ text: 'zz', minDurationMs: 0, errorsOnly: false });
    list.setRows(GROWN, true);
    assert.equal(list.matchCount, 1);
    list.setRows(RUN, false);
    assert.equal(list.matchCount, 0);
    assert.ok(list.filtered);
  });

  it('shows only matches with their ancestors, and computes the critical path for the rows it has', () => {
    const { list } = setup();
    list.setRows(RUN, false);
    list.setFilter({ text: 'a1', minDurationMs: 0, errorsOnly: false });
    list.setMatchesOnly(true);
    assert.deepEqual(keys(list), [10, 11, 12]);
    list.setMatchesOnly(false);
    assert.equal(list.critical, undefined);
    list.setCriticalPath(true);
    const before = list.critical!;
    assert.equal(before.length, 5);
    list.setRows(GROWN, true);
    // A path of the old rows would mark the wrong rows once rows moved.
    assert.equal(list.critical!.length, 6);
    assert.equal(list.critical![list.model!.indexOfKey(14)], 1);
  });

  it('finds list positions by key, and none for a folded-away or missing span', () => {
    const { list } = setup();
    list.setRows(RUN, false);
    assert.equal(list.positionOfKey(13), 3);
    list.toggle(11);
    assert.equal(list.positionOfKey(12), -1);
    assert.equal(list.positionOfKey(13), 2);
    assert.equal(list.positionOfKey(99), -1);
    assert.equal(list.rowAt(-1), -1);
    assert.equal(list.rowAt(4), -1);
  });
});

describe('timeline view state: the selection', () => {
  it('moves along the list, reveals the row, and reports each change once', () => {
    const { list, selection, selected, revealed } = setup();
    list.setRows(RUN, false);
    selection.selectPosition(3);
    selection.selectPosition(3);
    selection.selectPosition(9);
    assert.deepEqual(selected, [13]);
    assert.deepEqual(revealed, [3, 3]);
    assert.equal(selection.row, 3);
    assert.equal(selection.position, 3);
  });

  it('goes to the next match, wrapping, and backwards', () => {
    const { list, selection } = setup();
    list.setRows(RUN, false);
    list.setFilter({ text: 'a', minDurationMs: 0, errorsOnly: false });
    selection.nextMatch();
    assert.equal(selection.key, 11);
    selection.nextMatch();
    assert.equal(selection.key, 12);
    selection.nextMatch();
    assert.equal(selection.key, 11);
    selection.nextMatch(true);
    assert.equal(selection.key, 12);
  });

  it('survives a live update by key, and lets go of a span that is gone', () => {
    const { list, selection, selected } = setup();
    list.setRows(RUN, false);
    selection.select(13);
    list.setRows(GROWN, true);
    selection.dropIfGone();
    assert.equal(selection.key, 13);
    assert.equal(selection.row, 4);
    list.setRows(rows([[10, 0, 0, 100, 'root']]), true);
    selection.dropIfGone();
    assert.equal(selection.key, undefined);
    assert.deepEqual(selected, [13, undefined]);
  });
});

describe('timeline view state: zoom', () => {
  const bounds = fitWindow(0, 1000);

  it('fits the run until the user picks a window, then keeps it across live updates but not across runs', () => {
    let changes = 0;
    const zoom = new ZoomState(() => changes++);
    zoom.fit(bounds, true);
    assert.deepEqual(zoom.window, bounds);
    zoom.zoomBy(0.5);
    const chosen = zoom.window;
    assert.ok(Math.abs(chosen.end - chosen.start - (bounds.end - bounds.start) / 2) < 1e-9);
    zoom.fit(fitWindow(0, 2000), false);
    assert.deepEqual(zoom.window, chosen);
    zoom.fit(bounds, true);
    assert.deepEqual(zoom.window, bounds);
    zoom.showSpan(100, 200);
    zoom.reset();
    zoom.fit(fitWindow(0, 2000), false);
    assert.deepEqual(zoom.window, fitWindow(0, 2000));
    assert.equal(changes, 7);
  });

  it('pans and centres within the bounds, and zooms to a span with 5% air', () => {
    const zoom = new ZoomState(() => undefined);
    zoom.fit(bounds, true);
    zoom.showSpan(100, 200);
    assert.deepEqual(zoom.window, { start: 90, end: 310 });
    zoom.panBy(0.5);
    assert.deepEqual(zoom.window, { start: 200, end: 420 });
    // A drag pans from the window it started with, however often the pointer moved since.
    const from = zoom.window;
    zoom.panBy(0.1, from);
    zoom.panBy(0.2, from);
    assert.ok(Math.abs(zoom.window.start - 244) < 1e-9);
    zoom.centerOn(bounds.end);
    assert.equal(zoom.window.end, bounds.end);
    zoom.panBy(-100);
    assert.equal(zoom.window.start, bounds.start);
    // A zero-length span still gets a window: the narrowest one.
    zoom.showSpan(500, 0);
    assert.ok(zoom.window.end - zoom.window.start > 0);
  });
});
