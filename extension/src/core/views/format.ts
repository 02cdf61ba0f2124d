// How numbers and kinds read in the views: short, unit-bearing, stable in width where it matters.
import { SpanKind } from '../model/span';

/** `812 ns`, `4.2 µs`, `37 ms`, `1.24 s`, `3 m 05 s`. */
export function formatDuration(nanos: number): string {
  if (!Number.isFinite(nanos)) return '?';
  const sign = nanos < 0 ? '-' : '';
  const ns = Math.abs(nanos);
  if (ns < 1_000) return `${sign}${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${sign}${trim(ns / 1_000)} µs`;
  if (ns < 1_000_000_000) return `${sign}${trim(ns / 1_000_000)} ms`;
  const s = ns / 1_000_000_000;
  if (s < 60) return `${sign}${trim(s)} s`;
  const m = Math.floor(s / 60);
  return `${sign}${m} m ${String(Math.floor(s - m * 60)).padStart(2, '0')} s`;
}

/** Three significant digits at most, no trailing zeros: 4.2, 37, 812, 1.24. */
function trim(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(3)));
}

/** Local wall-clock time of a Unix millisecond timestamp: `14:03:27`. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `1,234`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Cuts a string to `max` characters with an ellipsis, for labels and tooltips of untrusted text. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const KIND_NAMES: Readonly<Record<SpanKind, string>> = {
  [SpanKind.Unspecified]: 'unspecified',
  [SpanKind.Internal]: 'internal',
  [SpanKind.Server]: 'server',
  [SpanKind.Client]: 'client',
  [SpanKind.Producer]: 'producer',
  [SpanKind.Consumer]: 'consumer',
};

/** `server`, `client`, ...: the OTLP span kind as a word; the number for a kind OTLP does not define. */
export function spanKindName(kind: SpanKind): string {
  return KIND_NAMES[kind] ?? String(kind);
}
