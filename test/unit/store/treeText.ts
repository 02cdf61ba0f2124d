// The store's tree as indented text, so tests can compare whole trees at a glance.
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import type { Run } from '../../../extension/src/core/store/run';
import type { TraceStore } from '../../../extension/src/core/store/traceStore';

export interface TreeTextOptions {
  /** Append the span's class. */
  readonly classes?: boolean;
  /** Mark inferred edges with `~`. */
  readonly inferred?: boolean;
}

export function treeText(store: TraceStore, run: Run, options: TreeTextOptions = {}): string {
  const lines: string[] = [];
  const r = store.rows;
  const visit = (row: number, depth: number) => {
    const facts = r.facts(row);
    const name = facts & SpanFacts.placeholder ? `<placeholder ${r.spanId(row)}>` : r.name(row);
    const mark = options.inferred && facts & SpanFacts.inferredEdge ? '~' : '';
    const cls = options.classes ? ` (${store.classOf(row)})` : '';
    lines.push(`${'  '.repeat(depth)}${mark}${name}${cls}`);
    for (const c of store.children(row)) visit(c, depth + 1);
  };
  for (const root of store.children(run)) visit(root, 0);
  return lines.join('\n');
}
