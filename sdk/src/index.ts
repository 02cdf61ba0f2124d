// msgtrace for TypeScript: OpenTelemetry tracing for LLM agent programs, with the environment variables and the
// span/attribute/event API of the Python msgtrace-sdk. Public surface: named exports only.
export { configureMsgtrace, forceFlush, getTracer, msgtraceStatus, shutdown } from './runtime';
export type { ConfigureOptions, MsgtraceStatus } from './runtime';
export { DEFAULTS, parseBoolean, readCaptureFlags, readConfig, resolveOtlpEndpoint } from './config';
export type { CaptureFlags, ExporterName, MsgtraceConfig, MsgtraceOptions } from './config';
export type { PipelineOptions } from './provider';
export {
  Spans,
  ainitFlow,
  ainitModule,
  ainstrument,
  aspanContext,
  initFlow,
  initModule,
  instrument,
  setAgentAttributes,
  setToolAttributes,
  spanContext,
} from './spans';
export type { InstrumentOptions, Instrumenter } from './spans';
export { MsgTraceAttributes, toAttributeValue } from './attributes';
export {
  EventType,
  addAgentCompleteEvent,
  addAgentStartEvent,
  addAgentStepEvent,
  addEvent,
  addFlowCompleteEvent,
  addFlowReasoningEvent,
  addFlowStepEvent,
  addModelReasoningEvent,
  addModelRequestEvent,
  addModelResponseChunkEvent,
  addModelResponseEvent,
  addToolCallEvent,
  addToolErrorEvent,
  addToolResultEvent,
} from './events';
export type { EventAttributes, EventName } from './events';
export { ConsoleSpanExporter } from './consoleSpanExporter';
export type { ConsoleSpanJson } from './consoleSpanExporter';
export { AsyncLocalStorageContextManager } from './contextManager';
export { SCOPE_NAME, SCOPE_VERSION } from './version';
