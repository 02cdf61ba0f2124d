// The real OpenTelemetry JS exporters (HTTP JSON, HTTP protobuf, gRPC; plain and gzip) send to the receiver
// on loopback, and the spans they sent come out decoded exactly.
import * as assert from 'node:assert/strict';
import { SpanKind as ApiSpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type AnyValue } from '../../../extension/src/core/model/anyValue';
import { type Span } from '../../../extension/src/core/model/span';
import { toUnixNano } from '../../../extension/src/core/model/time';
import { type TestReceiver, startReceiver } from './receiverHarness';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { transcodeJsonBytes } from '../../../extension/src/core/otlp/jsonBytesTranscoder';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { RejectionTally } from '../../../extension/src/core/otlp/rejections';

const hrToNanos = ([s, ns]: [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(ns);

/** What the OTel JS transformer sends for a JS attribute value (integers as intValue, others as double). */
function expectedValue(v: unknown): AnyValue {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(expectedValue);
  return v as AnyValue;
}

function makeSpans(tag: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `svc-${tag}`, 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('msgtrace-test', '9.9.9');
  const root = tracer.startSpan(`invoke_agent ${tag}`, {
    kind: ApiSpanKind.SERVER,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 123, temperature: 0.25, ok: true, tags: ['a', 'b'], ints: [1, 2, 3], 'gen_ai.request.model': 'stub-1' },
  });
  root.addEvent('started', { step: 1, note: 'héllo ✓' });
  const child = tracer.startSpan('execute_tool lookup', { kind: ApiSpanKind.INTERNAL, attributes: { 'gen_ai.tool.name': 'lookup' } }, trace.setSpan(context.active(), root));
  child.addLink({ context: root.spanContext(), attributes: { why: 'follows' } });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed' });
  child.recordException(new Error('boom'));
  child.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return memory.getFinishedSpans();
}

function assertSameSpan(got: Span, want: ReadableSpan): void {
  const ctx = want.spanContext();
  assert.equal(got.traceId, ctx.traceId);
  assert.equal(got.spanId, ctx.spanId);
  assert.equal(got.parentSpanId, want.parentSpanContext?.spanId ?? '');
  assert.equal(got.name, want.name);
  assert.equal(got.kind, want.kind + 1, 'OTLP kinds are the API kinds + 1');
  assert.equal(got.startTimeUnixNano, hrToNanos(want.startTime));
  assert.equal(got.endTimeUnixNano, hrToNanos(want.endTime));
  assert.equal(got.statusCode, want.status.code);
  assert.equal(got.statusMessage, want.status.message ?? '');
  assert.equal(got.scope.name, want.instrumentationScope.name);
  assert.equal(got.scope.version, want.instrumentationScope.version);
  assert.equal(got.resource.serviceName, want.resource.attributes['service.name']);
  const d = got.details();
  assert.deepEqual(d.attributes, Object.entries(want.attributes).map(([key, v]) => ({ key, value: expectedValue(v) })));
  assert.equal(got.eventCount, want.events.length);
  assert.deepEqual(
    d.events.map(e => ({ name: e.name, time: toUnixNano(e.timeMs, e.timeSubMsNanos), attributes: e.attributes })),
    want.events.map(e => ({ name: e.name, time: hrToNanos(e.time), attributes: Object.entries(e.attributes ?? {}).map(([key, v]) => ({ key, value: expectedValue(v) })) })),
  );
  assert.deepEqual(
    d.links.map(l => [l.traceId, l.spanId, l.attributes]),
    want.links.map(l => [l.context.traceId, l.context.spanId, Object.entries(l.attributes ?? {}).map(([key, v]) => ({ key, value: expectedValue(v) }))]),
  );
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, result => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('export failed')))),
  );
}

describe('receiver with the real OpenTelemetry JS exporters', () => {
  let r: TestReceiver;
  before(async () => {
    r = await startReceiver();
  });
  after(async () => {
    await r.receiver.dispose();
  });

  const cases: [string, 'http' | 'grpc', 'json' | 'protobuf', () => SpanExporter][] = [
    ['HTTP JSON', 'http', 'json', () => new JsonExporter({ url: `http://127.0.0.1:${r.httpPort}/v1/traces` })],
    ['HTTP JSON gzip', 'http', 'json', () => new JsonExporter({ url: `http://127.0.0.1:${r.httpPort}/v1/traces`, compression: 'gzip' as never })],
    ['HTTP protobuf', 'http', 'protobuf', () => new ProtoExporter({ url: `http://127.0.0.1:${r.httpPort}/v1/traces` })],
    ['HTTP protobuf gzip', 'http', 'protobuf', () => new ProtoExporter({ url: `http://127.0.0.1:${r.httpPort}/`, compression: 'gzip' as never })],
    ['gRPC', 'grpc', 'protobuf', () => new GrpcExporter({ url: `http://127.0.0.1:${r.grpcPort}` })],
    ['gRPC gzip', 'grpc', 'protobuf', () => new GrpcExporter({ url: `http://127.0.0.1:${r.grpcPort}`, compression: 'gzip' as never })],
  ];
  for (const [label, transport, encoding, make] of cases) {
    it(`${label}: every field of the exported spans arrives`, async () => {
      const spans = makeSpans(label.replace(/ /g, '-'));
      const exporter = make();
      const before = r.received.length;
      const statsBefore = r.receiver.stats();
      try {
        await exportWith(exporter, spans);
      } finally {
        await exporter.shutdown();
      }
      assert.equal(r.received.length, before + 1);
      const got = r.received[before]!;
      assert.equal(got.transport, transport);
      assert.equal(got.encoding, encoding);
      assert.equal(got.batch.spans.length, spans.length);
      assert.equal(got.batch.rejectedSpans, 0);
      got.batch.spans.forEach((s, i) => assertSameSpan(s, spans[i]!));
      // Both spans share one resource and one scope object.
      assert.equal(got.batch.resources.length, 1);
      assert.equal(got.batch.scopes.length, 1);
      const stats = r.receiver.stats();
      assert.equal(stats.spans - statsBefore.spans, 2);
      assert.equal(stats.traceRequests - statsBefore.traceRequests, 1);
      if (label.endsWith('gzip') && transport === 'http') assert.ok(got.wireBytes < stats.bodyBytes - statsBefore.bodyBytes, 'the wire carried compressed bytes');
    });
  }

  it('HTTP JSON: what the exporter sends takes the one-pass JSON path, with the exact path\'s result', async () => {
    // A plain server captures the exporter's body as it is on the wire.
    const bodies: Buffer[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const exporter = new JsonExporter({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces` });
    try {
      await exportWith(exporter, makeSpans('capture'));
    } finally {
      await exporter.shutdown();
      server.close();
    }
    assert.equal(bodies.length, 1);
    const steps = transcodeJsonBytes(bodies[0]!, 32, new RejectionTally(), 256);
    let next = steps.next();
    while (!next.done) next = steps.next();
    assert.ok(next.value, 'the one-pass path answered');
    const summary = (spans: readonly Span[]) => spans.map(sp => [sp.traceId, sp.spanId, sp.parentSpanId, sp.name, sp.kind, sp.startTimeUnixNano, sp.statusCode, sp.statusMessage, sp.details()]);
    assert.deepEqual(summary(decodeTraceRequest(next.value).spans), summary(decodeTraceRequestJson(bodies[0]!, undefined, { exact: true }).spans));
  });
});
