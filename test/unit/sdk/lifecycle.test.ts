// Disabled mode, the console exporter, and exporting at exit, the last in real child processes.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { trace } from '@opentelemetry/api';
import { ConsoleSpanExporter, type ConsoleSpanJson, Spans, configureMsgtrace, msgtraceStatus, shutdown } from '../../../sdk/src/index';
import { runtime } from '../../../sdk/src/runtime';
import { OtlpReceiver } from './support/otlpReceiver';
import { type SdkSandbox, sandbox } from './support/sdkEnv';

const SDK = require.resolve('../../../sdk/src/index');

function timers(): number {
  return process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
}

/** Several pretty-printed JSON objects, one after another, as the console exporter writes them. */
function parseConsole(text: string): ConsoleSpanJson[] {
  return text
    .split(/\n(?=\{)/)
    .map(s => s.trim())
    .filter(s => s.startsWith('{'))
    .map(s => JSON.parse(s) as ConsoleSpanJson);
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(script: string, env: Record<string, string>, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MSGTRACE_') && !k.startsWith('OTEL_')));
    const child = spawn(process.execPath, ['-e', `const sdk = require(${JSON.stringify(SDK)});\n${script}`], { env: { ...clean, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, s => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('sdk lifecycle', function () {
  this.timeout(20000);
  let box: SdkSandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.restore());

  it('costs nothing when disabled: no pipeline, no timer, no current span, same results', async () => {
    await Promise.resolve(); // mocha arms its own timeout timer once the test returns its promise
    const before = timers();
    const resourcesBefore = process.getActiveResourcesInfo().join();
    const double = Spans.instrument((x: number) => 2 * x);
    assert.equal(double(21), 42);
    const seen = Spans.initFlow('flow', span => {
      assert.equal(span.isRecording(), false);
      return trace.getActiveSpan();
    });
    assert.equal(seen, undefined);
    assert.equal(await Spans.ainitModule('m', async () => 'ok'), 'ok');
    assert.throws(() => Spans.initModule('m', () => { throw new Error('still thrown'); }), /still thrown/);
    assert.equal(runtime.current, null);
    assert.equal(msgtraceStatus().enabled, false);
    assert.equal(timers(), before, `${resourcesBefore} -> ${process.getActiveResourcesInfo().join()}`);
    assert.deepEqual(box.warnings, []);
  });

  it('enables when configureMsgtrace is called after instrumentation but before the first span', async () => {
    const traced = Spans.instrument(function late() { return trace.getActiveSpan()?.isRecording(); });
    const lines: string[] = [];
    await configureMsgtrace({ enabled: true, spanExporter: new ConsoleSpanExporter(t => lines.push(t)) });
    assert.equal(traced(), true);
    await shutdown();
    assert.equal(parseConsole(lines.join('')).map(s => s.name).join(), 'late');
  });

  it('prints each span as JSON in the Python SDK console shape', async () => {
    const lines: string[] = [];
    await configureMsgtrace({ enabled: true, serviceName: 'console-test', capturePlatform: false, spanExporter: new ConsoleSpanExporter(t => lines.push(t)) });
    Spans.initFlow('outer', { 'workflow.name': 'w' }, () => Spans.initModule('inner', () => undefined));
    assert.throws(() => Spans.initModule('bad', () => { throw new RangeError('nope'); }));
    await shutdown();
    const spans = parseConsole(lines.join(''));
    assert.deepEqual(spans.map(s => s.name), ['inner', 'outer', 'bad']);
    const [inner, outer, bad] = spans as [ConsoleSpanJson, ConsoleSpanJson, ConsoleSpanJson];
    assert.equal(outer.kind, 'SpanKind.SERVER');
    assert.equal(inner.kind, 'SpanKind.INTERNAL');
    assert.equal(outer.parent_id, null);
    assert.equal(inner.parent_id, outer.context.span_id);
    assert.match(outer.context.trace_id, /^0x[0-9a-f]{32}$/);
    assert.match(outer.context.span_id, /^0x[0-9a-f]{16}$/);
    assert.equal(inner.context.trace_id, outer.context.trace_id);
    assert.match(outer.start_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(outer.end_time >= inner.end_time);
    assert.deepEqual(outer.status, { status_code: 'OK' });
    assert.deepEqual(bad.status, { status_code: 'ERROR', description: 'nope' });
    assert.equal(bad.events[0]!.name, 'exception');
    assert.equal(outer.attributes['span.type'], 'flow');
    assert.equal(outer.attributes['workflow.name'], 'w');
    assert.deepEqual(outer.resource, { attributes: { 'service.name': 'console-test' }, schema_url: '' });
  });

  describe('at exit (child processes)', () => {
    let receiver: OtlpReceiver;
    beforeEach(async () => (receiver = await OtlpReceiver.start()));
    afterEach(() => receiver.close());
    const env = () => ({ MSGTRACE_TELEMETRY_ENABLED: 'yes', MSGTRACE_EXPORTER: 'otlp', MSGTRACE_OTLP_ENDPOINT: receiver.url });

    it('exports a short program\'s spans when it simply ends (beforeExit)', async () => {
      const r = await runChild(`sdk.Spans.initFlow('exit.flow', () => sdk.Spans.initModule('exit.module', () => 1));`, env());
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(receiver.spans.map(s => s.name).sort(), ['exit.flow', 'exit.module']);
    });

    it('flushes on SIGTERM, then lets the default action terminate the process', async () => {
      const script = `sdk.Spans.initFlow('signal.flow', () => undefined); setInterval(() => {}, 1000); console.log('ready');`;
      let sent = false;
      const r = await runChild(script, env(), (out, kill) => {
        if (!sent && out.includes('ready')) {
          sent = true;
          kill('SIGTERM');
        }
      });
      assert.equal(r.signal, 'SIGTERM', r.stderr);
      assert.deepEqual(receiver.spans.map(s => s.name), ['signal.flow']);
    });

    it('flushes on SIGINT and leaves the exit to the program\'s own handler', async () => {
      const script = `process.on('SIGINT', () => setTimeout(() => process.exit(7), 300));
        sdk.Spans.initFlow('sigint.flow', () => undefined); setInterval(() => {}, 1000); console.log('ready');`;
      let sent = false;
      const r = await runChild(script, env(), (out, kill) => {
        if (!sent && out.includes('ready')) {
          sent = true;
          kill('SIGINT');
        }
      });
      assert.equal(r.code, 7, r.stderr);
      assert.deepEqual(receiver.spans.map(s => s.name), ['sigint.flow']);
    });

    it('uses the console exporter by default and never fails the program when the endpoint is down', async () => {
      const consoleRun = await runChild(`sdk.Spans.initFlow('to.console', () => undefined);`, { MSGTRACE_TELEMETRY_ENABLED: 'true' });
      assert.equal(consoleRun.code, 0);
      assert.deepEqual(parseConsole(consoleRun.stdout).map(s => s.name), ['to.console']);

      const down = await runChild(`sdk.Spans.initFlow('nowhere', () => undefined); console.log('done');`, {
        ...env(),
        MSGTRACE_OTLP_ENDPOINT: 'http://127.0.0.1:9/v1/traces',
        MSGTRACE_MAX_RETRIES: '0',
      });
      assert.equal(down.code, 0);
      assert.match(down.stdout, /done/);
      assert.equal(down.stderr.match(/\[msgtrace\] could not export 1 span\(s\) to http:\/\/127\.0\.0\.1:9\/v1\/traces/g)?.length, 1, down.stderr);
    });
  });
});
