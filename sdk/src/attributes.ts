// MsgTraceAttributes: the Python SDK's attribute setters with exactly its keys (docs/msgflux-wire.md#attribute-setters). Each writes to the
// current span, and only when it is recording, so calls cost next to nothing when telemetry is off.
import { type AttributeValue, type Attributes, trace } from '@opentelemetry/api';

/**
 * An attribute value OpenTelemetry accepts: primitives and homogeneous primitive arrays as they are, objects and
 * mixed arrays as JSON (OpenTelemetry would drop them), null/undefined as "no value".
 */
export function toAttributeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return undefined;
  if (Array.isArray(value) && isHomogeneousPrimitiveArray(value)) return value as AttributeValue;
  return toJson(value);
}

function isHomogeneousPrimitiveArray(values: readonly unknown[]): boolean {
  let kind: string | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const t = typeof v;
    if (t !== 'string' && t !== 'number' && t !== 'boolean') return false;
    if (kind === undefined) kind = t;
    else if (kind !== t) return false;
  }
  return true;
}

/** JSON that never throws: cycles and BigInts do not break the traced program. */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Normalises a record of attributes once (options of instrument, kwargs of initFlow). */
export function toAttributes(values: Readonly<Record<string, unknown>> | undefined): Attributes {
  const out: Attributes = {};
  if (!values) return out;
  for (const [key, value] of Object.entries(values)) {
    const v = toAttributeValue(value);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function set(key: string, value: unknown): void {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return;
  const v = toAttributeValue(value);
  if (v !== undefined) span.setAttribute(key, v);
}

const str = (value: string | unknown) => (typeof value === 'string' ? value : toJson(value));

/** The setters, under the Python SDK's names in camelCase (`MsgTraceAttributes.setUsage(...)`). */
export const MsgTraceAttributes = Object.freeze({

  // ---- operation ----
  setOperationName(operation: string): void {
    set('gen_ai.operation.name', operation);
  },
  setSystem(system: string): void {
    set('gen_ai.system', system);
  },

  // ---- request ----
  setModel(model: string): void {
    set('gen_ai.request.model', model);
  },
  setTemperature(temperature: number): void {
    set('gen_ai.request.temperature', temperature);
  },
  setTopP(topP: number): void {
    set('gen_ai.request.top_p', topP);
  },
  setMaxTokens(maxTokens: number): void {
    set('gen_ai.request.max_tokens', maxTokens);
  },
  setFrequencyPenalty(penalty: number): void {
    set('gen_ai.request.frequency_penalty', penalty);
  },
  setPresencePenalty(penalty: number): void {
    set('gen_ai.request.presence_penalty', penalty);
  },

  // ---- response ----
  setResponseId(responseId: string): void {
    set('gen_ai.response.id', responseId);
  },
  setResponseModel(model: string): void {
    set('gen_ai.response.model', model);
  },
  /** An array of one reason, as the convention (and the Python SDK) has it. */
  setFinishReason(reason: string): void {
    set('gen_ai.response.finish_reasons', [reason]);
  },

  // ---- usage ----
  /** The total is input + output when not given (the Python SDK skipped it whenever one count was 0). */
  setUsage(inputTokens?: number, outputTokens?: number, totalTokens?: number): void {
    const span = trace.getActiveSpan();
    if (!span || !span.isRecording()) return;
    if (inputTokens !== undefined) span.setAttribute('gen_ai.usage.input_tokens', inputTokens);
    if (outputTokens !== undefined) span.setAttribute('gen_ai.usage.output_tokens', outputTokens);
    const total = totalTokens ?? (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined);
    if (total !== undefined) span.setAttribute('gen_ai.usage.total_tokens', total);
  },

  // ---- content ----
  /** A string, or a message list (JSON-encoded). */
  setPrompt(prompt: string | readonly Record<string, unknown>[]): void {
    set('gen_ai.prompt', str(prompt));
  },
  setCompletion(completion: string): void {
    set('gen_ai.completion', completion);
  },

  // ---- tools ----
  setToolName(name: string): void {
    set('gen_ai.tool.name', name);
  },
  setToolDescription(description: string): void {
    set('gen_ai.tool.description', description);
  },
  setToolCallId(callId: string): void {
    set('gen_ai.tool.call.id', callId);
  },
  setToolCallArguments(args: string | Record<string, unknown>): void {
    set('gen_ai.tool.call.arguments', str(args));
  },
  setToolResponse(response: unknown): void {
    set('gen_ai.tool.response', str(response));
  },
  setToolExecutionType(type: 'local' | 'remote' | (string & {})): void {
    set('gen_ai.tool.execution.type', type);
  },
  setToolProtocol(protocol: 'mcp' | 'a2a' | 'http' | 'grpc' | (string & {})): void {
    set('gen_ai.tool.protocol', protocol);
  },
  setToolCallings(callings: readonly Record<string, unknown>[]): void {
    set('tool.callings', toJson(callings));
  },
  setToolResponses(responses: readonly unknown[]): void {
    set('tool.responses', toJson(responses));
  },

  // ---- agents ----
  setAgentName(name: string): void {
    set('gen_ai.agent.name', name);
  },
  setAgentId(agentId: string): void {
    set('gen_ai.agent.id', agentId);
  },
  setAgentType(agentType: string): void {
    set('gen_ai.agent.type', agentType);
  },
  setAgentGoal(goal: string): void {
    set('gen_ai.agent.goal', goal);
  },
  setAgentResponse(response: unknown): void {
    set('gen_ai.agent.response', str(response));
  },

  // ---- provider, embeddings, cost ----
  setProviderName(provider: string): void {
    set('gen_ai.provider.name', provider);
  },
  setEndpoint(endpoint: string): void {
    set('gen_ai.request.endpoint', endpoint);
  },
  setEmbeddingDimensions(dimensions: number): void {
    set('gen_ai.embedding.dimensions', dimensions);
  },
  setEmbeddingFormat(format: string): void {
    set('gen_ai.embedding.format', format);
  },
  /** The currency is always set, as in the Python SDK. */
  setCost(inputCost?: number, outputCost?: number, currency = 'USD'): void {
    if (inputCost !== undefined) set('gen_ai.usage.cost.input_tokens', inputCost);
    if (outputCost !== undefined) set('gen_ai.usage.cost.output_tokens', outputCost);
    set('gen_ai.usage.cost.currency', currency);
  },

  // ---- workflow, user, session ----
  setWorkflowName(name: string): void {
    set('workflow.name', name);
  },
  setWorkflowId(workflowId: string): void {
    set('workflow.id', workflowId);
  },
  setWorkflowStep(step: string): void {
    set('workflow.step', step);
  },
  setUserId(userId: string): void {
    set('user.id', userId);
  },
  setSessionId(sessionId: string): void {
    set('session.id', sessionId);
  },

  // ---- metrics, environment ----
  setLatency(latencyMs: number): void {
    set('latency.ms', latencyMs);
  },
  setRetryCount(count: number): void {
    set('retry.count', count);
  },
  setCacheHit(hit: boolean): void {
    set('cache.hit', hit);
  },
  setEnvironment(env: string): void {
    set('environment', env);
  },
  setVersion(version: string): void {
    set('version', version);
  },

  // ---- modules ----
  setModuleName(name: string): void {
    set('module.name', name);
  },
  /** By convention `Agent`, `Tool`, `LLM`, `Transcriber`, `Retriever`, `Embedder` or `Custom`. */
  setModuleType(type: string): void {
    set('module.type', type);
  },

  /** Any key, as given; objects and arrays are JSON-encoded. */
  setCustom(key: string, value: unknown): void {
    set(key, value);
  },
});
