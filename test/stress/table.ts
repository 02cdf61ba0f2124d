// One row of the stress table: what was tried, whether the receiver held, and the figures. A row's status is
// always computed from what was measured; `open` names the item of issue 18 a row belongs to when that item is
// not delivered yet, so its shortfall is reported without failing the run.

export type RowStatus = 'held' | 'falls short' | 'not measured yet';

export interface StressRow {
  readonly row: string;
  readonly status: RowStatus;
  readonly figures: string;
  /** The open item of issue 18 this row waits for (its shortfall does not fail the run). */
  readonly open?: string;
}

export const held = (ok: boolean): RowStatus => (ok ? 'held' : 'falls short');

const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
};

/** The table as text: row | status | figures, wrapped to fit a terminal. */
export function formatTable(rows: readonly StressRow[]): string {
  const rowWidth = 46;
  const statusWidth = 16;
  const figuresWidth = 70;
  const out: string[] = [];
  const line = (a: string, b: string, c: string) => out.push(`${a.padEnd(rowWidth)} | ${b.padEnd(statusWidth)} | ${c}`.trimEnd());
  line('row', 'status', 'figures');
  out.push(`${'-'.repeat(rowWidth)}-+-${'-'.repeat(statusWidth)}-+-${'-'.repeat(figuresWidth)}`);
  for (const r of rows) {
    const a = wrap(r.row, rowWidth);
    const c = wrap(r.open ? `${r.figures} (open: ${r.open})` : r.figures, figuresWidth);
    for (let i = 0; i < Math.max(a.length, c.length); i++) line(a[i] ?? '', i === 0 ? r.status : '', c[i] ?? '');
  }
  return out.join('\n');
}

export const ms = (x: number): string => `${Math.round(x).toLocaleString('en-US')} ms`;
export const mb = (x: number): string => `${Math.round(x).toLocaleString('en-US')} MB`;
export const n = (x: number): string => x.toLocaleString('en-US');
