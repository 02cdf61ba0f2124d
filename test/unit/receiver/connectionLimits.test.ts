// Connection limits with real sockets on loopback (docs/receiver.md#connection-limits): a flood of idle
// keep-alive sockets is capped and a real exporter is still served; silent sockets are closed after the headers
// timeout and idle keep-alive connections after the idle timeout, on both transports; when every connection is
// busy a new one is refused, and served again once there is room.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { agentDemoPb } from '../otlp/fixtures';
import { GRPC_PATHS, grpcCall, post, startReceiver } from './receiverHarness';

const PB = 'application/x-protobuf';

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the socket is closed by the other side (or errors), with the time it took. */
function closedBy(socket: net.Socket): Promise<number> {
  const t0 = performance.now();
  return new Promise(resolve => {
    if (socket.destroyed) return resolve(0);
    socket.on('error', () => undefined);
    socket.once('close', () => resolve(performance.now() - t0));
    socket.resume();
  });
}

/** One keep-alive request on a raw socket (logs: accepted, never decoded); resolves on the answer's status line. */
function keepAliveRequest(socket: net.Socket, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text.split('\r\n')[0]!);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(`POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${PB}\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n`);
  });
}

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
};

describe('receiver connection limits', function () {
  this.timeout(60_000);

  it('caps 2,000 idle keep-alive sockets at the default limit and still serves a real exporter', async () => {
    const r = await startReceiver({ grpcPort: null });
    const sockets: net.Socket[] = [];
    let closed = 0;
    try {
      for (let i = 0; i < 2_000; i++) {
        const s = await connect(r.httpPort).catch(() => undefined);
        if (!s) continue;
        sockets.push(s);
        s.on('error', () => undefined);
        s.once('close', () => closed++);
        // Every tenth one sends a request and stays open as a keep-alive socket; the others stay silent.
        if (i % 10 === 0) await keepAliveRequest(s, r.httpPort).catch(() => undefined);
        if (i % 200 === 199) {
          // Meanwhile a real exporter's request goes through.
          assert.equal((await post(r.httpPort, '/v1/traces', { 'Content-Type': PB }, agentDemoPb())).status, 200);
        }
      }
      const c = r.receiver.stats().connections.http;
      assert.ok(c.open <= 256, `open: ${c.open}`);
      await until('the client to see the closed sockets', () => sockets.length - closed <= 256);
      assert.ok(c.evicted + c.refused >= 2_000 - 256 - 20, JSON.stringify(c));
      assert.equal((await post(r.httpPort, '/v1/traces', { 'Content-Type': PB }, agentDemoPb())).status, 200);
      assert.equal(r.receiver.stats().traceRequests, 11);
    } finally {
      for (const s of sockets) s.destroy();
      await r.receiver.dispose();
    }
  });

  for (const transport of ['http', 'grpc'] as const) {
    it(`${transport}: closes silent sockets after the headers timeout while an exporter is served`, async () => {
      const r = await startReceiver({ headersTimeoutMs: 600, idleTimeoutMs: 60_000 });
      try {
        const port = transport === 'http' ? r.httpPort : r.grpcPort;
        const silent = await Promise.all(Array.from({ length: 50 }, () => connect(port)));
        const closing = silent.map(closedBy);
        const served = transport === 'http' ? (await post(r.httpPort, '/', { 'Content-Type': PB }, agentDemoPb())).status : (await grpcCall(r.grpcPort, agentDemoPb())).err?.code ?? 200;
        assert.equal(served, 200);
        const times = await Promise.all(closing);
        // Node checks its headers timeout every second; the gate's own timer closes them at 600 ms.
        assert.ok(Math.max(...times) < 2_500, `closed after ${Math.max(...times).toFixed(0)} ms`);
        assert.ok(Math.min(...times) >= 500, `closed early, after ${Math.min(...times).toFixed(0)} ms`);
      } finally {
        await r.receiver.dispose();
      }
    });
  }

  it('http: closes an idle keep-alive connection after the idle timeout, not before', async () => {
    const r = await startReceiver({ grpcPort: null, idleTimeoutMs: 800 });
    try {
      const s = await connect(r.httpPort);
      assert.match(await keepAliveRequest(s, r.httpPort), /^HTTP\/1\.1 200/);
      const ms = await closedBy(s);
      assert.ok(ms > 600 && ms < 2_500, `closed after ${ms.toFixed(0)} ms`);
    } finally {
      await r.receiver.dispose();
    }
  });

  it('grpc: an idle connection is closed after the idle timeout, and the client reconnects for the next call', async () => {
    const r = await startReceiver({ httpPort: null, idleTimeoutMs: 500 });
    const id = (b: Buffer) => b;
    const Client = grpc.makeGenericClientConstructor(
      { Export: { path: GRPC_PATHS.traces, requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } },
      'TraceService',
    );
    const client = new Client(`127.0.0.1:${r.grpcPort}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & { Export(b: Buffer, cb: (e: grpc.ServiceError | null) => void): void };
    const call = () => new Promise<grpc.ServiceError | null>(resolve => client.Export(agentDemoPb(), resolve));
    try {
      assert.equal(await call(), null);
      const t0 = performance.now();
      await until('the idle connection to close', () => r.receiver.stats().connections.grpc.open === 0, 5_000);
      const ms = performance.now() - t0;
      assert.ok(ms > 300, `closed after ${ms.toFixed(0)} ms`);
      assert.equal(await call(), null, 'the same client reconnects');
      assert.equal(r.receiver.stats().connections.grpc.accepted, 2);
    } finally {
      client.close();
      await r.receiver.dispose();
    }
  });

  it('refuses a new connection when every open one is busy, and serves again once one is free', async () => {
    const r = await startReceiver({ grpcPort: null, maxConnections: 4, requestTimeoutMs: 1_500 });
    const slow: net.Socket[] = [];
    try {
      // Four slow uploads: each connection has a request in flight (its body never completes).
      for (let i = 0; i < 4; i++) {
        const s = await connect(r.httpPort);
        s.on('error', () => undefined);
        s.write(`POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: ${PB}\r\nContent-Length: 1000\r\n\r\nabc`);
        slow.push(s);
        await until('the request to start', () => r.receiver.stats().httpRequests === i + 1);
      }
      assert.equal(r.receiver.stats().connections.http.open, 4);
      const refused = await connect(r.httpPort).then(closedBy, () => 0);
      assert.ok(refused < 1_000, 'closed at once');
      assert.ok(r.receiver.stats().connections.http.refused >= 1);
      // The slow uploads are answered 408 at their deadline and closed; then there is room again.
      await Promise.all(slow.map(closedBy));
      assert.equal((await post(r.httpPort, '/v1/traces', { 'Content-Type': PB }, agentDemoPb())).status, 200);
    } finally {
      for (const s of slow) s.destroy();
      await r.receiver.dispose();
    }
  });
});
