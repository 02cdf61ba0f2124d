// The comparison mode of the page: the run summary header, the toolbar's "Changed only" and previous / next
// change, the pair details pane, and the rows handed to the shared TimelineView. main.ts switches between this
// and a single run's timeline by the state message that arrives.
import {
  type ComparisonState,
  type PairDetails,
  RequestPairDetailsCommand,
  unpackComparisonRows,
} from '../../../extension/src/protocol/comparisonProtocol';
import type { HostChannel } from '../hostChannel';
import type { DetailActions } from '../detail/detailPane';
import { button, el } from '../dom';
import type { TimelineView } from '../timeline/timelineView';
import { type ComparisonModel, buildComparisonModel, pairKeysOfSpans, sideKeysOf } from './comparisonModel';
import { PairDetailsPane } from './pairDetailsPane';
import { summaryHeader } from './summaryHeader';

export const NEXT_CHANGE_HELP = 'Next change (F7 or ])';
export const PREVIOUS_CHANGE_HELP = 'Previous change (Shift+F7 or [)';

export class CompareView {
  /** Above the toolbar: A → B and the run summary. */
  readonly header: HTMLElement;
  /** Toolbar controls of the comparison. */
  readonly tools: HTMLElement;
  readonly details = new PairDetailsPane();
  private readonly changedOnly: HTMLInputElement;
  private current: ComparisonState | undefined;
  private model: ComparisonModel | undefined;
  private detailsRequest = -1;

  constructor(
    private readonly host: HostChannel,
    private readonly view: TimelineView,
    private readonly nextRequestId: () => number,
    private readonly onChange: () => void,
  ) {
    this.header = el('div', 'compare-header');
    this.tools = el('span', 'compare-tools');
    this.changedOnly = el('input', '', undefined, { type: 'checkbox', name: 'changed-only' });
    const toggle = el('label', 'toggle', undefined, { title: 'Show only the rows that changed, with their ancestors' });
    toggle.append(this.changedOnly, el('span', '', 'changed only'));
    this.changedOnly.addEventListener('change', () => {
      this.view.setChangedOnly(this.changedOnly.checked);
      this.onChange();
    });
    this.tools.append(
      toggle,
      button('↑', () => this.step(true), 'btn secondary change-prev', PREVIOUS_CHANGE_HELP),
      button('↓', () => this.step(false), 'btn secondary change-next', NEXT_CHANGE_HELP),
      el('span', 'compare-legend', 'bars: A above (lighter), B below · − only in A · + only in B · ~ changed', { title: `${NEXT_CHANGE_HELP}; ${PREVIOUS_CHANGE_HELP}` }),
    );
  }

  get state(): ComparisonState | undefined {
    return this.current;
  }

  get changedCount(): number {
    return this.model?.changedCount ?? 0;
  }

  get rowCount(): number {
    return this.model?.columns.count ?? 0;
  }

  /** A comparison state arrived (the first, or a live update of the same or a new comparison). */
  show(s: ComparisonState): void {
    const previous = this.current;
    const same = previous !== undefined && previous.runIdA === s.runIdA && previous.runIdB === s.runIdB;
    // "Comparing…" without rows keeps what is on screen of an earlier result of the same comparison.
    if (s.comparing && same && this.model && this.model.columns.count > 0) {
      this.current = { ...s, rows: previous.rows, summary: previous.summary };
      return;
    }
    this.current = s;
    this.model = buildComparisonModel(unpackComparisonRows(s.rows));
    this.view.setRows(this.model.rows, same, this.model);
    if (!same) this.details.clear();
    this.header.replaceChildren(summaryHeader(s));
  }

  /** Leaving the comparison: forget it, so coming back counts as a new one. */
  reset(): void {
    this.current = undefined;
    this.model = undefined;
    this.detailsRequest = -1;
    this.details.clear();
    this.header.replaceChildren();
  }

  /** The selected row changed: ask for both spans' details and the diff. */
  select(key: number | undefined): void {
    const model = this.model;
    const row = key === undefined || !model ? -1 : model.rows.key.indexOf(key);
    const keys = model ? sideKeysOf(model, row) : undefined;
    if (!keys) {
      this.detailsRequest = -1;
      this.details.clear();
      return;
    }
    this.detailsRequest = this.nextRequestId();
    this.host.post(RequestPairDetailsCommand.create({ requestId: this.detailsRequest, ...keys }));
  }

  /** The host's search answer (span keys of either run) as the keys of the rows that hold them. */
  pairKeys(spanKeys: readonly number[]): number[] {
    return this.model ? pairKeysOfSpans(this.model, spanKeys) : [];
  }

  onDetails(d: PairDetails, actions: DetailActions): void {
    if (d.requestId !== this.detailsRequest) return;
    this.details.show(d, actions);
  }

  private step(backwards: boolean): void {
    this.view.nextChange(backwards);
    this.view.focus();
  }
}
