// The time window the bars show (zoom and pan), always inside the run's bounds. Whether the user chose the
// window is kept too: a live update refits an untouched view to the grown run, but leaves a chosen window alone.
// No DOM: the keyboard, the wheel, drags and the minimap all end in these few operations.
import { MIN_WINDOW_MS, type TimeWindow, panBy, zoomAround } from './timeAxis';

/** Air around a span zoomed to, as a fraction of its duration. */
const SPAN_MARGIN = 0.05;

export class ZoomState {
  private bounds: TimeWindow = { start: 0, end: 1 };
  private current: TimeWindow = this.bounds;
  private chosen = false;

  constructor(private readonly onChange: () => void) {}

  get window(): TimeWindow {
    return this.current;
  }

  /** The whole run with a little air: the widest window. */
  get runBounds(): TimeWindow {
    return this.bounds;
  }

  /** The run's rows changed. `newRun`: the user's window belonged to another run, so fit this one. */
  fit(bounds: TimeWindow, newRun: boolean): void {
    this.bounds = bounds;
    if (newRun) this.chosen = false;
    if (!this.chosen) this.current = bounds;
    this.onChange();
  }

  /** Fits the whole run into the width. */
  reset(): void {
    this.chosen = false;
    this.current = this.bounds;
    this.onChange();
  }

  /** Shows `win`, moved and narrowed into the run's bounds. */
  show(win: TimeWindow): void {
    this.chosen = true;
    this.current = zoomAround(win, win.start, 1, this.bounds);
    this.onChange();
  }

  /** Zooms by `factor` (< 1 zooms in) around `anchor` (a time; the middle by default). */
  zoomBy(factor: number, anchor = (this.current.start + this.current.end) / 2): void {
    this.show(zoomAround(this.current, anchor, factor, this.bounds));
  }

  /** Pans by a fraction of the width of `from` (the window a drag started with; the current one by default). */
  panBy(fraction: number, from: TimeWindow = this.current): void {
    this.show(panBy(from, (from.end - from.start) * fraction, this.bounds));
  }

  /** Keeps the width and puts time `t` in the middle. */
  centerOn(t: number): void {
    const half = (this.current.end - this.current.start) / 2;
    this.show({ start: t - half, end: t + half });
  }

  /** Fills the width with one span. */
  showSpan(start: number, duration: number): void {
    const d = Math.max(duration, MIN_WINDOW_MS);
    this.show({ start: start - d * SPAN_MARGIN, end: start + d * (1 + SPAN_MARGIN) });
  }
}
