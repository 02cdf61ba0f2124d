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
  /** The class, or undefined when the rule does not apply. */
  readonly match: (span: Span) => SpanClass | undefined;
}

/** The slice of a tree node the context rules read; the store's SpanNode has this shape. */
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

const lookup =
  (key: string, table: Record<string, SpanClass>, fallback?: SpanClass) =>
  (span: Span): SpanClass | undefined => {
    const v = stringAttr(span, key);
    if (v === undefined) return undefined;
    return table[v.toLowerCase()] ?? fallback;
  };

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
  {
    id: 'openinference.span.kind',
    dialect: 'openinference',
    match: lookup(
      'openinference.span.kind',
      { llm: 'model', embedding: 'model', reranker: 'model', tool: 'tool', retriever: 'tool', agent: 'agent', chain: 'module', guardrail: 'module', evaluator: 'module', prompt: 'module' },
      'generic',
    ),
  },
  {
    id: 'traceloop.span.kind',
    dialect: 'openllmetry',
    match: lookup('traceloop.span.kind', { workflow: 'flow', task: 'module', agent: 'agent', tool: 'tool' }, 'generic'),
  },
  { id: 'gen_ai.operation.name', dialect: msgfluxOr('gen_ai'), match: lookup('gen_ai.operation.name', MODEL_OPERATIONS) },
  { id: 'msgflux.functional.*', dialect: 'msgflux', match: s => (hasAttrWithPrefix(s, 'msgflux.functional.') ? 'functional' : undefined) },
  {
    id: 'module.type',
    dialect: 'msgflux',
    match: lookup('module.type', { agent: 'agent', localtool: 'tool', mcptool: 'tool', tool: 'tool', llm: 'model' }, 'module'),
  },
  { id: 'gen_ai.tool.name', dialect: msgfluxOr('gen_ai'), match: s => (stringAttr(s, 'gen_ai.tool.name') !== undefined ? 'tool' : undefined) },
  { id: 'gen_ai.agent.name', dialect: msgfluxOr('gen_ai'), match: s => (stringAttr(s, 'gen_ai.agent.name') !== undefined ? 'agent' : undefined) },
  { id: 'llm.request.type', dialect: 'openllmetry', match: s => (stringAttr(s, 'llm.request.type') !== undefined ? 'model' : undefined) },
  {
    // OpenLLMetry's provider spans (`openai.chat`) and older GenAI senders: a provider and a model, no operation.
    id: 'gen_ai.system+model',
    dialect: 'openllmetry',
    match: s =>
      (stringAttr(s, 'gen_ai.system') ?? stringAttr(s, 'gen_ai.provider.name')) !== undefined &&
      (stringAttr(s, 'gen_ai.request.model') ?? stringAttr(s, 'gen_ai.response.model')) !== undefined
        ? 'model'
        : undefined,
  },
  { id: 'llm.model_name', dialect: 'openinference', match: s => (stringAttr(s, 'llm.model_name') !== undefined ? 'model' : undefined) },
  { id: 'msgflux.functional-name', dialect: 'msgflux', match: s => (isMsgtraceScope(s) && parseFunctionalOp(s.name) ? 'functional' : undefined) },
  {
    // msgflux wraps every chat model in a Generator module; in the flat generation it is the only model span.
    id: 'msgflux.generator',
    dialect: 'msgflux',
    match: s => (isMsgtraceScope(s) && s.name === 'Generator' && stringAttr(s, 'span.type') !== undefined ? 'model' : undefined),
  },
  { id: 'msgflux.tool-library', dialect: 'msgflux', match: s => (isMsgtraceScope(s) && toolLibraryOwner(s.name) !== undefined ? 'module' : undefined) },
  { id: 'span.type', dialect: 'msgflux', match: lookup('span.type', { flow: 'flow', module: 'module' }) },
];

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
