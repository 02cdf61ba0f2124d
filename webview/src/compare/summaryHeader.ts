// The run summary above a comparison: each figure of run A and run B with the change, absolute and in percent
// (more time, errors, tokens or cost is marked as worse), one column per figure so it takes four lines, and how
// many pairs matched, changed or are one-sided.
import type { ComparisonState } from '../../../extension/src/protocol/comparisonProtocol';
import { el } from '../dom';
import { formatDelta, formatFigure, thousands } from './summaryFormat';

/** Figures where more is worse; for the others (spans, calls) a change is just a change. */
const MORE_IS_WORSE = new Set(['total time', 'errors', 'input tokens', 'output tokens', 'cost']);

export function summaryHeader(s: ComparisonState): HTMLElement {
  const root = el('div', 'compare-summary');
  const summary = s.summary;
  if (!summary) return root;
  const table = el('table', 'summary-table', undefined, { 'aria-label': 'Run summary, A to B' });
  const lines = {
    head: el('tr', 'summary-head'),
    a: el('tr', 'summary-a'),
    b: el('tr', 'summary-b'),
    delta: el('tr', 'summary-delta'),
    pct: el('tr', 'summary-pct'),
  };
  lines.head.append(el('th', '', ''));
  lines.a.append(el('th', '', 'A'));
  lines.b.append(el('th', '', 'B'));
  lines.delta.append(el('th', '', 'change'));
  lines.pct.append(el('th', '', '%'));
  for (const r of summary.rows) {
    const d = formatDelta(r.a, r.b, r.unit, summary.currency);
    const trend = d.sign === 0 ? 'same' : MORE_IS_WORSE.has(r.label) ? (d.sign > 0 ? 'worse' : 'better') : 'changed';
    const cell = (text: string, className = '') => el('td', className, text, { 'data-label': r.label, 'data-trend': trend });
    lines.head.append(el('th', '', r.label, { scope: 'col' }));
    lines.a.append(cell(formatFigure(r.a, r.unit, summary.currency)));
    lines.b.append(cell(formatFigure(r.b, r.unit, summary.currency)));
    lines.delta.append(cell(d.absolute, 'delta'));
    lines.pct.append(cell(d.percent, 'delta-pct'));
  }
  table.append(lines.head, lines.a, lines.b, lines.delta, lines.pct);
  const counts = el(
    'div',
    'pair-counts',
    `${thousands(summary.matched)} matched · ${thousands(summary.changed)} of them changed · ${thousands(summary.onlyA)} only in A · ${thousands(summary.onlyB)} only in B`,
  );
  root.append(table, counts);
  return root;
}
