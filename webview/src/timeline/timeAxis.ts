// Time math of the waterfall, kept apart from drawing so it is tested in plain Node. Times are milliseconds
// from the run's start (fractional); a window is the time range the bar area shows.

export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** Narrowest window: one microsecond across the whole width. */
export const MIN_WINDOW_MS = 0.001;

/** The whole run with a little air on both sides. */
export function fitWindow(minTime: number, maxTime: number): TimeWindow {
  const width = Math.max(maxTime - minTime, MIN_WINDOW_MS);
  const pad = width * 0.02;
  return { start: minTime - pad, end: maxTime + pad };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping `anchor` (a time) at the same place on screen, within
 * [MIN_WINDOW_MS, the fitted run width].
 */
export function zoomAround(win: TimeWindow, anchor: number, factor: number, bounds: TimeWindow): TimeWindow {
  const width = win.end - win.start;
  const maxWidth = Math.max(bounds.end - bounds.start, MIN_WINDOW_MS);
  const next = Math.min(maxWidth, Math.max(MIN_WINDOW_MS, width * factor));
  const fraction = width > 0 ? (anchor - win.start) / width : 0.5;
  const start = anchor - fraction * next;
  return clampWindow({ start, end: start + next }, bounds);
}

/** Moves the window by `delta` ms, never past the run's bounds. */
export function panBy(win: TimeWindow, delta: number, bounds: TimeWindow): TimeWindow {
  return clampWindow({ start: win.start + delta, end: win.end + delta }, bounds);
}

export function clampWindow(win: TimeWindow, bounds: TimeWindow): TimeWindow {
  const width = win.end - win.start;
  const boundsWidth = bounds.end - bounds.start;
  if (width >= boundsWidth) return { start: bounds.start, end: bounds.start + width };
  if (win.start < bounds.start) return { start: bounds.start, end: bounds.start + width };
  if (win.end > bounds.end) return { start: bounds.end - width, end: bounds.end };
  return win;
}

export function timeToX(t: number, win: TimeWindow, width: number): number {
  return ((t - win.start) / (win.end - win.start)) * width;
}

export function xToTime(x: number, win: TimeWindow, width: number): number {
  return win.start + (x / Math.max(1, width)) * (win.end - win.start);
}

/** Tick positions at a 1-2-5 step that leaves at least `minPx` between labels. */
export function ticks(win: TimeWindow, width: number, minPx = 90): { step: number; values: number[] } {
  const span = win.end - win.start;
  if (!(span > 0) || width <= 0) return { step: 0, values: [] };
  const raw = (span * minPx) / width;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * pow).find(s => s >= raw) ?? 10 * pow;
  const values: number[] = [];
  // Each tick is k·step computed afresh (no running sum), and kept only if it really lies in the window: far
  // from zero, k·step can round just outside it.
  for (let k = Math.ceil(win.start / step); values.length < 1000; k++) {
    const v = k * step;
    if (v > win.end) break;
    if (v >= win.start) values.push(v);
  }
  return { step, values };
}

/** A duration as a person reads it: 850 ns, 12.5 µs, 3.20 ms, 1.50 s, 2m 05s. */
export function formatDuration(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a === 0) return '0 ms';
  if (a < 0.001) return `${sign}${Math.round(a * 1e6)} ns`;
  if (a < 1) return `${sign}${trim(a * 1000)} µs`;
  if (a < 1000) return `${sign}${trim(a)} ms`;
  if (a < 60_000) return `${sign}${trim(a / 1000)} s`;
  const totalS = Math.round(a / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${sign}${h}h ${String(m).padStart(2, '0')}m` : `${sign}${m}m ${String(s).padStart(2, '0')}s`;
}

/** Three significant digits, without trailing zeros after the point. */
function trim(x: number): string {
  const s = x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A tick label: the offset from the run's start, in the unit of the step. */
export function formatTick(t: number, step: number): string {
  if (step <= 0) return '';
  if (t === 0) return '0';
  if (step < 0.001) return `${trimFixed(t * 1e6, step * 1e6)} ns`;
  if (step < 1) return `${trimFixed(t * 1000, step * 1000)} µs`;
  if (step < 1000) return `${trimFixed(t, step)} ms`;
  return `${trimFixed(t / 1000, step / 1000)} s`;
}

function trimFixed(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}
