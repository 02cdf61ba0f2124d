// The details of the selected span, in folding sections: summary and actions, usage, the chat view of a model
// call, the tool call, exceptions with clickable frames, attributes, events, links, resource and scope.
import type { SourceLocation, SpanDetailsView, UsageView } from '../../../extension/src/protocol/timelineProtocol';
import { button, el } from '../dom';
import { formatDuration } from '../timeline/timeAxis';
import { attributeTable, foldedValue } from './attributeTable';
import { chatView, prettyJson } from './chatView';

export interface DetailActions {
  openSource(location: SourceLocation): void;
  reveal(key: number): void;
  copy(text: string): void;
  readonly canOpenSource: boolean;
}

export class DetailPane {
  readonly element: HTMLElement;

  /** `nested`: the pane of one side inside the comparison's pair details, not the page's side pane. */
  constructor(nested = false) {
    this.element = nested ? el('div', 'span-details') : el('aside', 'details', undefined, { 'aria-label': 'Span details', tabindex: '-1' });
    this.clear();
  }

  clear(message = 'Select a span to see its details.'): void {
    this.element.replaceChildren(el('p', 'empty', message));
  }

  show(d: SpanDetailsView, actions: DetailActions): void {
    const header = el('div', 'detail-header');
    const title = el('h2', 'detail-title', d.name);
    const chip = el('span', 'chip', d.cls, { 'data-cls': d.cls });
    header.append(chip, title);
    const facts = el('div', 'facts');
    const fact = (label: string, value: string, className = '') => {
      const f = el('div', `fact ${className}`);
      f.append(el('span', 'fact-label', label), el('span', 'fact-value', value));
      facts.append(f);
    };
    fact('duration', formatDuration(d.durationMs));
    fact('self time', formatDuration(d.selfTimeMs));
    fact('status', d.status.message ? `${d.status.code}: ${d.status.message}` : d.status.code, d.status.code === 'error' ? 'error' : '');
    fact('kind', d.kind);
    fact('start', d.startText);
    fact('subtree', `${d.subtree.spans} spans, ${d.subtree.errors} errors`);
    if (d.inferredParent) fact('parent', 'inferred from timing (the span names no parent)', 'inferred');
    const bar = el('div', 'detail-actions');
    if (d.source) {
      const src = d.source;
      const b = button(`Go to ${basename(src.file)}:${src.line}`, () => actions.openSource(src), 'btn', `${src.file}:${src.line}`);
      b.disabled = !actions.canOpenSource;
      bar.append(b);
    }
    bar.append(
      button('Reveal in explorer', () => actions.reveal(d.key), 'btn secondary'),
      button('Copy span id', () => actions.copy(d.spanId), 'btn secondary'),
      button('Copy attributes', () => actions.copy(JSON.stringify(Object.fromEntries(d.attributes.map(a => [a.key, a.value])), null, 2)), 'btn secondary'),
    );
    const sections: HTMLElement[] = [header, facts, bar];
    const usage = usageTable(d.usage.own, d.usage.subtree);
    if (usage) sections.push(section('Tokens and cost', usage));
    if (d.conversation) sections.push(section('Messages', chatView(d.conversation, actions.copy)));
    if (d.tool) {
      const t = el('div', 'tool');
      if (d.tool.name) t.append(el('div', 'tool-name', `${d.tool.name}${d.tool.callId ? ` (${d.tool.callId})` : ''}`));
      if (d.tool.arguments !== undefined) t.append(el('div', 'sub', 'arguments'), foldedValue(prettyJson(d.tool.arguments), 'tool-args', actions.copy));
      if (d.tool.result !== undefined) t.append(el('div', 'sub', 'result'), foldedValue(prettyJson(d.tool.result), 'tool-result-text', actions.copy));
      sections.push(section('Tool call', t));
    }
    if (d.exceptions.length > 0) {
      const list = el('div', 'exceptions');
      for (const ex of d.exceptions) {
        const box = el('div', 'exception');
        box.append(el('div', 'exception-head', [ex.type, ex.message].filter(Boolean).join(': ') || 'exception'));
        const frames = el('ol', 'frames');
        for (const f of ex.frames) {
          const li = el('li', 'frame');
          const label = `${f.function ? `${f.function} ` : ''}${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;
          if (actions.canOpenSource) li.append(button(label, () => actions.openSource({ file: f.file, line: f.line, ...(f.column ? { column: f.column } : {}) }), 'link frame-link'));
          else li.append(el('span', 'frame-text', label));
          if (f.code) li.append(el('code', 'frame-code', f.code));
          frames.append(li);
        }
        box.append(frames);
        if (ex.frames.length === 0 && ex.stacktrace) box.append(foldedValue(ex.stacktrace, 'stack', actions.copy));
        list.append(box);
      }
      sections.push(section(`Exceptions (${d.exceptions.length})`, list));
    }
    sections.push(section(`Attributes (${d.attributes.length})`, attributeTable(d.attributes, actions.copy)));
    if (d.events.length > 0) {
      const list = el('div', 'events');
      for (const ev of d.events) {
        const box = el('div', 'event');
        box.append(el('div', 'event-head', `${ev.name} at +${formatDuration(ev.offsetMs)}`), attributeTable(ev.attributes, actions.copy, false));
        list.append(box);
      }
      sections.push(section(`Events (${d.events.length})`, list));
    }
    if (d.links.length > 0) {
      const list = el('div', 'links');
      for (const l of d.links) {
        const box = el('div', 'link-item');
        box.append(el('div', 'link-head', `trace ${l.traceId} span ${l.spanId}`), attributeTable(l.attributes, actions.copy, false));
        list.append(box);
      }
      sections.push(section(`Links (${d.links.length})`, list));
    }
    const ids = el('div', 'ids');
    ids.append(el('div', '', `trace id ${d.traceId}`), el('div', '', `span id ${d.spanId}`), el('div', '', `parent ${d.parentSpanId || '(root)'}`));
    sections.push(section('Resource', attributeTable(d.resource.attributes, actions.copy, false), false));
    const scope = el('div', 'scope');
    scope.append(el('div', '', `${d.scope.name || '(unnamed scope)'}${d.scope.version ? ` ${d.scope.version}` : ''}`), attributeTable(d.scope.attributes, actions.copy, false));
    sections.push(section('Scope', scope, false), section('Ids', ids, false));
    this.element.replaceChildren(...sections);
  }
}

function section(title: string, body: HTMLElement, open = true): HTMLElement {
  const d = el('details', 'section');
  d.open = open;
  d.append(el('summary', 'section-title', title), body);
  return d;
}

function basename(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}

const USAGE_ROWS: [keyof UsageView, string][] = [
  ['inputTokens', 'input tokens'],
  ['outputTokens', 'output tokens'],
  ['totalTokens', 'total tokens'],
  ['cacheReadTokens', 'cache read tokens'],
  ['reasoningTokens', 'reasoning tokens'],
  ['cost', 'cost'],
];

function usageTable(own: UsageView, subtree: UsageView): HTMLElement | undefined {
  const present = USAGE_ROWS.filter(([k]) => own[k] !== undefined || subtree[k] !== undefined);
  if (present.length === 0) return undefined;
  const table = el('table', 'usage');
  const head = el('tr');
  head.append(el('th', '', ''), el('th', '', 'this span'), el('th', '', 'with children'));
  table.append(head);
  const fmt = (v: number | string | undefined, k: keyof UsageView, currency?: string) =>
    v === undefined ? '—' : k === 'cost' ? `${Number(v).toFixed(6).replace(/0+$/, '').replace(/\.$/, '')}${currency ? ` ${currency}` : ''}` : Number(v).toLocaleString('en-US');
  for (const [k, label] of present) {
    const tr = el('tr');
    tr.append(el('th', '', label), el('td', '', fmt(own[k], k, own.currency)), el('td', '', fmt(subtree[k], k, subtree.currency)));
    table.append(tr);
  }
  return table;
}
