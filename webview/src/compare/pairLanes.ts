// One row of a comparison on the waterfall's canvas: the row tinted by what changed (the editor's diff colours),
// and two thin bars, A's above B's, each at its span's time from its own run's start on the one shared scale,
// so a span that moved or slowed shows as bars out of line. A's bar is drawn lighter: "before".
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import type { Palette } from '../timeline/theme';
import { type TimeWindow, formatDuration, timeToX } from '../timeline/timeAxis';
import { drawBar, labelX, offscreenHint } from '../timeline/barShapes';
import { type ChangeKind, type ComparisonModel, changeKind } from './comparisonModel';

/** Opacity of A's bar and of a changed row's tint. */
const A_ALPHA = 0.5;
const TINT_ALPHA = 0.13;

export function kindColour(kind: ChangeKind, p: Palette): string | undefined {
  return kind === 'added' ? p.added : kind === 'removed' ? p.removed : kind === 'modified' ? p.modified : undefined;
}

/** "810 ms (+300 ms)": B's duration and how it differs from A's; a one-sided row says which run it is in. */
export function durationLabel(hasA: boolean, hasB: boolean, durationA: number, durationB: number): string {
  if (hasA && hasB) {
    const delta = durationB - durationA;
    if (Math.abs(delta) < 0.0005) return formatDuration(durationB);
    return `${formatDuration(durationB)} (${delta > 0 ? '+' : '−'}${formatDuration(Math.abs(delta))})`;
  }
  return hasA ? `${formatDuration(durationA)} (only in A)` : `${formatDuration(durationB)} (only in B)`;
}

export function drawPairRow(
  ctx: CanvasRenderingContext2D,
  m: ComparisonModel,
  i: number,
  y: number,
  rh: number,
  width: number,
  f: { readonly window: TimeWindow; readonly palette: Palette },
  selected: boolean,
): void {
  const c = m.columns;
  const p = f.palette;
  const win = f.window;
  const colour = kindColour(changeKind(c.change[i]!), p);
  if (colour) {
    if (!selected) {
      ctx.globalAlpha = TINT_ALPHA;
      ctx.fillStyle = colour;
      ctx.fillRect(0, y, width, rh);
      ctx.globalAlpha = 1;
    }
    ctx.fillStyle = colour;
    ctx.fillRect(0, y, 3, rh);
  }
  const hasA = c.keyA[i]! >= 0;
  const hasB = c.keyB[i]! >= 0;
  const laneH = Math.max(3, Math.floor((rh - 8) / 2));
  const lanes = [
    { has: hasA, s: c.startA[i]!, d: c.durationA[i]!, flags: c.flagsA[i]!, top: y + 3, alpha: A_ALPHA },
    { has: hasB, s: c.startB[i]!, d: c.durationB[i]!, flags: c.flagsB[i]!, top: y + 5 + laneH, alpha: 1 },
  ];
  let right = -Infinity;
  let left = Infinity;
  let offscreen: 'left' | 'right' | undefined;
  for (const lane of lanes) {
    if (!lane.has) continue;
    let x0 = timeToX(lane.s, win, width);
    let x1 = timeToX(lane.s + lane.d, win, width);
    if (x1 < -50 || x0 > width + 50) {
      offscreen = x1 < 0 ? 'left' : 'right';
      continue;
    }
    x0 = Math.max(-2, x0);
    x1 = Math.min(width + 2, Math.max(x1, x0 + 1.5));
    ctx.globalAlpha = lane.alpha;
    drawBar(ctx, x0, x1, lane.top, laneH, lane.flags & SpanFacts.error ? p.error : p.cls[c.cls[i]!]!, lane.flags, p);
    ctx.globalAlpha = 1;
    left = Math.min(left, x0);
    right = Math.max(right, x1);
  }
  if (right === -Infinity) {
    if (offscreen) offscreenHint(ctx, offscreen, y + rh / 2, width, p);
    return;
  }
  const label = durationLabel(hasA, hasB, c.durationA[i]!, c.durationB[i]!);
  const lx = labelX(left, right, ctx.measureText(label).width, width);
  ctx.fillStyle = p.muted;
  if (lx !== undefined) ctx.fillText(label, lx, y + rh / 2);
}
