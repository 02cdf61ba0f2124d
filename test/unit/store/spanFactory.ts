// Spans for tests, built with the model's constructor (details given decoded, as the JSON decoder does).
import type { AnyValue, KeyValue } from '../../../extension/src/core/model/anyValue';
import { isIndexedAttributeKey } from '../../../extension/src/core/model/indexedAttributes';
import type { SpanBatch } from '../../../extension/src/core/model/batch';
import { type Resource, type Scope, Span, SpanKind, type SpanEvent, StatusCode } from '../../../extension/src/core/model/span';

export function resource(attrs: Record<string, AnyValue> = { 'service.name': 'svc' }): Resource {
  const attributes = Object.entries(attrs).map(([key, value]) => ({ key, value }));
  const name = attrs['service.name'];
  return { attributes, droppedAttributesCount: 0, schemaUrl: '', serviceName: typeof name === 'string' ? name : '' };
}

export function scope(name = 'test.scope', version = ''): Scope {
  return { name, version, attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
}

export const MSGTRACE_SCOPE = scope('msgtrace.sdk', '0.1.0');
export const DEFAULT_RESOURCE = resource();
export const DEFAULT_SCOPE = scope();

export interface SpanSpec {
  traceId?: string;
  spanId: string;
  parent?: string;
  name?: string;
  kind?: SpanKind;
  /** Milliseconds from an arbitrary epoch; fractions become sub-ms nanoseconds. */
  start?: number;
  end?: number;
  status?: StatusCode;
  statusMessage?: string;
  attrs?: Record<string, AnyValue>;
  events?: { name: string; time?: number; attrs?: Record<string, AnyValue> }[];
  resource?: Resource;
  scope?: Scope;
}

const EPOCH_MS = 1_795_493_440_000;

/**
 * Ids are padded: `spanId: 'a'` becomes `000000000000000a`, `traceId: 't1'` a 32-char id. Letters that are not
 * hex digits stand for their character code (`'r'` is `72`), so every id is valid hex as OTLP requires.
 */
export function hexId(id: string, length: number): string {
  return id.replace(/[^0-9a-f]/g, c => c.charCodeAt(0).toString(16).padStart(2, '0')).padStart(length, '0');
}

function split(ms: number): [number, number] {
  const whole = Math.floor(ms);
  return [EPOCH_MS + whole, Math.round((ms - whole) * 1e6)];
}

export function makeSpan(spec: SpanSpec): Span {
  const attributes: KeyValue[] = Object.entries(spec.attrs ?? {}).map(([key, value]) => ({ key, value }));
  const events: SpanEvent[] = (spec.events ?? []).map(e => {
    const [ms, ns] = split(e.time ?? spec.start ?? 0);
    return { name: e.name, timeMs: ms, timeSubMsNanos: ns, attributes: Object.entries(e.attrs ?? {}).map(([key, value]) => ({ key, value })), droppedAttributesCount: 0 };
  });
  const [startMs, startSubMsNanos] = split(spec.start ?? 0);
  const [endMs, endSubMsNanos] = split(spec.end ?? (spec.start ?? 0) + 1);
  return new Span(
    {
      traceId: hexId(spec.traceId ?? '1', 32),
      spanId: hexId(spec.spanId, 16),
      parentSpanId: spec.parent === undefined ? '' : hexId(spec.parent, 16),
      traceState: '',
      flags: 0,
      name: spec.name ?? spec.spanId,
      kind: spec.kind ?? SpanKind.Internal,
      startMs,
      startSubMsNanos,
      endMs,
      endSubMsNanos,
      statusCode: spec.status ?? StatusCode.Unset,
      statusMessage: spec.statusMessage ?? '',
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
      eventCount: events.length,
      linkCount: 0,
      indexed: attributes.filter(kv => isIndexedAttributeKey(kv.key)),
      resource: spec.resource ?? DEFAULT_RESOURCE,
      scope: spec.scope ?? DEFAULT_SCOPE,
    },
    { attributes, events, links: [] },
  );
}

/** Spans as the batch a decoder would hand on (no columns: the store takes the Span objects). */
export function spanBatch(spans: Span[]): SpanBatch {
  return { spans, resources: [...new Set(spans.map(s => s.resource))], scopes: [...new Set(spans.map(s => s.scope))], rejectedSpans: 0, rejectionMessage: '' };
}
