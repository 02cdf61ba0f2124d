// `msgtrace diff` as a child process (dist/cli.js): the real msgflux capture against an edited copy, as text and
// JSON, thresholds and exit codes, a file `msgtrace record` really wrote, and bad input.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Span } from '../../../extension/src/core/model/span';
import { otlpJsonLine } from '../../../extension/src/storage/otlpJsonLinesWriter';
import { captureSpans, editedCapture, editSpan } from '../compare/compareHelpers';
import { makeSpan, resource } from '../store/spanFactory';
import { agentDemoPb } from '../otlp/fixtures';
import { post } from '../receiver/receiverHarness';

const CLI = join(process.cwd(), 'dist/cli.js');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[]): Promise<Exit> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stderr += d));
  return new Promise(resolve => child.on('close', code => resolve({ code, stdout, stderr })));
}

describe('msgtrace diff (CLI)', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), 'msgtrace-diff-'));
  const file = (name: string, ...lines: Span[][]) => {
    const f = join(dir, name);
    writeFileSync(f, lines.map(spans => otlpJsonLine(spans)).join(''));
    return f;
  };
  const { a, b } = editedCapture();
  const fileA = file('a.jsonl', a);
  const fileB = file('b.jsonl', b);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the run summary and exactly the changed spans; exit 0', async () => {
    const r = await cli(['diff', fileA, fileB]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^A {2}a\.jsonl {2}run #1 {2}msgtrace-app {2}started \S+ {2}28 spans/);
    assert.match(r.stdout, /^total time +33\.8 ms +38\.8 ms +\+5 ms \(\+14\.8 %\)$/m);
    assert.match(r.stdout, /^errors +1 +0 +-1 \(-100 %\)$/m);
    assert.match(r.stdout, /^tool calls +2 +2 +=$/m);
    assert.match(r.stdout, /^spans: 28 matched \(4 changed\), 0 only in A, 0 only in B$/m);
    const table = r.stdout.slice(r.stdout.indexOf('changed spans (4):'));
    const rows = table.split('\n').slice(2).filter(Boolean);
    assert.equal(rows.length, 4, table);
    assert.match(table, /^~ +Pipeline +\S+ ms +\S+ ms +duration 5\.16 ms → 10\.2 ms \(\+96\.9 %\)$/m);
    assert.match(table, /^~ +Pipeline > Doubler +17\.5 µs +5\.02 ms +duration 17\.5 µs → 5\.02 ms \(\+28,632 %\), self time /m);
    assert.match(table, /^~ +My Agent #1 > Myagent Tool Library > scatter_gather > Get Capital .* tool result$/m);
    assert.match(table, /^~ +Exploder .* status error → ok, events$/m);
  });

  it('--json: the summary with deltas, the changed spans with their diffs', async () => {
    const r = await cli(['diff', '--json', fileA, fileB]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      a: { run: number; spans: number };
      summary: { matched: number; changed: number; rows: { label: string; a: number; b: number; delta: number }[] };
      changedSpans: { path: string[]; match: string; changes: string[]; diff?: { toolResult?: { a: string; b: string } } }[];
      thresholds: unknown[];
    };
    assert.equal(out.a.spans, 28);
    assert.equal(out.summary.changed, 4);
    assert.equal(out.summary.rows.find(x => x.label === 'total time')!.delta, 5_000_000);
    assert.deepEqual(
      out.changedSpans.map(s => [s.path.join(' > '), s.changes.join(',')]),
      [
        ['Pipeline', 'duration'],
        ['Pipeline > Doubler', 'duration,self time'],
        ['My Agent #1 > Myagent Tool Library > scatter_gather > Get Capital', 'tool result'],
        ['Exploder', 'status,events'],
      ],
    );
    assert.deepEqual(out.changedSpans[2]!.diff!.toolResult, { a: 'Paris', b: 'Lyon', parts: [{ kind: 'removed', text: 'Paris' }, { kind: 'added', text: 'Lyon' }] });
    assert.deepEqual(out.thresholds, []);
  });

  it('thresholds: exit 1 and say which was crossed', async () => {
    const slower = await cli(['diff', fileA, fileB, '--max-duration-increase', '10%']);
    assert.equal(slower.code, 1);
    assert.match(slower.stderr, /^msgtrace diff: threshold crossed: total time 33\.8 ms → 38\.8 ms: up 14\.8 %, limit 10 %$/m);
    assert.equal((await cli(['diff', fileA, fileB, '--max-duration-increase=20%', '--max-cost-increase', '10%', '--fail-on-new-errors'])).code, 0);
    // B → A: the exploder fails again.
    const worse = await cli(['diff', fileB, fileA, '--fail-on-new-errors', '--json']);
    assert.equal(worse.code, 1);
    assert.match(worse.stderr, /threshold crossed: 1 span fails in B and not in A: Exploder/);
    assert.equal((JSON.parse(worse.stdout) as { thresholds: { crossed: boolean }[] }).thresholds[0]!.crossed, true);
    const costly = file('costly.jsonl', b.map(s => (s.name === 'Generator' ? editSpan(s, { attrs: { 'gen_ai.usage.cost': 0.01 } }) : s)));
    const cost = await cli(['diff', fileA, costly, '--max-cost-increase', '50']);
    assert.equal(cost.code, 1);
    assert.match(cost.stderr, /cost 0 → 0\.04: up from none, limit 50 %/);
  });

  it('a file `msgtrace record` wrote', async () => {
    const out = join(dir, 'recorded.jsonl');
    const rec = spawn(process.execPath, [CLI, 'record', '--http-port', '0', '--grpc-port', '0', '--out', out, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>(resolve => rec.stdout.once('data', d => resolve(String(d))));
    const port = Number(/http=127\.0\.0\.1:(\d+)/.exec(line)![1]);
    assert.equal((await post(port, '/v1/traces', { 'Content-Type': 'application/x-protobuf' }, agentDemoPb())).status, 200);
    rec.kill('SIGINT');
    await new Promise(resolve => rec.on('close', resolve));
    const same = await cli(['diff', out, file('capture.jsonl', captureSpans())]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^spans: 28 matched \(0 changed\), 0 only in A, 0 only in B\n\nno span changed\n$/m);
    const r = await cli(['diff', out, fileB, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const changes = (JSON.parse(r.stdout) as { changedSpans: { path: string[]; changes: string[] }[] }).changedSpans.map(s => `${s.path.at(-1)}: ${s.changes.join(',')}`);
    // The recorded run has no tool results (msgflux 0.1.0a23 drops them); B has two.
    assert.deepEqual(changes, ['Pipeline: duration', 'Doubler: duration,self time', 'Get Capital: tool result', 'Get Capital: tool result', 'Exploder: status,events']);
  });

  it('several runs in a file: a clear message listing them, then --run or --service picks one', async () => {
    // Another program, a minute later.
    const other = [makeSpan({ traceId: 'o', spanId: 'o1', name: 'other work', start: 60_000, end: 60_002, resource: resource({ 'service.name': 'other-app' }) })];
    const multi = file('multi.jsonl', other, a);
    const r = await cli(['diff', multi, fileB]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^msgtrace diff: multi\.jsonl holds 2 runs; choose one with --run N or --service NAME:\n {2}#1 {2}msgtrace-app {2}started \S+ {2}28 spans {2}33\.8 ms\n {2}#2 {2}other-app {2}started \S+ {2}1 span {2}2 ms\n$/);
    assert.equal(r.stdout, '');
    const byService = await cli(['diff', multi, fileB, '--service', 'msgtrace-app']);
    assert.equal(byService.code, 0, byService.stderr);
    assert.match(byService.stdout, /4 changed/);
    const byNumber = await cli(['diff', multi, fileB, '--run', '1', '--run', '1']);
    assert.equal(byNumber.stdout, byService.stdout.replace(/^A .*$/m, byNumber.stdout.split('\n')[0]!));
    const none = await cli(['diff', multi, fileB, '--run', '3']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no run matches --run 3; its runs:/);
  });

  it('runs that share nothing: says so, prints the comparison, exit 2', async () => {
    const other = file('other.jsonl', [makeSpan({ traceId: 'o', spanId: 'o1', name: 'other work', resource: resource({ 'service.name': 'other-app' }) })]);
    const r = await cli(['diff', fileA, other]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the two runs share no span/);
    assert.match(r.stdout, /^spans: 0 matched \(0 changed\), 28 only in A, 1 only in B$/m);
  });

  it('files only the reader takes (gzip, one pretty-printed document) compare the same', async () => {
    const gz = join(dir, 'a.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(fileA)));
    const doc = join(dir, 'a.json');
    writeFileSync(doc, JSON.stringify(JSON.parse(otlpJsonLine(a)), null, 2));
    const reference = await cli(['diff', fileA, fileB, '--json']);
    for (const f of [gz, doc]) {
      const r = await cli(['diff', f, fileB, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const strip = (out: string) => JSON.stringify({ ...(JSON.parse(out) as object), a: undefined });
      assert.equal(strip(r.stdout), strip(reference.stdout));
    }
  });

  it('bad input and usage: exit 2 with the reason', async () => {
    const notOtlp = join(dir, 'bad.jsonl');
    writeFileSync(notOtlp, `${otlpJsonLine(a)}{"resourceSpans": [}\n`);
    const bad = await cli(['diff', notOtlp, fileB]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^msgtrace diff: bad\.jsonl: line 2: invalid JSON/);
    const missing = await cli(['diff', join(dir, 'missing.jsonl'), fileB]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing\.jsonl: cannot read the file/);
    const usage = await cli(['diff', fileA]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^msgtrace: diff needs two files, A and B\n\nusage: msgtrace diff /);
    assert.equal((await cli(['diff', fileA, fileB, '--max-duration-increase', 'lots'])).code, 2);
    const help = await cli(['diff', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: msgtrace diff A B/);
    assert.match((await cli(['--help'])).stdout, /^ {2}diff {5}compare /m);
  });
});
