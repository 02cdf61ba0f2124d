// `msgtrace record` / `msgtrace serve` (dist/cli.js) as child processes on loopback, with the loop probe preloaded:
// start, wait for the ready line, measure, stop with a signal or kill.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ProbeReport } from './loopProbe';

const ROOT = process.cwd();
/** The CLI under test; MSGTRACE_STRESS_CLI points at another build (a before/after comparison). */
export const CLI = process.env.MSGTRACE_STRESS_CLI ?? join(ROOT, 'dist/cli.js');
const PROBE = join(ROOT, 'out/test/stress/loopProbe.js');

export interface CliProcess {
  readonly child: ChildProcess;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** `serve` only: the page's URL. */
  readonly pageUrl: string | undefined;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** Starts a new measurement window of the probe. */
  reset(): Promise<ProbeReport>;
  report(): Promise<ProbeReport>;
  /** SIGINT (or the given signal) and the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startCli(args: readonly string[], options: { readonly probe?: boolean; readonly env?: NodeJS.ProcessEnv } = {}): Promise<CliProcess> {
  const probe = options.probe ?? true;
  const child = spawn(process.execPath, [...(probe ? ['-r', PROBE] : []), CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', ...(probe ? (['ipc'] as const) : [])],
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  const ready = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      stdout += d.toString();
      const lines = stdout.split('\n');
      const needed = args[0] === 'serve' ? 2 : 1;
      if (lines.length > needed) {
        child.stdout!.off('data', onData);
        resolve(lines.slice(0, needed).join('\n'));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(code => reject(new Error(`msgtrace ${args[0]} exited (${code}) before it was ready: ${stderr}`)));
  });
  const m = /listening http=[^ ]*:(\d+|off) grpc=[^ ]*:(\d+|off)/.exec(ready);
  if (!m) throw new Error(`unexpected ready line: ${ready}`);
  const page = /open (\S+)/.exec(ready);
  const ask = (what: 'reset' | 'report') =>
    new Promise<ProbeReport>((resolve, reject) => {
      if (!probe) return reject(new Error('started without the probe'));
      const onMessage = (msg: { probe?: string; report?: ProbeReport }) => {
        if (msg.probe !== what) return;
        child.off('message', onMessage);
        resolve(msg.report!);
      };
      child.on('message', onMessage);
      child.send(what);
    });
  return {
    child,
    httpPort: Number(m[1]),
    grpcPort: Number(m[2]),
    pageUrl: page?.[1],
    stderr: () => stderr,
    reset: () => ask('reset'),
    report: () => ask('report'),
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Resolves when the process has used under 5 % of a core for `quietMs` (its work is done), or after `maxMs`;
 * with the performance.now() at which it went quiet.
 */
export async function settled(p: CliProcess, quietMs = 400, maxMs = 60_000): Promise<number> {
  const t0 = performance.now();
  let last = await p.report();
  let lastAt = performance.now();
  let quietSince = lastAt;
  while (performance.now() - t0 < maxMs) {
    await new Promise(r => setTimeout(r, 50));
    const now = await p.report();
    const at = performance.now();
    const busy = (now.cpuMs - last.cpuMs) / (at - lastAt);
    if (busy > 0.05) quietSince = at;
    else if (at - quietSince >= quietMs) return quietSince;
    last = now;
    lastAt = at;
  }
  return quietSince;
}
