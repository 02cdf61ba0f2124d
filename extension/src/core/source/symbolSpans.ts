// Code -> spans: which spans of a run belong to a definition, and what they did. A span belongs to the
// definition named by its code.* function (in a file with the same name), else to the one its msgflux name
// comes from (nameMatching.ts). Exception frames do not count: the frame that raised is where the span failed,
// not what the span is.
import { type Span, StatusCode } from '../model/span';
import { stringAttr } from '../semantics/spanFacts';
import type { SpanClass } from '../semantics/spanClass';
import { formatCount, formatDuration } from '../views/format';
import { nameKey, nameQueryOf } from './nameMatching';
import { fileName } from './pathMapping';
import type { SourceSymbol } from './symbolScanner';

/** A span of the run, with its store row (the handle views use to show it). */
export interface RunSpan {
  readonly row: number;
  readonly span: Span | undefined;
}

interface Entry {
  readonly node: RunSpan;
  /** The code.* file's name: the span only counts for definitions in a file of that name. */
  readonly fileName?: string;
  /** The code.* namespace's last segment (`Doubler` of `demo.Doubler.forward`): a method must be in it. */
  readonly container?: string;
}

export class SymbolSpans {
  private readonly byKey = new Map<string, Entry[]>();

  /** Indexes the spans of one run; `clsOf` is the store's class of a span. */
  constructor(nodes: Iterable<RunSpan>, clsOf: (node: RunSpan) => SpanClass) {
    for (const node of nodes) {
      const span = node.span;
      if (!span) continue;
      const code = codeFunctionOf(span);
      if (code) {
        const parts = code.fn.split(/[.:]+/).filter(Boolean);
        const fn = parts[parts.length - 1];
        const container = parts[parts.length - 2];
        if (fn) this.add(fn, { node, ...(code.file && { fileName: fileName(code.file) }), ...(container && { container: nameKey(container) }) });
        continue;
      }
      const name = nameQueryOf(span, clsOf(node))?.names[0];
      if (name) this.add(name, { node });
    }
  }

  private add(name: string, entry: Entry): void {
    const key = nameKey(name);
    if (!key) return;
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    list.push(entry);
  }

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /** The spans of a definition in the file at `path`, in the order they were indexed. */
  spansOf(symbol: SourceSymbol, path: string): RunSpan[] {
    const entries = this.byKey.get(nameKey(symbol.name));
    if (!entries) return [];
    const file = fileName(path);
    return entries
      .filter(e => (e.fileName === undefined || e.fileName === file) && (e.container === undefined || (symbol.container !== undefined && nameKey(symbol.container) === e.container)))
      .map(e => e.node);
  }
}

/**
 * The code.* function (stable or deprecated form) and its file, from indexed attributes only: this runs for
 * every span of a run on each live update, so it must not decode details.
 */
function codeFunctionOf(span: Span): { fn: string; file?: string } | undefined {
  const fn = stringAttr(span, 'code.function.name');
  if (fn) return { fn, file: stringAttr(span, 'code.file.path') ?? stringAttr(span, 'code.filepath') };
  const old = stringAttr(span, 'code.function');
  if (!old) return undefined;
  const ns = stringAttr(span, 'code.namespace');
  return { fn: ns ? `${ns}.${old}` : old, file: stringAttr(span, 'code.filepath') ?? stringAttr(span, 'code.file.path') };
}

export interface SpanStats {
  readonly count: number;
  readonly errors: number;
  readonly medianNanos: number;
  readonly maxNanos: number;
  /** Total tokens; undefined when no span reported usage. */
  readonly tokens?: number;
  /** The span that started last. */
  readonly latest: RunSpan;
}

/** Stats over spans (at least one); `tokensOf` gives a node's tokens including its subtree, or undefined. */
export function spanStats(nodes: readonly RunSpan[], tokensOf: (node: RunSpan) => number | undefined): SpanStats | undefined {
  const spans = nodes.filter(n => n.span);
  if (!spans.length) return undefined;
  const durations = spans.map(n => n.span!.durationNanos).sort((a, b) => a - b);
  const mid = durations.length >> 1;
  const median = durations.length % 2 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2;
  let tokens: number | undefined;
  let latest = spans[0]!;
  let errors = 0;
  for (const n of spans) {
    if (n.span!.statusCode === StatusCode.Error) errors++;
    const t = tokensOf(n);
    if (t !== undefined) tokens = (tokens ?? 0) + t;
    const s = n.span!;
    const l = latest.span!;
    if (s.startMs > l.startMs || (s.startMs === l.startMs && s.startSubMsNanos > l.startSubMsNanos)) latest = n;
  }
  const stats = { count: spans.length, errors, medianNanos: median, maxNanos: durations[durations.length - 1]!, latest };
  return tokens === undefined ? stats : { ...stats, tokens };
}

/** One line for a CodeLens: `4 spans · median 12 µs · max 40 µs · 1 error · 120 tokens`. */
export function describeStats(stats: SpanStats): string {
  const parts =
    stats.count === 1
      ? ['1 span', formatDuration(stats.maxNanos)]
      : [`${formatCount(stats.count)} spans`, `median ${formatDuration(stats.medianNanos)}`, `max ${formatDuration(stats.maxNanos)}`];
  if (stats.errors) parts.push(`${formatCount(stats.errors)} ${stats.errors === 1 ? 'error' : 'errors'}`);
  if (stats.tokens !== undefined) parts.push(`${formatCount(stats.tokens)} tokens`);
  return parts.join(' · ');
}
