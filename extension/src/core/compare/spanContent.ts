// What of a decoded span a comparison looks at, each fact once (docs/compare.md, "What counts as changed"):
// model, own usage, tool arguments and result, the prompt and the output as chat text, the status message,
// events by name and attributes, and every other attribute by key. Ids and times never count: they differ
// between any two runs.
import { type KeyValue, formatAnyValue } from '../model/anyValue';
import type { Span } from '../model/span';
import { type ChatMessage, type MessagePart, conversationOf, modelOf, toolArgumentsOf, toolResultOf } from '../semantics/genAiFacts';
import { USAGE_FIELDS, USAGE_KEYS, type Usage, ownUsage } from '../semantics/usage';

export interface SpanContent {
  readonly model: string | undefined;
  /** What the span itself reports (not its subtree). */
  readonly usage: Usage;
  /** Only for tool spans: elsewhere `input.value` / `output.value` are plain attributes. */
  readonly toolArguments: string | undefined;
  readonly toolResult: string | undefined;
  /** The prompt and the output as chat text ("role: content"), undefined when the span records none. */
  readonly inputMessages: string | undefined;
  readonly outputMessages: string | undefined;
  readonly statusMessage: string;
  /** Events as comparable text: name and attributes of each, in order, without times. */
  readonly events: string;
  /** Every other attribute (neither read above nor an id or a time), value rendered as in the details pane. */
  readonly attributes: ReadonlyMap<string, string>;
}

const MODEL_KEYS = ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name'];
const TOOL_KEYS = ['gen_ai.tool.call.arguments', 'input.value', 'traceloop.entity.input', 'gen_ai.tool.call.result', 'gen_ai.tool.response', 'output.value', 'traceloop.entity.output'];
const MESSAGE_KEYS = ['gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.prompt', 'gen_ai.completion'];
const MESSAGE_PREFIXES = ['gen_ai.prompt.', 'gen_ai.completion.', 'llm.input_messages.', 'llm.output_messages.'];
const ALWAYS_READ: ReadonlySet<string> = new Set([...MODEL_KEYS, ...USAGE_KEYS, 'gen_ai.usage.cost.currency', 'llm.cost.currency']);

/**
 * Keys that name an id or a time (or a measured duration, which shows as the span's own duration): their values
 * differ between any two runs, so they never count as a change. By the key's last part: `id`, `uuid`, `pid`,
 * `timestamp`, `time`, a `_id`/`_at`/`_time` suffix, `latency`/`duration` (optionally with a unit).
 */
const ID_OR_TIME = /(?:^|[._])(?:[a-z0-9]*_)?(?:id|ids|uuid|pid|tid|timestamp|time|at)$|(?:^|[._])(?:latency|duration)(?:[._](?:ms|ns|us|s|seconds))?$/i;

export function isIdOrTimeKey(key: string): boolean {
  return ID_OR_TIME.test(key);
}

export function spanContent(span: Span, isTool: boolean): SpanContent {
  const attrs = span.attributes();
  const conversation = conversationOf(span);
  const hasMessages = conversation.source !== 'none';
  const covered = (key: string): boolean =>
    ALWAYS_READ.has(key) ||
    (isTool && TOOL_KEYS.includes(key)) ||
    (key === 'gen_ai.system_instructions' && conversation.system !== undefined) ||
    (hasMessages && (MESSAGE_KEYS.includes(key) || MESSAGE_PREFIXES.some(p => key.startsWith(p))));
  const attributes = new Map<string, string>();
  for (const kv of attrs) {
    if (covered(kv.key) || isIdOrTimeKey(kv.key) || attributes.has(kv.key)) continue;
    attributes.set(kv.key, kv.value === null ? 'null' : formatAnyValue(kv.value));
  }
  const input = conversation.system === undefined ? conversation.input : [{ role: 'system', parts: [{ type: 'text', content: conversation.system }] } as ChatMessage, ...conversation.input];
  return {
    model: modelOf(span),
    usage: ownUsage(span),
    toolArguments: isTool ? toolArgumentsOf(span) : undefined,
    toolResult: isTool ? toolResultOf(span) : undefined,
    inputMessages: input.length > 0 ? chatText(input) : undefined,
    outputMessages: conversation.output.length > 0 ? chatText(conversation.output) : undefined,
    statusMessage: span.statusMessage,
    events: span.eventCount === 0 ? '' : span.details().events.map(e => `${e.name}\u0001${attributeText(e.attributes)}`).join('\u0002'),
    attributes,
  };
}

/** Messages as a person reads a chat: one "role: content" block per message; tool calls as → name(arguments). */
export function chatText(messages: readonly ChatMessage[]): string {
  return messages.map(m => `${m.role}: ${m.parts.map(partText).join('\n')}`).join('\n');
}

function partText(p: MessagePart): string {
  switch (p.type) {
    case 'text':
      return p.content;
    case 'tool_call':
      return `→ ${p.name}(${p.arguments})`;
    case 'tool_call_response':
      return `← ${p.result}`;
    default:
      return p.raw;
  }
}

function attributeText(attrs: readonly KeyValue[]): string {
  return attrs
    .filter(kv => !isIdOrTimeKey(kv.key))
    .map(kv => `${kv.key}=${kv.value === null ? 'null' : formatAnyValue(kv.value)}`)
    .sort()
    .join('\u0001');
}

export function sameUsage(a: Usage, b: Usage): boolean {
  for (const f of USAGE_FIELDS) if (a[f] !== b[f]) return false;
  return a.currency === b.currency;
}

export function sameAttributes(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
