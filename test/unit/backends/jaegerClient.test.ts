// The Jaeger client against stub servers that answer as Jaeger's query service does: the v3 API (OTLP/JSON in a
// `result` envelope, streamed objects, gateway errors), and the v1 JSON API it falls back to.
import * as assert from 'node:assert/strict';
import { SpanKind, StatusCode } from '../../../extension/src/core/model/span';
import type { RemoteTrace } from '../../../extension/src/backends/backendClient';
import { BackendError } from '../../../extension/src/backends/backendError';
import { JaegerClient, rfc3339 } from '../../../extension/src/backends/jaegerClient';
import {
  SHOP_CHECKOUT,
  SHOP_DB,
  SHOP_ROOT,
  SHOP_TRACE_ID,
  T0_US,
  V1_TRACE_ID,
  bigTraceJson,
  jaegerV1Answer,
  shopTraceJson,
  v3Envelope,
  v3Error,
} from './backendFixtures';
import { type Stub, startStub } from './stubServer';

const OPTIONS = { headers: {}, timeoutMs: 5_000, maxBodyBytes: 64 * 1024 * 1024 };

function client(stub: Stub, headers: Record<string, string> = {}): JaegerClient {
  return new JaegerClient({ name: 'team-jaeger', kind: 'jaeger', url: stub.url }, { ...OPTIONS, headers });
}

function spansOf(trace: RemoteTrace) {
  return trace.batches.flatMap(b => b.spans);
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

describe('Jaeger client (against a stub Jaeger query service)', () => {
  const stubs: Stub[] = [];
  const stub = async (routes: Parameters<typeof startStub>[0]) => {
    const s = await startStub(routes);
    stubs.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map(s => s.close()));
  });

  it('lists services from /api/v3/services against a stub, sorted, with the headers set for the backend', async () => {
    const s = await stub({ '/api/v3/services': { body: JSON.stringify({ services: ['payments', 'frontend', 'checkout'] }) } });
    const c = client(s, { Authorization: 'Bearer t0ken', 'X-Scope-OrgID': 'team-a' });
    assert.deepEqual(await c.services(), ['checkout', 'frontend', 'payments']);
    assert.equal(s.requests[0]!.headers.authorization, 'Bearer t0ken');
    assert.equal(s.requests[0]!.headers['x-scope-orgid'], 'team-a');
    assert.equal(c.apiVersion, 'v3');
  });

  it('opens a trace by id from a stub\'s v3 OTLP/JSON answer: every span, resource, event, link and status', async () => {
    const s = await stub({ [`/api/v3/traces/${SHOP_TRACE_ID}`]: { body: v3Envelope(shopTraceJson()) } });
    const trace = await client(s).trace(SHOP_TRACE_ID);
    assert.equal(trace.spanCount, 3);
    assert.equal(trace.api, 'Jaeger API v3');
    assert.ok(trace.batches[0]!.columns, 'decoded to columns for the store');
    const spans = spansOf(trace);
    const byId = new Map(spans.map(x => [x.spanId, x]));
    assert.equal(byId.get(SHOP_ROOT)!.resource.serviceName, 'frontend');
    assert.equal(byId.get(SHOP_CHECKOUT)!.parentSpanId, SHOP_ROOT);
    assert.equal(byId.get(SHOP_CHECKOUT)!.statusCode, StatusCode.Error);
    assert.equal(byId.get(SHOP_CHECKOUT)!.details().events[0]!.name, 'exception');
    assert.equal(byId.get(SHOP_CHECKOUT)!.details().links.length, 1);
    assert.equal(byId.get(SHOP_DB)!.kind, SpanKind.Client);
  });

  it('reads a stub\'s streamed v3 answer: several {"result"} objects, newline separated or back to back', async () => {
    const full = shopTraceJson() as { resourceSpans: unknown[] };
    const first = v3Envelope({ resourceSpans: [full.resourceSpans[0]] });
    const second = v3Envelope({ resourceSpans: [full.resourceSpans[1]] });
    for (const body of [`${first}\n${second}\n`, `${first}${second}`, ` \r\n${first}\r\n\r\n${second}`]) {
      const s = await stub({ [`/api/v3/traces/${SHOP_TRACE_ID}`]: { body } });
      const trace = await client(s).trace(SHOP_TRACE_ID);
      assert.equal(trace.batches.length, 2);
      assert.equal(trace.spanCount, 3);
    }
  });

  it('says "not found" for a stub\'s v3 GRPCGatewayError 404, without asking v1', async () => {
    const s = await stub({ [`/api/v3/traces/${SHOP_TRACE_ID}`]: { status: 404, body: v3Error(404, 'trace not found') } });
    const err = await rejection(client(s).trace(SHOP_TRACE_ID));
    assert.equal(err.kind, 'notFound');
    assert.match(err.message, new RegExp(`trace ${SHOP_TRACE_ID} was not found in jaeger "team-jaeger"`));
    assert.match(err.message, /trace not found/);
    assert.deepEqual(s.requests.map(r => r.path), [`/api/v3/traces/${SHOP_TRACE_ID}`]);
  });

  it('says "not found" for an error object inside a stub\'s 200 stream (gRPC code 5)', async () => {
    const s = await stub({ [`/api/v3/traces/${SHOP_TRACE_ID}`]: { body: JSON.stringify({ error: { code: 5, message: 'trace not found' } }) } });
    assert.equal((await rejection(client(s).trace(SHOP_TRACE_ID))).kind, 'notFound');
  });

  it('searches a stub\'s v3 FindTraces with query.service_name, RFC 3339 times and num_traces; newest first with root, service and duration', async () => {
    const older = bigTraceJson(5, '000000000000000000000000000000aa', 1, 0);
    const newer = bigTraceJson(7, '000000000000000000000000000000bb', 2, 2_000_000);
    const body = `${v3Envelope(older)}\n${v3Envelope(newer)}`;
    const s = await stub({ '/api/v3/traces': { body } });
    const page = await client(s).search({ service: 'svc-0', startUs: T0_US - 3_600_000_000, endUs: T0_US + 10_000_000, limit: 20 });
    assert.deepEqual(
      page.traces.map(t => [t.traceId.slice(-2), t.rootName, t.rootService, t.spanCount]),
      [
        ['bb', 'agent run', 'svc-0', 7],
        ['aa', 'agent run', 'svc-0', 5],
      ],
    );
    assert.equal(page.traces[0]!.startUs, T0_US + 2_000_000);
    assert.equal(page.traces[0]!.durationUs, 6 * 10 + 5_000);
    assert.equal(page.full, false);
    const q = s.requests[0]!.query;
    assert.equal(q.get('query.service_name'), 'svc-0');
    assert.equal(q.get('query.start_time_min'), rfc3339(T0_US - 3_600_000_000));
    assert.equal(q.get('query.start_time_max'), rfc3339(T0_US + 10_000_000));
    assert.match(q.get('query.start_time_max')!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(q.get('query.num_traces'), '20');
  });

  it('answers an empty list for a stub\'s v3 404 "No traces found"', async () => {
    const s = await stub({ '/api/v3/traces': { status: 404, body: v3Error(404, 'No traces found') } });
    assert.deepEqual((await client(s).search({ service: 'x', startUs: 0, endUs: T0_US, limit: 5 })).traces, []);
  });

  it('asks again in camelCase when a stub Jaeger 2.20+ refuses the snake_case parameters, and keeps asking so', async () => {
    const s = await stub({
      '/api/v3/traces': req =>
        req.query.has('query.startTimeMin')
          ? { body: v3Envelope(bigTraceJson(2, '000000000000000000000000000000cc', 1)) }
          : { status: 400, body: v3Error(400, 'query.startTimeMin and query.startTimeMax are required') },
    });
    const c = client(s);
    const q = { service: 'svc-0', startUs: 0, endUs: T0_US + 1e9, limit: 10 };
    assert.equal((await c.search(q)).traces.length, 1);
    assert.equal((await c.search(q)).traces.length, 1);
    assert.deepEqual(
      s.requests.map(r => r.query.has('query.serviceName')),
      [false, true, true],
    );
    assert.equal(s.requests[1]!.query.get('query.searchDepth'), '10');
  });

  it('falls back to the v1 API when a stub has no v3 (404 page not found), and stays on v1', async () => {
    const s = await stub({
      '/api/services': { body: JSON.stringify({ data: ['frontend', 'driver'], total: 2, limit: 0, offset: 0, errors: null }) },
      [`/api/traces/${V1_TRACE_ID}`]: { body: JSON.stringify(jaegerV1Answer()) },
    });
    const c = client(s);
    assert.deepEqual(await c.services(), ['driver', 'frontend']);
    assert.equal(c.apiVersion, 'v1');
    const trace = await c.trace(V1_TRACE_ID);
    assert.equal(trace.api, 'Jaeger API v1');
    assert.deepEqual(
      s.requests.map(r => r.path),
      ['/api/v3/services', '/api/services', `/api/traces/${V1_TRACE_ID}`],
    );
  });

  it('falls back to v1 when a stub\'s v3 path serves the UI\'s HTML page', async () => {
    const s = await stub({
      '/api/v3/services': { type: 'text/html; charset=utf-8', body: '<!doctype html><html><body>Jaeger UI</body></html>' },
      '/api/services': { body: JSON.stringify({ data: ['a'] }) },
    });
    assert.deepEqual(await client(s).services(), ['a']);
  });

  it('converts a stub\'s v1 trace: processes to resources, references to parent and links, tags to kind/status/scope, logs to events', async () => {
    const s = await stub({ '/api/v3/traces/00000000000000005b8efff798038103': { status: 404, body: '404 page not found' }, [`/api/traces/${V1_TRACE_ID}`]: { body: JSON.stringify(jaegerV1Answer()) } });
    const trace = await client(s).trace(V1_TRACE_ID);
    assert.equal(trace.spanCount, 3);
    const byName = new Map(spansOf(trace).map(x => [x.name, x]));
    const root = byName.get('HTTP GET /dispatch')!;
    const driver = byName.get('FindDriverIDs')!;
    const notify = byName.get('SendNotification')!;
    assert.equal(root.traceId, V1_TRACE_ID);
    assert.equal(root.spanId, '00000000000000a1');
    assert.equal(root.parentSpanId, '');
    assert.equal(root.kind, SpanKind.Server);
    assert.equal(root.flags, 1);
    assert.equal(root.resource.serviceName, 'frontend');
    assert.deepEqual(
      root.resource.attributes.map(a => a.key),
      ['service.name', 'hostname', 'ip'],
    );
    assert.equal(root.startMs * 1000 + Math.floor(root.startSubMsNanos / 1000), T0_US);
    assert.equal(root.durationNanos, 700_000_000);
    const rootAttrs = new Map(root.details().attributes.map(a => [a.key, a.value]));
    assert.equal(rootAttrs.get('http.status_code'), 200n);
    assert.equal(rootAttrs.get('sampler.param'), true);
    assert.ok(!rootAttrs.has('span.kind') && !rootAttrs.has('internal.span.format'));
    const log = root.details().events[0]!;
    assert.equal(log.name, 'dispatch started');
    assert.deepEqual(
      log.attributes.map(a => [a.key, a.value]),
      [['customer_id', '123']],
    );

    assert.equal(driver.parentSpanId, '00000000000000a1');
    assert.equal(driver.kind, SpanKind.Client);
    assert.equal(driver.statusCode, StatusCode.Error);
    assert.equal(driver.statusMessage, 'redis timeout');
    assert.equal(driver.scope.name, 'redis-client');
    assert.equal(driver.scope.version, '2.0');
    assert.equal(driver.resource.serviceName, 'driver');
    const driverAttrs = new Map(driver.details().attributes.map(a => [a.key, a.value]));
    assert.equal(driverAttrs.get('retry.ratio'), 0.25);
    assert.deepEqual(Buffer.from(driverAttrs.get('payload') as Uint8Array).toString(), 'abc');
    assert.ok(!driverAttrs.has('error') && !driverAttrs.has('otel.status_code'));
    assert.equal(driver.details().events[0]!.name, 'log');

    // FOLLOWS_FROM into the same trace is the parent when there is no CHILD_OF into it; the other is a link.
    assert.equal(notify.parentSpanId, '00000000000000a1');
    assert.equal(notify.kind, SpanKind.Producer);
    assert.equal(notify.statusCode, StatusCode.Error, 'the error tag');
    assert.equal(notify.resource.serviceName, 'notifier');
    const links = notify.details().links;
    assert.equal(links.length, 1);
    assert.equal(links[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.deepEqual(
      links[0]!.attributes.map(a => [a.key, a.value]),
      [['opentracing.ref_type', 'child_of']],
    );
  });

  it('searches a stub\'s v1 /api/traces with service, limit and microsecond start/end', async () => {
    const s = await stub({ '/api/v3/traces': { status: 404, body: '404 page not found' }, '/api/traces': { body: JSON.stringify(jaegerV1Answer()) } });
    const page = await client(s).search({ service: 'frontend', startUs: T0_US - 1000, endUs: T0_US + 5_000_000, limit: 1 });
    assert.deepEqual(
      page.traces.map(t => [t.traceId, t.rootName, t.rootService, t.spanCount, t.durationUs]),
      [[V1_TRACE_ID, 'HTTP GET /dispatch', 'frontend', 3, 700_000]],
    );
    assert.equal(page.full, true);
    const q = s.requests[1]!.query;
    assert.deepEqual(
      [q.get('service'), q.get('limit'), q.get('start'), q.get('end')],
      ['frontend', '1', String(T0_US - 1000), String(T0_US + 5_000_000)],
    );
  });

  it('says "not found" for a stub\'s v1 404 with Jaeger\'s {"errors"} body', async () => {
    const s = await stub({
      '/api/v3/services': { status: 404, body: '404 page not found' },
      '/api/services': { body: JSON.stringify({ data: [] }) },
      [`/api/traces/${SHOP_TRACE_ID}`]: { status: 404, body: JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }) },
    });
    const c = client(s);
    await c.services();
    const err = await rejection(c.trace(SHOP_TRACE_ID));
    assert.equal(err.kind, 'notFound');
    assert.match(err.message, /HTTP 404 Not Found: trace not found/);
  });

  it('refuses a stub\'s v1 answer that is not Jaeger\'s span format, naming the backend and the problem', async () => {
    const bad = jaegerV1Answer() as { data: { spans: { spanID: string }[] }[] };
    bad.data[0]!.spans[1]!.spanID = 'not-hex';
    const s = await stub({ '/api/v3/traces/00000000000000005b8efff798038103': { status: 404, body: '' }, [`/api/traces/${V1_TRACE_ID}`]: { body: JSON.stringify(bad) } });
    const err = await rejection(client(s).trace(V1_TRACE_ID));
    assert.equal(err.kind, 'badAnswer');
    assert.match(err.message, /jaeger "team-jaeger" at http:\/\/127\.0\.0\.1:\d+ sent an answer to GET \/api\/traces\/0+5b8efff798038103 that msgtrace cannot read: not Jaeger's JSON span format: data\[0\]\.spans\[1\]\.spanID is not a hex id/);
  });
});
