// An example agent traced with msgtrace-sdk. It emits what a msgflux agent emits, with a stub model (no network):
//   My Agent (flow) > Generator (module) > chat stub-1 (model call: gen_ai.* usage and messages)
//                   > My Agent Tool Library (module) > scatter_gather > Get Capital (tool: arguments and result)
//                   > Generator > chat stub-1 (final answer)
//   Pipeline (flow) > map_gather (fan-out) > Doubler x3
//   Exploder (flow, fails with ERROR and an exception event; the program catches it and carries on)
// Run: node agent.mjs   (from this folder, after `npm run build` at the repository root; F5 in VS Code does both)
// To see "Compare with Previous Run" at work, vary a run: EXAMPLE_COUNTRY=Brazil changes the question, the tool's
// arguments and result and the answer; EXAMPLE_TOOL_DELAY_MS=200 slows the tool (default 5).
import { setTimeout as sleep } from 'node:timers/promises';
import {
  MsgTraceAttributes,
  Spans,
  addAgentStartEvent,
  addModelRequestEvent,
  addToolCallEvent,
  addToolResultEvent,
  configureMsgtrace,
  msgtraceStatus,
  readCaptureFlags,
  shutdown,
} from 'msgtrace-sdk';

// MSGTRACE_* variables win (the msgtrace extension sets them for debug sessions); without them this example
// sends OTLP to the default endpoint, http://localhost:4318/v1/traces, where the extension's receiver listens.
await configureMsgtrace({
  enabled: process.env.MSGTRACE_TELEMETRY_ENABLED === undefined ? true : undefined,
  exporter: process.env.MSGTRACE_EXPORTER === undefined ? 'otlp' : undefined,
  serviceName: process.env.MSGTRACE_SERVICE_NAME === undefined ? 'example-agent' : undefined,
});
const capture = readCaptureFlags();
const COUNTRY = process.env.EXAMPLE_COUNTRY || 'France';
const TOOL_DELAY_MS = Number(process.env.EXAMPLE_TOOL_DELAY_MS) || 5;

// ---- a stub chat model: first turn asks for a tool, second turn answers ------------------------------------
const MODEL = 'stub-1';

const chat = Spans.instrument(
  async function chat(messages, tools) {
    const toolAnswer = messages.find(m => m.role === 'tool')?.parts[0]?.response;
    const answer = toolAnswer !== undefined
      ? { role: 'assistant', parts: [{ type: 'text', content: `The capital of ${COUNTRY} is ${toolAnswer}.` }], finish: 'stop' }
      : { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_0001', name: 'get_capital', arguments: { country: COUNTRY } }], finish: 'tool_calls' };
    await sleep(20); // the "network"
    MsgTraceAttributes.setOperationName('chat');
    MsgTraceAttributes.setProviderName('stub');
    MsgTraceAttributes.setModel(MODEL);
    MsgTraceAttributes.setResponseModel(MODEL);
    MsgTraceAttributes.setResponseId(`resp_${messages.length}`);
    MsgTraceAttributes.setTemperature(0.2);
    MsgTraceAttributes.setUsage(12 * messages.length, 7);
    MsgTraceAttributes.setFinishReason(answer.finish);
    MsgTraceAttributes.setCustom('gen_ai.input.messages', messages);
    MsgTraceAttributes.setCustom('gen_ai.output.messages', [{ role: answer.role, parts: answer.parts }]);
    MsgTraceAttributes.setCustom('gen_ai.request.tools', tools.map(t => t.name));
    return answer;
  },
  { name: `chat ${MODEL}`, kind: 2 /* SpanKind.CLIENT: the model is a remote service */ },
);

// ---- a tool -------------------------------------------------------------------------------------------------
const getCapital = {
  name: 'get_capital',
  description: 'Return the capital city of a country.',
  run: ({ country }) => ({ France: 'Paris', Brazil: 'Brasilia' })[country] ?? 'unknown',
};

async function callTool(tool, call) {
  return Spans.ainitModule('Get Capital', { 'module.type': 'localtool' }, async () => {
    MsgTraceAttributes.setOperationName('tool');
    MsgTraceAttributes.setToolName(tool.name);
    MsgTraceAttributes.setToolDescription(tool.description);
    MsgTraceAttributes.setToolCallId(call.id);
    MsgTraceAttributes.setCustom('gen_ai.tool.type', 'function');
    MsgTraceAttributes.setToolExecutionType('local');
    MsgTraceAttributes.setToolCallArguments(call.arguments);
    addToolCallEvent(tool.name, call.id, call.arguments);
    await sleep(TOOL_DELAY_MS);
    const result = tool.run(call.arguments);
    if (capture.toolCallResponses) MsgTraceAttributes.setToolResponse(result);
    addToolResultEvent(tool.name, call.id, result);
    return result;
  });
}

// msgflux's functional fan-out ops are instrumented functions named after themselves.
const scatterGather = Spans.ainstrument(async function scatter_gather(fns, argsList) {
  const results = await Promise.all(fns.map((fn, i) => fn(...argsList[i])));
  MsgTraceAttributes.setCustom('msgflux.functional.task_count', fns.length);
  MsgTraceAttributes.setCustom('msgflux.functional.failed_tasks', 0);
  return results;
});

const mapGather = Spans.ainstrument(async function map_gather(fn, argsList) {
  const results = await Promise.all(argsList.map(args => fn(...args)));
  MsgTraceAttributes.setCustom('msgflux.functional.task_count', argsList.length);
  MsgTraceAttributes.setCustom('msgflux.functional.failed_tasks', 0);
  return results;
});

// ---- the agent: one flow per call -----------------------------------------------------------------------
async function agent(question) {
  return Spans.ainitFlow('My Agent', { 'module.name': 'My Agent', 'module.type': 'agent' }, async () => {
    MsgTraceAttributes.setAgentName('MyAgent');
    MsgTraceAttributes.setOperationName('invoke_agent');
    addAgentStartEvent('MyAgent');
    const tools = [getCapital];
    const messages = [{ role: 'user', parts: [{ type: 'text', content: question }] }];
    for (let step = 1; step <= 3; step++) {
      const answer = await Spans.ainitModule('Generator', { 'module.type': 'generator' }, async () => {
        addModelRequestEvent(MODEL, messages.length);
        return chat(messages, tools);
      });
      messages.push({ role: answer.role, parts: answer.parts });
      const calls = answer.parts.filter(p => p.type === 'tool_call');
      if (calls.length === 0) {
        const text = answer.parts.map(p => p.content).join('');
        MsgTraceAttributes.setAgentResponse(text);
        return text;
      }
      const results = await Spans.ainitModule('My Agent Tool Library', { 'module.type': 'toollibrary' }, () =>
        scatterGather(calls.map(call => () => callTool(getCapital, call)), calls.map(() => [])),
      );
      calls.forEach((call, i) => messages.push({ role: 'tool', parts: [{ type: 'tool_call_response', id: call.id, response: results[i] }] }));
    }
    throw new Error('the agent did not finish in 3 steps');
  });
}

// ---- a pipeline with a fan-out, and a module that fails --------------------------------------------------
const doubler = x => Spans.initModule('Doubler', { 'module.type': 'doubler' }, () => 2 * x);

async function pipeline(values) {
  return Spans.ainitFlow('Pipeline', { 'module.type': 'pipeline' }, () => mapGather(async x => (await sleep(x), doubler(x)), values.map(v => [v])));
}

function exploder(x) {
  return Spans.initFlow('Exploder', { 'module.type': 'exploder' }, () => {
    throw new RangeError(`boom: ${x}`);
  });
}

// ---- main --------------------------------------------------------------------------------------------------
const status = msgtraceStatus();
console.log(status.enabled ? `msgtrace: sending spans to ${status.destination}` : 'msgtrace: telemetry is disabled (MSGTRACE_TELEMETRY_ENABLED)');

console.log('agent ->', await agent(`What is the capital of ${COUNTRY}?`));
console.log('pipeline ->', await pipeline([1, 2, 3]));
try {
  exploder(7);
} catch (error) {
  console.log('exploder raised:', error.message);
}

// Not strictly needed (msgtrace also flushes when the program ends), but it lets us report where spans went.
const final = await shutdown();
if (final.enabled) {
  console.log(`msgtrace: ${final.exportedSpans} spans exported to ${final.destination}${final.failedSpans ? `, ${final.failedSpans} could not be delivered` : ''}`);
}
