// `msgtrace record` as a child process: the ready line, OTLP/JSON lines in the file, exit 0 on signals.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import * as fc from 'fast-check';
import { decodeTraceRequestJson } from '../../../extension/src/core/otlp/jsonDecoder';
import { decodeTraceRequest } from '../../../extension/src/core/otlp/protobufDecoder';
import { otlpJsonLine } from '../../../extension/src/storage/otlpJsonLinesWriter';
import { request as jsonRequest } from '../otlp/otlpArbitraries';
import { agentDemoJson, agentDemoPb } from '../otlp/fixtures';
import { assertBatchEqualsJson } from '../otlp/otlpJsonExpect';
import { post } from '../receiver/receiverHarness';

const CLI = join(process.cwd(), 'dist/cli.js');

function run(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let lineResolve: (l: string) => void;
  const firstLine = new Promise<string>(resolve => (lineResolve = resolve));
  child.stdout!.on('data', d => {
    stdout += d;
    if (stdout.includes('\n')) lineResolve(stdout.split('\n')[0]!);
  });
  child.stderr!.on('data', d => (stderr += d));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve => child.on('exit', code => resolve({ code, stdout, stderr })));
  return { child, firstLine, exit };
}

describe('msgtrace record (CLI)', function () {
  this.timeout(20_000);
  const dir = mkdtempSync(join(tmpdir(), 'msgtrace-cli-'));
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`prints one ready line, writes one OTLP/JSON request per line, exits 0 on ${signal}`, async () => {
      const out = join(dir, `${signal}.jsonl`);
      const p = run(['record', '--http-port', '0', '--grpc-port', '0', '--out', out]);
      children.push(p.child);
      const line = await p.firstLine;
      const m = /^listening http=127\.0\.0\.1:(\d+) grpc=127\.0\.0\.1:(\d+)$/.exec(line);
      assert.ok(m, line);
      const port = Number(m[1]);
      assert.equal((await post(port, '/v1/traces', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb())).status, 200);
      assert.equal((await post(port, '/', { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }, zlib.gzipSync(agentDemoPb()))).status, 200);
      p.child.kill(signal);
      const { code, stdout } = await p.exit;
      assert.equal(code, 0);
      assert.equal(stdout, `${line}\n`, 'exactly one line on stdout');
      const lines = readFileSync(out, 'utf8').split('\n');
      assert.equal(lines.pop(), '');
      assert.equal(lines.length, 2);
      for (const l of lines) assertBatchEqualsJson(decodeTraceRequestJson(l).spans, agentDemoJson());
    });
  }

  it('writes each request from its bytes: concurrent protobuf, JSON and gzip requests, the Span-object writer\'s lines, none for a request without accepted spans', async () => {
    const out = join(dir, 'mixed.jsonl');
    const p = run(['record', '--http-port', '0', '--grpc-port', '0', '--quiet', '--out', out]);
    children.push(p.child);
    const port = Number(/http=127\.0\.0\.1:(\d+)/.exec(await p.firstLine)![1]);
    const json = fc.sample(jsonRequest, { numRuns: 30, seed: 3 }).map(j => JSON.stringify(j));
    const bodies = json.map(t => decodeTraceRequestJson(t, undefined, { columns: true }).columns!.body);
    const rejected = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0'.repeat(32), spanId: '1'.repeat(16) }] }] }] });
    const sends = [
      ...json.map((t, i) => (i % 2 ? post(port, '/v1/traces', { 'Content-Type': 'application/json' }, t) : post(port, '/v1/traces', { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }, zlib.gzipSync(bodies[i]!)))),
      post(port, '/v1/traces', { 'Content-Type': 'application/json' }, rejected),
      post(port, '/v1/traces', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb()),
    ];
    for (const res of await Promise.all(sends)) assert.equal(res.status, 200);
    p.child.kill('SIGTERM');
    assert.equal((await p.exit).code, 0);
    const expected = [...bodies, agentDemoPb()].map(b => otlpJsonLine(decodeTraceRequest(b).spans)).filter(l => l !== '{"resourceSpans":[]}\n');
    const lines = readFileSync(out, 'utf8').split(/(?<=\n)/);
    assert.deepEqual([...lines].sort(), [...expected].sort(), 'the same lines (in arrival order, which concurrency leaves open)');
  });

  it('--help prints usage and exits 0; bad options exit 2 with the reason', async () => {
    const help = run(['--help']);
    const h = await help.exit;
    assert.equal(h.code, 0);
    assert.match(h.stdout, /^usage: msgtrace <command>/);
    assert.match(h.stdout, /^ {2}record /m);
    assert.match(h.stdout, /^ {2}serve /m);
    const recordHelp = await run(['record', '--help']).exit;
    assert.equal(recordHelp.code, 0);
    assert.match(recordHelp.stdout, /^usage: msgtrace record /);
    const serveHelp = await run(['serve', '--help']).exit;
    assert.equal(serveHelp.code, 0);
    assert.match(serveHelp.stdout, /^usage: msgtrace serve /);
    const bad = run(['record', '--http-port', 'x', '--out', join(dir, 'x')]);
    const b = await bad.exit;
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--http-port needs a port number/);
  });
});
