// The span explorer's filter: by text (span names and attribute values), span class, errors, minimum
// duration. A run shows the spans that match and their ancestors, so every match keeps its context.
import { formatAnyValue } from '../model/anyValue';
import { StatusCode } from '../model/span';
import type { SpanClass } from '../semantics/spanClass';
import type { Run } from '../store/run';
import type { SpanNode } from '../store/spanNode';
import type { TraceStore } from '../store/traceStore';
import { formatDuration } from './format';

export interface SpanFilter {
  /** Case-insensitive text in the span name or any attribute value or key. */
  readonly text?: string;
  /** Only spans of these classes; empty or absent means all. */
  readonly classes?: readonly SpanClass[];
  readonly errorsOnly?: boolean;
  /** Only spans at least this long, in milliseconds. */
  readonly minDurationMs?: number;
}

export function isActive(filter: SpanFilter): boolean {
  return Boolean(filter.text || filter.classes?.length || filter.errorsOnly || (filter.minDurationMs ?? 0) > 0);
}

/** `text "tool" · class tool, model · errors only · ≥ 50 ms` */
export function describeFilter(filter: SpanFilter): string {
  const parts: string[] = [];
  if (filter.text) parts.push(`text "${filter.text}"`);
  if (filter.classes?.length) parts.push(`class ${filter.classes.join(', ')}`);
  if (filter.errorsOnly) parts.push('errors only');
  if ((filter.minDurationMs ?? 0) > 0) parts.push(`≥ ${formatDuration(filter.minDurationMs! * 1e6)}`);
  return parts.join(' · ');
}

/** Whether one span matches by itself. Reads attribute values only when a text is given. */
export function matchesSpan(store: TraceStore, node: SpanNode, filter: SpanFilter): boolean {
  const span = node.span;
  if (!span) return false;
  if (filter.errorsOnly && span.statusCode !== StatusCode.Error) return false;
  if ((filter.minDurationMs ?? 0) > 0 && span.durationNanos < filter.minDurationMs! * 1e6) return false;
  if (filter.classes?.length && !filter.classes.includes(store.classOf(node))) return false;
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    if (span.name.toLowerCase().includes(needle)) return true;
    for (const kv of span.attributes()) {
      if (kv.key.toLowerCase().includes(needle) || formatAnyValue(kv.value).toLowerCase().includes(needle)) return true;
    }
    return false;
  }
  return true;
}

/** The nodes of a run to show under a filter: the matches and their ancestors. */
export function visibleNodes(store: TraceStore, run: Run, filter: SpanFilter): { visible: Set<SpanNode>; matches: number } {
  const visible = new Set<SpanNode>();
  let matches = 0;
  for (const node of store.flatten(run).nodes) {
    if (!matchesSpan(store, node, filter)) continue;
    matches++;
    for (let n: SpanNode | undefined = node; n && !visible.has(n); n = n.parent) visible.add(n);
  }
  return { visible, matches };
}
