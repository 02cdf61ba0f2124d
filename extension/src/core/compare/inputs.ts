// What a span was asked to do, as far as its attributes record it: the fingerprint that tells concurrent calls
// of one name apart (docs/compare.md, "Alignment", rule 2). Read from the decoded attributes, so the alignment
// asks for it only for concurrent siblings.
import { type KeyValue, formatAnyValue } from '../model/anyValue';

/** Keys whose value is an input: tool arguments, prompts and input messages, what a tool or agent was given. */
const INPUT_KEYS: ReadonlySet<string> = new Set([
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.name',
  'gen_ai.input.messages',
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.agent.goal',
  'input.value',
  'traceloop.entity.input',
  'tool.callings',
  'module.name',
]);

/** Families of indexed input keys (OpenLLMetry prompts, OpenInference input messages). */
const INPUT_PREFIXES: readonly string[] = ['gen_ai.prompt.', 'llm.input_messages.'];

export function isInputKey(key: string): boolean {
  return INPUT_KEYS.has(key) || INPUT_PREFIXES.some(p => key.startsWith(p));
}

/** The recorded inputs as one string ('' when none), keys sorted so attribute order does not matter. */
export function inputFingerprint(attributes: readonly KeyValue[]): string {
  let parts: string[] | undefined;
  for (const kv of attributes) {
    if (!isInputKey(kv.key)) continue;
    (parts ??= []).push(`${kv.key}\u0001${kv.value === null ? '' : formatAnyValue(kv.value)}`);
  }
  return parts === undefined ? '' : parts.sort().join('\u0002');
}
