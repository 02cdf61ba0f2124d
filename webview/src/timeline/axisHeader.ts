// The header above the waterfall: the name column's title, and the time axis whose tick labels sit on the
// same 1-2-5 steps as the grid lines the bars draw (timeAxis.ticks), so label and line always agree.
import { el, sizeCanvas } from '../dom';
import type { Palette } from './theme';
import { type TimeWindow, formatTick, ticks, timeToX } from './timeAxis';

/** CSS pixels; media/timeline.css gives .axis-header the same height. */
const AXIS_HEIGHT = 22;

export class AxisHeader {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;

  constructor() {
    this.element = el('div', 'axis-header');
    this.canvas = el('canvas', 'axis', undefined, { 'aria-hidden': 'true' });
    this.ctx = this.canvas.getContext('2d')!;
    this.element.append(el('div', 'name-header', 'Span'), this.canvas);
  }

  /** Draws the ticks of `win` across `width` CSS pixels. */
  draw(win: TimeWindow, width: number, p: Palette): void {
    const dpr = window.devicePixelRatio || 1;
    const h = AXIS_HEIGHT;
    // Resizing a canvas clears and reallocates it: only when the size really changed.
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(h * dpr)) sizeCanvas(this.canvas, width, h, dpr);
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, h);
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    const { step, values } = ticks(win, width);
    for (const t of values) {
      const x = Math.round(timeToX(t, win, width));
      ctx.fillStyle = p.grid;
      ctx.fillRect(x, 0, 1, h);
      ctx.fillStyle = p.muted;
      ctx.fillText(formatTick(t, step), x + 3, h / 2);
    }
  }
}
