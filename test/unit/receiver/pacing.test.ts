// ReceivedBatch.waitUntil: a listener that cannot keep up holds the answer back until its promise settles (how
// `msgtrace record` paces senders while its file lags), on both transports; without it nothing waits.
import * as assert from 'node:assert/strict';
import { agentDemoPb } from '../otlp/fixtures';
import { type TestReceiver, grpcCall, post, startReceiver } from './receiverHarness';

describe('receiver pacing (waitUntil)', () => {
  let r: TestReceiver;
  let hold: Promise<unknown> | undefined;
  before(async () => {
    r = await startReceiver();
    r.receiver.onDidReceive(received => {
      if (hold) received.waitUntil(hold);
    });
  });
  after(() => r.receiver.dispose());

  for (const transport of ['http', 'grpc'] as const) {
    it(`${transport}: answers only once the listener's promise settles, whatever its outcome`, async () => {
      for (const outcome of ['resolve', 'reject'] as const) {
        let release!: () => void;
        hold = new Promise<void>((resolve, reject) => (release = outcome === 'resolve' ? resolve : () => reject(new Error('disk full'))));
        let answered = false;
        const call = (transport === 'http' ? post(r.httpPort, '/v1/traces', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb()).then(res => res.status) : grpcCall(r.grpcPort, agentDemoPb()).then(res => (res.err ? res.err.code : 200))).then(status => {
          answered = true;
          return status;
        });
        await new Promise(resolve => setTimeout(resolve, 150));
        assert.equal(answered, false, 'held back');
        release();
        assert.equal(await call, 200);
      }
      hold = undefined;
      const start = performance.now();
      assert.equal((await post(r.httpPort, '/v1/traces', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb())).status, 200);
      assert.ok(performance.now() - start < 1000);
    });
  }
});
