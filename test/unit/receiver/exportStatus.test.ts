// One hand-off, one status table: the same request gets the matching answer over OTLP/HTTP and OTLP/gRPC
// (docs/receiver.md#error-mapping), and logs and metrics are acknowledged alike on both.
import * as assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { EXPORT_STATUS } from '../../../extension/src/receiver/exportStatus';
import { resolveOptions } from '../../../extension/src/receiver/receiverOptions';
import { ReceiverStats } from '../../../extension/src/receiver/receiverStats';
import { ExportHandoff, type ExportRequest, type ReceivedBatch } from '../../../extension/src/receiver/traceIngest';
import { ExportTraceServiceResponse, RpcStatus } from '../../fixtures/otlpSchema';
import { agentDemoPb } from '../otlp/fixtures';
import { GRPC_PATHS, type TestReceiver, grpcCall, post, startReceiver } from './receiverHarness';

const PB = { 'Content-Type': 'application/x-protobuf' };
const LIMIT = 64 * 1024;

function rpcStatus(body: Buffer): { code: number; message: string } {
  return RpcStatus.toObject(RpcStatus.decode(body), { defaults: true }) as { code: number; message: string };
}

/** The capture with one span's trace id zeroed: a partial success. */
function withOneBadSpan(): Buffer {
  const pb = Buffer.from(agentDemoPb());
  const at = pb.indexOf(Buffer.from('2cb21542d13673cdee2a284b8a7a7c17', 'hex'));
  assert.ok(at > 0);
  pb.fill(0, at, at + 16);
  return pb;
}

describe('receiver status table, both transports', () => {
  let r: TestReceiver;
  before(async () => {
    r = await startReceiver({ maxBodyBytes: LIMIT });
  });
  after(async () => {
    await r.receiver.dispose();
  });

  it('maps every kind of failure to an HTTP status and the gRPC code its google.rpc.Status carries', () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(EXPORT_STATUS).map(([kind, s]) => [kind, [s.http, grpc.status[s.grpc]]])),
      {
        badRequest: [400, 'INVALID_ARGUMENT'],
        tooLarge: [413, 'RESOURCE_EXHAUSTED'],
        unsupportedMediaType: [415, 'INVALID_ARGUMENT'],
        methodNotAllowed: [405, 'UNIMPLEMENTED'],
        timeout: [408, 'DEADLINE_EXCEEDED'],
        aborted: [0, 'CANCELLED'],
        internal: [500, 'INTERNAL'],
      },
    );
  });

  const undecodable: [string, () => Buffer][] = [
    ['a truncated request', () => agentDemoPb().subarray(0, 2000)],
    ['a wrong wire type', () => Buffer.from([0x0a, 0x09, 0x12, 0x07, 0x12, 0x05, 0x2d, 1, 2, 3, 4])],
    ['random bytes', () => Buffer.from('ffffffffffffffffffffff0102030405', 'hex')],
  ];
  for (const [name, body] of undecodable) {
    it(`${name}: 400 and INVALID_ARGUMENT, with the same message, counted once per transport`, async () => {
      const s0 = r.receiver.stats();
      const h = await post(r.httpPort, '/v1/traces', PB, body());
      const g = await grpcCall(r.grpcPort, body());
      const want = EXPORT_STATUS.badRequest;
      assert.equal(h.status, want.http);
      const st = rpcStatus(h.body);
      assert.equal(st.code, want.grpc);
      assert.equal(g.err?.code, want.grpc);
      assert.match(st.message, /^could not decode the protobuf ExportTraceServiceRequest: /);
      assert.equal(g.err.details, st.message);
      const s1 = r.receiver.stats();
      assert.equal(s1.errors.badRequest - s0.errors.badRequest, 2);
      assert.equal(s1.traceRequests, s0.traceRequests);
      assert.ok(r.warnings.includes(`OTLP/HTTP 400: ${st.message}`));
      assert.ok(r.warnings.includes(`OTLP/gRPC INVALID_ARGUMENT: ${st.message}`));
    });
  }

  it('a body over the limit: 413 and RESOURCE_EXHAUSTED', async () => {
    const big = Buffer.alloc(LIMIT + 1);
    const h = await post(r.httpPort, '/v1/traces', PB, big);
    const g = await grpcCall(r.grpcPort, big);
    assert.equal(h.status, EXPORT_STATUS.tooLarge.http);
    assert.equal(rpcStatus(h.body).code, EXPORT_STATUS.tooLarge.grpc);
    assert.equal(g.err?.code, EXPORT_STATUS.tooLarge.grpc);
  });

  it('a partial success: the same ExportTraceServiceResponse bytes on both, the same spans delivered', async () => {
    const before = r.received.length;
    const h = await post(r.httpPort, '/v1/traces', PB, withOneBadSpan());
    const g = await grpcCall(r.grpcPort, withOneBadSpan());
    assert.equal(h.status, 200);
    assert.equal(g.err, null);
    assert.deepEqual(g.res, h.body);
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(h.body), { longs: String }) as { partialSuccess: { rejectedSpans: string } };
    assert.equal(decoded.partialSuccess.rejectedSpans, '1');
    const [viaHttp, viaGrpc] = r.received.slice(before);
    assert.equal(viaHttp?.transport, 'http');
    assert.equal(viaGrpc?.transport, 'grpc');
    assert.equal(viaGrpc.path, GRPC_PATHS.traces);
    assert.equal(viaHttp.batch.columns.count, 27);
    assert.equal(viaGrpc.batch.columns.count, 27);
    assert.deepEqual(viaGrpc.batch.columns.body, viaHttp.batch.columns.body);
  });

  for (const signal of ['logs', 'metrics'] as const) {
    it(`${signal}: acknowledged with an empty response and counted on both, never decoded or delivered`, async () => {
      const before = r.received.length;
      const s0 = r.receiver.stats();
      // Not a valid request of either signal: these bodies are not read.
      const body = Buffer.from('ffffffff', 'hex');
      const h = await post(r.httpPort, `/v1/${signal}`, PB, body);
      const g = await grpcCall(r.grpcPort, body, GRPC_PATHS[signal]);
      assert.equal(h.status, 200);
      assert.equal(h.body.length, 0);
      assert.equal(g.err, null);
      assert.equal(g.res?.length, 0);
      const s1 = r.receiver.stats();
      const counted = signal === 'logs' ? s1.logRequests - s0.logRequests : s1.metricRequests - s0.metricRequests;
      assert.equal(counted, 2);
      assert.equal(s1.bodyBytes - s0.bodyBytes, 2 * body.length);
      assert.equal(r.received.length, before);
    });
  }
});

describe('ExportHandoff', () => {
  function handoff(): { h: ExportHandoff; stats: ReceiverStats; delivered: ReceivedBatch[]; warnings: string[] } {
    const warnings: string[] = [];
    const delivered: ReceivedBatch[] = [];
    const stats = new ReceiverStats();
    const options = resolveOptions({ logger: { info() {}, warn: m => warnings.push(m), error: m => warnings.push(m) } });
    return { h: new ExportHandoff(options, stats, b => delivered.push(b)), stats, delivered, warnings };
  }
  const request = (over: Partial<ExportRequest>): ExportRequest => ({ signal: 'traces', transport: 'http', encoding: 'protobuf', path: '/v1/traces', body: agentDemoPb(), wireBytes: 10, ...over });

  it('counts, delivers the columns over the body and answers full success with an empty response', async () => {
    const { h, stats, delivered } = handoff();
    const body = agentDemoPb();
    const result = await h.export(request({ body }));
    assert.deepEqual(result, { ok: true, response: new Uint8Array(0) });
    assert.equal(delivered.length, 1);
    assert.equal(delivered[0]!.batch.columns.body, body, 'a protobuf request is delivered without a copy');
    assert.deepEqual({ ...delivered[0], batch: undefined, waitUntil: undefined }, { batch: undefined, waitUntil: undefined, transport: 'http', encoding: 'protobuf', wireBytes: 10, path: '/v1/traces' });
    const s = stats.snapshot();
    assert.deepEqual([s.traceRequests, s.spans, s.wireBytes, s.bodyBytes], [1, 28, 10, body.length]);
  });

  it('a JSON request: the columns point into the protobuf it was transcoded into; `{}` for full success', async () => {
    const { h, delivered } = handoff();
    const json = Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'x' }] }] }] }));
    const result = await h.export(request({ encoding: 'json', body: json }));
    assert.ok(result.ok);
    assert.equal(Buffer.from(result.response).toString(), '{}');
    assert.equal(delivered[0]!.batch.columns.count, 1);
    assert.equal(delivered[0]!.encoding, 'json');
    assert.notEqual(delivered[0]!.batch.columns.body[0], '{'.charCodeAt(0));
  });

  it('a failure is a result with its row of the table, counted and logged, never a rejection', async () => {
    const { h, stats, delivered, warnings } = handoff();
    for (const transport of ['http', 'grpc'] as const) {
      const result = await h.export(request({ transport, body: Buffer.from([0xff]) }));
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.equal(result.kind, 'badRequest');
      assert.equal(result.status, EXPORT_STATUS.badRequest);
    }
    assert.equal(stats.snapshot().errors.badRequest, 2);
    assert.equal(delivered.length, 0);
    assert.deepEqual(
      warnings.map(w => w.split(':')[0]),
      ['OTLP/HTTP 400', 'OTLP/gRPC INVALID_ARGUMENT'],
    );
  });
});
