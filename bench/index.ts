// `npm run bench`: every benchmark suite, one table. `--quick` for a fast smoke run, `--only NAME` for one suite,
// `--runs N` to change the number of runs per case (default 7; the median is reported).
// Each suite runs in a process of its own: one suite's heap (the timeline suite drives a browser, the store suite
// keeps a million spans) must not slow the next one's garbage collector.
import { execFileSync } from 'node:child_process';
import { type BenchRow, type BenchSuite, formatTable } from './harness';
import { isLoadClientThread, runLoadClient } from './loadClient';

/** Loaded only in the process that runs the suite. */
const suites: Record<string, () => Promise<BenchSuite>> = {
  events: async () => (await import('./suites/events')).eventsSuite,
  sdk: async () => (await import('./suites/sdk')).sdkSuite,
  receiver: async () => (await import('./suites/receiver')).receiverSuite,
  forward: async () => (await import('./suites/forward')).forwardSuite,
  store: async () => (await import('./suites/store')).storeSuite,
  timeline: async () => (await import('./suites/timeline')).timelineSuite,
  compare: async () => (await import('./suites/compare')).compareSuite,
  backends: async () => (await import('./suites/backends')).backendsSuite,
};

const ROWS_MARKER = 'BENCH_ROWS ';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const runs = Number(option(argv, '--runs') ?? (quick ? 3 : 7));
  const child = option(argv, '--suite');
  if (child) {
    const rows = await (await suites[child]!()).run({ runs, quick });
    console.log(ROWS_MARKER + JSON.stringify(rows));
    return;
  }
  const only = option(argv, '--only');
  if (only && !suites[only]) throw new Error(`no suite "${only}"; suites: ${Object.keys(suites).join(', ')}`);
  const rows: BenchRow[] = [];
  console.log(`node ${process.version}, ${runs} runs per case${quick ? ' (quick)' : ''}, each suite in its own process`);
  for (const name of Object.keys(suites)) {
    if (only && name !== only) continue;
    const t0 = Date.now();
    process.stdout.write(`running ${name} ... `);
    const out = execFileSync(process.execPath, [__filename, '--suite', name, '--runs', String(runs), ...(quick ? ['--quick'] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = out.split('\n').find(l => l.startsWith(ROWS_MARKER));
    if (!line) throw new Error(`suite ${name} printed no rows:\n${out}`);
    rows.push(...(JSON.parse(line.slice(ROWS_MARKER.length)) as BenchRow[]));
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(`\n${formatTable(rows)}`);
}

if (isLoadClientThread()) runLoadClient();
else
  main().catch(err => {
    console.error(err);
    process.exit(1);
  });
