// What the forwarding tests share: a local receiver teed into a Forwarder, spans from the real OpenTelemetry
// exporters, a free port nobody listens on, and waiting for a condition.
import { SpanKind, context, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import * as net from 'node:net';
import type { Disposable } from '../../../extension/src/core/common/event';
import { connectForward } from '../../../extension/src/forward/forwardConnection';
import { type ForwardOptions } from '../../../extension/src/forward/forwardOptions';
import { Forwarder } from '../../../extension/src/forward/forwarder';
import { type TestReceiver, startReceiver } from '../receiver/receiverHarness';

export interface Tee {
  readonly local: TestReceiver;
  readonly forwarder: Forwarder;
  readonly logs: string[];
  /** The bodies the local receiver acknowledged, in order, as Buffers. */
  bodies(): Buffer[];
  close(): Promise<void>;
}

/** Fast retries for tests; a test overrides what it is about. */
export const FAST: Partial<ForwardOptions> = { initialBackoffMs: 40, maxBackoffMs: 200, timeoutMs: 3000 };

/** A local receiver (port 0) whose acknowledged requests go to a Forwarder with `options`. */
export async function startTee(options: ForwardOptions): Promise<Tee> {
  const local = await startReceiver();
  const logs: string[] = [];
  const forwarder = new Forwarder({
    ...FAST,
    ...options,
    logger: { info: m => logs.push(`info ${m}`), warn: m => logs.push(`warn ${m}`), error: m => logs.push(`error ${m}`) },
  });
  const tee: Disposable = connectForward(local.receiver, () => forwarder);
  return {
    local,
    forwarder,
    logs,
    bodies: () => local.received.map(r => Buffer.from(r.batch.columns.body)),
    close: async () => {
      tee.dispose();
      forwarder.dispose();
      await local.receiver.dispose();
    },
  };
}

/** A loopback port that was free a moment ago and has no listener. */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

export async function until<T>(what: string, get: () => T | undefined | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

/** Spans made by the OpenTelemetry SDK: a root with attributes and an event, a failing child with a link. */
export function makeSpans(tag: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `forward-${tag}` }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('msgtrace-forward-test', '1.0.0');
  const root = tracer.startSpan(`invoke_agent ${tag}`, { kind: SpanKind.SERVER, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.usage.input_tokens': 12, ok: true } });
  root.addEvent('started', { note: 'héllo ✓' });
  const child = tracer.startSpan('execute_tool lookup', { attributes: { 'gen_ai.tool.name': 'lookup' } }, trace.setSpan(context.active(), root));
  child.addLink({ context: root.spanContext() });
  child.recordException(new Error('boom'));
  child.end();
  root.end();
  return memory.getFinishedSpans();
}

export function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, result => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('export failed')))),
  );
}
