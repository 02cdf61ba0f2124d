// The SDK end to end: real spans through the real OTLP/HTTP exporter to a loopback receiver, asserted as they
// arrive on the wire.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  EventType,
  MsgTraceAttributes,
  Spans,
  addToolCallEvent,
  configureMsgtrace,
  forceFlush,
  msgtraceStatus,
  shutdown,
} from '../../../sdk/src/index';
import { byName, OtlpReceiver } from './support/otlpReceiver';
import { type SdkSandbox, lineOf, sandbox } from './support/sdkEnv';

// This file's own source: code.* attributes must point at it (through the source map of the transpiled test).
const SOURCE_PATH = require.resolve('../../../../test/unit/sdk/spans.test.ts');
const SOURCE = readFileSync(SOURCE_PATH, 'utf8');

const OK = SpanStatusCode.OK;
const ERROR = SpanStatusCode.ERROR;

class Agent {
  @Spans.instrument() // @loc:decorator-sync
  forward(question: string): string {
    MsgTraceAttributes.setAgentName('MyAgent');
    return `answer to ${question}`;
  }

  @Spans.ainstrument({ name: 'agent.aforward', attributes: { 'pipeline.stage': 'retrieval', index: { name: 'products' } } })
  async aforward(question: string): Promise<string> {
    await delay(1);
    return this.forward(question);
  }
}

describe('sdk/spans over OTLP/HTTP', function () {
  this.timeout(20000);
  let box: SdkSandbox;
  let receiver: OtlpReceiver;

  beforeEach(async () => {
    box = sandbox();
    receiver = await OtlpReceiver.start();
  });
  afterEach(async () => {
    await box.restore();
    await receiver.close();
  });

  const otlp = (extra: Parameters<typeof configureMsgtrace>[0] = {}) =>
    configureMsgtrace({ enabled: true, exporter: 'otlp', otlpEndpoint: receiver.url, serviceName: 'sdk-test', ...extra });

  it('exports nested flow, module, instrumented and model spans with their attributes, resource and scope', async () => {
    await otlp();
    const tracedCapital = Spans.instrument( // @loc:wrapper
      function getCapital(country: string) {
        MsgTraceAttributes.setToolName('get_capital');
        MsgTraceAttributes.setToolCallArguments({ country });
        addToolCallEvent('get_capital', 'call_1', { country }, 1);
        return country === 'France' ? 'Paris' : 'unknown';
      },
      { attributes: { 'gen_ai.tool.type': 'function' } },
    );
    const chat = Spans.instrument(
      (messages: string[]) => {
        MsgTraceAttributes.setOperationName('chat');
        MsgTraceAttributes.setModel('stub-1');
        MsgTraceAttributes.setUsage(12, 7);
        MsgTraceAttributes.setPrompt(messages.map(content => ({ role: 'user', content })));
        MsgTraceAttributes.setFinishReason('stop');
        return 'Paris';
      },
      { name: 'chat stub-1', kind: SpanKind.CLIENT },
    );
    const result = Spans.initFlow('My Agent', { 'module.type': 'agent' }, () => { // @loc:flow
      MsgTraceAttributes.setWorkflowName('demo');
      return Spans.initModule('Generator', () => chat(['What is the capital of France?'])) + tracedCapital('France');
    });
    assert.equal(result, 'ParisParis');
    assert.equal(receiver.spans.length, 0, 'batched until flushed');
    await shutdown();

    assert.equal(receiver.requests.length, 1);
    assert.equal(receiver.requests[0]!.path, '/v1/traces');
    assert.equal(receiver.requests[0]!.contentType, 'application/json');
    const spans = receiver.spans;
    assert.deepEqual(spans.map(s => s.name).sort(), ['Generator', 'My Agent', 'chat stub-1', 'getCapital']);
    const flow = byName(spans, 'My Agent');
    const module = byName(spans, 'Generator');
    const model = byName(spans, 'chat stub-1');
    const tool = byName(spans, 'getCapital');

    // Nesting: one trace, flow at the root.
    assert.equal(new Set(spans.map(s => s.traceId)).size, 1);
    assert.equal(flow.parentSpanId, undefined);
    assert.equal(module.parentSpanId, flow.spanId);
    assert.equal(model.parentSpanId, module.spanId);
    assert.equal(tool.parentSpanId, flow.spanId);

    // Kinds and status (OTLP: 1 internal, 2 server, 3 client).
    assert.deepEqual([flow.kind, module.kind, model.kind, tool.kind], [2, 1, 3, 1]);
    for (const s of spans) assert.deepEqual(s.status, { code: OK });

    // Attributes.
    assert.equal(flow.attributes['span.type'], 'flow');
    assert.equal(flow.attributes['module.type'], 'agent');
    assert.equal(flow.attributes['workflow.name'], 'demo');
    assert.equal(module.attributes['span.type'], 'module');
    assert.equal(model.attributes['span.type'], undefined);
    assert.equal(model.attributes['gen_ai.operation.name'], 'chat');
    assert.equal(model.attributes['gen_ai.request.model'], 'stub-1');
    assert.equal(model.attributes['gen_ai.usage.input_tokens'], 12);
    assert.equal(model.attributes['gen_ai.usage.output_tokens'], 7);
    assert.equal(model.attributes['gen_ai.usage.total_tokens'], 19);
    assert.deepEqual(model.attributes['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(model.attributes['gen_ai.prompt'], '[{"role":"user","content":"What is the capital of France?"}]');
    assert.equal(tool.attributes['gen_ai.tool.type'], 'function');
    assert.equal(tool.attributes['gen_ai.tool.name'], 'get_capital');
    assert.equal(tool.attributes['gen_ai.tool.call.arguments'], '{"country":"France"}');
    assert.deepEqual(tool.events, [
      { name: EventType.TOOL_CALL, attributes: { tool_name: 'get_capital', tool_id: 'call_1', arguments: '{"country":"France"}', step: 1 } },
    ]);

    // Code location: this file, the lines marked above.
    assert.equal(flow.attributes['code.file.path'], SOURCE_PATH);
    assert.equal(flow.attributes['code.line.number'], lineOf(SOURCE, '@loc:flow'));
    assert.equal(tool.attributes['code.file.path'], SOURCE_PATH);
    assert.equal(tool.attributes['code.function.name'], 'getCapital');
    // A wrapper is located where instrument() is called, which is where the wrapped function starts.
    assert.equal(tool.attributes['code.line.number'], lineOf(SOURCE, '@loc:wrapper'));
    assert.equal(module.attributes['code.file.path'], SOURCE_PATH);

    // Resource and scope.
    assert.equal(flow.resource['service.name'], 'sdk-test');
    for (const key of ['platform.system', 'platform.release', 'platform.machine', 'node.version']) assert.equal(typeof flow.resource[key], 'string', key);
    assert.equal(flow.resource['telemetry.sdk.name'], undefined);
    assert.deepEqual(flow.scope, { name: 'msgtrace.sdk', version: '0.1.0' });
  });

  it('records an exception with its stack, sets ERROR and rethrows', async () => {
    await otlp({ capturePlatform: false });
    const boom = new TypeError('boom: 7');
    assert.throws(() => Spans.initModule('Exploder', () => { throw boom; }), err => err === boom);
    await assert.rejects(Spans.ainitFlow('async.flow', async () => { await delay(1); throw new Error('later'); }), /later/);
    await shutdown();
    const exploder = byName(receiver.spans, 'Exploder');
    assert.deepEqual(exploder.status, { code: ERROR, message: 'boom: 7' });
    assert.equal(exploder.events.length, 1);
    const event = exploder.events[0]!;
    assert.equal(event.name, 'exception');
    assert.equal(event.attributes['exception.type'], 'TypeError');
    assert.equal(event.attributes['exception.message'], 'boom: 7');
    assert.match(String(event.attributes['exception.stacktrace']), /spans\.test\.ts/);
    assert.deepEqual(byName(receiver.spans, 'async.flow').status, { code: ERROR, message: 'later' });
    assert.deepEqual(exploder.resource, { 'service.name': 'sdk-test' });
  });

  it('nests concurrent async work under the right parents (AsyncLocalStorage context)', async () => {
    await otlp();
    const tracedLeaf = Spans.ainstrument(async function leaf(n: number) {
      await delay(5 - n);
      return n;
    });
    const total = await Spans.ainitFlow('fanout', async () => {
      const results = await Promise.all(
        [1, 2, 3].map(n => Spans.ainitModule(`task ${n}`, { 'task.n': n }, async () => (await delay(n), tracedLeaf(n)))),
      );
      return results.reduce((a, b) => a + b, 0);
    });
    assert.equal(total, 6);
    await shutdown();
    const spans = receiver.spans;
    const flow = byName(spans, 'fanout');
    const leaves = spans.filter(s => s.name === 'leaf');
    assert.equal(leaves.length, 3);
    for (const n of [1, 2, 3]) {
      const task = byName(spans, `task ${n}`);
      assert.equal(task.parentSpanId, flow.spanId);
      assert.equal(task.attributes['task.n'], n);
      assert.equal(leaves.filter(l => l.parentSpanId === task.spanId).length, 1, `leaf under task ${n}`);
    }
  });

  it('supports standard method decorators, sync and async', async () => {
    await otlp();
    const agent = new Agent();
    assert.equal(await agent.aforward('q'), 'answer to q');
    await shutdown();
    const outer = byName(receiver.spans, 'agent.aforward');
    const inner = byName(receiver.spans, 'forward');
    assert.equal(inner.parentSpanId, outer.spanId);
    assert.equal(outer.attributes['pipeline.stage'], 'retrieval');
    assert.equal(outer.attributes.index, '{"name":"products"}');
    assert.equal(inner.attributes['gen_ai.agent.name'], 'MyAgent');
    assert.equal(inner.attributes['code.function.name'], 'Agent.forward');
    assert.equal(inner.attributes['code.file.path'], SOURCE_PATH);
    assert.equal(inner.attributes['code.line.number'], lineOf(SOURCE, '@loc:decorator-sync'));
    assert.equal(outer.attributes['code.function.name'], 'Agent.aforward');
  });

  it('samples whole traces at MSGTRACE_SAMPLING_RATIO, parent-based', async () => {
    process.env.MSGTRACE_SAMPLING_RATIO = '0.25';
    await otlp();
    const n = 2000;
    for (let i = 0; i < n; i++) Spans.initFlow('root', () => Spans.initModule('child', () => i));
    await shutdown();
    const roots = receiver.spans.filter(s => s.name === 'root');
    const children = receiver.spans.filter(s => s.name === 'child');
    // Binomial(2000, 0.25): mean 500, sd 19.4; ±5 sd.
    assert.ok(roots.length > 403 && roots.length < 597, `sampled ${roots.length} of ${n}`);
    const rootIds = new Set(roots.map(r => r.spanId));
    assert.equal(children.length, roots.length);
    for (const c of children) assert.ok(rootIds.has(c.parentSpanId!), 'a child is kept exactly when its parent is');
  });

  it('retries a batch after 503 and delivers it once', async () => {
    receiver.script.push(503);
    await otlp({ retryBackoffMillis: 20 });
    Spans.initFlow('retried', () => undefined);
    await shutdown();
    assert.deepEqual(receiver.requests.map(r => r.status), [503, 200]);
    assert.deepEqual(receiver.spans.map(s => s.name), ['retried']);
    assert.deepEqual(box.warnings, []);
    assert.equal(msgtraceStatus().enabled, false);
  });

  it('stops after MSGTRACE_MAX_RETRIES and reports the failure once, without throwing', async () => {
    receiver.script.push(503, 503, 503, 503, 503, 503);
    process.env.MSGTRACE_MAX_RETRIES = '1';
    await otlp({ retryBackoffMillis: 20 });
    Spans.initFlow('lost', () => undefined);
    await forceFlush();
    Spans.initFlow('lost again', () => undefined);
    await forceFlush();
    assert.deepEqual(receiver.requests.map(r => r.status), [503, 503, 503, 503]);
    assert.equal(box.warnings.length, 1, box.warnings.join('\n'));
    assert.match(box.warnings[0]!, new RegExp(`could not export 1 span\\(s\\) to ${receiver.url}/v1/traces`));
    assert.equal(msgtraceStatus().failedSpans, 2);
  });

  it('reconfigures cleanly: spans before the switch go to the old endpoint, after it to the new', async () => {
    const second = await OtlpReceiver.start();
    try {
      await otlp();
      Spans.initFlow('before', () => undefined);
      await configureMsgtrace({ enabled: true, exporter: 'otlp', otlpEndpoint: `${second.url}/custom/path`, serviceName: 'second' });
      Spans.initFlow('after', () => undefined);
      await shutdown();
      assert.deepEqual(receiver.spans.map(s => s.name), ['before']);
      assert.deepEqual(second.spans.map(s => s.name), ['after']);
      assert.equal(second.requests[0]!.path, '/custom/path');
      assert.equal(second.spans[0]!.resource['service.name'], 'second');
    } finally {
      await second.close();
    }
  });
});
