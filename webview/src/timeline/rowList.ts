// Which rows the list shows, and what marks them: the run's rows, the collapsed subtrees, the filter and its
// matches, "matches only", the critical path, and a comparison's "changed only". Collapse is kept by row key, so it survives a live update that
// inserts rows. No DOM: the labels and the bars draw what this holds.
import { criticalPath } from './criticalPath';
import { type RowModel, buildRowModel } from './rowModel';
import { type RowFilter, isActive, matchRows } from './searchFilter';
import { visibleRows, withAncestors } from './visibleRows';
import type { RowColumns } from '../../../extension/src/protocol/timelineProtocol';

export class RowList {
  private current: RowModel | undefined;
  /** Row indices in list order (ascending): what remains after collapsing and "matches only". */
  private shown: Int32Array = new Int32Array(0);
  private matched: Uint8Array | undefined;
  private onPath: Uint8Array | undefined;
  private readonly collapsedKeys = new Set<number>();
  private filter: RowFilter = { text: '', minDurationMs: 0, errorsOnly: false };
  private matchesOnly = false;
  /** Rows a restriction keeps ("changed only"), with their ancestors; undefined: no restriction. */
  private restriction: Uint8Array | undefined;
  private showCritical = false;
  private revision = 0;

  constructor(private readonly onChange: () => void) {}

  get model(): RowModel | undefined {
    return this.current;
  }

  get visible(): Int32Array {
    return this.shown;
  }

  /** matches[i] = 1 for rows passing the filter; undefined while no filter is set. */
  get matches(): Uint8Array | undefined {
    return this.matched;
  }

  /** critical[i] = 1 for rows on the critical path; undefined while it is not shown. */
  get critical(): Uint8Array | undefined {
    return this.showCritical ? this.onPath : undefined;
  }

  /** Changes whenever a row's place or marks may have changed, so a label filled earlier is filled again. */
  get version(): number {
    return this.revision;
  }

  get filtered(): boolean {
    return isActive(this.filter);
  }

  get matchCount(): number {
    if (!this.matched) return 0;
    let n = 0;
    for (let i = 0; i < this.matched.length; i++) n += this.matched[i]!;
    return n;
  }

  /** New rows. `sameRun`: a live update of the shown run, so collapsed subtrees and attribute matches stay. */
  setRows(rows: RowColumns, sameRun: boolean): void {
    this.current = buildRowModel(rows);
    // The path is a property of these rows: the old one indexes rows that moved.
    this.onPath = undefined;
    if (!sameRun) {
      this.collapsedKeys.clear();
      this.filter = { ...this.filter, hostKeys: undefined };
    }
    // A restriction marks rows of the old rows: whoever set it sets it again for the new ones.
    this.restriction = undefined;
    this.recompute();
  }

  /** Shows only the rows with keep[i] = 1 and their ancestors (undefined: all rows), e.g. "changed only". */
  restrict(keep: Uint8Array | undefined): void {
    this.restriction = keep;
    this.recompute();
  }

  /** Sets the filter; true when its text changed (the host's attribute matches for the old text are dropped). */
  setFilter(filter: RowFilter): boolean {
    const textChanged = filter.text !== this.filter.text;
    this.filter = { ...filter, hostKeys: textChanged ? undefined : this.filter.hostKeys };
    this.recompute();
    return textChanged;
  }

  /** The host's attribute matches for `text` (ignored if the text changed meanwhile). */
  setHostMatches(text: string, keys: readonly number[]): void {
    if (text !== this.filter.text) return;
    this.filter = { ...this.filter, hostKeys: new Set(keys) };
    this.recompute();
  }

  setMatchesOnly(on: boolean): void {
    this.matchesOnly = on;
    this.recompute();
  }

  setCriticalPath(on: boolean): void {
    this.showCritical = on;
    this.onPath = undefined;
    this.recompute();
  }

  hasChildren(row: number): boolean {
    return this.current !== undefined && this.current.subtreeEnd[row]! > row + 1;
  }

  isCollapsed(key: number): boolean {
    return this.collapsedKeys.has(key);
  }

  /** Collapses or expands a subtree (flips it when `expand` is not given). */
  toggle(key: number, expand = this.collapsedKeys.has(key)): void {
    if (expand) this.collapsedKeys.delete(key);
    else this.collapsedKeys.add(key);
    this.recompute();
  }

  /** The row at a list position, or -1. */
  rowAt(pos: number): number {
    return pos >= 0 && pos < this.shown.length ? this.shown[pos]! : -1;
  }

  /** The list position of a span, or -1 when it is not on the list (gone, collapsed away, filtered out). */
  positionOfKey(key: number): number {
    const i = this.current?.indexOfKey(key) ?? -1;
    if (i < 0) return -1;
    // The list is ascending by row index: binary search.
    let lo = 0;
    let hi = this.shown.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.shown[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return this.shown[lo] === i ? lo : -1;
  }

  private recompute(): void {
    const model = this.current;
    if (!model) return;
    this.revision++;
    this.matched = matchRows(model, this.filter);
    if (this.showCritical && !this.onPath) this.onPath = criticalPath(model);
    const collapsed = new Set<number>();
    for (const k of this.collapsedKeys) {
      const i = model.indexOfKey(k);
      if (i >= 0) collapsed.add(i);
    }
    let keep = this.matchesOnly ? this.matched : undefined;
    if (this.restriction && this.restriction.length === model.count) keep = keep ? both(keep, this.restriction) : this.restriction;
    const only = keep ? withAncestors(model, keep) : undefined;
    this.shown = visibleRows(model, collapsed, only);
    this.onChange();
  }
}

function both(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}
