// Property tests: thousands of random inputs through the decoders. Random bytes and mutated real requests
// either decode or throw OtlpDecodeError (never anything else); what protobufjs encodes decodes to the same
// spans; and JSON re-encoding round-trips.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { OtlpDecodeError } from '../../../extension/src/core/otlp/decodeError';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { encodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonEncoder';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { ExportTraceServiceRequest } from '../../fixtures/otlpSchema';
import { formatAnyValue } from '../../../extension/src/core/model/anyValue';
import type { Span } from '../../../extension/src/core/model/span';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { agentDemoPb } from './fixtures';
import { assertBatchEqualsJson } from './otlpJsonExpect';
import { request } from './otlpArbitraries';

function decodesOrOwnError(body: Uint8Array): void {
  try {
    const batch = decodeTraceRequest(body);
    for (const s of batch.spans) s.details();
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
  }
}

/** OTLP/JSON (hex ids) -> the protobufjs object form (ids as bytes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toProtobufjs(req: any): Uint8Array {
  // A deep copy with hex ids as bytes. Not through JSON: JSON.stringify turns ±Infinity into null.
  const convert = (v: unknown, key = ''): unknown =>
    Array.isArray(v)
      ? v.map(x => convert(x))
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x, k)]))
        : /^(traceId|spanId|parentSpanId)$/.test(key) && typeof v === 'string'
          ? Buffer.from(v, 'hex')
          : v;
  const obj = convert(req) as Record<string, unknown>;
  return ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(obj)).finish();
}
const isValid = (id: string) => !/^0*$/.test(id);

describe('core/otlp decoder properties', function () {
  this.timeout(60_000);

  it('random bytes: decode or OtlpDecodeError, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), b => decodesOrOwnError(b)), { numRuns: 5000 });
  });

  it('the real request with random bytes overwritten, cut or inserted: decode or OtlpDecodeError', () => {
    const pb = agentDemoPb();
    fc.assert(
      fc.property(fc.nat(pb.length - 1), fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.constantFrom('overwrite', 'cut', 'insert'), (at, bytes, how) => {
        const b = Buffer.from(pb);
        if (how === 'overwrite') b.set(bytes.subarray(0, Math.min(bytes.length, b.length - at)), at);
        const body = how === 'cut' ? b.subarray(0, at) : how === 'insert' ? Buffer.concat([b.subarray(0, at), bytes, b.subarray(at)]) : b;
        decodesOrOwnError(body);
      }),
      { numRuns: 3000 },
    );
  });

  it('whatever protobufjs encodes decodes to the same spans, and JSON round-trips', () => {
    fc.assert(
      fc.property(request, req => {
        const batch = decodeTraceRequest(toProtobufjs(req));
        // The decoder rejects all-zero ids and reads an all-zero parent as none; the generator can make them.
        const expected = { resourceSpans: req.resourceSpans.map(rs => ({ ...rs, scopeSpans: rs.scopeSpans.map(ss => ({ ...ss, spans: ss.spans.filter(s => isValid(s.traceId) && isValid(s.spanId)).map(s => (isValid(s.parentSpanId) ? s : { ...s, parentSpanId: '' })) })) })) };
        assertBatchEqualsJson(batch.spans, expected);
        const again = decodeTraceRequestJson(encodeTraceRequestJson(batch.spans));
        assertBatchEqualsJson(again.spans, expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('random JSON: decode or OtlpDecodeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), request.map(r => JSON.stringify(r).slice(0, -3))), text => {
        try {
          decodeTraceRequestJson(text);
        } catch (err) {
          assert.ok(err instanceof OtlpDecodeError, String(err));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('spans read back from the store equal the decoded spans, from protobuf columns and from JSON (property)', () => {
    const fields = (sp: Span) => ({
      traceId: sp.traceId,
      spanId: sp.spanId,
      traceState: sp.traceState,
      flags: sp.flags,
      name: sp.name,
      kind: sp.kind,
      start: [sp.startMs, sp.startSubMsNanos],
      end: [sp.endMs, sp.endSubMsNanos],
      status: [sp.statusCode, sp.statusMessage],
      dropped: [sp.droppedAttributesCount, sp.droppedEventsCount, sp.droppedLinksCount],
      counts: [sp.eventCount, sp.linkCount],
      details: sp.details(),
      // Equal resources are one in a store: compared as the text that identifies them.
      resource: sp.resource.attributes.map(kv => `${kv.key}=${kv.value === null ? '' : formatAnyValue(kv.value)}`),
      scope: [sp.scope.name, sp.scope.version],
    });
    fc.assert(
      fc.property(request, req => {
        // Each store against the Span objects decoded from the same encoding (JSON cannot carry -0, protobuf can).
        const json = decodeTraceRequestJson(Buffer.from(JSON.stringify(req)));
        const fromJson = new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });
        fromJson.ingestSpans(json.spans, { transport: 'test' });
        const pbBody = toProtobufjs(req);
        const pb = decodeTraceRequest(pbBody);
        const fromPb = new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });
        fromPb.ingest(decodeTraceRequest(pbBody, { columns: true }), { transport: 'test' });
        for (const [spans, store] of [[json.spans, fromJson], [pb.spans, fromPb]] as const) {
          // Ids repeated in a random request are one span in a store (the first wins): compare the unique ones.
          const count = new Map<string, number>();
          for (const sp of spans) count.set(sp.traceId + sp.spanId, (count.get(sp.traceId + sp.spanId) ?? 0) + 1);
          for (const sp of spans) {
            if (count.get(sp.traceId + sp.spanId) !== 1) continue;
            const back = store.rows.span(store.findRow(sp.traceId, sp.spanId));
            assert.ok(back, `span ${sp.spanId} stored`);
            assert.deepEqual(fields(back), fields(sp));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
