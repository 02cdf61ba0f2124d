// The classes a span can read as. The tree, the timeline and the filters show these, not OTLP kinds, because
// a person debugging an agent thinks in flows, agents, tools and model calls.

export type SpanClass = 'flow' | 'module' | 'agent' | 'tool' | 'model' | 'functional' | 'generic';

export const SPAN_CLASSES: readonly SpanClass[] = ['flow', 'module', 'agent', 'tool', 'model', 'functional', 'generic'];

/** Who sent it, as far as the span tells: the dialect its attributes follow. */
export type SpanDialect =
  | 'msgflux' // msgtrace-sdk scope or span.type / module.* / msgflux.functional.* attributes
  | 'gen_ai' // OpenTelemetry GenAI semantic conventions
  | 'openinference' // Arize Phoenix
  | 'openllmetry' // Traceloop
  | 'generic';

/** A msgflux `nn.functional` operation, split into its parts so `amsg_bcast_gather` reads as bcast_gather. */
export interface FunctionalOp {
  /** The operation without async/msg_ prefixes: `map_gather`, `scatter_gather`, `bcast_gather`, `spawn`, ... */
  readonly op: string;
  /** The `a`-prefixed coroutine form (`amap_gather`, `aspawn`, `await_for_event`). */
  readonly async: boolean;
  /** The `msg_` form that reads inputs from and writes outputs to a Message. */
  readonly msg: boolean;
}

// Every functional op msgflux has instrumented in any generation (docs/msgflux-wire.md#functional-operations), sync names.
const FUNCTIONAL_BASE_OPS = new Set([
  'map_gather',
  'scatter_gather',
  'bcast_gather',
  'wait_for',
  'wait_for_event',
  'fire_and_forget',
  'background_task',
  'spawn',
  'inline',
  'detached',
]);

/**
 * Parses a span name as a functional op (`ascatter_gather` → scatter_gather, async), or undefined when the
 * name is not one. `await_for_event` is the async form of `wait_for_event`.
 */
export function parseFunctionalOp(name: string): FunctionalOp | undefined {
  if (FUNCTIONAL_BASE_OPS.has(name)) return { op: name, async: false, msg: false };
  if (name.startsWith('msg_') && FUNCTIONAL_BASE_OPS.has(name.slice(4))) return { op: name.slice(4), async: false, msg: true };
  if (name.startsWith('amsg_') && FUNCTIONAL_BASE_OPS.has(name.slice(5))) return { op: name.slice(5), async: true, msg: true };
  if (name.startsWith('await_') && FUNCTIONAL_BASE_OPS.has('wait_' + name.slice(6))) return { op: 'wait_' + name.slice(6), async: true, msg: false };
  if (name.startsWith('a') && FUNCTIONAL_BASE_OPS.has(name.slice(1))) return { op: name.slice(1), async: true, msg: false };
  return undefined;
}
