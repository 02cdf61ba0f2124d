// Messages of the comparison of two runs in the timeline page (docs/compare.md): the page asks for a comparison
// of run A (before) with run B (after) and for the details of one aligned pair; the host answers with the
// aligned rows of both runs and, per pair, both spans' details with the text diffs. These commands are listed
// in TIMELINE_COMMANDS (timelineProtocol.ts) like every other, so the host checks them the same way.
//
// The aligned rows travel like a run's rows: typed columns packed into one buffer plus a table of names.
import { type MessageOf, command, notification } from './ipc';
import { integer, object } from './schema';
import type { RunSummary, SpanClassName, SpanDetailsView, UsageView } from './timelineProtocol';

/**
 * What differs in a pair, as bits. The same values as core/compare/comparison.ts `Change` (a unit test holds
 * them equal): the host passes core's bits through untouched, and the page, which may not import core, reads
 * them with these names.
 */
export const PairChange = {
  onlyA: 1 << 0,
  onlyB: 1 << 1,
  duration: 1 << 2,
  selfTime: 1 << 3,
  status: 1 << 4,
  usage: 1 << 5,
  model: 1 << 6,
  toolArguments: 1 << 7,
  toolResult: 1 << 8,
  messages: 1 << 9,
  attributes: 1 << 10,
  events: 1 << 11,
} as const;

/** Every change bit: a pair with any of them is "changed" (the filter and next/previous change). */
export const PAIR_ANY_CHANGE = (1 << 12) - 1;

/** What a person calls each change bit, in bit order. */
export const PAIR_CHANGE_NAMES: readonly (readonly [bit: number, name: string])[] = [
  [PairChange.onlyA, 'only in A'],
  [PairChange.onlyB, 'only in B'],
  [PairChange.duration, 'duration'],
  [PairChange.selfTime, 'self time'],
  [PairChange.status, 'status'],
  [PairChange.usage, 'tokens or cost'],
  [PairChange.model, 'model'],
  [PairChange.toolArguments, 'tool arguments'],
  [PairChange.toolResult, 'tool result'],
  [PairChange.messages, 'messages'],
  [PairChange.attributes, 'attributes'],
  [PairChange.events, 'events'],
];

/** core/compare MatchKind, by index (the `match` column). */
export const MATCH_KIND_NAMES = ['path', 'input', 'order', 'moved', 'onlyA', 'onlyB'] as const;

/** The aligned rows, depth-first over the merged tree of both runs: element i of each column is pair i. */
export interface ComparisonColumns {
  readonly count: number;
  readonly depth: Uint16Array;
  /** The span's key in A (stable while the comparison is shown, like a run's row keys); -1 when only in B. */
  readonly keyA: Int32Array;
  /** The span's key in B; -1 when only in A. */
  readonly keyB: Int32Array;
  /** Milliseconds from the start of the span's own run (A's from A's start, B's from B's); 0 where absent. */
  readonly startA: Float64Array;
  readonly durationA: Float64Array;
  readonly startB: Float64Array;
  readonly durationB: Float64Array;
  /** Index into SPAN_CLASS_NAMES (A's class, else B's). */
  readonly cls: Uint8Array;
  /** ROW_FACTS of each side (spanFacts.ts); 0 where absent. */
  readonly flagsA: Uint8Array;
  readonly flagsB: Uint8Array;
  /** PairChange bits of the pair. */
  readonly change: Uint16Array;
  /** Pairs with any change in the subtree, the pair included. */
  readonly changedBelow: Uint32Array;
  /** Index into MATCH_KIND_NAMES. */
  readonly match: Uint8Array;
  /** Index into `names` (A's name, else B's). */
  readonly name: Int32Array;
  readonly names: readonly string[];
}

/** ComparisonColumns as they travel: one buffer (a binary frame under `msgtrace serve`) and the names. */
export interface ComparisonRows {
  readonly count: number;
  readonly names: readonly string[];
  readonly data: ArrayBuffer | Uint8Array;
}

// The packed form: a header of 8 uint32 (format, pairs, time unit, key form, name width, depth width, 0, 0), then
// the sections below, each at a multiple of 8 bytes so typed arrays view them in place. Times go as whole
// microseconds in uint32 when all fit (runs up to 71 minutes), else as float64 milliseconds. A first build numbers
// A's spans 0..m-1 and B's m.. in pair order: then the keys are left out and one byte per pair says which sides it
// has. Name indices take 1, 2 or 4 bytes, depths 1 or 2. About 28 bytes a pair.
const COMPARISON_FORMAT = 2;
const HEADER_WORDS = 8;
const TIME_MICROS_U32 = 0;
const TIME_MS_F64 = 1;
const KEYS_IMPLICIT = 0;
const KEYS_EXPLICIT = 1;
const HAS_A = 1;
const HAS_B = 2;

type Ctor = { readonly BYTES_PER_ELEMENT: number };

interface Form {
  readonly timeFormat: number;
  readonly keyForm: number;
  readonly nameWidth: number;
  readonly depthWidth: number;
}

const nameCtor = (width: number) => (width === 1 ? Uint8Array : width === 2 ? Uint16Array : Int32Array);

// Sections: 0 header; 1-4 startA, durationA, startB, durationB; 5 keyA, 6 keyB (explicit keys) or 7 sides
// (implicit); 8 name; 9 changedBelow; 10 depth; 11 change; 12 cls; 13 flagsA; 14 flagsB; 15 match.
function layout(n: number, f: Form): { offsets: number[]; byteLength: number } {
  const time: Ctor = f.timeFormat === TIME_MS_F64 ? Float64Array : Uint32Array;
  const explicit = f.keyForm === KEYS_EXPLICIT;
  const sections: [Ctor, number][] = [
    [Uint32Array, HEADER_WORDS],
    [time, n],
    [time, n],
    [time, n],
    [time, n],
    [Int32Array, explicit ? n : 0],
    [Int32Array, explicit ? n : 0],
    [Uint8Array, explicit ? 0 : n],
    [nameCtor(f.nameWidth), n],
    [Uint32Array, n],
    [f.depthWidth === 1 ? Uint8Array : Uint16Array, n],
    [Uint16Array, n],
    [Uint8Array, n],
    [Uint8Array, n],
    [Uint8Array, n],
    [Uint8Array, n],
  ];
  const offsets: number[] = [];
  let at = 0;
  for (const [ctor, length] of sections) {
    offsets.push(at);
    at += Math.ceil((ctor.BYTES_PER_ELEMENT * length) / 8) * 8;
  }
  return { offsets, byteLength: at };
}

const TIME_COLUMNS = ['startA', 'durationA', 'startB', 'durationB'] as const;

/** Whether the keys are those of a first build: A's spans 0..m-1 then B's, in pair order. */
function implicitKeys(c: ComparisonColumns): boolean {
  let next = 0;
  for (let i = 0; i < c.count; i++) if (c.keyA[i]! >= 0 && c.keyA[i] !== next++) return false;
  for (let i = 0; i < c.count; i++) if (c.keyB[i]! >= 0 && c.keyB[i] !== next++) return false;
  return true;
}

export function packComparisonRows(c: ComparisonColumns): ComparisonRows {
  const n = c.count;
  const fits = (ms: number) => ms >= 0 && ms * 1000 < 4_294_967_295.5;
  let micros = true;
  for (const col of TIME_COLUMNS) for (let i = 0; micros && i < n; i++) micros = fits(c[col][i]!);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) if (c.depth[i]! > maxDepth) maxDepth = c.depth[i]!;
  const form: Form = {
    timeFormat: micros ? TIME_MICROS_U32 : TIME_MS_F64,
    keyForm: implicitKeys(c) ? KEYS_IMPLICIT : KEYS_EXPLICIT,
    nameWidth: c.names.length <= 0x100 ? 1 : c.names.length <= 0x10000 ? 2 : 4,
    depthWidth: maxDepth < 0x100 ? 1 : 2,
  };
  const { offsets, byteLength } = layout(n, form);
  const data = new ArrayBuffer(byteLength);
  new Uint32Array(data, 0, HEADER_WORDS).set([COMPARISON_FORMAT, n, form.timeFormat, form.keyForm, form.nameWidth, form.depthWidth, 0, 0]);
  TIME_COLUMNS.forEach((col, k) => {
    const src = c[col];
    if (!micros) {
      new Float64Array(data, offsets[1 + k]!, n).set(src);
      return;
    }
    const out = new Uint32Array(data, offsets[1 + k]!, n);
    for (let i = 0; i < n; i++) out[i] = Math.round(src[i]! * 1000);
  });
  if (form.keyForm === KEYS_EXPLICIT) {
    new Int32Array(data, offsets[5]!, n).set(c.keyA);
    new Int32Array(data, offsets[6]!, n).set(c.keyB);
  } else {
    const sides = new Uint8Array(data, offsets[7]!, n);
    for (let i = 0; i < n; i++) sides[i] = (c.keyA[i]! >= 0 ? HAS_A : 0) | (c.keyB[i]! >= 0 ? HAS_B : 0);
  }
  new (nameCtor(form.nameWidth))(data, offsets[8]!, n).set(c.name);
  new Uint32Array(data, offsets[9]!, n).set(c.changedBelow);
  new (form.depthWidth === 1 ? Uint8Array : Uint16Array)(data, offsets[10]!, n).set(c.depth);
  new Uint16Array(data, offsets[11]!, n).set(c.change);
  new Uint8Array(data, offsets[12]!, n).set(c.cls);
  new Uint8Array(data, offsets[13]!, n).set(c.flagsA);
  new Uint8Array(data, offsets[14]!, n).set(c.flagsB);
  new Uint8Array(data, offsets[15]!, n).set(c.match);
  return { count: n, names: c.names, data };
}

export function emptyComparisonColumns(): ComparisonColumns {
  return {
    count: 0,
    depth: new Uint16Array(0),
    keyA: new Int32Array(0),
    keyB: new Int32Array(0),
    startA: new Float64Array(0),
    durationA: new Float64Array(0),
    startB: new Float64Array(0),
    durationB: new Float64Array(0),
    cls: new Uint8Array(0),
    flagsA: new Uint8Array(0),
    flagsB: new Uint8Array(0),
    change: new Uint16Array(0),
    changedBelow: new Uint32Array(0),
    match: new Uint8Array(0),
    name: new Int32Array(0),
    names: [],
  };
}

/**
 * The columns of packed comparison rows, viewing the buffer in place where the types allow. Anything malformed
 * gives no rows rather than reading out of bounds.
 */
export function unpackComparisonRows(rows: ComparisonRows): ComparisonColumns {
  const raw = rows.data as unknown;
  let buffer: ArrayBuffer;
  let base = 0;
  let length: number;
  if (raw instanceof ArrayBuffer) {
    buffer = raw;
    length = raw.byteLength;
  } else if (ArrayBuffer.isView(raw) && raw.buffer instanceof ArrayBuffer) {
    if (raw.byteOffset % 8 === 0) {
      buffer = raw.buffer;
      base = raw.byteOffset;
    } else buffer = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength).slice().buffer;
    length = raw.byteLength;
  } else return emptyComparisonColumns();
  if (length < HEADER_WORDS * 4 || !Array.isArray(rows.names)) return emptyComparisonColumns();
  const [format, n, timeFormat, keyForm, nameWidth, depthWidth] = new Uint32Array(buffer, base, HEADER_WORDS);
  if (format !== COMPARISON_FORMAT || n !== rows.count || (timeFormat !== TIME_MICROS_U32 && timeFormat !== TIME_MS_F64)) return emptyComparisonColumns();
  if ((keyForm !== KEYS_IMPLICIT && keyForm !== KEYS_EXPLICIT) || (nameWidth !== 1 && nameWidth !== 2 && nameWidth !== 4) || (depthWidth !== 1 && depthWidth !== 2))
    return emptyComparisonColumns();
  const { offsets, byteLength } = layout(n, { timeFormat, keyForm, nameWidth, depthWidth });
  if (byteLength > length) return emptyComparisonColumns();
  const at = (k: number) => base + offsets[k]!;
  const times = (k: number): Float64Array => {
    if (timeFormat === TIME_MS_F64) return new Float64Array(buffer, at(k), n);
    const src = new Uint32Array(buffer, at(k), n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i]! / 1000;
    return out;
  };
  let keyA: Int32Array;
  let keyB: Int32Array;
  if (keyForm === KEYS_EXPLICIT) {
    keyA = new Int32Array(buffer, at(5), n);
    keyB = new Int32Array(buffer, at(6), n);
  } else {
    const sides = new Uint8Array(buffer, at(7), n);
    keyA = new Int32Array(n);
    keyB = new Int32Array(n);
    let next = 0;
    for (let i = 0; i < n; i++) keyA[i] = sides[i]! & HAS_A ? next++ : -1;
    for (let i = 0; i < n; i++) keyB[i] = sides[i]! & HAS_B ? next++ : -1;
  }
  const names = new (nameCtor(nameWidth))(buffer, at(8), n);
  return {
    count: n,
    startA: times(1),
    durationA: times(2),
    startB: times(3),
    durationB: times(4),
    keyA,
    keyB,
    name: names instanceof Int32Array ? names : Int32Array.from(names),
    changedBelow: new Uint32Array(buffer, at(9), n),
    depth: depthWidth === 2 ? new Uint16Array(buffer, at(10), n) : Uint16Array.from(new Uint8Array(buffer, at(10), n)),
    change: new Uint16Array(buffer, at(11), n),
    cls: new Uint8Array(buffer, at(12), n),
    flagsA: new Uint8Array(buffer, at(13), n),
    flagsB: new Uint8Array(buffer, at(14), n),
    match: new Uint8Array(buffer, at(15), n),
    names: rows.names,
  };
}

/** One run of a comparison as the header and the pickers show it. */
export interface ComparisonSideView {
  readonly runId: number;
  readonly label: string;
  /** Unix ms the side's row times are relative to. */
  readonly originMs: number;
  readonly spanCount: number;
  readonly receiving: boolean;
}

export interface ComparisonSummaryRow {
  readonly label: string;
  readonly unit: 'nanoseconds' | 'count' | 'tokens' | 'currency';
  readonly a: number;
  readonly b: number;
}

/** The run summary, each figure A → B (core RunComparisonSummary). */
export interface ComparisonSummaryView {
  readonly rows: readonly ComparisonSummaryRow[];
  readonly currency?: string;
  readonly matched: number;
  readonly changed: number;
  readonly onlyA: number;
  readonly onlyB: number;
}

/** Everything the comparison view shows, as one serializable value. */
export interface ComparisonState {
  /** "A → B" by the runs' labels. */
  readonly title: string;
  /** Why there are no rows (a run is gone, or the comparison is still being computed); '' when there are. */
  readonly message: string;
  /** The host is computing the comparison (big runs take a moment); the rows are the previous ones, if any. */
  readonly comparing: boolean;
  /** The runs the pickers offer. */
  readonly runs: readonly RunSummary[];
  /** The run ids asked for, also when one of them is gone. */
  readonly runIdA: number;
  readonly runIdB: number;
  readonly a: ComparisonSideView | undefined;
  readonly b: ComparisonSideView | undefined;
  readonly summary: ComparisonSummaryView | undefined;
  readonly rows: ComparisonRows;
  readonly canOpenSource: boolean;
}

/** One piece of a text diff: text both sides have, text only B has, text only A has. */
export interface TextDiffPartView {
  readonly kind: 'same' | 'added' | 'removed';
  readonly text: string;
}

/** A text value on both sides and its diff. */
export interface TextChangeView {
  readonly a?: string;
  readonly b?: string;
  readonly parts: readonly TextDiffPartView[];
  /** Set when the texts were too large or too different to diff: the parts are then one removal and one addition. */
  readonly note?: string;
}

export interface ValuePairView {
  readonly a?: number;
  readonly b?: number;
}

/** What differs for one pair (core PairDiff), as text and numbers the page shows as they are. */
export interface PairDiffView {
  readonly changes: number;
  /** Index into MATCH_KIND_NAMES. */
  readonly match: number;
  readonly name: string;
  readonly cls: SpanClassName;
  readonly durationMs: ValuePairView;
  readonly selfTimeMs: ValuePairView;
  readonly status: {
    readonly a?: 'unset' | 'ok' | 'error';
    readonly b?: 'unset' | 'ok' | 'error';
    readonly messageA: string;
    readonly messageB: string;
    readonly exceptionA?: string;
    readonly exceptionB?: string;
  };
  readonly usage: { readonly a: UsageView; readonly b: UsageView };
  readonly model: { readonly a?: string; readonly b?: string };
  readonly toolArguments?: TextChangeView;
  readonly toolResult?: TextChangeView;
  /** Prompt and output as chat text ("role: content" blocks), diffed by lines. */
  readonly inputMessages?: TextChangeView;
  readonly outputMessages?: TextChangeView;
  readonly attributes: readonly { readonly key: string; readonly a?: string; readonly b?: string }[];
}

/** The answer to RequestPairDetailsCommand. */
export interface PairDetails {
  readonly requestId: number;
  /** Each side's span as the timeline's details pane shows it; undefined where the pair has no span (or it is gone). */
  readonly a: SpanDetailsView | undefined;
  readonly b: SpanDetailsView | undefined;
  /** undefined when the pair is not in the comparison any more. */
  readonly diff: PairDiffView | undefined;
}

/** Run ids and request ids: counters, never negative. */
const id = integer(0);
/** A side's span key, or -1 for "this pair has no span on that side". */
const sideKey = integer(-1);

// webview -> host
/** Show the comparison of run A (before) with run B (after) instead of one run. */
export const SelectComparisonCommand = command('comparison/select', object({ runIdA: id, runIdB: id }));
/** The details of the pair whose spans have these keys (at least one of them ≥ 0). */
export const RequestPairDetailsCommand = command('pair/request', object({ requestId: id, keyA: sideKey, keyB: sideKey }));

export const COMPARISON_COMMANDS = [SelectComparisonCommand, RequestPairDetailsCommand] as const;
export type ComparisonCommand = MessageOf<(typeof COMPARISON_COMMANDS)[number]>;

// host -> webview
export const DidChangeComparisonNotification = notification<ComparisonState>()('comparison/didChange');
export const DidLoadPairDetailsNotification = notification<PairDetails>()('pair/didLoad');

export const COMPARISON_NOTIFICATIONS = [DidChangeComparisonNotification, DidLoadPairDetailsNotification] as const;
