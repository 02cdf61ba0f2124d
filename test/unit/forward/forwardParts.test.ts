// The forwarder's pieces on their own: the queue, the retry rules, endpoints and the upstream's answers.
import * as assert from 'node:assert/strict';
import * as protobuf from 'protobufjs';
import { RpcCode, encodeExportResponse, encodeStatus } from '../../../extension/src/core/otlp/responses';
import { ForwardConfigError, parseEndpoint, resolveForwardOptions } from '../../../extension/src/forward/forwardOptions';
import { describeForwardStats, formatMiB } from '../../../extension/src/forward/forwarder';
import { BufferPool, sizeClass } from '../../../extension/src/forward/bufferPool';
import { RequestQueue } from '../../../extension/src/forward/requestQueue';
import { GrpcCode, backoffDelay, isRetryableGrpc, parseRetryAfter } from '../../../extension/src/forward/retryPolicy';
import { decodePartialSuccess, decodeRpcStatus, partialSuccessOfJson } from '../../../extension/src/forward/upstreamAnswers';

describe('forward: the request queue', () => {
  it('is first in first out, sums bytes and spans, and stays O(1) over many pushes and shifts', () => {
    const q = new RequestQueue();
    let next = 0;
    let expect = 0;
    const t0 = performance.now();
    for (let round = 0; round < 60_000; round++) {
      q.push({ body: new Uint8Array(round % 7), spans: 1 });
      if (round % 3 !== 0) assert.equal(q.shift()!.body.length, expect++ % 7);
      next++;
    }
    assert.equal(q.length, next - expect);
    assert.equal(q.spans, q.length);
    let bytes = 0;
    for (let i = expect; i < next; i++) bytes += i % 7;
    assert.equal(q.bytes, bytes);
    assert.ok(performance.now() - t0 < 2000);
    assert.deepEqual(q.clear(), { requests: next - expect, spans: next - expect, bytes });
    assert.equal(q.shift(), undefined);
    assert.deepEqual([q.length, q.bytes, q.spans], [0, 0, 0]);
  });
});

describe('forward: the buffer pool', () => {
  it('rounds sizes up by at most a quarter, and reuses what was given back, within its bound', () => {
    assert.deepEqual([1, 1024, 1025, 4096, 4097, 247_808, 1 << 20].map(sizeClass), [1024, 1024, 1280, 4096, 5120, 262_144, 1 << 20]);
    for (let size = 1; size < 5_000_000; size = Math.ceil(size * 1.37)) {
      const c = sizeClass(size);
      assert.ok(c >= size && (size <= 1024 || c <= size * 1.25 + 1), `${size} -> ${c}`);
    }
    const pool = new BufferPool(600_000);
    const a = pool.take(247_808);
    assert.equal(a.length, 262_144);
    pool.give(a);
    assert.equal(pool.take(250_000), a, 'the same class is reused');
    const b = pool.take(250_000);
    const c = pool.take(250_000);
    assert.equal(new Set([a, b, c]).size, 3);
    // Three of 256 KiB are over the bound of 600,000 free bytes: the third is let go.
    pool.give(a);
    pool.give(b);
    pool.give(c);
    const again = [pool.take(250_000), pool.take(250_000), pool.take(250_000)];
    assert.deepEqual(new Set(again.slice(0, 2)), new Set([a, b]));
    assert.ok(!([a, b, c] as Buffer[]).includes(again[2]!));
    pool.give(a);
    pool.clear();
    assert.notEqual(pool.take(250_000), a);
  });
});

describe('forward: retry rules', () => {
  it('backs off exponentially from the initial delay, capped, with ±50% jitter', () => {
    assert.equal(backoffDelay(1, 1000, 30_000, () => 0.5), 1000);
    assert.equal(backoffDelay(2, 1000, 30_000, () => 0.5), 2000);
    assert.equal(backoffDelay(4, 1000, 30_000, () => 0.5), 8000);
    assert.equal(backoffDelay(20, 1000, 30_000, () => 0.5), 30_000);
    assert.equal(backoffDelay(1, 1000, 30_000, () => 0), 500);
    assert.equal(backoffDelay(1, 1000, 30_000, () => 0.999999), 1500);
    assert.equal(backoffDelay(200, 1000, 30_000, () => 0.99), 30_000);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sun, 01 Jun 2025 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('retries the gRPC codes of the OTLP specification, RESOURCE_EXHAUSTED only with a RetryInfo', () => {
    for (const code of [1, 4, 10, 11, 14, 15]) assert.ok(isRetryableGrpc(code, false), String(code));
    for (const code of [2, 3, 5, 6, 7, 9, 12, 13, 16]) assert.ok(!isRetryableGrpc(code, true), String(code));
    assert.ok(!isRetryableGrpc(GrpcCode.ResourceExhausted, false));
    assert.ok(isRetryableGrpc(GrpcCode.ResourceExhausted, true));
  });
});

describe('forward: endpoints and options', () => {
  it('takes OTLP/HTTP URLs as they are, adding /v1/traces to a bare origin', () => {
    const url = (e: string) => {
      const t = parseEndpoint(e, 'http/protobuf');
      assert.equal(t.protocol, 'http/protobuf');
      return t.protocol === 'http/protobuf' ? t.url.href : '';
    };
    assert.equal(url('http://collector:4318/v1/traces'), 'http://collector:4318/v1/traces');
    assert.equal(url('https://otlp.example.com'), 'https://otlp.example.com/v1/traces');
    assert.equal(url('http://127.0.0.1:4318/'), 'http://127.0.0.1:4318/');
    assert.equal(url('  http://[::1]:4318/otlp/v1/traces '), 'http://[::1]:4318/otlp/v1/traces');
    assert.equal(parseEndpoint('https://user:pw@example.com/v1/traces', 'http/protobuf').display, 'https://user:***@example.com/v1/traces');
    assert.throws(() => parseEndpoint('collector:4318', 'http/protobuf'), ForwardConfigError);
    assert.throws(() => parseEndpoint('ftp://collector/v1/traces', 'http/protobuf'), /needs an http: or https: URL/);
    assert.throws(() => parseEndpoint('  ', 'http/protobuf'), /empty/);
  });

  it('takes gRPC endpoints as host:port, plain or TLS', () => {
    const grpc = (e: string) => {
      const t = parseEndpoint(e, 'grpc');
      return t.protocol === 'grpc' ? [t.address, t.tls] : [];
    };
    assert.deepEqual(grpc('collector:4317'), ['collector:4317', false]);
    assert.deepEqual(grpc('http://collector:4317'), ['collector:4317', false]);
    assert.deepEqual(grpc('https://otlp.example.com:443/'), ['otlp.example.com:443', true]);
    assert.deepEqual(grpc('https://otlp.example.com'), ['otlp.example.com:4317', true]);
    assert.deepEqual(grpc('[::1]:4317'), ['[::1]:4317', false]);
    assert.throws(() => parseEndpoint('collector:99999', 'grpc'), /port 99999/);
    assert.throws(() => parseEndpoint('http://collector:4317/v1/traces', 'grpc'), /host:port/);
  });

  it('refuses headers that could split a request, and gRPC binary metadata', () => {
    const base = { endpoint: 'http://c:4318/v1/traces' };
    assert.deepEqual(resolveForwardOptions({ ...base, headers: { Authorization: 'Bearer x' } }).headers, { Authorization: 'Bearer x' });
    assert.deepEqual(resolveForwardOptions({ endpoint: 'c:4317', protocol: 'grpc', headers: { 'X-Scope-OrgID': 'a' } }).headers, { 'x-scope-orgid': 'a' });
    assert.throws(() => resolveForwardOptions({ ...base, headers: { 'bad name': 'x' } }), /not a valid HTTP header name/);
    assert.throws(() => resolveForwardOptions({ ...base, headers: { a: 'x\r\nInjected: y' } }), /one-line/);
    assert.throws(() => resolveForwardOptions({ endpoint: 'c:4317', protocol: 'grpc', headers: { 'trace-bin': 'x' } }), /binary gRPC metadata/);
    assert.throws(() => resolveForwardOptions({ ...base, protocol: 'http/json' as never }), /http\/protobuf or grpc/);
    assert.deepEqual(resolveForwardOptions({ ...base, headers: { 'x-name': 'Zoë' } }).headers, { 'x-name': 'Zoë' });
    assert.throws(() => resolveForwardOptions({ ...base, headers: { 'x-name': 'emoji ✓' } }), /characters a header value cannot carry/);
    assert.throws(() => resolveForwardOptions({ endpoint: 'c:4317', protocol: 'grpc', headers: { 'x-name': 'Zoë' } }), /printable ASCII only/);
    const o = resolveForwardOptions(base);
    assert.deepEqual([o.maxQueueBytes, o.timeoutMs, o.initialBackoffMs, o.maxBackoffMs, o.maxElapsedMs], [64 * 1024 * 1024, 10_000, 1000, 30_000, 300_000]);
  });
});

describe('forward: reading what the upstream answers', () => {
  it('reads a google.rpc.Status, with the delay of a RetryInfo among its details', () => {
    assert.deepEqual(decodeRpcStatus(encodeStatus('protobuf', RpcCode.InvalidArgument, 'bad span')), { code: 3, message: 'bad span' });
    const duration = protobuf.Writer.create().uint32(8).int64(2).uint32(16).int32(500_000_000).finish();
    const other = protobuf.Writer.create().uint32(10).string('type.googleapis.com/google.rpc.DebugInfo').uint32(18).bytes(Buffer.from([10, 1, 120])).finish();
    const retry = protobuf.Writer.create().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(protobuf.Writer.create().uint32(10).bytes(duration).finish()).finish();
    const status = protobuf.Writer.create().uint32(8).int32(14).uint32(18).string('busy').uint32(26).bytes(other).uint32(26).bytes(retry).finish();
    assert.deepEqual(decodeRpcStatus(status), { code: 14, message: 'busy', retryDelayMs: 2500 });
    assert.equal(decodeRpcStatus(Buffer.from('<html>502 Bad Gateway</html>')), undefined);
  });

  it('reads partial success in protobuf and JSON; full success has none', () => {
    assert.deepEqual(decodePartialSuccess(encodeExportResponse('protobuf', 3, 'dropped: no trace id')), { rejectedSpans: 3, message: 'dropped: no trace id' });
    assert.equal(decodePartialSuccess(encodeExportResponse('protobuf')), undefined);
    assert.equal(decodePartialSuccess(new Uint8Array(0)), undefined);
    assert.deepEqual(partialSuccessOfJson(new TextDecoder().decode(encodeExportResponse('json', 2, 'x'))), { rejectedSpans: 2, message: 'x' });
    assert.equal(partialSuccessOfJson('{}'), undefined);
    assert.equal(partialSuccessOfJson('not json'), undefined);
  });

  it('sums up a run in one line', () => {
    const none = { requests: 0, spans: 0 };
    const line = describeForwardStats({
      state: 'failing',
      endpoint: 'http://c:4318/v1/traces',
      protocol: 'http/protobuf',
      queued: { ...none, bytes: 0 },
      maxQueueBytes: 64 * 1024 * 1024,
      sent: { requests: 3, spans: 30 },
      retries: 4,
      dropped: { requests: 1, spans: 10 },
      failed: none,
      rejectedSpans: 0,
      lastError: 'ECONNREFUSED',
    });
    assert.equal(line, 'forward: sent 3 requests (30 spans) to http://c:4318/v1/traces; 4 retries; dropped 1 request (10 spans); last error: ECONNREFUSED');
    assert.deepEqual([formatMiB(64 * 1024 * 1024), formatMiB(1.5 * 1024 * 1024), formatMiB(300 * 1024)], ['64 MiB', '1.5 MiB', '0.29 MiB']);
  });
});
