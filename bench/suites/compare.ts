// Comparing two runs (docs/compare.md): aligning two 100k-span runs of flat msgflux traffic (target <= 300 ms),
// scanning them for changes, the whole comparison as the views compute it (in slices), and `msgtrace diff` of two
// 100k-span OTLP/JSON files from the command line (target <= 3 s), as a child process of dist/cli.js.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignRuns } from '../../extension/src/core/compare/alignment';
import { scanChanges } from '../../extension/src/core/compare/changeScan';
import { compareRuns } from '../../extension/src/core/compare/compareRuns';
import type { RunSide } from '../../extension/src/core/compare/comparison';
import { decodeTraceRequest } from '../../extension/src/core/otlp/protobufDecoder';
import { ManualScheduler } from '../../extension/src/core/store/scheduler';
import { TraceStore } from '../../extension/src/core/store/traceStore';
import { otlpJsonLine } from '../../extension/src/storage/otlpJsonLinesWriter';
import { type BenchRow, type BenchSuite, interleaved, median } from '../harness';
import { encode, flatMsgflux } from './store';

type Specs = ReturnType<typeof flatMsgflux>;

/** The store suite's flat msgflux calls, stretched from microseconds to milliseconds (a call takes 100 ms). */
function runA(n: number): Specs {
  return flatMsgflux(n).map(s => ({ ...s, startUs: s.startUs * 1000, endUs: s.endUs * 1000 }));
}

/**
 * Run B: run A with what a change to an agent does: every 10th second model turn 40 % faster, every 100th call
 * without its second tool, every 500th tool renamed.
 */
function runB(n: number): Specs {
  const specs = runA(n);
  const out: Specs = [];
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    const call = Math.floor(i / 8);
    if (s.name === 'Get Weather' && call % 100 === 0) continue;
    if (s.name === 'Get Capital' && call % 500 === 0) out.push({ ...s, name: 'Get Country' });
    else if (s.name === 'Generator' && i % 8 === 6 && call % 10 === 0) out.push({ ...s, endUs: s.endUs - 10_000 });
    else out.push(s);
  }
  return out;
}

function loaded(bodies: readonly Uint8Array[]): RunSide {
  const store = new TraceStore({ scheduler: new ManualScheduler(), retention: { maxSpans: Infinity, maxBytes: Infinity } });
  for (const b of bodies) store.ingest(decodeTraceRequest(b, { columns: true }), { transport: 'http' });
  store.flush();
  const run = store.runs()[0]!;
  // As a view has it: the run's tree built once (nesting inferred, children sorted) before anyone compares.
  store.flatten(run);
  return { store, run };
}

/**
 * `msgtrace diff` in a process of its own, as a user runs it (dist/cli.js's `main`, loaded by a one-line wrapper
 * that also reports the process's CPU time: on a shared machine the wall time says more about the neighbours).
 */
function runCli(args: readonly string[]): Promise<{ wallMs: number; cpuMs: number }> {
  const wrapper = `require(${JSON.stringify(join(process.cwd(), 'dist/cli.js'))}).main(${JSON.stringify(args)}).then(code => { const u = process.cpuUsage(); process.stderr.write('CPU_MS ' + (u.user + u.system) / 1000 + '\\n'); process.exit(code); })`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', wrapper], { maxBuffer: 256 * 1024 * 1024 }, (err, _stdout, stderr) => {
      const cpu = /CPU_MS (\S+)/.exec(stderr);
      if (err || !cpu) reject(new Error(`msgtrace diff failed: ${err?.message ?? ''} ${stderr}`));
      else resolve({ wallMs: performance.now() - t0, cpuMs: Number(cpu[1]) });
    });
  });
}

export const compareSuite: BenchSuite = {
  name: 'compare',
  async run({ runs, quick }) {
    const n = quick ? 20_000 : 100_000;
    const k = `${n / 1000}k`;
    const bodiesA = encode(runA(n), 'msgtrace.sdk');
    const bodiesB = encode(runB(n), 'msgtrace.sdk');
    const a = loaded(bodiesA);
    const b = loaded(bodiesB);
    const rows: BenchRow[] = [];

    const timed = (fn: () => void) => {
      const t0 = performance.now();
      fn();
      return performance.now() - t0;
    };
    let check = '';
    const r = await interleaved(runs, {
      align: () => timed(() => alignRuns(a, b)),
      scan: () => {
        const al = alignRuns(a, b);
        return timed(() => scanChanges(al));
      },
      whole: async () => {
        const t0 = performance.now();
        const c = (await compareRuns(a, b))!;
        const elapsed = performance.now() - t0;
        const s = c.summary;
        check = `${s.matched} matched, ${s.changed} changed, ${s.onlyA} only in A, ${s.onlyB} only in B`;
        return elapsed;
      },
    });
    rows.push({ name: `compare / align two ${k}-span runs`, median: median(r.align!), unit: 'ms', runs, better: 'lower', note: 'target <= 300 ms (flat msgflux, nesting inferred)' });
    rows.push({ name: `compare / scan changes of two ${k}-span runs`, median: median(r.scan!), unit: 'ms', runs, better: 'lower', note: check });
    rows.push({ name: `compare / whole comparison of two ${k}-span runs (in 8 ms slices)`, median: median(r.whole!), unit: 'ms', runs, better: 'lower', note: 'align + scan + roll-up + summary' });

    // The command line: two files as `msgtrace record` writes them (512 spans a line), in a child process.
    const dir = mkdtempSync(join(tmpdir(), 'msgtrace-bench-compare-'));
    try {
      const write = (file: string, bodies: readonly Uint8Array[]) => writeFileSync(file, bodies.map(body => otlpJsonLine(decodeTraceRequest(body).spans)).join(''));
      const fileA = join(dir, 'a.jsonl');
      const fileB = join(dir, 'b.jsonl');
      write(fileA, bodiesA);
      write(fileB, bodiesB);
      const cpu: number[] = [];
      const cliRuns = Math.min(runs, 5);
      const cli = await interleaved(cliRuns, {
        diff: async () => {
          const r = await runCli(['diff', fileA, fileB]);
          cpu.push(r.cpuMs);
          return r.wallMs;
        },
      });
      rows.push({
        name: `compare / msgtrace diff of two ${k}-span files`,
        median: median(cli.diff!),
        unit: 'ms',
        runs: cliRuns,
        better: 'lower',
        note: `target <= 3 s; whole process (dist/cli.js), text output; CPU time ${(median(cpu.slice(1)) / 1000).toFixed(2)} s`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};
