// The comparison of two runs on the host side of the timeline protocol: real stores built from OTLP requests,
// the session a page talks to, what it sends (aligned rows, summary, pair details with text diffs), live updates
// and runs that go away; and the checks of the comparison's messages.
import * as assert from 'node:assert/strict';
import { Change } from '../../../extension/src/core/compare/comparison';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import {
  type ComparisonColumns,
  type ComparisonRows,
  type ComparisonState,
  DidChangeComparisonNotification,
  DidLoadPairDetailsNotification,
  MATCH_KIND_NAMES,
  PAIR_ANY_CHANGE,
  type PairDetails,
  PairChange,
  RequestPairDetailsCommand,
  SelectComparisonCommand,
  emptyComparisonColumns,
  packComparisonRows,
  unpackComparisonRows,
} from '../../../extension/src/protocol/comparisonProtocol';
import type { IpcMessage } from '../../../extension/src/protocol/ipc';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import {
  DidChangeStateNotification,
  DidSearchNotification,
  ReadyCommand,
  RevealInExplorerCommand,
  SearchCommand,
  SelectRunCommand,
  type TimelineState,
} from '../../../extension/src/protocol/timelineProtocol';
import { parseWebviewMessage } from '../../../extension/src/timeline/messageValidation';
import { PreparedComparison } from '../../../extension/src/timeline/comparisonSession';
import { TimelineSession } from '../../../extension/src/timeline/timelineSession';
import { CHANGED_RUN, agentRunRequest, ingestRequest, syntheticSpans } from '../../browser/timelineFixtures';

/** Polls until `f` gives a value (the comparison runs in slices on the event loop). */
async function until<T>(what: string, f: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 5));
  }
}

function decode(rows: ComparisonRows) {
  const c = unpackComparisonRows(rows);
  const names = [...c.name].map(n => c.names[n]!);
  return { c, names };
}

function setup() {
  const store = new TraceStore({ scheduler: new ManualScheduler() });
  ingestRequest(store, agentRunRequest('/ws/demo.py'));
  ingestRequest(store, agentRunRequest('/ws/demo.py', CHANGED_RUN));
  store.flush();
  const [b, a] = store.runs();
  assert.ok(a && b && a.id !== b.id, 'two runs');
  const posted: IpcMessage[] = [];
  const revealed: number[] = [];
  const session = new TimelineSession(store, { post: m => posted.push(m), revealInExplorer: row => revealed.push(row) });
  const comparisons = () => posted.filter(m => DidChangeComparisonNotification.is(m)).map(m => m.params as ComparisonState);
  const last = () => comparisons().at(-1);
  const details = async (keyA: number, keyB: number) => {
    const requestId = posted.length + 100;
    session.handle(RequestPairDetailsCommand.create({ requestId, keyA, keyB }));
    const m = await until('pair details', () => posted.find(p => DidLoadPairDetailsNotification.is(p) && (p.params as PairDetails).requestId === requestId));
    return m.params as PairDetails;
  };
  return { store, a, b, posted, revealed, session, comparisons, last, details };
}

/** The row of the pair named `name` (nth of that name). */
function rowOf(names: string[], name: string, nth = 0): number {
  const rows = names.map((n, i) => (n === name ? i : -1)).filter(i => i >= 0);
  assert.ok(rows[nth] !== undefined, `${name} #${nth} in ${names.join(', ')}`);
  return rows[nth]!;
}

describe('timeline session: the comparison of two runs', () => {
  it('sends the aligned rows of both runs with their change bits and the run summary', async () => {
    const { a, b, session, last, posted } = setup();
    session.handle(SelectComparisonCommand.create({ runIdA: a.id, runIdB: b.id }));
    assert.equal(posted.length, 0, 'nothing before the page is ready');
    session.handle(ReadyCommand.create({}));
    const s = await until('the comparison', () => last());
    assert.equal(posted.filter(m => DidChangeStateNotification.is(m)).length, 0, 'no run state while comparing');
    assert.equal(s.title, 'weather-demo · Weather Flow → weather-demo · Weather Flow');
    assert.equal(s.runIdA, a.id);
    assert.equal(s.runIdB, b.id);
    assert.equal(s.a?.spanCount, 6);
    assert.equal(s.b?.spanCount, 6);
    assert.equal(s.comparing, false);
    const { c, names } = decode(s.rows);
    assert.deepEqual(names, ['Weather Flow', 'Weather Agent', 'chat gpt-4o-mini', 'execute_tool get_weather', 'execute_tool get_forecast', 'chat gpt-4o-mini', 'Exploder']);
    assert.deepEqual([...c.depth], [0, 1, 2, 2, 2, 2, 1]);
    const at = (name: string, nth = 0) => rowOf(names, name, nth);
    // Added: only in B; removed: only in A.
    const forecast = at('execute_tool get_forecast');
    assert.equal(c.keyA[forecast], -1);
    assert.ok(c.keyB[forecast]! >= 0);
    assert.ok(c.change[forecast]! & PairChange.onlyB);
    assert.equal(MATCH_KIND_NAMES[c.match[forecast]!], 'onlyB');
    const exploder = at('Exploder');
    assert.equal(c.keyB[exploder], -1);
    assert.ok(c.change[exploder]! & PairChange.onlyA);
    assert.ok(c.flagsA[exploder]! & SpanFacts.error);
    assert.equal(c.flagsB[exploder], 0);
    // The tool's result changed; the second model call's prompt changed and it took 800 ms longer.
    assert.ok(c.change[at('execute_tool get_weather')]! & PairChange.toolResult);
    const answer = at('chat gpt-4o-mini', 1);
    assert.ok(c.change[answer]! & PairChange.messages);
    assert.ok(c.change[answer]! & PairChange.duration);
    assert.equal(c.durationA[answer], 810);
    assert.equal(c.durationB[answer], 1610);
    // Times are relative to each run's own start, so B's answer starts where A's did although B ran a minute later.
    assert.equal(c.startA[answer], 1240);
    assert.equal(c.startB[answer], 1240);
    // The first model call is unchanged; the root rolls up every changed pair below it.
    assert.equal(c.change[at('chat gpt-4o-mini')]! & PAIR_ANY_CHANGE & ~(PairChange.attributes | PairChange.events), 0);
    const changed = [...c.change].filter(x => x & PAIR_ANY_CHANGE).length;
    assert.equal(c.changedBelow[0], changed);
    // Keys of A and B never collide: one key space for both sides.
    const keys = [...c.keyA, ...c.keyB].filter(k => k >= 0);
    assert.equal(new Set(keys).size, keys.length);
    // The summary: A → B.
    const row = (label: string) => s.summary!.rows.find(r => r.label === label)!;
    assert.deepEqual([row('spans').a, row('spans').b], [6, 6]);
    assert.deepEqual([row('errors').a, row('errors').b], [1, 0]);
    assert.deepEqual([row('tool calls').a, row('tool calls').b], [1, 2]);
    assert.equal(row('total time').b - row('total time').a, 800e6);
    assert.equal(s.summary!.onlyA, 1);
    assert.equal(s.summary!.onlyB, 1);
    session.dispose();
  });

  it('answers a pair with both spans and the text diffs of the prompt and the tool result', async () => {
    const { a, b, session, last, details, revealed, posted } = setup();
    session.handle(ReadyCommand.create({}));
    session.handle(SelectComparisonCommand.create({ runIdA: a.id, runIdB: b.id }));
    const s = await until('the comparison', () => last());
    const { c, names } = decode(s.rows);
    const answer = rowOf(names, 'chat gpt-4o-mini', 1);
    const d = await details(c.keyA[answer]!, c.keyB[answer]!);
    assert.equal(d.a?.name, 'chat gpt-4o-mini');
    assert.equal(d.b?.durationMs, 1610);
    assert.equal(d.a?.durationMs, 810);
    assert.ok(d.diff);
    assert.ok(d.diff.changes & PairChange.messages);
    assert.deepEqual(d.diff.durationMs, { a: 810, b: 1610 });
    const prompt = d.diff.inputMessages!;
    assert.ok(prompt.parts.some(p => p.kind === 'removed' && p.text.includes('17')), JSON.stringify(prompt.parts));
    assert.ok(prompt.parts.some(p => p.kind === 'added' && p.text.includes('12')), JSON.stringify(prompt.parts));
    assert.match(prompt.parts.filter(p => p.kind !== 'added').map(p => p.text).join(''), /^user: What is the weather in Lisbon/);
    const tool = rowOf(names, 'execute_tool get_weather');
    const t = await details(c.keyA[tool]!, c.keyB[tool]!);
    assert.equal(t.diff?.toolResult?.a, '{"temp_c": 17, "rain_probability": 0.8}');
    assert.equal(t.diff?.toolResult?.b, '{"temp_c": 12, "rain_probability": 0.9}');
    // A one-sided pair: one span, the other side absent.
    const exploder = rowOf(names, 'Exploder');
    const x = await details(c.keyA[exploder]!, -1);
    assert.equal(x.a?.name, 'Exploder');
    assert.equal(x.b, undefined);
    assert.ok(x.diff!.changes & PairChange.onlyA);
    // Keys nobody gave: nothing.
    const none = await details(99_999, -1);
    assert.deepEqual(none.diff, undefined);
    // The search answers with span keys of either run.
    session.handle(SearchCommand.create({ requestId: 77, query: { text: 'get_forecast' } }));
    const found = posted.findLast(m => DidSearchNotification.is(m))!.params as { readonly keys: readonly number[] };
    assert.deepEqual(found.keys, [c.keyB[rowOf(names, 'execute_tool get_forecast')]!]);
    session.handle(SearchCommand.create({ requestId: 78, query: { text: 'rain_probability' } }));
    const both = posted.findLast(m => DidSearchNotification.is(m))!.params as { readonly keys: readonly number[] };
    assert.deepEqual(new Set(both.keys), new Set([c.keyA[tool], c.keyB[tool], c.keyA[answer], c.keyB[answer]]));
    // "Reveal in explorer" takes a comparison key of either side.
    session.handle(RevealInExplorerCommand.create({ key: c.keyB[exploder - 1]! }));
    assert.equal(revealed.length, 1);
    session.dispose();
  });

  it('compares again while a run receives spans, and says so when a run is gone', async () => {
    const { store, a, b, session, comparisons, last } = setup();
    session.handle(ReadyCommand.create({}));
    session.handle(SelectComparisonCommand.create({ runIdA: a.id, runIdB: b.id }));
    await until('the comparison', () => last());
    assert.equal(decode(last()!.rows).c.count, 7);
    // A late span of run B: a second Exploder-like module, after the agent.
    const late = agentRunRequest('/ws/demo.py', { ...CHANGED_RUN, traceId: '7d0e0008a9149214e37ac744924fd71d' });
    const before = comparisons().length;
    ingestRequest(store, late);
    store.flush();
    await until('a live update', () => comparisons().length > before && decode(last()!.rows).c.count > 7);
    assert.ok(store.getRun(b.id)!.spanCount > 6);
    // Run A cleared: the comparison says which run is gone and has no rows.
    store.clearRun(a.id);
    store.flush();
    const gone = await until('the gone message', () => (last()!.message.includes('gone') ? last() : undefined));
    assert.match(gone.message, /^Run A \(weather-demo · Weather Flow\) is gone/);
    assert.equal(gone.rows.count, 0);
    assert.equal(gone.a, undefined);
    assert.equal(gone.b?.runId, b.id);
    session.dispose();
  });

  it('goes back to a run on run/select, and a comparison of unknown runs says they are gone', async () => {
    const { a, b, session, posted, last } = setup();
    session.handle(ReadyCommand.create({}));
    assert.ok(posted.some(m => DidChangeStateNotification.is(m)));
    session.handle(SelectComparisonCommand.create({ runIdA: 424242, runIdB: b.id }));
    const s = await until('the comparison', () => last());
    assert.match(s.message, /Run A \(run 424242\) is gone/);
    assert.deepEqual(session.currentComparison, { runIdA: 424242, runIdB: b.id });
    assert.equal(session.currentRunId, undefined);
    posted.length = 0;
    session.handle(SelectRunCommand.create({ runId: a.id }));
    const state = posted.find(m => DidChangeStateNotification.is(m))?.params as TimelineState | undefined;
    assert.equal(state?.runId, a.id);
    assert.equal(session.currentComparison, undefined);
    session.dispose();
  });

  it('opens with a comparison given by the host (the panel\'s showComparison, a restored panel)', async () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    ingestRequest(store, agentRunRequest('/ws/demo.py'));
    ingestRequest(store, agentRunRequest('/ws/demo.py', CHANGED_RUN));
    store.flush();
    const [b, a] = store.runs();
    const posted: IpcMessage[] = [];
    const session = new TimelineSession(store, { post: m => posted.push(m) }, undefined, undefined, { runIdA: a!.id, runIdB: b!.id });
    session.handle(ReadyCommand.create({}));
    await until('the comparison', () => posted.find(m => DidChangeComparisonNotification.is(m)));
    assert.equal(posted.filter(m => DidChangeStateNotification.is(m)).length, 0);
    session.dispose();
  });
});

describe('timeline session: comparing big runs', () => {
  function bigStore() {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    store.ingestSpans(syntheticSpans(10_000, 'cccccccccccccccccccccccccccccccc'), { transport: 'test' });
    store.ingestSpans(syntheticSpans(10_000, 'dddddddddddddddddddddddddddddddd', { offsetMs: 120_000, slowEvery: 50, renameEvery: 1000 }), { transport: 'test' });
    store.flush();
    const [b, a] = store.runs();
    return { store, a: a!, b: b! };
  }

  it('compares in slices: the event loop keeps turning, and a slow comparison says "comparing…" first', async () => {
    const { store, a, b } = bigStore();
    const posted: IpcMessage[] = [];
    const session = new TimelineSession(store, { post: m => posted.push(m) });
    session.handle(SelectComparisonCommand.create({ runIdA: a.id, runIdB: b.id }));
    session.handle(ReadyCommand.create({}));
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const t0 = performance.now();
    const comparisons = () => posted.filter(m => DidChangeComparisonNotification.is(m)).map(m => m.params as ComparisonState);
    const s = await until('the comparison', () => comparisons().find(p => p.rows.count > 0), 30_000);
    const tookMs = performance.now() - t0;
    done = true;
    // "Comparing…" is said only when the work outlasts 150 ms (a quick comparison just appears); on a fast
    // machine it may not, so the check is: whenever it took that long, the page heard "comparing…" first.
    if (tookMs > 400) assert.equal(comparisons()[0]!.comparing, true, `comparing… first (took ${tookMs.toFixed(0)} ms)`);
    else assert.ok(comparisons()[0]!.comparing || comparisons()[0]!.rows.count > 0);
    // Slices of a few ms: the loop turns between them (how often depends on the machine; once is not enough).
    assert.ok(turns >= 3, `${turns} turns of the event loop while comparing`);
    assert.equal(decode(s.rows).c.count, 10_010, 'every 1000th span renamed: 10 only in A, 10 only in B');
    session.dispose();
    store.dispose();
  });

  it('takes a comparison prepared while the page loaded when the page asks for it, and drops it otherwise', async () => {
    const { store, a, b } = bigStore();
    const prepared = new PreparedComparison(store, a.id, b.id);
    const computed = await prepared.done;
    assert.ok(computed);
    const posted: IpcMessage[] = [];
    const session = new TimelineSession(store, { post: m => posted.push(m) }, undefined, prepared);
    session.handle(SelectComparisonCommand.create({ runIdA: a.id, runIdB: b.id }));
    session.handle(ReadyCommand.create({}));
    const s = await until('the comparison', () => posted.filter(m => DidChangeComparisonNotification.is(m)).map(m => m.params as ComparisonState).find(p => p.rows.count > 0));
    assert.equal(decode(s.rows).c.count, computed.result.alignment.count);
    assert.ok(prepared.isCancelled, 'used once, then let go');
    session.dispose();
    // A page that asks for nothing: the prepared comparison is dropped on its ready message.
    const unused = new PreparedComparison(store, a.id, b.id);
    const other = new TimelineSession(store, { post: () => undefined }, undefined, unused);
    other.handle(ReadyCommand.create({}));
    assert.ok(unused.isCancelled);
    other.dispose();
    // A store change cancels a prepared comparison: it may be stale.
    const stale = new PreparedComparison(store, a.id, b.id);
    store.ingestSpans(syntheticSpans(10, 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'), { transport: 'test' });
    store.flush();
    assert.ok(stale.isCancelled);
    assert.equal(await stale.done, undefined);
    store.dispose();
  });
});

describe('comparison protocol', () => {
  it('keeps the change bits of core/compare', () => {
    assert.deepEqual(PairChange, Change);
    assert.equal(PAIR_ANY_CHANGE, Object.values(Change).reduce((x, y) => x | y, 0));
  });

  it('packs and unpacks aligned rows: micro- or milliseconds, keys of a first build or any, wide names and depths', () => {
    const columns = (startB: number, firstKey: number, depth: number, names: string[]): ComparisonColumns => ({
      count: 2,
      depth: Uint16Array.of(0, depth),
      keyA: Int32Array.of(firstKey, -1),
      keyB: Int32Array.of(firstKey + 1, firstKey + 2),
      startA: Float64Array.of(0, 0),
      durationA: Float64Array.of(10.5, 0),
      startB: Float64Array.of(0, startB),
      durationB: Float64Array.of(12.25, 1.001),
      cls: Uint8Array.of(0, 3),
      flagsA: Uint8Array.of(SpanFacts.hasChildren, 0),
      flagsB: Uint8Array.of(SpanFacts.hasChildren, SpanFacts.error),
      change: Uint16Array.of(PairChange.duration, PairChange.onlyB),
      changedBelow: Uint32Array.of(2, 1),
      match: Uint8Array.of(0, 5),
      name: Int32Array.of(0, names.length - 1),
      names,
    });
    const many = Array.from({ length: 70_000 }, (_, i) => `n${i}`);
    for (const c of [columns(3.5, 0, 1, ['root', 'tool']), columns(5_000_000, 0, 1, ['root', 'tool']), columns(3.5, 7, 300, many)]) {
      const packed = packComparisonRows(c);
      const u = unpackComparisonRows(packed);
      const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v);
      for (const k of Object.keys(c) as (keyof ComparisonColumns)[]) assert.deepEqual(plain(u[k]), plain(c[k]), k);
      // A view at an offset in a bigger buffer (a WebSocket frame) reads the same.
      const frame = new Uint8Array(64 + (packed.data as ArrayBuffer).byteLength);
      frame.set(new Uint8Array(packed.data as ArrayBuffer), 64);
      assert.deepEqual([...unpackComparisonRows({ ...packed, data: frame.subarray(64) }).durationB], [12.25, 1.001]);
    }
    // A first build's keys are not sent: about 28 bytes a pair.
    const first = packComparisonRows(columns(3.5, 0, 1, ['root', 'tool'])).data as ArrayBuffer;
    const later = packComparisonRows(columns(3.5, 7, 1, ['root', 'tool'])).data as ArrayBuffer;
    assert.ok(later.byteLength > first.byteLength, `${later.byteLength} > ${first.byteLength}`);
    assert.equal(unpackComparisonRows(packComparisonRows(emptyComparisonColumns())).count, 0);
  });

  it('gives no rows for malformed packed rows', () => {
    const packed = packComparisonRows(emptyComparisonColumns());
    for (const bad of [
      { count: 1, names: [], data: packed.data },
      { count: 0, names: [], data: new ArrayBuffer(3) },
      { count: 0, names: 'x', data: packed.data },
      { count: 0, names: [], data: 'nope' },
      { count: 5, names: [], data: new Uint32Array([2, 5, 0, 0]).buffer },
    ])
      assert.equal(unpackComparisonRows(bad as unknown as ComparisonRows).count, 0, JSON.stringify(bad));
  });

  it('accepts the comparison commands and rejects bad ones', () => {
    const valid = [SelectComparisonCommand.create({ runIdA: 1, runIdB: 2 }), RequestPairDetailsCommand.create({ requestId: 3, keyA: -1, keyB: 7 })];
    for (const m of valid) assert.deepEqual(parseWebviewMessage(JSON.parse(JSON.stringify(m))), m);
    const bad: unknown[] = [
      { method: SelectComparisonCommand.method, params: { runIdA: 1 } },
      { method: SelectComparisonCommand.method, params: { runIdA: -1, runIdB: 2 } },
      { method: SelectComparisonCommand.method, params: { runIdA: 1, runIdB: '2' } },
      { method: SelectComparisonCommand.method, params: { runIdA: 1, runIdB: 2, runIdC: 3 } },
      { method: SelectComparisonCommand.method, params: { runIdA: 1.5, runIdB: 2 } },
      { method: RequestPairDetailsCommand.method, params: { requestId: 1, keyA: -2, keyB: 0 } },
      { method: RequestPairDetailsCommand.method, params: { requestId: 1, keyA: 0 } },
      { method: RequestPairDetailsCommand.method, params: { requestId: -1, keyA: 0, keyB: 0 } },
      { method: RequestPairDetailsCommand.method, params: { requestId: 1, keyA: 0, keyB: 0 }, extra: true },
      { method: DidChangeComparisonNotification.method, params: {} },
      { method: DidLoadPairDetailsNotification.method, params: { requestId: 1 } },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });
});
