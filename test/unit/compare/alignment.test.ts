// Properties of the alignment (docs/compare.md, "Alignment"): a run against itself, against a copy with one span
// removed, added or renamed, in any arrival order, with concurrent siblings; and the moved rule for spans the
// inferred nesting put elsewhere.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { alignRuns, alignRunsSliced } from '../../../extension/src/core/compare/alignment';
import { scanChanges } from '../../../extension/src/core/compare/changeScan';
import { Change, MatchKind } from '../../../extension/src/core/compare/comparison';
import type { Span } from '../../../extension/src/core/model/span';
import { MSGTRACE_SCOPE, hexId, makeSpan } from '../store/spanFactory';
import { alignmentText, pairedIds, runOf } from './compareHelpers';

interface NodeSpec {
  parent: number;
  name: string;
  start: number;
  end: number;
}

/**
 * A trace with real parents whose times nest (a child lies within its parent), names from a small set so that
 * same-named siblings are common, and siblings that overlap in time. `scaleMs` is the root's length: below 1 ms
 * no duration can count as changed (docs/compare.md, "What counts as changed").
 */
const treeArb = (scaleMs: number, maxSpans = 25) =>
  fc.integer({ min: 1, max: maxSpans }).chain(n =>
    fc
      .tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 })))),
        fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: n, maxLength: n }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), { minLength: n, maxLength: n }),
      )
      .map(([parents, names, fractions]) => {
        const nodes: NodeSpec[] = [];
        parents.forEach((p, i) => {
          const [ps, pe] = p < 0 ? [0, scaleMs] : [nodes[p]!.start, nodes[p]!.end];
          const start = ps + (fractions[i]![0] / 100) * (pe - ps);
          nodes.push({ parent: p, name: names[i]!, start, end: start + (fractions[i]![1] / 100) * (pe - start) });
        });
        return nodes;
      }),
  );

const spansOf = (nodes: readonly NodeSpec[], skip = -1): Span[] =>
  nodes.flatMap((node, i) => (i === skip ? [] : [makeSpan({ traceId: 'prop', spanId: `s${i}`, name: node.name, parent: node.parent < 0 ? undefined : `s${node.parent}`, start: node.start, end: node.end })]));

const shuffleArb = (n: number) => fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.array(fc.nat(), { maxLength: 6 }));
const sid = (i: number) => hexId(`s${i}`, 16);

/** Pairs of an alignment by their one-sided kind: span ids of A-only and B-only spans. */
function oneSided(al: ReturnType<typeof alignRuns>): { onlyA: string[]; onlyB: string[] } {
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  for (let p = 0; p < al.count; p++) {
    if (al.match[p] === MatchKind.onlyA) onlyA.push(al.a.store.rows.spanId(al.rowA[p]!));
    if (al.match[p] === MatchKind.onlyB) onlyB.push(al.b.store.rows.spanId(al.rowB[p]!));
  }
  return { onlyA, onlyB };
}

/** Every matched pair is a span with itself (same span id on both sides). */
function assertIdentity(al: ReturnType<typeof alignRuns>, expectedPairs: number): void {
  const pairs = pairedIds(al);
  assert.equal(pairs.size, expectedPairs);
  for (const [a, b] of pairs) assert.equal(b, a, `span ${a} paired with ${b}`);
}

describe('core/compare alignment (properties)', () => {
  it('a run against itself, and against a copy that arrived in any order: every span with itself, zero changes', () => {
    fc.assert(
      fc.property(
        treeArb(50).chain(nodes => fc.tuple(fc.constant(nodes), shuffleArb(nodes.length))),
        ([nodes, [order, cuts]]) => {
          const spans = spansOf(nodes);
          const a = runOf(spans);
          const b = runOf(order.map(i => spans[i]!), cuts);
          for (const al of [alignRuns(a, b), alignRuns(a, a)]) {
            assert.equal(al.count, nodes.length);
            assertIdentity(al, nodes.length);
            assert.ok(scanChanges(al).every(bits => bits === 0));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is deterministic: both runs in any arrival order give the same alignment', () => {
    fc.assert(
      fc.property(
        treeArb(50).chain(nodes => fc.tuple(fc.constant(nodes), fc.nat(nodes.length - 1), shuffleArb(nodes.length), shuffleArb(nodes.length))),
        ([nodes, changed, [orderA, cutsA], [orderB, cutsB]]) => {
          // B differs from A (one span renamed) so that one-sided pairs take part too.
          const a = spansOf(nodes);
          const b = spansOf(nodes.map((n, i) => (i === changed ? { ...n, name: 'renamed' } : n)));
          const reference = alignmentText(alignRuns(runOf(a), runOf(b)));
          const shuffled = alignmentText(alignRuns(runOf(orderA.map(i => a[i]!), cutsA), runOf(orderB.map(i => b[i]!), cutsB)));
          assert.deepEqual(shuffled, reference);
          assert.deepEqual(alignmentText(alignRuns(runOf(a), runOf(b))), reference, 'the same inputs twice');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('removing one span: exactly one pair only in A, every other span with itself, no other change', () => {
    fc.assert(
      fc.property(
        treeArb(0.5)
          .filter(nodes => nodes.length > 1)
          .chain(nodes => fc.tuple(fc.constant(nodes), fc.constantFrom(...leaves(nodes)))),
        ([nodes, leaf]) => {
          // The removed span has a name of its own: occurrence among same-named siblings is what pairs the rest.
          const named = nodes.map((n, i) => (i === leaf ? { ...n, name: 'removed' } : n));
          const al = alignRuns(runOf(spansOf(named)), runOf(spansOf(named, leaf)));
          assert.deepEqual(oneSided(al), { onlyA: [sid(leaf)], onlyB: [] });
          assertIdentity(al, nodes.length - 1);
          const changes = scanChanges(al);
          assert.deepEqual([...changes].filter(c => c !== 0), [Change.onlyA]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('adding one span: exactly one pair only in B, every other span with itself, no other change', () => {
    fc.assert(
      fc.property(
        treeArb(0.5).chain(nodes => fc.tuple(fc.constant(nodes), fc.integer({ min: -1, max: nodes.length - 1 }), fc.integer({ min: 0, max: 100 }))),
        ([nodes, parent, at]) => {
          const [ps, pe] = parent < 0 ? [0, 0.5] : [nodes[parent]!.start, nodes[parent]!.end];
          const start = ps + (at / 100) * (pe - ps);
          const added = [...nodes, { parent, name: 'added', start, end: start + (pe - start) / 2 }];
          const al = alignRuns(runOf(spansOf(nodes)), runOf(spansOf(added)));
          assert.deepEqual(oneSided(al), { onlyA: [], onlyB: [sid(nodes.length)] });
          assertIdentity(al, nodes.length);
          assert.deepEqual([...scanChanges(al)].filter(c => c !== 0), [Change.onlyB]);
          // The added span sits under its parent's pair, at its parent's depth + 1.
          const p = [...al.rowB].findIndex(row => row >= 0 && al.b.store.rows.spanId(row) === sid(nodes.length));
          const q = al.parent[p]!;
          assert.equal(q < 0 ? -1 : al.a.store.rows.spanId(al.rowA[q]!), parent < 0 ? -1 : sid(parent));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('renaming one span: one pair only in A and one only in B; its children still pair with themselves', () => {
    fc.assert(
      fc.property(
        treeArb(0.5).chain(nodes => fc.tuple(fc.constant(nodes), fc.nat(nodes.length - 1))),
        ([nodes, r]) => {
          const a = nodes.map((n, i) => (i === r ? { ...n, name: 'before' } : n));
          const b = nodes.map((n, i) => (i === r ? { ...n, name: 'after' } : n));
          const al = alignRuns(runOf(spansOf(a)), runOf(spansOf(b)));
          assert.deepEqual(oneSided(al), { onlyA: [sid(r)], onlyB: [sid(r)] });
          assertIdentity(al, nodes.length - 1);
          assert.deepEqual([...scanChanges(al)].filter(c => c !== 0).sort(), [Change.onlyA, Change.onlyB]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('concurrent siblings of one name pair by their recorded inputs, whatever order they started in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 7 }).chain(k => fc.tuple(fc.constant(k), fc.shuffledSubarray([...Array(k).keys()], { minLength: k, maxLength: k }), fc.boolean())),
        ([k, startOrder, withInputs]) => {
          // A fan-out: scatter_gather runs k calls of one tool at once; in B they start in another order.
          const run = (starts: (i: number) => number) => [
            makeSpan({ traceId: 'c', spanId: 'root', name: 'My Agent', start: 0, end: 100 }),
            makeSpan({ traceId: 'c', spanId: 'fan', parent: 'root', name: 'scatter_gather', start: 1, end: 99 }),
            ...Array.from({ length: k }, (_, i) =>
              makeSpan({ traceId: 'c', spanId: `t${i}`, parent: 'fan', name: 'Get Capital', start: starts(i), end: 90, attrs: withInputs ? { 'gen_ai.tool.call.arguments': `{"country":"c${i}"}` } : {} }),
            ),
          ];
          const al = alignRuns(runOf(run(i => 2 + i)), runOf(run(i => 2 + startOrder[i]!)));
          const kinds = [...al.match].slice(2);
          if (withInputs) {
            assertIdentity(al, k + 2);
            assert.ok(kinds.every(m => m === MatchKind.input), `kinds ${kinds}`);
          } else {
            // Nothing tells them apart: the i-th to start in A with the i-th to start in B.
            const byStartB = [...Array(k).keys()].sort((x, y) => startOrder[x]! - startOrder[y]!);
            const pairs = pairedIds(al);
            for (let i = 0; i < k; i++) assert.equal(pairs.get(hexId(`t${i}`, 16)), hexId(`t${byStartB[i]}`, 16));
            assert.ok(kinds.every(m => m === MatchKind.order), `kinds ${kinds}`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('flat msgflux spans (nesting inferred) in any arrival order: every span with itself', () => {
    const flatArb = fc.integer({ min: 1, max: 25 }).chain(n =>
      fc.tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.constantFrom('Agent', 'Generator', 'Tool')), { minLength: n, maxLength: n }), shuffleArb(n)),
    );
    fc.assert(
      fc.property(flatArb, ([specs, [order, cuts]]) => {
        const spans = specs.map(([s, d, name], i) => makeSpan({ traceId: `f${i}`, spanId: `s${i}`, name, scope: MSGTRACE_SCOPE, start: s, end: s + d, attrs: { 'span.type': 'flow' } }));
        const al = alignRuns(runOf(spans), runOf(order.map(i => spans[i]!), cuts));
        assertIdentity(al, spans.length);
        assert.ok(scanChanges(al).every(bits => bits === 0));
      }),
      { numRuns: 200 },
    );
  });
});

function leaves(nodes: readonly NodeSpec[]): number[] {
  const parents = new Set(nodes.map(n => n.parent));
  return nodes.map((_, i) => i).filter(i => !parents.has(i));
}

describe('core/compare alignment (cases)', () => {
  const flat = (id: string, name: string, start: number, end: number) => makeSpan({ traceId: id, spanId: id, name, scope: MSGTRACE_SCOPE, start, end, attrs: { 'span.type': 'flow' } });

  it('a span the inferred nesting put under another parent is matched as moved', () => {
    // A: X ran inside the first module call; B: X ran later, inside the second one.
    const a = runOf([flat('p1', 'Planner', 0, 10), flat('p2', 'Writer', 20, 30), flat('x', 'Search', 5, 6)]);
    const b = runOf([flat('p1', 'Planner', 0, 10), flat('p2', 'Writer', 20, 30), flat('x', 'Search', 21, 22)]);
    const al = alignRuns(a, b);
    const p = [...al.rowA].findIndex(row => row >= 0 && a.store.rows.name(row) === 'Search');
    assert.equal(al.match[p], MatchKind.moved);
    assert.equal(b.store.rows.name(al.rowB[p]!), 'Search');
    assert.equal(scanChanges(al)[p], 0, 'same duration, same content');
    // It is shown where A has it: under Planner.
    assert.equal(a.store.rows.name(al.rowA[al.parent[p]!]!), 'Planner');
    assert.equal(al.count, 3);
  });

  it('a span only in B follows the pair of its preceding B sibling', () => {
    const span = (id: string, name: string, start: number, parent?: string) => makeSpan({ traceId: 't', spanId: id, name, start, end: start + 1, ...(parent ? { parent } : {}) });
    const a = runOf([span('r', 'root', 0), span('x', 'x', 1, 'r'), span('y', 'y', 3, 'r')]);
    const b = runOf([span('r', 'root', 0), span('n0', 'new0', 0.5, 'r'), span('x', 'x', 1, 'r'), span('n1', 'new1', 2, 'r'), span('y', 'y', 3, 'r')]);
    const al = alignRuns(a, b);
    const names = Array.from({ length: al.count }, (_, p) => (al.rowA[p]! >= 0 ? a.store.rows.name(al.rowA[p]!) : `+${b.store.rows.name(al.rowB[p]!)}`));
    assert.deepEqual(names, ['root', '+new0', 'x', '+new1', 'y']);
    assert.deepEqual([...al.depth], [0, 1, 1, 1, 1]);
    assert.deepEqual([...al.parent], [-1, 0, 0, 0, 0]);
  });

  it('runs that share nothing: every span one-sided', () => {
    const a = runOf([makeSpan({ traceId: 'a', spanId: 'a', name: 'one' }), makeSpan({ traceId: 'a', spanId: 'b', parent: 'a', name: 'two' })]);
    const b = runOf([makeSpan({ traceId: 'b', spanId: 'c', name: 'three' })]);
    const al = alignRuns(a, b);
    // B's span has no B sibling before it, so it comes first.
    assert.deepEqual([...al.match], [MatchKind.onlyB, MatchKind.onlyA, MatchKind.onlyA]);
    assert.deepEqual([...al.depth], [0, 0, 1]);
  });

  it('in slices: the same alignment; cancelled: undefined', async () => {
    const spans = Array.from({ length: 5000 }, (_, i) => makeSpan({ traceId: 's', spanId: `s${i}`, name: `n${i % 7}`, parent: i === 0 ? undefined : `s${Math.floor((i - 1) / 3)}`, start: i, end: i + 1 }));
    const a = runOf(spans);
    const b = runOf([...spans].reverse());
    const sliced = await alignRunsSliced(a, b, { sliceMs: 0 });
    assert.ok(sliced);
    assert.deepEqual(alignmentText(sliced), alignmentText(alignRuns(a, b)));
    assert.equal(await alignRunsSliced(a, b, { sliceMs: 0, isCancelled: () => true }), undefined);
  });
});
