// Opened traces in the store, from stub backends: a run of its own marked with its source, the right tree, no
// duplicates when opened twice; and the recent traces of a service paged newest first over a time window.
import * as assert from 'node:assert/strict';
import { createBackendClient } from '../../../extension/src/backends/backendClients';
import type { BackendClient, SearchPage, SearchQuery, TraceSummary } from '../../../extension/src/backends/backendClient';
import { ingestRemoteTrace, remoteOrigin } from '../../../extension/src/backends/remoteRun';
import { TracePager } from '../../../extension/src/backends/tracePager';
import { decodeTraceRequestObject } from '../../../extension/src/core/otlp/jsonDecoder';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { SHOP_CHECKOUT, SHOP_DB, SHOP_ROOT, SHOP_TRACE_ID, T0_US, bigTraceJson, shopTraceJson, toProtobuf, traceByIdResponse, v3Envelope } from './backendFixtures';
import { type Stub, startStub } from './stubServer';

const OPTIONS = { headers: {}, timeoutMs: 5_000, maxBodyBytes: 64 * 1024 * 1024 };

function newStore(): TraceStore {
  return new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });
}

/** The tree of a run as names, depth-first. */
function tree(store: TraceStore, parent: Parameters<TraceStore['children']>[0], depth = 0): string[] {
  return Array.from(store.children(parent)).flatMap(row => [`${'  '.repeat(depth)}${store.rows.name(row)}`, ...tree(store, row, depth + 1)]);
}

describe('remote traces in the store (from stub backends)', () => {
  const stubs: Stub[] = [];
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map(s => s.close()));
  });

  for (const kind of ['jaeger', 'tempo'] as const) {
    it(`${kind}: a trace opened from a stub becomes a run marked with its source, with its tree; opened again, nothing is duplicated`, async () => {
      const s = await startStub({
        [`/api/v3/traces/${SHOP_TRACE_ID}`]: { body: v3Envelope(shopTraceJson()) },
        [`/api/v2/traces/${SHOP_TRACE_ID}`]: { type: 'application/protobuf', body: traceByIdResponse(toProtobuf(shopTraceJson())) },
      });
      stubs.push(s);
      const config = { name: `team-${kind}`, kind, url: s.url };
      const c = createBackendClient(config, OPTIONS);
      const store = newStore();
      const opened = await ingestRemoteTrace(store, config, await c.trace(SHOP_TRACE_ID));
      assert.equal(opened.accepted, 3);
      const run = opened.run!;
      assert.ok(run);
      assert.equal(store.runs().length, 1);
      assert.equal(run.origin.transport, 'remote');
      assert.equal(run.origin.source, `${kind}: team-${kind}`);
      assert.equal(run.spanCount, 3);
      assert.equal(run.errorCount, 2);
      assert.deepEqual(tree(store, run), ['GET /checkout', '  place order', '    SELECT stock']);
      assert.equal(store.rows.spanId(store.findRow(SHOP_TRACE_ID, SHOP_DB)), SHOP_DB);
      assert.equal(store.rows.name(store.parentOf(store.findRow(SHOP_TRACE_ID, SHOP_CHECKOUT))), 'GET /checkout');
      assert.equal(store.rows.spanId(store.parentOf(store.findRow(SHOP_TRACE_ID, SHOP_CHECKOUT))), SHOP_ROOT);

      const again = await ingestRemoteTrace(store, config, await c.trace(SHOP_TRACE_ID));
      assert.equal(again.accepted, 0);
      assert.equal(again.duplicates, 3);
      assert.equal(again.run, run, 'the existing run');
      assert.equal(store.runs().length, 1);
    });
  }

  it('two traces of one service opened from a stub are two runs; a local run of the same resource stays apart', async () => {
    const a = bigTraceJson(10, '000000000000000000000000000000a1', 1, 0);
    const b = bigTraceJson(10, '000000000000000000000000000000b2', 1, 1_000);
    const s = await startStub({
      '/api/v3/traces/000000000000000000000000000000a1': { body: v3Envelope(a) },
      '/api/v3/traces/000000000000000000000000000000b2': { body: v3Envelope(b) },
    });
    stubs.push(s);
    const config = { name: 'j', kind: 'jaeger' as const, url: s.url };
    const c = createBackendClient(config, OPTIONS);
    const store = newStore();
    const local = bigTraceJson(10, '000000000000000000000000000000c3', 1, 500);
    store.ingest(decodeTraceRequestObject(local), { transport: 'http' });
    const ra = (await ingestRemoteTrace(store, config, await c.trace('000000000000000000000000000000a1'))).run!;
    const rb = (await ingestRemoteTrace(store, config, await c.trace('000000000000000000000000000000b2'))).run!;
    assert.notEqual(ra, rb);
    assert.equal(store.runs().length, 3);
    assert.deepEqual(
      store.runs().map(r => [r.spanCount, r.origin.source ?? 'local']),
      [
        [10, 'jaeger: j'],
        [10, 'jaeger: j'],
        [10, 'local'],
      ],
    );
    assert.equal(remoteOrigin(config, 'x').debugSessionId, 'remote:jaeger: j/x');
  });

  it('opens a 10k-span trace from a stub (Tempo protobuf) into one run with every span', async () => {
    const big = bigTraceJson(10_000);
    const s = await startStub({ '/api/v2/traces/a1b2c3d4e5f60718293a4b5c6d7e8f90': { type: 'application/protobuf', body: traceByIdResponse(toProtobuf(big)) } });
    stubs.push(s);
    const config = { name: 't', kind: 'tempo' as const, url: s.url };
    const store = newStore();
    const opened = await ingestRemoteTrace(store, config, await createBackendClient(config, OPTIONS).trace('a1b2c3d4e5f60718293a4b5c6d7e8f90'));
    assert.equal(opened.accepted, 10_000);
    assert.equal(opened.run!.spanCount, 10_000);
    assert.equal(store.childCount(opened.run!), 1);
  });
});

/** A backend of `n` traces one second apart (newest at T0), answering searches as a backend would. */
function fakeBackend(n: number, sameInstant = 0): BackendClient & { queries: SearchQuery[] } {
  const all: TraceSummary[] = [];
  for (let i = 0; i < n; i++) all.push({ traceId: (i + 1).toString(16).padStart(32, '0'), rootName: `t${i}`, rootService: 's', startUs: T0_US - (i < sameInstant ? 0 : i) * 1e6, durationUs: 1 });
  const queries: SearchQuery[] = [];
  return {
    config: { name: 'fake', kind: 'jaeger', url: 'http://fake' },
    label: 'fake',
    queries,
    services: async () => ['s'],
    trace: async () => assert.fail('not used'),
    search: async (q): Promise<SearchPage> => {
      queries.push(q);
      const hits = all.filter(t => t.startUs >= q.startUs && t.startUs < q.endUs).sort((a, b) => b.startUs - a.startUs);
      return { traces: hits.slice(0, q.limit), full: hits.length >= q.limit };
    },
  };
}

describe('paging the traces of a service (newest first, time window)', () => {
  it('pages through 45 traces 20 at a time, newest first, without repeats, then says there are no more', async () => {
    const backend = fakeBackend(45);
    const pager = new TracePager(backend, 's', T0_US - 3600e6, T0_US + 1, 20);
    assert.equal((await pager.next()).length, 20);
    assert.ok(pager.hasMore);
    assert.equal((await pager.next()).length, 20);
    assert.equal((await pager.next()).length, 5);
    assert.equal(pager.hasMore, false);
    assert.deepEqual(
      pager.traces.map(t => t.rootName),
      Array.from({ length: 45 }, (_, i) => `t${i}`),
    );
    assert.equal(backend.queries[0]!.endUs, T0_US + 1);
    assert.equal(backend.queries[1]!.endUs, T0_US - 19e6 + 1, 'the cursor is the oldest start listed');
    assert.equal(backend.queries[1]!.limit, 21, 'room for the trace listed at the cursor');
  });

  it('stays inside the time window', async () => {
    const pager = new TracePager(fakeBackend(100), 's', T0_US - 30e6, T0_US + 1, 20);
    while (pager.hasMore) await pager.next();
    assert.equal(pager.traces.length, 31);
  });

  it('gets past more traces in one instant than a page holds', async () => {
    const backend = fakeBackend(40, 25);
    const pager = new TracePager(backend, 's', T0_US - 3600e6, T0_US + 1, 10);
    const pages: number[] = [];
    while (pager.hasMore) pages.push((await pager.next()).length);
    // The last page was full, so one more request says there is nothing older.
    assert.deepEqual(pages, [10, 10, 10, 10, 0]);
    assert.equal(new Set(pager.traces.map(t => t.traceId)).size, 40);
    assert.deepEqual(
      backend.queries.map(q => q.limit),
      [10, 20, 30, 11, 11],
    );
  });
});
