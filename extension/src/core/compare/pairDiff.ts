// Everything that differs for one pair, in full (docs/compare.md, "A pair in full"): the details pane's A | B
// view and the CLI's changed spans. Decodes the pair's two spans; call it for the pairs shown, not for all.
import { type Span, StatusCode } from '../model/span';
import { errorFacts } from '../semantics/errorFacts';
import type { Usage } from '../semantics/usage';
import type { TraceStore } from '../store/traceStore';
import type { Alignment, AttributeChange, MatchKind, PairDiff, TextChange } from './comparison';
import { type SpanContent, spanContent } from './spanContent';
import { diffTexts } from './textDiff';

const NO_USAGE: Usage = Object.freeze({});

interface Side {
  readonly store: TraceStore;
  readonly row: number;
  /** Undefined for a placeholder (a parent that never arrived). */
  readonly span: Span | undefined;
  readonly content: SpanContent | undefined;
}

export function diffPair(al: Alignment, changes: Uint16Array, index: number): PairDiff {
  if (index < 0 || index >= al.count) throw new RangeError(`no pair ${index} in an alignment of ${al.count}`);
  const rowA = al.rowA[index]!;
  const rowB = al.rowB[index]!;
  const storeA = al.a.store;
  const storeB = al.b.store;
  const isTool = (rowA >= 0 && storeA.classOf(rowA) === 'tool') || (rowB >= 0 && storeB.classOf(rowB) === 'tool');
  const side = (store: TraceStore, row: number): Side | undefined => {
    if (row < 0) return undefined;
    const span = store.rows.span(row);
    return { store, row, span, content: span && spanContent(span, isTool) };
  };
  const a = side(storeA, rowA);
  const b = side(storeB, rowB);
  const first = (a ?? b)!;
  const num = (s: Side | undefined, f: (s: Side) => number) => (s === undefined || s.content === undefined ? undefined : f(s));
  const text = (f: (c: SpanContent) => string | undefined): TextChange | undefined => {
    const ta = a?.content && f(a.content);
    const tb = b?.content && f(b.content);
    if (ta === undefined && tb === undefined) return undefined;
    const d = diffTexts(ta ?? '', tb ?? '');
    return d.note === undefined ? { a: ta, b: tb, parts: d.parts } : { a: ta, b: tb, parts: d.parts, note: d.note };
  };
  return {
    index,
    changes: changes[index] ?? 0,
    match: al.match[index] as MatchKind,
    name: first.store.rows.name(first.row),
    spanClass: first.store.classOf(first.row),
    durationNanos: { a: num(a, s => s.store.rows.durationNanos(s.row)), b: num(b, s => s.store.rows.durationNanos(s.row)) },
    selfNanos: { a: num(a, s => s.store.selfTimeNanos(s.row)), b: num(b, s => s.store.selfTimeNanos(s.row)) },
    status: {
      a: a && statusWord(a.store.rows.status(a.row)),
      b: b && statusWord(b.store.rows.status(b.row)),
      messageA: a?.content?.statusMessage ?? '',
      messageB: b?.content?.statusMessage ?? '',
      exceptionA: exceptionOf(a),
      exceptionB: exceptionOf(b),
    },
    usage: { a: a?.content?.usage ?? NO_USAGE, b: b?.content?.usage ?? NO_USAGE },
    subtreeUsage: { a: a ? a.store.subtreeUsage(a.row) : NO_USAGE, b: b ? b.store.subtreeUsage(b.row) : NO_USAGE },
    model: { a: a?.content?.model, b: b?.content?.model },
    toolArguments: text(c => c.toolArguments),
    toolResult: text(c => c.toolResult),
    inputMessages: text(c => c.inputMessages),
    outputMessages: text(c => c.outputMessages),
    attributes: attributeChanges(a?.content?.attributes, b?.content?.attributes),
  };
}

export function statusWord(code: StatusCode): 'unset' | 'ok' | 'error' {
  return code === StatusCode.Error ? 'error' : code === StatusCode.Ok ? 'ok' : 'unset';
}

/** The first recorded exception as "type: message". */
function exceptionOf(s: Side | undefined): string | undefined {
  if (s?.span === undefined) return undefined;
  const e = errorFacts(s.span).exceptions[0];
  return e === undefined ? undefined : [e.type, e.message].filter(x => x !== '').join(': ');
}

/** Attributes whose value differs, A's order first, then keys only B has. */
function attributeChanges(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): AttributeChange[] {
  const out: AttributeChange[] = [];
  // A one-sided pair lists nothing here: every attribute would be "changed".
  if (a === undefined || b === undefined) return out;
  for (const [key, va] of a) if (b.get(key) !== va) out.push({ key, a: va, b: b.get(key) });
  for (const [key, vb] of b) if (!a.has(key)) out.push({ key, a: undefined, b: vb });
  return out;
}
