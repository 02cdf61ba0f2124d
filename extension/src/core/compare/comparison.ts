// The shapes of a comparison of two runs (docs/compare.md): which spans of run A and run B are "the same span"
// (the alignment), what differs for each matched pair, rolled up per subtree and per run. Core: no `vscode`, no
// I/O. The timeline's comparison view, `msgtrace diff` and the host commands all read these shapes; the
// functions that compute them live beside this file (alignment.ts, changeScan.ts, pairDiff.ts, rollUp.ts,
// runSummary.ts, textDiff.ts).
import type { Run } from '../store/run';
import type { TraceStore } from '../store/traceStore';
import type { Usage } from '../semantics/usage';
import type { SpanClass } from '../semantics/spanClass';

/** One side of a comparison: a run in a store. The sides may live in different stores (the CLI loads two files). */
export interface RunSide {
  readonly store: TraceStore;
  readonly run: Run;
}

/** How a pair was matched; docs/compare.md, "Alignment", says in which order the rules apply. */
export const MatchKind = {
  /** Same chain of class + name from the root, same occurrence among same-named siblings in start order. */
  path: 0,
  /** Concurrent siblings of one name matched by their recorded inputs (tool arguments, input messages). */
  input: 1,
  /** Concurrent siblings of one name without distinguishing inputs, matched by start order. */
  order: 2,
  /** Left unmatched by its place in the tree (the inferred nesting moved it), matched by class + name + occurrence in the run. */
  moved: 3,
  /** Only in run A (removed in B). */
  onlyA: 4,
  /** Only in run B (added in B). */
  onlyB: 5,
} as const;
export type MatchKind = (typeof MatchKind)[keyof typeof MatchKind];

/**
 * The alignment of two runs: the merged tree of both, depth-first, one entry ("pair") per aligned span. Children
 * of a pair are listed in A's start order; a span only in B follows the pair of its preceding B sibling (or
 * comes first when it has none). Deterministic: the same two runs give the same alignment whatever the order
 * their spans arrived in.
 */
export interface Alignment {
  readonly a: RunSide;
  readonly b: RunSide;
  /** Number of pairs. */
  readonly count: number;
  /** Store row of the span in A, -1 when only in B. */
  readonly rowA: Int32Array;
  /** Store row of the span in B, -1 when only in A. */
  readonly rowB: Int32Array;
  /** Depth in the merged tree (0 = a top-level span of the run). */
  readonly depth: Uint16Array;
  /** Index of the parent pair, -1 at the top level. */
  readonly parent: Int32Array;
  /** MatchKind of each pair. */
  readonly match: Uint8Array;
}

/** Bits of what differs between the two spans of a pair (or that the pair is one-sided). */
export const Change = {
  onlyA: 1 << 0,
  onlyB: 1 << 1,
  /** Duration differs beyond the noise threshold (docs/compare.md, "What counts as changed"). */
  duration: 1 << 2,
  selfTime: 1 << 3,
  /** Status code differs (ok → error or back). */
  status: 1 << 4,
  /** Tokens in/out or cost differ. */
  usage: 1 << 5,
  /** Model name (request or response) differs. */
  model: 1 << 6,
  toolArguments: 1 << 7,
  toolResult: 1 << 8,
  /** Prompt (input messages) or output messages differ. */
  messages: 1 << 9,
  /** Any other attribute's value differs, or is present on one side only. */
  attributes: 1 << 10,
  /** Events differ (names, attributes, count; never their times). */
  events: 1 << 11,
} as const;

/** The bits that make a pair "changed" for the "changed only" filter and next/previous change. */
export const ANY_CHANGE = (1 << 12) - 1;

/** A number on both sides; undefined where that side has no span (or no such value). */
export interface ValuePair {
  readonly a: number | undefined;
  readonly b: number | undefined;
}

/** One piece of a text diff: text both have, text only B has, text only A has. */
export interface TextDiffPart {
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
}

/** A text value on both sides and its diff (by lines for long or multi-line text, else by words). */
export interface TextChange {
  readonly a: string | undefined;
  readonly b: string | undefined;
  readonly parts: readonly TextDiffPart[];
  /** Set when the texts were too large or too different to diff: `parts` is then one removal and one addition. */
  readonly note?: string;
}

export interface AttributeChange {
  readonly key: string;
  /** The value as text (AnyValue rendered as in the details pane), undefined when absent on that side. */
  readonly a: string | undefined;
  readonly b: string | undefined;
}

/** Everything that differs for one pair, in full: the details pane's A | B view and the CLI's changed spans. */
export interface PairDiff {
  readonly index: number;
  readonly changes: number;
  readonly match: MatchKind;
  readonly name: string;
  readonly spanClass: SpanClass;
  readonly durationNanos: ValuePair;
  readonly selfNanos: ValuePair;
  readonly status: {
    readonly a: 'unset' | 'ok' | 'error' | undefined;
    readonly b: 'unset' | 'ok' | 'error' | undefined;
    readonly messageA: string;
    readonly messageB: string;
    /** The exception (type: message) where the span recorded one. */
    readonly exceptionA: string | undefined;
    readonly exceptionB: string | undefined;
  };
  /** What each span reports itself (the `usage` change bit compares these). */
  readonly usage: { readonly a: Usage; readonly b: Usage };
  /** Usage of each span's subtree without double counting (store.subtreeUsage); diffPair always sets it. */
  readonly subtreeUsage?: { readonly a: Usage; readonly b: Usage };
  readonly model: { readonly a: string | undefined; readonly b: string | undefined };
  readonly toolArguments: TextChange | undefined;
  readonly toolResult: TextChange | undefined;
  /** The prompt and the output, each rendered as chat text ("role: content" blocks) and diffed by lines. */
  readonly inputMessages: TextChange | undefined;
  readonly outputMessages: TextChange | undefined;
  /** Other attributes whose value differs (the ones above and times are not repeated here), by key. */
  readonly attributes: readonly AttributeChange[];
}

/** Per pair: what changed in its subtree (the pair included). */
export interface RollUp {
  /** Pairs in the subtree with any change bit (one-sided pairs included). */
  readonly changedBelow: Uint32Array;
  /** OR of the change bits of the subtree. */
  readonly changesBelow: Uint16Array;
}

export interface SummaryRow {
  readonly label: 'total time' | 'spans' | 'errors' | 'input tokens' | 'output tokens' | 'cost' | 'model calls' | 'tool calls';
  readonly unit: 'nanoseconds' | 'count' | 'tokens' | 'currency';
  readonly a: number;
  readonly b: number;
}

/** The run summary: each figure A → B; plus how many pairs matched, changed, or are one-sided. */
export interface RunComparisonSummary {
  readonly rows: readonly SummaryRow[];
  readonly currency: string | undefined;
  readonly matched: number;
  readonly changed: number;
  readonly onlyA: number;
  readonly onlyB: number;
}

/** A whole comparison, as compareRuns computes it: what the views and `msgtrace diff` read. */
export interface RunComparison {
  readonly alignment: Alignment;
  /** Change bits per pair (Change.*). */
  readonly changes: Uint16Array;
  readonly rollUp: RollUp;
  readonly summary: RunComparisonSummary;
}
