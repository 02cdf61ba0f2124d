import * as assert from 'node:assert/strict';
import { type Span, SpanKind, StatusCode } from '../../../extension/src/core/model/span';
import { OtlpDecodeError } from '../../../extension/src/core/otlp/decodeError';
import { decodeTraceRequest, decodeTraceRequestSteps } from '../../../extension/src/core/otlp/protobufDecoder';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { ExportTraceServiceRequest } from '../../fixtures/otlpSchema';
import { agentDemoJson, agentDemoPb } from './fixtures';
import { assertBatchEqualsJson } from './otlpJsonExpect';

const hexBytes = (hex: string) => Buffer.from(hex, 'hex');

/** Encodes an OTLP/JSON-shaped request with protobufjs (ids as bytes, times as strings). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function encodeWithProtobufjs(request: any): Uint8Array {
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish();
}

function span(fields: Record<string, unknown>): Record<string, unknown> {
  return { traceId: hexBytes('0af7651916cd43dd8448eb211c80319c'), spanId: hexBytes('b7ad6b7169203331'), name: 's', ...fields };
}

describe('core/otlp protobuf decoder', () => {
  it('decodes all 28 spans of the real msgflux request exactly as its OTLP/JSON says', () => {
    const batch = decodeTraceRequest(agentDemoPb());
    assert.equal(batch.spans.length, 28);
    assert.equal(batch.rejectedSpans, 0);
    assertBatchEqualsJson(batch.spans, agentDemoJson());
    // One Resource and one Scope object, shared by every span.
    assert.equal(batch.resources.length, 1);
    assert.equal(batch.scopes.length, 1);
    assert.ok(batch.spans.every(s => s.resource === batch.resources[0] && s.scope === batch.scopes[0]));
    assert.equal(batch.resources[0]!.serviceName, 'msgtrace-app');
    assert.equal(batch.scopes[0]!.name, 'msgtrace.sdk');
  });

  it('finds the ERROR module with its two exception events in the capture', () => {
    const batch = decodeTraceRequest(agentDemoPb());
    const failed = batch.spans.filter(s => s.statusCode === StatusCode.Error);
    assert.ok(failed.length >= 1);
    const exploder = failed.find(s => s.eventCount === 2)!;
    assert.equal(exploder.kind, SpanKind.Server);
    assert.ok(exploder.statusMessage.length > 0);
    const stack = exploder.details().events.map(e => e.attributes.find(kv => kv.key === 'exception.stacktrace')?.value);
    assert.ok(stack.some(s => typeof s === 'string' && s.includes('demo_program.py')));
  });

  it('decodes every AnyValue kind, int64 extremes and nanosecond times exactly', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'héllo ✓ 😀' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'i', value: { intValue: '-9223372036854775808' } },
      { key: 'imax', value: { intValue: '9223372036854775807' } },
      { key: 'd', value: { doubleValue: -1.5e300 } },
      { key: 'bytes', value: { bytesValue: Buffer.from([0, 1, 254, 255]).toString('base64') } },
      { key: 'arr', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'x' }, { arrayValue: { values: [] } }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { doubleValue: 0.5 } }, { key: 'a', value: { boolValue: false } }] } } },
      { key: 'empty', value: {} },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '42' } },
    ];
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.0.0',
          scopeSpans: [
            {
              scope: { name: 'scope', version: '1.2.3' },
              spans: [
                span({
                  parentSpanId: hexBytes('00f067aa0ba902b7'),
                  traceState: 'k=v',
                  kind: 3,
                  flags: 769,
                  startTimeUnixNano: '18446744073709551615',
                  endTimeUnixNano: '1',
                  attributes,
                  droppedAttributesCount: 3,
                  events: [{ timeUnixNano: '1795493440056396601', name: 'e', attributes: [{ key: 'x', value: { intValue: '7' } }], droppedAttributesCount: 1 }],
                  droppedEventsCount: 2,
                  links: [{ traceId: hexBytes('0af7651916cd43dd8448eb211c80319d'), spanId: hexBytes('b7ad6b7169203332'), traceState: 't', flags: 1, attributes: [{ key: 'l', value: { stringValue: 'y' } }] }],
                  droppedLinksCount: 4,
                  status: { code: 2, message: 'boom' },
                }),
              ],
            },
          ],
        },
      ],
    };
    const batch = decodeTraceRequest(encodeWithProtobufjs(request));
    const expectedJson = JSON.parse(JSON.stringify(request, (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)));
    assertBatchEqualsJson(batch.spans, expectedJson);
    const s = batch.spans[0]!;
    assert.equal(s.startTimeUnixNano, 18446744073709551615n);
    assert.equal(s.startMs, 18446744073709);
    assert.equal(s.startSubMsNanos, 551615);
    assert.deepEqual(s.indexed, [{ key: 'gen_ai.usage.input_tokens', value: 42n }]);
    assert.equal(s.indexedAttribute('gen_ai.usage.input_tokens'), 42n);
    assert.ok(s.protobufBytes()!.length > 100);
  });

  it('rejects spans with missing, zero or wrong-length ids and says why, keeping the others', () => {
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span({ name: 'ok' }),
                span({ traceId: Buffer.alloc(16) }),
                span({ traceId: undefined }),
                span({ spanId: hexBytes('b7ad6b71692033') }),
                span({ spanId: Buffer.alloc(8) }),
                span({ parentSpanId: hexBytes('0102') }),
                span({ name: 'zero-parent', parentSpanId: Buffer.alloc(8) }),
              ],
            },
          ],
        },
      ],
    };
    const batch = decodeTraceRequest(encodeWithProtobufjs(request));
    assert.deepEqual(batch.spans.map((s: Span) => [s.name, s.parentSpanId]), [['ok', ''], ['zero-parent', '']]);
    assert.equal(batch.rejectedSpans, 5);
    assert.match(batch.rejectionMessage, /^rejected 5 spans: 2 with an invalid trace_id .*, 2 with an invalid span_id .*, 1 with an invalid parent_span_id/);
  });

  it('accepts an empty request and empty envelopes', () => {
    assert.equal(decodeTraceRequest(new Uint8Array(0)).spans.length, 0);
    const batch = decodeTraceRequest(encodeWithProtobufjs({ resourceSpans: [{}, { scopeSpans: [{}] }] }));
    assert.equal(batch.spans.length, 0);
    assert.equal(batch.rejectedSpans, 0);
  });

  it('skips unknown fields of every wire type, including groups', () => {
    const base = Buffer.from(encodeWithProtobufjs({ resourceSpans: [{ scopeSpans: [{ spans: [span({ name: 'n' })] }] }] }));
    // Field 99 as varint, fixed64, len, fixed32 and an empty group, appended to the request.
    const unknown = Buffer.from([0x98, 0x06, 0x01, 0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0x9a, 0x06, 0x02, 0x61, 0x62, 0x9d, 0x06, 1, 2, 3, 4, 0x9b, 0x06, 0x08, 0x01, 0x9c, 0x06]);
    const batch = decodeTraceRequest(Buffer.concat([unknown, base, unknown]));
    assert.deepEqual(batch.spans.map(s => s.name), ['n']);
  });

  it('keeps the fields after an unknown group inside a span when the store copies its rest bytes', () => {
    // Span { trace_id, span_id, name, field 99 as a group holding a varint, attributes: k=v, status.message }.
    const group = [0x9b, 0x06, 0x08, 0x01, 0x9c, 0x06];
    const kv = [0x0a, 0x01, 0x6b, 0x12, 0x03, 0x0a, 0x01, 0x76];
    const status = [0x12, 0x04, ...Buffer.from('boom')];
    const spanBytes = [0x0a, 16, ...hexBytes('0af7651916cd43dd8448eb211c80319c'), 0x12, 8, ...hexBytes('b7ad6b7169203331'), 0x2a, 1, 0x6e, ...group, 0x4a, kv.length, ...kv, 0x7a, status.length, ...status];
    const scopeSpans = [0x12, spanBytes.length, ...spanBytes];
    const body = Buffer.from([0x0a, scopeSpans.length + 2, 0x12, scopeSpans.length, ...scopeSpans]);
    const store = new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });
    store.ingest(decodeTraceRequest(body, { columns: true }), { transport: 'test' });
    const back = store.rows.span(store.findRow('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331'))!;
    assert.deepEqual(back.details().attributes, [{ key: 'k', value: 'v' }]);
    assert.equal(back.statusMessage, 'boom');
  });

  it('throws OtlpDecodeError with an offset for truncated input, wrong wire types and bad tags', () => {
    const good = Buffer.from(decodeInputWithEvents());
    for (let cut = 1; cut < good.length; cut++) {
      const truncated = good.subarray(0, cut);
      try {
        decodeTraceRequest(truncated);
      } catch (err) {
        assert.ok(err instanceof OtlpDecodeError, `cut at ${cut}: ${String(err)}`);
        assert.ok(err.offset >= 0 && err.offset <= cut);
      }
    }
    // resource_spans (field 1) sent as a varint.
    assert.throws(() => decodeTraceRequest(Buffer.from([0x08, 0x01])), /ExportTraceServiceRequest field 1 has wire type 0 \(at byte 0\)/);
    // Span.name (field 5) as a fixed32 inside a valid envelope.
    const badSpan = Buffer.from([0x0a, 0x09, 0x12, 0x07, 0x12, 0x05, 0x2d, 1, 2, 3, 4]);
    assert.throws(() => decodeTraceRequest(badSpan), /Span field 5 has wire type 5/);
    assert.throws(() => decodeTraceRequest(Buffer.from([0x9f, 0x06])), /invalid wire type 7/);
    assert.throws(() => decodeTraceRequest(Buffer.from([0x00])), /field number 0/);
    assert.throws(() => decodeTraceRequest(Buffer.from([0x0a, 0x05, 0x01])), /runs past the end/);
    assert.throws(() => decodeTraceRequest(Buffer.from([0x98, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), /varint longer than 10 bytes/);
  });

  it('limits AnyValue nesting depth', () => {
    let value: Record<string, unknown> = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const body = encodeWithProtobufjs({ resourceSpans: [{ scopeSpans: [{ spans: [span({ attributes: [{ key: 'deep', value }] })] }] }] });
    assert.throws(() => decodeTraceRequest(body), (err: unknown) => err instanceof OtlpDecodeError && /nested too deeply/.test(err.message));
    const batch = decodeTraceRequest(body, { limits: { maxValueDepth: 64 } });
    let v = batch.spans[0]!.attributes()[0]!.value;
    let depth = 0;
    while (Array.isArray(v)) {
      v = (v as unknown[])[0] as typeof v;
      depth++;
    }
    assert.equal(depth, 40);
    assert.equal(v, 'leaf');
  });

  it('yields between slices and gives the same result as the one-shot decode', () => {
    const request = { resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 200 }, (_, i) => span({ name: `s${i}` })) }] }] };
    const body = encodeWithProtobufjs(request);
    const steps = decodeTraceRequestSteps(body, { sliceBytes: 1000 });
    let yields = 0;
    let next = steps.next();
    while (!next.done) {
      yields++;
      next = steps.next();
    }
    assert.ok(yields > 5, `only ${yields} yields`);
    assert.deepEqual(next.value.spans.map(s => s.name), request.resourceSpans[0]!.scopeSpans[0]!.spans.map(s => s.name));
  });
});

function decodeInputWithEvents(): Uint8Array {
  return encodeWithProtobufjs({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ scope: { name: 'sc' }, spans: [span({ attributes: [{ key: 'a', value: { arrayValue: { values: [{ intValue: '1' }] } } }], events: [{ name: 'e', timeUnixNano: '5' }], status: { code: 1 } })] }],
      },
    ],
  });
}
