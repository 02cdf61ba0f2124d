// Runs the integration suite (test/integration) inside a real VS Code's node extension host, with the
// extension loaded from this folder as a development extension. The suite's exit code comes back through
// the workbench's smoke-test hook `codeAutomationExit`, the same contract @vscode/test-web uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeSummary } from '../support/summary';
import { artifactsDir, examplesDir, launchChromium, repoRoot, startCodeServer } from './codeServer';

const t0 = Date.now();
const log = (...a: unknown[]) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

// The workbench also logs its own failures to reach the extension gallery, an auth provider and a wasm file,
// none of which exist on a machine without internet; they are not about this extension.
const noise = ['open-vsx.org', "authentication provider 'github'", 'vsda', 'ENOTFOUND'];
function isWorkbenchNoise(args: unknown[]): boolean {
  const text = args.map(a => String(a)).join(' ');
  return noise.some(n => text.includes(n));
}

async function main(): Promise<number> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const cs = await startCodeServer({ devMode: true, env: { MSGTRACE_TEST_LAYER: 'integration' } });
  log('code-server up; server log:', cs.logFile);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let finish!: (code: unknown) => void;
    const exited = new Promise<unknown>(resolve => (finish = resolve));
    // The workbench's own start-up log goes to a file; the console shows the suite from its first line on.
    const workbenchLog = fs.createWriteStream(path.join(artifactsDir, 'integration-workbench.log'));
    let suiteStarted = false;
    await page.exposeFunction('codeAutomationLog', (_level: unknown, args: unknown[]) => {
      const text = args.map(a => String(a)).join(' ');
      workbenchLog.write(`${text}\n`);
      suiteStarted ||= text.startsWith('VS Code ');
      if (suiteStarted && !isWorkbenchNoise(args)) console.log(...args);
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown) => finish(code));
    page.on('pageerror', e => log('page error:', e.message));
    await page.goto(
      cs.url(examplesDir, {
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: path.join(repoRoot, 'out/test/integration/index.js'),
      }),
    );
    const ms = Number(process.env.TEST_TIMEOUT_MS ?? 600_000);
    const code = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve(`timeout after ${ms} ms`), ms))]);
    log('extension tests exit code:', code);
    if (code !== 0) await page.screenshot({ path: path.join(artifactsDir, 'integration-failure.png') }).catch(() => undefined);
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close();
    cs.stop();
  }
}

main().then(
  code => process.exit(code),
  err => {
    console.error(err);
    writeSummary('integration', 0, 1, 0);
    process.exit(1);
  },
);
