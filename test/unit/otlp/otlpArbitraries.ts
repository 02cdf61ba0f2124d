// fast-check generators of OTLP/JSON requests (hex ids, int64 as strings, every AnyValue kind, the full uint64
// time range), shared by the decoder property tests.
import * as fc from 'fast-check';

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(b => Buffer.from(b).toString('hex'));
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String);
export const anyValue: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ v: Record<string, unknown> }>(tie => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'grapheme' }).map(stringValue => ({ stringValue })),
    fc.boolean().map(boolValue => ({ boolValue })),
    int64.map(intValue => ({ intValue })),
    fc.double({ noNaN: true }).map(doubleValue => ({ doubleValue })),
    fc.uint8Array({ maxLength: 8 }).map(b => ({ bytesValue: Buffer.from(b).toString('base64') })),
    fc.array(tie('v'), { maxLength: 3 }).map(values => ({ arrayValue: { values } })),
    fc.array(fc.record({ key: fc.string(), value: tie('v') }), { maxLength: 3 }).map(values => ({ kvlistValue: { values } })),
  ),
})).v;
export const attributes = fc.array(fc.record({ key: fc.oneof(fc.string(), fc.constantFrom('gen_ai.usage.input_tokens', 'span.type', 'code.lineno')), value: anyValue }), { maxLength: 4 });
const nanos = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String);
export const span = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  parentSpanId: fc.oneof(fc.constant(''), hex(8)),
  traceState: fc.string(),
  name: fc.string({ unit: 'grapheme' }),
  kind: fc.integer({ min: 0, max: 5 }),
  flags: fc.integer({ min: 0, max: 0xffffffff }),
  startTimeUnixNano: nanos,
  endTimeUnixNano: nanos,
  attributes,
  droppedAttributesCount: fc.nat(),
  events: fc.array(fc.record({ timeUnixNano: nanos, name: fc.string(), attributes, droppedAttributesCount: fc.nat() }), { maxLength: 2 }),
  links: fc.array(fc.record({ traceId: hex(16), spanId: hex(8), traceState: fc.string(), attributes, flags: fc.nat() }), { maxLength: 2 }),
  status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: fc.string() }),
});
export const request = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.record({ attributes }),
      schemaUrl: fc.string(),
      scopeSpans: fc.array(fc.record({ scope: fc.record({ name: fc.string(), version: fc.string() }), spans: fc.array(span, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
    }),
    { maxLength: 2 },
  ),
});

