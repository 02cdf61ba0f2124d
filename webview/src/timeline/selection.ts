// The selected span, held by key so a live update that inserts rows keeps it, and the moves along the list
// that change it (arrows, pages, next match). Scrolling the moved-to row into view is the caller's.
import type { RowList } from './rowList';
import { nextMatch } from './searchFilter';

export class Selection {
  private selectedKey: number | undefined;

  constructor(
    private readonly list: RowList,
    private readonly onChange: (key: number | undefined) => void,
    /** Brings a list position into view after a move. */
    private readonly reveal: (pos: number) => void,
  ) {}

  get key(): number | undefined {
    return this.selectedKey;
  }

  /** The selected row of the current rows, or -1. */
  get row(): number {
    return this.selectedKey === undefined ? -1 : (this.list.model?.indexOfKey(this.selectedKey) ?? -1);
  }

  /** The selected row's list position, or -1 (nothing selected, or collapsed away or filtered out). */
  get position(): number {
    return this.selectedKey === undefined ? -1 : this.list.positionOfKey(this.selectedKey);
  }

  select(key: number | undefined): void {
    if (key === this.selectedKey) return;
    this.selectedKey = key;
    this.onChange(key);
  }

  /** Selects the row at a list position and reveals it; out of range does nothing. */
  selectPosition(pos: number): void {
    const row = this.list.rowAt(pos);
    if (row < 0) return;
    this.select(this.list.model!.key[row]);
    this.reveal(pos);
  }

  /** Moves to the next (or previous) match, wrapping. */
  nextMatch(backwards = false): void {
    const matches = this.list.matches;
    if (matches) this.nextIn(matches, backwards);
  }

  /** Moves to the next (or previous) listed row with marked[row] = 1 (a comparison's changes), wrapping. */
  nextIn(marked: Uint8Array, backwards = false): void {
    const pos = nextMatch(this.list.visible, marked, this.position, backwards);
    if (pos >= 0) this.selectPosition(pos);
  }

  /** A new run: its keys mean other spans. Silent: whoever shows the new run clears the details. */
  forget(): void {
    this.selectedKey = undefined;
  }

  /** After new rows of the same run: a selected span that is no longer there is unselected. */
  dropIfGone(): void {
    if (this.selectedKey !== undefined && this.row < 0) this.select(undefined);
  }
}
