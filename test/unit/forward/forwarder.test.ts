// Forwarding for real, on loopback: the real OpenTelemetry JS exporters send into one msgtrace receiver, which
// tees every acknowledged request into a Forwarder whose upstream is a second msgtrace receiver (or, for the
// answers a receiver never gives, a small server that gives them). The upstream must get exactly the
// acknowledged requests, byte for byte and in order.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import * as protobuf from 'protobufjs';
import { RpcCode, encodeStatus } from '../../../extension/src/core/otlp/responses';
import type { ForwardState } from '../../../extension/src/forward/forwarder';
import { agentDemoPb } from '../otlp/fixtures';
import { type TestReceiver, post, startReceiver } from '../receiver/receiverHarness';
import { type Tee, deadPort, exportWith, makeSpans, startTee, until } from './forwardHarness';

const PB = { 'Content-Type': 'application/x-protobuf' };

/** Sends through each real exporter in turn (each waits for its answer), plus the real msgflux capture, plain and gzip. */
async function sendEverything(tee: Tee): Promise<void> {
  const port = tee.local.httpPort;
  const exporters: [string, () => SpanExporter][] = [
    ['proto', () => new ProtoExporter({ url: `http://127.0.0.1:${port}/v1/traces` })],
    ['proto-gzip', () => new ProtoExporter({ url: `http://127.0.0.1:${port}/v1/traces`, compression: 'gzip' as never })],
    ['json', () => new JsonExporter({ url: `http://127.0.0.1:${port}/v1/traces` })],
    ['grpc', () => new GrpcExporter({ url: `http://127.0.0.1:${tee.local.grpcPort}` })],
    ['grpc-gzip', () => new GrpcExporter({ url: `http://127.0.0.1:${tee.local.grpcPort}`, compression: 'gzip' as never })],
  ];
  for (const [tag, make] of exporters) {
    const exporter = make();
    try {
      await exportWith(exporter, makeSpans(tag));
    } finally {
      await exporter.shutdown();
    }
  }
  assert.equal((await post(port, '/v1/traces', PB, agentDemoPb())).status, 200);
  assert.equal((await post(port, '/v1/traces', { ...PB, 'Content-Encoding': 'gzip' }, zlib.gzipSync(agentDemoPb()))).status, 200);
}

function upstreamBodies(upstream: TestReceiver): Buffer[] {
  return upstream.received.map(r => Buffer.from(r.batch.columns.body));
}

describe('forwarding to a second msgtrace receiver (real exporters in, loopback)', function () {
  this.timeout(30_000);
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  const upstream = async (options = {}) => {
    const u = await startReceiver(options);
    cleanup.push(() => u.receiver.dispose());
    return u;
  };
  const tee = async (...args: Parameters<typeof startTee>) => {
    const t = await startTee(...args);
    cleanup.push(() => t.close());
    return t;
  };

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`${protocol}: the upstream receives exactly the acknowledged requests, byte for byte, in order`, async () => {
      const u = await upstream();
      const t = await tee({ endpoint: protocol === 'grpc' ? `127.0.0.1:${u.grpcPort}` : `http://127.0.0.1:${u.httpPort}/v1/traces`, protocol });
      await sendEverything(t);
      assert.equal(await t.forwarder.flush(10_000), true);
      const sent = t.bodies();
      assert.equal(sent.length, 7);
      assert.deepEqual(upstreamBodies(u), sent);
      // And against bytes known independently of the local receiver: the capture as posted (the gzip one inflated).
      assert.deepEqual(upstreamBodies(u).slice(-2), [agentDemoPb(), agentDemoPb()]);
      assert.ok(u.received.every(r => r.transport === (protocol === 'grpc' ? 'grpc' : 'http') && r.encoding === 'protobuf'));
      const s = t.forwarder.stats();
      const spans = t.local.received.reduce((n, r) => n + r.batch.columns.count, 0);
      assert.deepEqual([s.sent, s.dropped, s.failed, s.retries, s.state], [{ requests: 7, spans }, { requests: 0, spans: 0 }, { requests: 0, spans: 0 }, 0, 'healthy']);
      assert.deepEqual(s.queued, { requests: 0, spans: 0, bytes: 0 });
      assert.equal(u.receiver.stats().spans, spans);
    });
  }

  it('copies what it queues: the caller may reuse its buffer at once, and pooled memory is reused without mixing requests', async () => {
    const u = await upstream();
    const t = await tee({ endpoint: `http://127.0.0.1:${u.httpPort}/v1/traces`, initialBackoffMs: 5000 });
    const capture = agentDemoPb();
    const scratch = Buffer.from(capture);
    for (let i = 0; i < 20; i++) {
      t.forwarder.enqueue(scratch, 1);
      scratch.fill(0xff);
      scratch.set(capture);
    }
    assert.equal(await t.forwarder.flush(10_000), true);
    assert.equal(u.received.length, 20);
    for (const body of upstreamBodies(u)) assert.deepEqual(body, capture);
  });

  it('upstream not listening for a while: retried with backoff, delivered in order once it listens', async () => {
    const port = await deadPort();
    const t = await tee({ endpoint: `http://127.0.0.1:${port}/v1/traces` });
    const states: ForwardState[] = [];
    t.forwarder.onDidChangeState(s => states.push(s));
    await sendEverything(t);
    await until('a few retries', () => t.forwarder.stats().retries >= 3);
    assert.equal(t.forwarder.state, 'retrying');
    assert.match(t.forwarder.stats().lastError, /ECONNREFUSED/);
    assert.ok(t.logs.some(l => /^warn forward: http:\/\/127\.0\.0\.1:\d+\/v1\/traces: .*ECONNREFUSED.*retrying in/.test(l)), t.logs.join('\n'));
    const u = await upstream({ httpPort: port, grpcPort: null, strictPorts: true });
    assert.equal(await t.forwarder.flush(10_000), true);
    assert.deepEqual(upstreamBodies(u), t.bodies());
    assert.deepEqual(states, ['retrying', 'healthy']);
    assert.ok(t.logs.some(l => /^info forward: .* accepts requests again after/.test(l)));
    assert.equal(t.forwarder.stats().dropped.requests, 0);
  });

  it('gRPC upstream not listening for a while: retried, delivered once it listens', async () => {
    const port = await deadPort();
    const t = await tee({ endpoint: `127.0.0.1:${port}`, protocol: 'grpc' });
    await sendEverything(t);
    await until('a few retries', () => t.forwarder.stats().retries >= 2);
    assert.match(t.forwarder.stats().lastError, /^gRPC UNAVAILABLE/);
    const u = await upstream({ grpcPort: port, httpPort: null, strictPorts: true });
    assert.equal(await t.forwarder.flush(10_000), true);
    assert.deepEqual(upstreamBodies(u), t.bodies());
  });

  it('503 with Retry-After: waits as long as the upstream asks, then delivers; headers reach the upstream', async () => {
    const arrivals: { at: number; body: Buffer; auth: string | undefined }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        arrivals.push({ at: Date.now(), body: Buffer.concat(chunks), auth: req.headers.authorization });
        if (arrivals.length <= 2) res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'application/x-protobuf' }).end(encodeStatus('protobuf', RpcCode.Unavailable, 'warming up'));
        else res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>(resolve => server.close(() => resolve())));
    const t = await tee({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, headers: { Authorization: 'Bearer s3cret' } });
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal(await t.forwarder.flush(10_000), true);
    assert.equal(arrivals.length, 3);
    assert.ok(arrivals[1]!.at - arrivals[0]!.at >= 950, `second attempt ${arrivals[1]!.at - arrivals[0]!.at} ms after the first`);
    assert.ok(arrivals[2]!.at - arrivals[1]!.at >= 950);
    for (const a of arrivals) assert.deepEqual([a.body, a.auth], [agentDemoPb(), 'Bearer s3cret']);
    const s = t.forwarder.stats();
    assert.deepEqual([s.sent.requests, s.retries, s.failed.requests], [1, 2, 0]);
    assert.ok(t.logs.some(l => l.includes('HTTP 503: warming up; retrying in 1.0 s as the upstream asked')), t.logs.join('\n'));
  });

  it('a non-retryable answer (400) is counted as failed and logged with the upstream\'s message; the next request goes on', async () => {
    let n = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (n++ === 0) res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 3, message: 'span name too long' }));
        else res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>(resolve => server.close(() => resolve())));
    const t = await tee({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal(await t.forwarder.flush(5000), true);
    assert.equal(t.forwarder.state, 'failing');
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal(await t.forwarder.flush(5000), true);
    const s = t.forwarder.stats();
    const spans = t.local.received[0]!.batch.columns.count;
    assert.deepEqual([s.failed, s.sent, s.retries, s.state], [{ requests: 1, spans }, { requests: 1, spans }, 0, 'healthy']);
    assert.ok(t.logs.some(l => l.startsWith('error forward:') && l.includes('HTTP 400: span name too long (not retried)')), t.logs.join('\n'));
  });

  it('gRPC: UNAVAILABLE with a RetryInfo waits the delay it names; RESOURCE_EXHAUSTED without one is not retried', async () => {
    const arrivals: { at: number; body: Buffer; tenant: string }[] = [];
    const server = new grpc.Server();
    const id = (b: Buffer) => b;
    const retryInfo = (ms: number) => {
      const duration = protobuf.Writer.create().uint32(8).int64(Math.floor(ms / 1000)).uint32(16).int32((ms % 1000) * 1e6).finish();
      const info = protobuf.Writer.create().uint32(10).bytes(duration).finish();
      const any = protobuf.Writer.create().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(info).finish();
      return Buffer.from(protobuf.Writer.create().uint32(8).int32(14).uint32(18).string('busy').uint32(26).bytes(any).finish());
    };
    server.addService(
      { Export: { path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export', requestStream: false, responseStream: false, requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id } },
      {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
          arrivals.push({ at: Date.now(), body: call.request, tenant: String(call.metadata.get('x-scope-orgid')[0]) });
          const metadata = new grpc.Metadata();
          if (arrivals.length === 1) {
            metadata.set('grpc-status-details-bin', retryInfo(700));
            cb({ code: grpc.status.UNAVAILABLE, details: 'busy', metadata });
          } else if (arrivals.length === 3) cb({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'message too large' });
          else cb(null, Buffer.alloc(0));
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    cleanup.push(() => server.forceShutdown());
    const t = await tee({ endpoint: `127.0.0.1:${port}`, protocol: 'grpc', headers: { 'X-Scope-OrgID': 'team-a' } });
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal(await t.forwarder.flush(5000), true);
    assert.equal(arrivals.length, 2);
    assert.ok(arrivals[1]!.at - arrivals[0]!.at >= 680, `retried after ${arrivals[1]!.at - arrivals[0]!.at} ms`);
    assert.deepEqual(arrivals.map(a => [a.body, a.tenant]), [[agentDemoPb(), 'team-a'], [agentDemoPb(), 'team-a']]);
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal(await t.forwarder.flush(5000), true);
    assert.equal(arrivals.length, 3);
    const s = t.forwarder.stats();
    assert.deepEqual([s.sent.requests, s.retries, s.failed.requests, s.state], [1, 1, 1, 'failing']);
    assert.match(s.lastError, /^gRPC RESOURCE_EXHAUSTED: message too large/);
  });

  it('upstream down for good: the queue stays within its bound, drops the oldest and counts them, local ingest is unaffected', async () => {
    const body = agentDemoPb();
    const spansPer = (await startReceiver().then(async r => {
      await post(r.httpPort, '/v1/traces', PB, body);
      const n = r.received[0]!.batch.columns.count;
      await r.receiver.dispose();
      return n;
    }));
    const bound = body.length * 5 + 100;
    const t = await tee({ endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces`, maxQueueBytes: bound, failingAfterMs: 300 });
    // The time local ingest spends in enqueue, per request.
    const enqueue = t.forwarder.enqueue.bind(t.forwarder);
    const costs: number[] = [];
    t.forwarder.enqueue = (b, s) => {
      const t0 = performance.now();
      enqueue(b, s);
      costs.push(performance.now() - t0);
    };
    const plain = await startReceiver();
    cleanup.push(() => plain.receiver.dispose());
    const n = 300;
    // Side by side, one request each in turn, so that the load of a shared machine falls on both alike.
    const latency = { teed: [] as number[], plain: [] as number[] };
    const timed = async (port: number, into: number[]) => {
      const t0 = performance.now();
      assert.equal((await post(port, '/v1/traces', PB, body)).status, 200);
      into.push(performance.now() - t0);
    };
    for (let i = 0; i < n; i++) {
      await timed(t.local.httpPort, latency.teed);
      await timed(plain.httpPort, latency.plain);
    }
    const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    const withForward = middle(latency.teed);
    const without = middle(latency.plain);
    const s = t.forwarder.stats();
    assert.equal(t.local.received.length, n, 'every request acknowledged and delivered locally');
    assert.ok(s.queued.bytes <= bound, `${s.queued.bytes} queued bytes > bound ${bound}`);
    assert.equal(s.queued.requests, 5);
    assert.equal(s.sent.requests, 0);
    assert.equal(s.dropped.requests + s.queued.requests + s.failed.requests, n);
    assert.equal(s.dropped.spans, s.dropped.requests * spansPer);
    assert.ok(s.state === 'retrying' || s.state === 'failing');
    assert.ok(t.logs.some(l => l.startsWith(`warn forward: the queue for http://127.0.0.1:`) && l.includes('is full')), t.logs.join('\n'));
    const maxCost = Math.max(...costs);
    console.log(`      ${n} requests each: median latency ${without.toFixed(2)} ms without forwarding, ${withForward.toFixed(2)} ms teed to a dead upstream; enqueue max ${maxCost.toFixed(3)} ms, mean ${(costs.reduce((a, b) => a + b, 0) / costs.length).toFixed(4)} ms`);
    // Percentiles, not the maximum: a garbage collection or the scheduler of a shared machine can land in any call.
    const p95 = [...costs].sort((x, y) => x - y)[Math.floor(costs.length * 0.95)]!;
    assert.ok(p95 < 0.5, `enqueue p95 ${p95} ms`);
    // Loose: a shared 2-core machine; the benchmark measures the overhead properly (bench/suites/forward.ts).
    assert.ok(withForward < without * 1.5 + 0.5, `median latency with a dead upstream ${withForward} ms vs ${without} ms without`);
    await until('failing after failingAfterMs', () => t.forwarder.state === 'failing');
  });

  it('a request retried past maxElapsedMs is given up and counted as failed', async () => {
    const t = await tee({ endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces`, maxElapsedMs: 400 });
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    await until('given up', () => t.forwarder.stats().failed.requests === 1);
    assert.equal(t.forwarder.state, 'failing');
    assert.ok(t.logs.some(l => /^error forward: .* did not take 1 request \(\d+ spans\): .*ECONNREFUSED.*\(given up after \d+ attempts/.test(l)), t.logs.join('\n'));
  });

  it('configure() to a working endpoint delivers what waited for the wrong one, in order', async () => {
    const t = await tee({ endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces`, initialBackoffMs: 5000, maxBackoffMs: 5000 });
    for (let i = 0; i < 3; i++) assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    await sendEverything(t);
    await until('retrying', () => t.forwarder.state === 'retrying');
    const u = await upstream();
    t.forwarder.configure({ ...t.forwarder.options, endpoint: `127.0.0.1:${u.grpcPort}`, protocol: 'grpc' });
    // Long backoff: only configure() waking the retry can deliver within the flush.
    assert.equal(await t.forwarder.flush(3000), true);
    assert.deepEqual(upstreamBodies(u), t.bodies());
  });

  it('configure() during an attempt: the old endpoint\'s refusal does not count, the new one gets the request', async () => {
    const slowRefusal = http.createServer((req, res) => {
      req.resume();
      setTimeout(() => res.writeHead(401).end('bad token'), 300);
    });
    await new Promise<void>(resolve => slowRefusal.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>(resolve => slowRefusal.close(() => resolve())));
    const u = await upstream();
    const t = await tee({ endpoint: `http://127.0.0.1:${(slowRefusal.address() as AddressInfo).port}/v1/traces` });
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    await new Promise(r => setTimeout(r, 100));
    t.forwarder.configure({ ...t.forwarder.options, endpoint: `http://127.0.0.1:${u.httpPort}/v1/traces` });
    assert.equal(await t.forwarder.flush(5000), true);
    assert.deepEqual(upstreamBodies(u), [agentDemoPb()]);
    const s = t.forwarder.stats();
    assert.deepEqual([s.sent.requests, s.failed.requests, s.state], [1, 0, 'healthy']);
  });

  it('dispose() counts what is still queued as dropped and says so', async () => {
    const t = await tee({ endpoint: `http://127.0.0.1:${await deadPort()}/v1/traces` });
    for (let i = 0; i < 3; i++) assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    const spans = t.local.received.reduce((n, r) => n + r.batch.columns.count, 0);
    assert.equal(await t.forwarder.flush(100), false);
    t.forwarder.dispose();
    assert.deepEqual(t.forwarder.stats().dropped, { requests: 3, spans });
    assert.ok(t.logs.some(l => l.startsWith(`warn forward: stopped with 3 requests (${spans} spans) not forwarded`)));
  });

  it('https: endpoints speak TLS (a plain HTTP server on the other end is a TLS error, retried)', async () => {
    const u = await upstream();
    const t = await tee({ endpoint: `https://127.0.0.1:${u.httpPort}/v1/traces` });
    assert.equal((await post(t.local.httpPort, '/v1/traces', PB, agentDemoPb())).status, 200);
    await until('a retry', () => t.forwarder.stats().retries >= 1);
    assert.match(t.forwarder.stats().lastError, /EPROTO|SSL|TLS|wrong version/i);
    assert.equal(u.received.length, 0);
  });
});
