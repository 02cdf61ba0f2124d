// The one-pass OTLP/JSON path (core/otlp/jsonBytesTranscoder.ts) against the exact one (JSON.parse +
// jsonTranscoder.ts): whenever the one-pass path answers, its spans equal the exact path's field by field; when
// the exact path rejects a body, the one-pass path never answers. Thousands of random requests and mutated texts.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { type SpanBatch } from '../../../extension/src/core/model/batch';
import { OtlpDecodeError } from '../../../extension/src/core/otlp/decodeError';
import { transcodeJsonBytes } from '../../../extension/src/core/otlp/jsonBytesTranscoder';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { RejectionTally } from '../../../extension/src/core/otlp/rejections';
import { agentDemoJson } from './fixtures';
import { request } from './otlpArbitraries';

function runToEnd<T>(g: Generator<void, T, void>): T {
  for (;;) {
    const n = g.next();
    if (n.done) return n.value;
  }
}

/** The one-pass path alone: the batch it gives, or undefined when it leaves the body to the exact path. */
function fast(body: Uint8Array): SpanBatch | undefined {
  const rejections = new RejectionTally();
  const bytes = runToEnd(transcodeJsonBytes(body, 32, rejections, 64));
  if (bytes === undefined) return undefined;
  const batch = decodeTraceRequest(bytes, { rejections });
  return batch;
}

function exact(body: Uint8Array): SpanBatch | OtlpDecodeError {
  try {
    return decodeTraceRequestJson(body, undefined, { exact: true });
  } catch (err) {
    if (err instanceof OtlpDecodeError) return err;
    throw err;
  }
}

/** Everything a decoded batch says, in comparable form. */
function summary(batch: SpanBatch): unknown {
  return {
    spans: batch.spans.map(sp => ({
      ids: [sp.traceId, sp.spanId, sp.parentSpanId, sp.traceState, sp.flags],
      name: sp.name,
      kind: sp.kind,
      times: [sp.startMs, sp.startSubMsNanos, sp.endMs, sp.endSubMsNanos],
      status: [sp.statusCode, sp.statusMessage],
      dropped: [sp.droppedAttributesCount, sp.droppedEventsCount, sp.droppedLinksCount],
      counts: [sp.eventCount, sp.linkCount],
      details: sp.details(),
      resource: [sp.resource.attributes, sp.resource.droppedAttributesCount, sp.resource.schemaUrl],
      scope: [sp.scope.name, sp.scope.version, sp.scope.attributes, sp.scope.schemaUrl],
    })),
    rejected: [batch.rejectedSpans, batch.rejectionMessage],
  };
}

/** Asserts the two paths agree on `body`; returns whether the one-pass path answered. */
function agree(body: Uint8Array): boolean {
  const want = exact(body);
  const got = fast(body);
  if (want instanceof OtlpDecodeError) {
    assert.equal(got, undefined, `the one-pass path accepted what the exact path rejects: ${want.message}`);
    return false;
  }
  if (got === undefined) return false;
  assert.deepStrictEqual(summary(got), summary(want));
  return true;
}

describe('core/otlp one-pass JSON path', function () {
  this.timeout(60_000);

  it('takes the exporters’ JSON (the real msgflux request) and gives what the exact path gives', () => {
    const json = agentDemoJson();
    for (const text of [JSON.stringify(json), JSON.stringify(json, null, 2), `\ufeff${JSON.stringify(json)}`]) {
      assert.ok(agree(Buffer.from(text)), 'the one-pass path answered');
    }
  });

  it('random requests, compact or indented: the same spans as the exact path (property)', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(request, fc.constantFrom(undefined, 1, '\t'), (req, indent) => {
        runs++;
        if (agree(Buffer.from(JSON.stringify(req, null, indent)))) answered++;
      }),
      { numRuns: 1500 },
    );
    // Requests with bytes values, or 20-digit times, go to the exact path; most do not have them.
    assert.ok(answered > runs / 4, `answered ${answered} of ${runs}`);
  });

  it('mutated request texts: never accepts what the exact path rejects, and agrees when both accept (property)', () => {
    let answered = 0;
    let rejected = 0;
    const alphabet = fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', ' ', '0', '1', '-', '.', 'e', 'n', 'u', 'l', 't', 'x', '\u0001', 'é', '\\u00e9', '\\ud83d', '\\ude00', 'null', '"a"');
    fc.assert(
      fc.property(request, fc.array(fc.tuple(fc.nat(), fc.nat(3), alphabet), { minLength: 1, maxLength: 3 }), (req, edits) => {
        let text = JSON.stringify(req);
        for (const [at, cut, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + cut);
        }
        const body = Buffer.from(text);
        if (agree(body)) answered++;
        else if (exact(body) instanceof OtlpDecodeError) rejected++;
      }),
      { numRuns: 3000 },
    );
    // Both outcomes occur often enough for the property to mean something.
    assert.ok(answered > 100 && rejected > 100, `answered ${answered}, rejected ${rejected}`);
  });

  it('hand-picked edges: escapes, surrogates, duplicate and escaped keys, numbers, nulls', () => {
    const base = (spanText: string, extra = '') =>
      Buffer.from(`{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"s"},"spans":[${spanText}]}]}]${extra}}`);
    const ids = '"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174"';
    const cases: [string, boolean][] = [
      // [span JSON, does the one-pass path answer]
      [`{${ids},"name":"a\\n\\"b\\u00e9\\ud83d\\ude00\\ud800x\\/"}`, true],
      [`{${ids},"name":"x","name":"y"}`, false],
      [`{${ids},"na\\u006de":"x"}`, false],
      [`{${ids},"kind":"SPAN_KIND_CLIENT"}`, false],
      [`{${ids},"kind":3.0}`, false],
      [`{${ids},"kind":-1,"flags":"257","droppedAttributesCount":"007"}`, true],
      [`{${ids},"startTimeUnixNano":"18446744073709551615"}`, false],
      [`{${ids},"startTimeUnixNano":179549344005639,"endTimeUnixNano":null}`, true],
      [`{${ids},"attributes":[{"key":"k","value":{"intValue":"-9223372036854775808"}}]}`, false],
      [`{${ids},"attributes":[{"key":"k","value":{"intValue":-42}},{"key":"d","value":{"doubleValue":-0.5e-3}},{"key":"b","value":{"boolValue":false}},{"key":"n","value":null},{"value":{}}]}`, true],
      [`{${ids},"attributes":[{"key":"k","value":{"stringValue":"a","boolValue":true}}]}`, false],
      [`{${ids},"attributes":[{"key":"k","value":{"stringValue":null,"boolValue":true}}]}`, true],
      [`{${ids},"attributes":[{"key":"k","value":{"bytesValue":"AAE="}}]}`, false],
      [`{${ids},"unknown":{"deep":[1,2,{"x":[true,false,null,"s",-0.1E+2]}]},"status":{}}`, true],
      [`{${ids},"status":{"code":2,"message":""}}`, true],
      [`{${ids},"links":[{"traceId":"00","spanId":"","flags":1}],"events":[{"name":"e","timeUnixNano":"5"}]}`, true],
      [`{${ids},"parentSpanId":"0000000000000000"}`, true],
      [`{"traceId":"00000000000000000000000000000000","spanId":"eee19b7ec3c1b174"},{${ids},"parentSpanId":"12"}`, true],
      [`{${ids},"name":"tab\there"}`, false],
    ];
    for (const [spanText, answers] of cases) {
      const body = base(spanText);
      assert.equal(fast(body) !== undefined, answers, spanText);
      agree(body);
    }
    // Whitespace everywhere and a trailing comma / trailing data.
    assert.ok(agree(Buffer.from(' \n{ "resourceSpans" : [ ] }\r\n')));
    assert.equal(fast(Buffer.from('{"resourceSpans":[],}')), undefined);
    assert.equal(fast(Buffer.from('{"resourceSpans":[]} x')), undefined);
  });
});
