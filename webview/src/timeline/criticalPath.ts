// The critical path: the chain of spans that decided when the run ended. From the span that ends last, go
// backwards through its children: take the child that ended last before the cursor, continue from that
// child's start (the jaeger-ui / Grafana definition). Spans off the chain could have taken longer without
// delaying the end. Iterative, because a 100k-deep chain must not overflow the stack.
import type { RowModel } from './rowModel';

/** critical[i] = 1 for rows on the critical path. */
export function criticalPath(model: RowModel): Uint8Array {
  const n = model.count;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  // Children of each row, and the top-level rows, as index lists built in one pass.
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = model.parent[i]!;
    childStart[p + 1]!++;
  }
  // Bucket -1 (top level) lives at index 0, row p at index p + 1.
  const offsets = new Int32Array(n + 2);
  for (let b = 0; b <= n; b++) offsets[b + 1] = offsets[b]! + childStart[b]!;
  const fill = offsets.slice();
  const children = new Int32Array(n);
  for (let i = 0; i < n; i++) children[fill[model.parent[i]! + 1]!++] = i;

  const end = (i: number) => model.start[i]! + model.duration[i]!;
  const queue: { bucket: number; cursor: number; floor: number }[] = [{ bucket: 0, cursor: Infinity, floor: -Infinity }];
  while (queue.length > 0) {
    const { bucket, cursor: initial, floor } = queue.pop()!;
    const list = Array.from(children.subarray(offsets[bucket]!, offsets[bucket + 1]!));
    list.sort((a, b) => end(b) - end(a));
    let cursor = initial;
    for (const c of list) {
      // Children that end after the cursor ran in parallel with the chain already taken.
      if (end(c) > cursor + 1e-9 || end(c) <= floor) continue;
      out[c] = 1;
      queue.push({ bucket: c + 1, cursor: end(c), floor: model.start[c]! });
      cursor = model.start[c]!;
      if (cursor <= floor) break;
    }
  }
  return out;
}
