// The overview above the waterfall: every row squeezed into a small canvas (drawn once per state, then
// copied), with the shown time window on top. Dragging on it picks a new window; a click centres it.
import type { RowModel } from './rowModel';
import type { Palette } from './theme';
import { type TimeWindow, timeToX, xToTime } from './timeAxis';
import { sizeCanvas } from '../dom';

export class Minimap {
  private readonly ctx: CanvasRenderingContext2D;
  private overview: HTMLCanvasElement | undefined;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private drag: { x0: number } | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onPick: (win: TimeWindow | { center: number }) => void,
    private readonly bounds: () => TimeWindow,
  ) {
    this.ctx = canvas.getContext('2d')!;
    canvas.addEventListener('mousedown', e => {
      this.drag = { x0: e.offsetX };
      e.preventDefault();
    });
    window.addEventListener('mouseup', e => {
      if (!this.drag) return;
      const x0 = this.drag.x0;
      this.drag = undefined;
      const rect = canvas.getBoundingClientRect();
      const x1 = e.clientX - rect.left;
      const b = this.bounds();
      if (Math.abs(x1 - x0) < 4) this.onPick({ center: xToTime(x0, b, this.width) });
      else this.onPick({ start: xToTime(Math.min(x0, x1), b, this.width), end: xToTime(Math.max(x0, x1), b, this.width) });
    });
  }

  resize(width: number, height: number): void {
    const dpr = window.devicePixelRatio || 1;
    if (width === this.width && height === this.height && dpr === this.dpr) return;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    sizeCanvas(this.canvas, width, height, dpr);
    this.overview = undefined;
  }

  /** Forgets the cached overview (new rows, new theme). */
  invalidate(): void {
    this.overview = undefined;
  }

  draw(model: RowModel | undefined, win: TimeWindow, rows: { first: number; end: number; total: number }, p: Palette): void {
    const { ctx, width, height, dpr } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!model || model.count === 0) return;
    if (!this.overview) this.overview = this.paintOverview(model, p);
    ctx.drawImage(this.overview, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const b = this.bounds();
    const x0 = Math.max(0, timeToX(win.start, b, width));
    const x1 = Math.min(width, timeToX(win.end, b, width));
    ctx.globalAlpha = 0.35;
    ctx.fillStyle = p.selection;
    ctx.fillRect(x0, 0, Math.max(2, x1 - x0), height);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = p.foreground;
    ctx.strokeRect(x0 + 0.5, 0.5, Math.max(2, x1 - x0) - 1, height - 1);
    // Which rows the list shows, as a bar on the left edge.
    if (rows.total > 0) {
      ctx.fillStyle = p.foreground;
      ctx.fillRect(0, (rows.first / rows.total) * height, 3, Math.max(2, ((rows.end - rows.first) / rows.total) * height));
    }
  }

  private paintOverview(model: RowModel, p: Palette): HTMLCanvasElement {
    const c = document.createElement('canvas');
    c.width = this.canvas.width;
    c.height = this.canvas.height;
    const ctx = c.getContext('2d')!;
    const w = c.width;
    const h = c.height;
    const b = this.bounds();
    const scale = w / Math.max(1e-9, b.end - b.start);
    // Pixels written straight into an ImageData: 100k fillRect calls on a software canvas cost half a second,
    // this costs a few milliseconds. Later rows paint over earlier ones in the same pixel, as rectangles would.
    const colours = p.cls.map(cssToRgba);
    const image = ctx.createImageData(w, h);
    const px = new Uint32Array(image.data.buffer);
    for (let i = 0; i < model.count; i++) {
      const y = Math.floor((i / model.count) * h);
      const x0 = Math.max(0, Math.floor((model.start[i]! - b.start) * scale));
      const x1 = Math.min(w, Math.max(x0 + 1, Math.ceil((model.start[i]! + model.duration[i]! - b.start) * scale)));
      const colour = colours[model.cls[i]!]!;
      px.fill(colour, y * w + x0, y * w + x1);
    }
    ctx.putImageData(image, 0, 0);
    return c;
  }
}

let probe: CanvasRenderingContext2D | undefined;

/** A CSS colour as the little-endian RGBA word of an ImageData pixel, resolved by the canvas itself. */
function cssToRgba(colour: string): number {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = colour;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return ((a! << 24) | (b! << 16) | (g! << 8) | r!) >>> 0;
}
