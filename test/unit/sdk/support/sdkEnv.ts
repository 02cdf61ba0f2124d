// Isolation for SDK tests: no MSGTRACE_*/MSGFLUX_* variable of the host leaks in, the SDK is shut down, warnings
// are captured, and everything is restored afterwards.
import { shutdown } from '../../../../sdk/src/index';
import { setWarningSink } from '../../../../sdk/src/diagnostics';
import { runtime } from '../../../../sdk/src/runtime';

const PREFIXES = ['MSGTRACE_', 'MSGFLUX_TELEMETRY_', 'OTEL_'];

export interface SdkSandbox {
  readonly warnings: string[];
  restore(): Promise<void>;
}

export function sandbox(env: Record<string, string> = {}): SdkSandbox {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (PREFIXES.some(p => key.startsWith(p))) {
      saved[key] = process.env[key];
      Reflect.deleteProperty(process.env, key);
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (!(key in saved)) saved[key] = process.env[key];
    process.env[key] = value;
  }
  const warnings: string[] = [];
  const restoreSink = setWarningSink(m => warnings.push(m));
  runtime.current = undefined;
  return {
    warnings,
    async restore() {
      await shutdown();
      runtime.current = undefined;
      restoreSink();
      for (const key of Object.keys(process.env)) if (PREFIXES.some(p => key.startsWith(p))) Reflect.deleteProperty(process.env, key);
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
      }
    },
  };
}

/** The 1-based line of the first line of `source` containing `marker`. */
export function lineOf(source: string, marker: string): number {
  const index = source.split('\n').findIndex(l => l.includes(marker));
  if (index < 0) throw new Error(`marker ${marker} not found`);
  return index + 1;
}
