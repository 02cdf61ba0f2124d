// Runs for the timeline's browser tests and benchmark: a msgflux-style agent run (flow, agent, model calls with
// chat messages, a tool call, an error with a Python stack), hostile span text, and large synthetic runs.
import * as path from 'node:path';
import { type Span, SpanKind, StatusCode, Span as SpanClass, type Resource, type Scope } from '../../extension/src/core/model/span';
import { decodeTraceRequestObject } from '../../extension/src/core/otlp/jsonDecoder';
import type { TraceStore } from '../../extension/src/core/store/traceStore';

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, v: string): Attr => ({ key, value: { stringValue: v } });
const i = (key: string, v: number): Attr => ({ key, value: { intValue: String(v) } });
const d = (key: string, v: number): Attr => ({ key, value: { doubleValue: v } });

const TRACE = '5b8efff798038103d269b633813fc60c';
const BASE_NS = 1_795_493_440_000_000_000n;
const ns = (ms: number) => String(BASE_NS + BigInt(Math.round(ms * 1e6)));
let nextId = 1;
const spanId = () => (nextId++).toString(16).padStart(16, '0');

interface SpanSpec {
  name: string;
  start: number;
  end: number;
  attrs?: Attr[];
  children?: SpanSpec[];
  error?: string;
  events?: { name: string; at: number; attrs: Attr[] }[];
  kind?: number;
}

function flatten(spec: SpanSpec, parent: string, out: unknown[]): void {
  const id = spanId();
  out.push({
    traceId: TRACE,
    spanId: id,
    parentSpanId: parent,
    name: spec.name,
    kind: spec.kind ?? 1,
    startTimeUnixNano: ns(spec.start),
    endTimeUnixNano: ns(spec.end),
    attributes: spec.attrs ?? [],
    events: (spec.events ?? []).map(e => ({ name: e.name, timeUnixNano: ns(e.at), attributes: e.attrs })),
    status: spec.error ? { code: 2, message: spec.error } : { code: 1 },
  });
  for (const c of spec.children ?? []) flatten(c, id, out);
}

/** The demo program of examples/, so stack frames resolve inside the test workspace. */
export const DEMO_FILE = path.join(process.cwd(), 'examples', 'agent-demo', 'demo_program.py');

export function agentRunRequest(demoFile = DEMO_FILE): unknown {
  nextId = 1;
  const input = JSON.stringify([
    { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Lisbon, and should I take an umbrella?' }] },
  ]);
  const output1 = JSON.stringify([
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }], finish_reason: 'tool_call' },
  ]);
  const input2 = JSON.stringify([
    { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Lisbon, and should I take an umbrella?' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: { temp_c: 17, rain_probability: 0.8 } }] },
  ]);
  const output2 = JSON.stringify([
    { role: 'assistant', parts: [{ type: 'text', content: 'It is 17 °C in Lisbon with an 80% chance of rain: take an umbrella.' }] },
  ]);
  const stack = [
    'Traceback (most recent call last):',
    `  File "${demoFile}", line 12, in forward`,
    '    return self.explode(x)',
    `  File "${demoFile}", line 20, in explode`,
    "    raise ValueError(f'boom: {x}')",
    'ValueError: boom: 7',
  ].join('\n');
  const root: SpanSpec = {
    name: 'Weather Flow',
    start: 0,
    end: 2400,
    attrs: [s('span.type', 'flow'), s('workflow.name', 'weather'), s('code.filepath', demoFile), i('code.lineno', 1)],
    children: [
      {
        name: 'Weather Agent',
        start: 10,
        end: 2100,
        attrs: [s('span.type', 'agent'), s('gen_ai.operation.name', 'invoke_agent'), s('gen_ai.agent.name', 'Weather Agent')],
        children: [
          {
            name: 'chat gpt-4o-mini',
            start: 20,
            end: 820,
            kind: 3,
            attrs: [
              s('gen_ai.operation.name', 'chat'),
              s('gen_ai.provider.name', 'openai'),
              s('gen_ai.request.model', 'gpt-4o-mini'),
              s('gen_ai.system_instructions', 'You are a helpful weather assistant.'),
              s('gen_ai.input.messages', input),
              s('gen_ai.output.messages', output1),
              i('gen_ai.usage.input_tokens', 120),
              i('gen_ai.usage.output_tokens', 18),
              d('gen_ai.usage.cost', 0.00021),
            ],
          },
          {
            name: 'execute_tool get_weather',
            start: 830,
            end: 1230,
            attrs: [
              s('gen_ai.operation.name', 'execute_tool'),
              s('gen_ai.tool.name', 'get_weather'),
              s('gen_ai.tool.call.id', 'call_1'),
              s('gen_ai.tool.call.arguments', '{"city": "Lisbon"}'),
              s('gen_ai.tool.call.result', '{"temp_c": 17, "rain_probability": 0.8}'),
            ],
          },
          {
            name: 'chat gpt-4o-mini',
            start: 1240,
            end: 2050,
            kind: 3,
            attrs: [
              s('gen_ai.operation.name', 'chat'),
              s('gen_ai.provider.name', 'openai'),
              s('gen_ai.request.model', 'gpt-4o-mini'),
              s('gen_ai.input.messages', input2),
              s('gen_ai.output.messages', output2),
              i('gen_ai.usage.input_tokens', 210),
              i('gen_ai.usage.output_tokens', 25),
              d('gen_ai.usage.cost', 0.00034),
            ],
          },
        ],
      },
      {
        name: 'Exploder',
        start: 2120,
        end: 2380,
        error: 'boom: 7',
        attrs: [s('span.type', 'module'), s('code.filepath', demoFile), i('code.lineno', 20)],
        events: [{ name: 'exception', at: 2370, attrs: [s('exception.type', 'ValueError'), s('exception.message', 'boom: 7'), s('exception.stacktrace', stack)] }],
      },
    ],
  };
  const spans: unknown[] = [];
  flatten(root, '', spans);
  return {
    resourceSpans: [
      {
        resource: { attributes: [s('service.name', 'weather-demo')] },
        scopeSpans: [{ scope: { name: 'msgtrace.sdk', version: '0.1.0' }, spans }],
      },
    ],
  };
}

/** A run whose span names and attributes are markup and script: the page must show them as text. */
export const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
export const HOSTILE_VALUE = '"><svg onload="window.__pwned=3"></svg><b>bold</b>';

export function hostileRunRequest(): unknown {
  nextId = 1000;
  const spans: unknown[] = [];
  flatten(
    {
      name: HOSTILE_NAME,
      start: 0,
      end: 100,
      attrs: [s('note', HOSTILE_VALUE), s('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: HOSTILE_VALUE }] }]))],
      children: [{ name: '<iframe src="javascript:window.__pwned=4">', start: 10, end: 50, attrs: [s(HOSTILE_NAME, HOSTILE_VALUE)] }],
    },
    '',
    spans,
  );
  return {
    resourceSpans: [{ resource: { attributes: [s('service.name', '<b>evil-service</b>')] }, scopeSpans: [{ scope: { name: 'x' }, spans }] }],
  };
}

export function ingestRequest(store: TraceStore, request: unknown): void {
  store.ingest(decodeTraceRequestObject(request as never), { transport: 'test' });
}

const RESOURCE: Resource = { attributes: [{ key: 'service.name', value: 'bench' }], droppedAttributesCount: 0, schemaUrl: '', serviceName: 'bench' };
const SCOPE: Scope = { name: 'msgtrace.sdk', version: '0.1.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
const NAMES = ['Pipeline', 'My Agent', 'Generator', 'chat gpt-4o', 'execute_tool search', 'map_gather', 'Retriever', 'Planner'];

/**
 * `count` spans in one trace: a tree with fan-out 8 and up to 6 levels, children laid out in time inside their
 * parents, every 97th an error. Built as Span objects directly: the benchmark measures the timeline, not decoding.
 */
export function syntheticSpans(count: number, traceId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'): Span[] {
  const spans: Span[] = [];
  const base = 1_795_493_440_000;
  let n = 0;
  const make = (parent: string, depth: number, startMs: number, durMs: number): string => {
    const id = (++n).toString(16).padStart(16, '0');
    const error = n % 97 === 0;
    spans.push(
      new SpanClass(
        {
          traceId,
          spanId: id,
          parentSpanId: parent,
          traceState: '',
          flags: 0,
          name: NAMES[(n * 7 + depth) % NAMES.length]!,
          kind: SpanKind.Internal,
          startMs: base + Math.floor(startMs),
          startSubMsNanos: Math.floor((startMs % 1) * 1e6),
          endMs: base + Math.floor(startMs + durMs),
          endSubMsNanos: Math.floor(((startMs + durMs) % 1) * 1e6),
          statusCode: error ? StatusCode.Error : StatusCode.Ok,
          statusMessage: error ? 'failed' : '',
          droppedAttributesCount: 0,
          droppedEventsCount: 0,
          droppedLinksCount: 0,
          eventCount: 0,
          linkCount: 0,
          indexed: [{ key: 'span.type', value: depth === 0 ? 'flow' : 'module' }],
          resource: RESOURCE,
          scope: SCOPE,
        },
        { attributes: [{ key: 'span.type', value: depth === 0 ? 'flow' : 'module' }, { key: 'index', value: BigInt(n) }], events: [], links: [] },
      ),
    );
    return id;
  };
  // Breadth-first so the tree stays balanced until `count` is reached.
  const queue: { id: string; depth: number; start: number; dur: number }[] = [];
  const rootDur = 60_000;
  queue.push({ id: make('', 0, 0, rootDur), depth: 0, start: 0, dur: rootDur });
  while (n < count && queue.length > 0) {
    const p = queue.shift()!;
    const kids = 8;
    const slot = p.dur / kids;
    for (let k = 0; k < kids && n < count; k++) {
      const start = p.start + k * slot + slot * 0.05;
      const dur = slot * 0.9;
      const id = make(p.id, p.depth + 1, start, dur);
      queue.push({ id, depth: p.depth + 1, start, dur });
    }
  }
  return spans;
}
