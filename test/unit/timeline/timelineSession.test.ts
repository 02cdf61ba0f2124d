import * as assert from 'node:assert/strict';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { parseWebviewMessage } from '../../../extension/src/timeline/messageValidation';
import { TimelineSession } from '../../../extension/src/timeline/timelineSession';
import type { IpcMessage } from '../../../extension/src/protocol/ipc';
import {
  CopyCommand,
  DidChangeStateNotification,
  DidLoadDetailsNotification,
  DidReportNotification,
  DidSearchNotification,
  MAX_PATH,
  MAX_QUERY,
  MAX_TEXT,
  OpenSourceCommand,
  ReadyCommand,
  RequestDetailsCommand,
  RevealInExplorerCommand,
  SPAN_CLASS_NAMES,
  SearchCommand,
  SelectRunCommand,
  type SourceLocation,
  type SpanDetailsView,
  type TimelineState,
  unpackRows,
} from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { agentRunRequest, hostileRunRequest, ingestRequest } from '../../browser/timelineFixtures';
import { agentDemoJson } from '../otlp/fixtures';

/** A state with its packed rows as plain arrays (events as flat triples: row, ms, exception), for assertions. */
type DecodedState = ReturnType<typeof decoded>;

function decoded(state: TimelineState) {
  const c = unpackRows(state.rows);
  const events: number[] = [];
  for (let j = 0; j < c.eventRow.length; j++) events.push(c.eventRow[j]!, c.eventTime[j]!, c.eventException[j]!);
  const rows = {
    count: c.count,
    names: c.names,
    key: [...c.key],
    depth: [...c.depth],
    start: [...c.start],
    duration: [...c.duration],
    cls: [...c.cls],
    flags: [...c.flags],
    name: [...c.name],
    events,
  };
  return { ...state, rows };
}

function setup(request: unknown = agentRunRequest('/ws/demo.py')) {
  const store = new TraceStore({ scheduler: new ManualScheduler() });
  ingestRequest(store, request);
  store.flush();
  const posted: IpcMessage[] = [];
  const opened: SourceLocation[] = [];
  const warnings: string[] = [];
  const session = new TimelineSession(store, {
    post: m => posted.push(m),
    openSource: async l => {
      opened.push(l);
      return l.file.startsWith('/ws/') ? undefined : 'outside';
    },
    warn: w => warnings.push(w),
  });
  session.handle(ReadyCommand.create({}));
  const state = () => decoded([...posted].reverse().find(m => DidChangeStateNotification.is(m))!.params as TimelineState);
  const details = (key: number) => {
    session.handle(RequestDetailsCommand.create({ requestId: 7, key }));
    const m = posted[posted.length - 1]!;
    assert.ok(DidLoadDetailsNotification.is(m));
    assert.equal(m.params.requestId, 7);
    return m.params.details as SpanDetailsView;
  };
  const keyOf = (s: DecodedState, name: string, nth = 0) => {
    const rows = s.rows;
    const idx = rows.name.map((n, i) => (rows.names[n] === name ? i : -1)).filter(i => i >= 0)[nth]!;
    return rows.key[idx]!;
  };
  return { store, session, posted, opened, warnings, state, details, keyOf };
}

describe('timeline session (host side of the protocol)', () => {
  it('sends the run as compact depth-first columns after the ready handshake', () => {
    const { state } = setup();
    const s = state();
    assert.equal(s.title, 'weather-demo · Weather Flow');
    assert.equal(s.rows.count, 6);
    const names = s.rows.name.map(n => s.rows.names[n]);
    assert.deepEqual(names, ['Weather Flow', 'Weather Agent', 'chat gpt-4o-mini', 'execute_tool get_weather', 'chat gpt-4o-mini', 'Exploder']);
    // Repeated names are sent once.
    assert.equal(s.rows.names.length, 5);
    assert.deepEqual(s.rows.depth, [0, 1, 2, 2, 2, 1]);
    assert.deepEqual(s.rows.start, [0, 10, 20, 830, 1240, 2120]);
    assert.deepEqual(s.rows.duration, [2400, 2090, 800, 400, 810, 260]);
    const cls = s.rows.cls.map(c => SPAN_CLASS_NAMES[c]);
    assert.equal(cls[2], 'model');
    assert.equal(cls[3], 'tool');
    assert.ok(s.rows.flags[5]! & SpanFacts.error);
    assert.ok(s.rows.flags[5]! & SpanFacts.hasEvents);
    assert.ok(s.rows.flags[0]! & SpanFacts.hasChildren);
    assert.ok(s.rows.flags[2]! & SpanFacts.hasUsage);
    // One exception marker on the Exploder row, 2370 ms into the run.
    assert.deepEqual(s.rows.events, [5, 2370, 1]);
  });

  it('names a run the way the host does (its debug session), in the title and the run picker', () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    ingestRequest(store, agentRunRequest('/ws/demo.py'));
    store.flush();
    const posted: IpcMessage[] = [];
    const session = new TimelineSession(store, { post: m => posted.push(m), runName: () => 'Agent A' });
    session.handle(ReadyCommand.create({}));
    const state = [...posted].reverse().find(m => DidChangeStateNotification.is(m))!.params as TimelineState;
    assert.equal(state.title, 'Agent A · Weather Flow');
    assert.ok(state.runs.some(r => r.label === 'Agent A · Weather Flow'), JSON.stringify(state.runs));
  });

  it('shows the empty state until a run arrives, and says when a chosen run is gone', () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    const posted: IpcMessage[] = [];
    const session = new TimelineSession(store, { post: m => posted.push(m) });
    session.handle(ReadyCommand.create({}));
    const last = () => [...posted].reverse().find(m => DidChangeStateNotification.is(m))!.params as TimelineState;
    const empty = last();
    assert.equal(empty.runId, undefined);
    assert.match(empty.message, /^No run selected/);
    assert.deepEqual([empty.rows.count, empty.runs.length, empty.canOpenSource], [0, 0, false]);
    assert.equal(unpackRows(empty.rows).count, 0);
    session.showRun(12345);
    assert.match(last().message, /^This run is gone/);
  });

  it('posts nothing before the webview is ready', () => {
    const store = new TraceStore({ scheduler: new ManualScheduler() });
    ingestRequest(store, agentRunRequest());
    const posted: IpcMessage[] = [];
    new TimelineSession(store, { post: m => posted.push(m) });
    store.flush();
    assert.equal(posted.length, 0);
  });

  it('shows a model call as a chat with tool calls, and usage with subtree totals', () => {
    const { state, details, keyOf } = setup();
    const d = details(keyOf(state(), 'chat gpt-4o-mini', 1));
    assert.equal(d.cls, 'model');
    const c = d.conversation!;
    assert.equal(c.source, 'gen_ai.messages');
    assert.deepEqual(
      c.input.map(m => m.role),
      ['user', 'assistant', 'tool'],
    );
    assert.deepEqual(c.input[1]!.parts[0], { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Lisbon"}' });
    assert.equal(c.input[2]!.parts[0]!.type, 'tool_call_response');
    assert.equal((c.output[0]!.parts[0] as { content: string }).content, 'It is 17 °C in Lisbon with an 80% chance of rain: take an umbrella.');
    assert.deepEqual(
      c.raw.map(a => a.key),
      ['gen_ai.input.messages', 'gen_ai.output.messages'],
    );
    assert.equal(d.usage.own.inputTokens, 210);
    const agent = details(keyOf(state(), 'Weather Agent'));
    assert.equal(agent.usage.own.inputTokens, undefined);
    assert.equal(agent.usage.subtree.inputTokens, 330);
    assert.equal(agent.usage.subtree.outputTokens, 43);
    assert.ok(Math.abs(agent.usage.subtree.cost! - 0.00055) < 1e-12);
    assert.deepEqual(agent.subtree, { spans: 4, errors: 0 });
    const first = details(keyOf(state(), 'chat gpt-4o-mini', 0));
    assert.equal(first.conversation!.system, 'You are a helpful weather assistant.');
  });

  it('gives tool calls, exceptions with frames, and the source location', () => {
    const { state, details, keyOf } = setup();
    const tool = details(keyOf(state(), 'execute_tool get_weather'));
    assert.deepEqual(tool.tool, { name: 'get_weather', callId: 'call_1', arguments: '{"city": "Lisbon"}', result: '{"temp_c": 17, "rain_probability": 0.8}' });
    const err = details(keyOf(state(), 'Exploder'));
    assert.deepEqual(err.status, { code: 'error', message: 'boom: 7' });
    assert.equal(err.exceptions.length, 1);
    assert.equal(err.exceptions[0]!.type, 'ValueError');
    assert.deepEqual(
      err.exceptions[0]!.frames.map(f => [f.file, f.line, f.function]),
      [
        ['/ws/demo.py', 12, 'forward'],
        ['/ws/demo.py', 20, 'explode'],
      ],
    );
    assert.deepEqual(err.source, { file: '/ws/demo.py', line: 20 });
    assert.equal(err.events[0]!.name, 'exception');
    assert.ok(Math.abs(err.events[0]!.offsetMs - 250) < 1e-9);
    assert.equal(err.startText, '2026-11-24T04:10:42.120000000Z');
  });

  it('marks inferred parent edges of flat msgflux traffic', () => {
    const { state } = setup(agentDemoJson());
    const s = state();
    assert.ok(s.rows.count > 20);
    const inferred = s.rows.flags.filter(f => f & SpanFacts.inferredEdge).length;
    assert.ok(inferred > 0, 'the msgflux fixture has root spans that nest by time');
  });

  it('searches names and attribute values on the host', () => {
    const { session, posted, state, keyOf } = setup();
    session.handle(SearchCommand.create({ requestId: 3, query: { text: 'LISBON' } }));
    const m = posted[posted.length - 1]!;
    assert.ok(DidSearchNotification.is(m));
    const s = state();
    assert.deepEqual([...m.params.keys].sort(), [keyOf(s, 'chat gpt-4o-mini', 0), keyOf(s, 'execute_tool get_weather'), keyOf(s, 'chat gpt-4o-mini', 1)].sort());
  });

  it('opens source only through the resolver and reports a refusal', async () => {
    const { session, opened, posted } = setup();
    session.handle(OpenSourceCommand.create({ file: '/ws/demo.py', line: 20 }));
    session.handle(OpenSourceCommand.create({ file: '/etc/passwd', line: 1 }));
    await new Promise(r => setImmediate(r));
    assert.deepEqual(opened, [
      { file: '/ws/demo.py', line: 20 },
      { file: '/etc/passwd', line: 1 },
    ]);
    const reports = posted.filter(m => DidReportNotification.is(m));
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0]!.params, { message: 'outside' });
  });

  it('keeps keys stable across live appends', () => {
    const { store, state, keyOf, session } = setup();
    const before = keyOf(state(), 'Exploder');
    ingestRequest(store, agentDemoJson());
    store.flush();
    session.showRun(state().runId);
    assert.equal(keyOf(state(), 'Exploder'), before);
  });

  it('drops invalid messages and says so', () => {
    const { session, posted, warnings } = setup();
    const n = posted.length;
    session.handle({ method: OpenSourceCommand.method, params: { file: '/ws/demo.py', line: '20' } });
    session.handle({ method: 'eval/run', params: { code: 'x' } });
    assert.equal(posted.length, n);
    assert.equal(warnings.length, 2);
  });

  it('renders hostile span text as data: names and values pass through unchanged', () => {
    const { state, details, keyOf } = setup(hostileRunRequest());
    const s = state();
    assert.equal(s.rows.names[0], '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    const d = details(keyOf(s, s.rows.names[0]!));
    assert.equal(d.attributes.find(a => a.key === 'note')!.value, '"><svg onload="window.__pwned=3"></svg><b>bold</b>');
  });
});

describe('webview message validation', () => {
  it('accepts exactly the protocol commands with well-typed params, as those messages', () => {
    const valid = [
      ReadyCommand.create({}),
      SelectRunCommand.create({ runId: 3 }),
      RequestDetailsCommand.create({ requestId: 1, key: 2 }),
      OpenSourceCommand.create({ file: 'a.py', line: 3, column: 2 }),
      OpenSourceCommand.create({ file: 'a.py', line: 3, function: 'f' }),
      CopyCommand.create({ text: 'x' }),
      CopyCommand.create({ text: 'x'.repeat(MAX_TEXT) }),
      RevealInExplorerCommand.create({ key: 9 }),
      SearchCommand.create({ requestId: 1, query: { text: 'q' } }),
      // The bounds are inclusive.
      OpenSourceCommand.create({ file: 'x'.repeat(MAX_PATH), line: 9_999_999 }),
      SearchCommand.create({ requestId: Number.MAX_SAFE_INTEGER, query: { text: 'q'.repeat(MAX_QUERY) } }),
    ];
    for (const m of valid) assert.deepEqual(parseWebviewMessage(JSON.parse(JSON.stringify(m))), m);
  });

  it('rejects unknown methods, wrong types, extra keys and oversized values', () => {
    const bad: unknown[] = [
      null,
      ReadyCommand.method,
      [],
      { method: ReadyCommand.method },
      { method: ReadyCommand.method, params: { x: 1 } },
      { method: ReadyCommand.method, params: {}, extra: 1 },
      { method: DidChangeStateNotification.method, params: {} },
      { method: SelectRunCommand.method, params: { runId: -1 } },
      { method: SelectRunCommand.method, params: { runId: 1.5 } },
      { method: SelectRunCommand.method, params: { runId: '1' } },
      { method: RequestDetailsCommand.method, params: { requestId: 1 } },
      { method: OpenSourceCommand.method, params: { file: '', line: 1 } },
      { method: OpenSourceCommand.method, params: { file: 'a\u0000b', line: 1 } },
      { method: OpenSourceCommand.method, params: { file: 'a.py', line: 0 } },
      { method: OpenSourceCommand.method, params: { file: 'a.py', line: 1, command: 'rm' } },
      { method: OpenSourceCommand.method, params: { file: 'x'.repeat(5000), line: 1 } },
      { method: CopyCommand.method, params: { text: 'x'.repeat(1_000_001) } },
      { method: CopyCommand.method, params: { text: 42 } },
      { method: SearchCommand.method, params: { requestId: 1, query: 'q' } },
      { method: SearchCommand.method, params: { requestId: 1, query: { text: 'q', regex: true } } },
      { method: OpenSourceCommand.method, params: { file: 'a.py', line: 10_000_000 } },
      { method: OpenSourceCommand.method, params: { file: 'a.py', line: 1, column: 0 } },
      { method: OpenSourceCommand.method, params: { file: 'a.py', line: 1, function: 'f'.repeat(5000) } },
      { method: SearchCommand.method, params: { requestId: 1, query: { text: 'q'.repeat(1001) } } },
      { method: RequestDetailsCommand.method, params: [1, 2] },
      { method: '__proto__', params: {} },
      { method: 'constructor', params: {} },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
  });
});
