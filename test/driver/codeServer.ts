// Starts a real VS Code (code-server: VS Code's server and web workbench, with a node extension host) and
// Debian's Chromium, as scripts/install-vscode-env.sh installed them. See README.md, "Tests".
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

function e2eEnv(): { codeServer: string; node24: string; chromium: string } {
  const dir = process.env.MSGTRACE_E2E_DIR ?? path.join(os.homedir(), '.cache', 'msgtrace-vscode-e2e');
  const envFile = path.join(dir, 'env.sh');
  if (!fs.existsSync(envFile)) {
    throw new Error(`VS Code test environment missing (${envFile}): run 'bash scripts/install-vscode-env.sh' (npm test does)`);
  }
  const vars = Object.fromEntries(
    [...fs.readFileSync(envFile, 'utf8').matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1]!, m[2]!]),
  );
  return { codeServer: vars.CODE_SERVER!, node24: vars.CODE_SERVER_NODE!, chromium: vars.CHROMIUM || '/usr/bin/chromium' };
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitHttp(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

export interface CodeServer {
  readonly host: string;
  readonly logFile: string;
  readonly userDataDir: string;
  /** The workbench URL that opens `folder`, optionally with a development extension and its tests. */
  url(folder: string, dev?: { extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
  stop(): void;
}

export interface CodeServerOptions {
  /** Install this .vsix first: the packaged extension, exactly as users get it. */
  readonly vsix?: string;
  /**
   * Lets the URL's payload load a development extension and run extension tests (VS Code's smoke-test driver
   * mode). In that mode notification toasts are not shown; they still reach the notification center.
   */
  readonly devMode?: boolean;
  readonly settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: Record<string, string>;
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const { codeServer, node24 } = e2eEnv();
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msgtrace-cs-'));
  const host = `127.0.0.1:${port}`;
  const userDataDir = path.join(tmp, 'ud');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'config.yaml'), `bind-addr: ${host}\nauth: none\ncert: false\n`);
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      // A quiet workbench: no welcome page, chat, tips or update checks in screenshots or on the CPU.
      'workbench.startupEditor': 'none',
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'workbench.tips.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      ...options.settings,
    }),
  );
  // code-server's launcher is `#!/usr/bin/env node` and needs Node 24 first on its PATH.
  const env = { ...process.env, ...options.env, PATH: `${path.dirname(node24)}:${process.env.PATH ?? ''}` };
  const common = ['--config', path.join(tmp, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', path.join(tmp, 'exts')];
  if (options.vsix) execFileSync(codeServer, [...common, '--install-extension', path.resolve(options.vsix)], { env, stdio: 'pipe' });
  const proc: ChildProcess = spawn(
    codeServer,
    [
      ...common,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.devMode ?? true ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A server left behind keeps its port and answers the next run's health check: never leave one.
  const kill = () => {
    try {
      proc.kill();
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  const logFile = path.join(tmp, 'server.log');
  const out = fs.createWriteStream(logFile);
  proc.stdout!.pipe(out);
  proc.stderr!.pipe(out);
  await waitHttp(`http://${host}/healthz`, 30_000);
  return {
    host,
    logFile,
    userDataDir,
    url(folder, dev = {}) {
      const payload: [string, string][] = [];
      if (dev.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${host}${path.resolve(dev.extensionDevelopmentPath)}`]);
      if (dev.extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${host}${path.resolve(dev.extensionTestsPath)}`]);
      let url = `http://${host}/?folder=${encodeURIComponent(path.resolve(folder))}`;
      if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    stop: kill,
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: e2eEnv().chromium,
    headless: true,
    // Without the networking flags Chromium keeps trying hosts this machine cannot reach.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The workspace the tests and `npm start` open. */
export const examplesDir = path.join(repoRoot, 'examples');
