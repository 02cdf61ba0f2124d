// Adds up the counts each test layer left in out/summaries/ and prints the total as the last line.
// A layer that left no counts (it crashed before its runner finished) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...layers] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const layer of layers) {
  const file = join(dir, `${layer}.json`);
  if (!existsSync(file)) {
    console.log(`${layer}: no results (the layer did not finish)`);
    failed++;
    continue;
  }
  const s = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`${layer.padEnd(12)} ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
