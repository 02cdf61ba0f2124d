// Sorting rows in start order (spanForest.ts compare): the rows that arrived since the last sweep of inferred
// nesting, and child lists when a view reads them. Spans arrive nearly in start order (an exporter sends them as
// they end: a parent shortly after its children, siblings one after another), so a sort that is cheap on nearly
// sorted input pays: measured in docs/store.md, "Performance".

/** An order of rows: negative when row a sorts before row b. */
export interface RowOrder {
  compare(a: number, b: number): number;
}

/**
 * Sorts rows in place. Insertion does nearly sorted input in about one compare per row; past a budget of moves
 * (input far from sorted) it gives up and sorts with the built-in sort. Equal rows keep their order while
 * insertion runs (the built-in sort is stable too).
 */
export function sortRows(items: Int32Array, order: RowOrder): void {
  const n = items.length;
  let budget = 8 * n + 64;
  for (let i = 1; i < n; i++) {
    const x = items[i]!;
    let j = i - 1;
    if (order.compare(items[j]!, x) <= 0) continue;
    do {
      items[j + 1] = items[j]!;
      j--;
    } while (j >= 0 && order.compare(items[j]!, x) > 0);
    items[j + 1] = x;
    budget -= i - j;
    if (budget < 0) {
      items.sort((a, b) => order.compare(a, b));
      return;
    }
  }
}
