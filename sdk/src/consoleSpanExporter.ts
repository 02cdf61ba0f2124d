// The `console` exporter: one JSON object per span, in the shape the Python SDK prints (OpenTelemetry Python's
// ReadableSpan.to_json), so console output reads the same in both languages and stays machine-readable.
import { type Attributes, type HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export type LineWriter = (text: string) => void;

export interface ConsoleSpanJson {
  name: string;
  context: { trace_id: string; span_id: string; trace_state: string };
  kind: string;
  parent_id: string | null;
  start_time: string;
  end_time: string;
  status: { status_code: string; description?: string };
  attributes: Attributes;
  events: { name: string; timestamp: string; attributes: Attributes }[];
  links: { context: { trace_id: string; span_id: string; trace_state: string }; attributes: Attributes }[];
  resource: { attributes: Attributes; schema_url: string };
}

/** ISO 8601 with microseconds, as Python prints it. */
export function hrTimeToIso([seconds, nanos]: HrTime): string {
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

export function spanToJson(span: ReadableSpan): ConsoleSpanJson {
  const ctx = span.spanContext();
  const status: ConsoleSpanJson['status'] = { status_code: SpanStatusCode[span.status.code] };
  if (span.status.message) status.description = span.status.message;
  return {
    name: span.name,
    context: { trace_id: `0x${ctx.traceId}`, span_id: `0x${ctx.spanId}`, trace_state: '[]' },
    kind: `SpanKind.${SpanKind[span.kind]}`,
    parent_id: span.parentSpanContext ? `0x${span.parentSpanContext.spanId}` : null,
    start_time: hrTimeToIso(span.startTime),
    end_time: hrTimeToIso(span.endTime),
    status,
    attributes: { ...span.attributes },
    events: span.events.map(e => ({ name: e.name, timestamp: hrTimeToIso(e.time), attributes: { ...(e.attributes ?? {}) } })),
    links: span.links.map(l => ({
      context: { trace_id: `0x${l.context.traceId}`, span_id: `0x${l.context.spanId}`, trace_state: '[]' },
      attributes: { ...(l.attributes ?? {}) },
    })),
    resource: { attributes: { ...span.resource.attributes }, schema_url: span.resource.schemaUrl ?? '' },
  };
}

export class ConsoleSpanExporter implements SpanExporter {
  private stopped = false;

  constructor(private readonly write: LineWriter = text => process.stdout.write(text)) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    try {
      for (const span of spans) this.write(`${JSON.stringify(spanToJson(span), null, 4)}\n`);
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}
