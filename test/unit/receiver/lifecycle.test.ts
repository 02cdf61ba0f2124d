// Ports, lifecycle and gRPC error mapping of OtlpReceiver.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { OtlpReceiver } from '../../../extension/src/receiver/otlpReceiver';
import { agentDemoPb } from '../otlp/fixtures';
import { grpcCall, post, startReceiver } from './receiverHarness';

describe('receiver lifecycle and gRPC', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanup) await c();
  });

  it('falls back to a free port when one is taken, says so, and fails instead with strictPorts', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise(resolve => blocker.close(() => resolve())));
    const taken = (blocker.address() as net.AddressInfo).port;
    const r = await startReceiver({ httpPort: taken, grpcPort: taken });
    cleanup.push(() => r.receiver.dispose());
    const a = r.receiver.addresses;
    assert.equal(a.http!.requestedPort, taken);
    assert.equal(a.http!.fallback, true);
    assert.notEqual(a.http!.port, taken);
    assert.equal(a.grpc!.fallback, true);
    assert.notEqual(a.grpc!.port, taken);
    assert.ok(r.warnings.some(w => w.includes(`port ${taken} is in use`)));
    assert.equal((await post(a.http!.port, '/', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb())).status, 200);

    const strict = new OtlpReceiver({ httpPort: taken, grpcPort: null, strictPorts: true });
    await assert.rejects(strict.start(), /EADDRINUSE/);
    assert.equal(strict.state, 'stopped');
  });

  it('refuses a non-loopback host unless allowed', async () => {
    const r = new OtlpReceiver({ host: '0.0.0.0', httpPort: 0, grpcPort: null });
    await assert.rejects(r.start(), /only loopback is allowed/);
    assert.equal(r.state, 'stopped');
  });

  it('does not leave HTTP listening when gRPC fails to bind', async () => {
    const r = new OtlpReceiver({ httpPort: 0, grpcPort: 70000 });
    await assert.rejects(r.start());
    assert.equal(r.state, 'stopped');
    assert.deepEqual(r.addresses, {});
  });

  it('stops, restarts on new ports and keeps counting', async () => {
    const r = await startReceiver();
    cleanup.push(() => r.receiver.dispose());
    const states: string[] = [];
    r.receiver.onDidChangeState(s => states.push(s));
    const first = r.receiver.addresses.http!.port;
    assert.equal((await post(first, '/', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb())).status, 200);
    await r.receiver.stop();
    await assert.rejects(post(first, '/', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb()), /ECONNREFUSED/);
    const again = await r.receiver.restart({ httpPort: 0, grpcPort: 0 });
    assert.equal((await post(again.http!.port, '/', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb())).status, 200);
    assert.equal(r.receiver.stats().spans, 56);
    assert.deepEqual(states, ['stopping', 'stopped', 'starting', 'running']);
  });

  it('gRPC: OK with an empty response for the capture, INVALID_ARGUMENT for bad data, RESOURCE_EXHAUSTED over the limit', async () => {
    const r = await startReceiver({ httpPort: null, maxBodyBytes: 64 * 1024 });
    cleanup.push(() => r.receiver.dispose());
    const ok = await grpcCall(r.grpcPort, agentDemoPb());
    assert.equal(ok.err, null);
    assert.equal(ok.res!.length, 0);
    assert.equal(r.received[0]!.batch.spans.length, 28);
    const bad = await grpcCall(r.grpcPort, agentDemoPb().subarray(0, 100));
    assert.equal(bad.err?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(bad.err!.details, /could not decode the protobuf ExportTraceServiceRequest: .*at byte/);
    const big = await grpcCall(r.grpcPort, Buffer.alloc(65 * 1024));
    assert.equal(big.err?.code, grpc.status.RESOURCE_EXHAUSTED);
    const again = await grpcCall(r.grpcPort, agentDemoPb());
    assert.equal(again.err, null);
    const s = r.receiver.stats();
    assert.equal(s.errors.badRequest, 1);
    assert.equal(s.spans, 56);
  });
});
