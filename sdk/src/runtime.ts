// The process-wide state: which pipeline is current (none until the first span or configureMsgtrace call, so that
// a configureMsgtrace call before the first span always wins), reconfiguration, and flushing at exit.
import { context, trace, type Tracer } from '@opentelemetry/api';
import { type MsgtraceConfig, type MsgtraceOptions, readConfig } from './config';
import { AsyncLocalStorageContextManager } from './contextManager';
import { DelegatingTracer, DelegatingTracerProvider } from './delegatingTracerProvider';
import { warnOnce } from './diagnostics';
import { type Pipeline, type PipelineOptions, createPipeline } from './provider';
import { SCOPE_NAME, SCOPE_VERSION } from './version';

export type ConfigureOptions = MsgtraceOptions & PipelineOptions;

/** `undefined`: not decided yet (read the environment on first use); `null`: disabled. Read on every span. */
export const runtime: { current: Pipeline | null | undefined } = { current: undefined };

/** How long a SIGINT/SIGTERM waits for the last spans before the default behaviour (exit) resumes. */
const SIGNAL_FLUSH_MILLIS = 3000;

export function currentPipeline(): Pipeline | null {
  if (runtime.current === undefined) configure({});
  return runtime.current ?? null;
}

let globalsInstalled = false;

function installGlobals(): void {
  if (globalsInstalled) return;
  globalsInstalled = true;
  // Both calls refuse (returning false) when the program registered its own; ours are then simply not used, and an
  // AsyncLocalStorage-based manager from the program nests spans just as well.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  trace.setGlobalTracerProvider(new DelegatingTracerProvider(() => runtime.current));
}

function configure(options: ConfigureOptions): Promise<void> {
  const config = readConfig(process.env, options);
  const previous = runtime.current;
  let next: Pipeline | null = null;
  if (config.enabled) {
    try {
      installGlobals();
      next = createPipeline(config, options);
    } catch (error) {
      warnOnce(`start:${String(error)}`, `could not start tracing (${error instanceof Error ? error.message : String(error)}); telemetry stays off`);
    }
  }
  runtime.current = next;
  setExitHooks(next !== null);
  // Switch first so new spans go to the new pipeline at once; the old one flushes what it holds, then closes.
  return previous ? previous.shutdown() : Promise.resolve();
}

/**
 * Configures msgtrace; every option given overrides its MSGTRACE_* variable. Call it before the first span, or later
 * to switch: spans ended so far are flushed with the old settings (the returned promise settles when they are
 * delivered). Never throws and never rejects.
 */
export function configureMsgtrace(options: ConfigureOptions = {}): Promise<void> {
  try {
    return configure(options);
  } catch (error) {
    warnOnce(`configure:${String(error)}`, `configureMsgtrace failed: ${String(error)}`);
    return Promise.resolve();
  }
}

/** Exports every ended span now. */
export function forceFlush(): Promise<void> {
  return runtime.current ? runtime.current.forceFlush() : Promise.resolve();
}

/**
 * Flushes and stops tracing; later spans are no-ops until configureMsgtrace is called again. Await it before
 * process.exit(), which gives no chance to flush. Resolves with the final counts of the stopped pipeline.
 */
export async function shutdown(): Promise<MsgtraceStatus> {
  const previous = runtime.current;
  runtime.current = null;
  setExitHooks(false);
  if (!previous) return { enabled: false, exportedSpans: 0, failedSpans: 0 };
  await previous.shutdown();
  return statusOf(previous);
}

export interface MsgtraceStatus {
  readonly enabled: boolean;
  /** The effective configuration, when enabled. */
  readonly config?: MsgtraceConfig;
  /** Where spans go: the OTLP URL, "the console", or "the configured span exporter". */
  readonly destination?: string;
  readonly exportedSpans: number;
  readonly failedSpans: number;
}

/** What msgtrace is doing: for a program that wants to print where its spans went. */
export function msgtraceStatus(): MsgtraceStatus {
  const p = currentPipeline();
  return p ? statusOf(p) : { enabled: false, exportedSpans: 0, failedSpans: 0 };
}

function statusOf(p: Pipeline): MsgtraceStatus {
  return { enabled: true, config: p.config, destination: p.destination, exportedSpans: p.counts.exported, failedSpans: p.counts.failed };
}

/** A tracer of msgtrace's pipeline that follows reconfiguration, for spans msgtrace's helpers do not cover. */
export function getTracer(name: string = SCOPE_NAME, version: string | undefined = name === SCOPE_NAME ? SCOPE_VERSION : undefined): Tracer {
  return new DelegatingTracer(() => runtime.current, name, version);
}

// ---- exit ----------------------------------------------------------------------------------------------------

let hooked = false;

function onBeforeExit(): void {
  // The flush's request keeps the loop alive; beforeExit fires again afterwards and finds nothing left to send.
  const p = runtime.current;
  if (p && p.endedSinceFlush > 0) void p.forceFlush();
}

function onSignal(signal: NodeJS.Signals): void {
  // Our listener replaced Node's default action (exit); remove it, flush, then let the default happen again
  // unless the program has its own listener, which then decides.
  setExitHooks(false);
  let resumed = false;
  const resume = () => {
    if (resumed) return;
    resumed = true;
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const timer = setTimeout(resume, SIGNAL_FLUSH_MILLIS);
  const p = runtime.current;
  (p ? p.forceFlush() : Promise.resolve()).then(() => {
    clearTimeout(timer);
    resume();
  }, resume);
}

function setExitHooks(on: boolean): void {
  if (on === hooked) return;
  hooked = on;
  if (on) {
    process.on('beforeExit', onBeforeExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } else {
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
