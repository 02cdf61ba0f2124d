// The store's memory: every stored span (and placeholder) is a row of 32-bit words in pages of typed arrays,
// found by id through open-addressing hash tables, with the bytes nobody indexes (attributes, events, links,
// status message) copied into shared slabs. No JavaScript object exists per span, so a million stored spans
// cost the garbage collector nothing to trace and about 1.3x their protobuf size (bench/suites/store.ts).
// Written by hand: no maintained library keeps structs in typed arrays with this access pattern; the
// benchmark before this layout measured 572 B/span and GC taking most of the ingest time (docs/store.md).
//
// Rows are numbered in arrival order and never reused, so a row number is a stable handle: an evicted row
// reads as EVICTED (its page may be gone), never as another span.

import { nanosSubMs, nanosToMs } from '../otlp/protoReader';

export const PAGE_BITS = 12;
export const PAGE_ROWS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_ROWS - 1;

// Word offsets within a row.
export const W_TRACE = 0; // 4 words, big-endian halves of the 16-byte trace id
export const W_SPAN = 4; // 2 words
export const W_START = 6; // 2 words: start_time_unix_nano as its low and high 32 bits (exact, the whole uint64 range)
export const W_END = 8; // 2 words, like W_START
export const W_PARENT = 10; // row of the parent (real or inferred), -1 for top-level
export const W_FIRST_CHILD = 11; // -1 when none; children are linked in arrival order
export const W_NEXT = 12; // next sibling, -1 at the end
export const W_PREV = 13; // previous sibling, -1 at the start
export const W_NEXT_IN_TRACE = 14; // the trace's rows form a chain from the trace index
export const W_NAME = 15; // index into the name table
export const W_RUN = 16; // Run.id
export const W_SCOPE = 17; // index into the resource/scope table
export const W_FLAGS = 18;
export const W_REST_POS = 19; // where the rest bytes are: slab << SLAB_SHIFT | offset in the slab
export const W_REST_LEN = 20;
export const ROW_WORDS = 21;

// Bits of W_FLAGS. Kept in one word so a flag test is one load. Bits 0-8 are the span's facts in the one
// vocabulary of protocol/spanFacts.ts (hasChildren is never stored: it is read from the links), so
// RowReader.facts() hands them on as they are; the rest is the store's own.
export const F_CLASS_SHIFT = 9; // 4 bits: intrinsic class index + 1 (0 = not computed yet)
export const F_CLASS_MASK = 0xf << F_CLASS_SHIFT;
export const F_INFERABLE = 1 << 13;
export const F_EVICTED = 1 << 14;
export const F_MARK = 1 << 15;
export const F_KIND_SHIFT = 16; // 3 bits of SpanKind
export const F_STATUS_SHIFT = 19; // 2 bits of StatusCode
export const F_W3C_SHIFT = 21; // 10 bits: Span.flags when it fits (nearly always), else it stays in the rest bytes
export const F_W3C_MASK = 0x3ff;
export const F_UPDATED = 1 << 31; // listed in the store's pending change (cleared at the event)

/** Bytes a stored row costs besides its rest bytes: the row, its share of both hash tables, list entries. */
export const ROW_BYTES = ROW_WORDS * 4 + 2 * 8 + 4;

const SLAB_SHIFT = 18;
const SLAB_BYTES = 1 << SLAB_SHIFT;
/** Slab numbers fit in 14 bits: at most 4 GiB of rest bytes alive at once, far above any retention limit. */
const MAX_SLABS = 1 << (32 - SLAB_SHIFT);

export class SpanTable {
  private pages: (Uint32Array | undefined)[] = [];
  private pageLive: number[] = [];
  private rowCount = 0;

  // Rest bytes: slabs filled in order and freed when every row that points into them is gone; a freed slab's
  // number is used again, so numbers stay below MAX_SLABS.
  private slabs: (Uint8Array | undefined)[] = [];
  private slabLive: number[] = [];
  private freeSlabs: number[] = [];
  private slab = -1;
  private slabPos = SLAB_BYTES;

  // Interned names: spans repeat a few names; the table grows with distinct names only.
  private readonly nameIds = new Map<string, number>();
  private readonly names: string[] = [];

  readonly ids = new RowIndex(this, true);
  readonly traces = new RowIndex(this, false);

  /** Rows ever allocated (the next row number). */
  get size(): number {
    return this.rowCount;
  }

  /** A new row, all links -1, everything else 0. */
  allocate(): number {
    const row = this.rowCount++;
    const p = row >>> PAGE_BITS;
    let page = this.pages[p];
    if (page === undefined) {
      page = new Uint32Array(PAGE_ROWS * ROW_WORDS);
      this.pages[p] = page;
      this.pageLive[p] = 0;
    }
    this.pageLive[p]!++;
    const o = (row & PAGE_MASK) * ROW_WORDS;
    page[o + W_PARENT] = page[o + W_FIRST_CHILD] = page[o + W_NEXT] = page[o + W_PREV] = page[o + W_NEXT_IN_TRACE] = 0xffffffff;
    return row;
  }

  /** The page holding `row` and the row's word offset in it; undefined once the page was released. */
  page(row: number): Uint32Array | undefined {
    return this.pages[row >>> PAGE_BITS];
  }

  static offset(row: number): number {
    return (row & PAGE_MASK) * ROW_WORDS;
  }

  get(row: number, word: number): number {
    return this.pages[row >>> PAGE_BITS]![(row & PAGE_MASK) * ROW_WORDS + word]!;
  }

  /** A link word read as a signed row (-1 = none). */
  link(row: number, word: number): number {
    return this.pages[row >>> PAGE_BITS]![(row & PAGE_MASK) * ROW_WORDS + word]! | 0;
  }

  set(row: number, word: number, value: number): void {
    this.pages[row >>> PAGE_BITS]![(row & PAGE_MASK) * ROW_WORDS + word] = value;
  }

  flags(row: number): number {
    const page = this.pages[row >>> PAGE_BITS];
    return page === undefined ? F_EVICTED : page[(row & PAGE_MASK) * ROW_WORDS + W_FLAGS]!;
  }

  /** Marks the row evicted and gives back its rest bytes and, when it was the last live row, its page. */
  release(row: number): void {
    const p = row >>> PAGE_BITS;
    const page = this.pages[p]!;
    const o = (row & PAGE_MASK) * ROW_WORDS;
    page[o + W_FLAGS] |= F_EVICTED;
    const len = page[o + W_REST_LEN]!;
    if (len > 0) this.releaseSlabBytes(page[o + W_REST_POS]! >>> SLAB_SHIFT, len);
    if (--this.pageLive[p]! === 0 && p !== (this.rowCount - 1) >>> PAGE_BITS) this.pages[p] = undefined;
  }

  /** Forgets every row (row numbers keep counting up, so old handles read as evicted). */
  clear(): void {
    this.pages = [];
    this.pageLive = [];
    this.slabs = [];
    this.slabLive = [];
    this.freeSlabs = [];
    this.slab = -1;
    this.slabPos = SLAB_BYTES;
    this.ids.clear();
    this.traces.clear();
  }

  // ------------------------------------------------------------ times

  /** Stores a time given as the low and high 32 bits of its Unix nanoseconds. */
  setTime(row: number, word: number, lo: number, hi: number): void {
    const page = this.pages[row >>> PAGE_BITS]!;
    const o = (row & PAGE_MASK) * ROW_WORDS + word;
    page[o] = lo;
    page[o + 1] = hi;
  }

  /** Copies a time from one row (and word) to another. */
  copyTime(to: number, toWord: number, from: number, fromWord: number): void {
    this.setTime(to, toWord, this.get(from, fromWord), this.get(from, fromWord + 1));
  }

  /** Whole Unix milliseconds of a time (exact). */
  ms(row: number, word: number): number {
    const page = this.pages[row >>> PAGE_BITS]!;
    const o = (row & PAGE_MASK) * ROW_WORDS + word;
    return nanosToMs(page[o]!, page[o + 1]!);
  }

  /** Nanoseconds within that millisecond. */
  subNanos(row: number, word: number): number {
    const page = this.pages[row >>> PAGE_BITS]!;
    const o = (row & PAGE_MASK) * ROW_WORDS + word;
    return nanosSubMs(page[o]!, page[o + 1]!);
  }

  /** Compares two exact times: negative when a's is earlier. */
  compareTime(a: number, aWord: number, b: number, bWord: number): number {
    const pa = this.pages[a >>> PAGE_BITS]!;
    const pb = this.pages[b >>> PAGE_BITS]!;
    const oa = (a & PAGE_MASK) * ROW_WORDS + aWord;
    const ob = (b & PAGE_MASK) * ROW_WORDS + bWord;
    return pa[oa + 1]! - pb[ob + 1]! || pa[oa]! - pb[ob]!;
  }

  // ------------------------------------------------------------ ids

  /** The id as lowercase hex, one flat string (Node's hex slicer, not a rope of concatenations). */
  hexId(row: number, word: number, words: number): string {
    const page = this.pages[row >>> PAGE_BITS]!;
    const o = (row & PAGE_MASK) * ROW_WORDS + word;
    for (let i = 0; i < words; i++) hexScratch.writeUInt32BE(page[o + i]!, i * 4);
    return hexScratch.toString('hex', 0, words * 4);
  }

  /** Whether the row has the ids in `key` (trace id in words 0-3, span id in 4-5, as RowIndex.find takes): the trace id only, or both. */
  hasIds(row: number, key: Uint32Array, bySpan: boolean): boolean {
    const page = this.pages[row >>> PAGE_BITS]!;
    const o = (row & PAGE_MASK) * ROW_WORDS;
    return (
      page[o + 3] === key[3] &&
      page[o] === key[0] &&
      page[o + 1] === key[1] &&
      page[o + 2] === key[2] &&
      (!bySpan || (page[o + W_SPAN + 1] === key[5] && page[o + W_SPAN] === key[4]))
    );
  }

  /** Whether two rows have the same trace id. */
  sameTrace(a: number, b: number): boolean {
    const pa = this.pages[a >>> PAGE_BITS]!;
    const pb = this.pages[b >>> PAGE_BITS]!;
    const oa = (a & PAGE_MASK) * ROW_WORDS;
    const ob = (b & PAGE_MASK) * ROW_WORDS;
    return pa[oa] === pb[ob] && pa[oa + 1] === pb[ob + 1] && pa[oa + 2] === pb[ob + 2] && pa[oa + 3] === pb[ob + 3];
  }

  // ------------------------------------------------------------ names

  internName(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    return id;
  }

  name(row: number): string {
    return this.names[this.get(row, W_NAME)]!;
  }

  // ------------------------------------------------------------ rest bytes

  /** Room for `length` rest bytes of `row`: returns the slab to write into at restOffset(row). */
  reserveRest(row: number, length: number): Uint8Array {
    if (length > SLAB_BYTES - this.slabPos) {
      // A span with more rest bytes than a slab holds gets a slab of its own.
      this.slab = this.newSlab(Math.max(SLAB_BYTES, length));
      this.slabPos = 0;
    }
    const page = this.pages[row >>> PAGE_BITS]!;
    const o = (row & PAGE_MASK) * ROW_WORDS;
    page[o + W_REST_POS] = (this.slab << SLAB_SHIFT) | this.slabPos;
    page[o + W_REST_LEN] = length;
    const slab = this.slabs[this.slab]!;
    this.slabPos += length;
    this.slabLive[this.slab]! += length;
    if (slab.length > SLAB_BYTES) this.slabPos = SLAB_BYTES;
    return slab;
  }

  private newSlab(size: number): number {
    const id = this.freeSlabs.length > 0 ? this.freeSlabs.pop()! : this.slabs.length;
    if (id >= MAX_SLABS) throw new Error('msgtrace: more than 4 GiB of span attributes held at once');
    this.slabs[id] = new Uint8Array(size);
    this.slabLive[id] = 0;
    return id;
  }

  /** The slab holding the row's rest bytes. */
  restSlab(row: number): Uint8Array | undefined {
    return this.slabs[this.get(row, W_REST_POS) >>> SLAB_SHIFT];
  }

  /** Where the row's rest bytes start in restSlab(row). */
  restOffset(row: number): number {
    return this.get(row, W_REST_POS) & (SLAB_BYTES - 1);
  }

  private releaseSlabBytes(slabId: number, length: number): void {
    this.slabLive[slabId]! -= length;
    if (this.slabLive[slabId] === 0 && slabId !== this.slab) {
      this.slabs[slabId] = undefined;
      this.freeSlabs.push(slabId);
    }
  }
}

const hexScratch = Buffer.alloc(16);

/**
 * An open-addressing hash table of rows keyed by their ids: the span index (trace id + span id) or the trace
 * index (trace id only, one row per trace: the head of its W_NEXT_IN_TRACE chain). Keys are read from the rows
 * themselves, so an entry is one Int32 (and a tag byte). Linear probing with a power-of-two capacity (a mask,
 * not a modulo of a double), doubled at 80 % load.
 *
 * Growing is incremental: a million entries take tens of milliseconds to rehash, longer than the extension host
 * may stall, so the old table stays readable while each insert moves a few of its entries to the new one. Keys
 * are in exactly one of the two; entries removed from the old table leave a tombstone (-2) until it is gone.
 */
export class RowIndex {
  private slots = new Int32Array(4096).fill(-1);
  // One byte of each entry's hash: a probe reads the row (a cache miss in a large store) only when it matches.
  private tags = new Uint8Array(4096);
  private mask = 4095;
  private count = 0;
  // The table being drained while growing, and how far the drain got.
  private old: Int32Array | undefined;
  private oldTags: Uint8Array = new Uint8Array(0);
  private oldMask = 0;
  private drained = 0;

  constructor(
    private readonly table: SpanTable,
    private readonly bySpan: boolean,
  ) {}

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.slots = new Int32Array(4096).fill(-1);
    this.tags = new Uint8Array(4096);
    this.mask = 4095;
    this.count = 0;
    this.old = undefined;
  }

  private hashRow(row: number): number {
    const page = this.table.page(row)!;
    const o = SpanTable.offset(row);
    return this.bySpan ? hashWords(page[o + 1]! ^ page[o + 3]!, page[o + W_SPAN]!, page[o + W_SPAN + 1]!) : hashWords(page[o]! ^ page[o + 2]!, page[o + 1]!, page[o + 3]!);
  }

  /**
   * The row with these ids (span id words ignored by the trace index), or -1. `key` holds the trace id in words
   * 0-3 and the span id in words 4-5, as a row does.
   */
  find(key: Uint32Array): number {
    const h = this.bySpan ? hashWords(key[1]! ^ key[3]!, key[4]!, key[5]!) : hashWords(key[0]! ^ key[2]!, key[1]!, key[3]!);
    const row = this.probe(this.slots, this.tags, this.mask, key, h);
    if (row >= 0 || this.old === undefined) return row;
    return this.probe(this.old, this.oldTags, this.oldMask, key, h);
  }

  private probe(slots: Int32Array, tags: Uint8Array, mask: number, key: Uint32Array, h: number): number {
    const bySpan = this.bySpan;
    const tag = h >>> 24;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const row = slots[i]!;
      if (row === -1) return -1;
      if (row < 0 || tags[i] !== tag) continue;
      const page = this.table.page(row)!;
      const o = SpanTable.offset(row);
      if (
        page[o + 3] === key[3] &&
        page[o] === key[0] &&
        page[o + 1] === key[1] &&
        page[o + 2] === key[2] &&
        (!bySpan || (page[o + W_SPAN + 1] === key[5] && page[o + W_SPAN] === key[4]))
      )
        return row;
    }
  }

  /** Adds a row whose key is not in the table. */
  insert(row: number): void {
    if (this.old !== undefined) this.drain(16);
    else if ((this.count + 1) * 5 > this.slots.length * 4) this.startGrow();
    this.place(this.slots, this.tags, this.mask, row, this.hashRow(row));
    this.count++;
  }

  private place(slots: Int32Array, tags: Uint8Array, mask: number, row: number, h: number): void {
    let i = h & mask;
    while (slots[i]! >= 0) i = (i + 1) & mask;
    slots[i] = row;
    tags[i] = h >>> 24;
  }

  private startGrow(): void {
    this.old = this.slots;
    this.oldTags = this.tags;
    this.oldMask = this.mask;
    this.drained = 0;
    this.slots = new Int32Array(this.old.length * 2).fill(-1);
    this.tags = new Uint8Array(this.slots.length);
    this.mask = this.slots.length - 1;
  }

  /** Moves the entries of the next `n` old slots into the new table; drops the old table when done. */
  private drain(n: number): void {
    const old = this.old!;
    const end = Math.min(old.length, this.drained + n);
    for (let i = this.drained; i < end; i++) {
      const row = old[i]!;
      if (row < 0) continue;
      this.place(this.slots, this.tags, this.mask, row, this.hashRow(row));
      // A tombstone, not -1: probes for entries not drained yet must walk past this slot.
      old[i] = -2;
    }
    this.drained = end;
    if (end === old.length) this.old = undefined;
  }

  /** Removes `row` (must be present, and must still be readable). */
  remove(row: number): void {
    const h = this.hashRow(row);
    if (this.old !== undefined) {
      // Drained entries are in the new table; the rest may still be in the old one (as a tombstone when gone).
      const old = this.old;
      const mask = this.oldMask;
      for (let i = h & mask; old[i] !== -1; i = (i + 1) & mask) {
        if (old[i] === row) {
          old[i] = -2;
          this.count--;
          return;
        }
      }
    }
    const slots = this.slots;
    const tags = this.tags;
    const mask = this.mask;
    let i = h & mask;
    while (slots[i] !== row) {
      if (slots[i]! < 0) return;
      i = (i + 1) & mask;
    }
    // Backward-shift: move later entries of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (hole + 1) & mask; slots[j]! >= 0; j = (j + 1) & mask) {
      const home = this.hashRow(slots[j]!) & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots[hole] = slots[j]!;
        tags[hole] = tags[j]!;
        hole = j;
      }
    }
    slots[hole] = -1;
    this.count--;
  }
}

/** A 32-bit hash of three words, as a signed int (masked by the caller). */
function hashWords(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  return h ^ (h >>> 15);
}
