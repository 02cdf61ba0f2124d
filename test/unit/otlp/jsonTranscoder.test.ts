// OTLP/JSON is checked and written as protobuf (core/otlp/jsonTranscoder.ts) before the protobuf decoder reads
// it: long values whose lengths take 2, 3 and 4 varint bytes, every id and enum rule, the error paths, and
// rejected spans that leave their scope out.
import * as assert from 'node:assert/strict';
import { OtlpDecodeError } from '../../../extension/src/core/otlp/decodeError';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { ProtoWriter } from '../../../extension/src/core/otlp/protoWriter';
import { ExportTraceServiceRequest } from '../../fixtures/otlpSchema';
import { assertBatchEqualsJson } from './otlpJsonExpect';

const TRACE = '5b8efff798038103d269b633813fc60c';
const span = (over: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId: 'eee19b7ec3c1b174',
  name: 'chat',
  startTimeUnixNano: '1795493440056396601',
  endTimeUnixNano: '1795493440156396601',
  ...over,
});
const request = (...spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });
const decode = (req: unknown) => decodeTraceRequestJson(Buffer.from(JSON.stringify(req)));

describe('core/otlp JSON transcoder', () => {
  it('writes values of every length class (1- to 4-byte length prefixes) that decode as the JSON says', () => {
    const sizes = [3, 200, 20_000, 3_000_000];
    const attributes = sizes.map(n => ({ key: `s${n}`, value: { stringValue: 'é'.repeat(n >> 1) + 'x'.repeat(n & 1) } }));
    attributes.push({ key: 'nested', value: { kvlistValue: { values: [{ key: 'inner', value: { arrayValue: { values: [{ stringValue: 'y'.repeat(30_000) }, { intValue: '-9223372036854775808' }] } } }] } } } as never);
    const req = request(span({ attributes, kind: 3, status: { code: 2, message: 'boom' }, flags: 257 }));
    const batch = decode(req);
    assertBatchEqualsJson(batch.spans, req);
    // And the bytes are what protobufjs reads as the same request.
    const pb = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(transcoded(req)), { longs: String }) as { resourceSpans: { scopeSpans: { spans: { attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[] };
    const read = pb.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes;
    assert.deepEqual(read.map(kv => kv.key), ['s3', 's200', 's20000', 's3000000', 'nested']);
    assert.equal(read[3]!.value.stringValue, attributes[3]!.value.stringValue);
  });

  it('reads ids in any case, enums as names or numbers, int64 as string or number, uint64 times exactly', () => {
    const req = request(
      span({
        traceId: TRACE.toUpperCase(),
        kind: 'SPAN_KIND_CLIENT',
        startTimeUnixNano: '18446744073709551615',
        endTimeUnixNano: 1795493440156396,
        attributes: [
          { key: 'a', value: { intValue: 42 } },
          { key: 'b', value: { intValue: '-1' } },
          { key: 'c', value: { doubleValue: 'Infinity' } },
          { key: 'd', value: { bytesValue: 'AAEC' } },
          { key: 'e', value: {} },
        ],
        status: { code: 'STATUS_CODE_ERROR' },
      }),
    );
    const [s] = decode(req).spans;
    assert.equal(s!.traceId, TRACE);
    assert.equal(s!.kind, 3);
    assert.equal(s!.statusCode, 2);
    assert.deepEqual([s!.startMs, s!.startSubMsNanos], [18446744073709, 551615]);
    assert.deepEqual([s!.endMs, s!.endSubMsNanos], [1795493440, 156396]);
    assert.deepEqual(
      s!.details().attributes.map(kv => kv.value),
      [42n, -1n, Infinity, new Uint8Array([0, 1, 2]), null],
    );
  });

  it('names the JSON path of malformed data', () => {
    const bad = (req: unknown, message: string) => assert.throws(() => decode(req), (e: unknown) => e instanceof OtlpDecodeError && e.message === message);
    bad([], '$: expected an object');
    bad({ resourceSpans: {} }, 'resourceSpans: expected an array');
    bad(request(span(), span({ attributes: [{ key: 'k', value: { intValue: 'x' } }] })), 'resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.intValue: expected an int64 (decimal string or integer)');
    bad(request(span({ events: [{ name: 3 }] })), 'resourceSpans[0].scopeSpans[0].spans[0].events[0].name: expected a string');
    bad(request(span({ startTimeUnixNano: '18446744073709551616' })), 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected a uint64 decimal string');
    bad(request(span({ links: [{ traceId: 'zz', spanId: '' }] })), 'resourceSpans[0].scopeSpans[0].spans[0].links[0].traceId: expected a hex id');
    const deep = (n: number): unknown => (n === 0 ? { stringValue: 'x' } : { arrayValue: { values: [deep(n - 1)] } });
    // The nesting limit (32) is the JSON check's and the protobuf decoder's alike: 32 arrays pass both.
    assert.match(decodeError(request(span({ attributes: [{ key: 'k', value: deep(33) }] }))) ?? '', /spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+: attribute value nested too deeply$/);
    assert.equal(decodeError(request(span({ attributes: [{ key: 'k', value: deep(32) }] }))), undefined);
  });

  it('leaves out spans with invalid ids, counted, and the scope and resource that had only those', () => {
    const req = {
      resourceSpans: [
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gone' } }] }, scopeSpans: [{ spans: [span({ traceId: '00'.repeat(16) }), span({ spanId: 'xyz' })] }] },
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'kept' } }] }, scopeSpans: [{ spans: [span(), span({ parentSpanId: '123' })] }] },
      ],
    };
    const batch = decode(req);
    assert.equal(batch.spans.length, 1);
    assert.equal(batch.rejectedSpans, 3);
    assert.match(batch.rejectionMessage, /^rejected 3 spans: 1 with an invalid trace_id .*, 1 with an invalid span_id .*, 1 with an invalid parent_span_id/);
    assert.deepEqual(batch.resources.map(r => r.serviceName), ['kept']);
    // An all-zero parent is no parent.
    assert.equal(decode(request(span({ parentSpanId: '0000000000000000' }))).spans[0]!.parentSpanId, '');
  });

  it('ProtoWriter moves a nested message right when its length needs more bytes', () => {
    for (const n of [0, 127, 128, 16_383, 16_384, 2_097_152]) {
      const w = new ProtoWriter(4);
      const outer = w.begin(1);
      w.bytes(2, new Uint8Array(n).fill(7));
      w.end(outer);
      w.uint32(3, 5);
      const out = w.finish();
      // Read it back by hand: tag, length, tag, length, bytes, tag, value.
      let p = 0;
      const varint = () => {
        let v = 0;
        for (let s = 0; ; s += 7) {
          const b = out[p++]!;
          v += (b & 0x7f) * 2 ** s;
          if (b < 0x80) return v;
        }
      };
      assert.equal(varint(), (1 << 3) | 2);
      const outerLen = varint();
      const outerEnd = p + outerLen;
      assert.equal(varint(), (2 << 3) | 2);
      assert.equal(varint(), n);
      assert.ok(out.subarray(p, p + n).every(b => b === 7));
      p += n;
      assert.equal(p, outerEnd, `outer length for ${n}`);
      assert.equal(varint(), (3 << 3) | 0);
      assert.equal(varint(), 5);
      assert.equal(p, out.length);
    }
  });
});

function decodeError(req: unknown): string | undefined {
  try {
    decode(req);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The transcoded protobuf of a request, as the receiver's columns point into it. */
function transcoded(req: unknown): Uint8Array {
  const batch = decodeTraceRequestJson(Buffer.from(JSON.stringify(req)), undefined, { columns: true });
  return batch.columns!.body;
}
