import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where each test layer leaves its counts, for scripts/test.sh to add up. */
export const summaryDir = () => process.env.MSGTRACE_SUMMARY_DIR ?? path.join(__dirname, '..', '..', 'summaries');

/** Records one layer's counts and prints the plain `N passed, N failed` line. */
export function writeSummary(layer: string, passed: number, failed: number, skipped: number): void {
  fs.mkdirSync(summaryDir(), { recursive: true });
  fs.writeFileSync(path.join(summaryDir(), `${layer}.json`), JSON.stringify({ layer, passed, failed, skipped }));
  console.log(`${layer}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
