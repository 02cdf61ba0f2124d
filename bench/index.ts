// `npm run bench`: every benchmark suite, one table. `--quick` for a fast smoke run, `--only NAME` for one suite,
// `--runs N` to change the number of runs per case (default 7; the median is reported).
import { type BenchRow, type BenchSuite, formatTable } from './harness';
import { eventsSuite } from './suites/events';
import { sdkSuite } from './suites/sdk';
import { receiverSuite } from './suites/receiver';
import { timelineSuite } from './suites/timeline';
import { storeSuite } from './suites/store';

const suites: BenchSuite[] = [eventsSuite, sdkSuite, receiverSuite, storeSuite, timelineSuite];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const runsArg = argv.indexOf('--runs');
  const onlyArg = argv.indexOf('--only');
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : quick ? 3 : 7;
  const only = onlyArg >= 0 ? argv[onlyArg + 1] : undefined;
  const rows: BenchRow[] = [];
  console.log(`node ${process.version}, ${runs} runs per case${quick ? ' (quick)' : ''}`);
  for (const suite of suites) {
    if (only && suite.name !== only) continue;
    const t0 = Date.now();
    process.stdout.write(`running ${suite.name} ... `);
    rows.push(...(await suite.run({ runs, quick })));
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(`\n${formatTable(rows)}`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
