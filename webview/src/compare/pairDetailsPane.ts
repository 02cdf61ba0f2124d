// The details of an aligned pair: what changed, the figures of A and B side by side with the change, the prompt
// and the output as chat text diffed A | B, the tool call's arguments and result diffed, the attributes whose
// values differ, and each side's full span details (the timeline's details pane, folded). All text as text.
import {
  MATCH_KIND_NAMES,
  type PairDetails,
  type PairDiffView,
  PairChange,
  type ValuePairView,
} from '../../../extension/src/protocol/comparisonProtocol';
import type { UsageView } from '../../../extension/src/protocol/timelineProtocol';
import { type DetailActions, DetailPane } from '../detail/detailPane';
import { el } from '../dom';
import { formatDuration } from '../timeline/timeAxis';
import { CHANGE_MARKS, changeKind, describeChange } from './comparisonModel';
import { formatDelta, formatFigure } from './summaryFormat';
import { textDiffView } from './textDiffView';

const MATCH_TEXT: Record<(typeof MATCH_KIND_NAMES)[number], string> = {
  path: 'matched by its place in the run',
  input: 'matched among concurrent siblings by its inputs',
  order: 'matched among concurrent siblings by start order',
  moved: 'matched by name after its nesting moved',
  onlyA: 'only in A: removed in B',
  onlyB: 'only in B: added',
};

export class PairDetailsPane {
  readonly element: HTMLElement;
  private readonly paneA = new DetailPane(true);
  private readonly paneB = new DetailPane(true);

  constructor() {
    this.element = el('aside', 'details pair-details', undefined, { 'aria-label': 'Details of the pair: run A and run B', tabindex: '-1' });
    this.clear();
  }

  clear(message = 'Select a row to see both runs’ spans and what changed. F7 / Shift+F7 (or ] / [) go to the next / previous change.'): void {
    this.element.replaceChildren(el('p', 'empty', message));
  }

  show(d: PairDetails, actions: DetailActions): void {
    const diff = d.diff;
    if (!diff) {
      this.clear('This pair is no longer in the comparison.');
      return;
    }
    const kind = changeKind(diff.changes);
    const header = el('div', 'detail-header');
    header.append(el('span', 'change-mark', CHANGE_MARKS[kind], { 'data-change': kind, 'aria-hidden': 'true' }), el('span', 'chip', diff.cls, { 'data-cls': diff.cls }), el('h2', 'detail-title', diff.name));
    const match = el('div', 'pair-match', MATCH_TEXT[MATCH_KIND_NAMES[diff.match] ?? 'path']);
    const what = describeChange(diff.changes & ~(PairChange.onlyA | PairChange.onlyB));
    const changed = el('div', 'pair-changes', kind === 'modified' ? `changed: ${what}` : kind === 'same' ? 'no change' : '', { 'data-change': kind });
    const sections: HTMLElement[] = [header, match, changed, figures(diff)];
    const addDiff = (title: string, change: PairDiffView['inputMessages'], chat: boolean, open: boolean) => {
      if (change) sections.push(section(title, textDiffView(title, change, chat), open));
    };
    const changedBit = (bit: number) => (diff.changes & bit) !== 0;
    addDiff('Prompt', diff.inputMessages, true, true);
    addDiff('Output', diff.outputMessages, true, true);
    addDiff('Tool arguments', diff.toolArguments, false, true);
    addDiff('Tool result', diff.toolResult, false, true);
    if (diff.attributes.length > 0) sections.push(section(`Changed attributes (${diff.attributes.length})`, attributeDiff(diff.attributes), changedBit(PairChange.attributes)));
    if (d.a) {
      this.paneA.show(d.a, actions);
      sections.push(section('Span in A (before)', this.paneA.element, d.b === undefined));
    }
    if (d.b) {
      this.paneB.show(d.b, actions);
      sections.push(section('Span in B (after)', this.paneB.element, d.a === undefined));
    }
    this.element.replaceChildren(...sections);
  }
}

function section(title: string, body: HTMLElement, open: boolean): HTMLElement {
  const d = el('details', 'section');
  d.open = open;
  d.append(el('summary', 'section-title', title), body);
  return d;
}

/** The pair's figures: A, B and the change, a row each. */
function figures(d: PairDiffView): HTMLElement {
  const table = el('table', 'pair-figures');
  const head = el('tr');
  for (const h of ['', 'A', 'B', 'change']) head.append(el('th', '', h));
  table.append(head);
  const row = (label: string, a: string, b: string, delta: string, changed: boolean) => {
    const tr = el('tr', '', undefined, { 'data-label': label });
    if (changed) tr.dataset.changed = 'true';
    tr.append(el('th', '', label), el('td', '', a), el('td', '', b), el('td', 'delta', delta));
    table.append(tr);
  };
  const time = (label: string, v: ValuePairView, bit: number) => {
    const fmt = (x: number | undefined) => (x === undefined ? '—' : formatDuration(x));
    const delta = v.a !== undefined && v.b !== undefined ? timeDelta(v.a, v.b) : '';
    row(label, fmt(v.a), fmt(v.b), delta, (d.changes & bit) !== 0);
  };
  time('duration', d.durationMs, PairChange.duration);
  time('self time', d.selfTimeMs, PairChange.selfTime);
  const status = (code: string | undefined, message: string, exception: string | undefined) =>
    code === undefined ? '—' : [code, message, exception].filter(Boolean).join(': ');
  row('status', status(d.status.a, d.status.messageA, d.status.exceptionA), status(d.status.b, d.status.messageB, d.status.exceptionB), '', (d.changes & PairChange.status) !== 0);
  if (d.model.a !== undefined || d.model.b !== undefined) row('model', d.model.a ?? '—', d.model.b ?? '—', '', (d.changes & PairChange.model) !== 0);
  const usage = (label: string, key: keyof UsageView, unit: 'tokens' | 'currency') => {
    const a = d.usage.a[key];
    const b = d.usage.b[key];
    if (typeof a !== 'number' && typeof b !== 'number') return;
    const currency = d.usage.b.currency ?? d.usage.a.currency;
    const fmt = (x: unknown) => (typeof x === 'number' ? formatFigure(x, unit, currency) : '—');
    const delta = typeof a === 'number' && typeof b === 'number' ? formatDelta(a, b, unit, currency) : undefined;
    row(label, fmt(a), fmt(b), delta ? [delta.absolute, delta.percent].filter(Boolean).join(' ') : '', (d.changes & PairChange.usage) !== 0 && a !== b);
  };
  usage('input tokens', 'inputTokens', 'tokens');
  usage('output tokens', 'outputTokens', 'tokens');
  usage('cost', 'cost', 'currency');
  return table;
}

function timeDelta(a: number, b: number): string {
  const d = formatDelta(a * 1e6, b * 1e6, 'nanoseconds');
  return [d.absolute, d.percent].filter(Boolean).join(' ');
}

function attributeDiff(attributes: PairDiffView['attributes']): HTMLElement {
  const table = el('div', 'attr-diff', undefined, { role: 'table', 'aria-label': 'Attributes whose values differ' });
  const head = el('div', 'attr-diff-row attr-diff-head', undefined, { role: 'row' });
  head.append(el('div', '', 'key', { role: 'columnheader' }), el('div', '', 'A', { role: 'columnheader' }), el('div', '', 'B', { role: 'columnheader' }));
  table.append(head);
  for (const a of attributes) {
    const row = el('div', 'attr-diff-row', undefined, { role: 'row' });
    const value = (v: string | undefined, kind: 'removed' | 'added') => {
      const cell = el('div', 'attr-diff-value', undefined, { role: 'cell' });
      cell.append(v === undefined ? el('span', 'absent', '(absent)') : el('pre', `diff-${kind}`, v));
      return cell;
    };
    row.append(el('div', 'attr-key', a.key, { role: 'cell' }), value(a.a, 'removed'), value(a.b, 'added'));
    table.append(row);
  }
  return table;
}
