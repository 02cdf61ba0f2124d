// connectIngest: what the extension host and `msgtrace serve` both use to feed the store from the receiver.
import * as assert from 'node:assert/strict';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { connectIngest, ingestOrigin } from '../../../extension/src/receiver/ingestConnection';
import { agentDemoJson, agentDemoPb } from '../otlp/fixtures';
import { type TestReceiver, grpcCall, post, startReceiver } from './receiverHarness';

const PB = { 'Content-Type': 'application/x-protobuf' };

/** The capture with every trace id changed, so the store does not take its spans for ones it has. */
function otherTraces(salt: number): Buffer {
  const pb = Buffer.from(agentDemoPb());
  for (const rs of agentDemoJson().resourceSpans as { scopeSpans: { spans: { traceId: string }[] }[] }[]) {
    for (const span of rs.scopeSpans.flatMap(ss => ss.spans)) pb[pb.indexOf(Buffer.from(span.traceId, 'hex')) + 15] ^= salt;
  }
  return pb;
}

describe('connectIngest', () => {
  let r: TestReceiver;
  let store: TraceStore;
  beforeEach(async () => {
    r = await startReceiver();
    store = new TraceStore();
  });
  afterEach(async () => {
    await r.receiver.dispose();
    store.dispose();
  });

  it('stores every batch, tagged with the debug session of its path, on both transports', async () => {
    const errors: string[] = [];
    const connection = connectIngest(r.receiver, store, { info() {}, warn() {}, error: m => errors.push(m) });
    assert.equal((await post(r.httpPort, '/session/f5-1/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal((await post(r.httpPort, '/v1/traces', PB, otherTraces(1))).status, 200);
    assert.equal((await grpcCall(r.grpcPort, otherTraces(2))).err, null);
    await connection.idle();
    const session = store.runs().filter(run => run.debugSessionId === 'f5-1');
    assert.equal(session.length, 1);
    assert.equal(session[0]!.spanCount, 28);
    assert.deepEqual(session[0]!.origin, { transport: 'http', path: '/session/f5-1/v1/traces', debugSessionId: 'f5-1' });
    const others = store.runs().filter(run => run.debugSessionId === undefined);
    assert.equal(others.reduce((sum, run) => sum + run.spanCount, 0), 56);
    assert.equal(store.stats.spans, 84);
    assert.deepEqual(errors, []);
    connection.dispose();
  });

  it('stops storing once disposed', async () => {
    const connection = connectIngest(r.receiver, store, { info() {}, warn() {}, error() {} });
    connection.dispose();
    assert.equal((await post(r.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    await connection.idle();
    assert.equal(store.runs().length, 0);
  });

  it('ingestOrigin: the session comes from the path, nothing else does', async () => {
    assert.equal((await post(r.httpPort, '/session/abc_D-9/v1/traces', PB, agentDemoPb())).status, 200);
    const received = r.received.at(-1)!;
    assert.deepEqual(ingestOrigin(received), { transport: 'http', path: '/session/abc_D-9/v1/traces', debugSessionId: 'abc_D-9' });
    assert.deepEqual(ingestOrigin({ ...received, path: '/v1/traces' }), { transport: 'http', path: '/v1/traces', debugSessionId: undefined });
    assert.deepEqual(ingestOrigin({ ...received, path: '/session/x/../v1/traces' }).debugSessionId, 'x');
  });
});
