// A growable list of table rows in an Int32Array: 4 bytes an entry and nothing for the garbage collector to
// trace, where a number[] of a million rows would be 8 MB of tagged values.
export class RowList {
  items: Int32Array;
  length = 0;

  constructor(capacity = 16) {
    this.items = new Int32Array(capacity);
  }

  push(row: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(Math.max(16, Math.ceil(this.items.length * 1.5)));
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = row;
  }

  get(i: number): number {
    return this.items[i]!;
  }

  /** The rows as a fresh array of exactly `length` entries. */
  toArray(): Int32Array {
    return this.items.slice(0, this.length);
  }

  /** Keeps the rows that pass `keep`, in order. */
  filter(keep: (row: number) => boolean): void {
    let w = 0;
    for (let i = 0; i < this.length; i++) {
      const r = this.items[i]!;
      if (keep(r)) this.items[w++] = r;
    }
    this.length = w;
  }

  clear(): void {
    this.length = 0;
  }
}
