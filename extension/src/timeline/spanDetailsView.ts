// One span as the details pane shows it: every value as text (the webview never interprets it), the chat view of
// model calls, the tool call, parsed exceptions and the usage of the span and of its subtree.
import { type AnyValue, type KeyValue, formatAnyValue, isKeyValueList } from '../core/model/anyValue';
import { type Span, StatusCode } from '../core/model/span';
import { formatUnixNano } from '../core/model/time';
import { errorFacts } from '../core/semantics/errorFacts';
import { conversationOf, toolArgumentsOf, toolCallIdOf, toolNameOf, toolResultOf } from '../core/semantics/genAiFacts';
import type { Usage } from '../core/semantics/usage';
import { ownUsage } from '../core/semantics/usage';
import type { TraceStore } from '../core/store/traceStore';
import type {
  AttributeView,
  ConversationView,
  SourceLocation,
  SpanDetailsView,
  ToolCallView,
  UsageView,
} from '../protocol/timelineProtocol';
import { spanKindName } from '../core/views/format';
import { SpanFacts } from '../protocol/spanFacts';

/** Attribute values longer than this are cut: the pane folds long values anyway, and a message has a size. */
export const MAX_VALUE_CHARS = 200_000;

export function attributeViews(attributes: readonly KeyValue[]): AttributeView[] {
  return attributes.map(kv => ({ key: kv.key, value: clip(formatAnyValue(kv.value)), type: typeOf(kv.value) }));
}

function clip(s: string): string {
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}… (${s.length - MAX_VALUE_CHARS} more characters)` : s;
}

function typeOf(v: AnyValue): AttributeView['type'] {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  return isKeyValueList(v) ? 'kvlist' : 'null';
}

/** Where the span says its code is (stable `code.*` names first, then the deprecated ones still widely sent). */
export function sourceOf(span: Span): SourceLocation | undefined {
  const str = (k: string) => {
    const v = span.indexedAttribute(k);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const num = (k: string) => {
    const v = span.indexedAttribute(k);
    const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const file = str('code.file.path') ?? str('code.filepath');
  if (file === undefined) return undefined;
  const line = num('code.line.number') ?? num('code.lineno') ?? 1;
  const column = num('code.column.number') ?? num('code.column');
  const fn = str('code.function.name') ?? str('code.function');
  return { file, line, ...(column !== undefined ? { column } : {}), ...(fn !== undefined ? { function: fn } : {}) };
}

export function usageView(u: Usage): UsageView {
  const out: { -readonly [K in keyof UsageView]: UsageView[K] } = {};
  if (u.inputTokens !== undefined) out.inputTokens = u.inputTokens;
  if (u.outputTokens !== undefined) out.outputTokens = u.outputTokens;
  if (u.totalTokens !== undefined) out.totalTokens = u.totalTokens;
  if (u.cacheReadTokens !== undefined) out.cacheReadTokens = u.cacheReadTokens;
  if (u.reasoningTokens !== undefined) out.reasoningTokens = u.reasoningTokens;
  if (u.cost !== undefined) out.cost = u.cost;
  if (u.currency !== undefined) out.currency = u.currency;
  return out;
}

const CONVERSATION_KEYS = [
  'gen_ai.system_instructions',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.prompt',
  'gen_ai.completion',
];
const CONVERSATION_PREFIXES = ['gen_ai.prompt.', 'gen_ai.completion.', 'llm.input_messages.', 'llm.output_messages.'];

/** The chat view of a model call, or undefined when the span holds no messages. */
export function conversationView(span: Span): ConversationView | undefined {
  const c = conversationOf(span);
  if (c.source === 'none' && c.system === undefined) return undefined;
  const raw = attributeViews(span.attributes().filter(kv => CONVERSATION_KEYS.includes(kv.key) || CONVERSATION_PREFIXES.some(p => kv.key.startsWith(p))));
  return {
    ...(c.system !== undefined ? { system: c.system } : {}),
    input: c.input,
    output: c.output,
    source: c.source,
    raw,
  };
}

function toolView(span: Span): ToolCallView | undefined {
  const name = toolNameOf(span);
  const callId = toolCallIdOf(span);
  const args = toolArgumentsOf(span);
  const result = toolResultOf(span);
  if (name === undefined && callId === undefined && args === undefined && result === undefined) return undefined;
  return {
    ...(name !== undefined ? { name } : {}),
    ...(callId !== undefined ? { callId } : {}),
    ...(args !== undefined ? { arguments: clip(args) } : {}),
    ...(result !== undefined ? { result: clip(result) } : {}),
  };
}


/** ISO 8601 with all nine fraction digits the span had. */
export function isoWithNanos(ms: number, subMsNanos: number): string {
  const iso = new Date(ms).toISOString(); // 2026-01-02T03:04:05.678Z
  const nanos = formatUnixNano(ms, subMsNanos).slice(-9);
  return `${iso.slice(0, 19)}.${nanos}Z`;
}

/** The details pane of one stored span (its row): the only span the timeline decodes whole. */
export function buildSpanDetails(store: TraceStore, row: number, key: number): SpanDetailsView {
  const span = store.rows.span(row);
  const spanId = store.rows.spanId(row);
  const common = {
    key,
    cls: store.classOf(row),
    traceId: store.rows.traceId(row),
    spanId,
    inferredParent: (store.rows.facts(row) & SpanFacts.inferredEdge) !== 0,
    subtree: store.subtreeCounts(row),
    usage: { own: span ? usageView(ownUsage(span)) : {}, subtree: usageView(store.subtreeUsage(row)) },
  };
  if (span === undefined) {
    return {
      ...common,
      name: `(missing parent ${spanId})`,
      parentSpanId: '',
      placeholder: true,
      kind: 'unspecified',
      startText: '',
      durationMs: 0,
      selfTimeMs: 0,
      status: { code: 'unset', message: 'This span has not arrived; its children name it as their parent.' },
      attributes: [],
      events: [],
      links: [],
      exceptions: [],
      resource: { attributes: [], schemaUrl: '' },
      scope: { name: '', version: '', attributes: [] },
    };
  }
  const details = span.details();
  const parent = store.parentOf(row);
  const errors = errorFacts(span);
  const source = sourceOf(span);
  const conversation = conversationView(span);
  const tool = toolView(span);
  return {
    ...common,
    name: span.name,
    parentSpanId: parent >= 0 ? store.rows.spanId(parent) : span.parentSpanId,
    placeholder: false,
    kind: spanKindName(span.kind),
    startText: isoWithNanos(span.startMs, span.startSubMsNanos),
    durationMs: span.durationNanos / 1e6,
    selfTimeMs: store.selfTimeNanos(row) / 1e6,
    status: {
      code: span.statusCode === StatusCode.Error ? 'error' : span.statusCode === StatusCode.Ok ? 'ok' : 'unset',
      message: span.statusMessage,
    },
    attributes: attributeViews(details.attributes),
    events: details.events.map(ev => ({
      name: ev.name,
      offsetMs: (ev.timeMs - span.startMs) + (ev.timeSubMsNanos - span.startSubMsNanos) / 1e6,
      attributes: attributeViews(ev.attributes),
    })),
    links: details.links.map(l => ({ traceId: l.traceId, spanId: l.spanId, attributes: attributeViews(l.attributes) })),
    exceptions: errors.exceptions.map(e => ({
      type: e.type,
      message: e.message,
      stacktrace: clip(e.stacktrace),
      frames: e.stack.frames.map(f => ({
        file: f.file,
        line: f.line,
        ...(f.column !== undefined ? { column: f.column } : {}),
        ...(f.function !== '' ? { function: f.function } : {}),
        ...(f.code !== undefined ? { code: f.code } : {}),
      })),
    })),
    resource: { attributes: attributeViews(span.resource.attributes), schemaUrl: span.resource.schemaUrl },
    scope: { name: span.scope.name, version: span.scope.version, attributes: attributeViews(span.scope.attributes) },
    ...(source ? { source } : {}),
    ...(conversation ? { conversation } : {}),
    ...(tool ? { tool } : {}),
  };
}

/** Whether the span's name, attribute keys or values contain `needle` (lower-case). Decodes details. */
export function spanMatches(span: Span, needle: string): boolean {
  if (span.name.toLowerCase().includes(needle)) return true;
  for (const kv of span.details().attributes) {
    if (kv.key.toLowerCase().includes(needle)) return true;
    if (formatAnyValue(kv.value).toLowerCase().includes(needle)) return true;
  }
  return false;
}
