// The comparison view of the page without the DOM: the pairs as the shared list's rows, marks and words for
// changes, "changed only" and next change over the list, the numbers of the run summary, and the text diff cut
// into each side's chat messages.
import * as assert from 'node:assert/strict';
import { type ComparisonColumns, PairChange } from '../../../extension/src/protocol/comparisonProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { buildComparisonModel, changeKind, describeChange, pairKey, pairKeysOfSpans, sideKeysOf } from '../../../webview/src/compare/comparisonModel';
import { durationLabel } from '../../../webview/src/compare/pairLanes';
import { formatDelta, formatFigure, thousands } from '../../../webview/src/compare/summaryFormat';
import { chatBlocks, sideSegments } from '../../../webview/src/compare/textDiff';
import { RowList } from '../../../webview/src/timeline/rowList';
import { Selection } from '../../../webview/src/timeline/selection';

//   0 root            changed (duration)      A [0,100]  B [0,150]
//   1   tool          same                    A [10,20]  B [10,20]
//   2   removed       only in A               A [30,40]
//   3   sub           same                    A [50,90]  B [50,140]
//   4     added       only in B                          B [60,70]
//   5   other         same
function columns(): ComparisonColumns {
  const spec: [depth: number, keyA: number, keyB: number, sA: number, dA: number, sB: number, dB: number, change: number, name: string][] = [
    [0, 0, 6, 0, 100, 0, 150, PairChange.duration, 'root'],
    [1, 1, 7, 10, 10, 10, 10, 0, 'tool'],
    [1, 2, -1, 30, 10, 0, 0, PairChange.onlyA, 'removed'],
    [1, 3, 8, 50, 40, 50, 90, 0, 'sub'],
    [2, -1, 9, 0, 0, 60, 10, PairChange.onlyB, 'added'],
    [1, 4, 10, 95, 1, 145, 1, 0, 'other'],
  ];
  const names = spec.map(s => s[8]);
  return {
    count: spec.length,
    depth: Uint16Array.from(spec, s => s[0]),
    keyA: Int32Array.from(spec, s => s[1]),
    keyB: Int32Array.from(spec, s => s[2]),
    startA: Float64Array.from(spec, s => s[3]),
    durationA: Float64Array.from(spec, s => s[4]),
    startB: Float64Array.from(spec, s => s[5]),
    durationB: Float64Array.from(spec, s => s[6]),
    cls: new Uint8Array(spec.length),
    flagsA: Uint8Array.from(spec, s => (s[1] === 2 ? SpanFacts.error : 0)),
    flagsB: new Uint8Array(spec.length),
    change: Uint16Array.from(spec, s => s[7]),
    changedBelow: Uint32Array.of(3, 0, 1, 1, 1, 0),
    match: new Uint8Array(spec.length),
    name: Int32Array.from(spec, (_, i) => i),
    names,
  };
}

describe('comparison page: the pairs as rows', () => {
  it('keys each pair by its A span, else its B span, and spans both lanes in time', () => {
    const m = buildComparisonModel(columns());
    assert.deepEqual([...m.rows.key], [0, 2, 4, 6, 19, 8]);
    assert.equal(pairKey(-1, 9), 19);
    assert.deepEqual([...m.rows.start], [0, 10, 30, 50, 60, 95]);
    assert.deepEqual([...m.rows.duration], [150, 10, 10, 90, 10, 51]);
    assert.deepEqual([...m.changed], [1, 0, 1, 0, 1, 0]);
    assert.equal(m.changedCount, 3);
    assert.ok(m.rows.flags[2]! & SpanFacts.error, 'facts of either side');
    assert.deepEqual(sideKeysOf(m, 4), { keyA: -1, keyB: 9 });
    assert.equal(sideKeysOf(m, 6), undefined);
    // The host's search names spans of either run: the rows holding them, once each.
    assert.deepEqual(pairKeysOfSpans(m, [6, 0, 9, 42]), [0, 19]);
  });

  it('names the kind of change and what changed', () => {
    assert.equal(changeKind(PairChange.onlyA), 'removed');
    assert.equal(changeKind(PairChange.onlyB), 'added');
    assert.equal(changeKind(PairChange.toolResult | PairChange.duration), 'modified');
    assert.equal(changeKind(0), 'same');
    assert.equal(describeChange(PairChange.duration | PairChange.toolResult), 'duration, tool result');
    assert.equal(durationLabel(true, true, 810, 1610), '1.61 s (+800 ms)');
    assert.equal(durationLabel(true, true, 20, 10), '10 ms (−10 ms)');
    assert.equal(durationLabel(true, false, 260, 0), '260 ms (only in A)');
  });

  it('"changed only" keeps changed rows with their ancestors; next change walks them, wrapping', () => {
    const m = buildComparisonModel(columns());
    const list = new RowList(() => undefined);
    list.setRows(m.rows, false);
    const picked: (number | undefined)[] = [];
    const sel = new Selection(list, k => picked.push(k), () => undefined);
    list.restrict(m.changed);
    assert.deepEqual([...list.visible], [0, 2, 3, 4]);
    list.restrict(undefined);
    assert.equal(list.visible.length, 6);
    sel.nextIn(m.changed);
    sel.nextIn(m.changed);
    sel.nextIn(m.changed);
    sel.nextIn(m.changed);
    sel.nextIn(m.changed, true);
    assert.deepEqual(picked, [0, 4, 19, 0, 19]);
    // New rows drop the restriction: whoever set it sets it again for them.
    list.restrict(m.changed);
    list.setRows(m.rows, true);
    assert.equal(list.visible.length, 6);
  });
});

describe('comparison page: the run summary', () => {
  it('formats figures in their unit and the change absolute and in percent', () => {
    assert.equal(thousands(1234567), '1,234,567');
    assert.equal(formatFigure(2_400e6, 'nanoseconds'), '2.4 s');
    assert.equal(formatFigure(0.00055, 'currency', 'USD'), '0.00055 USD');
    assert.deepEqual(formatDelta(2400e6, 3200e6, 'nanoseconds'), { absolute: '+800 ms', percent: '+33.3%', sign: 1 });
    assert.deepEqual(formatDelta(1, 0, 'count'), { absolute: '−1', percent: '−100%', sign: -1 });
    assert.deepEqual(formatDelta(0, 2, 'count'), { absolute: '+2', percent: 'new', sign: 1 });
    assert.deepEqual(formatDelta(5, 5, 'tokens'), { absolute: '±0', percent: '0%', sign: 0 });
  });
});

describe('comparison page: text diffs', () => {
  const parts = [
    { kind: 'same' as const, text: 'user: What is the weather?\nassistant: → get_weather({"city": "Lisbon"})\ntool: ← {"temp_c": ' },
    { kind: 'removed' as const, text: '17' },
    { kind: 'added' as const, text: '12' },
    { kind: 'same' as const, text: '}\nNote: not a role\n' },
  ];

  it('gives each side the common text and its own', () => {
    assert.equal(sideSegments(parts, 'a').map(s => s.text).join(''), parts[0]!.text + '17' + parts[3]!.text);
    assert.equal(sideSegments(parts, 'b').map(s => s.text).join(''), parts[0]!.text + '12' + parts[3]!.text);
  });

  it('cuts a side into its chat messages by role lines, keeping the marked parts', () => {
    const blocks = chatBlocks(sideSegments(parts, 'b'));
    assert.deepEqual(
      blocks.map(b => b.role),
      ['user', 'assistant', 'tool'],
    );
    assert.equal(blocks[0]!.segments.map(s => s.text).join(''), 'What is the weather?\n');
    assert.deepEqual(blocks[2]!.segments, [
      { kind: 'same', text: '← {"temp_c": ' },
      { kind: 'added', text: '12' },
      { kind: 'same', text: '}\nNote: not a role\n' },
    ]);
    // A role word changed inside the role line: the block still starts there, titled by the side's role.
    const renamed = chatBlocks([
      { kind: 'removed', text: 'user' },
      { kind: 'same', text: ': hi\n' },
    ]);
    assert.deepEqual(renamed, [{ role: 'user', segments: [{ kind: 'same', text: 'hi\n' }] }]);
    assert.deepEqual(chatBlocks([{ kind: 'same', text: 'no roles here' }]), [{ role: '', segments: [{ kind: 'same', text: 'no roles here' }] }]);
  });
});
