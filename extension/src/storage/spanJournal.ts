// The span journal: what the receiver acknowledged, appended to bounded segment files, so a reload of the window
// loses nothing (docs/store.md, "Journal"). Appends are cheap and never block: the span bytes are queued and
// written in one writev per flush interval by a single promise chain that also orders rolls, eviction and
// clears. Replay reads only the segments that existed when the journal opened (new spans go to a fresh
// segment), so it can run in the background while new spans arrive.
import type { FileHandle } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { type SpanBatch, batchSpanCount } from '../core/model/batch';
import type { Span } from '../core/model/span';
import { encodeTraceRequestJson } from '../core/otlp/jsonEncoder';
import { decodeTraceRequestJson } from '../core/otlp/jsonDecoder';
import { decodeTraceRequest } from '../core/otlp/protobufDecoder';
import type { IngestOrigin } from '../core/store/ingestOrigin';
import { type PayloadEncoding, encodeRecordHead, metaOf, parseRecord } from './journalRecord';
import { encodeTraceRequestProtobuf, splitByEncoding } from './protobufRequestEncoder';

export interface JournalLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SpanJournalOptions {
  /** Folder of the segment files; created when missing. */
  readonly dir: string;
  /** Bound on the segment files together; the oldest segments are deleted to stay under it. */
  readonly maxBytes: number;
  /** Size at which a segment is closed and a new one started (default maxBytes / 8, 256 KiB to 64 MiB). */
  readonly segmentBytes?: number;
  /** Appends within this many ms are written together (default 100). */
  readonly flushDelayMs?: number;
  readonly log?: JournalLogger;
  /** Wall clock for the record headers (tests). */
  readonly now?: () => number;
}

export interface ReplayResult {
  readonly spans: number;
  readonly records: number;
  /** Records whose payload no longer decodes (skipped, not fatal). */
  readonly skippedRecords: number;
  /** Segments that ended in a partial record or garbage (cut there). */
  readonly damagedSegments: number;
  /** A clear() or close() stopped the replay. */
  readonly stopped: boolean;
}

export interface JournalStats {
  readonly bytes: number;
  readonly segments: number;
  readonly evictedSegments: number;
}

interface Segment {
  readonly id: number;
  readonly file: string;
  size: number;
}

type Pending = { readonly kind: 'data'; readonly parts: readonly Uint8Array[]; readonly bytes: number } | { readonly kind: 'forget'; readonly traceIds: readonly string[] };

const SEGMENT_RE = /^segment-(\d{8})\.mtj$/;
const TOMBSTONES = 'tombstones.jsonl';
const FLUSH_NOW_BYTES = 1024 * 1024;
const SLICE_MS = 8;
const MiB = 1024 * 1024;

/** A journal position: segment id and byte offset as one comparable number. Offsets stay below 8 GiB. */
const position = (segmentId: number, offset: number) => segmentId * 2 ** 33 + offset;
const segmentName = (id: number) => `segment-${String(id).padStart(8, '0')}.mtj`;
const yieldToLoop = () => new Promise<void>(resolve => setImmediate(resolve));
const noLog: JournalLogger = { info: () => undefined, warn: () => undefined };

export class SpanJournal {
  /** Resolves once the folder is read and the new segment is open (never rejects). */
  readonly ready: Promise<void>;
  private readonly dir: string;
  private maxBytes: number;
  private segmentBytes: number;
  private readonly flushDelayMs: number;
  private readonly log: JournalLogger;
  private readonly now: () => number;

  /** Oldest first; after `ready` the last one is the segment being appended to. */
  private segments: Segment[] = [];
  /** The segments that existed at open: what replay() reads. */
  private replayable: Segment[] = [];
  private active: FileHandle | undefined;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  /** The flush written() scheduled for the next turn, shared by the appends of this turn. */
  private soon: Promise<void> | undefined;
  private chain: Promise<void>;
  /** Bumped by clear() and close(): a running replay stops. */
  private generation = 0;
  /** Trace id -> journal position before which its spans are forgotten (clearRun). */
  private tombstones = new Map<string, number>();
  private evicted = 0;
  private closed = false;
  private failed = false;

  constructor(options: SpanJournalOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes;
    this.segmentBytes = options.segmentBytes ?? defaultSegmentBytes(options.maxBytes);
    this.flushDelayMs = options.flushDelayMs ?? 100;
    this.log = options.log ?? noLog;
    this.now = options.now ?? Date.now;
    this.ready = this.chain = this.open();
  }

  get stats(): JournalStats {
    let bytes = this.pendingBytes;
    for (const s of this.segments) bytes += s.size;
    return { bytes, segments: this.segments.length, evictedSegments: this.evicted };
  }

  private async open(): Promise<void> {
    try {
      await fsp.mkdir(this.dir, { recursive: true });
      const found: Segment[] = [];
      for (const name of await fsp.readdir(this.dir)) {
        const m = SEGMENT_RE.exec(name);
        if (!m) continue;
        const file = path.join(this.dir, name);
        found.push({ id: Number(m[1]), file, size: (await fsp.stat(file)).size });
      }
      found.sort((a, b) => a.id - b.id);
      this.segments = found;
      this.replayable = found.slice();
      await this.loadTombstones();
      await this.startSegment((found.at(-1)?.id ?? 0) + 1);
      await this.evict();
    } catch (err) {
      this.fail('could not open the span journal', err);
    }
  }

  private fail(what: string, err: unknown): void {
    if (!this.failed) this.log.warn(`${what} in ${this.dir}: ${(err as Error).message}; spans are no longer journaled`);
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private async startSegment(id: number): Promise<void> {
    const file = path.join(this.dir, segmentName(id));
    this.active = await fsp.open(file, 'a');
    this.segments.push({ id, file, size: (await this.active.stat()).size });
  }

  // ---------------------------------------------------------------- writing

  /** Queues a batch the receiver acknowledged (or the user imported). Returns at once; see flush(). */
  append(spans: readonly Span[], origin: IngestOrigin): void {
    if (this.closed || this.failed || spans.length === 0) return;
    const now = this.now();
    const { protobuf, json } = splitByEncoding(spans);
    if (protobuf.length > 0) {
      const payload = encodeTraceRequestProtobuf(protobuf);
      this.push([encodeRecordHead(metaOf(origin, 'protobuf', now), payload.length), payload]);
    }
    if (json.length > 0) {
      const payload = Buffer.from(encodeTraceRequestJson(json), 'utf8');
      this.push([encodeRecordHead(metaOf(origin, 'json', now), payload.length), payload]);
    }
  }

  /**
   * Queues a request body exactly as the receiver decoded it (decompressed protobuf or JSON): no encoding work
   * on the ingest path. Replay decodes it again, with the same result.
   */
  appendBody(body: Uint8Array, encoding: PayloadEncoding, origin: IngestOrigin): void {
    if (this.closed || this.failed || body.length === 0) return;
    this.push([encodeRecordHead(metaOf(origin, encoding, this.now()), body.length), body]);
  }

  private push(parts: Uint8Array[]): void {
    const bytes = parts.reduce((n, p) => n + p.length, 0);
    this.pending.push({ kind: 'data', parts, bytes });
    this.pendingBytes += bytes;
    this.scheduleFlush();
  }

  /**
   * Forgets the spans of these traces journaled so far (TraceStore.clearRun): a tombstone with the current end
   * of the journal, applied at replay. Spans of the same traces appended later are kept.
   */
  forget(traceIds: readonly string[]): void {
    if (this.closed || this.failed || traceIds.length === 0) return;
    // A replay running now reads only older segments: every record it reads is before this tombstone.
    for (const t of traceIds) this.tombstones.set(t, Number.MAX_SAFE_INTEGER);
    this.pending.push({ kind: 'forget', traceIds });
    this.scheduleFlush();
  }

  /** Forgets everything: deletes every segment and tombstone and stops a running replay. */
  clear(): void {
    if (this.closed) return;
    this.generation++;
    this.pending = [];
    this.pendingBytes = 0;
    this.tombstones.clear();
    this.enqueue(async () => {
      const next = (this.segments.at(-1)?.id ?? 0) + 1;
      await this.active?.close();
      this.active = undefined;
      for (const s of this.segments) await unlinkQuietly(s.file);
      await unlinkQuietly(path.join(this.dir, TOMBSTONES));
      this.tombstones.clear();
      this.segments = [];
      this.replayable = [];
      // Ids keep growing, so tombstone positions written later never compare against reused ids.
      await this.startSegment(next);
    });
  }

  setMaxBytes(maxBytes: number, segmentBytes = defaultSegmentBytes(maxBytes)): void {
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.enqueue(() => this.evict());
  }

  /**
   * Resolves once everything appended so far is written to the file (not fsynced: a killed process loses
   * nothing written, a power cut may), flushing at the next turn of the event loop rather than after
   * `flushDelayMs`, so appends of the same turn share one write. A receiver that answers only after this
   * (`received.waitUntil(journal.written())`) never acknowledges a request a SIGKILL can take back.
   */
  written(): Promise<void> {
    if (this.closed || this.failed) return this.chain;
    if (!this.soon) {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      this.soon = new Promise<void>(resolve => setImmediate(resolve)).then(() => {
        this.soon = undefined;
        return this.flush();
      });
    }
    return this.soon;
  }

  /** Writes what is queued; resolves when it is on disk (not fsynced). */
  flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    return this.enqueue(() => this.writePending());
  }

  /** Flushes and closes the file; appends after this are ignored. */
  async close(): Promise<void> {
    if (this.closed) return this.chain;
    const flushed = this.flush();
    this.closed = true;
    this.generation++;
    await flushed;
    await this.enqueue(async () => {
      await this.active?.close();
      this.active = undefined;
    });
  }

  private scheduleFlush(): void {
    if (this.pendingBytes >= FLUSH_NOW_BYTES) {
      void this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), this.flushDelayMs);
      this.flushTimer.unref?.();
    }
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await op();
      } catch (err) {
        this.fail('could not write the span journal', err);
      }
    });
    return this.chain;
  }

  private async writePending(): Promise<void> {
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const segment = this.segments.at(-1);
    if (items.length === 0 || !this.active || !segment) return;
    const buffers: Uint8Array[] = [];
    const forgets: string[] = [];
    let offset = segment.size;
    for (const item of items) {
      if (item.kind === 'data') {
        buffers.push(...item.parts);
        offset += item.bytes;
      } else {
        const pos = position(segment.id, offset);
        forgets.push(`${JSON.stringify({ pos, traceIds: item.traceIds })}\n`);
        for (const t of item.traceIds) this.tombstones.set(t, pos);
      }
    }
    if (buffers.length > 0) await writeAll(this.active, buffers, offset - segment.size);
    segment.size = offset;
    if (forgets.length > 0) await fsp.appendFile(path.join(this.dir, TOMBSTONES), forgets.join(''));
    if (segment.size >= this.segmentBytes) {
      await this.active.close();
      this.active = undefined;
      await this.startSegment(segment.id + 1);
    }
    await this.evict();
  }

  /** Deletes the oldest segments while over the bound (never the one being appended to). */
  private async evict(): Promise<void> {
    let total = this.segments.reduce((n, s) => n + s.size, 0);
    let dropped = false;
    while (total > this.maxBytes && this.segments.length > 1) {
      const oldest = this.segments.shift()!;
      total -= oldest.size;
      this.evicted++;
      dropped = true;
      await unlinkQuietly(oldest.file);
    }
    if (dropped) await this.pruneTombstones();
  }

  // ---------------------------------------------------------------- tombstones

  private async loadTombstones(): Promise<void> {
    let text: string;
    try {
      text = await fsp.readFile(path.join(this.dir, TOMBSTONES), 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      // A torn last line (crash mid-append) is skipped like any unreadable one.
      try {
        const t = JSON.parse(line) as { pos: number; traceIds: string[] };
        for (const id of t.traceIds) this.tombstones.set(id, Math.max(t.pos, this.tombstones.get(id) ?? 0));
      } catch {
        continue;
      }
    }
  }

  /** Drops tombstones that only cover deleted segments, so the file stays as bounded as the journal. */
  private async pruneTombstones(): Promise<void> {
    const oldest = this.segments[0];
    if (!oldest || this.tombstones.size === 0) return;
    const floor = position(oldest.id, 0);
    const byPos = new Map<number, string[]>();
    let removed = false;
    for (const [id, pos] of this.tombstones) {
      if (pos <= floor) {
        this.tombstones.delete(id);
        removed = true;
      } else if (pos !== Number.MAX_SAFE_INTEGER) {
        let list = byPos.get(pos);
        if (!list) byPos.set(pos, (list = []));
        list.push(id);
      }
    }
    if (!removed) return;
    const file = path.join(this.dir, TOMBSTONES);
    const text = [...byPos].map(([pos, traceIds]) => `${JSON.stringify({ pos, traceIds })}\n`).join('');
    await fsp.writeFile(`${file}.tmp`, text);
    await fsp.rename(`${file}.tmp`, file);
  }

  // ---------------------------------------------------------------- replay

  /**
   * Decodes the segments that existed at open, oldest first, and hands each batch to `sink` with origin
   * `replay` (keeping the debug session id and path). Yields to the event loop between slices of ~8 ms.
   * A segment that ends in a partial record (a crash mid-write) is cut back to its last whole record.
   */
  async replay(sink: (batch: SpanBatch, origin: IngestOrigin) => void): Promise<ReplayResult> {
    const generation = this.generation;
    await this.ready;
    let spans = 0;
    let records = 0;
    let skippedRecords = 0;
    let damagedSegments = 0;
    const stopped = () => generation !== this.generation;
    let sliceStart = performance.now();
    for (const segment of this.replayable.slice()) {
      if (stopped()) break;
      let buf: Buffer;
      try {
        buf = await fsp.readFile(segment.file);
      } catch {
        continue; // evicted or cleared meanwhile
      }
      let at = 0;
      while (at < buf.length && !stopped()) {
        const r = parseRecord(buf, at);
        if (r.kind !== 'record') {
          damagedSegments++;
          const why = r.kind === 'torn' ? 'a partial last record (interrupted write)' : r.reason;
          this.log.warn(`span journal: ${path.basename(segment.file)} has ${why} at byte ${at}; cut there`);
          await fsp.truncate(segment.file, at).catch(() => undefined);
          segment.size = at;
          break;
        }
        const recordPos = position(segment.id, at);
        at = r.end;
        // A copy per record: spans keep a view of their request bytes, and must not keep the whole segment.
        const payload = Buffer.from(buf.subarray(r.payloadStart, r.end));
        let batch: SpanBatch;
        // Without tombstones nothing is filtered span by span: columns then, as the receiver makes them.
        const columns = this.tombstones.size === 0;
        try {
          batch = r.meta.e === 'protobuf' ? decodeTraceRequest(payload, { columns }) : decodeTraceRequestJson(payload);
        } catch (err) {
          skippedRecords++;
          this.log.warn(`span journal: skipped an unreadable record in ${path.basename(segment.file)}: ${(err as Error).message}`);
          continue;
        }
        records++;
        const origin: IngestOrigin = { transport: 'replay', debugSessionId: r.meta.s, path: r.meta.p };
        if (columns) {
          const n = batchSpanCount(batch);
          if (n > 0) {
            spans += n;
            sink(batch, origin);
          }
        } else {
          const kept = batch.spans.filter(s => !((this.tombstones.get(s.traceId) ?? -1) > recordPos));
          if (kept.length > 0) {
            spans += kept.length;
            sink(kept.length === batch.spans.length ? batch : { ...batch, spans: kept, columns: undefined }, origin);
          }
        }
        if (performance.now() - sliceStart >= SLICE_MS) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
    }
    return { spans, records, skippedRecords, damagedSegments, stopped: stopped() };
  }
}

export function defaultSegmentBytes(maxBytes: number): number {
  return Math.min(64 * MiB, Math.max(256 * 1024, Math.floor(maxBytes / 8)));
}

async function unlinkQuietly(file: string): Promise<void> {
  await fsp.unlink(file).catch(() => undefined);
}

/** writev, continuing after a short write. */
async function writeAll(handle: FileHandle, buffers: Uint8Array[], total: number): Promise<void> {
  const { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten < total) await handle.write(Buffer.concat(buffers).subarray(bytesWritten));
}
