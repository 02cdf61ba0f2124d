// The span explorer as a person sees it, with spans sent by a real OTLP exporter and the replayed msgflux capture.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Page } from 'playwright-core';
import type { UiCheck } from '../driver/uiCheck';
import { openActivity } from './workbench';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

/** The receiver's OTLP/HTTP port, as the status bar shows it. */
async function receiverPort(page: Page): Promise<number> {
  const item = page.locator('.statusbar-item', { hasText: /msgtrace :\d+/ }).first();
  await item.waitFor({ timeout: 30_000 });
  return Number(/msgtrace :(\d+)/.exec((await item.textContent()) ?? '')![1]);
}

/** An agent run in the OpenTelemetry GenAI conventions: agent → model call → tool call, and a failing tool. */
async function sendAgentRun(url: string): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'travel-agent' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  const tracer = provider.getTracer('ui-check');
  const agent = tracer.startSpan('invoke_agent Planner', { kind: SpanKind.INTERNAL, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Planner' } });
  const inAgent = trace.setSpan(context.active(), agent);
  const chat = tracer.startSpan('chat gpt-4.1-mini', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.usage.input_tokens': 812,
      'gen_ai.usage.output_tokens': 64,
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }] }]),
    },
  }, inAgent);
  await new Promise(r => setTimeout(r, 15));
  chat.end();
  const tool = tracer.startSpan('execute_tool get_weather', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.id': 'call_1', 'gen_ai.tool.call.arguments': '{"city":"Lisbon"}', 'gen_ai.tool.call.result': '{"temp_c":21}' } }, inAgent);
  await new Promise(r => setTimeout(r, 5));
  tool.end();
  const failing = tracer.startSpan('execute_tool book_flight', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'book_flight' } }, inAgent);
  const err = new Error('no seats left on TP1234');
  err.name = 'BookingError';
  failing.recordException(err);
  failing.setStatus({ code: SpanStatusCode.ERROR, message: 'BookingError: no seats left on TP1234' });
  failing.end();
  agent.end();
  await provider.forceFlush();
  await provider.shutdown();
}

export const spanExplorerChecks: UiCheck[] = [
  {
    name: 'the span explorer shows a live agent run with its model call, a tool call and an error',
    async run({ page, screenshot }) {
      await openActivity(page, 'msgtrace');
      const port = await receiverPort(page);
      const url = `http://127.0.0.1:${port}/v1/traces`;
      const capture = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: fs.readFileSync(path.join(fixtures, 'msgflux-0.1.0a23-agent-demo.pb')) });
      assert.equal(capture.status, 200);
      await sendAgentRun(url);
      const rows = page.locator('.pane-body .monaco-list-row');
      const run = rows.filter({ hasText: 'travel-agent' }).first();
      await run.waitFor({ timeout: 20_000 });
      // Each span is its own request (SimpleSpanProcessor): the run is listed at the first and counts up live.
      await rows.filter({ hasText: 'travel-agent' }).filter({ hasText: '4 spans' }).first().waitFor({ timeout: 20_000 });
      assert.match((await run.textContent()) ?? '', /4 spans/);
      const agent = rows.filter({ hasText: 'invoke_agent Planner' }).first();
      await agent.waitFor();
      if ((await agent.getAttribute('aria-expanded')) !== 'true') await agent.click();
      for (const name of ['chat gpt-4.1-mini', 'execute_tool get_weather', 'execute_tool book_flight']) {
        await rows.filter({ hasText: name }).first().waitFor();
      }
      const failed = rows.filter({ hasText: 'execute_tool book_flight' }).first();
      assert.match((await failed.textContent()) ?? '', /no seats left/);
      assert.ok(await rows.filter({ hasText: 'msgtrace-app' }).first().isVisible(), 'the msgflux capture run is listed too');
      await failed.hover();
      await page.locator('.monaco-hover, [role="tooltip"]', { hasText: 'no seats left' }).first().waitFor({ timeout: 10_000 });
      await screenshot('span-explorer-agent-run');
    },
  },
];
