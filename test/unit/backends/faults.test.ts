// Bad input and faults, against stub servers (and a closed port): every failure is a BackendError whose message
// names the backend and says what to do; none hangs past its timeout, and no answer is read past the body limit.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendClient } from '../../../extension/src/backends/backendClient';
import type { BackendKind } from '../../../extension/src/backends/backendConfig';
import { createBackendClient } from '../../../extension/src/backends/backendClients';
import { BackendError } from '../../../extension/src/backends/backendError';
import { SHOP_TRACE_ID, bigTraceJson, shopTraceJson, toProtobuf, traceByIdResponse, v3Envelope } from './backendFixtures';
import { type Stub, type StubRoute, startStub } from './stubServer';

const MiB = 1024 * 1024;

function client(kind: BackendKind, url: string, options: Partial<{ timeoutMs: number; maxBodyBytes: number; headers: Record<string, string> }> = {}): BackendClient {
  return createBackendClient({ name: `team-${kind}`, kind, url }, { headers: {}, timeoutMs: 5_000, maxBodyBytes: 64 * MiB, ...options });
}

async function rejection(p: Promise<unknown>): Promise<BackendError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BackendError, String(err));
    return err;
  }
  return assert.fail('resolved');
}

/** The trace-by-id path of each kind's first request. */
const tracePath = (kind: BackendKind) => (kind === 'jaeger' ? `/api/v3/traces/${SHOP_TRACE_ID}` : `/api/v2/traces/${SHOP_TRACE_ID}`);

describe('backend faults (against stub servers)', () => {
  const stubs: Stub[] = [];
  const stub = async (routes: Record<string, StubRoute>) => {
    const s = await startStub(routes);
    stubs.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map(s => s.close()));
  });

  for (const kind of ['jaeger', 'tempo'] as const) {
    it(`${kind}: an unreachable backend (a closed port, no stub) is "unreachable" with the socket's reason`, async () => {
      const server = http.createServer();
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>(resolve => server.close(() => resolve()));
      const err = await rejection(client(kind, `http://127.0.0.1:${port}`).trace(SHOP_TRACE_ID));
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, new RegExp(`${kind} "team-${kind}" at http://127\\.0\\.0\\.1:${port} is unreachable \\(GET ${tracePath(kind).replace(/\//g, '\\/')}\\): .*ECONNREFUSED`));
    });

    for (const status of [401, 403]) {
      it(`${kind}: HTTP ${status} from a stub says which command sets the header`, async () => {
        const s = await stub({ [tracePath(kind)]: { status, type: 'text/plain', body: 'missing bearer token\n' } });
        const err = await rejection(client(kind, s.url).trace(SHOP_TRACE_ID));
        assert.equal(err.kind, 'unauthorized');
        assert.equal(err.status, status);
        assert.match(err.message, /refused GET .* \(HTTP 40[13] \w+: missing bearer token\)\. Set the header it needs \(e\.g\. Authorization\) with "msgtrace: Set Backend Header…"/);
      });
    }

    it(`${kind}: a stub that never answers is a timeout, in time`, async () => {
      const s = await stub({ [tracePath(kind)]: { hang: true } });
      const t0 = Date.now();
      const err = await rejection(client(kind, s.url, { timeoutMs: 300 }).trace(SHOP_TRACE_ID));
      assert.equal(err.kind, 'timeout');
      assert.match(err.message, /did not answer GET .* within 0\.3 s \(msgtrace\.backends\.timeoutSeconds\)/);
      assert.ok(Date.now() - t0 < 3_000, `took ${Date.now() - t0} ms`);
    });

    it(`${kind}: a stub's endless body stops at the body limit (streamed, never buffered past it)`, async () => {
      const s = await stub({ [tracePath(kind)]: { endless: true } });
      const before = process.memoryUsage().arrayBuffers;
      const err = await rejection(client(kind, s.url, { maxBodyBytes: 2 * MiB }).trace(SHOP_TRACE_ID));
      assert.equal(err.kind, 'tooLarge');
      assert.match(err.message, /the answer to GET .* is larger than 2 MiB, the limit set by msgtrace\.receiver\.maxBodyMiB; it was not read/);
      assert.ok(process.memoryUsage().arrayBuffers - before < 32 * MiB);
    });

    it(`${kind}: a stub's Content-Length over the limit is refused before the body is read`, async () => {
      const body = kind === 'jaeger' ? v3Envelope(bigTraceJson(2000)) : traceByIdResponse(toProtobuf(bigTraceJson(2000)));
      const s = await stub({ [tracePath(kind)]: { type: kind === 'jaeger' ? 'application/json' : 'application/protobuf', body } });
      const err = await rejection(client(kind, s.url, { maxBodyBytes: 64 * 1024 }).trace(SHOP_TRACE_ID));
      assert.equal(err.kind, 'tooLarge');
      assert.match(err.message, /larger than 65536 bytes/);
    });

    it(`${kind}: a stub's 500 is an HTTP error with the backend's message`, async () => {
      const s = await stub({ [tracePath(kind)]: { status: 500, type: 'text/plain', body: 'storage backend down\n\n' } });
      const err = await rejection(client(kind, s.url).trace(SHOP_TRACE_ID));
      assert.equal(err.kind, 'http');
      assert.match(err.message, /answered GET .* with HTTP 500 Internal Server Error: storage backend down$/);
    });

    it(`${kind}: a stub's redirect is not followed (the headers hold tokens)`, async () => {
      const s = await stub({ [tracePath(kind)]: { status: 302, body: '', headers: { location: 'http://elsewhere.example/api' } } });
      const err = await rejection(client(kind, s.url, { headers: { Authorization: 'Bearer secret' } }).trace(SHOP_TRACE_ID));
      assert.match(err.message, /redirected GET .* to http:\/\/elsewhere\.example\/api/);
      assert.doesNotMatch(err.message, /secret/);
    });
  }

  const garbage: [string, BackendKind, string, StubRoute, RegExp][] = [
    ['jaeger', 'jaeger', 'text that is not JSON', { body: 'Internal error: oops' }, /not OTLP\/JSON in a \{"result": …\} envelope/],
    ['jaeger', 'jaeger', 'a truncated JSON body', { body: v3Envelope(shopTraceJson()).slice(0, 500) }, /not OTLP\/JSON in a \{"result": …\} envelope: unterminated|unbalanced/],
    ['jaeger', 'jaeger', 'OTLP/JSON with a bad id', { body: v3Envelope({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz', spanId: 'x', startTimeUnixNano: 'soon' }] }] }] }) }, /msgtrace cannot read/],
    ['jaeger', 'jaeger', 'a JSON array', { body: '[1, 2, 3]' }, /expected an object/],
    ['tempo', 'tempo', 'bytes that are not protobuf', { type: 'application/protobuf', body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]) }, /not an OTLP trace in protobuf/],
    ['tempo', 'tempo', 'a protobuf envelope whose trace is cut short', { type: 'application/protobuf', body: traceByIdResponse(toProtobuf(shopTraceJson())).subarray(0, 200) }, /not an OTLP trace in protobuf/],
    ['tempo', 'tempo', 'JSON without a trace', { body: JSON.stringify({ hello: 'world' }) }, /JSON without "batches", "resourceSpans" or "trace"/],
  ];
  for (const [name, kind, what, route, message] of garbage) {
    it(`${name}: ${what} from a stub is a bad answer that says which backend and what`, async () => {
      const s = await stub({ [tracePath(kind)]: route });
      const err = await rejection(client(kind, s.url).trace(SHOP_TRACE_ID));
      assert.equal(err.kind, 'badAnswer', err.message);
      assert.match(err.message, new RegExp(`^${kind} "team-${kind}" at http://127\\.0\\.0\\.1:\\d+ sent an answer to GET ${tracePath(kind).replace(/\//g, '\\/')} that msgtrace cannot read: `));
      assert.match(err.message, message);
    });
  }

  it('jaeger: garbage from a stub\'s services endpoint is a bad answer', async () => {
    const s = await stub({ '/api/v3/services': { body: '{"services": "all of them"}' } });
    const err = await rejection(client('jaeger', s.url).services());
    assert.equal(err.kind, 'badAnswer');
    assert.match(err.message, /"services" is not a list of names/);
  });

  it('a header value that cannot be sent is said without the value', async () => {
    const s = await stub({});
    const err = await rejection(client('tempo', s.url, { headers: { Authorization: 'Bearer a\nb' } }).services());
    assert.equal(err.kind, 'badRequest');
    assert.doesNotMatch(err.message, /Bearer/);
  });

  it('cancelling a request against a stub that never answers rejects at once as cancelled', async () => {
    const s = await stub({ '/api/v2/search/tag/resource.service.name/values': { hang: true } });
    const controller = new AbortController();
    const pending = client('tempo', s.url).services(controller.signal);
    setTimeout(() => controller.abort(), 50);
    assert.equal((await rejection(pending)).kind, 'cancelled');
  });
});
