// The paths a large or repetitive request takes: JSON parsed and decoded in steps (jsonSteps.ts), the
// attribute cache of the protobuf decoder (shared KeyValues, the nesting limit still applied), and the
// receiver's stepped decode of bodies above the JSON threshold.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { OtlpDecodeError } from '../../../extension/src/core/otlp/decodeError';
import { decodeTraceRequestJson, decodeTraceRequestJsonSteps } from '../../../extension/src/core/otlp/jsonDecoder';
import { LazyJson, materializeJson, parseJsonSteps } from '../../../extension/src/core/otlp/jsonSteps';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { JSON_STEPS_MIN_BYTES, decodeBody } from '../../../extension/src/receiver/traceIngest';
import { ExportTraceServiceRequest } from '../../fixtures/otlpSchema';
import { agentDemoJson } from './fixtures';
import { assertBatchEqualsJson } from './otlpJsonExpect';

function run<T>(steps: Generator<void, T, void>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const next = steps.next();
    if (next.done) return { value: next.value, yields };
    yields++;
  }
}

/** JSON.parse's value with every LazyJson replaced by its value. */
function materializeAll(v: unknown): unknown {
  v = materializeJson(v);
  if (Array.isArray(v)) return v.map(materializeAll);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: materializeAll((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

const tiny = { leafBytes: 16, sliceBytes: 64 };

describe('core/otlp large bodies', () => {
  it('parseJsonSteps gives what JSON.parse gives, for random JSON and tiny leaves', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), fc.constantFrom(1, '\t', ' \r\n'), (text, indent) => {
        for (const t of [text, JSON.stringify(JSON.parse(text), null, indent)]) {
          const body = Buffer.from(t);
          assert.deepStrictEqual(materializeAll(run(parseJsonSteps(body, tiny)).value), JSON.parse(t));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('parseJsonSteps keeps duplicate-key and __proto__ semantics and leaves span arrays lazy', () => {
    const text = '{"a":1,"__proto__":{"x":[1,2,3,4,5,6,7,8]},"a":2,"spans":[{"name":"one, two"},{"name":"three"}]}';
    const v = run(parseJsonSteps(Buffer.from(text), { leafBytes: 24 })).value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.deepStrictEqual(Object.keys(v), ['a', '__proto__', 'spans']);
    assert.equal(v.a, 2);
    const spans = v.spans as unknown[];
    assert.ok(spans[0] instanceof LazyJson);
    assert.deepStrictEqual(materializeJson(spans[0]), { name: 'one, two' });
    assert.deepStrictEqual(materializeAll(v), JSON.parse(text));
  });

  it('parseJsonSteps rejects what JSON.parse rejects, with OtlpDecodeError', () => {
    const bad = ['{"a":1,}', '[1 2, 3, 4, 5, 6, 7, 8, 9]', '{"a" 1, "b": [1, 2, 3, 4, 5, 6]}', '{"a": [1, 2, 3, 4, 5, 6, 7]} x', '{"abcdefghijklmnopq": 1', '[tru, 1, 2, 3, 4, 5, 6, 7, 8]', ''];
    for (const t of bad) {
      assert.throws(() => JSON.parse(t));
      assert.throws(() => run(parseJsonSteps(Buffer.from(t), tiny)).value && materializeAll(run(parseJsonSteps(Buffer.from(t), tiny)).value), OtlpDecodeError, t);
    }
    // Invalid UTF-8 inside a string.
    const body = Buffer.concat([Buffer.from('{"k": ["abcdefghijklmnopqrstuvwxyz", "'), Buffer.from([0xff, 0xfe]), Buffer.from('"]}')]);
    assert.throws(() => run(parseJsonSteps(body, tiny)), /not valid UTF-8/);
  });

  it('the stepped JSON decode (exact path) gives the same spans as the one-shot decode, yielding on the way', () => {
    const json = agentDemoJson();
    const body = Buffer.from(JSON.stringify(json, null, 1));
    const { value: batch, yields } = run(decodeTraceRequestJsonSteps(body, undefined, { exact: true, parse: { leafBytes: 512, sliceBytes: 1024 } }));
    assert.ok(yields > 10, `yields ${yields}`);
    assert.equal(batch.spans.length, 28);
    assertBatchEqualsJson(batch.spans, json);
    const once = decodeTraceRequestJson(body);
    assert.deepStrictEqual(batch.spans.map(s => [s.spanId, s.name, s.attributes()]), once.spans.map(s => [s.spanId, s.name, s.attributes()]));
    // Malformed span JSON inside a lazily parsed array is still a 400-type error.
    const broken = Buffer.from(JSON.stringify(json).replace('"spanId":', '"spanId"'));
    assert.throws(() => run(decodeTraceRequestJsonSteps(broken, undefined, { parse: { leafBytes: 512 } })), OtlpDecodeError);
    assert.throws(() => run(decodeTraceRequestJsonSteps(broken, undefined, { exact: true, parse: { leafBytes: 512 } })), OtlpDecodeError);
  });

  it('the receiver decodes JSON bodies above the threshold in steps, with the same result', async () => {
    const json = agentDemoJson();
    const spans = json.resourceSpans[0].scopeSpans[0].spans;
    const copies = Math.ceil(JSON_STEPS_MIN_BYTES / JSON.stringify(spans).length) + 1;
    json.resourceSpans[0].scopeSpans[0].spans = Array.from({ length: copies }, () => spans).flat();
    const body = Buffer.from(JSON.stringify(json));
    assert.ok(body.length > JSON_STEPS_MIN_BYTES);
    const batch = await decodeBody(body, 'json', { maxValueDepth: 32 }, 1);
    assert.equal(batch.spans.length, 28 * copies);
    assertBatchEqualsJson(batch.spans, json);
    await assert.rejects(decodeBody(Buffer.from(`${body.toString()}x`), 'json', { maxValueDepth: 32 }, 1), OtlpDecodeError);
  });

  it('equal indexed attributes of different spans share one frozen KeyValue; the nesting limit still applies', () => {
    const kv = (key: string, value: unknown) => ({ key, value });
    const nested = { arrayValue: { values: [{ arrayValue: { values: [{ arrayValue: { values: [{ intValue: 1 }] } }] } }] } };
    const mk = (i: number, tokens: number) => ({
      traceId: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex'),
      spanId: Buffer.from(`b7ad6b71692033${String(10 + i)}`, 'hex'),
      name: 'chat',
      attributes: [kv('gen_ai.request.model', { stringValue: 'gpt-4o' }), kv('gen_ai.usage.input_tokens', { intValue: tokens }), kv('deep', nested)],
    });
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [mk(1, 5), mk(2, 5), mk(3, 7)] }] }] };
    const body = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request)).finish();
    const batch = decodeTraceRequest(body, { limits: { maxValueDepth: 32 } });
    const [a, b, c] = batch.spans;
    assert.equal(a!.indexed[0], b!.indexed[0]);
    assert.equal(a!.indexed, b!.indexed);
    assert.equal(a!.indexed[0], c!.indexed[0]);
    assert.notEqual(a!.indexed[1], c!.indexed[1]);
    assert.ok(Object.isFrozen(a!.indexed[0]));
    assert.deepStrictEqual(c!.indexed.map(x => [x.key, x.value]), [['gen_ai.request.model', 'gpt-4o'], ['gen_ai.usage.input_tokens', 7n]]);
    assert.deepStrictEqual(a!.attributes()[2], { key: 'deep', value: [[[1n]]] });
    // The same bytes, now under a lower nesting limit: the cached attribute must not skip the check.
    assert.throws(() => decodeTraceRequest(body, { limits: { maxValueDepth: 2 } }), /nested too deeply/);
    assert.equal(decodeTraceRequest(body, { limits: { maxValueDepth: 3 } }).spans.length, 3);
  });
});
