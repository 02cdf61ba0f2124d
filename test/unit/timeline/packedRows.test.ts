// The packed rows of the state message and the binary WebSocket frame that carries them on `msgtrace serve`:
// what the host packs, the page reads back exactly, and nothing malformed reads out of bounds.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { encodeFrame } from '../../../extension/src/cli/serveCommand';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import type { IpcMessage } from '../../../extension/src/protocol/ipc';
import { DidChangeStateNotification, type RowColumns, type TimelineState, emptyRows, packRows, unpackRows } from '../../../extension/src/protocol/timelineProtocol';
import { RowKeys, RowsBuilder, buildRows } from '../../../extension/src/timeline/timelineRows';
import { TimelineSession } from '../../../extension/src/timeline/timelineSession';
import { decodeFrame } from '../../../webview/src/frame';
import { agentRunRequest, ingestRequest, syntheticSpans } from '../../browser/timelineFixtures';

const plain = (c: RowColumns) => ({
  count: c.count,
  names: [...c.names],
  key: [...c.key],
  depth: [...c.depth],
  start: [...c.start],
  duration: [...c.duration],
  cls: [...c.cls],
  flags: [...c.flags],
  name: [...c.name],
  eventRow: [...c.eventRow],
  eventTime: [...c.eventTime],
  eventException: [...c.eventException],
});

const row = fc.record({
  depth: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 0xffff })),
  // Whole microseconds, as buildRows rounds them; some beyond what uint32 microseconds hold (71 minutes).
  start: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 0, max: 2 ** 40 })).map(us => us / 1000),
  duration: fc.integer({ min: 0, max: 4_000_000 }).map(us => us / 1000),
  cls: fc.integer({ min: 0, max: 6 }),
  flags: fc.integer({ min: 0, max: 127 }),
});

function columns(rows: { depth: number; start: number; duration: number; cls: number; flags: number }[], nameCount: number, shuffledKeys: boolean): RowColumns {
  const n = rows.length;
  return {
    count: n,
    key: Int32Array.from(rows, (_, i) => (shuffledKeys ? n - 1 - i + 7 : i)),
    depth: Uint16Array.from(rows, r => r.depth),
    start: Float64Array.from(rows, r => r.start),
    duration: Float64Array.from(rows, r => r.duration),
    cls: Uint8Array.from(rows, r => r.cls),
    flags: Uint8Array.from(rows, r => r.flags),
    name: Int32Array.from(rows, (_, i) => i % nameCount),
    names: Array.from({ length: nameCount }, (_, i) => `name ${i}`),
    eventRow: Int32Array.from(rows.slice(0, 3), (_, i) => i),
    eventTime: Float64Array.from(rows.slice(0, 3), r => r.start),
    eventException: Uint8Array.from(rows.slice(0, 3), (_, i) => i % 2),
  };
}

describe('packed timeline rows', () => {
  it('unpack(pack(columns)) gives the columns back (property)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.constantFrom(1, 300, 70_000), fc.boolean(), (rows, nameCount, shuffled) => {
        const c = columns(rows, nameCount, shuffled);
        assert.deepEqual(plain(unpackRows(packRows(c))), plain(c));
      }),
      { numRuns: 200 },
    );
  });

  it('is compact for a first build: whole microseconds, no keys, one-byte names', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ depth: i % 5, start: i, duration: 1.5, cls: 1, flags: 0 }));
    const packed = packRows(columns(rows, 8, false));
    // 4 + 4 (times) + 1 (name) + 1 (depth) + 1 + 1 (cls, flags) bytes a row, plus the header.
    assert.ok(packed.data.byteLength <= 1000 * 12 + 200, String(packed.data.byteLength));
    assert.equal(unpackRows(packed).key[999], 999);
  });

  it('reads an unaligned view and gives no rows for anything malformed', () => {
    const c = columns([{ depth: 0, start: 1, duration: 2, cls: 3, flags: 4 }], 1, true);
    const packed = packRows(c);
    const bytes = new Uint8Array(packed.data as ArrayBuffer);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    assert.deepEqual(plain(unpackRows({ ...packed, data: shifted.subarray(3) })), plain(c));
    assert.equal(unpackRows({ ...packed, data: bytes.slice(0, bytes.length - 8) }).count, 0);
    assert.equal(unpackRows({ ...packed, count: 2 }).count, 0);
    assert.equal(unpackRows({ count: 0, names: [], data: 'x' as unknown as ArrayBuffer }).count, 0);
    assert.equal(unpackRows(emptyRows()).count, 0);
  });
});

describe('binary frames of msgtrace serve', () => {
  it('carries a state with its buffer, and leaves other messages to JSON text', () => {
    const rows = packRows(columns([{ depth: 0, start: 1, duration: 2, cls: 3, flags: 4 }], 1, false));
    const hostile = '{"$binary":0}';
    const message = DidChangeStateNotification.create({ title: hostile, message: '', runs: [], runId: 1, receiving: false, originMs: 0, rows: { ...rows, names: [hostile] }, canOpenSource: false });
    const frame = encodeFrame(message)!;
    const copy = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer;
    const back = decodeFrame(copy) as IpcMessage<string, TimelineState>;
    assert.ok(DidChangeStateNotification.is(back));
    assert.equal(back.params.title, hostile);
    assert.deepEqual(back.params.rows.names, [hostile]);
    assert.ok(back.params.rows.data instanceof Uint8Array);
    assert.equal((back.params.rows.data as Uint8Array).byteOffset % 8, 0);
    assert.deepEqual(plain(unpackRows(back.params.rows)), plain(unpackRows({ ...rows, names: [hostile] })));
    assert.equal(encodeFrame({ method: 'report/didShow', params: { message: 'x' } }), undefined);
    assert.throws(() => decodeFrame(copy.slice(0, 12)));
  });
});

describe('rows built ahead', () => {
  it('a builder run in slices gives what buildRows gives', () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    store.ingestSpans(syntheticSpans(3000), { transport: 'test' });
    store.flush();
    const run = store.runs()[0]!;
    const builder = new RowsBuilder(store, run, new RowKeys());
    let slices = 0;
    while (!builder.step(700)) slices++;
    assert.equal(slices, 4);
    assert.deepEqual(plain(builder.columns()), plain(buildRows(store, run, new RowKeys())));
  });

  it('a session builds its run ahead in slices while the page loads, and sends the same rows', async () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    store.ingestSpans(syntheticSpans(9000), { transport: 'test' });
    store.flush();
    const posted: IpcMessage[] = [];
    const session = new TimelineSession(store, { post: m => posted.push(m) });
    session.buildAhead();
    await new Promise(resolve => setImmediate(resolve));
    session.handle({ method: 'webview/ready', params: {} });
    const state = posted.find(m => DidChangeStateNotification.is(m))!.params as TimelineState;
    assert.deepEqual(plain(unpackRows(state.rows)), plain(buildRows(store, store.runs()[0]!, new RowKeys())));
    session.dispose();
  });

  it('a session uses prepared rows of its run, and drops them when the store changes first', () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    ingestRequest(store, agentRunRequest('/ws/demo.py'));
    store.flush();
    const run = store.runs()[0]!;
    const start = (prepared: RowsBuilder) => {
      const posted: IpcMessage[] = [];
      const session = new TimelineSession(store, { post: m => posted.push(m) }, undefined, prepared);
      return { session, posted };
    };
    const prepared = new RowsBuilder(store, run, new RowKeys());
    const used = start(prepared);
    let stepped = 0;
    const step = prepared.step.bind(prepared);
    prepared.step = limit => {
      stepped++;
      return step(limit);
    };
    used.session.handle({ method: 'webview/ready', params: {} });
    assert.equal(stepped, 1);
    const state = used.posted.find(m => DidChangeStateNotification.is(m))!.params as TimelineState;
    assert.deepEqual(plain(unpackRows(state.rows)), plain(buildRows(store, run, new RowKeys())));

    const stale = new RowsBuilder(store, run, new RowKeys());
    const dropped = start(stale);
    store.ingestSpans(syntheticSpans(5, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'), { transport: 'test' });
    store.flush();
    stale.step = () => assert.fail('stale rows were used');
    dropped.session.handle({ method: 'webview/ready', params: {} });
    assert.ok(dropped.posted.some(m => DidChangeStateNotification.is(m)));
  });
});
