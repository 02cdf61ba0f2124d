// The mouse: a click on a name selects (on its triangle, folds); on the bars a click selects, a drag pans and a
// double click zooms to the span; the wheel scrolls the list, and with Ctrl/Cmd zooms around the pointer, with
// Shift (or sideways) pans. Every action ends in the list, the selection or the zoom state.
import { RowLabels } from './rowLabels';
import type { RowList } from './rowList';
import type { Selection } from './selection';
import { type TimeWindow, xToTime } from './timeAxis';
import { ROW_HEIGHT } from './virtualList';
import type { ZoomState } from './zoomState';

/** Pixels a press may move and still count as a click. */
const CLICK_SLOP = 3;
/** Zoom per wheel pixel: exp(deltaY × this), so a notch of 100 px zooms by about 1.2. */
const WHEEL_ZOOM = 0.002;

export interface PointerTarget {
  /** The scrolling, focusable tree. */
  readonly scroller: HTMLElement;
  readonly labels: HTMLElement;
  readonly bars: HTMLCanvasElement;
  readonly list: RowList;
  readonly selection: Selection;
  readonly zoom: ZoomState;
}

export function bindPointer({ scroller, labels, bars, list, selection, zoom }: PointerTarget): void {
  const rowAtY = (offsetY: number) => list.rowAt(Math.floor((offsetY + scroller.scrollTop) / ROW_HEIGHT));
  let drag: { x: number; window: TimeWindow; moved: boolean } | undefined;

  labels.addEventListener('click', e => {
    const hit = RowLabels.hit(e.target);
    if (!hit) return;
    if (hit.twisty) list.toggle(hit.key);
    else selection.select(hit.key);
    scroller.focus();
  });

  bars.addEventListener('mousedown', e => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, window: zoom.window, moved: false };
    e.preventDefault();
    scroller.focus();
  });
  // On the window: a drag goes on when the pointer leaves the bars.
  window.addEventListener('mousemove', e => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) > CLICK_SLOP) drag.moved = true;
    if (drag.moved) zoom.panBy(-dx / Math.max(1, bars.clientWidth), drag.window);
  });
  window.addEventListener('mouseup', e => {
    const ended = drag;
    drag = undefined;
    if (!ended || ended.moved || e.target !== bars) return;
    const row = rowAtY(e.offsetY);
    if (row >= 0) selection.select(list.model!.key[row]);
  });
  bars.addEventListener('dblclick', e => {
    const row = rowAtY(e.offsetY);
    if (row >= 0) zoom.showSpan(list.model!.start[row]!, list.model!.duration[row]!);
  });

  scroller.addEventListener(
    'wheel',
    e => {
      const width = Math.max(1, bars.clientWidth);
      const rect = bars.getBoundingClientRect();
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const anchor = e.clientX >= rect.left ? xToTime(e.clientX - rect.left, zoom.window, width) : undefined;
        zoom.zoomBy(Math.exp(e.deltaY * WHEEL_ZOOM), anchor);
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const delta = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
        zoom.panBy(delta / width);
      }
    },
    { passive: false },
  );
}
