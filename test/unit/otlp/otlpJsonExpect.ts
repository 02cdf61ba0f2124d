// Test helpers: compare the model with OTLP/JSON written by someone else (the capture's request.otlp.json,
// protobufjs toObject output), field by field, with a JSON-to-AnyValue conversion of their own.
import * as assert from 'node:assert/strict';
import { type AnyValue, type KeyValue } from '../../../extension/src/core/model/anyValue';
import { type Span } from '../../../extension/src/core/model/span';
import { isIndexedAttributeKey } from '../../../extension/src/core/model/indexedAttributes';
import { toUnixNano } from '../../../extension/src/core/model/time';

/* eslint-disable @typescript-eslint/no-explicit-any */
export function expectedValue(v: any): AnyValue {
  if (v === undefined || v === null || Object.keys(v).length === 0) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return BigInt(v.intValue);
  if ('doubleValue' in v) return typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue;
  if ('bytesValue' in v) return new Uint8Array(Buffer.from(v.bytesValue, 'base64'));
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(expectedValue);
  if ('kvlistValue' in v) return { kvlist: expectedAttributes(v.kvlistValue.values) };
  throw new Error(`unknown AnyValue ${JSON.stringify(v)}`);
}

export function expectedAttributes(list: any[] | undefined): KeyValue[] {
  return (list ?? []).map(kv => ({ key: kv.key, value: expectedValue(kv.value) }));
}

const nanos = (v: any) => BigInt(v ?? 0);

/** Asserts every field of `span` against an OTLP/JSON span object (hex ids, int64 strings, integer enums). */
export function assertSpanEqualsJson(span: Span, j: any, where: string): void {
  assert.equal(span.traceId, j.traceId.toLowerCase(), `${where} traceId`);
  assert.equal(span.spanId, j.spanId.toLowerCase(), `${where} spanId`);
  assert.equal(span.parentSpanId, (j.parentSpanId ?? '').toLowerCase(), `${where} parentSpanId`);
  assert.equal(span.traceState, j.traceState ?? '', `${where} traceState`);
  assert.equal(span.name, j.name ?? '', `${where} name`);
  assert.equal(span.kind, j.kind ?? 0, `${where} kind`);
  assert.equal(span.flags, j.flags ?? 0, `${where} flags`);
  assert.equal(span.startTimeUnixNano, nanos(j.startTimeUnixNano), `${where} start`);
  assert.equal(span.endTimeUnixNano, nanos(j.endTimeUnixNano), `${where} end`);
  assert.equal(span.statusCode, j.status?.code ?? 0, `${where} status.code`);
  assert.equal(span.statusMessage, j.status?.message ?? '', `${where} status.message`);
  assert.equal(span.droppedAttributesCount, j.droppedAttributesCount ?? 0, `${where} droppedAttributesCount`);
  assert.equal(span.droppedEventsCount, j.droppedEventsCount ?? 0, `${where} droppedEventsCount`);
  assert.equal(span.droppedLinksCount, j.droppedLinksCount ?? 0, `${where} droppedLinksCount`);
  const attributes = expectedAttributes(j.attributes);
  assert.deepEqual(span.indexed, attributes.filter(kv => isIndexedAttributeKey(kv.key)), `${where} indexed`);
  const d = span.details();
  assert.deepEqual(d.attributes, attributes, `${where} attributes`);
  assert.equal(span.eventCount, (j.events ?? []).length, `${where} eventCount`);
  assert.deepEqual(
    d.events.map(e => ({ name: e.name, time: toUnixNano(e.timeMs, e.timeSubMsNanos), attributes: e.attributes, dropped: e.droppedAttributesCount })),
    (j.events ?? []).map((e: any) => ({ name: e.name ?? '', time: nanos(e.timeUnixNano), attributes: expectedAttributes(e.attributes), dropped: e.droppedAttributesCount ?? 0 })),
    `${where} events`,
  );
  assert.equal(span.linkCount, (j.links ?? []).length, `${where} linkCount`);
  assert.deepEqual(
    d.links,
    (j.links ?? []).map((l: any) => ({
      traceId: (l.traceId ?? '').toLowerCase(),
      spanId: (l.spanId ?? '').toLowerCase(),
      traceState: l.traceState ?? '',
      attributes: expectedAttributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount ?? 0,
      flags: l.flags ?? 0,
    })),
    `${where} links`,
  );
}

/** Asserts a whole decoded batch against an OTLP/JSON request: spans in order, resources, scopes. */
export function assertBatchEqualsJson(spans: readonly Span[], request: any): void {
  const expected: { span: any; resource: any; scope: any; schemaUrl: string }[] = [];
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) expected.push({ span, resource: rs.resource ?? {}, scope: ss.scope ?? {}, schemaUrl: rs.schemaUrl ?? '' });
  }
  assert.equal(spans.length, expected.length, 'span count');
  spans.forEach((span, i) => {
    const e = expected[i]!;
    assertSpanEqualsJson(span, e.span, `span ${i} (${e.span.name})`);
    assert.deepEqual(span.resource.attributes, expectedAttributes(e.resource.attributes), `span ${i} resource`);
    assert.equal(span.resource.schemaUrl, e.schemaUrl, `span ${i} resource schemaUrl`);
    assert.equal(span.scope.name, e.scope.name ?? '', `span ${i} scope name`);
    assert.equal(span.scope.version, e.scope.version ?? '', `span ${i} scope version`);
  });
}
