// The name column: a pool of recycled row elements, one per row on screen, moved and refilled as the list
// scrolls, so 100,000 rows cost a screenful of elements. The rows are the tree's items for focus and screen
// readers (role treeitem, level, expanded, selected, a spoken label). Span names are set as textContent only.
// A comparison's rows also get a gutter mark (− only in A, + only in B, ~ changed) and say what changed.
import { SPAN_CLASS_NAMES } from '../../../extension/src/protocol/timelineProtocol';
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { CHANGE_MARKS, type ComparisonModel, changeKind, describeChange } from '../compare/comparisonModel';
import { el } from '../dom';
import type { RowList } from './rowList';
import { formatDuration } from './timeAxis';
import { ROW_HEIGHT, type RowRange } from './virtualList';

/** Left padding per tree level, in CSS pixels. */
const INDENT = 14;

interface LabelRow {
  readonly root: HTMLDivElement;
  readonly mark: HTMLSpanElement;
  readonly twisty: HTMLSpanElement;
  readonly chip: HTMLSpanElement;
  readonly name: HTMLSpanElement;
  readonly badge: HTMLSpanElement;
  /** The row it shows, -1 when hidden. */
  row: number;
  /** RowList.version when it was filled: a collapse or filter change refills it. */
  version: number;
}

export class RowLabels {
  readonly element: HTMLDivElement;
  private readonly pool: LabelRow[] = [];

  /** @param tree the focusable tree element, told which row is the active one */
  constructor(private readonly tree: HTMLElement) {
    this.element = el('div', 'labels', undefined, { role: 'presentation' });
  }

  /** Before any rows: the elements a screenful needs (hidden), so the first frame with rows only fills them. */
  prepare(height: number): void {
    const need = Math.ceil(height / ROW_HEIGHT) + 3;
    while (this.pool.length < need) {
      const r = this.make();
      r.root.hidden = true;
      this.pool.push(r);
    }
  }

  /** Shows list positions `range` at `scrollTop`; `selected` is the selected row, or -1; `comparison` when the rows are pairs. */
  update(list: RowList, range: RowRange, scrollTop: number, selected: number, comparison?: ComparisonModel): void {
    const model = list.model!;
    const need = range.end - range.first;
    while (this.pool.length < need) this.pool.push(this.make());
    let activeId = '';
    for (let j = 0; j < this.pool.length; j++) {
      const r = this.pool[j]!;
      if (j >= need) {
        r.root.hidden = true;
        r.row = -1;
        continue;
      }
      const pos = range.first + j;
      const i = list.visible[pos]!;
      r.root.hidden = false;
      r.root.style.transform = `translateY(${pos * ROW_HEIGHT - scrollTop}px)`;
      const isSelected = i === selected;
      if (isSelected) activeId = r.root.id;
      if (r.row === i && r.version === list.version && r.root.dataset.sel === String(isSelected)) continue;
      r.row = i;
      r.version = list.version;
      const flags = model.flags[i]!;
      const cls = SPAN_CLASS_NAMES[model.cls[i]!] ?? 'generic';
      const name = model.names[model.name[i]!] ?? '';
      const hasKids = list.hasChildren(i);
      const collapsed = list.isCollapsed(model.key[i]!);
      r.root.style.paddingLeft = `${(comparison ? 16 : 4) + model.depth[i]! * INDENT}px`;
      r.twisty.textContent = hasKids ? (collapsed ? '▸' : '▾') : '';
      r.chip.dataset.cls = cls;
      r.chip.textContent = cls;
      r.name.textContent = name;
      r.badge.textContent = flags & SpanFacts.inferredEdge ? 'inferred' : '';
      r.root.dataset.key = String(model.key[i]);
      r.root.dataset.sel = String(isSelected);
      r.root.dataset.match = String(!!list.matches?.[i]);
      r.root.classList.toggle('error', (flags & SpanFacts.error) !== 0);
      r.root.classList.toggle('placeholder', (flags & SpanFacts.placeholder) !== 0);
      r.root.setAttribute('aria-level', String(model.depth[i]! + 1));
      r.root.setAttribute('aria-selected', String(isSelected));
      if (hasKids) r.root.setAttribute('aria-expanded', String(!collapsed));
      else r.root.removeAttribute('aria-expanded');
      let spoken = spokenLabel(name, cls, model.duration[i]!, flags);
      if (comparison) {
        const change = comparison.columns.change[i]!;
        const kind = changeKind(change);
        const below = comparison.columns.changedBelow[i]! - (kind === 'same' ? 0 : 1);
        r.mark.textContent = CHANGE_MARKS[kind];
        r.root.dataset.change = kind;
        if (collapsed && below > 0) r.badge.textContent = `${below} changed`;
        const what = kind === 'removed' ? 'only in A (removed in B)' : kind === 'added' ? 'only in B (added)' : kind === 'modified' ? `changed: ${describeChange(change)}` : 'unchanged';
        spoken = `${spoken}, ${what}`;
      } else {
        r.mark.textContent = '';
        delete r.root.dataset.change;
      }
      r.root.setAttribute('aria-label', spoken);
    }
    if (activeId) this.tree.setAttribute('aria-activedescendant', activeId);
    else this.tree.removeAttribute('aria-activedescendant');
  }

  /** The key of the row element an event hit, and whether it hit the fold triangle. */
  static hit(target: EventTarget | null): { key: number; twisty: boolean } | undefined {
    if (!(target instanceof HTMLElement)) return undefined;
    const row = target.closest<HTMLElement>('.row');
    if (!row?.dataset.key) return undefined;
    return { key: Number(row.dataset.key), twisty: target.classList.contains('twisty') };
  }

  private make(): LabelRow {
    const root = el('div', 'row', undefined, { role: 'treeitem', id: `row-${this.pool.length}` });
    const mark = el('span', 'change-mark', undefined, { 'aria-hidden': 'true' });
    const twisty = el('span', 'twisty');
    const chip = el('span', 'chip');
    const name = el('span', 'name');
    const badge = el('span', 'badge');
    root.append(mark, twisty, chip, name, badge);
    this.element.append(root);
    return { root, mark, twisty, chip, name, badge, row: -1, version: -1 };
  }
}

/** What a screen reader says for a row: what the bar and its marks show. */
function spokenLabel(name: string, cls: string, durationMs: number, flags: number): string {
  const parts = [name, cls, formatDuration(durationMs)];
  if (flags & SpanFacts.error) parts.push('error');
  if (flags & SpanFacts.inferredEdge) parts.push('parent inferred from timing');
  if (flags & SpanFacts.placeholder) parts.push('parent not received');
  return parts.join(', ');
}
