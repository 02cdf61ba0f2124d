// The span journal: append/replay round trip with real spans, the size bound, torn tails, clear and forget.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { SpanBatch } from '../../../extension/src/core/model/batch';
import type { KeyValue } from '../../../extension/src/core/model/anyValue';
import { type Resource, type Scope, type Span, Span as SpanClass, type SpanInit } from '../../../extension/src/core/model/span';
import { decodeTraceRequest, protobufDetailsCodec } from '../../../extension/src/core/otlp/protobufDecoder';
import type { IngestOrigin } from '../../../extension/src/core/store/ingestOrigin';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { encodeTraceRequestProtobuf } from '../../../extension/src/storage/protobufRequestEncoder';
import { type ReplayResult, SpanJournal, type SpanJournalOptions } from '../../../extension/src/storage/spanJournal';
import { assertSameSpans, jsonBatch, pbBatch, retraced, tempDirs } from './storageHelpers';
import { agentDemoPb } from '../otlp/fixtures';

const HTTP: IngestOrigin = { transport: 'http', path: '/session/abc/v1/traces', debugSessionId: 'abc' };
const MiB = 1024 * 1024;

async function replayAll(options: SpanJournalOptions): Promise<{ spans: Span[]; origins: IngestOrigin[]; result: ReplayResult; journal: SpanJournal }> {
  const journal = new SpanJournal(options);
  const spans: Span[] = [];
  const origins: IngestOrigin[] = [];
  const result = await journal.replay((batch, origin) => {
    spans.push(...batch.spans);
    origins.push(origin);
  });
  return { spans, origins, result, journal };
}

const segmentsIn = (dir: string) => fs.readdirSync(dir).filter(f => f.endsWith('.mtj')).sort();

describe('span journal', () => {
  const tmp = tempDirs();

  it('replays protobuf spans exactly, with origin replay and the debug session id', async () => {
    const dir = tmp.make();
    const batch = pbBatch();
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    j.append(batch.spans, HTTP);
    await j.close();
    const { spans, origins, result, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
    assertSameSpans(spans, batch.spans);
    assert.deepEqual(origins, [{ transport: 'replay', debugSessionId: 'abc', path: '/session/abc/v1/traces' }]);
    assert.deepEqual(result, { spans: 28, records: 1, skippedRecords: 0, damagedSegments: 0, stopped: false });
    // Replayed protobuf spans keep bytes, so a second generation journals them as protobuf again.
    assert.ok(spans.every(s => s.protobufBytes()));
    await journal.close();
  });

  it('replays request bodies appended as received (protobuf and JSON) into the same spans', async () => {
    const dir = tmp.make();
    const pb = agentDemoPb();
    const json = Buffer.from(fs.readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'msgflux-0.1.0a23-agent-demo.otlp.json')));
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    j.appendBody(pb, 'protobuf', HTTP);
    j.appendBody(json, 'json', { transport: 'grpc' });
    await j.close();
    const { spans, origins, result, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
    assert.equal(result.records, 2);
    assertSameSpans(spans.slice(0, 28), decodeTraceRequest(pb).spans);
    assertSameSpans(spans.slice(28), decodeTraceRequest(pb).spans);
    assert.deepEqual(origins.map(o => [o.transport, o.debugSessionId, o.path]), [['replay', 'abc', '/session/abc/v1/traces'], ['replay', undefined, undefined]]);
    await journal.close();
  });

  it('stores what it received cheaply: the record is about the size of the request', async () => {
    const dir = tmp.make();
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    await j.ready;
    j.append(pbBatch().spans, HTTP);
    await j.flush();
    const body = agentDemoPb().length;
    assert.ok(j.stats.bytes < body + 200, `${j.stats.bytes} bytes for a ${body}-byte request`);
    await j.close();
  });

  it('rebuilds an equivalent request from the span bytes', () => {
    const batch = pbBatch();
    const again = decodeTraceRequest(encodeTraceRequestProtobuf(batch.spans));
    assertSameSpans(again.spans, batch.spans);
    assert.equal(again.resources.length, batch.resources.length);
    assert.equal(again.scopes.length, batch.scopes.length);
  });

  it('re-encodes resource and scope attributes of every AnyValue kind exactly', () => {
    const attributes: KeyValue[] = [
      { key: 'service.name', value: 'svc' },
      { key: 'b', value: true },
      { key: 'i', value: -12345678901234n },
      { key: 'big', value: (1n << 63n) - 1n },
      { key: 'd', value: 0.25 },
      { key: 'bytes', value: new Uint8Array([0, 1, 255]) },
      { key: 'arr', value: ['x', 1n, [false], null] },
      { key: 'kv', value: { kvlist: [{ key: 'nested', value: { kvlist: [{ key: 'deep', value: 'y' }] } }] } },
      { key: 'empty', value: null },
    ];
    const resource: Resource = { attributes, droppedAttributesCount: 3, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', serviceName: 'svc' };
    const scope: Scope = { name: 'sc', version: '1.2', attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 1, schemaUrl: 'https://scope' };
    const spans = pbBatch().spans.map(s => {
      const bytes = s.protobufBytes()!;
      return new SpanClass({ ...(s as unknown as SpanInit), resource, scope }, undefined, bytes, 0, bytes.length, protobufDetailsCodec);
    });
    const again = decodeTraceRequest(encodeTraceRequestProtobuf(spans));
    assertSameSpans(again.spans, spans);
    assert.deepEqual(again.resources[0]!.attributes, attributes);
    assert.equal(again.resources[0]!.droppedAttributesCount, 3);
    assert.equal(again.resources[0]!.schemaUrl, resource.schemaUrl);
    assert.deepEqual(again.scopes[0], scope);
  });

  it('replays spans that came as JSON (no protobuf bytes) as JSON records', async () => {
    const dir = tmp.make();
    const batch = jsonBatch();
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    j.append(batch.spans, { transport: 'file', path: '/tmp/x.jsonl' });
    await j.close();
    const { spans, origins, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
    assertSameSpans(spans, batch.spans);
    assert.deepEqual(origins, [{ transport: 'replay', debugSessionId: undefined, path: '/tmp/x.jsonl' }]);
    await journal.close();
  });

  it('batches appends into few writes and never writes synchronously on append', async () => {
    const dir = tmp.make();
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB, flushDelayMs: 50 });
    await j.ready;
    const batch = pbBatch();
    for (let i = 0; i < 10; i++) j.append(batch.spans, HTTP);
    const file = join(dir, segmentsIn(dir).at(-1)!);
    assert.equal(fs.statSync(file).size, 0, 'nothing written during append');
    await new Promise(r => setTimeout(r, 120));
    assert.ok(fs.statSync(file).size > 0, 'written after the flush delay');
    await j.close();
  });

  it('stays within its size bound by dropping the oldest segments; replay returns the newest spans', async () => {
    const dir = tmp.make();
    const maxBytes = 96 * 1024;
    const j = new SpanJournal({ dir, maxBytes, segmentBytes: 16 * 1024 });
    const batches: SpanBatch[] = [];
    for (let i = 0; i < 40; i++) {
      const b = retraced(jsonBatch(), i + 1);
      batches.push(b);
      j.append(b.spans, HTTP);
      await j.flush();
    }
    const record = j.stats.bytes / j.stats.segments; // roughly
    assert.ok(j.stats.evictedSegments > 0, 'evicted something');
    await j.close();
    const total = segmentsIn(dir).reduce((n, f) => n + fs.statSync(join(dir, f)).size, 0);
    assert.ok(total <= maxBytes + 64 * 1024, `${total} bytes on disk (bound ${maxBytes}, ~${Math.round(record)} per segment)`);
    const { spans, result, journal } = await replayAll({ dir, maxBytes });
    assert.ok(result.spans > 0 && result.spans < 40 * 28, `${result.spans} spans replayed`);
    assert.equal(result.spans % 28, 0, 'whole records only');
    // What survives is the newest records, in order.
    const kept = result.spans / 28;
    assertSameSpans(spans, batches.slice(40 - kept).flatMap(b => b.spans));
    await journal.close();
  });

  it('tolerates a torn last record (crash mid-write): replays the whole records and cuts the tail', async () => {
    const dir = tmp.make();
    const batch = pbBatch();
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    j.append(batch.spans, HTTP);
    await j.flush();
    const file = join(dir, segmentsIn(dir).at(-1)!);
    const whole = fs.statSync(file).size;
    j.append(retraced(jsonBatch(), 7).spans, HTTP);
    await j.close();
    const full = fs.readFileSync(file);
    for (const cut of [whole + 5, whole + 20, full.length - 1]) {
      fs.writeFileSync(file, full.subarray(0, cut));
      const { spans, result, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
      assertSameSpans(spans, batch.spans, `cut at ${cut}`);
      assert.equal(result.damagedSegments, 1);
      assert.equal(fs.statSync(file).size, whole, 'the torn tail is cut off');
      await journal.close();
    }
    // Garbage instead of a record header is cut the same way.
    fs.writeFileSync(file, Buffer.concat([full.subarray(0, whole), Buffer.from('garbage garbage garbage')]));
    const { spans, result, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
    assertSameSpans(spans, batch.spans);
    assert.equal(result.damagedSegments, 1);
    await journal.close();
  });

  it('clear() forgets everything, also what was queued, and stops a replay', async () => {
    const dir = tmp.make();
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    j.append(pbBatch().spans, HTTP);
    await j.flush();
    j.append(retraced(jsonBatch(), 2).spans, HTTP);
    j.clear();
    const after = retraced(jsonBatch(), 3);
    j.append(after.spans, HTTP);
    await j.close();
    const { spans, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
    assertSameSpans(spans, after.spans);
    // A clear while replaying stops the replay.
    const sink: Span[] = [];
    const replaying = journal.replay(b => sink.push(...b.spans));
    journal.clear();
    const r = await replaying;
    assert.equal(r.stopped, true);
    assert.equal(sink.length, 0);
    await journal.close();
  });

  it('forget(traceIds) drops those traces at replay, keeps the rest and what arrives later', async () => {
    const dir = tmp.make();
    const a = retraced(jsonBatch(), 0xa);
    const b = retraced(jsonBatch(), 0xb);
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    j.append(a.spans, HTTP);
    j.append(b.spans, HTTP);
    const aTraces = [...new Set(a.spans.map(s => s.traceId))];
    j.forget(aTraces);
    // One span of a forgotten trace arriving afterwards is kept.
    const late = a.spans.slice(0, 1);
    j.append(late, HTTP);
    await j.close();
    const { spans, journal } = await replayAll({ dir, maxBytes: 64 * MiB });
    assertSameSpans(spans, [...b.spans, ...late]);
    await journal.close();
    // Also across a second restart (tombstones are on disk).
    const second = await replayAll({ dir, maxBytes: 64 * MiB });
    assertSameSpans(second.spans, [...b.spans, ...late]);
    await second.journal.close();
  });

  it('follows the store: clear() and clearRun() reach the journal through onDidClear', async () => {
    const dir = tmp.make();
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    const j = new SpanJournal({ dir, maxBytes: 64 * MiB });
    store.onDidClear(e => (e.all ? j.clear() : j.forget(e.traceIds)));
    const a = retraced(jsonBatch(), 0x1);
    const b = pbBatch();
    for (const batch of [a, b]) {
      store.ingest(batch, HTTP);
      j.append(batch.spans, HTTP);
    }
    assert.equal(store.runs().length, 1, 'one program execution: one run');
    store.clearRun(store.runs()[0]!);
    const c = retraced(jsonBatch(), 0x2);
    store.ingest(c, { transport: 'http', path: '/v1/traces' });
    j.append(c.spans, { transport: 'http', path: '/v1/traces' });
    await j.close();

    const replayedStore = new TraceStore({ scheduler: new ManualScheduler() });
    const again = new SpanJournal({ dir, maxBytes: 64 * MiB });
    const r = await again.replay((batch, origin) => replayedStore.ingest(batch, origin));
    assert.equal(r.spans, 28);
    assert.equal(replayedStore.stats.spans, 28);
    replayedStore.onDidClear(e => (e.all ? again.clear() : again.forget(e.traceIds)));
    replayedStore.clear();
    await again.close();
    const empty = await replayAll({ dir, maxBytes: 64 * MiB });
    assert.equal(empty.spans.length, 0);
    await empty.journal.close();
  });

  it('drops tombstones with the segments they cover', async () => {
    const dir = tmp.make();
    const j = new SpanJournal({ dir, maxBytes: 72 * 1024, segmentBytes: 14 * 1024 });
    const first = retraced(jsonBatch(), 1);
    j.append(first.spans, HTTP);
    j.forget([first.spans[0]!.traceId]);
    await j.flush();
    assert.ok(fs.readFileSync(join(dir, 'tombstones.jsonl'), 'utf8').length > 0);
    for (let i = 2; i < 40; i++) {
      j.append(retraced(jsonBatch(), i).spans, HTTP);
      await j.flush();
    }
    await j.close();
    assert.equal(fs.readFileSync(join(dir, 'tombstones.jsonl'), 'utf8'), '');
  });

  it('a folder it cannot use turns journaling off with one warning, without throwing', async () => {
    const dir = tmp.make();
    const file = join(dir, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const warnings: string[] = [];
    const j = new SpanJournal({ dir: file, maxBytes: MiB, log: { info: () => undefined, warn: m => warnings.push(m) } });
    j.append(pbBatch().spans, HTTP);
    await j.close();
    const r = await j.replay(() => assert.fail('nothing to replay'));
    assert.equal(r.spans, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /could not open the span journal/);
  });
});
