// The shapes a waterfall row is drawn with, shared by a run's rows and a comparison's two-lane rows.
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import type { Palette } from './theme';

/** One span's bar from x0 to x1 at `by`, `h` high: filled in its colour, a placeholder dashed. */
export function drawBar(ctx: CanvasRenderingContext2D, x0: number, x1: number, by: number, h: number, colour: string, flags: number, p: Palette): void {
  if (flags & SpanFacts.placeholder) {
    ctx.strokeStyle = p.muted;
    ctx.setLineDash([3, 3]);
    ctx.strokeRect(x0 + 0.5, by + 0.5, x1 - x0 - 1, h - 1);
    ctx.setLineDash([]);
    return;
  }
  ctx.fillStyle = colour;
  ctx.fillRect(x0, by, x1 - x0, h);
  if (p.highContrast) {
    ctx.strokeStyle = p.border;
    ctx.strokeRect(x0 + 0.5, by + 0.5, x1 - x0 - 1, h - 1);
  }
}

/** Where a duration label fits: right of the bar, else left of it; undefined when neither. */
export function labelX(x0: number, x1: number, textWidth: number, width: number): number | undefined {
  if (x1 + 4 + textWidth < width) return x1 + 4;
  if (x0 - 4 - textWidth > 0) return x0 - 4 - textWidth;
  return undefined;
}

/** A small triangle at the edge: the bar of this row lies outside the window, that way. */
export function offscreenHint(ctx: CanvasRenderingContext2D, side: 'left' | 'right', midY: number, width: number, p: Palette): void {
  ctx.fillStyle = p.muted;
  const x = side === 'left' ? 2 : width - 6;
  ctx.beginPath();
  ctx.moveTo(side === 'left' ? x : x + 4, midY);
  ctx.lineTo(side === 'left' ? x + 4 : x, midY - 4);
  ctx.lineTo(side === 'left' ? x + 4 : x, midY + 4);
  ctx.fill();
}
