// The span explorer's filter: by text (span names and attribute values), span class, errors, minimum
// duration. A run shows the spans that match and their ancestors, so every match keeps its context.
import { formatAnyValue } from '../model/anyValue';
import { StatusCode } from '../model/span';
import { SpanFacts } from '../../protocol/spanFacts';
import type { SpanClass } from '../semantics/spanClass';
import type { Run } from '../store/run';
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

/** Whether one span (a store row) matches by itself. Decodes its attributes only when a text is given. */
export function matchesSpan(store: TraceStore, row: number, filter: SpanFilter): boolean {
  const r = store.rows;
  if (!r.has(row) || r.facts(row) & SpanFacts.placeholder) return false;
  if (filter.errorsOnly && r.status(row) !== StatusCode.Error) return false;
  if ((filter.minDurationMs ?? 0) > 0 && r.durationNanos(row) < filter.minDurationMs! * 1e6) return false;
  if (filter.classes?.length && !filter.classes.includes(store.classOf(row))) return false;
  if (filter.text) {
    const needle = filter.text.toLowerCase();
    if (r.name(row).toLowerCase().includes(needle)) return true;
    for (const kv of r.details(row).attributes) {
      if (kv.key.toLowerCase().includes(needle) || formatAnyValue(kv.value).toLowerCase().includes(needle)) return true;
    }
    return false;
  }
  return true;
}

/** The rows of a run to show under a filter: the matches and their ancestors. */
export function visibleRows(store: TraceStore, run: Run, filter: SpanFilter): { visible: Set<number>; matches: number } {
  const visible = new Set<number>();
  let matches = 0;
  for (const row of store.flatten(run).rows) {
    if (!matchesSpan(store, row, filter)) continue;
    matches++;
    for (let r = row; r >= 0 && !visible.has(r); r = store.parentOf(r)) visible.add(r);
  }
  return { visible, matches };
}
