// Which workspace definition a span is named after. msgflux Title-Cases module names (`MyAgent` -> `My Agent`,
// `get_capital` -> `Get Capital`, `MyAgent_tool_library` -> `Myagent Tool Library`, docs/msgflux-wire.md#span-names), which loses
// case and separators, so names match on lowercase letters and digits only.
import type { Span } from '../model/span';
import { toolNameOf } from '../semantics/genAiFacts';
import type { SpanClass } from '../semantics/spanClass';
import { isMsgtraceScope, normalizeName, stringAttr, toolLibraryOwner } from '../semantics/spanFacts';
import type { SourceSymbol, SymbolKind } from './symbolScanner';

/** The lookup key of a name: `My Agent`, `MyAgent`, `my_agent` and `Myagent` share one. */
export function nameKey(name: string): string {
  return normalizeName(name);
}

export function namesMatch(a: string, b: string): boolean {
  const k = nameKey(a);
  return k !== '' && k === nameKey(b);
}

export interface NameQuery {
  /** Names to look up, best first. */
  readonly names: readonly string[];
  /** Symbol kinds in order of preference for this span. */
  readonly prefer: readonly SymbolKind[];
}

const PREFER: Record<SpanClass, readonly SymbolKind[]> = {
  // Title-Cased module names come from classes (`class Doubler(nn.Module)`) or an agent's given name.
  flow: ['class', 'agent', 'span', 'function', 'method'],
  module: ['class', 'agent', 'span', 'function', 'method'],
  agent: ['agent', 'class', 'span', 'function', 'method'],
  // msgflux wraps a plain Python function as a tool: the definition is the function.
  tool: ['function', 'method', 'span', 'class', 'agent'],
  functional: ['function', 'span', 'method', 'class', 'agent'],
  model: ['class', 'span', 'function', 'method', 'agent'],
  generic: ['span', 'function', 'method', 'class', 'agent'],
};

/**
 * What to look for when a span carries no location: msgflux spans (named after modules, tools and functions)
 * and spans that name their tool. Other spans' names are operations (`GET /users`), not definitions, so looking
 * them up would find wrong ones.
 */
export function nameQueryOf(span: Span, cls: SpanClass): NameQuery | undefined {
  const tool = toolNameOf(span);
  const msgflux = isMsgtraceScope(span) || stringAttr(span, 'span.type') !== undefined;
  if (!tool && !msgflux) return undefined;
  const names: string[] = [];
  const add = (n: string | undefined) => {
    if (n && nameKey(n) && !names.some(x => namesMatch(x, n))) names.push(n);
  };
  add(tool);
  if (msgflux) {
    add(stringAttr(span, 'module.name'));
    add(span.name);
    // `Myagent Tool Library` belongs to the agent `MyAgent`: its definition is the agent's.
    add(toolLibraryOwner(span.name));
  }
  if (!names.length) return undefined;
  return { names, prefer: tool ? PREFER.tool : PREFER[cls] };
}

/**
 * The candidates for a query, best first: by the position of the name that matched, then the kind's preference,
 * then classes that derive from something (an `nn.Module`) over bare ones, then file and line for stability.
 */
export function rankSymbols<S extends SourceSymbol & { readonly file: string }>(query: NameQuery, lookup: (name: string) => readonly S[]): S[] {
  const scored: { s: S; score: number }[] = [];
  const seen = new Set<string>();
  query.names.forEach((name, nameRank) => {
    for (const s of lookup(name)) {
      const id = `${s.file}\u0000${s.line}\u0000${s.kind}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const kindRank = query.prefer.indexOf(s.kind);
      const bare = s.kind === 'class' && !(s.bases?.length ?? 0) ? 1 : 0;
      scored.push({ s, score: nameRank * 100 + (kindRank < 0 ? 50 : kindRank) * 2 + bare });
    }
  });
  return scored
    .sort((a, b) => a.score - b.score || (a.s.file < b.s.file ? -1 : a.s.file > b.s.file ? 1 : 0) || a.s.line - b.s.line)
    .map(x => x.s);
}
