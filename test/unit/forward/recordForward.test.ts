// `msgtrace record --forward` for real: two dist/cli.js processes, the first forwarding to the second; the real
// msgflux capture goes into the first, and the second's file must hold the same requests.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { agentDemoJson, agentDemoPb } from '../otlp/fixtures';
import { post } from '../receiver/receiverHarness';
import { deadPort } from './forwardHarness';

const CLI = join(process.cwd(), 'dist/cli.js');

interface Cli {
  readonly child: ChildProcess;
  readonly http: number;
  readonly grpc: number;
  stop(): Promise<{ code: number | null; stderr: string }>;
}

async function record(args: string[], env: NodeJS.ProcessEnv = {}, command = 'record'): Promise<Cli> {
  const child = spawn(process.execPath, [CLI, command, '--http-port', '0', '--grpc-port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', d => (stderr += d));
  const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', d => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    void exit.then(code => reject(new Error(`record exited with ${code}: ${stderr}`)));
  });
  const m = /^listening http=127\.0\.0\.1:(\d+) grpc=127\.0\.0\.1:(\d+)$/.exec(line);
  assert.ok(m, line);
  return {
    child,
    http: Number(m[1]),
    grpc: Number(m[2]),
    stop: async () => {
      child.kill('SIGTERM');
      return { code: await exit, stderr };
    },
  };
}

describe('msgtrace record --forward (two CLI processes)', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), 'msgtrace-forward-cli-'));
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const PB = { 'Content-Type': 'application/x-protobuf' };

  /** The real capture as protobuf, gzip protobuf and OTLP/JSON. */
  async function sendCapture(port: number): Promise<void> {
    assert.equal((await post(port, '/v1/traces', PB, agentDemoPb())).status, 200);
    assert.equal((await post(port, '/v1/traces', { ...PB, 'Content-Encoding': 'gzip' }, zlib.gzipSync(agentDemoPb()))).status, 200);
    assert.equal((await post(port, '/v1/traces', { 'Content-Type': 'application/json' }, JSON.stringify(agentDemoJson()))).status, 200);
  }

  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`${protocol}: the second file gets the same requests as the first, and the first prints its forward stats`, async () => {
      const upstream = await record(['--out', join(dir, `${protocol.replace('/', '-')}-b.jsonl`)]);
      children.push(upstream.child);
      const target = protocol === 'grpc' ? ['--forward', `127.0.0.1:${upstream.grpc}`, '--forward-protocol', 'grpc'] : ['--forward', `http://127.0.0.1:${upstream.http}/v1/traces`];
      const first = join(dir, `${protocol.replace('/', '-')}-a.jsonl`);
      const local = await record(['--out', first, ...target, '--forward-header', 'x-team=${env:MSGTRACE_TEST_TEAM}'], { MSGTRACE_TEST_TEAM: 'a' });
      children.push(local.child);
      await sendCapture(local.http);
      const a = await local.stop();
      assert.equal(a.code, 0, a.stderr);
      const spans = 3 * agentDemoJson().resourceSpans.flatMap((r: { scopeSpans: { spans: unknown[] }[] }) => r.scopeSpans.flatMap(s => s.spans)).length;
      assert.match(a.stderr, new RegExp(`forward: sent 3 requests \\(${spans} spans\\) to `), a.stderr);
      assert.doesNotMatch(a.stderr, /dropped|failed/);
      const b = await upstream.stop();
      assert.equal(b.code, 0, b.stderr);
      const lines = readFileSync(first, 'utf8');
      assert.equal(lines.split('\n').length, 4);
      assert.equal(readFileSync(join(dir, `${protocol.replace('/', '-')}-b.jsonl`), 'utf8'), lines);
    });
  }

  it('msgtrace serve --forward: the same tee next to the timeline page', async () => {
    const out = join(dir, 'serve-b.jsonl');
    const upstream = await record(['--out', out]);
    children.push(upstream.child);
    const local = await record(['--forward', `http://127.0.0.1:${upstream.http}`], {}, 'serve');
    children.push(local.child);
    await sendCapture(local.http);
    const a = await local.stop();
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, /forward: sent 3 requests \(\d+ spans\) to http:\/\/127\.0\.0\.1:\d+\/v1\/traces/);
    assert.equal((await upstream.stop()).code, 0);
    assert.equal(readFileSync(out, 'utf8').split('\n').length, 4);
  });

  it('an endpoint that never answers: the exit waits a bounded time and reports what was dropped', async () => {
    const local = await record(['--out', join(dir, 'dead.jsonl'), '--forward', `http://127.0.0.1:${await deadPort()}/v1/traces`]);
    children.push(local.child);
    await sendCapture(local.http);
    const t0 = Date.now();
    const a = await local.stop();
    assert.equal(a.code, 0);
    assert.ok(Date.now() - t0 < 8000, `exit took ${Date.now() - t0} ms`);
    assert.match(a.stderr, /what was queued did not all go out within 5 s/);
    assert.match(a.stderr, /forward: stopped with 3 requests \(\d+ spans\) not forwarded/);
    assert.match(a.stderr, /forward: sent 0 requests \(0 spans\) to http:\/\/127\.0\.0\.1:\d+\/v1\/traces; \d+ retries; dropped 3 requests \(\d+ spans\); last error: .*ECONNREFUSED/);
  });

  it('refuses forward flags it cannot use, with the reason', async () => {
    for (const [args, reason] of [
      [['--forward', 'collector:4318'], /OTLP\/HTTP needs an http: or https: URL/],
      [['--forward-header', 'a=b'], /need --forward URL/],
      [['--forward', 'http://c/v1/traces', '--forward-protocol', 'http/json'], /--forward-protocol must be http\/protobuf or grpc/],
      [['--forward', 'http://c/v1/traces', '--forward-header', 'novalue'], /--forward-header needs NAME=VALUE/],
      [['--forward', 'http://c/v1/traces', '--forward-header', 'a=${env:MSGTRACE_NOT_SET_ANYWHERE}'], /the environment has no MSGTRACE_NOT_SET_ANYWHERE/],
    ] as const) {
      const child = spawn(process.execPath, [CLI, 'record', '--out', join(dir, 'x.jsonl'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', d => (stderr += d));
      const code = await new Promise(resolve => child.on('exit', resolve));
      assert.equal(code, 2, stderr);
      assert.match(stderr, reason);
    }
  });
});
