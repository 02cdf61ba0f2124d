// Span classification as two tables of rules, first match wins. The intrinsic table reads one span's own
// name, scope and indexed attributes and runs at ingest; the context table runs when a view asks, because
// today's msgflux (docs/msgflux-wire.md#flat-traces) only says "agent" or "tool" through the shape of the (inferred) tree around a
// span: an agent owns a `<Name> Tool Library`, a tool runs under that library's gather op.
import { type Span, SpanKind } from '../model/span';
import { type FunctionalOp, type SpanClass, type SpanDialect, parseFunctionalOp } from './spanClass';
import { hasAttrWithPrefix, isMsgtraceScope, normalizeName, stringAttr, toolLibraryOwner } from './spanFacts';

export interface Classification {
  readonly cls: SpanClass;
  readonly dialect: SpanDialect;
  /** The id of the rule that decided, for tooltips and tests. */
  readonly rule: string;
  /** Set when cls is 'functional'. */
  readonly functional?: FunctionalOp;
}

export interface IntrinsicRule {
  readonly id: string;
  readonly dialect: SpanDialect | ((span: Span) => SpanDialect);
  /**
   * Every indexed attribute key `match` reads, and every key prefix it looks for. The ingest classifies a span
   * from the attributes these name and nothing else (semantics/ingestFacts.ts, CLASS_ATTRIBUTE_KEYS): a key a
   * rule reads without naming it here is one the rule never sees at ingest (test/unit/semantics/classFacts.test.ts
   * runs every rule and fails on one).
   */
  readonly keys: readonly string[];
  readonly prefixes: readonly string[];
  /** The class, or undefined when the rule does not apply. Reads only the span's name, scope name and `keys`. */
  readonly match: (span: Span) => SpanClass | undefined;
}

/** The readers a rule's match gets: typed to the keys and prefixes the rule declares, so it cannot read others. */
type AttrReader<K extends string> = (span: Span, key: K) => string | undefined;
type PrefixReader<P extends string> = (span: Span, prefix: P) => boolean;

/** An intrinsic rule whose `match` can only read the attribute keys and prefixes it names. */
function rule<const K extends string = never, const P extends string = never>(r: {
  readonly id: string;
  readonly dialect: IntrinsicRule['dialect'];
  readonly keys?: readonly K[];
  readonly prefixes?: readonly P[];
  readonly match: (span: Span, attr: AttrReader<K>, hasPrefix: PrefixReader<P>) => SpanClass | undefined;
}): IntrinsicRule {
  const match = r.match;
  return { id: r.id, dialect: r.dialect, keys: r.keys ?? [], prefixes: r.prefixes ?? [], match: span => match(span, stringAttr, hasAttrWithPrefix) };
}

/** The slice of a tree node the context rules read; the store makes one adapter per row it visits (core/store/rowClassification.ts). */
export interface ClassifiableNode {
  readonly span: Span | undefined;
  readonly parent: ClassifiableNode | undefined;
  readonly children: readonly ClassifiableNode[] | undefined;
}

export interface ContextRule {
  readonly id: string;
  /** Given the node, its span and its intrinsic class, the refined class or undefined. */
  readonly match: (node: ClassifiableNode, span: Span, intrinsic: SpanClass, clsOf: (n: ClassifiableNode) => SpanClass) => SpanClass | undefined;
}

/** A rule that looks the string value of `key` up in `table` (lowercased), `fallback` for another value. */
const lookup = (id: string, dialect: IntrinsicRule['dialect'], key: string, table: Record<string, SpanClass>, fallback?: SpanClass): IntrinsicRule =>
  rule({
    id,
    dialect,
    keys: [key],
    match: (span, attr) => {
      const v = attr(span, key);
      if (v === undefined) return undefined;
      return table[v.toLowerCase()] ?? fallback;
    },
  });

const msgfluxOr = (other: SpanDialect) => (span: Span): SpanDialect => (isMsgtraceScope(span) ? 'msgflux' : other);

const MODEL_OPERATIONS: Record<string, SpanClass> = {
  chat: 'model',
  text_completion: 'model',
  completion: 'model',
  generate_content: 'model',
  embeddings: 'model',
  embedding: 'model',
  rerank: 'model',
  execute_tool: 'tool',
  tool: 'tool',
  retrieval: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  agent: 'agent',
  invoke_workflow: 'flow',
  workflow: 'flow',
};

/** Ordered: specific dialect markers first, then GenAI attributes, then msgflux names, then span.type. */
export const INTRINSIC_RULES: readonly IntrinsicRule[] = [
  lookup(
    'openinference.span.kind',
    'openinference',
    'openinference.span.kind',
    { llm: 'model', embedding: 'model', reranker: 'model', tool: 'tool', retriever: 'tool', agent: 'agent', chain: 'module', guardrail: 'module', evaluator: 'module', prompt: 'module' },
    'generic',
  ),
  lookup('traceloop.span.kind', 'openllmetry', 'traceloop.span.kind', { workflow: 'flow', task: 'module', agent: 'agent', tool: 'tool' }, 'generic'),
  lookup('gen_ai.operation.name', msgfluxOr('gen_ai'), 'gen_ai.operation.name', MODEL_OPERATIONS),
  rule({
    id: 'msgflux.functional.*',
    dialect: 'msgflux',
    prefixes: ['msgflux.functional.'],
    match: (s, _attr, hasPrefix) => (hasPrefix(s, 'msgflux.functional.') ? 'functional' : undefined),
  }),
  lookup('module.type', 'msgflux', 'module.type', { agent: 'agent', localtool: 'tool', mcptool: 'tool', tool: 'tool', llm: 'model' }, 'module'),
  rule({ id: 'gen_ai.tool.name', dialect: msgfluxOr('gen_ai'), keys: ['gen_ai.tool.name'], match: (s, attr) => (attr(s, 'gen_ai.tool.name') !== undefined ? 'tool' : undefined) }),
  rule({ id: 'gen_ai.agent.name', dialect: msgfluxOr('gen_ai'), keys: ['gen_ai.agent.name'], match: (s, attr) => (attr(s, 'gen_ai.agent.name') !== undefined ? 'agent' : undefined) }),
  rule({ id: 'llm.request.type', dialect: 'openllmetry', keys: ['llm.request.type'], match: (s, attr) => (attr(s, 'llm.request.type') !== undefined ? 'model' : undefined) }),
  rule({
    // OpenLLMetry's provider spans (`openai.chat`) and older GenAI senders: a provider and a model, no operation.
    id: 'gen_ai.system+model',
    dialect: 'openllmetry',
    keys: ['gen_ai.system', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.response.model'],
    match: (s, attr) =>
      (attr(s, 'gen_ai.system') ?? attr(s, 'gen_ai.provider.name')) !== undefined &&
      (attr(s, 'gen_ai.request.model') ?? attr(s, 'gen_ai.response.model')) !== undefined
        ? 'model'
        : undefined,
  }),
  rule({ id: 'llm.model_name', dialect: 'openinference', keys: ['llm.model_name'], match: (s, attr) => (attr(s, 'llm.model_name') !== undefined ? 'model' : undefined) }),
  rule({ id: 'msgflux.functional-name', dialect: 'msgflux', match: s => (isMsgtraceScope(s) && parseFunctionalOp(s.name) ? 'functional' : undefined) }),
  rule({
    // msgflux wraps every chat model in a Generator module; in the flat generation it is the only model span.
    id: 'msgflux.generator',
    dialect: 'msgflux',
    keys: ['span.type'],
    match: (s, attr) => (isMsgtraceScope(s) && s.name === 'Generator' && attr(s, 'span.type') !== undefined ? 'model' : undefined),
  }),
  rule({ id: 'msgflux.tool-library', dialect: 'msgflux', match: s => (isMsgtraceScope(s) && toolLibraryOwner(s.name) !== undefined ? 'module' : undefined) }),
  lookup('span.type', 'msgflux', 'span.type', { flow: 'flow', module: 'module' }),
];

/**
 * Every attribute key an intrinsic rule reads, and every key prefix one looks for: what can change a span's
 * class on its own. The ingest's fast path (semantics/ingestFacts.ts, otlp/indexedKeys.ts) derives from these.
 */
export const CLASS_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(INTRINSIC_RULES.flatMap(r => r.keys));
export const CLASS_ATTRIBUTE_PREFIXES: readonly string[] = [...new Set(INTRINSIC_RULES.flatMap(r => r.prefixes))];

const GENERIC: Classification = { cls: 'generic', dialect: 'generic', rule: 'generic' };

/** The class a span has on its own. */
export function classifySpan(span: Span): Classification {
  for (const rule of INTRINSIC_RULES) {
    const cls = rule.match(span);
    if (cls === undefined) continue;
    const dialect = typeof rule.dialect === 'function' ? rule.dialect(span) : rule.dialect;
    if (cls === 'functional') {
      const functional = parseFunctionalOp(span.name) ?? { op: span.name, async: false, msg: false };
      return { cls, dialect, rule: rule.id, functional };
    }
    return { cls, dialect, rule: rule.id };
  }
  return isMsgtraceScope(span) ? { cls: 'generic', dialect: 'msgflux', rule: 'generic' } : GENERIC;
}

// msgflux module spans (either generation) are the only ones the context rules refine.
const isMsgfluxModule = (span: Span, cls: SpanClass) => (cls === 'flow' || cls === 'module') && (isMsgtraceScope(span) || stringAttr(span, 'span.type') !== undefined);
const isToolLibrary = (n: ClassifiableNode | undefined) => n?.span !== undefined && isMsgtraceScope(n.span) && toolLibraryOwner(n.span.name) !== undefined;
const isGenerator = (n: ClassifiableNode, clsOf: (n: ClassifiableNode) => SpanClass) => n.span !== undefined && n.span.name === 'Generator' && isMsgtraceScope(n.span) && clsOf(n) === 'model';

/** Ordered like INTRINSIC_RULES. Only msgflux module spans are refined: other dialects say what they are. */
export const CONTEXT_RULES: readonly ContextRule[] = [
  {
    // Get Capital under `scatter_gather` under `Myagent Tool Library` (or straight under the library).
    id: 'msgflux.tool-under-library',
    match: (node, span, cls, clsOf) => {
      if (!isMsgfluxModule(span, cls)) return undefined;
      const p = node.parent;
      if (isToolLibrary(p)) return 'tool';
      if (p && clsOf(p) === 'functional' && isToolLibrary(p.parent)) return 'tool';
      return undefined;
    },
  },
  {
    // My Agent owns `Myagent Tool Library` (Title-Casing lowercased the inner capital, so compare normalized).
    id: 'msgflux.agent-owns-library',
    match: (node, span, cls) => {
      if (!isMsgfluxModule(span, cls) || !node.children) return undefined;
      const own = normalizeName(span.name);
      for (const child of node.children) {
        if (child.parent !== node) continue; // a stale entry the store has not swept yet
        const owner = child.span && isMsgtraceScope(child.span) ? toolLibraryOwner(child.span.name) : undefined;
        if (owner !== undefined && normalizeName(owner) === own) return 'agent';
      }
      return undefined;
    },
  },
  {
    // An agent without tools: a module whose model turns (Generator) run directly under it.
    id: 'msgflux.agent-drives-generator',
    match: (node, span, cls, clsOf) => {
      if (!isMsgfluxModule(span, cls) || !node.children) return undefined;
      for (const child of node.children) if (child.parent === node && isGenerator(child, clsOf)) return 'agent';
      return undefined;
    },
  },
  {
    // Today's msgflux marks every module call `span.type=flow`; only a top-level one is the flow.
    id: 'msgflux.nested-flow-is-module',
    match: (node, span, cls) => (cls === 'flow' && node.parent !== undefined && stringAttr(span, 'span.type') === 'flow' && span.kind === SpanKind.Server ? 'module' : undefined),
  },
];

const intrinsicClassOf = (n: ClassifiableNode): SpanClass => (n.span ? classifySpan(n.span).cls : 'generic');

/**
 * The class of a node in its tree: the intrinsic class, refined by the context rules. `clsOf` gives the
 * intrinsic class of neighbours (the store passes its cached one).
 */
export function classifyInContext(node: ClassifiableNode, clsOf: (n: ClassifiableNode) => SpanClass = intrinsicClassOf): Classification {
  if (!node.span) return GENERIC;
  const intrinsic = classifySpan(node.span);
  const hit = contextRuleFor(node, node.span, intrinsic.cls, clsOf);
  return hit ? { cls: hit.cls, dialect: intrinsic.dialect, rule: hit.rule.id } : intrinsic;
}

/** Only the class, for filters and icons: no allocation. */
export function refineClass(node: ClassifiableNode, intrinsic: SpanClass, clsOf: (n: ClassifiableNode) => SpanClass = intrinsicClassOf): SpanClass {
  if (!node.span) return intrinsic;
  return contextRuleFor(node, node.span, intrinsic, clsOf)?.cls ?? intrinsic;
}

function contextRuleFor(node: ClassifiableNode, span: Span, intrinsic: SpanClass, clsOf: (n: ClassifiableNode) => SpanClass): { rule: ContextRule; cls: SpanClass } | undefined {
  for (const rule of CONTEXT_RULES) {
    const cls = rule.match(node, span, intrinsic, clsOf);
    if (cls !== undefined) return { rule, cls };
  }
  return undefined;
}
