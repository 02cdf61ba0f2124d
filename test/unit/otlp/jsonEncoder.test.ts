import * as assert from 'node:assert/strict';
import type { AnyValue } from '../../../extension/src/core/model/anyValue';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { encodeAnyValue, encodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonEncoder';

describe('core/otlp JSON encoder', () => {
  it('keeps the doubles JSON numbers cannot hold (-0, NaN, ±Infinity) as ProtoJSON strings', () => {
    assert.deepEqual([-0, NaN, Infinity, -Infinity, 1.5].map(encodeAnyValue), [
      { doubleValue: '-0' },
      { doubleValue: 'NaN' },
      { doubleValue: 'Infinity' },
      { doubleValue: '-Infinity' },
      { doubleValue: 1.5 },
    ]);
  });

  it('round-trips every such value, and int64 extremes, exactly through encode and decode', () => {
    const values: AnyValue[] = [-0, 0, NaN, Infinity, -Infinity, 9223372036854775807n, -9223372036854775808n, 'x', true];
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: values.map((v, i) => ({ key: `k${i}`, value: encodeAnyValue(v) })) },
          scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 's', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }],
        },
      ],
    });
    const first = decodeTraceRequestJson(body).spans;
    const again = decodeTraceRequestJson(encodeTraceRequestJson(first)).spans;
    const read = (spans: typeof first) => spans[0]!.resource.attributes.map(kv => kv.value);
    for (const decoded of [read(first), read(again)]) {
      decoded.forEach((v, i) => assert.ok(Object.is(v, values[i]), `k${i}: ${String(v)} is not ${String(values[i])}`));
    }
  });
});
