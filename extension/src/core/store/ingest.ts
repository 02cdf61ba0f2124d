// Spans into rows: from the receiver's columns (no Span object made) or from Span objects (files, tests), both
// filling one IngestFields that the row writer copies into a row, links into its trace and tree, and counts
// (docs/store.md, "Data structures"). This is the hot path of the store: ~1.5 µs a span, no allocation per span
// besides the table's pages and slabs; what is per run or per call (change events, the receiving watch) is said
// once per call, not per span (docs/store.md, "Performance").
import type { SpanBatch } from '../model/batch';
import { type Resource, type Span, StatusCode } from '../model/span';
import { INFO_KIND_SHIFT, INFO_STATUS_SHIFT } from '../model/spanColumns';
import { nanosWords, wordsHi, wordsLo } from '../model/time';
import { encodeSpanRest } from '../otlp/protobufWriter';
import { DECODED_FACTS, SpanFacts } from '../../protocol/spanFacts';
import { ingestFactBits, intrinsicClassCode } from '../semantics/ingestFacts';
import type { ChangeCollector } from './changeCollector';
import { parseHexWord, readWord } from './idWords';
import type { IngestOrigin } from './ingestOrigin';
import type { NestingInference } from './nestingInference';
import { copyRestFields, lastSpanFlags } from './restBytes';
import type { Run } from './run';
import type { RunRegistry } from './runRegistry';
import type { ScopeRegistry } from './scopeRegistry';
import type { SpanForest } from './spanForest';
import {
  F_CLASS_MASK,
  F_CLASS_SHIFT,
  F_INFERABLE,
  F_KIND_SHIFT,
  F_STATUS_SHIFT,
  F_W3C_SHIFT,
  ROW_BYTES,
  SpanTable,
  W_FLAGS,
  W_NAME,
  W_NEXT_IN_TRACE,
  W_PARENT,
  W_RUN,
  W_SCOPE,
  W_END,
  W_SPAN,
  W_START,
  W_TRACE,
} from './spanTable';
import type { StoreTotals } from './storeChange';

/** What splitNanos found: whole Unix milliseconds and the nanoseconds within that millisecond. */
export let splitMs = 0;
export let splitSub = 0;

/**
 * A time given as the low and high 32 bits of its Unix nanoseconds, as whole ms and ns within (what nanosToMs
 * and nanosSubMs give) with one division instead of their two float remainders (fmod, a call out of the
 * compiled code). x / 1e6 is below 2^32, where its rounding error is below 2.5e-7, and when it is not an
 * integer it is at least 1e-6 away from one, so the floor is exact.
 */
export function splitNanos(lo: number, hi: number): void {
  const x = hi * 967296 + lo;
  const q = Math.floor(x / 1_000_000);
  splitMs = hi * 4294 + q;
  splitSub = x - q * 1_000_000;
}

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
}

/** One span to add: its fields as the store keeps them, from a Span object or from request columns. */
interface IngestFields {
  hasParent: boolean;
  /** The parent's span id words (when hasParent). */
  parent0: number;
  parent1: number;
  startMs: number;
  startSub: number;
  endMs: number;
  endSub: number;
  /** The same times as the low and high 32 bits of Unix nanoseconds (what a row keeps). */
  startLo: number;
  startHi: number;
  endLo: number;
  endHi: number;
  name: string;
  kind: number;
  status: number;
  /** DECODED_FACTS bits (protocol/spanFacts.ts). */
  facts: number;
  /** Intrinsic class code (SPAN_CLASSES index + 1). */
  cls: number;
  scopeRef: number;
  resource: Resource | undefined;
  /** The encoded Span message (or its rest fields) to take the rest bytes from. */
  bytes: Uint8Array | undefined;
  bytesStart: number;
  bytesEnd: number;
}

export class SpanIngest {
  /** Trace id in words 0-3 and span id in 4-5, as a row holds them: the key for the table's indexes. */
  private readonly key = new Uint32Array(6);
  /** The span being added, besides its ids in `key`: filled by each front end, read by add(). */
  private readonly f: IngestFields = {
    hasParent: false,
    parent0: 0,
    parent1: 0,
    startMs: 0,
    startSub: 0,
    endMs: 0,
    endSub: 0,
    startLo: 0,
    startHi: 0,
    endLo: 0,
    endHi: 0,
    name: '',
    kind: 0,
    status: 0,
    facts: 0,
    cls: 0,
    scopeRef: 0,
    resource: undefined,
    bytes: undefined,
    bytesStart: 0,
    bytesEnd: 0,
  };
  /** Rest bytes of the row add() is writing. */
  private restLength = 0;
  /** The run of the previous span of this call: a batch nearly always goes to one run. */
  private lastRun: Run | undefined;
  /**
   * The head row of the previous span's trace and its run, and the previous span's parent row (-1: none). Valid
   * within one call only: rows leave the store (eviction, clear) between calls, never during one.
   */
  private lastHead = -1;
  private lastHeadRun: Run | undefined;
  private lastParent = -1;

  constructor(
    private readonly table: SpanTable,
    private readonly scopes: ScopeRegistry,
    private readonly runs: RunRegistry,
    private readonly forest: SpanForest,
    private readonly nesting: NestingInference,
    private readonly changes: ChangeCollector,
    private readonly totals: StoreTotals,
    /** Called once per run and call that got spans (the store's receiving watch). */
    private readonly onReceived: (run: Run) => void,
  ) {}

  /** The spans [from, to) of a batch decoded into columns: copied from the columns and the request bytes. */
  fromColumns(batch: SpanBatch, origin: IngestOrigin, from: number, to: number, now: number): IngestResult {
    const cols = batch.columns!;
    const f = this.f;
    const k = this.key;
    const body = cols.body;
    const times = cols.times;
    const end = Math.min(to, cols.count);
    let accepted = 0;
    let group = -1;
    let scopeRef = 0;
    this.startCall();
    const firstRow = this.table.size;
    for (let i = from; i < end; i++) {
      const g = cols.group[i]!;
      if (g !== group) {
        group = g;
        scopeRef = this.scopes.idOf(cols.groupResource[g]!, cols.groupScope[g]!);
      }
      const traceAt = cols.traceAt[i]!;
      for (let w = 0; w < 4; w++) k[w] = readWord(body, traceAt + w * 4);
      const spanAt = cols.spanAt[i]!;
      k[4] = readWord(body, spanAt);
      k[5] = readWord(body, spanAt + 4);
      const p = cols.parentAt[i]!;
      f.hasParent = p >= 0;
      if (p >= 0) {
        f.parent0 = readWord(body, p);
        f.parent1 = readWord(body, p + 4);
      }
      const t = i * 4;
      f.startLo = times[t]!;
      f.startHi = times[t + 1]!;
      f.endLo = times[t + 2]!;
      f.endHi = times[t + 3]!;
      splitNanos(f.startLo, f.startHi);
      f.startMs = splitMs;
      f.startSub = splitSub;
      splitNanos(f.endLo, f.endHi);
      f.endMs = splitMs;
      f.endSub = splitSub;
      const info = cols.info[i]!;
      f.name = cols.names[i]!;
      f.kind = (info >>> INFO_KIND_SHIFT) & 7;
      f.status = (info >>> INFO_STATUS_SHIFT) & 3;
      f.facts = info & DECODED_FACTS;
      f.cls = cols.cls[i]!;
      f.scopeRef = scopeRef;
      f.resource = cols.groupResource[g]!;
      f.bytes = body;
      f.bytesStart = cols.spanStart[i]!;
      f.bytesEnd = cols.spanEnd[i]!;
      if (this.add(origin, now)) accepted++;
    }
    this.changes.rowsAdded(firstRow, this.table.size);
    return { accepted, duplicates: Math.max(0, end - from) - accepted };
  }

  /** Span objects: each is encoded once (when it has no bytes of its own), so every row keeps bytes. */
  fromSpans(spans: readonly Span[], origin: IngestOrigin, now: number): IngestResult {
    const f = this.f;
    const k = this.key;
    let accepted = 0;
    this.startCall();
    const firstRow = this.table.size;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i]!;
      for (let w = 0; w < 4; w++) k[w] = parseHexWord(span.traceId, w << 3);
      k[4] = parseHexWord(span.spanId, 0);
      k[5] = parseHexWord(span.spanId, 8);
      f.hasParent = span.parentSpanId !== '';
      if (f.hasParent) {
        f.parent0 = parseHexWord(span.parentSpanId, 0);
        f.parent1 = parseHexWord(span.parentSpanId, 8);
      }
      f.startMs = span.startMs;
      f.startSub = span.startSubMsNanos;
      f.endMs = span.endMs;
      f.endSub = span.endSubMsNanos;
      nanosWords(span.startMs, span.startSubMsNanos);
      f.startLo = wordsLo;
      f.startHi = wordsHi;
      nanosWords(span.endMs, span.endSubMsNanos);
      f.endLo = wordsLo;
      f.endHi = wordsHi;
      f.name = span.name;
      f.kind = span.kind;
      f.status = span.statusCode;
      f.facts = ingestFactBits(span);
      f.cls = intrinsicClassCode(span);
      f.scopeRef = this.scopes.idOf(span.resource, span.scope);
      f.resource = span.resource;
      const encoded = span.protobufBytes() ?? encodeSpanRest(span);
      f.bytes = encoded;
      f.bytesStart = 0;
      f.bytesEnd = encoded.length;
      if (this.add(origin, now)) accepted++;
    }
    this.changes.rowsAdded(firstRow, this.table.size);
    return { accepted, duplicates: spans.length - accepted };
  }

  /** Forgets what the previous call's spans left: their rows may be gone since. */
  private startCall(): void {
    this.lastRun = undefined;
    this.lastHead = -1;
    this.lastHeadRun = undefined;
    this.lastParent = -1;
  }

  /**
   * Adds the span described by `key` and `f`; false for a duplicate. Rows it creates are reported to the change
   * collector by the caller, as one range per call.
   */
  private add(origin: IngestOrigin, now: number): boolean {
    const t = this.table;
    const f = this.f;
    // The trace first: a row's trace is always indexed, so a span of a new trace (every span of flat msgflux
    // traffic) needs no probe of the span index. Spans of one trace come together (a batch holds whole traces
    // or large parts of them): the previous span's trace answers without a probe, its run without a lookup.
    let head: number;
    let run: Run;
    if (this.lastHead >= 0 && t.hasIds(this.lastHead, this.key, false)) {
      head = this.lastHead;
      run = this.lastHeadRun!;
    } else {
      head = t.traces.find(this.key);
      run = head >= 0 ? this.runs.get(t.get(head, W_RUN))! : this.runs.assign(f.resource!, f.startMs, f.endMs, origin, now);
    }
    let row = head >= 0 ? t.ids.find(this.key) : -1;
    const filling = row >= 0;
    if (filling) {
      if (!(t.get(row, W_FLAGS) & SpanFacts.placeholder)) return false;
      // A placeholder: it sits among its run's roots, with children, and now gets its span (in the run of its
      // trace, found above).
      run.placeholderCount--;
      this.totals.placeholders--;
      this.changes.rowUpdated(row);
    } else {
      row = this.newRow(run, head);
      if (head < 0) head = row;
    }
    this.lastHead = head;
    this.lastHeadRun = run;
    if (run !== this.lastRun) this.received(run, now);
    let flags = this.write(row);
    if (f.hasParent) this.linkToParent(run, row, filling);
    else if (filling) {
      // A placeholder keeps its place among the roots, but now sorts by its own start.
      run.sortedRoots = undefined;
    } else this.forest.linkRoot(run, row);
    if (!f.hasParent && this.scopes.get(f.scopeRef).msgtrace) {
      flags |= F_INFERABLE;
      this.nesting.add(run, row);
    }
    t.set(row, W_FLAGS, flags);
    this.count(run);
    return true;
  }

  /** Writes the span's own words and rest bytes into the row; returns its flags word (stored by the caller). */
  private write(row: number): number {
    const t = this.table;
    const f = this.f;
    // The decoder's facts go into the row as they are (one vocabulary, protocol/spanFacts.ts).
    let flags = (t.get(row, W_FLAGS) & ~(SpanFacts.placeholder | F_CLASS_MASK)) | f.facts | (f.cls << F_CLASS_SHIFT) | (f.kind << F_KIND_SHIFT) | (f.status << F_STATUS_SHIFT);
    t.set(row, W_NAME, t.internName(f.name));
    t.setTime(row, W_START, f.startLo, f.startHi);
    t.setTime(row, W_END, f.endLo, f.endHi);
    t.set(row, W_SCOPE, f.scopeRef);
    this.restLength = copyRestFields(f.bytes!, f.bytesStart, f.bytesEnd, t, row);
    if (lastSpanFlags >= 0) flags |= lastSpanFlags << F_W3C_SHIFT;
    return flags;
  }

  /** Links the row under its parent, making the parent a placeholder when it has not arrived. */
  private linkToParent(run: Run, row: number, filling: boolean): void {
    const t = this.table;
    const f = this.f;
    this.key[4] = f.parent0;
    this.key[5] = f.parent1;
    // Siblings come together too: the previous span's parent answers without a probe of the span index.
    let parent = this.lastParent >= 0 && t.hasIds(this.lastParent, this.key, true) ? this.lastParent : t.ids.find(this.key);
    if (parent < 0) {
      parent = this.newRow(run, row);
      t.set(parent, W_FLAGS, SpanFacts.placeholder);
      // A placeholder sorts where its earliest known child starts.
      t.copyTime(parent, W_START, row, W_START);
      t.copyTime(parent, W_END, row, W_START);
      run.placeholderCount++;
      this.totals.placeholders++;
      this.forest.linkRoot(run, parent);
    } else if (t.get(parent, W_FLAGS) & SpanFacts.placeholder && t.compareTime(row, W_START, parent, W_START) < 0) {
      t.copyTime(parent, W_START, row, W_START);
      t.copyTime(parent, W_END, row, W_START);
      if (t.link(parent, W_PARENT) < 0) run.sortedRoots = undefined;
    }
    if (filling) {
      this.forest.unlink(run, row);
      this.changes.childLeft(-1, run);
    }
    this.forest.linkChild(parent, row);
    this.lastParent = parent;
  }

  /** The run's and the store's counters and bounds for the span just added. */
  private count(run: Run): void {
    const f = this.f;
    const bytes = ROW_BYTES + this.restLength;
    run.spanCount++;
    this.totals.spans++;
    if (f.status === StatusCode.Error) run.errorCount++;
    run.bytes += bytes;
    this.totals.bytes += bytes;
    if (f.startMs < run.startMs || (f.startMs === run.startMs && f.startSub < run.startSubMsNanos)) {
      run.startMs = f.startMs;
      run.startSubMsNanos = f.startSub;
    }
    if (f.endMs > run.endMs || (f.endMs === run.endMs && f.endSub > run.endSubMsNanos)) {
      run.endMs = f.endMs;
      run.endSubMsNanos = f.endSub;
    }
  }

  /**
   * The first span of this call for `run` (or the first after spans of another run): what is said once per run
   * and call rather than per span. The change collector's generation cannot change within a call, so marking
   * the run updated once is enough.
   */
  private received(run: Run, now: number): void {
    this.lastRun = run;
    run.lastReceivedAt = now;
    this.onReceived(run);
    this.changes.runUpdated(run);
  }

  /** A row for the ids in `key`, in `run`, indexed; `traceRow` is a row of the same trace, or -1 for a new trace. */
  private newRow(run: Run, traceRow: number): number {
    const t = this.table;
    const row = t.allocate();
    const page = t.page(row)!;
    const o = SpanTable.offset(row);
    const k = this.key;
    page[o + W_TRACE] = k[0]!;
    page[o + W_TRACE + 1] = k[1]!;
    page[o + W_TRACE + 2] = k[2]!;
    page[o + W_TRACE + 3] = k[3]!;
    page[o + W_SPAN] = k[4]!;
    page[o + W_SPAN + 1] = k[5]!;
    page[o + W_RUN] = run.id;
    t.ids.insert(row);
    if (traceRow < 0) t.traces.insert(row);
    else {
      // Into the trace's chain right after a row already in it, so the head (the trace index's entry) stays.
      t.set(row, W_NEXT_IN_TRACE, t.get(traceRow, W_NEXT_IN_TRACE));
      t.set(traceRow, W_NEXT_IN_TRACE, row);
    }
    return row;
  }
}
