// Registered as the global tracer provider, like the Python SDK's, so OpenTelemetry instrumentation in the traced
// program (trace.getTracer(...)) lands in the same traces. The global can be set only once per process, so it
// delegates to whichever pipeline is current: reconfiguring or shutting down never strands a cached tracer.
import {
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerOptions,
  type TracerProvider,
  ProxyTracerProvider,
} from '@opentelemetry/api';
import type { Pipeline } from './provider';

const noop = new ProxyTracerProvider();

export class DelegatingTracer implements Tracer {
  constructor(
    private readonly current: () => Pipeline | null | undefined,
    private readonly name: string,
    private readonly version?: string,
  ) {}

  private target(): Tracer {
    return this.current()?.getTracer(this.name, this.version) ?? noop.getTracer(this.name, this.version);
  }

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    return this.target().startSpan(name, options, context);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, context: Context, fn: F): ReturnType<F>;
  startActiveSpan(name: string, ...rest: unknown[]): unknown {
    const target = this.target() as unknown as { startActiveSpan(name: string, ...args: unknown[]): unknown };
    return target.startActiveSpan(name, ...rest);
  }
}

export class DelegatingTracerProvider implements TracerProvider {
  constructor(private readonly current: () => Pipeline | null | undefined) {}

  getTracer(name: string, version?: string, _options?: TracerOptions): Tracer {
    return new DelegatingTracer(this.current, name, version);
  }
}
