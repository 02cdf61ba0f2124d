// Span events with the Python SDK's names and attribute keys (docs/msgflux-wire.md#span-events), added to the current span.
import { trace } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { toAttributes } from './attributes';

export const EventType = {
  AGENT_START: 'gen_ai.agent.start',
  AGENT_STEP: 'gen_ai.agent.step',
  AGENT_COMPLETE: 'gen_ai.agent.complete',
  AGENT_ERROR: 'gen_ai.agent.error',
  MODEL_REQUEST: 'gen_ai.model.request',
  MODEL_RESPONSE: 'gen_ai.model.response',
  MODEL_RESPONSE_CHUNK: 'gen_ai.model.response.chunk',
  MODEL_REASONING: 'gen_ai.model.reasoning',
  MODEL_REASONING_CHUNK: 'gen_ai.model.reasoning.chunk',
  TOOL_CALL: 'gen_ai.tool.call',
  TOOL_RESULT: 'gen_ai.tool.result',
  TOOL_ERROR: 'gen_ai.tool.error',
  FLOW_STEP: 'gen_ai.flow.step',
  FLOW_REASONING: 'gen_ai.flow.reasoning',
  FLOW_COMPLETE: 'gen_ai.flow.complete',
  MODULE_START: 'gen_ai.module.start',
  MODULE_COMPLETE: 'gen_ai.module.complete',
  MODULE_ERROR: 'gen_ai.module.error',
} as const;

export type EventName = (typeof EventType)[keyof typeof EventType];
export type EventAttributes = Readonly<Record<string, unknown>>;

/** Adds an event to the current span; objects and arrays are JSON-encoded, null/undefined values left out. */
export function addEvent(name: EventName | (string & {}), attributes?: EventAttributes): void {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  // Same clock as the span's start and end (see spans.ts), so the event falls inside its span.
  span.addEvent(name, toAttributes(attributes), hrTime());
}

// Helpers: positional arguments as in Python, `extra` for its **kwargs. Optional arguments that are not given are
// left out, as there (and then a key of the same name in `extra` stays).

function withOptional(attributes: Record<string, unknown>, optional: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(optional)) if (value !== undefined && value !== null) attributes[key] = value;
  return attributes;
}

export function addAgentStartEvent(agentName: string, extra?: EventAttributes): void {
  addEvent(EventType.AGENT_START, { agent_name: agentName, ...extra });
}

export function addAgentCompleteEvent(agentName: string, response?: unknown, extra?: EventAttributes): void {
  addEvent(EventType.AGENT_COMPLETE, withOptional({ agent_name: agentName, ...extra }, { response }));
}

export function addAgentStepEvent(agentName: string, stepNumber: number, stepType = '', extra?: EventAttributes): void {
  addEvent(EventType.AGENT_STEP, { agent_name: agentName, step_number: stepNumber, step_type: stepType, ...extra });
}

export function addModelRequestEvent(model?: string, messageCount?: number, extra?: EventAttributes): void {
  addEvent(EventType.MODEL_REQUEST, withOptional({ ...extra }, { model: model || undefined, message_count: messageCount }));
}

export function addModelResponseEvent(responseType: string, extra?: EventAttributes): void {
  addEvent(EventType.MODEL_RESPONSE, { response_type: responseType, ...extra });
}

export function addModelResponseChunkEvent(chunk: string, index = 0, extra?: EventAttributes): void {
  addEvent(EventType.MODEL_RESPONSE_CHUNK, { chunk, index, ...extra });
}

export function addModelReasoningEvent(reasoning: string, step?: number, extra?: EventAttributes): void {
  addEvent(EventType.MODEL_REASONING, withOptional({ reasoning, ...extra }, { step }));
}

export function addToolCallEvent(toolName: string, toolId: string, args?: Record<string, unknown>, step?: number, extra?: EventAttributes): void {
  const hasArgs = args !== undefined && Object.keys(args).length > 0;
  addEvent(EventType.TOOL_CALL, withOptional({ tool_name: toolName, tool_id: toolId, ...extra }, { arguments: hasArgs ? args : undefined, step }));
}

export function addToolResultEvent(toolName: string, toolId: string, result?: unknown, step?: number, extra?: EventAttributes): void {
  addEvent(EventType.TOOL_RESULT, withOptional({ tool_name: toolName, tool_id: toolId, ...extra }, { result, step }));
}

export function addToolErrorEvent(toolName: string, toolId: string, error: string, step?: number, extra?: EventAttributes): void {
  addEvent(EventType.TOOL_ERROR, withOptional({ tool_name: toolName, tool_id: toolId, error, ...extra }, { step }));
}

export function addFlowStepEvent(stepNumber: number, extra?: EventAttributes): void {
  addEvent(EventType.FLOW_STEP, { step_number: stepNumber, ...extra });
}

export function addFlowReasoningEvent(reasoning: string, step?: number, extra?: EventAttributes): void {
  addEvent(EventType.FLOW_REASONING, withOptional({ reasoning, ...extra }, { step }));
}

export function addFlowCompleteEvent(step?: number, extra?: EventAttributes): void {
  addEvent(EventType.FLOW_COMPLETE, withOptional({ ...extra }, { step }));
}
