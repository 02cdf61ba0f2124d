// OTLP/HTTP: the real msgflux request replayed byte for byte, and bad input answered with the right status
// and google.rpc.Status message while the receiver keeps serving.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { ExportTraceServiceResponse, RpcStatus } from '../../fixtures/otlpSchema';
import { agentDemoJson, agentDemoPb } from '../otlp/fixtures';
import { assertBatchEqualsJson } from '../otlp/otlpJsonExpect';
import { type TestReceiver, post, startReceiver } from './receiverHarness';

const PB = { 'Content-Type': 'application/x-protobuf' };
const JSON_CT = { 'Content-Type': 'application/json' };
const LIMIT = 256 * 1024;

describe('receiver OTLP/HTTP', function () {
  let r: TestReceiver;
  before(async () => {
    r = await startReceiver({ grpcPort: null, maxBodyBytes: LIMIT, requestTimeoutMs: 400 });
  });
  after(async () => {
    await r.receiver.dispose();
  });

  /** After every bad-input case: the receiver still decodes the real request. */
  async function assertStillServing(): Promise<void> {
    const before = r.received.length;
    const res = await post(r.httpPort, '/v1/traces', PB, agentDemoPb());
    assert.equal(res.status, 200);
    assert.equal(r.received[before]?.batch.spans.length, 28);
  }

  function rpcStatus(body: Buffer): { code: number; message: string } {
    return RpcStatus.toObject(RpcStatus.decode(body), { defaults: true }) as { code: number; message: string };
  }

  const meta = JSON.parse(JSON.stringify(agentDemoJson())) as unknown;
  for (const path of ['/', '/v1/traces', '/api/v1/traces/export']) {
    for (const gzip of [false, true]) {
      it(`replays the msgflux capture to ${path}${gzip ? ' gzip-compressed' : ''}: 200, empty response, 28 spans exactly`, async () => {
        const before = r.received.length;
        const body = gzip ? zlib.gzipSync(agentDemoPb()) : agentDemoPb();
        const headers = { ...PB, 'User-Agent': 'OTel-OTLP-Exporter-Python/1.35.0', 'Accept-Encoding': 'gzip, deflate', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) };
        const res = await post(r.httpPort, path, headers, body);
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'application/x-protobuf');
        assert.equal(res.body.length, 0, 'full success has no partial_success');
        const got = r.received[before]!;
        assert.equal(got.path, path);
        assert.equal(got.wireBytes, body.length);
        assertBatchEqualsJson(got.batch.spans, meta);
      });
    }
  }

  it('accepts deflate and JSON, answering JSON with JSON', async () => {
    const before = r.received.length;
    const res = await post(r.httpPort, '/v1/traces', { ...JSON_CT, 'Content-Encoding': 'deflate' }, zlib.deflateSync(JSON.stringify(agentDemoJson())));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(res.body.toString()), {});
    assertBatchEqualsJson(r.received[before]!.batch.spans, agentDemoJson());
  });

  it('answers partial_success with a count and a message when spans are rejected', async () => {
    const req = agentDemoJson();
    const spans = req.resourceSpans[0].scopeSpans[0].spans;
    spans[0].traceId = '00000000000000000000000000000000';
    spans[1].spanId = 'abcd';
    const res = await post(r.httpPort, '/v1/traces', JSON_CT, JSON.stringify(req));
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body.toString());
    assert.equal(body.partialSuccess.rejectedSpans, '2');
    assert.match(body.partialSuccess.errorMessage, /rejected 2 spans: 1 with an invalid trace_id .*, 1 with an invalid span_id/);
    assert.equal(r.received.at(-1)!.batch.spans.length, 26);

    // The same in protobuf: the rejected span has an 8-byte trace id.
    const pb = Buffer.from(agentDemoPb());
    const at = pb.indexOf(Buffer.from('2cb21542d13673cdee2a284b8a7a7c17', 'hex'));
    assert.ok(at > 0);
    pb.fill(0, at, at + 16);
    const res2 = await post(r.httpPort, '/v1/traces', PB, pb);
    assert.equal(res2.status, 200);
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(res2.body), { longs: String }) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(decoded.partialSuccess.rejectedSpans, '1');
    assert.match(decoded.partialSuccess.errorMessage, /invalid trace_id/);
  });

  it('accepts and counts /v1/logs and /v1/metrics without delivering spans', async () => {
    const before = r.received.length;
    const s0 = r.receiver.stats();
    assert.equal((await post(r.httpPort, '/v1/logs', PB, Buffer.from([0x0a, 0x00]))).status, 200);
    const m = await post(r.httpPort, '/v1/metrics', JSON_CT, '{"resourceMetrics":[]}');
    assert.equal(m.status, 200);
    assert.equal(m.body.toString(), '{}');
    const s1 = r.receiver.stats();
    assert.equal(s1.logRequests - s0.logRequests, 1);
    assert.equal(s1.metricRequests - s0.metricRequests, 1);
    assert.equal(r.received.length, before);
  });

  const badCases: [string, () => Promise<void>][] = [
    ['truncated protobuf: 400 with a google.rpc.Status saying where', async () => {
      const res = await post(r.httpPort, '/v1/traces', PB, agentDemoPb().subarray(0, 2000));
      assert.equal(res.status, 400);
      assert.equal(res.headers['content-type'], 'application/x-protobuf');
      const st = rpcStatus(res.body);
      assert.equal(st.code, 3);
      assert.match(st.message, /^could not decode the protobuf ExportTraceServiceRequest: .*\(at byte \d+\)$/);
    }],
    ['random protobuf: 400', async () => {
      const res = await post(r.httpPort, '/v1/traces', PB, Buffer.from('ffffffffffffffffffffff0102030405', 'hex'));
      assert.equal(res.status, 400);
      assert.match(rpcStatus(res.body).message, /could not decode/);
    }],
    ['a wrong wire type: 400 naming the field', async () => {
      const res = await post(r.httpPort, '/v1/traces', PB, Buffer.from([0x0a, 0x09, 0x12, 0x07, 0x12, 0x05, 0x2d, 1, 2, 3, 4]));
      assert.equal(res.status, 400);
      assert.match(rpcStatus(res.body).message, /Span field 5 has wire type 5/);
    }],
    ['invalid JSON: 400 with a JSON Status', async () => {
      const res = await post(r.httpPort, '/v1/traces', JSON_CT, '{"resourceSpans": [');
      assert.equal(res.status, 400);
      assert.equal(res.headers['content-type'], 'application/json');
      const st = JSON.parse(res.body.toString());
      assert.equal(st.code, 3);
      assert.match(st.message, /invalid JSON/);
    }],
    ['JSON of the wrong shape: 400 with the path', async () => {
      const res = await post(r.httpPort, '/v1/traces', JSON_CT, '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}');
      assert.equal(res.status, 400);
      assert.match(JSON.parse(res.body.toString()).message, /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano: expected a uint64/);
    }],
    ['deeply nested JSON values: 400', async () => {
      const deep = '{"arrayValue":{"values":['.repeat(5000) + '{}' + ']}}'.repeat(5000);
      const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","attributes":[{"key":"d","value":${deep}}]}]}]}]}`;
      const res = await post(r.httpPort, '/v1/traces', JSON_CT, body);
      assert.equal(res.status, 400);
      assert.match(JSON.parse(res.body.toString()).message, /nested too deeply/);
    }],
    ['a body over the limit: 413', async () => {
      const res = await post(r.httpPort, '/v1/traces', PB, Buffer.alloc(LIMIT + 1));
      assert.equal(res.status, 413);
      assert.match(rpcStatus(res.body).message, /larger than the limit of 262144 bytes/);
    }],
    ['a huge attribute value within the limit decodes; one over it is 413', async () => {
      const big = 'x'.repeat(LIMIT - 1000);
      const ok = await post(r.httpPort, '/v1/traces', JSON_CT, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: [{ key: 'big', value: { stringValue: big } }] }] }] }] }));
      assert.equal(ok.status, 200);
      assert.equal(r.received.at(-1)!.batch.spans[0]!.attributes()[0]!.value, big);
      const tooBig = await post(r.httpPort, '/v1/traces', JSON_CT, JSON.stringify({ big: big + big }));
      assert.equal(tooBig.status, 413);
    }],
    ['a gzip bomb: 413 after decompressing only up to the limit', async () => {
      const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
      assert.ok(bomb.length < LIMIT);
      const t0 = performance.now();
      const res = await post(r.httpPort, '/v1/traces', { ...PB, 'Content-Encoding': 'gzip' }, bomb);
      assert.equal(res.status, 413);
      assert.match(rpcStatus(res.body).message, /after decompression is larger than the limit/);
      assert.ok(performance.now() - t0 < 5000);
    }],
    ['corrupt gzip: 400', async () => {
      const res = await post(r.httpPort, '/v1/traces', { ...PB, 'Content-Encoding': 'gzip' }, Buffer.from('not gzip at all'));
      assert.equal(res.status, 400);
      assert.match(rpcStatus(res.body).message, /could not decompress the gzip body/);
    }],
    ['another content type: 415 text', async () => {
      const res = await post(r.httpPort, '/v1/traces', { 'Content-Type': 'text/plain' }, 'hello');
      assert.equal(res.status, 415);
      assert.equal(res.body.toString(), 'unsupported media type, supported: [application/json, application/x-protobuf]');
    }],
    ['another content encoding: 415', async () => {
      const res = await post(r.httpPort, '/v1/traces', { ...PB, 'Content-Encoding': 'br' }, 'x');
      assert.equal(res.status, 415);
      assert.match(rpcStatus(res.body).message, /unsupported Content-Encoding "br"/);
    }],
    ['GET: 405 with Allow: POST', async () => {
      const res = await post(r.httpPort, '/v1/traces', {}, '', 'GET');
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'POST');
    }],
    ['a slow upload: 408 when the body does not arrive in time', async () => {
      const res = await new Promise<string>((resolve, reject) => {
        const s = net.connect(r.httpPort, '127.0.0.1', () => {
          s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1000\r\n\r\n0123');
        });
        let data = '';
        s.on('data', d => (data += d));
        s.on('close', () => resolve(data));
        s.on('error', reject);
      });
      assert.match(res, /^HTTP\/1.1 408 /);
      assert.match(res, /not received within 400 ms/);
    }],
    ['an aborted upload: counted, nothing delivered', async () => {
      const s0 = r.receiver.stats();
      await new Promise<void>(resolve => {
        const s = net.connect(r.httpPort, '127.0.0.1', () => {
          s.write('POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(5000), () => {
            setTimeout(() => {
              s.destroy();
              resolve();
            }, 50);
          });
        });
      });
      for (let i = 0; i < 50 && r.receiver.stats().errors.aborted === s0.errors.aborted; i++) await new Promise(res => setTimeout(res, 10));
      assert.equal(r.receiver.stats().errors.aborted, s0.errors.aborted + 1);
    }],
    ['malformed HTTP: 400 and the connection closed', async () => {
      const res = await new Promise<string>(resolve => {
        const s = net.connect(r.httpPort, '127.0.0.1', () => s.write('BLAH\r\n\r\n'));
        let data = '';
        s.on('data', d => (data += d));
        s.on('close', () => resolve(data));
        s.on('error', () => resolve(data));
      });
      assert.match(res, /^HTTP\/1.1 400 /);
    }],
  ];
  for (const [name, run] of badCases) {
    it(`bad input, ${name}; the receiver keeps serving`, async () => {
      const before = r.receiver.stats();
      await run();
      const after = r.receiver.stats();
      const errors = (s: typeof before) => Object.values(s.errors).reduce((a, b) => a + b, 0);
      if (!name.includes('decodes')) assert.ok(errors(after) > errors(before), 'the error was counted');
      await assertStillServing();
    });
  }
});
