import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatusCode } from '../../../extension/src/core/model/span';
import { decodeTraceRequestObject } from '../../../extension/src/core/otlp/jsonDecoder';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import type { IngestOrigin } from '../../../extension/src/core/store/ingestOrigin';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import type { StoreChange } from '../../../extension/src/core/store/storeChange';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { errorFacts } from '../../../extension/src/core/semantics/errorFacts';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { MSGTRACE_SCOPE, hexId, makeSpan, resource } from './spanFactory';
import { treeText } from './treeText';

const FIXTURES = join(process.cwd(), 'test/fixtures');
const HTTP: IngestOrigin = { transport: 'http', path: '/v1/traces' };

function newStore(scheduler = new ManualScheduler(), options: ConstructorParameters<typeof TraceStore>[0] = {}) {
  const store = new TraceStore({ scheduler, ...options });
  const events: StoreChange[] = [];
  store.onDidChange(e => events.push(e));
  return { store, scheduler, events };
}

// docs/msgflux-wire.md#flat-traces / #agent-example: the 28 flat spans of the real request, nested by time containment.
const AGENT_DEMO_TREE = `Pipeline (flow)
  ~Doubler (module)
  ~map_gather (functional)
    ~Doubler (module)
    ~Doubler (module)
    ~Doubler (module)
map_gather (functional)
scatter_gather (functional)
bcast_gather (functional)
My Agent (agent)
  ~Generator (model)
  ~Myagent Tool Library (module)
    ~scatter_gather (functional)
      ~Get Capital (tool)
  ~Generator (model)
My Agent (agent)
  ~Generator (model)
  ~Myagent Tool Library (module)
    ~ascatter_gather (functional)
      ~Get Capital (tool)
  ~Generator (model)
amap_gather (functional)
documented_attributes_form (generic)
Exploder (flow)
user.instrumented_function (generic)
manual.flow (flow)
  ~manual.module (module)
    ~manual.leaf (generic)`;

describe('core/store TraceStore', () => {
  describe('the real msgflux 0.1.0a23 capture (28 flat one-span traces)', () => {
    it('becomes one run that reads as the agent tree of docs/msgflux-wire.md, every edge marked inferred', () => {
      const { store } = newStore();
      const batch = decodeTraceRequest(readFileSync(join(FIXTURES, 'msgflux-0.1.0a23-agent-demo.pb')));
      assert.equal(batch.spans.length, 28);
      store.ingest(batch, HTTP);
      const runs = store.runs();
      assert.equal(runs.length, 1);
      const run = runs[0]!;
      assert.equal(run.spanCount, 28);
      assert.equal(run.serviceName, 'msgtrace-app');
      assert.equal(run.errorCount, 1);
      assert.equal(run.placeholderCount, 0);
      assert.equal(treeText(store, run, { classes: true, inferred: true }), AGENT_DEMO_TREE);
      // Real parents never came: every nested edge is inferred, every top-level span has none.
      for (const row of store.flatten(run).rows) assert.equal((store.rows.facts(row) & SpanFacts.inferredEdge) !== 0, store.parentOf(row) >= 0, store.rows.name(row));
    });

    it('reads the same from the OTLP/JSON form of the same request', () => {
      const { store } = newStore();
      const json = JSON.parse(readFileSync(join(FIXTURES, 'msgflux-0.1.0a23-agent-demo.otlp.json'), 'utf8'));
      store.ingest(decodeTraceRequestObject(json), { transport: 'file' });
      assert.equal(treeText(store, store.runs()[0]!, { classes: true, inferred: true }), AGENT_DEMO_TREE);
    });

    it('keeps every field of every span when it ingests the receiver\'s columns instead of Span objects', () => {
      const body = readFileSync(join(FIXTURES, 'msgflux-0.1.0a23-agent-demo.pb'));
      const viaObjects = newStore().store;
      viaObjects.ingest(decodeTraceRequest(body), HTTP);
      const viaColumns = newStore().store;
      const batch = decodeTraceRequest(body, { columns: true });
      assert.equal(batch.columns?.count, 28);
      viaColumns.ingest(batch, HTTP);
      assert.equal(treeText(viaColumns, viaColumns.runs()[0]!, { classes: true, inferred: true }), AGENT_DEMO_TREE);
      const spansOf = (store: TraceStore) => Array.from(store.flatten(store.runs()[0]!).rows, row => store.rows.span(row)!);
      const a = spansOf(viaObjects);
      const b = spansOf(viaColumns);
      assert.equal(b.length, a.length);
      // Span objects read back from the store's rows equal the decoder's, field by field (details included).
      const plain = (span: (typeof a)[number]) => {
        const { traceId, spanId, parentSpanId, traceState, flags, name, kind, startMs, startSubMsNanos, endMs, endSubMsNanos, statusCode, statusMessage, eventCount, linkCount } = span;
        return { traceId, spanId, parentSpanId, traceState, flags, name, kind, startMs, startSubMsNanos, endMs, endSubMsNanos, statusCode, statusMessage, eventCount, linkCount, details: span.details(), indexed: span.indexed, service: span.resource.serviceName, scope: span.scope.name };
      };
      for (let i = 0; i < a.length; i++) assert.deepEqual(plain(b[i]!), plain(a[i]!));
      assert.ok(b.some(span => span.statusMessage !== '' && span.details().events.length > 0), 'an error span with its message and exception events');
      assert.deepEqual(viaColumns.stats, viaObjects.stats);
    });

    it('parses the Exploder error into frames naming demo_program.py', () => {
      const { store } = newStore();
      store.ingest(decodeTraceRequest(readFileSync(join(FIXTURES, 'msgflux-0.1.0a23-agent-demo.pb'))), HTTP);
      const exploder = store.flatten(store.runs()[0]!).rows.find(row => store.rows.name(row) === 'Exploder')!;
      const facts = errorFacts(store.rows.span(exploder)!);
      assert.equal(facts.isError, true);
      assert.equal(facts.type, 'ValueError');
      assert.equal(facts.message, 'boom: 7');
      // msgflux records the failure twice (module + SDK context manager): one exception remains.
      assert.equal(facts.exceptions.length, 1);
      assert.deepEqual(
        facts.exceptions[0]!.stack.frames.map(f => `${f.file.split('/').pop()}:${f.line}:${f.function}`),
        ['module.py:1276:_call', 'demo_program.py:114:forward'],
      );
      assert.deepEqual(facts.frame, { file: '/home/user/agent-demo/demo_program.py', line: 114, function: 'forward', code: 'raise ValueError(f"boom: {x}")' });
    });
  });

  describe('arrival order, duplicates, placeholders', () => {
    const T = 'a1';
    const spans = () => [
      makeSpan({ traceId: T, spanId: 'r', name: 'root', start: 0, end: 100 }),
      makeSpan({ traceId: T, spanId: 'c1', parent: 'r', name: 'child-1', start: 10, end: 20 }),
      makeSpan({ traceId: T, spanId: 'c2', parent: 'r', name: 'child-2', start: 30, end: 90 }),
      makeSpan({ traceId: T, spanId: 'g', parent: 'c2', name: 'grandchild', start: 40, end: 50 }),
    ];

    it('builds the same tree when children arrive before their parents, resolving placeholders', () => {
      const { store, events } = newStore();
      const [root, c1, c2, g] = spans();
      store.ingestSpans([g!, c1!], HTTP);
      const run = store.runs()[0]!;
      assert.equal(run.placeholderCount, 2);
      assert.equal(store.stats.placeholders, 2);
      assert.equal(treeText(store, run), '<placeholder 0000000000000072>\n  child-1\n<placeholder 00000000000000c2>\n  grandchild');
      store.flush();
      const placeholder = store.findRow(g!.traceId, g!.parentSpanId);
      assert.ok(store.rows.facts(placeholder) & SpanFacts.placeholder);
      store.ingestSpans([c2!], HTTP);
      store.ingestSpans([root!], HTTP);
      store.flush();
      assert.equal(run.placeholderCount, 0);
      assert.equal(store.stats.placeholders, 0);
      assert.equal(treeText(store, run), 'root\n  child-1\n  child-2\n    grandchild');
      // The placeholder's row is kept: views holding it see it filled in.
      assert.equal(store.findRow(g!.traceId, g!.parentSpanId), placeholder);
      assert.equal(store.rows.facts(placeholder) & SpanFacts.placeholder, 0);
      assert.equal(store.rows.name(placeholder), 'child-2');
      assert.ok(events.at(-1)!.updatedRows.includes(placeholder) || events.at(-2)!.updatedRows.includes(placeholder));
      assert.equal(store.flatten(run).rows.filter(row => store.rows.facts(row) & SpanFacts.inferredEdge).length, 0);
    });

    it('drops exporter retries by traceId+spanId and counts them', () => {
      const { store } = newStore();
      assert.deepEqual(store.ingestSpans(spans(), HTTP), { accepted: 4, duplicates: 0 });
      assert.deepEqual(store.ingestSpans(spans(), HTTP), { accepted: 0, duplicates: 4 });
      assert.equal(store.stats.spans, 4);
      assert.equal(store.stats.duplicates, 4);
      assert.equal(store.runs()[0]!.spanCount, 4);
    });

    it('keeps two spans that share a span id in different traces', () => {
      const { store } = newStore();
      store.ingestSpans([makeSpan({ traceId: 't1', spanId: 's', name: 'one' }), makeSpan({ traceId: 't2', spanId: 's', name: 'two' })], HTTP);
      assert.equal(store.stats.spans, 2);
      assert.equal(store.rows.name(store.findRow(hexId('t1', 32), hexId('s', 16))), 'one');
      assert.equal(store.rows.name(store.findRow(hexId('t2', 32), hexId('s', 16))), 'two');
    });

    it('does not infer nesting for generic traffic (only for flat msgflux roots)', () => {
      const { store } = newStore();
      store.ingestSpans([makeSpan({ traceId: 'x1', spanId: 'a', start: 0, end: 100 }), makeSpan({ traceId: 'x2', spanId: 'b', start: 10, end: 20 })], HTTP);
      assert.equal(treeText(store, store.runs()[0]!), 'a\nb');
    });
  });

  describe('runs', () => {
    it('separates resources, time gaps and debug sessions, and keeps a trace in one run', () => {
      const { store } = newStore(new ManualScheduler(), { runGapMs: 1000 });
      const a = resource({ 'service.name': 'agent', 'process.pid': 1 });
      const b = resource({ 'service.name': 'agent', 'process.pid': 2 });
      store.ingestSpans([makeSpan({ traceId: 't1', spanId: '1', resource: a, start: 0, end: 10 })], HTTP);
      store.ingestSpans([makeSpan({ traceId: 't2', spanId: '2', resource: b, start: 5, end: 10 })], HTTP);
      store.ingestSpans([makeSpan({ traceId: 't3', spanId: '3', resource: a, start: 500, end: 600 })], HTTP);
      // 5 s after the first run of `a` ended: a new execution.
      store.ingestSpans([makeSpan({ traceId: 't4', spanId: '4', resource: a, start: 5600, end: 5700 })], HTTP);
      // ...but a late span of trace t1 stays in t1's run, whatever its time.
      store.ingestSpans([makeSpan({ traceId: 't1', spanId: '5', parent: '1', resource: a, start: 9000, end: 9001 })], HTTP);
      // A debug session ties spans together across gaps, and apart from the same resource outside it.
      const dbg: IngestOrigin = { transport: 'http', debugSessionId: 'S1' };
      store.ingestSpans([makeSpan({ traceId: 't6', spanId: '6', resource: a, start: 0, end: 1 })], dbg);
      store.ingestSpans([makeSpan({ traceId: 't7', spanId: '7', resource: a, start: 60_000, end: 60_001 })], dbg);
      const runs = store.runs();
      assert.deepEqual(
        runs.map(r => [r.serviceName, r.debugSessionId ?? '-', r.spanCount]),
        [
          ['agent', 'S1', 2],
          ['agent', '-', 1],
          ['agent', '-', 1],
          ['agent', '-', 3],
        ],
      );
      assert.equal(store.runOf(store.findRow(hexId('t1', 32), hexId('5', 16))), runs[3]);
    });
  });

  describe('retention', () => {
    it('evicts whole oldest runs first when over the span limit, and counts it', () => {
      const { store, events } = newStore(new ManualScheduler(), { retention: { maxSpans: 10, maxBytes: Infinity }, runGapMs: 10 });
      const batch = (run: number, n: number) =>
        Array.from({ length: n }, (_, i) => makeSpan({ traceId: `r${run}t${i}`, spanId: `${run}0${i}`, start: run * 1000 + i, end: run * 1000 + i + 1 }));
      store.ingestSpans(batch(1, 4), HTTP);
      store.ingestSpans(batch(2, 4), HTTP);
      store.flush();
      const [second, first] = store.runs();
      store.ingestSpans(batch(3, 4), HTTP); // 12 > 10: the oldest run goes (down to 9 = 90 %)
      store.flush();
      assert.deepEqual(store.runs().map(r => r.id), [3, 2]);
      assert.equal(store.stats.spans, 8);
      assert.equal(store.stats.evictedSpans, 4);
      assert.equal(store.stats.evictedRuns, 1);
      const last = events.at(-1)!;
      assert.deepEqual(last.removedRuns, [first]);
      assert.equal(last.evictedRuns, 1);
      assert.equal(last.evictedSpans, 4);
      assert.equal(store.findRow(hexId('r1t0', 32), hexId('100', 16)), -1);
      assert.ok(store.rows.has(store.findRow(hexId('r2t0', 32), hexId('200', 16))));
      assert.ok(second);
    });

    it('evicts the oldest traces of a single run that is over the limit alone', () => {
      const { store } = newStore(new ManualScheduler(), { retention: { maxSpans: 10, maxBytes: Infinity } });
      const spans = Array.from({ length: 12 }, (_, i) => makeSpan({ traceId: `t${i}`, spanId: `s${i}`, name: `n${i}`, start: i * 10, end: i * 10 + 5 }));
      store.ingestSpans(spans, HTTP);
      const run = store.runs()[0]!;
      // down to 9: the three oldest top-level traces are gone
      assert.equal(run.spanCount, 9);
      assert.equal(store.stats.evictedSpans, 3);
      assert.equal(store.stats.evictedRuns, 0);
      assert.deepEqual(Array.from(store.children(run), row => store.rows.name(row)), ['n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10', 'n11']);
    });

    it('evicts by bytes too', () => {
      // About 110 bytes a span: 10 runs of 10 spans hold about 11 KB.
      const { store } = newStore(new ManualScheduler(), { retention: { maxSpans: Infinity, maxBytes: 5_000 }, runGapMs: 10 });
      for (let r = 0; r < 10; r++) {
        store.ingestSpans(Array.from({ length: 10 }, (_, i) => makeSpan({ traceId: `r${r}t${i}`, spanId: `${r}x${i}`, start: r * 1000 + i })), HTTP);
      }
      assert.ok(store.stats.bytes <= 5_000, `bytes ${store.stats.bytes}`);
      assert.ok(store.stats.evictedRuns > 0);
      assert.ok(store.stats.evictedBytes > 0);
      assert.equal(store.stats.bytes, store.runs().reduce((a, r) => a + r.bytes, 0));
      assert.equal(store.stats.spans + store.stats.evictedSpans, 100);
    });

    it('clears one run or everything without counting evictions', () => {
      const { store, events } = newStore(new ManualScheduler(), { runGapMs: 10 });
      store.ingestSpans([makeSpan({ traceId: 'a', spanId: '1', start: 0 }), makeSpan({ traceId: 'b', spanId: '2', start: 100_000 })], HTTP);
      assert.equal(store.runs().length, 2);
      const [newer, older] = store.runs();
      assert.equal(store.clearRun(older!.id), true);
      assert.deepEqual(store.runs(), [newer]);
      assert.equal(store.stats.spans, 1);
      store.clear();
      store.flush();
      assert.equal(store.stats.spans, 0);
      assert.equal(store.runs().length, 0);
      assert.equal(store.stats.evictedSpans, 0);
      assert.equal(events.at(-1)!.cleared, true);
      assert.equal(store.findRow(hexId('b', 32), hexId('2', 16)), -1);
    });
  });

  describe('change events', () => {
    it('coalesces 100k spans/s into at most ~10 events a second that list every added span', () => {
      const scheduler = new ManualScheduler();
      const { store, events } = newStore(scheduler);
      let sent = 0;
      // 1 s of traffic: a batch of 100 spans every millisecond.
      for (let ms = 0; ms < 1000; ms++) {
        store.ingestSpans(
          Array.from({ length: 100 }, () => {
            const i = sent++;
            return makeSpan({ traceId: `t${i}`, spanId: `s${i}`, start: i / 100 });
          }),
          HTTP,
        );
        scheduler.advance(1);
      }
      scheduler.advance(1000);
      assert.ok(events.length <= 11 && events.length >= 9, `${events.length} events`);
      const added = events.flatMap(e => [...e.addedRows]);
      assert.equal(added.length, 100_000);
      assert.equal(new Set(added).size, 100_000);
      assert.equal(events[0]!.addedRuns.length, 1);
      assert.ok(events.slice(1).every(e => e.addedRuns.length === 0 && e.updatedRuns.length === 1));
      // One timer is left: the one that says when the run stops receiving (3 s after its last batch).
      assert.equal(scheduler.pending, 1);
      scheduler.advance(2000);
      assert.equal(scheduler.pending, 0);
    });

    it('says when runs stop receiving, once each, when the idle time has passed since their last batch', () => {
      const scheduler = new ManualScheduler();
      const { store } = newStore(scheduler, { runGapMs: 10, receivingIdleMs: 3000 });
      const idle: number[][] = [];
      store.onDidGoIdle(runs => idle.push(runs.map(r => r.id)));
      store.ingestSpans([makeSpan({ traceId: 'a', spanId: '1', start: 0 })], HTTP);
      const [a] = store.runs();
      scheduler.advance(2000);
      // Another run, and more for the first: the first is quiet 3 s after this batch, not after its first.
      store.ingestSpans([makeSpan({ traceId: 'b', spanId: '2', start: 100_000 }), makeSpan({ traceId: 'a', spanId: '3', parent: '1', start: 1 })], HTTP);
      scheduler.advance(2999);
      assert.deepEqual(idle, []);
      assert.equal(store.isReceiving(a!), true);
      scheduler.advance(1);
      assert.deepEqual(idle, [[1, 2]]);
      assert.equal(store.isReceiving(a!), false);
      store.ingestSpans([makeSpan({ traceId: 'c', spanId: '4', start: 200_000 })], HTTP);
      store.clearRun(store.runs()[0]!);
      scheduler.advance(10_000);
      assert.deepEqual(idle, [[1, 2]], 'a cleared run never goes idle');
      assert.equal(scheduler.pending, 0);
    });

    it('fires nothing without changes, and says which parents changed', () => {
      const scheduler = new ManualScheduler();
      const { store, events } = newStore(scheduler);
      store.flush();
      assert.equal(events.length, 0);
      store.ingestSpans([makeSpan({ traceId: 'q', spanId: 'c', parent: 'p', start: 1 })], HTTP);
      scheduler.advance(0);
      assert.equal(events.length, 1);
      const placeholder = store.findRow(hexId('q', 32), hexId('p', 16));
      assert.ok(events[0]!.changedParents.includes(placeholder));
      assert.ok(events[0]!.changedParents.includes(store.runs()[0]!));
      scheduler.advance(500);
      assert.equal(events.length, 1);
    });

    it('reports spans moved by inference as updated, with their old and new parents', () => {
      const { store, events } = newStore();
      const leaf = makeSpan({ traceId: 'l', spanId: 'l', name: 'Leaf', scope: MSGTRACE_SCOPE, start: 2, end: 3, attrs: { 'span.type': 'flow' } });
      store.ingestSpans([leaf], HTTP);
      store.flush();
      store.ingestSpans([makeSpan({ traceId: 'o', spanId: 'o', name: 'Outer', scope: MSGTRACE_SCOPE, start: 0, end: 10, attrs: { 'span.type': 'flow' } })], HTTP);
      store.flush();
      const e = events.at(-1)!;
      const leafRow = store.findRow(leaf.traceId, leaf.spanId);
      assert.ok(e.updatedRows.includes(leafRow));
      assert.ok(e.changedParents.includes(store.runs()[0]!));
      assert.ok(e.changedParents.includes(store.parentOf(leafRow)));
      assert.equal(store.rows.name(store.parentOf(leafRow)), 'Outer');
    });
  });

  describe('queries', () => {
    it('pages 10,000 children in start order', () => {
      const { store } = newStore();
      const spans = [makeSpan({ traceId: 'p', spanId: 'root', start: 0, end: 100_000 })];
      // reversed arrival: the store must sort
      for (let i = 9999; i >= 0; i--) spans.push(makeSpan({ traceId: 'p', spanId: `c${i}`, parent: 'root', name: `c${i}`, start: i, end: i + 1 }));
      store.ingestSpans(spans, HTTP);
      const root = store.children(store.runs()[0]!)[0]!;
      assert.equal(store.childCount(root), 10_000);
      const names = (rows: Int32Array) => Array.from(rows, row => store.rows.name(row));
      assert.deepEqual(names(store.children(root, 0, 3)), ['c0', 'c1', 'c2']);
      assert.deepEqual(names(store.children(root, 9998, 200)), ['c9998', 'c9999']);
    });

    it('flattens depth-first with depths, honouring collapsed nodes', () => {
      const { store } = newStore();
      store.ingestSpans(
        [
          makeSpan({ traceId: 'f', spanId: 'a', start: 0, end: 10 }),
          makeSpan({ traceId: 'f', spanId: 'b', parent: 'a', start: 1, end: 5 }),
          makeSpan({ traceId: 'f', spanId: 'c', parent: 'b', start: 2, end: 3 }),
          makeSpan({ traceId: 'f', spanId: 'd', parent: 'a', start: 6, end: 9 }),
        ],
        HTTP,
      );
      const run = store.runs()[0]!;
      const { rows, depths } = store.flatten(run);
      assert.deepEqual(Array.from(rows, row => store.rows.name(row)), ['a', 'b', 'c', 'd']);
      assert.deepEqual([...depths], [0, 1, 2, 1]);
      const [a, b, c] = rows;
      assert.deepEqual(store.flatten(run, new Set([b!])).rows.length, 3);
      assert.deepEqual(Array.from(store.flatten(b!).rows, row => store.rows.name(row)), ['b', 'c'], 'a subtree, its root included');
      assert.equal(store.selfTimeNanos(a!), 10e6 - 4e6 - 3e6);
      assert.deepEqual(store.subtreeCounts(a!), { spans: 4, errors: 0 });
      assert.deepEqual([store.parentOf(c!), store.parentOf(b!), store.parentOf(a!)], [b, a, -1]);
    });

    it('sums tokens and cost over a subtree without double counting', () => {
      const { store } = newStore();
      store.ingestSpans(
        [
          // The agent reports the usage of its model calls itself: its own numbers count, not its children's again.
          makeSpan({ traceId: 'u', spanId: 'agent', start: 0, end: 100, attrs: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 30n, 'gen_ai.usage.output_tokens': 12n } }),
          makeSpan({ traceId: 'u', spanId: 'm1', parent: 'agent', start: 1, end: 2, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 10n, 'gen_ai.usage.output_tokens': 5n, 'gen_ai.usage.cost': 0.25 } }),
          makeSpan({ traceId: 'u', spanId: 'm2', parent: 'agent', start: 3, end: 4, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 20n, 'gen_ai.usage.output_tokens': 7n, 'gen_ai.usage.cost': 0.5 } }),
          // A flow with no usage of its own: its total is its children's.
          makeSpan({ traceId: 'u', spanId: 'flow', start: 200, end: 300 }),
          makeSpan({ traceId: 'u', spanId: 'm3', parent: 'flow', start: 201, end: 202, attrs: { 'llm.token_count.prompt': 100n, 'llm.token_count.completion': 1n, 'llm.token_count.total': 101n } }),
          makeSpan({ traceId: 'u', spanId: 'deep', parent: 'flow', start: 210, end: 220 }),
          makeSpan({ traceId: 'u', spanId: 'm4', parent: 'deep', start: 211, end: 212, attrs: { 'gen_ai.usage.input_tokens': 1n, 'gen_ai.usage.output_tokens': 1n } }),
        ],
        HTTP,
      );
      const run = store.runs()[0]!;
      const [agent, flow] = store.children(run);
      // input/output from the agent itself; cost it does not report, so its children's cost is summed.
      assert.deepEqual(store.subtreeUsage(agent!), { inputTokens: 30, outputTokens: 12, totalTokens: 42, cost: 0.75 });
      assert.deepEqual(store.subtreeUsage(flow!), { inputTokens: 101, outputTokens: 2, totalTokens: 103 });
      assert.deepEqual(store.subtreeUsage(run), { inputTokens: 131, outputTokens: 14, totalTokens: 145, cost: 0.75 });
    });

    it('keeps subtree sums until the store changes, then counts what arrived', () => {
      const { store } = newStore();
      store.ingestSpans(
        [
          makeSpan({ traceId: 'v', spanId: 'flow', start: 0, end: 100 }),
          makeSpan({ traceId: 'v', spanId: 'm1', parent: 'flow', start: 1, end: 2, attrs: { 'gen_ai.usage.input_tokens': 10n, 'gen_ai.usage.output_tokens': 5n } }),
        ],
        HTTP,
      );
      const run = store.runs()[0]!;
      const [flow] = store.children(run);
      const first = store.subtreeUsage(run);
      assert.equal(store.subtreeUsage(run), first, 'the same object while nothing changed');
      assert.deepEqual(store.subtreeUsage(flow!), { inputTokens: 10, outputTokens: 5, totalTokens: 15 });
      store.ingestSpans([makeSpan({ traceId: 'v', spanId: 'm2', parent: 'flow', start: 3, end: 4, attrs: { 'gen_ai.usage.input_tokens': 1n, 'gen_ai.usage.output_tokens': 1n } })], HTTP);
      assert.deepEqual(store.subtreeUsage(flow!), { inputTokens: 11, outputTokens: 6, totalTokens: 17 });
      assert.deepEqual(store.subtreeUsage(run), { inputTokens: 11, outputTokens: 6, totalTokens: 17 });
    });

    it('counts error spans per run', () => {
      const { store } = newStore();
      store.ingestSpans([makeSpan({ traceId: 'e', spanId: '1', status: StatusCode.Error }), makeSpan({ traceId: 'e', spanId: '2', parent: '1', status: StatusCode.Ok })], HTTP);
      assert.equal(store.runs()[0]!.errorCount, 1);
      assert.deepEqual(store.subtreeCounts(store.children(store.runs()[0]!)[0]!), { spans: 2, errors: 1 });
    });
  });
});
