// Draws the bars of the rows on screen into one canvas. Only visible rows are touched, so a frame costs the
// same for 100 rows or 100,000. Text (durations) is drawn with fillText: it is never markup. A comparison's
// rows hold two thin bars, one per run (compare/pairLanes.ts draws them with drawBar).
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import { type ComparisonModel } from '../compare/comparisonModel';
import { drawPairRow } from '../compare/pairLanes';
import { drawBar, labelX, offscreenHint } from './barShapes';
import { type RowModel, firstEventOf } from './rowModel';
import type { Palette } from './theme';
import { type TimeWindow, formatDuration, ticks, timeToX } from './timeAxis';
import type { RowRange } from './virtualList';
import { sizeCanvas } from '../dom';

export interface WaterfallFrame {
  readonly model: RowModel;
  readonly visible: Int32Array;
  readonly range: RowRange;
  readonly scrollTop: number;
  readonly rowHeight: number;
  readonly window: TimeWindow;
  readonly selected: number;
  readonly matches: Uint8Array | undefined;
  readonly critical: Uint8Array | undefined;
  readonly palette: Palette;
  /** When the rows are a comparison's pairs: both runs' bars on each row. */
  readonly comparison?: ComparisonModel;
}

export class WaterfallRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private width = 0;
  private height = 0;
  private dpr = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { alpha: true })!;
  }

  /** Matches the backing store to the CSS size (and the device pixel ratio) when they changed. */
  resize(width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    if (width === this.width && height === this.height && dpr === this.dpr) return;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    sizeCanvas(this.canvas, width, height, dpr);
  }

  /** Measures and draws a label once, out of sight: the first use of a font costs tens of milliseconds. */
  warmUp(p: Palette): void {
    const { ctx } = this;
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = p.muted;
    ctx.measureText('1.25 ms');
    ctx.fillText('0123456789.µms', -1000, -1000);
  }

  draw(f: WaterfallFrame): void {
    const { ctx, width, height } = this;
    const { model, palette: p, rowHeight: rh, window: win } = f;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    // Grid lines at the axis ticks.
    ctx.fillStyle = p.grid;
    for (const t of ticks(win, width).values) ctx.fillRect(Math.round(timeToX(t, win, width)), 0, 1, height);
    const barH = Math.max(4, rh - 10);
    for (let pos = f.range.first; pos < f.range.end; pos++) {
      const i = f.visible[pos]!;
      const y = pos * rh - f.scrollTop;
      if (i === f.selected) {
        ctx.fillStyle = p.selection;
        ctx.fillRect(0, y, width, rh);
      } else if (f.matches?.[i]) {
        ctx.fillStyle = p.match;
        ctx.fillRect(0, y, width, rh);
      }
      if (f.comparison) {
        drawPairRow(ctx, f.comparison, i, y, rh, width, f, i === f.selected);
        continue;
      }
      const flags = model.flags[i]!;
      const s = model.start[i]!;
      const d = model.duration[i]!;
      let x0 = timeToX(s, win, width);
      let x1 = timeToX(s + d, win, width);
      if (x1 < -50 || x0 > width + 50) {
        this.offscreenHint(x1 < 0 ? 'left' : 'right', y, rh, p);
        continue;
      }
      x0 = Math.max(-2, x0);
      x1 = Math.min(width + 2, Math.max(x1, x0 + 1.5));
      const by = y + (rh - barH) / 2;
      const colour = flags & SpanFacts.error ? p.error : p.cls[model.cls[i]!]!;
      drawBar(ctx, x0, x1, by, barH, colour, flags, p);
      if (flags & SpanFacts.inferredEdge) {
        // An inferred parent edge: a dashed lead-in on the left says "nested by time, not by parent id".
        ctx.strokeStyle = p.muted;
        ctx.setLineDash([2, 2]);
        ctx.beginPath();
        ctx.moveTo(Math.max(0, x0 - 10), y + rh / 2);
        ctx.lineTo(x0, y + rh / 2);
        ctx.stroke();
        ctx.setLineDash([]);
      }
      if (f.critical?.[i]) {
        ctx.fillStyle = p.critical;
        ctx.fillRect(x0, by + barH - 2, x1 - x0, 3);
      }
      this.drawEvents(f, i, y, rh, width);
      const label = formatDuration(d);
      const lx = labelX(x0, x1, ctx.measureText(label).width, width);
      ctx.fillStyle = p.muted;
      if (lx !== undefined) ctx.fillText(label, lx, y + rh / 2);
    }
  }

  private drawEvents(f: WaterfallFrame, row: number, y: number, rh: number, width: number): void {
    const { model, palette: p, window: win } = f;
    const ctx = this.ctx;
    for (let j = firstEventOf(model, row); j < model.eventRow.length && model.eventRow[j] === row; j++) {
      const x = timeToX(model.eventTime[j]!, win, width);
      if (x < -4 || x > width + 4) continue;
      const exception = model.eventException[j] === 1;
      ctx.fillStyle = exception ? p.error : p.foreground;
      ctx.strokeStyle = p.background;
      // A diamond for exceptions, a thin tick for other events.
      if (exception) {
        ctx.beginPath();
        ctx.moveTo(x, y + 2);
        ctx.lineTo(x + 4, y + rh / 2);
        ctx.lineTo(x, y + rh - 2);
        ctx.lineTo(x - 4, y + rh / 2);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
      } else {
        ctx.fillRect(Math.round(x) - 1, y + 3, 2, rh - 6);
      }
    }
  }

  private offscreenHint(side: 'left' | 'right', y: number, rh: number, p: Palette): void {
    offscreenHint(this.ctx, side, y + rh / 2, this.width, p);
  }
}
