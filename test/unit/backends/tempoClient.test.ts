// The Tempo client against stub servers that answer as Tempo's query frontend does: tag values, search, and
// traces by id in protobuf (v2's TraceByIDResponse, v1's Trace) and in Tempo's JSON.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StatusCode } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { BackendError } from '../../../extension/src/backends/backendError';
import { TempoClient, logfmtValue } from '../../../extension/src/backends/tempoClient';
import { SHOP_CHECKOUT, SHOP_ROOT, SHOP_TRACE_ID, T0_US, shopTraceJson, tempoSearchAnswer, toProtobuf, traceByIdResponse } from './backendFixtures';
import { type Stub, startStub } from './stubServer';

const OPTIONS = { headers: {}, timeoutMs: 5_000, maxBodyBytes: 64 * 1024 * 1024 };
const root = path.resolve(__dirname, '../../../..');
const PB = 'application/protobuf';

function client(stub: Stub): TempoClient {
  return new TempoClient({ name: 'team-tempo', kind: 'tempo', url: stub.url }, OPTIONS);
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

/** jsonpb's writing of the shop trace, as Tempo's JSON API answers: `batches`, base64 ids, enum names. */
function tempoJson(): unknown {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const otlp = shopTraceJson() as { resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[] };
  return {
    batches: otlp.resourceSpans.map(rs => ({
      resource: rs.resource,
      scopeSpans: rs.scopeSpans.map(ss => ({
        scope: ss.scope,
        spans: ss.spans.map(s => ({
          ...s,
          traceId: b64(s.traceId as string),
          spanId: b64(s.spanId as string),
          parentSpanId: s.parentSpanId ? b64(s.parentSpanId as string) : undefined,
          kind: ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT'][s.kind as number],
          links: (s.links as { traceId: string; spanId: string }[] | undefined)?.map(l => ({ ...l, traceId: b64(l.traceId), spanId: b64(l.spanId) })),
        })),
      })),
    })),
  };
}

describe('Tempo client (against a stub Tempo query frontend)', () => {
  const stubs: Stub[] = [];
  const stub = async (routes: Parameters<typeof startStub>[0]) => {
    const s = await startStub(routes);
    stubs.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(stubs.splice(0).map(s => s.close()));
  });

  it('lists services from a stub\'s v2 tag values, and from v1 when v2 is missing', async () => {
    const v2 = await stub({ '/api/v2/search/tag/resource.service.name/values': { body: JSON.stringify({ tagValues: [{ type: 'string', value: 'shop' }, { type: 'string', value: 'cart' }], metrics: {} }) } });
    assert.deepEqual(await client(v2).services(), ['cart', 'shop']);
    const v1 = await stub({ '/api/search/tag/service.name/values': { body: JSON.stringify({ tagValues: ['shop', 'auth'] }) } });
    const c = client(v1);
    assert.deepEqual(await c.services(), ['auth', 'shop']);
    await c.services();
    assert.deepEqual(
      v1.requests.map(r => r.path),
      ['/api/v2/search/tag/resource.service.name/values', '/api/search/tag/service.name/values', '/api/search/tag/service.name/values'],
    );
  });

  it('searches a stub with tags=service.name=…, start/end in seconds and limit; newest first, ids padded', async () => {
    const s = await stub({
      '/api/search': {
        body: JSON.stringify(
          tempoSearchAnswer([
            { traceId: '0000000000000000000000000000abcd', startUs: T0_US + 1_000_000, durationMs: 12, root: 'POST /pay', service: 'shop' },
            { traceId: '00000000000000000000000000001234', startUs: T0_US + 3_000_000 },
          ]),
        ),
      },
    });
    const page = await client(s).search({ service: 'my shop', startUs: T0_US - 60e6, endUs: T0_US + 10e6, limit: 2 });
    assert.deepEqual(
      page.traces.map(t => [t.traceId, t.rootName, t.rootService, t.startUs, t.durationUs]),
      [
        ['00000000000000000000000000001234', 'GET /', 'shop', T0_US + 3_000_000, 0],
        ['0000000000000000000000000000abcd', 'POST /pay', 'shop', T0_US + 1_000_000, 12_000],
      ],
    );
    assert.equal(page.full, true);
    const q = s.requests[0]!.query;
    assert.deepEqual(
      [q.get('tags'), q.get('start'), q.get('end'), q.get('limit')],
      ['service.name="my shop"', String(Math.floor((T0_US - 60e6) / 1e6)), String(Math.ceil((T0_US + 10e6) / 1e6)), '2'],
    );
    assert.equal(logfmtValue('checkout'), 'checkout');
    assert.equal(logfmtValue('a "b"'), '"a \\"b\\""');
  });

  it('opens a trace from a stub\'s v2 protobuf TraceByIDResponse, asking for application/protobuf', async () => {
    const s = await stub({ [`/api/v2/traces/${SHOP_TRACE_ID}`]: { type: PB, body: traceByIdResponse(toProtobuf(shopTraceJson())) } });
    const trace = await client(s).trace(SHOP_TRACE_ID);
    assert.equal(s.requests[0]!.headers.accept, PB);
    assert.equal(trace.api, 'Tempo API v2');
    assert.equal(trace.spanCount, 3);
    assert.deepEqual(trace.warnings, []);
    const spans = trace.batches.flatMap(b => b.spans);
    assert.equal(spans.find(x => x.spanId === SHOP_CHECKOUT)!.parentSpanId, SHOP_ROOT);
    assert.deepEqual(new Set(spans.map(x => x.resource.serviceName)), new Set(['frontend', 'checkout']));
  });

  it('says when a stub\'s v2 answer is partial', async () => {
    const s = await stub({ [`/api/v2/traces/${SHOP_TRACE_ID}`]: { type: PB, body: traceByIdResponse(toProtobuf(shopTraceJson()), { partial: true, message: '2 blocks failed' }) } });
    const trace = await client(s).trace(SHOP_TRACE_ID);
    assert.equal(trace.warnings.length, 1);
    assert.match(trace.warnings[0]!, /returned part of the trace: 2 blocks failed/);
  });

  it('opens the real msgflux capture from a stub\'s v1 /api/traces/{id} (protobuf Trace) after v2 answers 404', async () => {
    const capture = fs.readFileSync(path.join(root, 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb'));
    const spans = decodeTraceRequest(capture).spans;
    const traceId = spans[0]!.traceId;
    const s = await stub({ [`/api/traces/${traceId}`]: { type: PB, body: capture } });
    const c = client(s);
    const trace = await c.trace(traceId);
    assert.equal(trace.api, 'Tempo API v1');
    // The stub holds the whole capture under one id, as a Trace message; every span of it is decoded.
    assert.equal(trace.spanCount, spans.length);
    await c.trace(traceId);
    assert.deepEqual(
      s.requests.map(r => r.path),
      [`/api/v2/traces/${traceId}`, `/api/traces/${traceId}`, `/api/traces/${traceId}`],
    );
  });

  it('says "not found" when a stub answers 404 on v2 and v1', async () => {
    const s = await stub({ [`/api/traces/${SHOP_TRACE_ID}`]: { status: 404, type: 'text/plain', body: 'trace not found' } });
    const err = await rejection(client(s).trace(SHOP_TRACE_ID));
    assert.equal(err.kind, 'notFound');
    assert.match(err.message, /trace 7d3c1a9e5f2b4c6d8e0f1a2b3c4d5e6f was not found in tempo "team-tempo" at http:\/\/127\.0\.0\.1:\d+ \(HTTP 404 Not Found: trace not found\)/);
  });

  it('reads a stub\'s JSON answer in Tempo\'s jsonpb form: batches, base64 ids, enum names', async () => {
    const s = await stub({ [`/api/v2/traces/${SHOP_TRACE_ID}`]: { body: JSON.stringify({ trace: tempoJson(), metrics: {} }) }, [`/api/traces/${SHOP_TRACE_ID}`]: { body: JSON.stringify(tempoJson()) } });
    const v2 = await client(s).trace(SHOP_TRACE_ID);
    const spans = v2.batches.flatMap(b => b.spans);
    assert.equal(spans.length, 3);
    const checkout = spans.find(x => x.spanId === SHOP_CHECKOUT)!;
    assert.equal(checkout.parentSpanId, SHOP_ROOT);
    assert.equal(checkout.statusCode, StatusCode.Error);
    assert.equal(checkout.details().links[0]!.traceId, '0af7651916cd43dd8448eb211c80319c');
  });
});
