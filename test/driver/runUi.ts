// UI checks in a real browser: installs the packaged msgtrace.vsix into a real VS Code (code-server), opens the
// examples/ workspace in Chromium and runs every check of test/ui on that one window, keeping screenshots in
// test-artifacts/screenshots/. The extension runs as users get it: installed, not in development mode.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendsChecks } from '../ui/backends.ui';
import { captureChecks } from '../ui/capture.ui';
import { compareChecks } from '../ui/compare.ui';
import { foundationChecks } from '../ui/foundation.ui';
import { timelineChecks } from '../ui/timeline.ui';
import { spanExplorerChecks } from '../ui/spanExplorer.ui';
import { writeSummary } from '../support/summary';
import { artifactsDir, examplesDir, launchChromium, repoRoot, startCodeServer } from './codeServer';
import type { UiCheck } from './uiCheck';

const checks: UiCheck[] = [...foundationChecks, ...spanExplorerChecks, ...captureChecks, ...timelineChecks, ...compareChecks, ...backendsChecks];

const t0 = Date.now();
const log = (...a: unknown[]) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

async function main(): Promise<number> {
  const vsix = path.join(repoRoot, 'msgtrace.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run 'npm run package' first`);
  const shots = path.join(artifactsDir, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const grep = process.env.MSGTRACE_TEST_GREP;
  const selected = grep ? checks.filter(c => c.name.includes(grep)) : checks;

  const cs = await startCodeServer({ vsix, devMode: false });
  log('code-server up with msgtrace.vsix installed; server log:', cs.logFile);
  const browser = await launchChromium();
  let passed = 0;
  let failed = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', e => log('page error:', e.message));
    await page.goto(cs.url(examplesDir));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    log(`workbench visible; Chromium ${browser.version()}`);
    const screenshot = async (name: string) => {
      await page.screenshot({ path: path.join(shots, `${name}.png`) });
    };
    for (const check of selected) {
      const started = Date.now();
      try {
        await check.run({ page, screenshot });
        passed++;
        console.log(`  ✔ ${check.name} (${Date.now() - started} ms)`);
      } catch (err) {
        failed++;
        console.log(`  ✘ ${check.name}\n    ${String(err instanceof Error ? err.stack : err).split('\n').join('\n    ')}`);
        await screenshot(`FAILED-${check.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
        await page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } finally {
    await browser.close();
    cs.stop();
  }
  log(`screenshots in ${path.relative(repoRoot, shots)}/`);
  writeSummary('ui', passed, failed, checks.length - selected.length);
  return failed ? 1 : 0;
}

main().then(
  code => process.exit(code),
  err => {
    console.error(err);
    writeSummary('ui', 0, 1, 0);
    process.exit(1);
  },
);
