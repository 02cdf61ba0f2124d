// Spans: the Python SDK's span API (docs/msgflux-wire.md#spans-api), with what it lacked: spans are made current (children nest),
// success sets status OK, async functions are timed to their settlement, and every span carries code.* attributes.
import {
  type Attributes,
  type Context,
  INVALID_SPAN_CONTEXT,
  type Span,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  context,
  trace,
} from '@opentelemetry/api';
import { toAttributeValue, toAttributes } from './attributes';
import { now } from './clock';
import { type RawFrame, captureFrame, resolveFrame } from './codeLocation';
import type { Pipeline } from './provider';
import { currentPipeline, runtime } from './runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the wrapped function's own this/args/return types
type AnyFunction = (this: any, ...args: any[]) => any;
type Kwargs = Readonly<Record<string, unknown>>;

export interface InstrumentOptions {
  /** Span name; default the function's (or method's) name. */
  readonly name?: string;
  /** Added to every span of this function; objects are JSON-encoded. */
  readonly attributes?: Kwargs;
  /** Default INTERNAL, as in the Python SDK; CLIENT suits a model or HTTP call. */
  readonly kind?: SpanKind;
}

/**
 * What `instrument(options)` returns: applied to a function it returns the traced function; used as a standard
 * (TC39) method decorator it replaces the method.
 */
export type Instrumenter = <F extends AnyFunction>(target: F, context?: ClassMethodDecoratorContext) => F;

// The runtime state object itself (it is never replaced), held here so the wrappers read `.current` with one load
// instead of going through the module binding (a getter in CommonJS output) on every call.
const state = runtime;

const NON_RECORDING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
const OK_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.OK });

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

function succeed(span: Span): void {
  // A status the body set itself (e.g. ERROR without throwing) wins over our OK.
  const status = (span as { status?: SpanStatus }).status;
  if (status === undefined || status.code === SpanStatusCode.UNSET) span.setStatus(OK_STATUS);
  span.end(now());
}

function fail(span: Span, error: unknown): void {
  const time = now();
  try {
    if (error instanceof Error) {
      span.recordException(error, time);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    } else {
      span.recordException(String(error), time);
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    }
  } finally {
    span.end(time);
  }
}

/** Starts a span under `parent`, or returns undefined when the tracer throws (the body then runs untraced). */
function start(tracer: Tracer, name: string, kind: SpanKind, attributes: Attributes, parent: Context): Span | undefined {
  try {
    // Explicit times from one monotonic clock: OpenTelemetry JS anchors each span on its own Date.now() (1 ms
    // steps), which can put a child's end after its parent's.
    const span = tracer.startSpan(name, { kind, startTime: now() }, parent);
    // Set here rather than through the options, which OpenTelemetry sanitizes into two copies before the span
    // copies them a third time; its samplers (always-on, trace-id ratio, parent-based) do not look at attributes.
    span.setAttributes(attributes);
    return span;
  } catch {
    return undefined;
  }
}

/** Ends `span` when `result` returns or, for a promise, settles; returns what the caller gets. */
function settle<R>(span: Span, result: R): R {
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      value => {
        succeed(span);
        return value;
      },
      (error: unknown) => {
        fail(span, error);
        throw error;
      },
    ) as R;
  }
  succeed(span);
  return result;
}

/** Runs `body` inside a new current span; ends it when `body` returns, throws or (for a promise) settles. */
function runInSpan<R>(tracer: Tracer, name: string, kind: SpanKind, attributes: Attributes, body: (span: Span) => R): R {
  const parent = context.active();
  const span = start(tracer, name, kind, attributes, parent);
  if (span === undefined) return body(NON_RECORDING);
  let result: R;
  try {
    result = context.with(trace.setSpan(parent, span), body, undefined, span);
  } catch (error) {
    fail(span, error);
    throw error;
  }
  return settle(span, result);
}

/**
 * The enabled path of an instrumented call: `fn.apply(self, args)` inside a new current span. No closure per call:
 * the context manager calls Reflect.apply(fn, self, args).
 */
function callInSpan(p: Pipeline, site: FunctionSite, fn: AnyFunction, self: unknown, args: unknown[]): unknown {
  const parent = context.active();
  const span = start(p.tracer, site.spanName, site.kind, site.attributes ?? site.get(), parent);
  if (span === undefined) return fn.apply(self, args);
  let result: unknown;
  try {
    result = context.with(trace.setSpan(parent, span), Reflect.apply, undefined, fn, self, args);
  } catch (error) {
    fail(span, error);
    throw error;
  }
  return settle(span, result);
}

/** Static attributes of one instrumented function: its options plus its code location, resolved on first use. */
class FunctionSite {
  /** Set once resolved: from then on every span of the function gets this same object (OpenTelemetry copies it). */
  attributes: Attributes | undefined = undefined;
  qualifiedName: string | undefined = undefined;

  constructor(
    private readonly frame: RawFrame | undefined,
    private readonly extra: Kwargs | undefined,
    readonly functionName: string,
    readonly spanName: string,
    readonly kind: SpanKind,
    /** A method decorator: its qualified name (Class.method) is known only once an instance exists. */
    private readonly decorated: boolean,
  ) {}

  get(): Attributes {
    if (this.attributes) return this.attributes;
    const attributes = toAttributes(this.extra);
    if (this.frame) Object.assign(attributes, resolveFrame(this.frame, this.qualifiedName ?? this.functionName));
    // Before the first instance of a decorated class exists the qualified name may be missing; keep retrying.
    if (!this.decorated || this.qualifiedName !== undefined || this.frame === undefined) this.attributes = attributes;
    return attributes;
  }
}

/** Decides the pipeline on the first call (undefined: not configured yet), then traces the call if enabled. */
function traceCall(current: Pipeline | undefined, site: FunctionSite, fn: AnyFunction, self: unknown, args: unknown[]): unknown {
  const p = current ?? currentPipeline();
  return p === null ? fn.apply(self, args) : callInSpan(p, site, fn, self, args);
}

function normalize(options: InstrumentOptions | string | undefined): InstrumentOptions {
  return typeof options === 'string' ? { name: options } : (options ?? {});
}

function wrap<F extends AnyFunction>(fn: F, options: InstrumentOptions, frame: RawFrame | undefined, always: boolean, decorator?: ClassMethodDecoratorContext): F {
  const functionName = decorator ? String(decorator.name) : fn.name || 'anonymous';
  const spanName = options.name ?? functionName;
  const kind = options.kind ?? SpanKind.INTERNAL;
  const site = new FunctionSite(frame, options.attributes, functionName, spanName, kind, decorator !== undefined);
  if (decorator) {
    decorator.addInitializer(function (this: unknown) {
      if (site.qualifiedName !== undefined) return;
      const owner = decorator.static ? (this as { name?: string }).name : (this as { constructor?: { name?: string } }).constructor?.name;
      site.qualifiedName = owner ? `${owner}.${functionName}` : functionName;
    });
  }
  // The disabled path is one load and one comparison before the call, and allocates nothing: `apply(this,
  // arguments)` forwards the caller's arguments without materializing them (a rest parameter would allocate an
  // array on every call) and no closure captures `this` or the arguments. The enabled path takes them as an array.
  const target: AnyFunction = fn;
  const enabled = function (this: unknown, ...args: unknown[]): unknown {
    return traceCall(state.current ?? undefined, site, target, this, args);
  };
  /* eslint-disable prefer-rest-params -- see above */
  const traced = always
    ? async function (this: unknown): Promise<unknown> {
        if (state.current === null) return target.apply(this, arguments as unknown as unknown[]);
        return enabled.apply(this, arguments as unknown as unknown[]);
      }
    : function (this: unknown): unknown {
        if (state.current === null) return target.apply(this, arguments as unknown as unknown[]);
        return enabled.apply(this, arguments as unknown as unknown[]);
      };
  /* eslint-enable prefer-rest-params */
  Object.defineProperty(traced, 'name', { value: fn.name, configurable: true });
  return traced as F;
}

function instrumenter(options: InstrumentOptions, frame: RawFrame | undefined, always: boolean): Instrumenter {
  return <F extends AnyFunction>(target: F, decorator?: ClassMethodDecoratorContext) => {
    if (decorator !== undefined && decorator.kind !== 'method') return target;
    return wrap(target, options, frame, always, decorator);
  };
}

/**
 * Traces a function: a span named after it (or `options.name`), INTERNAL, current while it runs. Works on sync
 * and promise-returning functions, as a wrapper (`instrument(fn)`, `instrument(options)(fn)`) or a decorator
 * (`@Spans.instrument()`).
 */
export function instrument<F extends AnyFunction>(fn: F, options?: InstrumentOptions | string): F;
export function instrument(options?: InstrumentOptions | string): Instrumenter;
export function instrument(first?: AnyFunction | InstrumentOptions | string, second?: InstrumentOptions | string): unknown {
  const frame = captureFrame(instrument);
  if (typeof first === 'function') return wrap(first, normalize(second), frame, false);
  return instrumenter(normalize(first), frame, false);
}

/** instrument for async functions: the traced function always returns a promise. */
export function ainstrument<F extends (...args: never[]) => Promise<unknown>>(fn: F, options?: InstrumentOptions | string): F;
export function ainstrument(options?: InstrumentOptions | string): Instrumenter;
export function ainstrument(first?: AnyFunction | InstrumentOptions | string, second?: InstrumentOptions | string): unknown {
  const frame = captureFrame(ainstrument);
  if (typeof first === 'function') return wrap(first, normalize(second), frame, true);
  return instrumenter(normalize(first), frame, true);
}

type Body<R> = (span: Span) => R;

function scoped<R>(
  api: (...args: never[]) => unknown,
  name: string,
  kind: SpanKind,
  spanType: string | undefined,
  attributesOrBody: Kwargs | Body<R>,
  maybeBody: Body<R> | undefined,
): R {
  const body = (typeof attributesOrBody === 'function' ? attributesOrBody : maybeBody) as Body<R>;
  const kwargs = typeof attributesOrBody === 'function' ? undefined : attributesOrBody;
  const p = runtime.current === undefined ? currentPipeline() : runtime.current;
  if (p === null) return body(NON_RECORDING);
  const attributes: Attributes = spanType ? { 'span.type': spanType } : {};
  if (kwargs) {
    for (const key of Object.keys(kwargs)) {
      const v = toAttributeValue(kwargs[key]);
      if (v !== undefined) attributes[key] = v;
    }
  }
  const frame = captureFrame(api);
  if (frame) Object.assign(attributes, resolveFrame(frame));
  return runInSpan(p.tracer, name, kind, attributes, body);
}

async function ascoped<R>(api: (...args: never[]) => unknown, name: string, kind: SpanKind, spanType: string | undefined, a: Kwargs | Body<R | Promise<R>>, b: Body<R | Promise<R>> | undefined): Promise<R> {
  return scoped(api, name, kind, spanType, a, b);
}

/** A flow: the entry point of a run. SERVER span with `span.type=flow`, current while `body` runs. */
export function initFlow<R>(name: string, body: Body<R>): R;
export function initFlow<R>(name: string, attributes: Kwargs, body: Body<R>): R;
export function initFlow<R>(name: string, a: Kwargs | Body<R>, b?: Body<R>): R {
  return scoped(initFlow, name, SpanKind.SERVER, 'flow', a, b);
}

export function ainitFlow<R>(name: string, body: Body<R | Promise<R>>): Promise<R>;
export function ainitFlow<R>(name: string, attributes: Kwargs, body: Body<R | Promise<R>>): Promise<R>;
export function ainitFlow<R>(name: string, a: Kwargs | Body<R | Promise<R>>, b?: Body<R | Promise<R>>): Promise<R> {
  return ascoped(ainitFlow, name, SpanKind.SERVER, 'flow', a, b);
}

/** A module inside a flow. INTERNAL span with `span.type=module`, current while `body` runs. */
export function initModule<R>(name: string, body: Body<R>): R;
export function initModule<R>(name: string, attributes: Kwargs, body: Body<R>): R;
export function initModule<R>(name: string, a: Kwargs | Body<R>, b?: Body<R>): R {
  return scoped(initModule, name, SpanKind.INTERNAL, 'module', a, b);
}

export function ainitModule<R>(name: string, body: Body<R | Promise<R>>): Promise<R>;
export function ainitModule<R>(name: string, attributes: Kwargs, body: Body<R | Promise<R>>): Promise<R>;
export function ainitModule<R>(name: string, a: Kwargs | Body<R | Promise<R>>, b?: Body<R | Promise<R>>): Promise<R> {
  return ascoped(ainitModule, name, SpanKind.INTERNAL, 'module', a, b);
}

/** A plain INTERNAL span (no `span.type`), current while `body` runs. */
export function spanContext<R>(name: string, body: Body<R>): R;
export function spanContext<R>(name: string, attributes: Kwargs, body: Body<R>): R;
export function spanContext<R>(name: string, a: Kwargs | Body<R>, b?: Body<R>): R {
  return scoped(spanContext, name, SpanKind.INTERNAL, undefined, a, b);
}

export function aspanContext<R>(name: string, body: Body<R | Promise<R>>): Promise<R>;
export function aspanContext<R>(name: string, attributes: Kwargs, body: Body<R | Promise<R>>): Promise<R>;
export function aspanContext<R>(name: string, a: Kwargs | Body<R | Promise<R>>, b?: Body<R | Promise<R>>): Promise<R> {
  return ascoped(aspanContext, name, SpanKind.INTERNAL, undefined, a, b);
}

function setOnCurrent(fixed: Record<string, unknown>, prefix: string, extra: Kwargs): void {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  const put = (key: string, value: unknown) => {
    const v = toAttributeValue(value);
    if (v !== undefined) span.setAttribute(key, v);
  };
  for (const [key, value] of Object.entries(fixed)) put(key, value);
  for (const [key, value] of Object.entries(extra)) put(`${prefix}${key}`, value);
}

function attributeSetter(apply: () => void): Instrumenter {
  return <F extends AnyFunction>(target: F, decorator?: ClassMethodDecoratorContext) => {
    if (decorator !== undefined && decorator.kind !== 'method') return target;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      apply();
      return target.apply(this, args);
    };
    Object.defineProperty(wrapped, 'name', { value: target.name, configurable: true });
    return wrapped as F;
  };
}

/**
 * Sets `gen_ai.tool.name`, `gen_ai.tool.description` and `gen_ai.tool.<key>` on the span current when the decorated
 * function is called (combine with instrument, which makes that span). Creates no span.
 */
export function setToolAttributes(toolName: string, description?: string, extra: Kwargs = {}): Instrumenter {
  return attributeSetter(() => setOnCurrent({ 'gen_ai.tool.name': toolName, 'gen_ai.tool.description': description }, 'gen_ai.tool.', extra));
}

/** Sets `gen_ai.agent.name`, `gen_ai.agent.id` and `gen_ai.agent.<key>` on the current span. Creates no span. */
export function setAgentAttributes(agentName: string, agentId?: string, extra: Kwargs = {}): Instrumenter {
  return attributeSetter(() => setOnCurrent({ 'gen_ai.agent.name': agentName, 'gen_ai.agent.id': agentId }, 'gen_ai.agent.', extra));
}

/** The span API under the Python SDK's names, in camelCase: `Spans.instrument`, `@Spans.instrument()`, `Spans.initFlow`. */
export const Spans = Object.freeze({
  instrument,
  ainstrument,
  initFlow,
  ainitFlow,
  initModule,
  ainitModule,
  spanContext,
  aspanContext,
  setToolAttributes,
  asetToolAttributes: setToolAttributes,
  setAgentAttributes,
  asetAgentAttributes: setAgentAttributes,
});
