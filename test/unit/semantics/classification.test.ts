import * as assert from 'node:assert/strict';
import type { AnyValue } from '../../../extension/src/core/model/anyValue';
import { SpanKind } from '../../../extension/src/core/model/span';
import { classifySpan } from '../../../extension/src/core/semantics/classification';
import { type SpanClass, type SpanDialect, parseFunctionalOp } from '../../../extension/src/core/semantics/spanClass';
import { MSGTRACE_SCOPE, makeSpan, scope } from '../store/spanFactory';

interface Row {
  readonly what: string;
  readonly name: string;
  readonly kind?: SpanKind;
  readonly msgtrace?: boolean;
  readonly attrs?: Record<string, AnyValue>;
  readonly cls: SpanClass;
  readonly dialect: SpanDialect;
  readonly rule: string;
}

// One row per shape each sender really produces (docs/msgflux-wire.md#generations, docs/otlp.md#other-dialects).
const ROWS: readonly Row[] = [
  // msgflux 0.1.0a23 (flat): every module call is SERVER span.type=flow
  { what: 'MF-B module call', name: 'My Agent', kind: SpanKind.Server, msgtrace: true, attrs: { 'span.type': 'flow' }, cls: 'flow', dialect: 'msgflux', rule: 'span.type' },
  { what: 'MF-B Generator (the model turn)', name: 'Generator', kind: SpanKind.Server, msgtrace: true, attrs: { 'span.type': 'flow' }, cls: 'model', dialect: 'msgflux', rule: 'msgflux.generator' },
  { what: 'MF-B tool library', name: 'Myagent Tool Library', kind: SpanKind.Server, msgtrace: true, attrs: { 'span.type': 'flow' }, cls: 'module', dialect: 'msgflux', rule: 'msgflux.tool-library' },
  { what: 'MF-B map_gather', name: 'map_gather', msgtrace: true, cls: 'functional', dialect: 'msgflux', rule: 'msgflux.functional-name' },
  { what: 'MF-B amsg_bcast_gather', name: 'amsg_bcast_gather', msgtrace: true, cls: 'functional', dialect: 'msgflux', rule: 'msgflux.functional-name' },
  { what: 'MF-B wait_for', name: 'wait_for', msgtrace: true, cls: 'functional', dialect: 'msgflux', rule: 'msgflux.functional-name' },
  { what: 'MF-C spawn', name: 'aspawn', msgtrace: true, cls: 'functional', dialect: 'msgflux', rule: 'msgflux.functional-name' },
  { what: 'Spans.init_module', name: 'manual.module', msgtrace: true, attrs: { 'span.type': 'module' }, cls: 'module', dialect: 'msgflux', rule: 'span.type' },
  { what: 'Spans.instrument without attributes', name: 'user.instrumented_function', msgtrace: true, attrs: { custom_attr: 'v' }, cls: 'generic', dialect: 'msgflux', rule: 'generic' },
  { what: 'a function named inline outside msgflux is not an op', name: 'inline', cls: 'generic', dialect: 'generic', rule: 'generic' },
  // msgflux intended / newer (MF-C)
  { what: 'MF-C agent module', name: 'My Agent', msgtrace: true, attrs: { 'span.type': 'module', 'module.type': 'agent' }, cls: 'agent', dialect: 'msgflux', rule: 'module.type' },
  { what: 'MF-C local tool', name: 'Get Capital', msgtrace: true, attrs: { 'span.type': 'module', 'module.type': 'localtool', 'gen_ai.tool.name': 'get_capital' }, cls: 'tool', dialect: 'msgflux', rule: 'module.type' },
  { what: 'MF-C tool with gen_ai.operation.name=tool', name: 'Get Capital', msgtrace: true, attrs: { 'gen_ai.operation.name': 'tool' }, cls: 'tool', dialect: 'msgflux', rule: 'gen_ai.operation.name' },
  { what: 'MF-C generator module', name: 'Generator', msgtrace: true, attrs: { 'span.type': 'module', 'module.type': 'generator' }, cls: 'module', dialect: 'msgflux', rule: 'module.type' },
  { what: 'MF-C chat CLIENT span', name: 'chat gpt-4.1-mini', kind: SpanKind.Client, msgtrace: true, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4.1-mini' }, cls: 'model', dialect: 'msgflux', rule: 'gen_ai.operation.name' },
  { what: 'MF-C scatter_gather with task counts', name: 'scatter_gather', msgtrace: true, attrs: { 'msgflux.functional.task_count': 3n }, cls: 'functional', dialect: 'msgflux', rule: 'msgflux.functional.*' },
  // OpenTelemetry GenAI
  { what: 'gen_ai chat', name: 'chat gpt-4o', kind: SpanKind.Client, attrs: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' }, cls: 'model', dialect: 'gen_ai', rule: 'gen_ai.operation.name' },
  { what: 'gen_ai embeddings', name: 'embeddings text-embedding-3', attrs: { 'gen_ai.operation.name': 'embeddings' }, cls: 'model', dialect: 'gen_ai', rule: 'gen_ai.operation.name' },
  { what: 'gen_ai execute_tool', name: 'execute_tool get_weather', attrs: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' }, cls: 'tool', dialect: 'gen_ai', rule: 'gen_ai.operation.name' },
  { what: 'gen_ai invoke_agent', name: 'invoke_agent Planner', attrs: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Planner' }, cls: 'agent', dialect: 'gen_ai', rule: 'gen_ai.operation.name' },
  { what: 'gen_ai invoke_workflow', name: 'invoke_workflow w', attrs: { 'gen_ai.operation.name': 'invoke_workflow' }, cls: 'flow', dialect: 'gen_ai', rule: 'gen_ai.operation.name' },
  { what: 'gen_ai tool name only', name: 'weather', attrs: { 'gen_ai.tool.name': 'weather' }, cls: 'tool', dialect: 'gen_ai', rule: 'gen_ai.tool.name' },
  { what: 'gen_ai agent name only', name: 'planner', attrs: { 'gen_ai.agent.name': 'planner' }, cls: 'agent', dialect: 'gen_ai', rule: 'gen_ai.agent.name' },
  // OpenInference
  { what: 'OpenInference LLM', name: 'ChatOpenAI', attrs: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o' }, cls: 'model', dialect: 'openinference', rule: 'openinference.span.kind' },
  { what: 'OpenInference TOOL', name: 'search', attrs: { 'openinference.span.kind': 'TOOL', 'tool.name': 'search' }, cls: 'tool', dialect: 'openinference', rule: 'openinference.span.kind' },
  { what: 'OpenInference AGENT', name: 'agent', attrs: { 'openinference.span.kind': 'AGENT' }, cls: 'agent', dialect: 'openinference', rule: 'openinference.span.kind' },
  { what: 'OpenInference CHAIN', name: 'RunnableSequence', attrs: { 'openinference.span.kind': 'CHAIN' }, cls: 'module', dialect: 'openinference', rule: 'openinference.span.kind' },
  { what: 'OpenInference RETRIEVER', name: 'retrieve', attrs: { 'openinference.span.kind': 'RETRIEVER' }, cls: 'tool', dialect: 'openinference', rule: 'openinference.span.kind' },
  { what: 'OpenInference unknown kind', name: 'x', attrs: { 'openinference.span.kind': 'UNKNOWN' }, cls: 'generic', dialect: 'openinference', rule: 'openinference.span.kind' },
  // OpenLLMetry / Traceloop
  { what: 'Traceloop workflow', name: 'joke_workflow.workflow', attrs: { 'traceloop.span.kind': 'workflow', 'traceloop.workflow.name': 'joke_workflow' }, cls: 'flow', dialect: 'openllmetry', rule: 'traceloop.span.kind' },
  { what: 'Traceloop task', name: 'create_joke.task', attrs: { 'traceloop.span.kind': 'task' }, cls: 'module', dialect: 'openllmetry', rule: 'traceloop.span.kind' },
  { what: 'Traceloop agent', name: 'a.agent', attrs: { 'traceloop.span.kind': 'agent' }, cls: 'agent', dialect: 'openllmetry', rule: 'traceloop.span.kind' },
  { what: 'Traceloop tool', name: 't.tool', attrs: { 'traceloop.span.kind': 'tool' }, cls: 'tool', dialect: 'openllmetry', rule: 'traceloop.span.kind' },
  { what: 'OpenLLMetry openai.chat', name: 'openai.chat', kind: SpanKind.Client, attrs: { 'llm.request.type': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4' }, cls: 'model', dialect: 'openllmetry', rule: 'llm.request.type' },
  { what: 'older GenAI: system + model, no operation', name: 'anthropic.messages', kind: SpanKind.Client, attrs: { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude' }, cls: 'model', dialect: 'openllmetry', rule: 'gen_ai.system+model' },
  // generic
  { what: 'an HTTP server span', name: 'GET /users', kind: SpanKind.Server, attrs: { 'http.request.method': 'GET' }, cls: 'generic', dialect: 'generic', rule: 'generic' },
];

describe('core/semantics classification (table of dialects)', () => {
  for (const row of ROWS) {
    it(`${row.what} → ${row.cls}`, () => {
      const span = makeSpan({ spanId: '1', name: row.name, kind: row.kind ?? SpanKind.Internal, attrs: row.attrs ?? {}, scope: row.msgtrace ? MSGTRACE_SCOPE : scope('other') });
      const c = classifySpan(span);
      assert.deepEqual([c.cls, c.dialect, c.rule], [row.cls, row.dialect, row.rule]);
    });
  }

  it('splits functional op names into op, async and msg_ forms', () => {
    const cases: [string, ReturnType<typeof parseFunctionalOp>][] = [
      ['map_gather', { op: 'map_gather', async: false, msg: false }],
      ['amap_gather', { op: 'map_gather', async: true, msg: false }],
      ['ascatter_gather', { op: 'scatter_gather', async: true, msg: false }],
      ['msg_scatter_gather', { op: 'scatter_gather', async: false, msg: true }],
      ['amsg_bcast_gather', { op: 'bcast_gather', async: true, msg: true }],
      ['abcast_gather', { op: 'bcast_gather', async: true, msg: false }],
      ['await_for_event', { op: 'wait_for_event', async: true, msg: false }],
      ['wait_for', { op: 'wait_for', async: false, msg: false }],
      ['afire_and_forget', { op: 'fire_and_forget', async: true, msg: false }],
      ['abackground_task', { op: 'background_task', async: true, msg: false }],
      ['spawn', { op: 'spawn', async: false, msg: false }],
      ['ainline', { op: 'inline', async: true, msg: false }],
      ['gather', undefined],
      ['amap', undefined],
      ['Map Gather', undefined],
    ];
    for (const [name, expected] of cases) assert.deepEqual(parseFunctionalOp(name), expected, name);
    const span = makeSpan({ spanId: '1', name: 'amsg_bcast_gather', scope: MSGTRACE_SCOPE });
    assert.deepEqual(classifySpan(span).functional, { op: 'bcast_gather', async: true, msg: true });
  });
});
