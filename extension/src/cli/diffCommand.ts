// `msgtrace diff A B`: compares one run of each of two OTLP/JSON files (written by `msgtrace record` or exported
// from the extension) and says what changed, for people and for CI (docs/compare.md, "msgtrace diff"). The
// comparison itself is core/compare's; this file loads, picks the runs, prints and decides the exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareRuns } from '../core/compare/compareRuns';
import { ANY_CHANGE, Change, type RunComparison, type RunSide, type SummaryRow } from '../core/compare/comparison';
import { diffPair, statusWord } from '../core/compare/pairDiff';
import { batchSpanCount } from '../core/model/batch';
import { StatusCode } from '../core/model/span';
import { DEFAULT_DECODE_LIMITS } from '../core/otlp/decodeError';
import { decodeTraceRequestJson } from '../core/otlp/jsonDecoder';
import type { Run } from '../core/store/run';
import { TraceStore } from '../core/store/traceStore';
import { formatDuration } from '../core/views/format';
import { OtlpFileError, readOtlpJsonFile } from '../storage/otlpJsonFileReader';
import { UsageError } from './cliOptions';

export const DIFF_USAGE = `usage: msgtrace diff A B [--run N] [--service NAME] [--json]
                     [--max-duration-increase P%] [--max-cost-increase P%] [--fail-on-new-errors]

Compares a run of file A with a run of file B (OTLP/JSON lines as \`msgtrace record\` writes them, or runs
exported from VS Code) and prints the run summary (A → B with the change) and the spans that changed.
A file with one run needs no choice; otherwise pick with --run or --service (given once for both files, or
twice: first for A, then for B).

options:
  --run N                      the N-th run of the file, oldest first, as listed when a file holds several
  --service NAME               the run whose service.name is NAME
  --json                       print one JSON object instead of text
  --max-duration-increase P%   exit 1 when B's total time is more than P % above A's
  --max-cost-increase P%       exit 1 when B's cost is more than P % above A's (any cost above none counts)
  --fail-on-new-errors         exit 1 when a span fails in B that did not fail in A
  -h, --help                   this text

exit codes: 0 no threshold crossed, 1 a threshold crossed (stderr says which), 2 bad usage or input (a file
that is not OTLP/JSON, no such run, or two runs that share no span: then the comparison is still printed).
`;

export interface DiffArgs {
  readonly fileA: string;
  readonly fileB: string;
  /** 1-based run numbers for A and B (undefined: not chosen). */
  readonly run: readonly [number | undefined, number | undefined];
  readonly service: readonly [string | undefined, string | undefined];
  readonly json: boolean;
  /** Percent limits; undefined when not given. */
  readonly maxDurationIncrease: number | undefined;
  readonly maxCostIncrease: number | undefined;
  readonly failOnNewErrors: boolean;
}

/** Where the command writes; the bench and tests pass their own. */
export interface DiffOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: DiffOutput = { out: t => process.stdout.write(t), err: t => process.stderr.write(t) };

/** Changed spans the text output lists before it says "… N more". JSON lists all of them. */
const TEXT_ROWS = 200;
/** Names a changed span's path holds at most (the innermost ones), after a leading '…'. */
const PATH_DEPTH = 32;
/** Changed spans JSON gives in full (diffPair: text diffs, attributes); the rest with their figures only. */
const JSON_DETAILS = 1_000;

export function parseDiffArgs(argv: readonly string[]): DiffArgs {
  const files: string[] = [];
  const runs: number[] = [];
  const services: string[] = [];
  let json = false;
  let maxDurationIncrease: number | undefined;
  let maxCostIncrease: number | undefined;
  let failOnNewErrors = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--run': {
        const v = value();
        if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--run needs a run number (1, 2, ...), got ${v}`);
        runs.push(Number(v));
        break;
      }
      case '--service':
        services.push(value());
        break;
      case '--json':
        json = true;
        break;
      case '--max-duration-increase':
        maxDurationIncrease = percent(flag, value());
        break;
      case '--max-cost-increase':
        maxCostIncrease = percent(flag, value());
        break;
      case '--fail-on-new-errors':
        failOnNewErrors = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        files.push(a);
    }
  }
  if (files.length !== 2) throw new UsageError(`diff needs two files, A and B${files.length > 2 ? `; got ${files.length}` : ''}`);
  if (runs.length > 2 || services.length > 2) throw new UsageError('--run and --service are given at most twice (A, then B)');
  return {
    fileA: files[0]!,
    fileB: files[1]!,
    run: [runs[0], runs[1] ?? runs[0]],
    service: [services[0], services[1] ?? services[0]],
    json,
    maxDurationIncrease,
    maxCostIncrease,
    failOnNewErrors,
  };
}

function percent(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(v);
  if (!m) throw new UsageError(`${flag} needs a percentage such as 20%, got ${v}`);
  return Number(m[1]);
}

/** A problem with the input: printed as `msgtrace diff: …`, exit 2. */
class InputError extends Error {}

export async function diffMain(argv: readonly string[], output: DiffOutput = processOutput): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    output.out(DIFF_USAGE);
    return 0;
  }
  let args: DiffArgs;
  try {
    args = parseDiffArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    output.err(`msgtrace: ${err.message}\n\n${DIFF_USAGE}`);
    return 2;
  }
  const stores: TraceStore[] = [];
  try {
    const a = await loadSide(args.fileA, args.run[0], args.service[0], stores);
    const b = await loadSide(args.fileB, args.run[1], args.service[1], stores);
    // No event loop to keep responsive here: one slice.
    const comparison = (await compareRuns(a.side, b.side, { sliceMs: Infinity }))!;
    return report(args, a, b, comparison, output);
  } catch (err) {
    // Whatever went wrong, it is not "a threshold was crossed" (exit 1): CI must not read it as a regression.
    const known = err instanceof OtlpFileError || err instanceof InputError;
    output.err(`msgtrace diff: ${known ? err.message : `failed: ${err instanceof Error ? err.message : String(err)}`}\n`);
    return 2;
  } finally {
    for (const s of stores) s.dispose();
  }
}

interface LoadedSide {
  readonly file: string;
  readonly side: RunSide;
  /** 1-based, oldest first. */
  readonly number: number;
}

async function loadSide(file: string, run: number | undefined, service: string | undefined, stores: TraceStore[]): Promise<LoadedSide> {
  const store = (await loadLines(file)) ?? (await loadWithReader(file));
  stores.push(store);
  store.flush();
  // Numbered oldest first by their start, so the numbers do not depend on the order the file lists spans in.
  const runs = store.runs().filter(r => r.spanCount > 0).sort((x, y) => x.startMs - y.startMs || x.startSubMsNanos - y.startSubMsNanos || x.id - y.id);
  const name = path.basename(file);
  const candidates = runs.map((r, i) => ({ r, n: i + 1 })).filter(c => (run === undefined || c.n === run) && (service === undefined || c.r.serviceName === service));
  if (candidates.length === 1) return { file, side: { store, run: candidates[0]!.r }, number: candidates[0]!.n };
  const list = runs.map((r, i) => `  ${runLine(r, i + 1)}`).join('\n');
  const chosen = [run !== undefined ? `--run ${run}` : '', service !== undefined ? `--service ${service}` : ''].filter(Boolean).join(' ');
  if (candidates.length === 0) throw new InputError(`${name}: no run matches ${chosen}; its runs:\n${list}`);
  throw new InputError(`${name} holds ${candidates.length} runs${chosen ? ` matching ${chosen}` : ''}; choose one with --run N or --service NAME:\n${list}`);
}

// Files are compared as they are: nothing is evicted, however large.
const newStore = () => new TraceStore({ retention: { maxSpans: Infinity, maxBytes: Infinity } });

async function loadWithReader(file: string): Promise<TraceStore> {
  const read = await readOtlpJsonFile(file);
  const store = newStore();
  for (const batch of read.batches) store.ingest(batch, { transport: 'file', path: file });
  return store;
}

/** Files above this size are left to the reader, which streams them. */
const ONE_PASS_MAX_BYTES = 256 * 1024 * 1024;

/**
 * The common case made fast: OTLP/JSON lines as `msgtrace record` writes them, each line decoded in one pass over
 * its bytes into columns (core/otlp/jsonDecoder.ts, as the receiver decodes a JSON request) rather than JSON.parse
 * into Span objects whose rest is encoded again at ingest: 1.7x faster on 100k spans. Anything else (gzip, one
 * pretty-printed document, a line without spans, a line that does not decode) gives undefined, and the file is read
 * by storage/otlpJsonFileReader.ts, whose messages name the line.
 */
async function loadLines(file: string): Promise<TraceStore | undefined> {
  let bytes: Buffer;
  try {
    if ((await fs.promises.stat(file)).size > ONE_PASS_MAX_BYTES) return undefined;
    bytes = await fs.promises.readFile(file);
  } catch {
    return undefined;
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return undefined;
  const store = newStore();
  const origin = { transport: 'file', path: file } as const;
  try {
    for (let start = 0; start < bytes.length; ) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl;
      const line = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
      start = end + 1;
      if (line.every(b => b === 0x20 || b === 0x09)) continue;
      const batch = decodeTraceRequestJson(line, DEFAULT_DECODE_LIMITS, { columns: true });
      if (batchSpanCount(batch) === 0) throw new Error('no spans on a line');
      store.ingest(batch, origin);
    }
  } catch {
    store.dispose();
    return undefined;
  }
  if (store.stats.spans > 0) return store;
  store.dispose();
  return undefined;
}

function runLine(r: Run, n: number): string {
  const started = Number.isFinite(r.startMs) ? new Date(r.startMs).toISOString() : '?';
  return `#${n}  ${r.serviceName || '(no service.name)'}  started ${started}  ${plural(r.spanCount, 'span')}  ${formatDuration(r.durationNanos)}`;
}

// ------------------------------------------------------------------ the report

interface Threshold {
  readonly name: string;
  readonly crossed: boolean;
  readonly message: string;
}

interface ChangedSpan {
  readonly index: number;
  readonly path: readonly string[];
  readonly bits: number;
}

function report(args: DiffArgs, a: LoadedSide, b: LoadedSide, c: RunComparison, output: DiffOutput): number {
  const changed = changedSpans(c);
  const thresholds = checkThresholds(args, c);
  const sharesNothing = c.summary.matched === 0;
  if (args.json) output.out(`${JSON.stringify(jsonReport(a, b, c, changed, thresholds))}\n`);
  else output.out(textReport(a, b, c, changed));
  if (sharesNothing) output.err(`msgtrace diff: the two runs share no span (no name and class in common at any place): are they runs of the same program?\n`);
  const crossed = thresholds.filter(t => t.crossed);
  for (const t of crossed) output.err(`msgtrace diff: threshold crossed: ${t.message}\n`);
  return sharesNothing ? 2 : crossed.length > 0 ? 1 : 0;
}

function changedSpans(c: RunComparison): ChangedSpan[] {
  const al = c.alignment;
  const names = new PairNames(c);
  const out: ChangedSpan[] = [];
  for (let p = 0; p < al.count; p++) {
    const bits = c.changes[p]! & ANY_CHANGE;
    if (bits === 0) continue;
    // A span only in one run is listed once, not again for each of its descendants.
    const parent = al.parent[p]!;
    if (parent >= 0 && c.changes[parent]! & (Change.onlyA | Change.onlyB) & bits) continue;
    // The path from the top, its last PATH_DEPTH names at most: a deep tree must not cost depth × changes.
    const chain: string[] = [];
    for (let q = p; q >= 0; q = al.parent[q]!) {
      if (chain.length === PATH_DEPTH) {
        chain.push('…');
        break;
      }
      chain.push(names.of(q));
    }
    out.push({ index: p, path: chain.reverse(), bits });
  }
  return out;
}

/**
 * Pairs' names as paths show them: `My Agent #3` when the pair has same-named siblings. Numbered per parent when a
 * path first needs one of its children, so a run of 100k spans with few changes names few of them.
 */
class PairNames {
  private readonly first: Int32Array;
  private readonly kids: Int32Array;
  private readonly labels = new Map<number, string>();

  constructor(private readonly c: RunComparison) {
    // Children of each pair (and of the top, at index count) in order: a counting sort of the parent column.
    const al = c.alignment;
    this.first = new Int32Array(al.count + 2);
    for (let p = 0; p < al.count; p++) this.first[(al.parent[p]! < 0 ? al.count : al.parent[p]!) + 1]!++;
    for (let i = 1; i < this.first.length; i++) this.first[i]! += this.first[i - 1]!;
    const fill = this.first.slice();
    this.kids = new Int32Array(al.count);
    for (let p = 0; p < al.count; p++) this.kids[fill[al.parent[p]! < 0 ? al.count : al.parent[p]!]!++] = p;
  }

  of(p: number): string {
    let label = this.labels.get(p);
    if (label === undefined) {
      this.nameChildren(this.c.alignment.parent[p]!);
      label = this.labels.get(p)!;
    }
    return label;
  }

  private nameChildren(parent: number): void {
    const al = this.c.alignment;
    const at = parent < 0 ? al.count : parent;
    const kids = this.kids.subarray(this.first[at], this.first[at + 1]);
    const names = Array.from(kids, p => {
      const a = al.rowA[p]! >= 0;
      return (a ? al.a.store : al.b.store).rows.name(a ? al.rowA[p]! : al.rowB[p]!) || '(missing parent)';
    });
    const total = new Map<string, number>();
    for (const n of names) total.set(n, (total.get(n) ?? 0) + 1);
    const seen = new Map<string, number>();
    kids.forEach((p, i) => {
      const n = names[i]!;
      const k = (seen.get(n) ?? 0) + 1;
      seen.set(n, k);
      this.labels.set(p, total.get(n)! > 1 ? `${n} #${k}` : n);
    });
  }
}

function checkThresholds(args: DiffArgs, c: RunComparison): Threshold[] {
  const out: Threshold[] = [];
  const row = (label: SummaryRow['label']) => c.summary.rows.find(r => r.label === label)!;
  const increase = (label: SummaryRow['label'], limit: number, name: string, show: (n: number) => string) => {
    const r = row(label);
    const pct = r.a > 0 ? ((r.b - r.a) / r.a) * 100 : r.b > 0 ? Infinity : 0;
    const crossed = pct > limit;
    const by = Number.isFinite(pct) ? percentText(pct).replace(/^\+/, '') : 'from none';
    out.push({ name, crossed, message: `${label} ${show(r.a)} → ${show(r.b)}: up ${by}, limit ${limit} %` });
  };
  if (args.maxDurationIncrease !== undefined) increase('total time', args.maxDurationIncrease, 'max-duration-increase', formatDuration);
  if (args.maxCostIncrease !== undefined) increase('cost', args.maxCostIncrease, 'max-cost-increase', n => formatCost(n, c.summary.currency));
  if (args.failOnNewErrors) {
    const failing = newErrors(c);
    out.push({
      name: 'fail-on-new-errors',
      crossed: failing.length > 0,
      message: `${plural(failing.length, 'span')} ${failing.length === 1 ? 'fails' : 'fail'} in B and not in A: ${failing.slice(0, 5).join(', ')}${failing.length > 5 ? ', …' : ''}`,
    });
  }
  return out;
}

/** Names of spans with status ERROR in B whose A counterpart did not fail (or that only B has). */
function newErrors(c: RunComparison): string[] {
  const al = c.alignment;
  const out: string[] = [];
  for (let p = 0; p < al.count; p++) {
    const rb = al.rowB[p]!;
    if (rb < 0 || al.b.store.rows.status(rb) !== StatusCode.Error) continue;
    const ra = al.rowA[p]!;
    if (ra >= 0 && al.a.store.rows.status(ra) === StatusCode.Error) continue;
    out.push(al.b.store.rows.name(rb));
  }
  return out;
}

const BIT_NAMES: readonly (readonly [number, string])[] = [
  [Change.onlyA, 'only in A'],
  [Change.onlyB, 'only in B'],
  [Change.duration, 'duration'],
  [Change.selfTime, 'self time'],
  [Change.status, 'status'],
  [Change.usage, 'usage'],
  [Change.model, 'model'],
  [Change.toolArguments, 'tool arguments'],
  [Change.toolResult, 'tool result'],
  [Change.messages, 'messages'],
  [Change.attributes, 'attributes'],
  [Change.events, 'events'],
];

export function changeNames(bits: number): string[] {
  return BIT_NAMES.filter(([bit]) => bits & bit).map(([, name]) => name);
}

const MATCH_NAMES = ['path', 'input', 'order', 'moved', 'onlyA', 'onlyB'] as const;

/** `+14.8 %`, `-100.0 %`, `+28,632 %`: one decimal below 100 %. */
function percentText(pct: number): string {
  const abs = Math.abs(pct);
  return `${pct < 0 ? '-' : '+'}${abs < 100 ? abs.toFixed(1) : Math.round(abs).toLocaleString('en-US')} %`;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function formatCost(n: number, currency: string | undefined): string {
  return `${Number(n.toPrecision(6))}${currency ? ` ${currency}` : ''}`;
}

function formatValue(r: SummaryRow, n: number, currency: string | undefined): string {
  if (r.unit === 'nanoseconds') return formatDuration(n);
  if (r.unit === 'currency') return formatCost(n, currency);
  return n.toLocaleString('en-US');
}

function formatDelta(r: SummaryRow, currency: string | undefined): string {
  const d = r.b - r.a;
  if (d === 0) return '=';
  const sign = d > 0 ? '+' : '-';
  const abs = r.unit === 'nanoseconds' ? formatDuration(Math.abs(d)) : r.unit === 'currency' ? formatCost(Math.abs(d), currency) : Math.abs(d).toLocaleString('en-US');
  const pct = r.a !== 0 ? ` (${percentText((d / r.a) * 100)})` : '';
  return `${sign}${abs}${pct}`;
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)));
  return rows.map(r => r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function sideLine(label: string, s: LoadedSide): string {
  return `${label}  ${path.basename(s.file)}  run ${runLine(s.side.run, s.number)}`;
}

function textReport(a: LoadedSide, b: LoadedSide, c: RunComparison, changed: readonly ChangedSpan[]): string {
  const s = c.summary;
  const lines = [sideLine('A', a), sideLine('B', b), ''];
  const rows = [['', 'A', 'B', 'change'], ...s.rows.map(r => [r.label, formatValue(r, r.a, s.currency), formatValue(r, r.b, s.currency), formatDelta(r, s.currency)])];
  lines.push(table(rows, new Set([1, 2])), '');
  lines.push(`spans: ${s.matched} matched (${s.changed} changed), ${s.onlyA} only in A, ${s.onlyB} only in B`, '');
  if (changed.length === 0) {
    lines.push('no span changed');
    return `${lines.join('\n')}\n`;
  }
  const al = c.alignment;
  const dur = (store: TraceStore, row: number) => (row < 0 ? '' : formatDuration(store.rows.durationNanos(row)));
  const shown = changed.slice(0, TEXT_ROWS);
  const spanRows = [
    ['', 'span', 'A', 'B', 'what changed'],
    ...shown.map(ch => {
      const mark = ch.bits & Change.onlyA ? '-' : ch.bits & Change.onlyB ? '+' : '~';
      return [mark, shortPath(ch.path), dur(al.a.store, al.rowA[ch.index]!), dur(al.b.store, al.rowB[ch.index]!), whatChanged(c, ch)];
    }),
  ];
  lines.push(`changed spans (${changed.length}):`, table(spanRows, new Set([2, 3])));
  if (changed.length > shown.length) lines.push(`… and ${changed.length - shown.length} more (--json lists all)`);
  return `${lines.join('\n')}\n`;
}

/** The last parts of a path, as many as fit in 80 characters. */
function shortPath(parts: readonly string[]): string {
  let text = parts[parts.length - 1]!;
  for (let i = parts.length - 2; i >= 0; i--) {
    const next = `${parts[i]} > ${text}`;
    if (next.length > 80) return `… > ${text}`;
    text = next;
  }
  return text;
}

function whatChanged(c: RunComparison, ch: ChangedSpan): string {
  const al = c.alignment;
  const p = ch.index;
  if (ch.bits & (Change.onlyA | Change.onlyB)) {
    const below = c.rollUp.changedBelow[p]! - 1;
    return `only in ${ch.bits & Change.onlyA ? 'A' : 'B'}${below > 0 ? ` (${below} changed below)` : ''}`;
  }
  const parts: string[] = [];
  const ra = al.rowA[p]!;
  const rb = al.rowB[p]!;
  const timing = (label: string, x: number, y: number) => `${label} ${formatDuration(x)} → ${formatDuration(y)}${x > 0 ? ` (${percentText(((y - x) / x) * 100)})` : ''}`;
  if (ch.bits & Change.duration) parts.push(timing('duration', al.a.store.rows.durationNanos(ra), al.b.store.rows.durationNanos(rb)));
  if (ch.bits & Change.selfTime) parts.push(timing('self time', al.a.store.selfTimeNanos(ra), al.b.store.selfTimeNanos(rb)));
  if (ch.bits & Change.status) parts.push(`status ${statusWord(al.a.store.rows.status(ra))} → ${statusWord(al.b.store.rows.status(rb))}`);
  const rest = ch.bits & ~(Change.duration | Change.selfTime | Change.status);
  parts.push(...changeNames(rest));
  return parts.join(', ');
}

function jsonReport(a: LoadedSide, b: LoadedSide, c: RunComparison, changed: readonly ChangedSpan[], thresholds: readonly Threshold[]): unknown {
  const al = c.alignment;
  const side = (s: LoadedSide) => ({
    file: s.file,
    run: s.number,
    service: s.side.run.serviceName,
    startTime: Number.isFinite(s.side.run.startMs) ? new Date(s.side.run.startMs).toISOString() : null,
    spans: s.side.run.spanCount,
  });
  const detailBits = ~(Change.onlyA | Change.onlyB | Change.duration | Change.selfTime);
  let details = 0;
  return {
    a: side(a),
    b: side(b),
    summary: {
      ...c.summary,
      rows: c.summary.rows.map(r => ({ ...r, delta: r.b - r.a, percent: r.a !== 0 ? ((r.b - r.a) / r.a) * 100 : null })),
    },
    changedSpans: changed.map(ch => {
      const p = ch.index;
      const ra = al.rowA[p]!;
      const rb = al.rowB[p]!;
      const entry = {
        path: ch.path,
        match: MATCH_NAMES[al.match[p]!],
        changes: changeNames(ch.bits),
        durationNanos: { a: ra < 0 ? null : al.a.store.rows.durationNanos(ra), b: rb < 0 ? null : al.b.store.rows.durationNanos(rb) },
        status: { a: ra < 0 ? null : statusWord(al.a.store.rows.status(ra)), b: rb < 0 ? null : statusWord(al.b.store.rows.status(rb)) },
      };
      // Content changes come with their texts (diffPair decodes both spans): for the first JSON_DETAILS of them.
      if (!(ch.bits & detailBits) || details >= JSON_DETAILS) return entry;
      details++;
      const d = diffPair(al, c.changes, p);
      return { ...entry, diff: { ...d, index: undefined, changes: undefined, match: undefined } };
    }),
    detailsTruncated: changed.filter(ch => ch.bits & detailBits).length > JSON_DETAILS,
    thresholds: thresholds.map(t => ({ name: t.name, crossed: t.crossed, message: t.message })),
  };
}
