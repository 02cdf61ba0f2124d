import * as assert from 'node:assert/strict';
import { SpanTable, W_SPAN } from '../../../extension/src/core/store/spanTable';

// The store's id index against a Map, through many random inserts, removals and lookups: it must agree at
// every step, including while it grows (incrementally: the old table drains over the next inserts).
describe('row index', () => {
  it('finds exactly the rows it holds through inserts, removals and incremental growth (property)', () => {
    for (const seedStart of [1, 7, 42]) {
      const t = new SpanTable();
      const key = new Uint32Array(6);
      let seed = seedStart;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
      const rows: number[] = [];
      let grewWhileChecking = 0;
      const keyOf = (r: number) => {
        const p = t.page(r)!;
        const o = SpanTable.offset(r);
        for (let w = 0; w < 6; w++) key[w] = p[o + w]!;
      };
      for (let step = 0; step < 60_000; step++) {
        const op = rnd() % 10;
        if (op < 6 || rows.length === 0) {
          const r = t.allocate();
          const p = t.page(r)!;
          const o = SpanTable.offset(r);
          // Few distinct word values: many equal hashes and tags, so probes walk long runs.
          for (let w = 0; w < 6; w++) p[o + w] = rnd() % 4;
          p[o + W_SPAN + 1] = r;
          t.ids.insert(r);
          rows.push(r);
        } else if (op < 8) {
          const i = rnd() % rows.length;
          t.ids.remove(rows[i]!);
          rows[i] = rows[rows.length - 1]!;
          rows.pop();
        } else {
          const r = rows[rnd() % rows.length]!;
          keyOf(r);
          assert.equal(t.ids.find(key), r, `row ${r} at step ${step}`);
          key[W_SPAN + 1] = 0x7fffffff;
          assert.equal(t.ids.find(key), -1, `no row for an absent key at step ${step}`);
          if ((t.ids as unknown as { old?: Int32Array }).old) grewWhileChecking++;
        }
      }
      assert.equal(t.ids.size, rows.length);
      for (const r of rows) {
        keyOf(r);
        assert.equal(t.ids.find(key), r);
      }
      assert.ok(grewWhileChecking > 0, 'some lookups ran while the index was growing');
    }
  });
});
