// The run summary (docs/compare.md, "Summary"): each run's total time, spans, errors, tokens, cost, model calls
// and tool calls, A → B, and how many pairs matched, changed or are one-sided. Usage is the store's run total
// (store.subtreeUsage: a span's own figure counts once, not again in its parents); counts are the runs' own.
import type { TraceStore } from '../store/traceStore';
import type { Run } from '../store/run';
import { alignmentTrees } from './alignment';
import { ANY_CHANGE, type Alignment, MatchKind, type RunComparisonSummary, type SummaryRow } from './comparison';
import { FUNCTIONAL_CLASS, type RunTree, classIndexOf } from './runTree';
import { toolLibraryOwner } from '../semantics/spanFacts';
import type { Usage } from '../semantics/usage';
import { STEP, type SliceOptions, type Steps, runAtOnce, runInSlices } from './steps';

export function summarize(al: Alignment, changes: Uint16Array): RunComparisonSummary {
  return runAtOnce(summarySteps(al, changes));
}

export function summarizeSliced(al: Alignment, changes: Uint16Array, options?: SliceOptions): Promise<RunComparisonSummary | undefined> {
  return runInSlices(summarySteps(al, changes), options);
}

interface RunFigures {
  readonly durationNanos: number;
  readonly spans: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cost: number;
  readonly currency: string | undefined;
  readonly modelCalls: number;
  readonly toolCalls: number;
}

export function* summarySteps(al: Alignment, changes: Uint16Array): Steps<RunComparisonSummary> {
  const trees = alignmentTrees(al);
  const a = yield* figures(al.a.store, al.a.run, trees.a);
  const b = yield* figures(al.b.store, al.b.run, trees.b);
  let matched = 0;
  let changed = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let p = 0; p < al.count; p++) {
    const m = al.match[p];
    if (m === MatchKind.onlyA) onlyA++;
    else if (m === MatchKind.onlyB) onlyB++;
    else {
      matched++;
      if (changes[p]! & ANY_CHANGE) changed++;
    }
  }
  const row = (label: SummaryRow['label'], unit: SummaryRow['unit'], f: (x: RunFigures) => number): SummaryRow => ({ label, unit, a: f(a), b: f(b) });
  return {
    rows: [
      row('total time', 'nanoseconds', x => x.durationNanos),
      row('spans', 'count', x => x.spans),
      row('errors', 'count', x => x.errors),
      row('input tokens', 'tokens', x => x.inputTokens),
      row('output tokens', 'tokens', x => x.outputTokens),
      row('cost', 'currency', x => x.cost),
      row('model calls', 'count', x => x.modelCalls),
      row('tool calls', 'count', x => x.toolCalls),
    ],
    currency: a.currency ?? b.currency,
    matched,
    changed,
    onlyA,
    onlyB,
  };
}

const MODEL = classIndexOf('model');
const TOOL = classIndexOf('tool');
const FLOW = classIndexOf('flow');
const MODULE = classIndexOf('module');

/** One run's figures; tokens and cost are 0 when the run reports none. */
function* figures(store: TraceStore, run: Run, tree: RunTree): Steps<RunFigures> {
  let modelCalls = 0;
  let toolCalls = 0;
  for (let i = 0; i < tree.n; i++) {
    if ((i & (STEP - 1)) === STEP - 1) yield;
    const cls = tree.classIndex[i];
    if (cls === MODEL) modelCalls++;
    else if (cls === TOOL) toolCalls++;
    // The context rules (semantics/classification.ts) make no model call, and make a tool only of a msgflux
    // module span under a tool library, or under a fan-out op under one: only those are asked for their class.
    else if ((cls === FLOW || cls === MODULE) && underToolLibrary(store, tree, i) && store.classOf(tree.rows[i]!) === 'tool') toolCalls++;
  }
  // Without a span that reports usage, the run's total is empty: no pass over the run for it.
  const usage: Usage = tree.hasUsage ? store.subtreeUsage(run) : {};
  yield;
  return {
    durationNanos: run.durationNanos,
    spans: run.spanCount,
    errors: run.errorCount,
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cost: usage.cost ?? 0,
    currency: usage.currency,
    modelCalls,
    toolCalls,
  };
}

/** Whether the span's parent, or its fan-out parent's parent, is named like a tool library (`<Name> Tool Library`). */
function underToolLibrary(store: TraceStore, tree: RunTree, i: number): boolean {
  const library = (j: number) => j !== tree.n && toolLibraryOwner(store.rows.name(tree.rows[j]!)) !== undefined;
  const p = tree.parent[i]!;
  if (p === tree.n) return false;
  return library(p) || (tree.classIndex[p] === FUNCTIONAL_CLASS && library(tree.parent[p]!));
}
