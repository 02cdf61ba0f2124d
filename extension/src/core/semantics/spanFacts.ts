// Small readers over a span's indexed attributes, shared by the classification rules and the derived facts.
// They never decode details, so they are cheap enough to run for every span at ingest.
import type { AnyValue } from '../model/anyValue';
import type { Span } from '../model/span';

/** The indexed attribute as a string, or undefined when absent or not a string. */
export function stringAttr(span: Span, key: string): string | undefined {
  const v = span.indexedAttribute(key);
  return typeof v === 'string' ? v : undefined;
}

/** A numeric attribute (int64 or double) as a number, or undefined. Numeric strings count too: some SDKs send them. */
export function numberAttr(span: Span, key: string): number | undefined {
  return toNumber(span.indexedAttribute(key));
}

export function toNumber(v: AnyValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Whether some indexed attribute key starts with `prefix`. */
export function hasAttrWithPrefix(span: Span, prefix: string): boolean {
  for (const kv of span.indexed) if (kv.key.startsWith(prefix)) return true;
  return false;
}

/** msgtrace-sdk names its scope `msgtrace.sdk` (enabled) or `msgtrace.sdk.tracer` (behind a user's provider). */
export function isMsgtraceScope(span: Span): boolean {
  return span.scope.name.startsWith('msgtrace');
}

/** Lowercase letters and digits only: matches `My Agent`, `MyAgent`, `my_agent` and `Myagent` with each other. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The agent name of a msgflux tool library span (`Myagent Tool Library` → `Myagent`), or undefined. */
export function toolLibraryOwner(name: string): string | undefined {
  // The context rules ask for every module span and its children: names repeat, the regex need not run again.
  let owner = ownerByName.get(name);
  if (owner === undefined) {
    const m = /^(.*?)[\s_]+tool[\s_]+library$/i.exec(name);
    owner = m ? m[1]! : null;
    if (ownerByName.size >= 4096) ownerByName.clear();
    ownerByName.set(name, owner);
  }
  return owner ?? undefined;
}

const ownerByName = new Map<string, string | null>();
