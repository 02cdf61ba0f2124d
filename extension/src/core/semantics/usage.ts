// Token usage and cost. A span's own `gen_ai.usage.*` (or the OpenInference / OpenLLMetry equivalents) counts
// once; a subtree's total takes, per field, the span's own value when it has one, else the sum of its
// children's totals. So an agent span that reports its model calls' usage is not counted again on top of them,
// and a flow that reports nothing shows what its calls used.
import type { Span } from '../model/span';
import { numberAttr, stringAttr } from './spanFacts';

export const USAGE_FIELDS = ['inputTokens', 'outputTokens', 'totalTokens', 'cacheReadTokens', 'cacheCreationTokens', 'reasoningTokens', 'cost'] as const;
export type UsageField = (typeof USAGE_FIELDS)[number];

/** Absent fields are undefined (unknown), not 0: "no usage reported" differs from "0 tokens". */
export type Usage = { readonly [F in UsageField]?: number } & { readonly currency?: string };

// Per field, the keys in order of preference; the first present one is the span's own value.
const SOURCES: Record<UsageField, readonly string[]> = {
  inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt', 'llm.usage.prompt_tokens'],
  outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion', 'llm.usage.completion_tokens'],
  totalTokens: ['gen_ai.usage.total_tokens', 'llm.token_count.total', 'llm.usage.total_tokens'],
  cacheReadTokens: ['gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_read_input_tokens', 'llm.token_count.prompt_details.cache_read'],
  cacheCreationTokens: ['gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_creation_input_tokens', 'llm.token_count.prompt_details.cache_write'],
  reasoningTokens: ['gen_ai.usage.reasoning.output_tokens', 'llm.token_count.completion_details.reasoning'],
  cost: ['gen_ai.usage.cost', 'llm.cost.total'],
};

// Cost split into parts (msgtrace-sdk's set_cost, OpenInference's prompt/completion cost): summed when no total.
const COST_PARTS: readonly (readonly string[])[] = [
  ['gen_ai.usage.cost.input_tokens', 'gen_ai.usage.cost.output_tokens'],
  ['llm.cost.prompt', 'llm.cost.completion'],
];

/** Every attribute key ownUsage reads a number from: a span without any of them reports no usage. */
export const USAGE_KEYS: ReadonlySet<string> = new Set([...Object.values(SOURCES).flat(), ...COST_PARTS.flat()]);

const EMPTY: Usage = Object.freeze({});

/** What the span itself reports. Cheap: reads indexed attributes only, and returns a shared empty object when none. */
export function ownUsage(span: Span): Usage {
  if (span.indexed.length === 0) return EMPTY;
  let out: { -readonly [F in UsageField]?: number } & { currency?: string } | undefined;
  for (const field of USAGE_FIELDS) {
    for (const key of SOURCES[field]) {
      const n = numberAttr(span, key);
      if (n === undefined) continue;
      (out ??= {})[field] = n;
      break;
    }
  }
  if (out?.cost === undefined) {
    for (const parts of COST_PARTS) {
      const values = parts.map(k => numberAttr(span, k)).filter((n): n is number => n !== undefined);
      if (values.length === 0) continue;
      (out ??= {}).cost = values.reduce((a, b) => a + b, 0);
      break;
    }
  }
  const currency = stringAttr(span, 'gen_ai.usage.cost.currency') ?? stringAttr(span, 'llm.cost.currency');
  if (currency !== undefined && out?.cost !== undefined) out.currency = currency;
  if (out && out.totalTokens === undefined && out.inputTokens !== undefined && out.outputTokens !== undefined) {
    out.totalTokens = out.inputTokens + out.outputTokens;
  }
  return out ?? EMPTY;
}

export function hasUsage(u: Usage): boolean {
  for (const f of USAGE_FIELDS) if (u[f] !== undefined) return true;
  return false;
}

/**
 * The subtree rule for one node: per field, own value if present, else the sum of the children's totals.
 * `childTotals` are the children's subtree totals (already computed by the caller).
 */
export function combineUsage(own: Usage, childTotals: readonly Usage[]): Usage {
  if (childTotals.length === 0) return own;
  let out: { -readonly [F in UsageField]?: number } & { currency?: string } = {};
  for (const field of USAGE_FIELDS) {
    const mine = own[field];
    if (mine !== undefined) {
      out[field] = mine;
      continue;
    }
    let sum: number | undefined;
    for (const c of childTotals) {
      const v = c[field];
      if (v !== undefined) sum = (sum ?? 0) + v;
    }
    if (sum !== undefined) out[field] = sum;
  }
  const currency = own.currency ?? childTotals.find(c => c.currency !== undefined)?.currency;
  if (currency !== undefined && out.cost !== undefined) out.currency = currency;
  if (!hasUsage(out)) out = {};
  return out;
}
