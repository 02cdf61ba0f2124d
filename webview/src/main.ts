// The timeline page. Everything it shows comes from the host as protocol messages and is rendered as text:
// span names and attributes come from other programs and are never parsed as HTML. It shows one run, or the
// comparison of two runs (compare/): whichever state message the host sent last.
import {
  type ComparisonState,
  DidChangeComparisonNotification,
  DidLoadPairDetailsNotification,
  SelectComparisonCommand,
} from '../../extension/src/protocol/comparisonProtocol';
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
import { ComparePicker, runOptionText } from './compare/comparePicker';
import { CompareView } from './compare/compareView';
import { thousands } from './compare/summaryFormat';
import { type DetailActions, DetailPane } from './detail/detailPane';
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
const picker = new ComparePicker({
  compare: (runIdA, runIdB) => host.post(SelectComparisonCommand.create({ runIdA, runIdB })),
  close: runId => host.post(SelectRunCommand.create({ runId })),
});
const report = el('div', 'report', '', { role: 'alert' });
report.hidden = true;

const details = new DetailPane();
const view = new TimelineView({
  onSelect(key) {
    if (compare.state) {
      compare.select(key);
      saveViewState();
      return;
    }
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
const compare = new CompareView(host, view, () => ++requestSeq, () => updateStatus());
toolbar.append(runPicker, picker.element, compare.tools, search, minDuration, errorsOnly.wrap, matchesOnly.wrap, critical.wrap, status);
const main = el('div', 'main');
main.append(view.element, details.element, compare.details.element);
app.replaceChildren(el('header', 'head'), toolbar, report, main);
app.firstElementChild!.append(title, message, compare.header);
setMode(false);

/** Shows the parts of one mode: a run's timeline, or a comparison. */
function setMode(comparing: boolean): void {
  document.body.dataset.mode = comparing ? 'compare' : 'timeline';
  runPicker.classList.toggle('mode-hidden', comparing);
  critical.wrap.classList.toggle('mode-hidden', comparing);
  compare.tools.classList.toggle('mode-hidden', !comparing);
  compare.header.classList.toggle('mode-hidden', !comparing);
  details.element.classList.toggle('mode-hidden', comparing);
  compare.details.element.classList.toggle('mode-hidden', !comparing);
  if (comparing && critical.box.checked) {
    critical.box.checked = false;
    view.setCriticalPath(false);
  }
}

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

function updateStatus(): void {
  const cmp = compare.state;
  if (cmp) {
    if (compare.rowCount === 0) {
      status.textContent = cmp.comparing ? 'comparing…' : '';
      return;
    }
    const parts = [`${thousands(compare.rowCount)} rows`, `${thousands(compare.changedCount)} differ`];
    if (view.listedCount !== compare.rowCount) parts.push(`${thousands(view.listedCount)} listed`);
    if (search.value.trim() || errorsOnly.box.checked || Number(minDuration.value) > 0) parts.push(`${thousands(view.matchCount)} matches`);
    if (cmp.comparing) parts.push('comparing…');
    if (cmp.a?.receiving || cmp.b?.receiving) parts.push('receiving');
    status.textContent = parts.join(' · ');
    return;
  }
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
    const o = el('option', '', runOptionText(r), { value: String(r.id) });
    o.selected = r.id === s.runId;
    return o;
  });
  runPicker.replaceChildren(...options);
  runPicker.hidden = s.runs.length === 0;
  picker.showRuns(s.runs, s.runId);
}

function saveViewState(): void {
  const cmp = compare.state;
  const v: TimelineViewState = cmp
    ? { compare: { runIdA: cmp.runIdA, runIdB: cmp.runIdB }, ...(view.selected !== undefined ? { selectedKey: view.selected } : {}) }
    : { ...(state?.runId !== undefined ? { runId: state.runId } : {}), ...(view.selected !== undefined ? { selectedKey: view.selected } : {}) };
  host.setState(v);
}

/** On `msgtrace serve` the address says what is shown, so a reload or a shared link shows it again. */
function showInAddress(query: string): void {
  if (host.kind !== 'browser' || location.search === query) return;
  history.replaceState(null, '', `${location.pathname}${query}`);
}

function onComparison(s: ComparisonState): void {
  const entering = compare.state === undefined;
  if (entering) {
    state = undefined;
    details.clear();
    setMode(true);
  }
  title.textContent = s.title;
  message.textContent = s.message;
  message.hidden = s.message === '';
  picker.showComparison(s.runs, s.runIdA, s.runIdB);
  compare.show(s);
  main.hidden = compare.rowCount === 0;
  toolbar.classList.toggle('empty', compare.rowCount === 0);
  updateStatus();
  saveViewState();
  showInAddress(`?compare=${s.runIdA},${s.runIdB}`);
  document.body.dataset.ready = 'true';
  document.body.dataset.compareRows = String(compare.rowCount);
}

function onState(s: TimelineState): void {
  if (compare.state) {
    // Back from a comparison: whatever run this is, it starts afresh.
    compare.reset();
    setMode(false);
    showInAddress('');
  }
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

function detailActions(): DetailActions {
  return {
    canOpenSource: (compare.state ?? state)?.canOpenSource ?? false,
    openSource: location => host.post(OpenSourceCommand.create(location)),
    reveal: key => host.post(RevealInExplorerCommand.create({ key })),
    copy: text => host.copyText(text),
  };
}

let reportTimer: ReturnType<typeof setTimeout> | undefined;
host.onMessage(msg => {
  switch (true) {
    case DidChangeStateNotification.is(msg):
      onState(msg.params);
      break;
    case DidChangeComparisonNotification.is(msg):
      onComparison(msg.params);
      break;
    case DidLoadPairDetailsNotification.is(msg):
      compare.onDetails(msg.params, detailActions());
      break;
    case DidLoadDetailsNotification.is(msg):
      if (msg.params.requestId !== detailsRequest) break;
      if (msg.params.details) details.show(msg.params.details, detailActions());
      else details.clear('This span is no longer stored.');
      break;
    case DidSearchNotification.is(msg): {
      const text = searches.get(msg.params.requestId);
      searches.delete(msg.params.requestId);
      if (text !== undefined) view.setHostMatches(text, compare.state ? compare.pairKeys(msg.params.keys) : msg.params.keys);
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

// `?compare=A,B` (msgtrace serve): the comparison is asked for before the handshake, so the host's first state
// is the comparison and no run is built for nothing.
const asked = host.kind === 'browser' ? /^(\d{1,15}),(\d{1,15})$/.exec(new URLSearchParams(location.search).get('compare') ?? '') : null;
if (asked) host.post(SelectComparisonCommand.create({ runIdA: Number(asked[1]), runIdB: Number(asked[2]) }));
host.post(ReadyCommand.create({}));
host.whenSent(() => view.prepare());
