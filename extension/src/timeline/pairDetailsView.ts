// One aligned pair as the comparison's details pane shows it: each side's span as the timeline's details pane
// shows it, plus what differs (core PairDiff) as plain numbers and text. Values absent on a side are left out,
// so the message is the same over postMessage and over JSON.
import type { PairDiff, TextChange, ValuePair } from '../core/compare/comparison';
import type { PairDiffView, TextChangeView, ValuePairView } from '../protocol/comparisonProtocol';
import { usageView } from './spanDetailsView';

/** Text longer than this is cut on each side of a diff: a message has a size, and nobody reads 200k characters side by side. */
export const MAX_DIFF_CHARS = 200_000;

function valuePair(v: ValuePair, scale: number): ValuePairView {
  return { ...(v.a !== undefined ? { a: v.a / scale } : {}), ...(v.b !== undefined ? { b: v.b / scale } : {}) };
}

function clip(s: string): string {
  return s.length > MAX_DIFF_CHARS ? `${s.slice(0, MAX_DIFF_CHARS)}… (${s.length - MAX_DIFF_CHARS} more characters)` : s;
}

/** The parts as they are while their total fits, then one part saying what was left out. */
export function textChangeView(t: TextChange | undefined): TextChangeView | undefined {
  if (t === undefined) return undefined;
  const parts: { kind: 'same' | 'added' | 'removed'; text: string }[] = [];
  let budget = 2 * MAX_DIFF_CHARS;
  for (const p of t.parts) {
    if (budget <= 0) {
      parts.push({ kind: 'same', text: '… (the rest of the diff is left out)' });
      break;
    }
    const text = p.text.length > budget ? `${p.text.slice(0, budget)}…` : p.text;
    budget -= text.length;
    parts.push({ kind: p.kind, text });
  }
  return { ...(t.a !== undefined ? { a: clip(t.a) } : {}), ...(t.b !== undefined ? { b: clip(t.b) } : {}), parts, ...(t.note !== undefined ? { note: t.note } : {}) };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function pairDiffView(d: PairDiff): PairDiffView {
  const s = d.status;
  return {
    changes: d.changes,
    match: d.match,
    name: d.name,
    cls: d.spanClass,
    durationMs: valuePair(d.durationNanos, 1e6),
    selfTimeMs: valuePair(d.selfNanos, 1e6),
    status: {
      ...optional('a', s.a),
      ...optional('b', s.b),
      messageA: s.messageA,
      messageB: s.messageB,
      ...optional('exceptionA', s.exceptionA),
      ...optional('exceptionB', s.exceptionB),
    },
    usage: { a: usageView(d.usage.a), b: usageView(d.usage.b) },
    model: { ...optional('a', d.model.a), ...optional('b', d.model.b) },
    ...optional('toolArguments', textChangeView(d.toolArguments)),
    ...optional('toolResult', textChangeView(d.toolResult)),
    ...optional('inputMessages', textChangeView(d.inputMessages)),
    ...optional('outputMessages', textChangeView(d.outputMessages)),
    attributes: d.attributes.map(a => ({ key: a.key, ...optional('a', a.a === undefined ? undefined : clip(a.a)), ...optional('b', a.b === undefined ? undefined : clip(a.b)) })),
  };
}
