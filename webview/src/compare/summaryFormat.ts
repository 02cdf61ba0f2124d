// Numbers of a comparison as a person reads them: a figure in its unit, and the change from A to B, absolute and
// in percent. Plain functions (no DOM), tested in Node.
import { formatDuration } from '../timeline/timeAxis';

export type SummaryUnit = 'nanoseconds' | 'count' | 'tokens' | 'currency';

/** 12,345: toLocaleString's first call loads locale data, a visible part of opening a page. */
export function thousands(n: number): string {
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '−' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

function money(x: number, currency: string | undefined): string {
  const text = Math.abs(x).toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return `${x < 0 ? '−' : ''}${text}${currency ? ` ${currency}` : ''}`;
}

export function formatFigure(value: number, unit: SummaryUnit, currency?: string): string {
  switch (unit) {
    case 'nanoseconds':
      return formatDuration(value / 1e6);
    case 'currency':
      return money(value, currency);
    default:
      return thousands(value);
  }
}

export interface Delta {
  /** "+300 ms", "−2", "±0". */
  readonly absolute: string;
  /** "+58.1%", "new" when A was 0, '' when both are 0. */
  readonly percent: string;
  readonly sign: -1 | 0 | 1;
}

export function formatDelta(a: number, b: number, unit: SummaryUnit, currency?: string): Delta {
  const d = b - a;
  const sign = d > 0 ? 1 : d < 0 ? -1 : 0;
  if (sign === 0) return { absolute: '±0', percent: a === 0 ? '' : '0%', sign };
  const magnitude = formatFigure(Math.abs(d), unit, currency);
  const absolute = `${sign > 0 ? '+' : '−'}${magnitude}`;
  if (a === 0) return { absolute, percent: 'new', sign };
  const pct = (d / Math.abs(a)) * 100;
  const digits = Math.abs(pct) >= 100 ? 0 : 1;
  return { absolute, percent: `${pct > 0 ? '+' : '−'}${Math.abs(pct).toFixed(digits)}%`, sign };
}
