// The environment that makes a program send its spans to our receiver: msgtrace-sdk's own variables
// (docs/msgflux-wire.md#environment-variables; it ignores OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES), msgflux's capture flags, and the
// standard OTEL_* ones for programs on plain OpenTelemetry.
import { CAPTURE_FLAG_VARIABLES, type CaptureFlags, type TraceSettings } from './traceSettings';

export type Environment = Readonly<Record<string, string>>;

/**
 * @param endpoint the full OTLP/HTTP traces URL (msgtrace-sdk uses it verbatim; so does
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
 * @param fallbackServiceName used when settings.serviceName is empty (the launch configuration's name)
 */
export function traceEnvironment(settings: TraceSettings, endpoint: string, fallbackServiceName: string): Environment {
  const env: Record<string, string> = {
    MSGTRACE_TELEMETRY_ENABLED: 'true',
    MSGTRACE_EXPORTER: 'otlp',
    MSGTRACE_OTLP_ENDPOINT: endpoint,
    MSGTRACE_SERVICE_NAME: settings.serviceName || fallbackServiceName || 'msgflux',
    MSGTRACE_CAPTURE_PLATFORM: String(settings.capturePlatform),
    MSGTRACE_MAX_RETRIES: String(Math.max(0, Math.floor(settings.maxRetries))),
  };
  if (settings.samplingRatio !== undefined) env.MSGTRACE_SAMPLING_RATIO = String(clamp01(settings.samplingRatio));
  for (const [flag, variable] of Object.entries(CAPTURE_FLAG_VARIABLES) as [keyof CaptureFlags, string][]) {
    env[variable] = String(settings.capture[flag]);
  }
  env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = endpoint;
  env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/protobuf';
  // The Python SDK batches every 5 s by default: too slow for a view that should move while the program runs.
  env.OTEL_BSP_SCHEDULE_DELAY = String(Math.max(0, Math.floor(settings.batchDelayMs)));
  return env;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1;
}

/** The flags that capture content and are on: a run recorded with them may hold prompts, results or state. */
export function contentCaptureFlagsOn(capture: CaptureFlags): (keyof CaptureFlags)[] {
  return (Object.keys(CAPTURE_FLAG_VARIABLES) as (keyof CaptureFlags)[]).filter(flag => capture[flag]);
}

/** The environment as shell lines (`export K='v'`), for programs started outside VS Code. */
export function formatEnvironment(env: Environment, shell: 'posix' | 'powershell' | 'dotenv' = 'posix'): string {
  const quote = (v: string) => `'${v.replace(/'/g, shell === 'powershell' ? "''" : `'\\''`)}'`;
  return Object.entries(env)
    .map(([k, v]) => (shell === 'powershell' ? `$env:${k} = ${quote(v)}` : shell === 'dotenv' ? `${k}=${v}` : `export ${k}=${quote(v)}`))
    .join('\n');
}
