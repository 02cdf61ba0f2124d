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
const nsAt = (ms: number) => String(BASE_NS + BigInt(Math.round(ms * 1e6)));
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

function flatten(spec: SpanSpec, parent: string, out: unknown[], traceId = TRACE, offsetMs = 0): void {
  const id = spanId();
  const ns = (ms: number) => nsAt(ms + offsetMs);
  out.push({
    traceId,
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
  for (const c of spec.children ?? []) flatten(c, id, out, traceId, offsetMs);
}

/** The demo program of examples/, so stack frames resolve inside the test workspace. */
export const DEMO_FILE = path.join(process.cwd(), 'examples', 'agent-demo', 'demo_program.py');

/** How a run of the weather agent differs from the first one (the comparison tests' run B). */
export interface AgentRunVariant {
  readonly traceId?: string;
  /** Added to every time: a run a minute after another is a run of its own. */
  readonly offsetMs?: number;
  /** What the weather tool answers. */
  readonly weather?: { readonly tempC: number; readonly rain: number };
  /** Milliseconds the second model call takes longer. */
  readonly slowerAnswerMs?: number;
  /** The Exploder module is left out (fixed). */
  readonly withoutExploder?: boolean;
  /** A second tool call (a forecast) after the first. */
  readonly forecastTool?: boolean;
}

export function agentRunRequest(demoFile = DEMO_FILE, variant: AgentRunVariant = {}): unknown {
  nextId = variant.traceId === undefined ? 1 : 5000;
  const weather = variant.weather ?? { tempC: 17, rain: 0.8 };
  const slower = variant.slowerAnswerMs ?? 0;
  const input = JSON.stringify([
    { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Lisbon, and should I take an umbrella?' }] },
  ]);
  const output1 = JSON.stringify([
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }], finish_reason: 'tool_call' },
  ]);
  const input2 = JSON.stringify([
    { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Lisbon, and should I take an umbrella?' }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: { temp_c: weather.tempC, rain_probability: weather.rain } }] },
  ]);
  const output2 = JSON.stringify([
    { role: 'assistant', parts: [{ type: 'text', content: `It is ${weather.tempC} °C in Lisbon with an ${Math.round(weather.rain * 100)}% chance of rain: take an umbrella.` }] },
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
    end: 2400 + slower,
    attrs: [s('span.type', 'flow'), s('workflow.name', 'weather'), s('code.filepath', demoFile), i('code.lineno', 1)],
    children: [
      {
        name: 'Weather Agent',
        start: 10,
        end: 2100 + slower,
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
              s('gen_ai.tool.call.result', `{"temp_c": ${weather.tempC}, "rain_probability": ${weather.rain}}`),
            ],
          },
          ...(variant.forecastTool
            ? [
                {
                  name: 'execute_tool get_forecast',
                  start: 1232,
                  end: 1238,
                  attrs: [
                    s('gen_ai.operation.name', 'execute_tool'),
                    s('gen_ai.tool.name', 'get_forecast'),
                    s('gen_ai.tool.call.arguments', '{"city": "Lisbon", "days": 2}'),
                    s('gen_ai.tool.call.result', '{"tomorrow": "rain"}'),
                  ],
                },
              ]
            : []),
          {
            name: 'chat gpt-4o-mini',
            start: 1240,
            end: 2050 + slower,
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
      ...(variant.withoutExploder
        ? []
        : [
            {
              name: 'Exploder',
              start: 2120 + slower,
              end: 2380 + slower,
              error: 'boom: 7',
              attrs: [s('span.type', 'module'), s('code.filepath', demoFile), i('code.lineno', 20)],
              events: [{ name: 'exception', at: 2370 + slower, attrs: [s('exception.type', 'ValueError'), s('exception.message', 'boom: 7'), s('exception.stacktrace', stack)] }],
            },
          ]),
    ],
  };
  const spans: unknown[] = [];
  flatten(root, '', spans, variant.traceId ?? TRACE, variant.offsetMs ?? 0);
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

/**
 * Run B of the comparison tests, a minute after agentRunRequest's run A: the weather tool answers otherwise
 * (so its result and the next prompt change), a forecast tool call is added, the answer is 800 ms slower and the
 * Exploder is gone.
 */
export const CHANGED_RUN: AgentRunVariant = {
  traceId: '6c9f0008a9149214e37ac744924fd71d',
  offsetMs: 60_000,
  weather: { tempC: 12, rain: 0.9 },
  slowerAnswerMs: 800,
  withoutExploder: true,
  forecastTool: true,
};

export function ingestRequest(store: TraceStore, request: unknown): void {
  store.ingest(decodeTraceRequestObject(request as never), { transport: 'test' });
}

const RESOURCE: Resource = { attributes: [{ key: 'service.name', value: 'bench' }], droppedAttributesCount: 0, schemaUrl: '', serviceName: 'bench' };
const SCOPE: Scope = { name: 'msgtrace.sdk', version: '0.1.0', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
const NAMES = ['Pipeline', 'My Agent', 'Generator', 'chat gpt-4o', 'execute_tool search', 'map_gather', 'Retriever', 'Planner'];

/** How a synthetic run differs from the first (the comparison benchmark's run B). */
export interface SyntheticVariant {
  /** Added to every time: two minutes apart, two runs of one service stay two runs. */
  readonly offsetMs?: number;
  /** Every `slowEvery`th span takes 20% longer (its children keep their times). */
  readonly slowEvery?: number;
  /** Every `renameEvery`th span has another name: a pair only in A and one only in B. */
  readonly renameEvery?: number;
}

/**
 * `count` spans in one trace: a tree with fan-out 8 and up to 6 levels, children laid out in time inside their
 * parents, every 97th an error. Built as Span objects directly: the benchmark measures the timeline, not decoding.
 */
export function syntheticSpans(count: number, traceId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', variant: SyntheticVariant = {}): Span[] {
  const spans: Span[] = [];
  const base = 1_795_493_440_000 + (variant.offsetMs ?? 0);
  let n = 0;
  const make = (parent: string, depth: number, startMs: number, span: number): string => {
    const id = (++n).toString(16).padStart(16, '0');
    const durMs = variant.slowEvery && n % variant.slowEvery === 0 ? span * 1.2 : span;
    const error = n % 97 === 0;
    spans.push(
      new SpanClass(
        {
          traceId,
          spanId: id,
          parentSpanId: parent,
          traceState: '',
          flags: 0,
          name: variant.renameEvery && n % variant.renameEvery === 0 ? `${NAMES[(n * 7 + depth) % NAMES.length]!} v2` : NAMES[(n * 7 + depth) % NAMES.length]!,
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
