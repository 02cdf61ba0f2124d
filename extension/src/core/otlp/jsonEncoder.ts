// Spans -> OTLP/JSON ExportTraceServiceRequest, the format of the Collector's file exporter (one request per
// line). Spans are grouped back under their shared Resource and Scope objects, in first-seen order. Every object
// is typed as its message's OTLP/JSON object (otlpFields.ts), so a member name the table does not have is a
// compile error.
import { type AnyValue, type KeyValue, isKeyValueList } from '../model/anyValue';
import { type Resource, type Scope, type Span } from '../model/span';
import { formatUnixNano } from '../model/time';
import { type OtlpJsonName, type OtlpJsonObject, type OtlpMessageName } from './otlpFields';

/** One OTLP/JSON ExportTraceServiceRequest object for these spans. */
export function encodeTraceRequestJsonObject(spans: Iterable<Span>): OtlpJsonObject<'ExportTraceServiceRequest'> {
  const byResource = new Map<Resource, Map<Scope, Span[]>>();
  for (const span of spans) {
    let scopes = byResource.get(span.resource);
    if (!scopes) byResource.set(span.resource, (scopes = new Map()));
    let list = scopes.get(span.scope);
    if (!list) scopes.set(span.scope, (list = []));
    list.push(span);
  }
  const resourceSpans = [...byResource].map(([resource, scopes]) =>
    withOptional<'ResourceSpans'>(
      {
        resource: withOptional<'Resource'>({ attributes: encodeAttributes(resource.attributes) }, 'droppedAttributesCount', resource.droppedAttributesCount),
        scopeSpans: [...scopes].map(([scope, list]) =>
          withOptional<'ScopeSpans'>(
            {
              scope: withOptional<'InstrumentationScope'>(
                { name: scope.name, version: scope.version, attributes: encodeAttributes(scope.attributes) },
                'droppedAttributesCount',
                scope.droppedAttributesCount,
              ),
              spans: list.map(encodeSpan),
            },
            'schemaUrl',
            scope.schemaUrl,
          ),
        ),
      },
      'schemaUrl',
      resource.schemaUrl,
    ),
  );
  return { resourceSpans };
}

/** The same as one line of text (no newline). */
export function encodeTraceRequestJson(spans: Iterable<Span>): string {
  return JSON.stringify(encodeTraceRequestJsonObject(spans));
}

/** Adds key: value only when value is truthy, as ProtoJSON omits default values. */
function withOptional<M extends OtlpMessageName>(o: OtlpJsonObject<M>, key: OtlpJsonName<M>, value: unknown): OtlpJsonObject<M> {
  if (value) o[key] = value;
  return o;
}

export function encodeSpan(span: Span): OtlpJsonObject<'Span'> {
  const d = span.details();
  const o: OtlpJsonObject<'Span'> = { traceId: span.traceId, spanId: span.spanId };
  if (span.traceState) o.traceState = span.traceState;
  if (span.parentSpanId) o.parentSpanId = span.parentSpanId;
  if (span.flags) o.flags = span.flags;
  o.name = span.name;
  o.kind = span.kind;
  o.startTimeUnixNano = formatUnixNano(span.startMs, span.startSubMsNanos);
  o.endTimeUnixNano = formatUnixNano(span.endMs, span.endSubMsNanos);
  if (d.attributes.length) o.attributes = encodeAttributes(d.attributes);
  if (span.droppedAttributesCount) o.droppedAttributesCount = span.droppedAttributesCount;
  if (d.events.length) {
    o.events = d.events.map(e =>
      withOptional<'Span.Event'>(
        { timeUnixNano: formatUnixNano(e.timeMs, e.timeSubMsNanos), name: e.name, attributes: encodeAttributes(e.attributes) },
        'droppedAttributesCount',
        e.droppedAttributesCount,
      ),
    );
  }
  if (span.droppedEventsCount) o.droppedEventsCount = span.droppedEventsCount;
  if (d.links.length) {
    o.links = d.links.map(l => {
      const lo: OtlpJsonObject<'Span.Link'> = { traceId: l.traceId, spanId: l.spanId };
      if (l.traceState) lo.traceState = l.traceState;
      lo.attributes = encodeAttributes(l.attributes);
      if (l.droppedAttributesCount) lo.droppedAttributesCount = l.droppedAttributesCount;
      if (l.flags) lo.flags = l.flags;
      return lo;
    });
  }
  if (span.droppedLinksCount) o.droppedLinksCount = span.droppedLinksCount;
  const status: OtlpJsonObject<'Status'> = {};
  if (span.statusMessage) status.message = span.statusMessage;
  if (span.statusCode) status.code = span.statusCode;
  o.status = status;
  return o;
}

export function encodeAttributes(attributes: readonly KeyValue[]): OtlpJsonObject<'KeyValue'>[] {
  return attributes.map((kv): OtlpJsonObject<'KeyValue'> => ({ key: kv.key, value: encodeAnyValue(kv.value) }));
}

export function encodeAnyValue(v: AnyValue): OtlpJsonObject<'AnyValue'> {
  if (v === null) return {};
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      // JSON numbers cannot say -0, NaN or ±Infinity; ProtoJSON allows a double as a string, which keeps them.
      return { doubleValue: Number.isFinite(v) && !Object.is(v, -0) ? v : Object.is(v, -0) ? '-0' : String(v) };
  }
  if (v instanceof Uint8Array) return { bytesValue: Buffer.from(v.buffer, v.byteOffset, v.length).toString('base64') };
  if (isKeyValueList(v)) return { kvlistValue: { values: encodeAttributes(v.kvlist) } satisfies OtlpJsonObject<'KeyValueList'> };
  return { arrayValue: { values: (v as readonly AnyValue[]).map(encodeAnyValue) } satisfies OtlpJsonObject<'ArrayValue'> };
}
