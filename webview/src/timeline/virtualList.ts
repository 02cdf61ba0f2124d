// Fixed-height rows (details live in a side pane, not inline), so the window of rows on screen is plain
// arithmetic on scrollTop: no measured heights, no offset tables.

/** Height of every row in CSS pixels; media/timeline.css sets the same (--row-height). */
export const ROW_HEIGHT = 22;

export interface RowRange {
  /** First list position drawn. */
  readonly first: number;
  /** One past the last list position drawn. */
  readonly end: number;
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 2): RowRange {
  if (count <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first: Math.min(first, end), end };
}

/** The scrollTop that brings list position `pos` into view, moving as little as possible. */
export function scrollToReveal(scrollTop: number, viewportHeight: number, rowHeight: number, pos: number): number {
  const top = pos * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/** The largest valid scrollTop for `count` rows. */
export function maxScrollTop(count: number, rowHeight: number, viewportHeight: number): number {
  return Math.max(0, count * rowHeight - viewportHeight);
}
