// The store's tree as indented text, so tests can compare whole trees at a glance.
import type { Run } from '../../../extension/src/core/store/run';
import type { SpanNode } from '../../../extension/src/core/store/spanNode';
import type { TraceStore } from '../../../extension/src/core/store/traceStore';

export interface TreeTextOptions {
  /** Append the span's class. */
  readonly classes?: boolean;
  /** Mark inferred edges with `~`. */
  readonly inferred?: boolean;
}

export function treeText(store: TraceStore, run: Run, options: TreeTextOptions = {}): string {
  const lines: string[] = [];
  const visit = (n: SpanNode, depth: number) => {
    const name = n.span ? n.span.name : `<placeholder ${n.spanId}>`;
    const mark = options.inferred && n.isInferredEdge ? '~' : '';
    const cls = options.classes ? ` (${store.classOf(n)})` : '';
    lines.push(`${'  '.repeat(depth)}${mark}${name}${cls}`);
    for (const c of store.children(n)) visit(c, depth + 1);
  };
  for (const r of store.children(run)) visit(r, 0);
  return lines.join('\n');
}
