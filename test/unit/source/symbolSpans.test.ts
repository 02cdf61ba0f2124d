import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StatusCode } from '../../../extension/src/core/model/span';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { describeStats, spanStats, SymbolSpans } from '../../../extension/src/core/source/symbolSpans';
import { scanSymbols } from '../../../extension/src/core/source/symbolScanner';
import { ManualScheduler } from '../../../extension/src/core/store/scheduler';
import { TraceStore } from '../../../extension/src/core/store/traceStore';
import { MSGTRACE_SCOPE, makeSpan } from '../store/spanFactory';

const DEMO_PATH = join(process.cwd(), 'examples/agent-demo/demo_program.py');
const DEMO = scanSymbols(readFileSync(DEMO_PATH, 'utf8'), 'python');

function agentDemoStore(): TraceStore {
  const store = new TraceStore({ scheduler: new ManualScheduler() });
  store.ingest(decodeTraceRequest(readFileSync(join(process.cwd(), 'test/fixtures/msgflux-0.1.0a23-agent-demo.pb'))), { transport: 'http', path: '/v1/traces' });
  store.flush();
  return store;
}

describe('core/source code -> spans', () => {
  it('counts the real capture\'s spans per definition of the demo program', () => {
    const store = agentDemoStore();
    const run = store.runs()[0]!;
    const spans = new SymbolSpans(Array.from(store.flatten(run).rows, row => ({ row, span: store.rows.span(row) })), s => store.classOf(s.row));
    const count = (name: string, kind = 'class') => spans.spansOf(DEMO.find(s => s.name === name && s.kind === kind)!, DEMO_PATH).length;
    assert.equal(count('Doubler'), 4);
    assert.equal(count('Pipeline'), 1);
    assert.equal(count('Exploder'), 1);
    assert.equal(count('MyAgent', 'agent'), 2);
    assert.equal(count('get_capital', 'function'), 2);
    assert.equal(count('documented_attributes_form', 'function'), 1);
    assert.equal(count('user.instrumented_function', 'span'), 1);
    assert.equal(count('StubChatModel'), 0);
    const exploder = spans.spansOf(DEMO.find(s => s.name === 'Exploder')!, DEMO_PATH);
    const stats = spanStats(exploder, () => undefined)!;
    assert.equal(stats.errors, 1);
    assert.equal(stats.latest, exploder[0]);
    assert.equal(stats.maxNanos, exploder[0]!.span!.durationNanos);
  });

  it('matches spans with code.* attributes by function, class and file name', () => {
    const at = (id: string, fn: string, file: string) =>
      ({ row: Number(id), span: makeSpan({ spanId: id, name: 'anything', attrs: { 'code.file.path': file, 'code.function.name': fn, 'code.line.number': 94 } }) });
    const spans = new SymbolSpans(
      [at('1', 'demo.Doubler.forward', '/elsewhere/demo_program.py'), at('2', 'get_capital', '/elsewhere/demo_program.py'), at('3', 'get_capital', '/elsewhere/other.py')],
      () => 'generic',
    );
    const forward = (cls: string) => DEMO.find(s => s.name === 'forward' && s.container === cls)!;
    assert.equal(spans.spansOf(forward('Doubler'), DEMO_PATH).length, 1);
    assert.equal(spans.spansOf(forward('Pipeline'), DEMO_PATH).length, 0, 'the namespace names the class');
    assert.deepEqual(spans.spansOf(DEMO.find(s => s.name === 'get_capital')!, DEMO_PATH).map(n => n.row), [2], 'the file name must match');
  });

  it('summarizes durations, errors and tokens', () => {
    const node = (id: string, ms: number, status = StatusCode.Ok) => ({ row: Number(id), span: makeSpan({ spanId: id, start: 0 + Number(id), end: Number(id) + ms, status, scope: MSGTRACE_SCOPE }) });
    const nodes = [node('1', 1), node('2', 4, StatusCode.Error), node('3', 2), node('4', 10)];
    const stats = spanStats(nodes, n => (n.row === 2 ? 30 : n.row === 4 ? 12 : undefined))!;
    assert.equal(stats.count, 4);
    assert.equal(stats.medianNanos, 3_000_000);
    assert.equal(stats.maxNanos, 10_000_000);
    assert.equal(stats.errors, 1);
    assert.equal(stats.tokens, 42);
    assert.equal(stats.latest.row, 4);
    assert.equal(describeStats(stats), '4 spans · median 3 ms · max 10 ms · 1 error · 42 tokens');
    assert.equal(describeStats(spanStats([nodes[0]!], () => undefined)!), '1 span · 1 ms');
    assert.equal(spanStats([], () => undefined), undefined);
  });
});
