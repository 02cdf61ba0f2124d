// Environment -> typed configuration. Pure apart from the one-time warnings: nothing here throws, a bad value
// falls back to its documented default (the msgflux documentation's defaults, not the Python SDK's).
import { warnOnce } from './diagnostics';

export type ExporterName = 'console' | 'otlp';

/** What `configureMsgtrace` accepts; every field overrides its environment variable when given. */
export interface MsgtraceOptions {
  /** `MSGTRACE_TELEMETRY_ENABLED`, default false. */
  readonly enabled?: boolean;
  /** `MSGTRACE_EXPORTER`, default `console`. */
  readonly exporter?: ExporterName;
  /** `MSGTRACE_OTLP_ENDPOINT`, default `http://localhost:4318`; without a path `/v1/traces` is appended. */
  readonly otlpEndpoint?: string;
  /** `MSGTRACE_SERVICE_NAME`, default `msgflux`. */
  readonly serviceName?: string;
  /** `MSGTRACE_SAMPLING_RATIO`: 0..1 of new traces are recorded (parent-based); default all. */
  readonly samplingRatio?: number | string;
  /** `MSGTRACE_CAPTURE_PLATFORM`, default true: OS, release, machine and Node version on the resource. */
  readonly capturePlatform?: boolean;
  /** `MSGTRACE_MAX_RETRIES`, default 3: retries of a batch on 429/502/503/504 and network errors. */
  readonly maxRetries?: number;
}

export interface MsgtraceConfig {
  readonly enabled: boolean;
  readonly exporter: ExporterName;
  /** The full URL spans are POSTed to. */
  readonly otlpEndpoint: string;
  readonly serviceName: string;
  /** Undefined: record every trace. */
  readonly samplingRatio: number | undefined;
  readonly capturePlatform: boolean;
  readonly maxRetries: number;
}

/** The `MSGFLUX_TELEMETRY_CAPTURE_*` flags: read and exposed for instrumentation code to honour. */
export interface CaptureFlags {
  /** `MSGFLUX_TELEMETRY_CAPTURE_TOOL_CALL_RESPONSES`, default true. */
  readonly toolCallResponses: boolean;
  /** `MSGFLUX_TELEMETRY_CAPTURE_AGENT_PREPARE_MODEL_EXECUTION`, default false. */
  readonly agentPrepareModelExecution: boolean;
  /** `MSGFLUX_TELEMETRY_CAPTURE_STATE_DICT`, default false. */
  readonly stateDict: boolean;
}

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';
export const DEFAULTS = {
  enabled: false,
  exporter: 'console',
  otlpEndpoint: `${DEFAULT_OTLP_ENDPOINT}/v1/traces`,
  serviceName: 'msgflux',
  samplingRatio: undefined,
  capturePlatform: true,
  maxRetries: 3,
} as const satisfies MsgtraceConfig;

type Env = Readonly<Record<string, string | undefined>>;

/** true/false/1/0/yes/no in any case, surrounding blanks ignored; anything else is undefined. */
export function parseBoolean(raw: string): boolean | undefined {
  switch (raw.trim().toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      return undefined;
  }
}

/**
 * The URL spans are POSTed to. A URL without a path is a collector's base address and gets the OTLP traces path;
 * a URL with a path is used as is (the Python SDK always used it verbatim, which made `http://host:4318` post to `/`).
 */
export function resolveOtlpEndpoint(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/traces';
  return url.toString();
}

export function parseSamplingRatio(raw: string | number): number | undefined {
  const n = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw.trim());
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

export function parseMaxRetries(raw: string | number): number | undefined {
  const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function parseExporter(raw: string): ExporterName | undefined {
  const v = raw.trim().toLowerCase();
  return v === 'console' || v === 'otlp' ? v : undefined;
}

function parseName(raw: string): string | undefined {
  const v = raw.trim();
  return v === '' ? undefined : v;
}

/**
 * One setting: the option if given, else the environment variable, else the default. Empty variables count as
 * unset (the OpenTelemetry convention); a value that does not parse is reported once and replaced by the default.
 */
function setting<T, R extends string | number | boolean>(
  name: string,
  option: R | undefined,
  env: Env,
  parse: (raw: R | string) => T | undefined,
  fallback: T,
  expected: string,
): T {
  let raw: R | string | undefined = option;
  let source = 'configureMsgtrace';
  if (raw === undefined) {
    raw = env[name];
    source = name;
    if (raw === undefined || raw.trim() === '') return fallback;
  }
  const parsed = parse(raw);
  if (parsed !== undefined) return parsed;
  warnOnce(`${source}:${name}=${String(raw)}`, `${source === name ? name : `${source}: ${name}`}=${JSON.stringify(raw)} is not ${expected}; using ${JSON.stringify(fallback ?? 'unset')}`);
  return fallback;
}

const bool = (raw: boolean | string) => (typeof raw === 'boolean' ? raw : parseBoolean(raw));

/** The effective configuration: `options` over `env` over the documented defaults. */
export function readConfig(env: Env = process.env, options: MsgtraceOptions = {}): MsgtraceConfig {
  return {
    enabled: setting('MSGTRACE_TELEMETRY_ENABLED', options.enabled, env, bool, DEFAULTS.enabled, 'a boolean (true/false/1/0/yes/no)'),
    exporter: setting('MSGTRACE_EXPORTER', options.exporter, env, parseExporter, DEFAULTS.exporter, '"console" or "otlp"'),
    otlpEndpoint: setting('MSGTRACE_OTLP_ENDPOINT', options.otlpEndpoint, env, resolveOtlpEndpoint, DEFAULTS.otlpEndpoint, 'an http(s) URL'),
    serviceName: setting('MSGTRACE_SERVICE_NAME', options.serviceName, env, parseName, DEFAULTS.serviceName, 'a non-empty name'),
    samplingRatio: setting<number | undefined, number | string>('MSGTRACE_SAMPLING_RATIO', options.samplingRatio, env, parseSamplingRatio, DEFAULTS.samplingRatio, 'a number from 0 to 1'),
    capturePlatform: setting('MSGTRACE_CAPTURE_PLATFORM', options.capturePlatform, env, bool, DEFAULTS.capturePlatform, 'a boolean (true/false/1/0/yes/no)'),
    maxRetries: setting('MSGTRACE_MAX_RETRIES', options.maxRetries, env, parseMaxRetries, DEFAULTS.maxRetries, 'a whole number >= 0'),
  };
}

export function readCaptureFlags(env: Env = process.env): CaptureFlags {
  const flag = (name: string, fallback: boolean) =>
    setting(`MSGFLUX_TELEMETRY_CAPTURE_${name}`, undefined, env, bool, fallback, 'a boolean (true/false/1/0/yes/no)');
  return {
    toolCallResponses: flag('TOOL_CALL_RESPONSES', true),
    agentPrepareModelExecution: flag('AGENT_PREPARE_MODEL_EXECUTION', false),
    stateDict: flag('STATE_DICT', false),
  };
}
