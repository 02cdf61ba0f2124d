// Model, tool and message facts of a span across the GenAI dialects. `model`/`toolName`/`callId` read indexed
// attributes (cheap); arguments, result and messages read details, so views ask for them on selection.
import { type AnyValue, type KeyValue, findAttribute, formatAnyValue, isKeyValueList } from '../model/anyValue';
import type { Span } from '../model/span';
import { stringAttr } from './spanFacts';

/** The model that answered, else the one asked for; undefined when the span names none. */
export function modelOf(span: Span): string | undefined {
  return stringAttr(span, 'gen_ai.response.model') ?? stringAttr(span, 'gen_ai.request.model') ?? stringAttr(span, 'llm.model_name');
}

/** The provider (`openai`, `anthropic`, ...). */
export function providerOf(span: Span): string | undefined {
  return stringAttr(span, 'gen_ai.provider.name') ?? stringAttr(span, 'gen_ai.system');
}

/** The tool's name from attributes; undefined when absent (today's msgflux tool spans carry only their Title-Cased name). */
export function toolNameOf(span: Span): string | undefined {
  return stringAttr(span, 'gen_ai.tool.name') ?? stringAttr(span, 'tool.name');
}

export function toolCallIdOf(span: Span): string | undefined {
  return stringAttr(span, 'gen_ai.tool.call.id');
}

const first = (attrs: readonly KeyValue[], keys: readonly string[]): string | undefined => {
  for (const k of keys) {
    const v = findAttribute(attrs, k);
    if (v !== undefined && v !== null) return formatAnyValue(v);
  }
  return undefined;
};

/** Tool call arguments as sent (usually JSON text). */
export function toolArgumentsOf(span: Span): string | undefined {
  return first(span.attributes(), ['gen_ai.tool.call.arguments', 'input.value', 'traceloop.entity.input']);
}

/** Tool result as sent. */
export function toolResultOf(span: Span): string | undefined {
  return first(span.attributes(), ['gen_ai.tool.call.result', 'gen_ai.tool.response', 'output.value', 'traceloop.entity.output']);
}

export type MessagePart =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'tool_call'; readonly id?: string; readonly name: string; readonly arguments: string }
  | { readonly type: 'tool_call_response'; readonly id?: string; readonly result: string }
  | { readonly type: 'other'; readonly raw: string };

export interface ChatMessage {
  readonly role: string;
  readonly parts: readonly MessagePart[];
}

export interface Conversation {
  readonly system?: string;
  readonly input: readonly ChatMessage[];
  readonly output: readonly ChatMessage[];
  /** Which attribute form they came from, for the raw-JSON toggle. */
  readonly source: 'gen_ai.messages' | 'gen_ai.prompt' | 'openllmetry' | 'openinference' | 'none';
}

/** The messages of a model call in any of the forms docs/otlp.md#message-content lists; empty lists when there are none. */
export function conversationOf(span: Span): Conversation {
  const attrs = span.attributes();
  const system = first(attrs, ['gen_ai.system_instructions']);
  const withSystem = (c: Conversation): Conversation => (system === undefined ? c : { ...c, system });
  const inMsgs = findAttribute(attrs, 'gen_ai.input.messages');
  const outMsgs = findAttribute(attrs, 'gen_ai.output.messages');
  if (inMsgs !== undefined || outMsgs !== undefined) {
    return withSystem({ input: parseSemconvMessages(inMsgs), output: parseSemconvMessages(outMsgs), source: 'gen_ai.messages' });
  }
  const indexedForm = (prefix: string, role: string, content: string) => collectIndexed(attrs, prefix, role, content);
  const llPrompt = indexedForm('gen_ai.prompt.', 'role', 'content');
  const llCompletion = indexedForm('gen_ai.completion.', 'role', 'content');
  if (llPrompt.length > 0 || llCompletion.length > 0) return withSystem({ input: llPrompt, output: llCompletion, source: 'openllmetry' });
  const oiIn = indexedForm('llm.input_messages.', 'message.role', 'message.content');
  const oiOut = indexedForm('llm.output_messages.', 'message.role', 'message.content');
  if (oiIn.length > 0 || oiOut.length > 0) return withSystem({ input: oiIn, output: oiOut, source: 'openinference' });
  const prompt = findAttribute(attrs, 'gen_ai.prompt');
  const completion = findAttribute(attrs, 'gen_ai.completion');
  if (prompt !== undefined || completion !== undefined) {
    return withSystem({ input: parseLooseMessages(prompt, 'user'), output: parseLooseMessages(completion, 'assistant'), source: 'gen_ai.prompt' });
  }
  return withSystem({ input: [], output: [], source: 'none' });
}

function parseJson(v: AnyValue | undefined): unknown {
  if (typeof v !== 'string') return v === undefined ? undefined : anyToJs(v);
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

function anyToJs(v: AnyValue): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? Number(v) : v;
  if (v instanceof Uint8Array) return formatAnyValue(v);
  if (Array.isArray(v)) return (v as readonly AnyValue[]).map(anyToJs);
  if (isKeyValueList(v)) return Object.fromEntries(v.kvlist.map(kv => [kv.key, anyToJs(kv.value)]));
  return undefined;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

function parseSemconvMessages(v: AnyValue | undefined): ChatMessage[] {
  const parsed = parseJson(v);
  if (!Array.isArray(parsed)) return typeof v === 'string' ? [{ role: 'unknown', parts: [{ type: 'text', content: v }] }] : [];
  return parsed.map((m: unknown): ChatMessage => {
    const msg = (m ?? {}) as { role?: unknown; parts?: unknown; content?: unknown };
    const role = typeof msg.role === 'string' ? msg.role : 'unknown';
    if (!Array.isArray(msg.parts)) return { role, parts: [{ type: 'text', content: text(msg.content) }] };
    return { role, parts: msg.parts.map(partOf) };
  });
}

function partOf(p: unknown): MessagePart {
  const part = (p ?? {}) as Record<string, unknown>;
  switch (part.type) {
    case 'text':
      return { type: 'text', content: text(part.content) };
    case 'tool_call': {
      const call: MessagePart = { type: 'tool_call', name: text(part.name), arguments: text(part.arguments) };
      return typeof part.id === 'string' ? { ...call, id: part.id } : call;
    }
    case 'tool_call_response': {
      const res: MessagePart = { type: 'tool_call_response', result: text(part.response ?? part.result) };
      return typeof part.id === 'string' ? { ...res, id: part.id } : res;
    }
    default:
      return { type: 'other', raw: JSON.stringify(p) };
  }
}

/** `gen_ai.prompt` as JSON message list ({role, content}) or plain text. */
function parseLooseMessages(v: AnyValue | undefined, defaultRole: string): ChatMessage[] {
  if (v === undefined || v === null) return [];
  const parsed = parseJson(v);
  if (Array.isArray(parsed)) {
    return parsed.map((m: unknown) => {
      const msg = (m ?? {}) as { role?: unknown; content?: unknown };
      return { role: typeof msg.role === 'string' ? msg.role : defaultRole, parts: [{ type: 'text', content: text(msg.content) }] };
    });
  }
  return [{ role: defaultRole, parts: [{ type: 'text', content: formatAnyValue(v) }] }];
}

/** `<prefix><N>.<role>` / `<prefix><N>.<content>` attribute families, N from 0, in index order. */
function collectIndexed(attrs: readonly KeyValue[], prefix: string, roleKey: string, contentKey: string): ChatMessage[] {
  const byIndex = new Map<number, { role?: string; content?: string; calls: { name?: string; arguments?: string; id?: string }[] }>();
  for (const kv of attrs) {
    if (!kv.key.startsWith(prefix)) continue;
    const rest = kv.key.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    const n = Number(rest.slice(0, dot));
    if (!Number.isInteger(n)) continue;
    const field = rest.slice(dot + 1);
    const entry = byIndex.get(n) ?? { calls: [] };
    byIndex.set(n, entry);
    const value = kv.value === null ? '' : formatAnyValue(kv.value);
    if (field === roleKey) entry.role = value;
    else if (field === contentKey) entry.content = value;
    else {
      // OpenLLMetry `tool_calls.K.name|arguments|id`, OpenInference `message.tool_calls.K.tool_call.function.name|arguments`.
      const m = /tool_calls\.(\d+)\.(?:tool_call\.)?(?:function\.)?(name|arguments|id)$/.exec(field);
      if (m) {
        const k = Number(m[1]);
        const call = (entry.calls[k] ??= {});
        call[m[2] as 'name' | 'arguments' | 'id'] = value;
      }
    }
  }
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, e]) => {
      const parts: MessagePart[] = [];
      if (e.content !== undefined) parts.push({ type: 'text', content: e.content });
      for (const c of e.calls) {
        if (!c) continue;
        const call: MessagePart = { type: 'tool_call', name: c.name ?? '', arguments: c.arguments ?? '' };
        parts.push(c.id !== undefined ? { ...call, id: c.id } : call);
      }
      return { role: e.role ?? 'unknown', parts };
    });
}
