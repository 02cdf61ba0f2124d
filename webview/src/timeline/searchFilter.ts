// In-trace filters: by name (here, instantly), by attribute (the host answers with keys), by duration and by
// errors. A row matches when it passes every filter that is set.
import { SpanFacts } from '../../../extension/src/protocol/spanFacts';
import type { RowModel } from './rowModel';

export interface RowFilter {
  /** Case-insensitive text; matches names here and, through `hostKeys`, attributes. */
  readonly text: string;
  /** Keys the host found for `text` in attributes; undefined while it has not answered. */
  readonly hostKeys?: ReadonlySet<number>;
  /** Only spans at least this long (ms); 0 = any. */
  readonly minDurationMs: number;
  readonly errorsOnly: boolean;
}

export function isActive(filter: RowFilter): boolean {
  return filter.text.trim() !== '' || filter.minDurationMs > 0 || filter.errorsOnly;
}

/** matches[i] = 1 for rows passing the filter; undefined when no filter is set. */
export function matchRows(model: RowModel, filter: RowFilter): Uint8Array | undefined {
  if (!isActive(filter)) return undefined;
  const needle = filter.text.trim().toLowerCase();
  // Names repeat a lot in agent runs: test each distinct name once.
  const nameHit = new Uint8Array(model.names.length);
  if (needle !== '') for (let j = 0; j < model.names.length; j++) nameHit[j] = model.names[j]!.toLowerCase().includes(needle) ? 1 : 0;
  const out = new Uint8Array(model.count);
  for (let i = 0; i < model.count; i++) {
    if (filter.errorsOnly && !(model.flags[i]! & SpanFacts.error)) continue;
    if (filter.minDurationMs > 0 && model.duration[i]! < filter.minDurationMs) continue;
    if (needle !== '' && !nameHit[model.name[i]!] && !filter.hostKeys?.has(model.key[i]!)) continue;
    out[i] = 1;
  }
  return out;
}

/** The next matching list position after `from` (wrapping), or -1. */
export function nextMatch(visible: Int32Array, matches: Uint8Array, from: number, backwards = false): number {
  const n = visible.length;
  for (let step = 1; step <= n; step++) {
    const pos = (((from + (backwards ? -step : step)) % n) + n) % n;
    if (matches[visible[pos]!]) return pos;
  }
  return -1;
}
