// Adds the trace environment to a debug launch configuration. What the user set wins: variables in the
// configuration's `env` and in its `envFile`, because the debug adapters apply `env` over `envFile` and we
// would otherwise override a value the user wrote down. `"msgtrace": false` opts a configuration out.
import type { Environment } from './traceEnvironment';

/** The parts of a launch configuration this reads and writes (debugpy, python, node and pwa-node agree). */
export interface LaunchConfigurationLike {
  readonly type: string;
  readonly request?: string;
  readonly name?: string;
  readonly env?: Readonly<Record<string, string | null | undefined>>;
  readonly envFile?: string;
  readonly msgtrace?: unknown;
  readonly [key: string]: unknown;
}

export interface LaunchDecision {
  /** The environment to give the configuration, or undefined when msgtrace leaves it alone. */
  readonly env: Record<string, string | null | undefined> | undefined;
  /** Our variables the user had already set (theirs were kept). */
  readonly keptFromUser: readonly string[];
  /** Why nothing was added, when env is undefined. */
  readonly reason?: string;
}

export function launchEnvironment(
  config: LaunchConfigurationLike,
  traceEnv: Environment,
  options: { debugTypes: readonly string[]; envFileVariables?: Environment },
): LaunchDecision {
  if (config.msgtrace === false) return { env: undefined, keptFromUser: [], reason: 'the configuration says "msgtrace": false' };
  if (!options.debugTypes.includes(config.type)) return { env: undefined, keptFromUser: [], reason: `debug type ${config.type} is not in msgtrace.debug.types` };
  // Attaching to a running process cannot change its environment.
  if (config.request === 'attach') return { env: undefined, keptFromUser: [], reason: 'attach configurations start no process' };
  const user = config.env ?? {};
  const fromFile = options.envFileVariables ?? {};
  const env: Record<string, string | null | undefined> = { ...user };
  const keptFromUser: string[] = [];
  for (const [key, value] of Object.entries(traceEnv)) {
    if (key in user || key in fromFile) keptFromUser.push(key);
    else env[key] = value;
  }
  return { env, keptFromUser };
}

/** Reads a .env file (the format debugpy and js-debug accept): KEY=value lines, # comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    vars[m[1]!] = value;
  }
  return vars;
}
