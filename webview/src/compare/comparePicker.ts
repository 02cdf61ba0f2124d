// Picking two runs to compare, in the toolbar: "Compare…" opens two run pickers (A, before; B, after) and a
// Compare button; while a comparison is shown the pickers switch it at once, and "Close" goes back to run B's
// timeline.
import type { RunSummary } from '../../../extension/src/protocol/timelineProtocol';
import { button, el } from '../dom';

export interface ComparePickerEvents {
  compare(runIdA: number, runIdB: number): void;
  /** Leave the comparison for the timeline of this run. */
  close(runId: number): void;
}

export function runOptionText(r: RunSummary): string {
  return `${r.label} — ${r.spanCount} spans${r.errorCount ? `, ${r.errorCount} error${r.errorCount === 1 ? '' : 's'}` : ''}${r.receiving ? ' (live)' : ''}`;
}

export class ComparePicker {
  readonly element: HTMLSpanElement;
  private readonly open: HTMLButtonElement;
  private readonly form: HTMLSpanElement;
  private readonly pickA: HTMLSelectElement;
  private readonly pickB: HTMLSelectElement;
  private readonly go: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;
  private comparing = false;

  constructor(private readonly events: ComparePickerEvents) {
    this.element = el('span', 'compare-picker');
    this.open = button('Compare…', () => this.setFormOpen(true, true), 'btn secondary compare-open', 'Compare two runs: what changed between them');
    this.pickA = el('select', 'run-picker pick-a', undefined, { 'aria-label': 'Run A (before)' });
    this.pickB = el('select', 'run-picker pick-b', undefined, { 'aria-label': 'Run B (after)' });
    this.go = button('Compare', () => this.submit(), 'btn compare-go', 'Compare run A with run B');
    this.closeButton = button('Close comparison', () => this.close(), 'btn secondary compare-close', 'Back to the timeline of run B');
    this.form = el('span', 'compare-form', undefined, { role: 'group', 'aria-label': 'Runs to compare' });
    this.form.append(el('span', 'side-letter', 'A'), this.pickA, el('span', 'compare-arrow', '→'), el('span', 'side-letter', 'B'), this.pickB, this.go);
    this.element.append(this.open, this.form, this.closeButton);
    const onPick = () => {
      if (this.comparing) this.submit();
    };
    this.pickA.addEventListener('change', onPick);
    this.pickB.addEventListener('change', onPick);
    this.setFormOpen(false);
  }

  /** The timeline of one run: "Compare…" offers B = this run and A = the run before it. */
  showRuns(runs: readonly RunSummary[], runId: number | undefined): void {
    this.comparing = false;
    const i = runs.findIndex(r => r.id === runId);
    const b = runs[Math.max(0, i)]?.id;
    const a = runs[Math.max(0, i) + 1]?.id ?? runs[0]?.id;
    this.fill(runs, a, b);
    this.element.hidden = runs.length < 1;
    this.open.disabled = runs.length < 2;
    this.open.title = runs.length < 2 ? 'Comparing needs two runs' : 'Compare two runs: what changed between them';
    this.closeButton.hidden = true;
    this.go.hidden = false;
    this.setFormOpen(!this.form.hidden);
  }

  /** A comparison is shown: the pickers show its runs and switch it when changed. */
  showComparison(runs: readonly RunSummary[], runIdA: number, runIdB: number): void {
    this.comparing = true;
    this.fill(runs, runIdA, runIdB);
    this.element.hidden = false;
    this.open.hidden = true;
    this.form.hidden = false;
    this.go.hidden = true;
    this.closeButton.hidden = false;
  }

  private fill(runs: readonly RunSummary[], a: number | undefined, b: number | undefined): void {
    const options = (selected: number | undefined) => {
      const list = runs.map(r => {
        const o = el('option', '', runOptionText(r), { value: String(r.id) });
        o.selected = r.id === selected;
        return o;
      });
      // A run that left the list (gone, or older than the newest 50) stays pickable as what is shown.
      if (selected !== undefined && !runs.some(r => r.id === selected)) {
        const gone = el('option', '', `run ${selected} (gone)`, { value: String(selected) });
        gone.selected = true;
        list.unshift(gone);
      }
      return list;
    };
    this.pickA.replaceChildren(...options(a));
    this.pickB.replaceChildren(...options(b));
  }

  private setFormOpen(open: boolean, focus = false): void {
    this.form.hidden = !open;
    this.open.hidden = open;
    if (open && focus) this.pickA.focus();
  }

  private submit(): void {
    const a = Number(this.pickA.value);
    const b = Number(this.pickB.value);
    if (Number.isSafeInteger(a) && a >= 0 && Number.isSafeInteger(b) && b >= 0) this.events.compare(a, b);
  }

  private close(): void {
    const b = Number(this.pickB.value);
    this.setFormOpen(false);
    if (Number.isSafeInteger(b) && b >= 0) this.events.close(b);
  }
}
