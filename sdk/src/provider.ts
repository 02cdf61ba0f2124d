// One tracing pipeline for one configuration: resource -> sampler -> TracerProvider -> BatchSpanProcessor ->
// exporter. Nothing here is global; runtime.ts decides which pipeline is current.
import * as os from 'node:os';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { MsgtraceConfig } from './config';
import { ConsoleSpanExporter } from './consoleSpanExporter';
import { warnOnce } from './diagnostics';
import { PooledIdGenerator } from './idGenerator';
import { type ExportCounts, ReportingSpanExporter } from './reportingSpanExporter';
import { DEFAULT_RETRY_POLICY, applyRetryPolicy } from './retryingTransport';
import { SCOPE_NAME, SCOPE_VERSION } from './version';

export interface PipelineOptions {
  /** Replaces the configured exporter (tests, benchmarks, custom backends). */
  readonly spanExporter?: SpanExporter;
  /** First retry backoff of the OTLP exporter, in ms. */
  readonly retryBackoffMillis?: number;
}

export interface Pipeline {
  readonly config: MsgtraceConfig;
  readonly tracer: Tracer;
  readonly destination: string;
  /** Tracers for other instrumentation scopes, on the same provider (the global tracer provider delegates here). */
  getTracer(name: string, version?: string): Tracer;
  readonly counts: ExportCounts;
  /** Spans ended since the last flush: lets the exit hook flush only when there is something to send. */
  endedSinceFlush: number;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The Python SDK's four platform keys with Node's values (`node.version` for `python.version`), plus the
 * semantic-convention runtime keys a generic backend understands.
 */
export function platformAttributes(): Attributes {
  const system = os.type();
  return {
    'platform.system': system === 'Windows_NT' ? 'Windows' : system,
    'platform.release': os.release(),
    'platform.machine': typeof os.machine === 'function' ? os.machine() : process.arch,
    'node.version': process.versions.node,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
  };
}

function sampler(ratio: number | undefined): Sampler {
  // Parent-based either way: a child follows its parent's decision, so traces are never cut in half.
  const root = ratio === undefined ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio);
  return new ParentBasedSampler({ root });
}

function exporterFor(config: MsgtraceConfig, options: PipelineOptions): { exporter: SpanExporter; destination: string } {
  if (options.spanExporter) return { exporter: options.spanExporter, destination: 'the configured span exporter' };
  if (config.exporter === 'console') return { exporter: new ConsoleSpanExporter(), destination: 'the console' };
  const otlp = new OTLPTraceExporter({ url: config.otlpEndpoint });
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: config.maxRetries };
  if (options.retryBackoffMillis !== undefined) Object.assign(policy, { initialBackoffMillis: options.retryBackoffMillis });
  if (!applyRetryPolicy(otlp, policy)) {
    warnOnce('retry-policy', 'MSGTRACE_MAX_RETRIES cannot be applied to this exporter version; its built-in retry policy is used');
  }
  return { exporter: otlp, destination: config.otlpEndpoint };
}

export function createPipeline(config: MsgtraceConfig, options: PipelineOptions = {}): Pipeline {
  const { exporter, destination } = exporterFor(config, options);
  const reporting = new ReportingSpanExporter(exporter, destination);
  const attributes: Attributes = { 'service.name': config.serviceName };
  if (config.capturePlatform) Object.assign(attributes, platformAttributes());
  const counter: SpanProcessor = {
    onStart() {},
    onEnd(_span: ReadableSpan) {
      pipeline.endedSinceFlush++;
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  // Batching defaults (and OTEL_BSP_* overrides) are OpenTelemetry's: 5 s delay, 512 spans per request.
  const batch = new BatchSpanProcessor(reporting);
  const provider = new BasicTracerProvider({
    // resourceFromAttributes, not defaultResource(): the Python SDK sends exactly these keys and no telemetry.sdk.*.
    resource: resourceFromAttributes(attributes),
    sampler: sampler(config.samplingRatio),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [counter, batch],
  });
  let stopped: Promise<void> | undefined;
  const pipeline: Pipeline = {
    config,
    tracer: provider.getTracer(SCOPE_NAME, SCOPE_VERSION),
    destination,
    getTracer: (name, version) => provider.getTracer(name, version),
    counts: reporting.counts,
    endedSinceFlush: 0,
    forceFlush() {
      pipeline.endedSinceFlush = 0;
      return provider.forceFlush().catch(() => undefined);
    },
    shutdown() {
      pipeline.endedSinceFlush = 0;
      stopped ??= provider.shutdown().catch(() => undefined);
      return stopped;
    },
  };
  return pipeline;
}
