// The timeline page. Everything it shows comes from the host as protocol messages and is rendered as text:
// span names and attributes come from other programs and are never parsed as HTML.
import {
  DidChangeStateNotification,
  DidLoadDetailsNotification,
  DidReportNotification,
  DidSearchNotification,
  OpenSourceCommand,
  ReadyCommand,
  RequestDetailsCommand,
  RevealInExplorerCommand,
  SearchCommand,
  SelectRunCommand,
  type TimelineState,
  type TimelineViewState,
  unpackRows,
} from '../../extension/src/protocol/timelineProtocol';
import { DetailPane } from './detail/detailPane';
import { el } from './dom';
import { connectHost } from './hostChannel';
import { TimelineView } from './timeline/timelineView';

const host = connectHost();
const app = document.getElementById('app')!;
document.body.classList.add(`host-${host.kind}`);

let state: TimelineState | undefined;
let requestSeq = 0;
let detailsRequest = -1;
const searches = new Map<number, string>();

const title = el('h1', 'title', 'Timeline');
const message = el('p', 'message', '');
const status = el('span', 'status', '', { role: 'status', 'aria-live': 'polite' });
const runPicker = el('select', 'run-picker', undefined, { 'aria-label': 'Run' });
const search = el('input', 'search', undefined, { type: 'search', placeholder: 'Search names and attributes', 'aria-label': 'Search spans by name or attribute' });
const minDuration = el('input', 'min-duration', undefined, { type: 'number', min: '0', step: 'any', placeholder: 'min ms', 'aria-label': 'Minimum duration in milliseconds' });
const check = (label: string, name: string) => {
  const box = el('input', '', undefined, { type: 'checkbox', name });
  const wrap = el('label', 'toggle');
  wrap.append(box, el('span', '', label));
  return { box, wrap };
};
const errorsOnly = check('errors', 'errors');
const matchesOnly = check('matches only', 'matches-only');
const critical = check('critical path', 'critical');
const toolbar = el('div', 'toolbar', undefined, { role: 'toolbar', 'aria-label': 'Timeline tools' });
toolbar.append(runPicker, search, minDuration, errorsOnly.wrap, matchesOnly.wrap, critical.wrap, status);
const report = el('div', 'report', '', { role: 'alert' });
report.hidden = true;

const details = new DetailPane();
const view = new TimelineView({
  onSelect(key) {
    if (key === undefined) {
      details.clear();
      return;
    }
    detailsRequest = ++requestSeq;
    host.post(RequestDetailsCommand.create({ requestId: detailsRequest, key }));
    saveViewState();
  },
  onSearch(text) {
    const requestId = ++requestSeq;
    searches.set(requestId, text);
    host.post(SearchCommand.create({ requestId, query: { text } }));
  },
  onActivate() {
    details.element.querySelector<HTMLButtonElement>('.detail-actions .btn')?.focus();
  },
});
const main = el('div', 'main');
main.append(view.element, details.element);
app.replaceChildren(el('header', 'head'), toolbar, report, main);
app.firstElementChild!.append(title, message);

function applyFilter(): void {
  const min = Number(minDuration.value);
  view.setFilter({ text: search.value, minDurationMs: Number.isFinite(min) && min > 0 ? min : 0, errorsOnly: errorsOnly.box.checked });
  updateStatus();
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(applyFilter, 150);
});
search.addEventListener('keydown', e => {
  if (e.key === 'Enter') {
    view.nextMatch(e.shiftKey);
    e.preventDefault();
  } else if (e.key === 'Escape') {
    search.value = '';
    applyFilter();
  }
});
minDuration.addEventListener('input', applyFilter);
errorsOnly.box.addEventListener('change', applyFilter);
matchesOnly.box.addEventListener('change', () => {
  view.setMatchesOnly(matchesOnly.box.checked);
  updateStatus();
});
critical.box.addEventListener('change', () => view.setCriticalPath(critical.box.checked));
runPicker.addEventListener('change', () => {
  const runId = Number(runPicker.value);
  if (Number.isSafeInteger(runId) && runId >= 0) host.post(SelectRunCommand.create({ runId }));
});

/** 12,345: toLocaleString's first call loads locale data, a visible part of opening a large run. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function updateStatus(): void {
  if (!state || state.rows.count === 0) {
    status.textContent = '';
    return;
  }
  const parts = [`${thousands(state.rows.count)} spans`];
  if (search.value.trim() || errorsOnly.box.checked || Number(minDuration.value) > 0) parts.push(`${thousands(view.matchCount)} matches`);
  if (state.receiving) parts.push('receiving');
  status.textContent = parts.join(' · ');
}

function renderRuns(s: TimelineState): void {
  const options = s.runs.map(r => {
    const o = el('option', '', `${r.label} — ${r.spanCount} spans${r.errorCount ? `, ${r.errorCount} errors` : ''}${r.receiving ? ' (live)' : ''}`, { value: String(r.id) });
    o.selected = r.id === s.runId;
    return o;
  });
  runPicker.replaceChildren(...options);
  runPicker.hidden = s.runs.length === 0;
}

function saveViewState(): void {
  const v: TimelineViewState = { ...(state?.runId !== undefined ? { runId: state.runId } : {}), ...(view.selected !== undefined ? { selectedKey: view.selected } : {}) };
  host.setState(v);
}

function onState(s: TimelineState): void {
  const sameRun = state !== undefined && state.runId === s.runId && s.runId !== undefined;
  state = s;
  title.textContent = s.title;
  message.textContent = s.message;
  message.hidden = s.message === '';
  renderRuns(s);
  main.hidden = s.rows.count === 0;
  toolbar.classList.toggle('empty', s.rows.count === 0);
  view.setRows(unpackRows(s.rows), sameRun);
  if (!sameRun) details.clear();
  updateStatus();
  saveViewState();
  document.body.dataset.ready = 'true';
  document.body.dataset.rows = String(s.rows.count);
}

let reportTimer: ReturnType<typeof setTimeout> | undefined;
host.onMessage(msg => {
  switch (true) {
    case DidChangeStateNotification.is(msg):
      onState(msg.params);
      break;
    case DidLoadDetailsNotification.is(msg):
      if (msg.params.requestId !== detailsRequest) break;
      if (msg.params.details)
        details.show(msg.params.details, {
          canOpenSource: state?.canOpenSource ?? false,
          openSource: location => host.post(OpenSourceCommand.create(location)),
          reveal: key => host.post(RevealInExplorerCommand.create({ key })),
          copy: text => host.copyText(text),
        });
      else details.clear('This span is no longer stored.');
      break;
    case DidSearchNotification.is(msg): {
      const text = searches.get(msg.params.requestId);
      searches.delete(msg.params.requestId);
      if (text !== undefined) view.setHostMatches(text, msg.params.keys);
      updateStatus();
      break;
    }
    case DidReportNotification.is(msg):
      report.textContent = msg.params.message;
      report.hidden = false;
      clearTimeout(reportTimer);
      reportTimer = setTimeout(() => (report.hidden = true), 8000);
      break;
  }
});

// For the benchmark and browser tests: the view, reachable without exposing anything to span data.
(window as unknown as { msgtraceTimeline: TimelineView }).msgtraceTimeline = view;

host.post(ReadyCommand.create({}));
host.whenSent(() => view.prepare());
