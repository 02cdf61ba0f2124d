// The benchmark harness: each suite returns rows; index.ts prints them as one table.
// Rules (DEVELOPERS.md): medians over several runs, and comparisons measured side by side in the same run,
// because these machines are shared and noisy. A row's `ratio` compares it with its `baseline` row.

export interface BenchRow {
  /** Suite and case, e.g. "receiver / http protobuf / batch 512". */
  readonly name: string;
  /** The median of the runs. */
  readonly median: number;
  readonly unit: string;
  /** How many runs the median is over. */
  readonly runs: number;
  /** Higher is better (throughput) or lower is better (latency, bytes). */
  readonly better: 'higher' | 'lower';
  /** Name of the row this one is compared with, measured in the same run. */
  readonly baseline?: string;
  readonly note?: string;
}

export interface BenchSuite {
  readonly name: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}

export interface BenchOptions {
  /** Runs per case; the median is reported. */
  readonly runs: number;
  /** Smaller sizes and fewer runs, for a smoke test of the benchmarks themselves. */
  readonly quick: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs each case `runs` times, interleaved (a, b, a, b, ...) so that both see the same machine load,
 * after one unmeasured warm-up round. Each case returns its measurement for one run.
 */
export async function interleaved(runs: number, cases: Record<string, () => Promise<number> | number>): Promise<Record<string, number[]>> {
  const results: Record<string, number[]> = {};
  for (const name of Object.keys(cases)) results[name] = [];
  for (const fn of Object.values(cases)) await fn();
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(cases)) results[name]!.push(await fn());
  }
  return results;
}

/**
 * One table: name, median, unit, runs, and where a row has a baseline measured in the same run, the ratio
 * median / baseline median, with which direction is better.
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const byName = new Map(rows.map(r => [r.name, r]));
  const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));
  const lines = rows.map(r => {
    const base = r.baseline ? byName.get(r.baseline) : undefined;
    const ratio = base ? `${(r.median / base.median).toFixed(2)}x ${r.baseline} (${r.better} is better)` : '';
    return [r.name, fmt(r.median), r.unit, String(r.runs), ratio, r.note ?? ''];
  });
  const header = ['benchmark', 'median', 'unit', 'runs', 'ratio to baseline', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  return [row(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}
