// Which attributes a Span carries decoded from ingest on (Span.indexed): the ones span classification, the
// store's derived facts (tokens, cost, model, tool, code location) and the tree labels read for every span.
// Everything else waits in the request bytes until a view asks. Extend this list, do not shrink it: the store
// relies on these being present without a decode.

export const INDEXED_ATTRIBUTE_KEYS: readonly string[] = [
  'span.type',
  'service.name',
  'error.type',
  'gen_ai.operation.name',
  'gen_ai.system',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.agent.name',
  'gen_ai.agent.id',
  'gen_ai.workflow.name',
  'gen_ai.conversation.id',
  'gen_ai.tool.name',
  'gen_ai.tool.type',
  'gen_ai.tool.call.id',
  'openinference.span.kind',
  'llm.model_name',
  'tool.name',
  'traceloop.span.kind',
  'traceloop.entity.name',
  'traceloop.workflow.name',
  'workflow.name',
  'module.name',
  'module.type',
  'msgflux.functional.task_count',
  'msgflux.functional.failed_tasks',
  'msgflux.functional.timeout_seconds',
  // Classification of OpenLLMetry LLM spans (core/semantics/classification.ts).
  'llm.request.type',
];

/** Every key starting with one of these is indexed too (token counts, cost, source locations). */
export const INDEXED_ATTRIBUTE_PREFIXES: readonly string[] = [
  'gen_ai.usage.',
  'llm.token_count.',
  'llm.usage.',
  'code.',
  // OpenInference cost (core/semantics/usage.ts).
  'llm.cost.',
];

const keySet = new Set(INDEXED_ATTRIBUTE_KEYS);

export function isIndexedAttributeKey(key: string): boolean {
  if (keySet.has(key)) return true;
  for (const p of INDEXED_ATTRIBUTE_PREFIXES) if (key.startsWith(p)) return true;
  return false;
}
